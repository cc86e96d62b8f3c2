"""The API's access matrix for operations that take a token: every operation x method x
token actor, with the EXACT status (issue 17: "matrix rows for every endpoint and method").

tests/test_access_matrix.py holds the site's actors, who sign in with a session: the API
takes no session, so there they all get 401 on these operations. Here the actors are API
tokens (TOKEN_ACTORS): certification body A's write and read-only tokens, body B's write
token, A's expired and revoked tokens, a service provider's, a commissioner's and a training
provider's tokens, a site administrator's session (401: tokens only) and a site
administrator's token, made for body B (it acts for B only). Rows reach body A's records.

How to add an operation: add `Row(name, kwargs, method, expect, data, headers)` to ROWS;
`expect` from a helper below, overriding single actors. No answer but one to A's own tokens
may contain A's private record; a row with `lists_a` (a read of A's record, or of a list it
is in) must show it to them.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from tests.api.body_tokens import auth, issue_token
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CommissionerFactory,
    ServiceProviderFactory,
    TrainingProviderFactory,
    UserFactory,
)
from tests.test_access_matrix import url_patterns

TOKEN_ACTORS = [
    "anonymous",
    "body_a_write",
    "body_a_read",
    "body_b_write",
    "body_a_expired",
    "body_a_revoked",
    "service_provider",
    "commissioner",
    "training_provider",
    "superuser_session",
    "superuser_token_body_b",
]
NOT_A_BODY = ("service_provider", "commissioner", "training_provider")
REFUSED_TOKENS = ("anonymous", "body_a_expired", "body_a_revoked", "superuser_session")


def body_operation(own, read=None, other=404):
    """An operation on body A's records: A's write token gets `own`, its read-only token
    `read` (403 on a write), B's tokens `other` (404: A's records do not exist for B)."""
    expect = dict.fromkeys(REFUSED_TOKENS, 401) | dict.fromkeys(NOT_A_BODY, 403)
    expect |= {"body_a_write": own, "body_a_read": 403 if read is None else read}
    expect |= {"body_b_write": other, "superuser_token_body_b": other}
    return expect


def body_write(status):
    """A write not about a record of A's (a new one): every body's write token may."""
    return body_operation(status, other=status)


def body_list():
    """A list of the token's body's own records: every body's tokens may read theirs (B's
    list is B's, without A's records)."""
    return body_operation(200, read=200, other=200)


def no_such_method(read_status=405):
    """A method the operation does not take: 405 once a token may ask at all."""
    return body_operation(405, read=read_status, other=405)


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    expect: dict[str, Any]
    kwargs: Callable | None = None
    data: Callable | None = None
    headers: dict = field(default_factory=dict)
    lists_a: bool = False

    @property
    def id(self):
        return f"{self.name}-{self.method}"


class World:
    def __init__(self):
        self.body_a = CertificationBodyFactory(slug="body-a")
        self.body_b = CertificationBodyFactory(slug="body-b")
        self.provider = TrainingProviderFactory(slug="calm-minds")
        self.certification_a = CertificationFactory(
            body=self.body_a, certificate_number="RRN-A-PRIVATE"
        )
        self.owner_a = UserFactory(email="owner-of-a@example.org")
        self.tokens = {"anonymous": None, "superuser_session": None}
        for actor, organisation, scope, state in (
            ("body_a_write", self.body_a, ApiToken.Scope.WRITE, {}),
            ("body_a_read", self.body_a, ApiToken.Scope.READ, {}),
            ("body_b_write", self.body_b, ApiToken.Scope.WRITE, {}),
            ("body_a_expired", self.body_a, ApiToken.Scope.WRITE, {"expired": True}),
            ("body_a_revoked", self.body_a, ApiToken.Scope.WRITE, {"revoked": True}),
            ("service_provider", ServiceProviderFactory(), ApiToken.Scope.WRITE, {}),
            ("commissioner", CommissionerFactory(), ApiToken.Scope.WRITE, {}),
            ("training_provider", TrainingProviderFactory(), ApiToken.Scope.WRITE, {}),
        ):
            user = self.owner_a if actor == "body_a_write" else None
            self.tokens[actor] = issue_token(organisation, scope, user=user, **state)[1]
        self.superuser = UserFactory(is_staff=True, is_superuser=True)
        self.tokens["superuser_token_body_b"] = issue_token(self.body_b, user=self.superuser)[1]

    def register(self):
        return {
            "provider": self.provider.slug,
            "effective_date": str(timezone.localdate()),
            "reason": "Applied",
        }


def a_record(world):
    return {"pk": world.certification_a.pk}


def suspend(world):
    return {"to_status": "suspended", "effective_date": str(timezone.localdate()), "reason": "x"}


ROWS = [
    Row("api:certification_list", "POST", body_write(201), data=World.register),
    Row("api:certification_list", "GET", body_list(), lists_a=True),
    Row("api:certification_list", "PUT", no_such_method(read_status=403)),
    Row("api:certification_list", "DELETE", no_such_method(read_status=403)),
    Row(
        "api:certification_bulk",
        "POST",
        body_write(201),
        data=lambda w: {"certifications": [w.register()]},
    ),
    Row("api:certification_bulk", "GET", no_such_method(read_status=405)),
    Row("api:certification_detail", "GET", body_operation(200, read=200), a_record, lists_a=True),
    Row(
        "api:certification_detail",
        "PATCH",
        body_operation(200),
        a_record,
        data=lambda w: {"registered_on": "2024-01-02"},
        headers={"HTTP_IF_MATCH": "*"},
    ),
    # A method an operation does not take is 405 for any id: it says nothing of the record.
    Row("api:certification_detail", "PUT", no_such_method(403), a_record, data=lambda w: {}),
    Row("api:certification_detail", "DELETE", no_such_method(403), a_record),
    Row("api:certification_detail", "POST", no_such_method(403), a_record, data=lambda w: {}),
    Row(
        "api:certification_status_moves",
        "POST",
        body_operation(201),
        a_record,
        data=suspend,
        headers={"HTTP_IF_MATCH": "*"},
    ),
    Row("api:certification_status_moves", "GET", no_such_method(), a_record),
]


@pytest.fixture
def world(db):
    return World()


@pytest.mark.parametrize(
    ("row", "actor"),
    [pytest.param(row, actor, id=f"{row.id}-{actor}") for row in ROWS for actor in TOKEN_ACTORS],
)
def test_access(client, world, row, actor):
    headers = dict(row.headers)
    if world.tokens[actor]:
        headers |= auth(world.tokens[actor])
    if actor == "superuser_session":
        client.force_login(world.superuser)
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
    body = json.dumps(row.data(world)) if row.data else ""
    events_before = world.certification_a.events.count()
    version_before = world.certification_a.version

    response = client.generic(row.method, url, body, content_type="application/json", **headers)

    expected = row.expect[actor]
    assert response.status_code == expected, f"{actor} {row.id}: {response.content[:300]}"
    content = response.content.decode()
    if actor not in ("body_a_write", "body_a_read"):
        # Nothing of A's record reaches another organisation, nor who recorded its moves.
        assert "RRN-A-PRIVATE" not in content
        assert "owner-of-a@example.org" not in content
    elif row.lists_a:
        assert "RRN-A-PRIVATE" in content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        world.certification_a.refresh_from_db()
        assert world.certification_a.version == version_before
        assert world.certification_a.events.count() == events_before
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_every_row_says_what_every_actor_gets():
    for row in ROWS:
        assert set(row.expect) == set(TOKEN_ACTORS), row.id
    assert len({row.id for row in ROWS}) == len(ROWS)


def test_every_token_operation_has_rows():
    """Every URL of the certification bodies' operations has rows here."""
    names = {
        name
        for name, _route, _callback in url_patterns()
        if name and name.startswith("api:certification_")
    }
    assert names == {row.name for row in ROWS}
