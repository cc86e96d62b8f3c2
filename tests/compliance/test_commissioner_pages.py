"""A commissioner's pages: overview, export, report, exposure, service, contracts, import,
reviews; who may see them; bad input; query budgets; alerts."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.services import move_certification
from certification.statuses import Status
from compliance.alerts import send_due_alerts
from compliance.models import Alert, Contract, ContractReview
from tests.factories import (
    AlertFactory,
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
from tests.form_dates import date_fields
from tests.form_tokens import with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def commissioner():
    return CommissionerFactory(name="Riverside Council", slug="riverside")


@pytest.fixture
def staff(commissioner):
    return MembershipFactory.of(commissioner).user


@pytest.fixture
def signed_in(client, staff):
    client.force_login(staff)
    return client


def _service(commissioner, name, provider=None, checked=True, **contract_kw):
    service = ServiceProviderFactory(name=name)
    contract = ContractFactory(commissioner=commissioner, service_provider=service, **contract_kw)
    if provider is not None:
        arrangement = TrainingArrangementFactory(
            service_provider=service, training_provider=provider
        )
        if checked:
            ComplianceCheckFactory(
                arrangement=arrangement,
                checked_on=timezone.localdate() - dt.timedelta(days=30),
                notes="Our own note about the trainer",
            )
    return service, contract


@pytest.fixture
def certified():
    provider = TrainingProviderFactory(name="Calm Hands Training")
    CertificationFactory(provider=provider, valid_until=timezone.localdate() + dt.timedelta(400))
    return provider


@pytest.fixture
def services(commissioner, certified):
    good, _ = _service(commissioner, "Elm House", certified)
    bad, _ = _service(commissioner, "=HYPERLINK(1) Oak Lodge")
    return good, bad


def _url(name, commissioner, *args):
    return reverse(f"compliance:{name}", args=[commissioner.slug, *args])


def test_overview_shows_each_service_with_state_counts_and_reasons(
    signed_in, commissioner, services
):
    response = signed_in.get(_url("commissioner", commissioner))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Elm House" in html
    assert "No training arrangement recorded" in html
    assert 'data-count="not_compliant">1<' in html
    assert 'data-count="compliant">1<' in html


def test_overview_filters_by_state_and_exports_exactly_the_filtered_rows(
    signed_in, commissioner, services
):
    response = signed_in.get(_url("commissioner", commissioner), {"state": "not_compliant"})
    html = response.content.decode()
    assert "Oak Lodge" in html
    assert "Elm House" not in html

    export = signed_in.get(_url("commissioner_export", commissioner), {"state": "not_compliant"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][0] == "service_provider"
    assert len(rows) == 2
    assert rows[1][0] == "'=HYPERLINK(1) Oak Lodge"  # formula neutralised
    assert rows[1][5] == "Not compliant"
    assert rows[1][6] == "no training arrangement recorded"


def test_overview_as_of_a_date_before_a_contract_started(signed_in, commissioner, services, today):
    _service(commissioner, "Future Court", starts_on=today + dt.timedelta(days=10))
    now = signed_in.get(_url("commissioner", commissioner)).content.decode()
    later = signed_in.get(
        _url("commissioner", commissioner), {"on": (today + dt.timedelta(days=20)).isoformat()}
    ).content.decode()
    assert "Future Court" not in now
    assert "Future Court" in later


def test_report_lists_non_compliant_services_with_reasons_and_the_date(
    signed_in, commissioner, services, today
):
    html = signed_in.get(_url("commissioner_report", commissioner)).content.decode()
    assert "Oak Lodge" in html
    assert "No training arrangement recorded" in html
    assert "Generated on" in html
    assert 'id="report-date">As on' in html


def test_exposure_lists_services_depending_on_a_suspended_provider(
    signed_in, commissioner, services, certified, today
):
    move_certification(
        certified.certifications.get(),
        Status.SUSPENDED,
        effective_date=today,
        reason="Audit findings",
        today=today,
    )
    response = signed_in.get(
        _url("commissioner_exposure", commissioner), {"training_provider": certified.slug}
    )
    html = response.content.decode()
    assert "1 service depends on Calm Hands Training" in html
    assert "Elm House" in html
    assert "Oak Lodge" not in html
    assert "Calm Hands Training: certification suspended on" in html


def test_service_drill_down_is_read_only_and_marks_the_providers_own_notes(
    signed_in, commissioner, services
):
    good, _ = services
    html = signed_in.get(_url("commissioner_service", commissioner, good.slug)).content.decode()
    assert "Calm Hands Training" in html
    assert "The service provider's own notes" in html
    assert "Our own note about the trainer" in html
    main = html.split('id="main-content"')[1]
    assert "<form" not in main


def test_a_service_without_a_contract_with_this_commissioner_is_not_found(signed_in, commissioner):
    other = ServiceProviderFactory()
    ContractFactory(service_provider=other)  # another commissioner's contract
    response = signed_in.get(_url("commissioner_service", commissioner, other.slug))
    assert response.status_code == 404


def test_a_service_with_a_past_contract_can_still_be_opened(signed_in, commissioner):
    service, _ = _service(
        commissioner, "Old Mill", starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2021, 1, 1)
    )
    assert (
        signed_in.get(_url("commissioner_service", commissioner, service.slug)).status_code == 200
    )


def test_add_edit_and_end_a_contract(signed_in, commissioner, staff, today):
    ServiceProviderFactory(name="Birch Court", cqc_location_id="1-123")
    response = signed_in.post(
        _url("contract_new", commissioner),
        with_token(
            staff,
            {
                "reference": "RC-1",
                "service_provider_text": "1-123",
                **date_fields("starts_on", "2026-04-01"),
                **date_fields("ends_on", ""),
                "requires_certified_training": "yes",
            },
        ),
    )
    contract = Contract.objects.get(commissioner=commissioner, reference="RC-1")
    assert response.status_code == 302
    assert contract.service_provider.name == "Birch Court"
    assert contract.requires_certified_training is True

    signed_in.post(
        _url("contract_edit", commissioner, contract.pk),
        {
            "reference": "RC-1a",
            **date_fields("starts_on", "2026-04-01"),
            **date_fields("ends_on", ""),
            "requires_certified_training": "no",
        },
    )
    contract.refresh_from_db()
    assert (contract.reference, contract.requires_certified_training) == ("RC-1a", False)

    signed_in.post(
        _url("contract_end", commissioner, contract.pk), {**date_fields("ends_on", "2026-09-30")}
    )
    contract.refresh_from_db()
    assert contract.ends_on == dt.date(2026, 9, 30)


def test_the_contract_form_defaults_to_requiring_certified_training(signed_in, commissioner):
    html = signed_in.get(_url("contract_new", commissioner)).content.decode()
    assert (
        'value="yes" checked' in html
        or 'checked value="yes"' in html
        or ('value="yes"' in html and "checked" in html)
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "reference": "X",
            "service_provider_text": "Nobody",
            **date_fields("starts_on", "2026-04-01"),
        },
        {
            "reference": "X",
            "service_provider_text": "Birch",
            **date_fields("starts_on", ("31", "31", "2026")),
        },
        {
            "reference": "X",
            "service_provider_text": "Birch",
            **date_fields("starts_on", "0001-01-01"),
        },
        {
            "reference": "X",
            "service_provider_text": "Birch",
            **date_fields("starts_on", "2026-04-01"),
            **date_fields("ends_on", "2026-03-01"),
            "requires_certified_training": "yes",
        },
        {
            "reference": "DUP",
            "service_provider_text": "Birch",
            **date_fields("starts_on", "2026-04-01"),
            "requires_certified_training": "maybe",
        },
        {
            "reference": "x" * 500,
            "service_provider_text": "Birch",
            **date_fields("starts_on", "2026-04-01"),
        },
    ],
)
def test_bad_contract_input_is_an_error_and_saves_nothing(signed_in, commissioner, data):
    ServiceProviderFactory(name="Birch")
    ContractFactory(commissioner=commissioner, reference="DUP")
    before = Contract.objects.count()
    response = signed_in.post(_url("contract_new", commissioner), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Contract.objects.count() == before


def test_duplicate_reference_is_refused_in_words(signed_in, commissioner):
    ServiceProviderFactory(name="Birch")
    ContractFactory(commissioner=commissioner, reference="DUP")
    response = signed_in.post(
        _url("contract_new", commissioner),
        {
            "reference": "DUP",
            "service_provider_text": "Birch",
            **date_fields("starts_on", "2026-04-01"),
            "requires_certified_training": "yes",
        },
    )
    assert "already have a contract with this reference" in response.content.decode()


def test_import_preview_then_confirm(signed_in, commissioner):
    ServiceProviderFactory(name="Elm House")
    text = "reference,service provider,starts on\nIM-1,Elm House,2026-04-01\n"
    upload = SimpleUploadedFile("c.csv", text.encode(), content_type="text/csv")
    preview = signed_in.post(_url("contract_import", commissioner), {"file": upload})
    assert preview.status_code == 200
    assert "Import these contracts" in preview.content.decode()
    assert not Contract.objects.filter(reference="IM-1").exists()

    done = signed_in.post(_url("contract_import", commissioner), {"confirm": "1", "csv": text})
    assert done.status_code == 302
    assert Contract.objects.filter(commissioner=commissioner, reference="IM-1").exists()


def test_import_with_errors_names_rows_and_cannot_be_confirmed(signed_in, commissioner):
    text = "reference,service provider,starts on\nIM-1,Nowhere,2026-04-01\n"
    upload = SimpleUploadedFile("c.csv", text.encode(), content_type="text/csv")
    html = signed_in.post(_url("contract_import", commissioner), {"file": upload}).content.decode()
    assert "Row 2: No service provider" in html
    assert "Import these contracts" not in html
    forced = signed_in.post(_url("contract_import", commissioner), {"confirm": "1", "csv": text})
    assert forced.status_code == 200
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    "post",
    [
        {},
        {"file": SimpleUploadedFile("x.csv", b"\x00\xff\xfe", content_type="text/csv")},
        {"confirm": "1"},
        {"confirm": "1", "csv": "garbage\x00"},
    ],
)
def test_bad_import_input_never_fails(signed_in, commissioner, post):
    response = signed_in.post(_url("contract_import", commissioner), post)
    assert response.status_code == 200
    assert not Contract.objects.exists()


def test_record_a_review_and_overdue_actions_are_flagged_on_the_overview(
    signed_in, commissioner, services, staff, today
):
    good, _ = services
    contract = good.contracts.get()
    response = signed_in.post(
        _url("review_new", commissioner, contract.pk),
        with_token(
            staff,
            {
                **date_fields("reviewed_on", (today - dt.timedelta(days=60)).isoformat()),
                "outcome": "action_needed",
                "actions_agreed": "Book refresher training",
                **date_fields("actions_due_on", (today - dt.timedelta(days=5)).isoformat()),
            },
        ),
    )
    assert response.status_code == 302
    review = ContractReview.objects.get(contract=contract)
    assert review.reviewed_by == staff

    html = signed_in.get(_url("commissioner", commissioner), {"state": "action_needed"})
    assert "Elm House" in html.content.decode()
    assert "Actions from the contract review" in html.content.decode()

    detail = signed_in.get(_url("contract_detail", commissioner, contract.pk)).content.decode()
    assert "Overdue" in detail

    signed_in.post(
        _url("review_actions_completed", commissioner, review.pk),
        {**date_fields("completed_on", today.isoformat())},
    )
    html = signed_in.get(_url("commissioner", commissioner), {"state": "compliant"})
    assert "Elm House" in html.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {**date_fields("reviewed_on", "2999-01-01"), "outcome": "compliant"},
        {**date_fields("reviewed_on", "2026-01-01"), "outcome": "splendid"},
        {
            **date_fields("reviewed_on", "2026-01-01"),
            "outcome": "compliant",
            **date_fields("actions_due_on", "2026-02-01"),
        },
        {
            **date_fields("reviewed_on", "2026-01-01"),
            "outcome": "compliant",
            "actions_agreed": "Do it",
        },
        {
            **date_fields("reviewed_on", "2026-01-01"),
            "outcome": "compliant",
            "actions_agreed": "Do it",
            **date_fields("actions_due_on", "2025-12-01"),
        },
    ],
)
def test_bad_review_input_is_an_error_and_saves_nothing(signed_in, commissioner, data):
    contract = ContractFactory(commissioner=commissioner)
    response = signed_in.post(_url("review_new", commissioner, contract.pk), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not ContractReview.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"on": "0001-01-01"},
        {"on": "9999-12-31"},
        {"on": "yesterday"},
        {"state": "<script>"},
        {"region": "x" * 300},
        {"sort": "-pk"},
        {"page": "999"},
        {"page": "-1"},
        {"training_provider": "nobody", "body": "none"},
    ],
)
def test_bad_overview_queries_never_fail(signed_in, commissioner, services, query):
    for name in ("commissioner", "commissioner_export", "commissioner_report"):
        assert signed_in.get(_url(name, commissioner), query).status_code == 200
    exposure = signed_in.get(_url("commissioner_exposure", commissioner), query)
    assert exposure.status_code == 200


# Access: staff of another commissioner, service provider staff and anonymous users.


def _all_urls(commissioner, contract, review, service):
    return [
        _url("commissioner", commissioner),
        _url("commissioner_export", commissioner),
        _url("commissioner_report", commissioner),
        _url("commissioner_exposure", commissioner),
        _url("commissioner_service", commissioner, service.slug),
        _url("contract_list", commissioner),
        _url("contract_new", commissioner),
        _url("contract_import", commissioner),
        _url("contract_detail", commissioner, contract.pk),
        _url("contract_edit", commissioner, contract.pk),
        _url("contract_end", commissioner, contract.pk),
        _url("review_new", commissioner, contract.pk),
        _url("review_actions_completed", commissioner, review.pk),
    ]


@pytest.fixture
def pages_of_a(commissioner):
    service, contract = _service(commissioner, "Elm House")
    review = ContractReviewFactory(
        contract=contract, actions_agreed="Do it", actions_due_on=dt.date(2026, 3, 1)
    )
    return _all_urls(commissioner, contract, review, service)


def test_every_page_works_for_its_own_staff(signed_in, pages_of_a):
    for url in pages_of_a:
        assert signed_in.get(url).status_code == 200, url


def test_another_commissioners_staff_get_404_on_every_page_and_form(client, pages_of_a):
    outsider = MembershipFactory.of(CommissionerFactory()).user
    client.force_login(outsider)
    for url in pages_of_a:
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"reference": "X", **date_fields("ends_on", "2026-09-01")}).status_code
            == 404
        )
    assert Contract.objects.count() == 1


def test_service_provider_staff_even_of_the_contracted_service_get_404(client, commissioner):
    service, contract = _service(commissioner, "Elm House")
    client.force_login(MembershipFactory.of(service).user)
    assert client.get(_url("commissioner", commissioner)).status_code == 404
    assert client.get(_url("contract_detail", commissioner, contract.pk)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, pages_of_a):
    for url in pages_of_a:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")


def test_a_contract_of_another_commissioner_is_404_under_my_slug(signed_in, commissioner):
    theirs = ContractFactory()
    for name in ("contract_detail", "contract_edit", "contract_end", "review_new"):
        assert signed_in.get(_url(name, commissioner, theirs.pk)).status_code == 404


# Query budgets: the overview, its export and its report do not grow with contracts.


def _commissioner_with(n, providers):
    commissioner = CommissionerFactory()
    checker = UserFactory()
    for i in range(n):
        service = ServiceProviderFactory()
        contract = ContractFactory(commissioner=commissioner, service_provider=service)
        for provider in (providers[i % 3], providers[(i + 1) % 3], providers[3]):
            arrangement = TrainingArrangementFactory(
                service_provider=service, training_provider=provider
            )
            ComplianceCheckFactory(arrangement=arrangement, checked_by=checker)
        if i % 2:
            ContractReviewFactory(contract=contract, reviewed_by=checker)
    return commissioner, MembershipFactory.of(commissioner).user


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["commissioner", "commissioner_export", "commissioner_report"])
def test_overview_pages_query_budget_does_not_grow_with_contracts(client, name):
    providers = [TrainingProviderFactory() for _ in range(4)]
    for provider in providers:
        CertificationFactory(provider=provider)
    small, small_user = _commissioner_with(3, providers)
    large, large_user = _commissioner_with(30, providers)
    client.force_login(small_user)
    small_count = _queries(client, _url(name, small))
    client.force_login(large_user)
    large_count = _queries(client, _url(name, large))
    assert large_count == small_count
    assert large_count <= 30


# Alerts: commissioner staff hear about changes affecting any contracted service.


def test_commissioner_staff_get_one_alert_per_affected_service_once(
    commissioner, staff, services, certified, today
):
    other_commissioner_staff = MembershipFactory.of(CommissionerFactory()).user
    move_certification(
        certified.certifications.get(),
        Status.SUSPENDED,
        effective_date=today,
        reason="Audit findings",
        today=today,
    )
    created = send_due_alerts(today)
    mine = [a for a in created if a.commissioner == commissioner]
    assert [a.recipient for a in mine] == [staff]
    assert "Elm House" in mine[0].subject
    assert "suspended" in mine[0].subject
    assert staff.email in [m.to[0] for m in mail.outbox]
    assert not Alert.objects.filter(recipient=other_commissioner_staff).exists()
    assert [a for a in send_due_alerts(today) if a.commissioner == commissioner] == []


def test_import_of_a_file_with_a_nul_byte_in_a_cell_is_refused_whole(signed_in, commissioner):
    # PostgreSQL cannot compare text with a NUL in it: the file is refused before any query.
    ServiceProviderFactory(name="Elm House")
    text = "reference,service provider,starts on\nIM-1,Elm\x00House,2026-04-01\n"
    upload = SimpleUploadedFile("c.csv", text.encode(), content_type="text/csv")
    response = signed_in.post(_url("contract_import", commissioner), {"file": upload})
    assert response.status_code == 200
    assert "not a CSV file (it contains binary data)" in response.content.decode()
    assert not Contract.objects.filter(reference="IM-1").exists()


def test_a_filtered_overview_of_many_services_pages_with_its_filters(
    signed_in, commissioner, certified
):
    """More services than a page shows, with a query string: the page links keep the
    filters (the links' query once collided with the downloads' and the page was a 500)."""
    for number in range(30):
        _service(commissioner, f"Home {number:02}", certified)
    on = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = signed_in.get(_url("commissioner", commissioner), {"on": on, "sort": "service"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"?on={on}&amp;sort=service&amp;page=2" in html
    assert f'export.csv?on={on}&amp;sort=service" download' in html
    second = signed_in.get(
        _url("commissioner", commissioner), {"on": on, "sort": "service", "page": "2"}
    )
    assert second.status_code == 200
    assert "Home 29" in second.content.decode()
    assert "Home 29" not in html


def test_a_member_marks_an_alert_their_list_shows_read_and_no_other(signed_in, commissioner, staff):
    shown = AlertFactory(
        recipient=staff, commissioner=commissioner, kind=Alert.Kind.CONTRACT_CONFIRMED
    )
    colleague = MembershipFactory.of(commissioner).user
    theirs = AlertFactory(
        recipient=colleague, commissioner=commissioner, kind=Alert.Kind.CONTRACT_CONFIRMED
    )
    # News about a service that does not share its records with the commissioner: not on
    # the member's list, so not theirs to mark either.
    hidden = AlertFactory(recipient=staff, commissioner=commissioner, key="co0:sp0:news")

    response = signed_in.post(_url("commissioner_alert_read", commissioner, shown.pk))
    assert response.status_code == 302
    for alert in (theirs, hidden):
        assert (
            signed_in.post(_url("commissioner_alert_read", commissioner, alert.pk)).status_code
            == 404
        )
    for alert in (shown, theirs, hidden):
        alert.refresh_from_db()
    assert shown.read_at is not None
    assert theirs.read_at is None and hidden.read_at is None
