"""The access-control matrix: every URL pattern x every actor x method, with the EXACT status.

One row per (URL name, method). Each row says what every actor gets:

    Row("compliance:service_provider", sp_a_slug, expect=members_of("service_provider"))

Actors (ACTORS): anonymous; for each role, a member of organisation A and a member of
organisation B (`service_provider_staff_a`, `service_provider_staff_b`, `commissioner_staff_a`,
…); and a superuser. Rows reach organisation A's pages, so "the same role in B" is the outsider.

How to add a page (every new URL must have rows, or `test_every_url_pattern_is_in_the_matrix`
fails):
1. Add `Row(name, kwargs, method, expect, data)` to ROWS, in your app's section:
   - `name` is the URL name with namespace ("providers:detail");
   - `kwargs(world)` returns the URL's kwargs, built from the `World` of organisations A and B
     (create extra objects there with factories if the page needs them);
   - `method` "GET" or "POST"; add a POST row whenever the view accepts POST (a class-based
     view with `post()` must have one, or the coverage test fails); `data(world)` is the form;
   - `expect`: use a helper, then override single actors with `{**helper(), "actor": status}`:
     `public()` everyone 200; `signed_in()` anonymous to sign-in, every signed-in actor 200;
     `members_of("service_provider")` anonymous to sign-in, staff of A and superusers 200,
     everyone else 404. `LOGIN` means "302 to /accounts/login/?next=…".
2. Public views must be marked `login_not_required` (LoginRequiredMiddleware denies by default),
   so their anonymous row is 200, not LOGIN.
3. A page that shows one organisation another's private records only with its consent gets a
   row per state of that consent: `case` names it (rows are unique per name, method and
   case), `query(world)` adds a query string, and `private(world)` is a text of the private
   records, which every 200 response contains when `shows_private`, and none does otherwise.
   The commissioner's pages have one per state of the contract (CONTRACT_CASES).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pytest
from django.contrib.admindocs.views import simplify_regex
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Role
from compliance import following
from compliance.models import Alert, ProviderFollower
from standards.models import StandardsEdition
from tests.factories import (
    AlertFactory,
    CertificationBodyFactory,
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    ContractReviewFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
    UserFactory,
)

LOGIN = "302 to sign-in"

ROLES = [role.value for role in Role]  # service_provider_staff, commissioner_staff, …
ACTORS = [
    "anonymous",
    *(f"{role}_{org}" for role in ROLES for org in ("a", "b")),
    "superuser",
]
SIGNED_IN = ACTORS[1:]

# The URL namespaces the matrix does not cover: the Django admin has its own tests (its
# scoping for certification body staff is tested with the admin).
EXCLUDED_NAMESPACES = {"admin"}


def public(status=200):
    return dict.fromkeys(ACTORS, status)


def signed_in(status=200):
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, status)}


def members_of(kind, status=200, outsider=404):
    """An organisation's own page: its staff (of organisation A) and superusers get `status`,
    everyone else signed in `outsider` (404: other organisations' pages do not exist)."""
    expect = signed_in(outsider)
    expect[f"{kind}_staff_a"] = status
    expect["superuser"] = status
    return expect


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: Callable[["World"], dict] | None = None
    method: str = "GET"
    expect: dict[str, Any] = field(default_factory=public)
    data: Callable[["World"], dict] | None = None
    case: str = ""
    query: Callable[["World"], str] | None = None
    private: Callable[["World"], str] | None = None
    shows_private: bool = False
    json: bool = False  # post `data` as a JSON body (the API), not as a form

    @property
    def id(self):
        return "-".join(part for part in (self.name, self.method, self.case) if part)


class World:
    """Organisations A and B of every kind; a user for an actor is made only when asked for
    (`acting_user` is the one the test signed in as). Objects only some rows need are
    `cached_property`s, so other rows don't pay for them."""

    acting_user = None

    def __init__(self):
        self.service_provider_a = ServiceProviderFactory(slug="service-provider-a")
        self.service_provider_b = ServiceProviderFactory(slug="service-provider-b")
        self.commissioner_a = CommissionerFactory(slug="commissioner-a")
        self.commissioner_b = CommissionerFactory(slug="commissioner-b")
        self.certification_body_a = CertificationBodyFactory(slug="certification-body-a")
        self.certification_body_b = CertificationBodyFactory(slug="certification-body-b")
        self.training_provider_a = TrainingProviderFactory(slug="training-provider-a")
        self.training_provider_b = TrainingProviderFactory(slug="training-provider-b")
        self._contracted_services = {}

    def organisation(self, role, org):
        kind = role.removesuffix("_staff")
        return getattr(self, f"{kind}_{org}")

    def user(self, actor):
        if actor == "anonymous":
            return None
        if actor == "superuser":
            return UserFactory(email="superuser@example.org", is_staff=True, is_superuser=True)
        role, org = actor.rsplit("_", 1)
        user = UserFactory(
            email=f"{actor}@example.org", is_staff=role == Role.CERTIFICATION_BODY_STAFF
        )
        MembershipFactory.of(self.organisation(role, org), user=user)
        return user

    @cached_property
    def api_token_a(self):
        """A token of service provider A, made by a colleague of the acting user's."""
        from api.models import ApiToken

        owner = MembershipFactory.of(
            self.service_provider_a, user=UserFactory(email="token-owner@example.org")
        )
        token, _text = ApiToken.issue(
            name="A's contract system",
            membership=owner,
            scope=ApiToken.Scope.READ,
            expires_at=timezone.now() + dt.timedelta(days=30),
            created_by=owner.user,
        )
        return token

    @cached_property
    def certification_a(self):
        return CertificationFactory(
            provider=self.training_provider_a, body=self.certification_body_a
        )

    @cached_property
    def arrangement_a(self):
        """An open training arrangement of service provider A."""
        return TrainingArrangementFactory(service_provider=self.service_provider_a)

    @cached_property
    def check_a(self):
        """A compliance check of service provider A, with an evidence file."""
        check = ComplianceCheckFactory(arrangement=self.arrangement_a)
        check.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.4 evidence"))
        return check

    @cached_property
    def follower_a(self):
        """Someone with no account who confirmed they follow training provider A."""
        return ProviderFollower.objects.create(
            provider=self.training_provider_a,
            email="follower@example.org",
            confirmed_at=timezone.now(),
        )

    @cached_property
    def alert_a(self):
        """An alert about service provider A, for the acting user."""
        recipient = self.acting_user or UserFactory()
        return AlertFactory(recipient=recipient, service_provider=self.service_provider_a)

    @cached_property
    def contract_a(self):
        """Commissioner A's contract with service provider A."""
        return ContractFactory(
            commissioner=self.commissioner_a, service_provider=self.service_provider_a
        )

    @cached_property
    def review_a(self):
        """A review of commissioner A's contract, with actions not yet completed."""
        return ContractReviewFactory(
            contract=self.contract_a,
            actions_agreed="Book refresher training",
            actions_due_on=self.contract_a.starts_on.replace(year=2027),
        )

    def contracted_service(self, case):
        """Service provider A-`case` under a contract with commissioner A in that state
        (CONTRACT_CASES), with private records since 2020: an arrangement with a provider not
        on the register, and a check."""
        if case not in self._contracted_services:
            self._contracted_services[case] = self._contracted_service(case)
        return self._contracted_services[case]

    def _contracted_service(self, case):
        service = ServiceProviderFactory(slug=f"service-provider-a-{case}")
        provider = TrainingProviderFactory(
            name=f"Private Provider {case.title()}", slug=f"private-provider-{case}"
        )
        arrangement = TrainingArrangementFactory(
            service_provider=service, training_provider=provider, starts_on=dt.date(2020, 1, 1)
        )
        ComplianceCheckFactory(
            arrangement=arrangement, evidence=f"Private evidence {case}", notes="Private notes"
        )
        ContractFactory(
            commissioner=self.commissioner_a, service_provider=service, **CONTRACT_CASES[case]
        )
        return service

    @cached_property
    def pending_claim_a(self):
        """A contract commissioner B recorded with service provider A, not yet answered."""
        return ContractFactory(
            commissioner=self.commissioner_b, service_provider=self.service_provider_a, pending=True
        )

    @cached_property
    def commissioner_alert_a(self):
        """An alert commissioner A's staff are shown (a service's answer to a contract), for
        the acting user."""
        recipient = self.acting_user or UserFactory()
        return AlertFactory(
            recipient=recipient,
            commissioner=self.commissioner_a,
            kind=Alert.Kind.CONTRACT_CONFIRMED,
            subject="A service confirmed your contract",
        )


# The states of commissioner A's contract with a service (World.contracted_service): only
# "confirmed" shows the commissioner the service's private records. "ended" was confirmed
# but ended longer ago than settings.CONTRACT_ACCESS_AFTER_END_MONTHS (12 months): the
# overview asked for a day while it ran (ENDED_QUERY) shows nothing private either.
CONTRACT_CASES = {
    "confirmed": {},
    "pending": {"pending": True},
    "declined": {"declined": True},
    "ended": {
        "starts_on": dt.date(2020, 1, 1),
        "ends_on": timezone.localdate() - dt.timedelta(days=400),
    },
}
ENDED_QUERY = "on=2021-06-01"


def slug_of(attribute):
    return lambda world: {"slug": getattr(world, attribute).slug}


def follower_link(make_token):
    return lambda world: {
        "slug": world.training_provider_a.slug,
        "token": make_token(world.follower_a),
    }


def sp_a(**objects):
    """Service provider A's slug, and the pk of each named object of the world."""
    return lambda world: {
        "slug": world.service_provider_a.slug,
        **{kwarg: getattr(world, attribute).pk for kwarg, attribute in objects.items()},
    }


SP_STAFF = members_of("service_provider")
CO_STAFF = members_of("commissioner")


def api_members_of(kind):
    """An organisation's own API read: as its page, but anonymous is 401 (the API does not
    send anyone to the sign-in page). Tokens: tests/api/test_api_access_matrix.py."""
    return {**members_of(kind), "anonymous": 401}


def co_a(**objects):
    """Commissioner A's slug, and the pk of each named object of the world."""
    return lambda world: {
        "slug": world.commissioner_a.slug,
        **{kwarg: getattr(world, attribute).pk for kwarg, attribute in objects.items()},
    }


def co_a_service(world):
    """Commissioner A's slug and service provider A's, a service under contract with A."""
    world.contract_a  # noqa: B018 (creates the contract)
    return {"slug": world.commissioner_a.slug, "service_slug": world.service_provider_a.slug}


def co_a_with(case):
    """Commissioner A's slug; the page lists (or filters on) service A-`case`."""

    def kwargs(world):
        world.contracted_service(case)
        return {"slug": world.commissioner_a.slug}

    return kwargs


def co_a_service_in(case):
    """Commissioner A's slug and service A-`case`'s, contracted in that state."""
    return lambda world: {
        "slug": world.commissioner_a.slug,
        "service_slug": world.contracted_service(case).slug,
    }


def provider_of(case):
    return lambda world: f"Private Provider {case.title()}"


def contract_case_rows():
    """The commissioner's pages that show services' records, once per contract state."""
    rows = []
    for case in CONTRACT_CASES:
        shows = case == "confirmed"
        common = {"case": case, "shows_private": shows, "expect": CO_STAFF}
        as_of = {"query": lambda w: ENDED_QUERY} if case == "ended" else {}
        rows += [
            Row(
                "compliance:commissioner_service",
                co_a_service_in(case),
                private=provider_of(case),
                **common,
            ),
            Row(
                "compliance:commissioner",
                co_a_with(case),
                private=provider_of(case),
                **as_of,
                **common,
            ),
            Row(
                "compliance:commissioner_export",
                co_a_with(case),
                private=provider_of(case),
                **as_of,
                **common,
            ),
            Row(
                "compliance:commissioner_report",
                co_a_with(case),
                private=lambda w: "no certification on the register",
                **as_of,
                **common,
            ),
            Row(  # the overview as data (api/views/compliance.py), to a member's session
                "api:commissioner_services",
                co_a_with(case),
                private=provider_of(case),
                **as_of,
                **{**common, "expect": api_members_of("commissioner")},
            ),
            Row(
                "compliance:commissioner_exposure",
                co_a_with(case),
                query=lambda w, case=case: f"training_provider=private-provider-{case}",
                private=lambda w, case=case: f"service-provider-a-{case}",
                **common,
            ),
        ]
    return rows


def current_edition_slug(world):
    return {"slug": StandardsEdition.objects.get(is_current=True).slug}


def certificate_of_a(world):
    return {"number": world.certification_a.certificate_number}


ROWS = [
    # pages
    Row("pages:start"),
    Row("pages:accessibility"),
    Row("pages:healthz"),
    # certification (public)
    Row("certification:check"),
    Row("certification:body_list"),
    Row("certification:body_detail", slug_of("certification_body_a")),
    Row("certification:changes"),
    Row("certification:changes_atom"),
    # providers: the public register, a provider's page and the exports
    Row("providers:list"),
    Row("providers:detail", slug_of("training_provider_a")),
    Row("providers:export_csv"),
    Row("providers:export_json"),
    # A training provider's own staff keep its public details (providers.staff_views)
    Row("providers:manage", slug_of("training_provider_a"), expect=members_of("training_provider")),
    Row(
        "providers:manage",
        slug_of("training_provider_a"),
        "POST",
        members_of("training_provider", 302),
        data=lambda w: {
            "provider-email": "office@example.org",
            "provider-phone": "0100 000 0000",
            "curricula-TOTAL_FORMS": "0",
            "curricula-INITIAL_FORMS": "0",
        },
    ),
    # Following a provider, with no account (compliance.following): every link's page shows a
    # button; its POST acts (the unsubscribe one also without a CSRF token, RFC 8058).
    Row("certification:provider_changes_atom", slug_of("training_provider_a")),
    Row("providers:follow", slug_of("training_provider_a")),
    Row(
        "providers:follow",
        slug_of("training_provider_a"),
        "POST",
        public(302),
        data=lambda w: {"email": "someone@example.org"},
    ),
    Row("providers:follow_sent", slug_of("training_provider_a")),
    *(
        Row(f"providers:{name}", follower_link(token), method)
        for name, token in (
            ("follow_confirm", following.confirm_token),
            ("unfollow", following.unsubscribe_token),
        )
        for method in ("GET", "POST")
    ),
    # standards (public)
    Row("standards:index"),
    Row("standards:edition", current_edition_slug),
    # accounts: sign-in and password reset are public; a bad form is shown again (200)
    Row("login"),
    Row("login", method="POST", data=lambda w: {"username": "", "password": ""}),
    Row("logout", expect=public(405)),  # sign-out is POST only
    Row("logout", method="POST", expect=public(302)),
    Row("password_change", expect=signed_in()),
    Row("password_change", method="POST", expect=signed_in()),  # empty form: errors, 200
    Row("password_change_done", expect=signed_in()),
    Row("password_reset"),
    Row(
        "password_reset",
        method="POST",
        data=lambda w: {"email": "someone@example.org"},
        expect=public(302),
    ),
    Row("password_reset_done"),
    Row("password_reset_confirm", lambda w: {"uidb64": "MQ", "token": "not-a-token"}),
    Row(
        "password_reset_confirm", lambda w: {"uidb64": "MQ", "token": "not-a-token"}, method="POST"
    ),
    Row("password_reset_complete"),
    # compliance: /compliance/ sends each signed-in actor to their organisation (302), except
    # a superuser with no memberships, who is sent to the admin (302) too.
    Row("compliance:home", expect=signed_in(302)),
    # compliance: a service provider's pages (service_provider_urls.py). Forms posted empty
    # are shown again with errors (200); a valid post redirects (302).
    Row("compliance:service_provider", sp_a(), expect=SP_STAFF),
    Row("compliance:alert_list", sp_a(), expect=SP_STAFF),
    Row("compliance:alerts_read", sp_a(), "POST", members_of("service_provider", 302)),
    Row("compliance:alert_read", sp_a(pk="alert_a"), "POST", members_of("service_provider", 302)),
    Row("compliance:alert_settings", sp_a(), expect=SP_STAFF),
    Row(
        "compliance:alert_settings",
        sp_a(),
        "POST",
        members_of("service_provider", 302),
        data=lambda w: {"email_alerts": "no"},
    ),
    Row("compliance:arrangement_list", sp_a(), expect=SP_STAFF),
    Row("compliance:arrangement_new", sp_a(), expect=SP_STAFF),
    Row("compliance:arrangement_new", sp_a(), "POST", SP_STAFF),
    Row("compliance:arrangement_end", sp_a(pk="arrangement_a"), expect=SP_STAFF),
    Row("compliance:arrangement_end", sp_a(pk="arrangement_a"), "POST", SP_STAFF),
    Row("compliance:check_list", sp_a(), expect=SP_STAFF),
    Row("compliance:check_new", sp_a(), expect=SP_STAFF),
    Row("compliance:check_new", sp_a(), "POST", SP_STAFF),
    Row("compliance:check_export", sp_a(), expect=SP_STAFF),
    Row("compliance:check_detail", sp_a(pk="check_a"), expect=SP_STAFF),
    Row("compliance:check_evidence", sp_a(pk="check_a"), expect=SP_STAFF),
    # Contracts commissioners recorded with the service: only its own staff (and superusers)
    # answer them; the commissioner who recorded one cannot confirm it.
    Row("compliance:service_provider_contracts", sp_a(), expect=SP_STAFF),
    Row(
        "compliance:contract_confirm",
        sp_a(pk="pending_claim_a"),
        "POST",
        members_of("service_provider", 302),
    ),
    Row(
        "compliance:contract_decline",
        sp_a(pk="pending_claim_a"),
        "POST",
        members_of("service_provider", 302),
    ),
    # compliance: a commissioner's pages (commissioner_urls.py). Forms posted empty are shown
    # again with errors (200); commissioner B's staff get 404 on every page of A.
    Row("compliance:commissioner", co_a(), expect=CO_STAFF),
    Row("compliance:commissioner_export", co_a(), expect=CO_STAFF),
    Row("compliance:commissioner_report", co_a(), expect=CO_STAFF),
    Row("compliance:commissioner_exposure", co_a(), expect=CO_STAFF),
    Row("compliance:commissioner_alert_list", co_a(), expect=CO_STAFF),
    Row("compliance:commissioner_alerts_read", co_a(), "POST", members_of("commissioner", 302)),
    Row(
        "compliance:commissioner_alert_read",
        co_a(pk="commissioner_alert_a"),
        "POST",
        members_of("commissioner", 302),
    ),
    Row("compliance:commissioner_service", co_a_service, expect=CO_STAFF),
    *contract_case_rows(),
    Row("compliance:contract_list", co_a(), expect=CO_STAFF),
    Row("compliance:contract_new", co_a(), expect=CO_STAFF),
    Row("compliance:contract_new", co_a(), "POST", CO_STAFF),
    Row("compliance:contract_import", co_a(), expect=CO_STAFF),
    Row("compliance:contract_import", co_a(), "POST", CO_STAFF),
    Row("compliance:contract_detail", co_a(pk="contract_a"), expect=CO_STAFF),
    Row("compliance:contract_edit", co_a(pk="contract_a"), expect=CO_STAFF),
    Row("compliance:contract_edit", co_a(pk="contract_a"), "POST", CO_STAFF),
    Row("compliance:contract_end", co_a(pk="contract_a"), expect=CO_STAFF),
    Row("compliance:contract_end", co_a(pk="contract_a"), "POST", CO_STAFF),
    Row("compliance:review_new", co_a(pk="contract_a"), expect=CO_STAFF),
    Row("compliance:review_new", co_a(pk="contract_a"), "POST", CO_STAFF),
    Row("compliance:review_actions_completed", co_a(pk="review_a"), expect=CO_STAFF),
    Row("compliance:review_actions_completed", co_a(pk="review_a"), "POST", CO_STAFF),
    # the API (api/urls.py): the public register's reads and bulk verification are open to
    # everyone; a session signs in to the API only for an organisation's own compliance.
    Row("api:provider_list"),
    Row("api:provider_detail", slug_of("training_provider_a")),
    Row("api:certificate_detail", certificate_of_a),
    Row("api:verifications", expect=public(405)),
    Row(
        "api:verifications",
        method="POST",
        data=lambda w: {"certificates": ["RRN-1", "RRN-2"]},
        json=True,
    ),
    Row("api:body_list"),
    Row("api:body_detail", slug_of("certification_body_a")),
    Row("api:standards_list"),
    Row("api:standards_detail", current_edition_slug),
    Row("api:vocabulary"),
    Row("api:changes"),
    Row("api:schema"),
    Row("api:docs"),
    # An organisation's own compliance: a member's session reads it, like the pages (the
    # commissioner's services are in contract_case_rows, once per state of the contract).
    Row(
        "api:service_provider_arrangements",
        slug_of("service_provider_a"),
        expect=api_members_of("service_provider"),
    ),
    # API tokens, under the user's account: each signed-in user sees their organisations'
    # tokens; only staff of the token's organisation revoke it (a superuser in the admin).
    Row("api_tokens:list", expect=signed_in()),
    Row("api_tokens:list", method="POST", expect=signed_in()),  # empty form: errors, 200
    Row(
        "api_tokens:revoke",
        lambda w: {"pk": w.api_token_a.pk},
        "POST",
        {**members_of("service_provider", 302), "superuser": 404},
    ),
    # A certification body's own records through the API take its API token, never a session:
    # every signed-in actor here is anonymous to them (401). Their rows for every method
    # and token actor are in tests/api/test_api_write_access_matrix.py.
    Row("api:certification_list", expect=public(401)),
    Row("api:certification_list", method="POST", expect=public(401), data=lambda w: {}, json=True),
    Row("api:certification_bulk", method="POST", expect=public(401), data=lambda w: {}, json=True),
    Row(
        "api:certification_detail",
        lambda w: {"pk": w.certification_a.pk},
        expect=public(401),
    ),
    Row(
        "api:certification_status_moves",
        lambda w: {"pk": w.certification_a.pk},
        "POST",
        public(401),
        data=lambda w: {},
        json=True,
    ),
]


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # evidence files
    return World()


def request(client, row, world):
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
    if row.query:
        url = f"{url}?{row.query(world)}"
    if row.method == "GET":
        return client.get(url)
    if row.method == "POST" and row.json:
        return client.post(
            url, row.data(world) if row.data else {}, content_type="application/json"
        )
    if row.method == "POST":
        return client.post(url, row.data(world) if row.data else {})
    raise ValueError(f"Unsupported method {row.method}")


@pytest.mark.parametrize(
    ("row", "actor"),
    [pytest.param(row, actor, id=f"{row.id}-{actor}") for row in ROWS for actor in ACTORS],
)
def test_access(client, world, row, actor):
    user = world.acting_user = world.user(actor)
    if user is not None:
        client.force_login(user)

    response = request(client, row, world)

    expected = row.expect[actor]
    if expected == LOGIN:
        assert response.status_code == 302, f"{actor} {row.id}: {response.status_code}"
        assert response["Location"].startswith("/accounts/login/?next="), response["Location"]
    else:
        assert response.status_code == expected, f"{actor} {row.id}: {response.status_code}"
    if row.private:
        body = _body(response)
        if row.shows_private and expected == 200:
            assert row.private(world) in body, f"{actor} {row.id}: private records not shown"
        else:
            assert row.private(world) not in body, f"{actor} {row.id}: private records shown"


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_every_row_says_what_every_actor_gets():
    for row in ROWS:
        assert set(row.expect) == set(ACTORS), row.id
        assert row.method in {"GET", "POST"}, row.id
    assert len({row.id for row in ROWS}) == len(ROWS), "one row per URL name, method and case"


def url_patterns(patterns=None, namespace=None, prefix="", excluded=EXCLUDED_NAMESPACES):
    """(qualified name, route, callback) for every URL pattern outside the `excluded`
    namespaces (tests/operations/test_hostile_input_walk.py walks the admin's too)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in excluded:
                continue
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from url_patterns(
                pattern.url_patterns, inner, prefix + str(pattern.pattern), excluded
            )
        elif isinstance(pattern, URLPattern):
            route = simplify_regex(prefix + str(pattern.pattern))
            if route.startswith(("/static/", "/media/")):
                continue
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, route, pattern.callback


def test_every_url_pattern_is_in_the_matrix():
    covered = {(row.name, row.method) for row in ROWS}
    missing = []
    for name, route, callback in url_patterns():
        if name is None:
            missing.append(f"{route}: give the URL pattern a name")
            continue
        if (name, "GET") not in covered and (name, "POST") not in covered:
            missing.append(f"{route} ({name}): no rows")
        view_class = getattr(callback, "view_class", None)
        if view_class is not None and hasattr(view_class, "post") and (name, "POST") not in covered:
            missing.append(f"{route} ({name}): the view accepts POST but has no POST row")
    assert not missing, "Add rows to tests/test_access_matrix.py:\n" + "\n".join(missing)


def test_every_row_names_a_url_pattern_that_exists():
    names = {name for name, _route, _callback in url_patterns()}
    assert not {row.name for row in ROWS} - names


def test_the_coverage_check_would_notice_a_missing_page():
    names = {name for name, _route, _callback in url_patterns()}
    assert {"pages:start", "login", "compliance:service_provider"} <= names
    assert not any(name and name.startswith("admin:") for name in names)
