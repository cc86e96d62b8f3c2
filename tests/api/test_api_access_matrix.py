"""The API's access-control matrix: every API operation (URL pattern x method) x every
caller, with the EXACT status (issue 17, quality bars; house rule 1).

Callers (CALLERS): anonymous; a token of organisation A and of organisation B of every kind
(certification bodies' tokens may write; the others' are read-only, and
`certification_body_a_read` is a read-only token of body A, for the writes); an expired and
a revoked token of service provider A; a superuser signed in (a session, not a token).
Organisation A's addresses are asked for, so "the same kind, B" is the outsider.

How to add an operation (`test_every_api_operation_has_rows` fails until each method of each
pattern in api/urls.py has one): add `Op(name, method, kwargs, expect, data)` to OPERATIONS,
in its section. `expect` is a helper, overridden per caller where needed:
`everyone(status)` (expired and revoked tokens are still refused with 401: a client whose
token lapsed finds out), `own("service_provider")` (the organisation A's tokens and the
superuser get the status; anonymous 401; every other token 404, so no address reveals that an
organisation exists). `private(world)` is a text only a caller that gets 200 may see. A
certification body's own records (its writes) have their rows, with their own token actors,
in test_api_write_access_matrix.py; the coverage check here counts them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from api import urls as api_urls
from api.models import ApiToken
from certification.statuses import Status
from standards.models import StandardsEdition
from tests.factories import (
    CertificationFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
    UserFactory,
)
from tests.test_access_matrix import World

KINDS = ["service_provider", "commissioner", "certification_body", "training_provider"]
CALLERS = [
    "anonymous",
    *(f"{kind}_{org}" for kind in KINDS for org in ("a", "b")),
    "certification_body_a_read",
    "expired",
    "revoked",
    "superuser",
]
READ, WRITE = ApiToken.Scope.READ, ApiToken.Scope.WRITE
# Each caller with a token: (kind of organisation, A or B, scope, a field that lapses it).
TOKENS = {
    **{
        f"{kind}_{org}": (kind, org, WRITE if kind == "certification_body" else READ, None)
        for kind in KINDS
        for org in ("a", "b")
    },
    "certification_body_a_read": ("certification_body", "a", READ, None),
    "expired": ("service_provider", "a", READ, "expires_at"),
    "revoked": ("service_provider", "a", READ, "revoked_at"),
}
REFUSED_TOKENS = {"expired": 401, "revoked": 401}
METHODS = ("get", "post", "put", "patch", "delete")


def everyone(status=200):
    return {**dict.fromkeys(CALLERS, status), **REFUSED_TOKENS}


def own(kind, status=200):
    """Organisation A's own records: its tokens and a superuser get `status`."""
    expect = {**dict.fromkeys(CALLERS, 404), **REFUSED_TOKENS, "anonymous": 401}
    for caller in (f"{kind}_a", f"{kind}_a_read", "superuser"):
        if caller in expect:
            expect[caller] = status
    return expect


@dataclass(frozen=True)
class Op:
    name: str  # the URL name in api/urls.py, without "api:"
    method: str = "GET"
    kwargs: Callable[["ApiWorld"], dict] | None = None
    expect: dict[str, Any] = field(default_factory=everyone)
    data: Callable[["ApiWorld"], Any] | None = None  # a JSON body
    query: str = ""
    private: Callable[["ApiWorld"], str] | None = None

    @property
    def id(self):
        return f"{self.name}-{self.method}" + (f"-{self.query}" if self.query else "")


class ApiWorld(World):
    """The access matrix's organisations A and B of every kind (tests/test_access_matrix.py),
    A's private compliance records, and a token for each caller."""

    def __init__(self):
        super().__init__()
        self.certification_a  # noqa: B018 (a certificate to look up)
        trainer = TrainingProviderFactory(name="Private Trainer of A", slug="private-trainer")
        CertificationFactory(provider=trainer, status=Status.SUSPENDED)
        arrangement = TrainingArrangementFactory(
            service_provider=self.service_provider_a, training_provider=trainer
        )
        ComplianceCheckFactory(arrangement=arrangement)
        shared = ServiceProviderFactory(name="Shared Service of A", slug="shared-service")
        TrainingArrangementFactory(service_provider=shared, training_provider=trainer)
        ContractFactory(commissioner=self.commissioner_a, service_provider=shared)

    def headers(self, caller):
        if caller not in TOKENS:
            return {}
        kind, org, scope, state = TOKENS[caller]
        membership = MembershipFactory.of(
            getattr(self, f"{kind}_{org}"), user=UserFactory(email=f"{caller}@example.org")
        )
        token, text = ApiToken.issue(
            name=f"{caller}'s system",
            membership=membership,
            scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=30),
            created_by=membership.user,
        )
        if state:
            ApiToken.objects.filter(pk=token.pk).update(**{state: timezone.now()})
        return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def slug_of(attribute):
    return lambda world: {"slug": getattr(world, attribute).slug}


