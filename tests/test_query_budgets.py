"""Query budgets: every page that lists, shows, exports or summarises records runs the same
number of queries whatever the number of rows, and no more than its budget in BUDGETS.

The test renders every page of BUDGETS over a small data set (`SMALL` of every kind of row,
tests/query_budget_data.py), then again after adding more (`LARGE` in all, every one shown on
the page), and checks for each page: 200, the rows of the large set on the page, the same count
at both sizes (a count that grows is an N+1), and the count within the budget.

Adding a page: `test_every_page_is_budgeted_or_excluded` fails until its URL name is in BUDGETS
(measure it: set the budget to 0, run, and copy the count from the failure) or in NOT_LISTS
with the reason it shows no records. The admin changelists are checked against the models
certification body staff can view (certification/staff.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.staff import STAFF_PERMISSIONS
from tests.caches_off import assert_nothing_kept
from tests.change_feed import wait_until_settled
from tests.query_budget_data import BudgetData
from tests.test_access_matrix import url_patterns

SMALL = 2
LARGE = 6  # three times the small set; every list below shows all its rows at this size


@dataclass(frozen=True)
class Page:
    """A page, who views it, its budget, and the text each row of the large set shows.

    `budget` is the exact count measured at both sizes (on SQLite and PostgreSQL alike); the
    test allows fewer, so a page that gets cheaper passes until its budget is lowered.
    `shows` is text with "{tag}" the large set's rows have on the page ("Large Provider"), or
    None for a page that is about one record whose size the rows do not show (said why).
    """

    name: str
    budget: int
    viewer: str = "anonymous"  # an attribute of BudgetData, or "anonymous"
    kwargs: Callable[[BudgetData], dict] | None = None
    query: str = ""
    shows: str | None = "{tag} Provider"

    def url(self, data):
        url = reverse(self.name, kwargs=self.kwargs(data) if self.kwargs else None)
        return f"{url}?{self.query}" if self.query else url

    @property
    def id(self):
        return f"{self.name}?{self.query}" if self.query else self.name


def service(data):
    return {"slug": data.service.slug}


def commissioner(data):
    return {"slug": data.commissioner.slug}


# The budgets, in one place. The counts include the session and user look-ups of a signed-in
# viewer (2), in the admin its permission checks, and for pages whose content is kept
# (pages.content_cache) the data generation it is kept under (1). They are measured with
# every cache off (tests/caches_off.py: no kept content, count or filter lists), so a query
# that grows with the rows cannot hide behind kept work; the register's lists include its
# five filter lists and the count. Wherever a headline is read from the
# stored periods with a status filter or sort, the export or the API's rows, one more: the
# bodies' accreditation on the date, which the periods do not hold
# (certification.headline_periods.accreditations_not_counting). Served kept, a page runs fewer
# (tests/pages/test_content_cache.py).
BUDGETS = [
    # Public pages
    Page("pages:start", 1, shows=None),  # one aggregate: when the register last changed
    # The register: its rows from the headline periods (providers.register_rows): the data
    # generation, the count, the page's ids, the bodies' accreditation on the date, its rows;
    # with the cache off, the five filter lists (and a filter's terms from them).
    Page("providers:list", 10),
    Page("providers:list", 10, query="sort=-name"),
    Page("providers:list", 11, query="q=provider&region=london&population=autism&sort=valid_until"),
    Page(
        "providers:list",
        9,
        query="status=certified&status=suspended&status=not_on_register&sort=status",
    ),
    Page("providers:list", 9, query="ukas_valid=on&expiring=5000"),
    Page(
        "providers:detail",
        10,
        kwargs=lambda d: {"slug": d.provider.slug},
        shows="{tag} Busy Course",  # and the affiliates, the certifications, the history
    ),
    # An export: the bodies' accreditation on the date, its rows from the headline periods and
    # their scope (one query a batch, certification.scope_labels).
    Page("providers:export_csv", 3),
    Page("providers:export_json", 3),
    # A region filter reads its terms' ids from the kept region list (providers.filters
    # .vocabulary_ids, so no vocabulary join per provider): with the cache off, one query more.
    Page("providers:export_csv", 6, query="status=certified&region=london&sort=name"),
    Page("certification:check", 5, query="number=RRN-BUDGET", shows="{tag} Busy Course"),
    Page("certification:body_list", 2, shows="{tag} Body"),
    Page("certification:body_detail", 8, kwargs=lambda d: {"slug": d.body.slug}),
    Page("certification:changes", 3),
    Page("certification:changes_atom", 1),
    Page(
        "certification:provider_changes_atom",
        2,
        kwargs=lambda d: {"slug": d.provider.slug},
        shows="{tag} reason",  # the busy provider's status moves
    ),
    Page("standards:index", 1, shows="{tag} edition"),
    Page(
        "standards:edition",
        4,
        kwargs=lambda d: {"slug": d.certification.standards_edition.slug},
        shows="{tag} section",
    ),
    # The API (api/urls.py): the public register as data
    # A list: the page's ids by the filters, the bodies' accreditation on the date, the rows
    # from their headline periods and their scope (api.register); a filter's terms as above.
    Page("api:provider_list", 4),
    Page("api:provider_list", 7, query="status=certified&region=london&sort=status"),
    Page("api:provider_list", 4, query="q=provider&ukas_valid=on&on=2026-06-01"),
    Page(
        "api:provider_detail",
        12,
        kwargs=lambda d: {"slug": d.provider.slug},
        shows=None,  # one provider; its certifications and history grow behind it
    ),
    Page("api:certificate_detail", 4, kwargs=lambda d: {"number": "RRN-BUDGET"}, shows=None),
    Page("api:body_list", 2, shows="{tag} Body"),
    Page("api:body_detail", 2, kwargs=lambda d: {"slug": d.body.slug}, shows=None),
    Page("api:standards_list", 1, shows="{tag} edition"),
    Page(
        "api:standards_detail",
        4,
        kwargs=lambda d: {"slug": d.certification.standards_edition.slug},
        shows="{tag} section",
    ),
    Page("api:vocabulary", 4, shows=None),  # the vocabulary: four short lists
    # The horizon (PostgreSQL), the status moves, the other changes.
    Page("api:changes", 3),
    # The API: an organisation's own compliance, to a member's session (a token's look-up is
    # one query more, tests/api/test_compliance_api.py)
    Page("api:service_provider_arrangements", 14, viewer="service_staff", kwargs=service),
    Page(
        "api:commissioner_services",
        9,
        viewer="commissioner_staff",
        kwargs=commissioner,
        shows="{tag} Service",
    ),
    # API tokens under the user's account: the tokens of the viewer's organisations
    Page("api_tokens:list", 8, viewer="service_staff", shows="{tag} token"),
    # A training provider's own staff: its details, curricula and certificates
    Page(
        "providers:manage",
        12,
        viewer="provider_staff",
        kwargs=lambda d: {"slug": d.provider.slug},
        shows="{tag} Busy Course",
    ),
    # Someone acting for several organisations chooses one
    Page("compliance:home", 3, viewer="multi_member", shows="{tag} Service"),
    # A service provider's pages
    Page("compliance:service_provider", 19, viewer="service_staff", kwargs=service),
    Page("compliance:arrangement_list", 5, viewer="service_staff", kwargs=service),
    Page(
        "compliance:arrangement_new", 5, viewer="service_staff", kwargs=service, query="q=provider"
    ),
    Page("compliance:check_list", 6, viewer="service_staff", kwargs=service),
    Page("compliance:check_export", 4, viewer="service_staff", kwargs=service),
    Page("compliance:check_new", 4, viewer="service_staff", kwargs=service),  # arrangements
    Page(
        "compliance:check_detail",
        15,
        viewer="service_staff",
        kwargs=lambda d: {"slug": d.service.slug, "pk": d.check.pk},
        shows=None,  # one check; its provider's certifications and history grow behind it
    ),
    Page(
        "compliance:service_provider_contracts",
        5,
        viewer="service_staff",
        kwargs=service,
        shows="{tag} Council",  # the claims to answer, with their buttons
    ),
    Page("compliance:alert_list", 6, viewer="service_staff", kwargs=service, shows="{tag} alert"),
    # A commissioner's pages
    Page("compliance:commissioner", 15, viewer="commissioner_staff", kwargs=commissioner),
    Page(
        "compliance:commissioner_alert_list",
        6,
        viewer="commissioner_staff",
        kwargs=commissioner,
        shows="{tag} alert",
    ),
    Page("compliance:commissioner_export", 9, viewer="commissioner_staff", kwargs=commissioner),
    Page(
        "compliance:commissioner_report",
        9,
        viewer="commissioner_staff",
        kwargs=commissioner,
        shows="{tag} Service",
    ),
    Page(
        "compliance:commissioner_exposure",
        13,
        viewer="commissioner_staff",
        kwargs=commissioner,
        query="body=budget-body",
        shows="{tag} Service",
    ),
    Page(
        "compliance:commissioner_service",
        16,
        viewer="commissioner_staff",
        kwargs=lambda d: {"slug": d.commissioner.slug, "service_slug": d.service.slug},
    ),
    Page(
        "compliance:contract_list",
        5,
        viewer="commissioner_staff",
        kwargs=commissioner,
        shows="{tag} Service",
    ),
    Page(
        "compliance:contract_detail",
        5,
        viewer="commissioner_staff",
        kwargs=lambda d: {"slug": d.commissioner.slug, "pk": d.contract.pk},
        shows="{tag} action",  # its reviews
    ),
    # The admin, as certification body staff keep their records in it
    Page("admin:certification_certification_changelist", 9, viewer="certifier"),
    Page(
        "admin:certification_certification_change",
        20,
        viewer="certifier",
        kwargs=lambda d: {"object_id": d.certification.pk},
        shows="{tag} Busy Course",  # its scope; its events are inline
    ),
    Page("admin:certification_certificationevent_changelist", 10, viewer="certifier"),
    Page(
        "admin:certification_certificationbody_changelist",
        9,
        viewer="certifier",
        shows="{tag} Body",
    ),
    Page(
        "admin:certification_accreditationchange_changelist",
        11,
        viewer="certifier",
        shows="{tag} reaccreditation",
    ),
    Page(
        "admin:certification_certificationimport_changelist",
        8,
        viewer="certifier",
        shows="{slug}-import",
    ),
    Page("admin:providers_trainingprovider_changelist", 8, viewer="certifier"),
    Page("admin:providers_curriculum_changelist", 7, viewer="certifier", shows="{tag} Course"),
    # Site administrators only: the newest changes of every kind with history (providers,
    # curricula, bodies, certifications: created, edited, scope changed, moved), a full page
    # at both sizes. Per kind: its rows with their previous versions, and each scope list;
    # then the names of the related records the page's changes mention, one query per
    # related model (certification.audit_words).
    Page("admin:audit_log", 21, viewer="superuser"),
]

# URL names that show no list of records, and why. Everything else must be in BUDGETS.
NOT_LISTS = {
    "pages:accessibility": "a fixed statement",
    "pages:healthz": "SELECT 1",
    # Sign-in, sign-out and passwords: forms about the viewer only
    "login": "a form",
    "logout": "POST only",
    "password_change": "a form",
    "password_change_done": "a message",
    "password_reset": "a form",
    "password_reset_done": "a message",
    "password_reset_confirm": "a form",
    "password_reset_complete": "a message",
    # Following a provider: forms and messages about one follower
    "providers:follow": "a form",
    "providers:follow_sent": "a message",
    "providers:follow_confirm": "a button for one follower",
    "providers:unfollow": "a button for one follower",
    # A service provider's forms and actions
    "compliance:alert_read": "POST only",
    "compliance:alerts_read": "POST only",
    "compliance:alert_settings": "a form about the viewer",
    "compliance:arrangement_end": "a form about one arrangement",
    "compliance:check_evidence": "a file download",
    "compliance:contract_confirm": "POST only",
    "compliance:contract_decline": "POST only",
    # A commissioner's forms and actions
    "compliance:commissioner_alert_read": "POST only",
    "compliance:commissioner_alerts_read": "POST only",
    "compliance:contract_new": "a form (the service is typed, not chosen from a list)",
    "compliance:contract_edit": "a form about one contract",
    "compliance:contract_end": "a form about one contract",
    "compliance:contract_import": "an upload form; its preview is a POST",
    "compliance:review_new": "a form about one contract",
    "compliance:review_actions_completed": "a form about one review",
    # The API's description and bulk verification
    "api:schema": "the OpenAPI schema, generated from the code",
    "api:docs": "Swagger UI's page, which reads the schema",
    "api:verifications": "POST only: its budget is in tests/api/test_verifications.py",
    # A certification body's own records, with its API token (no session):
    # their budgets are in tests/api/test_body_writes.py.
    "api:certification_list": "a body's list with its token: budgeted in "
    "tests/api/test_body_certification_list.py",
    "api:certification_bulk": "POST only: registers up to 100 certifications",
    "api:certification_detail": "one record with its history: budgeted with the token",
    "api:certification_status_moves": "POST only: records one status move",
    "api_tokens:revoke": "POST only",
}


def _text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _measure(clients, data):
    """{page id: (status, query count, page text)} for every page of BUDGETS."""
    wait_until_settled()  # the API change feed holds back what older transactions may precede
    measured = {}
    for page in BUDGETS:
        client = clients[page.viewer]
        url = page.url(data)
        assert_nothing_kept()  # every cache off: a budget sees work that grows with rows
        _text(client.get(url))  # a first request's one-off work (a session's first use)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            text = _text(response)  # a streamed export queries as it streams
        measured[page.id] = (response.status_code, len(queries), text)
    return measured


@pytest.mark.django_db
@pytest.mark.usefixtures("every_cache_off")  # the budgets are for working it all out
def test_every_page_runs_the_same_queries_at_both_sizes_within_its_budget():
    data = BudgetData()
    clients = {"anonymous": Client()}
    for viewer in {page.viewer for page in BUDGETS} - {"anonymous"}:
        clients[viewer] = Client()
        clients[viewer].force_login(getattr(data, viewer))

    data.grow(SMALL, "Small")
    small = _measure(clients, data)
    data.grow(LARGE - SMALL, "Large")
    large = _measure(clients, data)

    problems = []
    for page in BUDGETS:
        (small_status, small_count, _), (status, count, text) = small[page.id], large[page.id]
        if small_status != 200 or status != 200:
            problems.append(f"{page.id}: status {small_status} then {status}")
            continue
        if page.shows and page.shows.format(tag="Large", slug="large") not in text:
            problems.append(f"{page.id}: the large set's rows are not on the page")
        if small_count != count:
            problems.append(f"{page.id}: {small_count} queries at {SMALL}, {count} at {LARGE}")
        if count > page.budget:
            problems.append(f"{page.id}: {count} queries, over its budget of {page.budget}")
    assert not problems, "\n".join(problems)


def test_every_page_is_budgeted_or_excluded():
    budgeted = {page.name for page in BUDGETS}
    missing = [
        f"{route} ({name})"
        for name, route, _callback in url_patterns()
        if name not in budgeted and name not in NOT_LISTS
    ]
    assert not missing, "Add to BUDGETS or NOT_LISTS in tests/test_query_budgets.py:\n" + (
        "\n".join(missing)
    )
    names = {name for name, _route, _callback in url_patterns()}
    assert not set(NOT_LISTS) - names, "NOT_LISTS names a URL that no longer exists"
    assert {"providers:list", "compliance:commissioner"} <= names  # the guard sees the pages


def test_every_admin_list_body_staff_can_view_is_budgeted():
    budgeted = {page.name for page in BUDGETS}
    viewable = {
        f"admin:{app_label}_{codename.removeprefix('view_')}_changelist"
        for app_label, codenames in STAFF_PERMISSIONS.items()
        for codename in codenames
        if codename.startswith("view_")
    }
    assert viewable - budgeted == set()