def current_edition(world):
    return {"slug": StandardsEdition.objects.get(is_current=True).slug}


OPERATIONS = [
    # The public register's reads: open to everyone, and to every valid token.
    Op("provider_list"),
    Op("provider_list", query="status=certified&sort=status&on=2026-01-01"),
    Op("provider_detail", kwargs=slug_of("training_provider_a")),
    Op("certificate_detail", kwargs=lambda w: {"number": w.certification_a.certificate_number}),
    Op("body_list"),
    Op("body_detail", kwargs=slug_of("certification_body_a")),
    Op("standards_list"),
    Op("standards_detail", kwargs=current_edition),
    Op("vocabulary"),
    Op("changes"),
    # Bulk verification is a read-like POST: it writes nothing, so any token may ask,
    # read-only ones included.
    Op("verifications", expect=everyone(405)),
    Op(
        "verifications",
        "POST",
        data=lambda w: {"certificates": [w.certification_a.certificate_number, "RRN-NONE"]},
    ),
    # The schema and its docs page: served without reading a token (SERVE_AUTHENTICATION),
    # so a lapsed token does not stop anyone reading the documentation.
    Op("schema", expect=dict.fromkeys(CALLERS, 200)),
    Op("docs", expect=dict.fromkeys(CALLERS, 200)),
    # An organisation's own compliance (api/views/compliance.py).
    Op(
        "service_provider_arrangements",
        kwargs=slug_of("service_provider_a"),
        expect=own("service_provider"),
        private=lambda w: "Private Trainer of A",
    ),
    Op(
        "commissioner_services",
        kwargs=slug_of("commissioner_a"),
        expect=own("commissioner"),
        private=lambda w: "Private Trainer of A",
    ),
    # Certification bodies' own records (api/views/certifications.py: register, PATCH,
    # status moves, bulk): tests/api/test_api_write_access_matrix.py.
]


def _request(client, op, world, headers):
    url = reverse(f"api:{op.name}", kwargs=op.kwargs(world) if op.kwargs else None)
    if op.query:
        url = f"{url}?{op.query}"
    send = getattr(client, op.method.lower())
    if op.method == "GET":
        return send(url, **headers)
    body = op.data(world) if op.data else {}
    return send(url, body, content_type="application/json", **headers)


@pytest.fixture
def world(db, settings):
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "10000/minute")
    return ApiWorld()


@pytest.mark.parametrize(
    ("op", "caller"),
    [pytest.param(op, caller, id=f"{op.id}-{caller}") for op in OPERATIONS for caller in CALLERS],
)
def test_api_access(client, world, op, caller):
    if caller == "superuser":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = _request(client, op, world, world.headers(caller))

    expected = op.expect[caller]
    assert response.status_code == expected, f"{caller} {op.id}: {response.status_code}"
    body = response.content.decode()
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json", body
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
    if op.private:
        shown = op.private(world) in body
        assert shown == (expected == 200), f"{caller} {op.id}: private records shown: {shown}"


def test_every_op_says_what_every_caller_gets():
    for op in OPERATIONS:
        assert set(op.expect) == set(CALLERS), op.id
    assert len({op.id for op in OPERATIONS}) == len(OPERATIONS)


def api_operations():
    """(URL name, method) of every operation api/urls.py routes."""
    for pattern in api_urls.urlpatterns:
        view_class = pattern.callback.view_class
        for method in METHODS:
            if method in view_class.http_method_names and hasattr(view_class, method):
                yield pattern.name, method.upper()


def test_every_api_operation_has_rows():
    # A certification body's own records have their rows in test_api_write_access_matrix.py,
    # with its token actors (each body's write and read-only tokens, a superuser's token).
    from tests.api.test_api_write_access_matrix import ROWS as WRITE_ROWS

    covered = {(op.name, op.method) for op in OPERATIONS} | {
        (row.name.removeprefix("api:"), row.method) for row in WRITE_ROWS
    }
    missing = [
        f"{name} {method}" for name, method in api_operations() if (name, method) not in covered
    ]
    assert not missing, "Add Ops to tests/api/test_api_access_matrix.py:\n" + "\n".join(missing)
    # A method a pattern does not route (405) may have a row too; its name must exist.
    assert {op.name for op in OPERATIONS} <= {name for name, _method in api_operations()}


def test_the_coverage_check_sees_every_api_pattern_and_method():
    operations = set(api_operations())
    assert ("verifications", "POST") in operations
    assert ("provider_list", "GET") in operations
    assert len({name for name, _ in operations}) == len(api_urls.urlpatterns)
