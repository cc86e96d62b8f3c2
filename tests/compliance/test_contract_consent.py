"""A contract a commissioner records is a claim: only when the service provider's staff confirm
it does the commissioner see the service's private records (arrangements, checks, evidence,
notes), while it runs and for settings.CONTRACT_ACCESS_AFTER_END_MONTHS after it ends.

The story of the hole it closes: commissioner B types care home A's CQC location ID into "Add a
contract" and reads A's checks, evidence and private notes at once.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from certification.services import move_certification
from certification.statuses import Status
from compliance import generation
from compliance.alerts import send_due_alerts
from compliance.contract_import import apply_contracts, read_contracts
from compliance.models import Alert, Contract, months_before
from tests.factories import (
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
)
from tests.form_tokens import with_token

pytestmark = pytest.mark.django_db

EVIDENCE = "Copy of certificate RRN-7 seen in the office of the manager"
NOTES = "The trainer was late twice: raise it at the next review"


@pytest.fixture
def care_home():
    """Service provider A, with a member, a training provider and a check with notes."""
    service = ServiceProviderFactory(name="Elm House", cqc_location_id="1-2000000001")
    provider = TrainingProviderFactory(name="Calm Hands Training")
    CertificationFactory(provider=provider, valid_until=timezone.localdate() + dt.timedelta(400))
    arrangement = TrainingArrangementFactory(service_provider=service, training_provider=provider)
    ComplianceCheckFactory(arrangement=arrangement, evidence=EVIDENCE, notes=NOTES)
    return service


@pytest.fixture
def care_staff(care_home):
    return MembershipFactory.of(care_home).user


@pytest.fixture
def commissioner():
    """Commissioner B, who has no contract with Elm House yet."""
    return CommissionerFactory(name="Riverside Council", slug="riverside")


@pytest.fixture
def commissioner_staff(commissioner):
    return MembershipFactory.of(commissioner).user


def service_page(client, commissioner, service):
    return client.get(f"/compliance/commissioners/{commissioner.slug}/services/{service.slug}/")


def sees_private_records(client, commissioner, service):
    response = service_page(client, commissioner, service)
    assert response.status_code == 200
    text = response.content.decode()
    shown = [t in text for t in (EVIDENCE, NOTES, "Calm Hands Training")]
    assert all(shown) or not any(shown), shown
    return all(shown)


def add_contract(client, commissioner, reference="RC-1", **fields):
    response = client.post(
        f"/compliance/commissioners/{commissioner.slug}/contracts/new/",
        with_token(
            get_user(client),
            {
                "reference": reference,
                "service_provider_text": "1-2000000001",
                "starts_on": "2025-04-01",
                "requires_certified_training": "yes",
                **fields,
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Contract.objects.get(commissioner=commissioner, reference=reference)


def answer(client, service, contract, verb, capture):
    with capture(execute=True):
        response = client.post(
            f"/compliance/service-providers/{service.slug}/contracts/{contract.pk}/{verb}/"
        )
    assert response.status_code == 302
    contract.refresh_from_db()
    return response


# The claim and the answer


def test_a_recorded_contract_shows_nothing_private_until_the_service_confirms_it(
    client,
    care_home,
    care_staff,
    commissioner,
    commissioner_staff,
    django_capture_on_commit_callbacks,
):
    client.force_login(commissioner_staff)
    contract = add_contract(client, commissioner)
    assert contract.confirmation == Contract.Confirmation.PENDING
    assert not sees_private_records(client, commissioner, care_home)
    page = service_page(client, commissioner, care_home).content.decode()
    assert "Waiting for Elm House to confirm" in page

    client.force_login(care_staff)
    dashboard = client.get(f"/compliance/service-providers/{care_home.slug}/").content.decode()
    assert "Contracts to confirm" in dashboard
    assert "Riverside Council: contract RC-1" in dashboard
    answer(client, care_home, contract, "confirm", django_capture_on_commit_callbacks)
    assert contract.confirmation == Contract.Confirmation.CONFIRMED
    assert contract.decided_by == care_staff
    assert timezone.now() - contract.decided_at < dt.timedelta(minutes=1)

    client.force_login(commissioner_staff)
    assert sees_private_records(client, commissioner, care_home)


def test_a_declined_contract_shows_nothing_private_and_says_who_declined(
    client,
    care_home,
    care_staff,
    commissioner,
    commissioner_staff,
    django_capture_on_commit_callbacks,
):
    client.force_login(commissioner_staff)
    contract = add_contract(client, commissioner)
    client.force_login(care_staff)
    answer(client, care_home, contract, "decline", django_capture_on_commit_callbacks)
    assert contract.confirmation == Contract.Confirmation.DECLINED
    assert contract.decided_by == care_staff

    client.force_login(commissioner_staff)
    assert not sees_private_records(client, commissioner, care_home)
    today = timezone.localdate()
    declined = f"Declined by Elm House on {today.day} {today:%B %Y}"
    assert declined in service_page(client, commissioner, care_home).content.decode()
    contracts = client.get(f"/compliance/commissioners/{commissioner.slug}/contracts/")
    assert declined in contracts.content.decode()


def test_a_contract_is_answered_once(
    client, care_home, care_staff, commissioner, django_capture_on_commit_callbacks
):
    contract = ContractFactory(commissioner=commissioner, service_provider=care_home, pending=True)
    client.force_login(care_staff)
    answer(client, care_home, contract, "decline", django_capture_on_commit_callbacks)
    response = answer(client, care_home, contract, "confirm", django_capture_on_commit_callbacks)
    assert contract.confirmation == Contract.Confirmation.DECLINED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already answered" in m for m in messages)


def test_only_the_service_providers_own_staff_answer_its_contracts(
    client, care_home, commissioner, commissioner_staff
):
    contract = ContractFactory(commissioner=commissioner, service_provider=care_home, pending=True)
    other_service = ServiceProviderFactory()
    other_staff = MembershipFactory.of(other_service).user
    for user, slug in [
        (commissioner_staff, care_home.slug),  # the commissioner cannot confirm its own claim
        (other_staff, care_home.slug),
        (other_staff, other_service.slug),  # nor through their own service's address
    ]:
        client.force_login(user)
        url = f"/compliance/service-providers/{slug}/contracts/{contract.pk}/confirm/"
        assert client.post(url).status_code == 404
        assert client.get(url).status_code in (404, 405)
    contract.refresh_from_db()
    assert contract.confirmation == Contract.Confirmation.PENDING


# How long a confirmed contract shows the records


@pytest.mark.parametrize(
    ("ended_months_ago", "and_days", "shown"),
    [
        (None, 0, True),  # no end date
        (0, 0, True),  # ends today
        (11, 0, True),
        (12, 0, True),  # the last day of the 12 months after it ended
        (12, 1, False),
        (13, 0, False),
        (300, 0, False),
    ],
)
def test_a_confirmed_contract_shows_the_records_until_months_after_it_ends(
    client, care_home, commissioner, commissioner_staff, ended_months_ago, and_days, shown
):
    ends_on = None
    if ended_months_ago is not None:
        ends_on = months_before(timezone.localdate(), ended_months_ago)
        ends_on -= dt.timedelta(days=and_days)
    ContractFactory(
        commissioner=commissioner,
        service_provider=care_home,
        starts_on=dt.date(2000, 1, 1),
        ends_on=ends_on,
    )
    client.force_login(commissioner_staff)
    assert sees_private_records(client, commissioner, care_home) is shown


def test_the_period_after_the_end_is_a_setting(
    client, settings, care_home, commissioner, commissioner_staff
):
    ContractFactory(
        commissioner=commissioner,
        service_provider=care_home,
        starts_on=dt.date(2020, 1, 1),
        ends_on=timezone.localdate() - dt.timedelta(days=60),
    )
    client.force_login(commissioner_staff)
    assert sees_private_records(client, commissioner, care_home)
    settings.CONTRACT_ACCESS_AFTER_END_MONTHS = 1
    assert not sees_private_records(client, commissioner, care_home)


def test_a_confirmed_contract_not_yet_started_shows_nothing_yet(
    client, care_home, commissioner, commissioner_staff
):
    ContractFactory(
        commissioner=commissioner,
        service_provider=care_home,
        starts_on=timezone.localdate() + dt.timedelta(days=30),
    )
    client.force_login(commissioner_staff)
    assert not sees_private_records(client, commissioner, care_home)


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(dt.date(2026, 12, 1), 12) == dt.date(2025, 12, 1)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


# The overview, its export, the report and the exposure question


def test_the_overview_lists_a_claim_without_its_state_and_leaves_it_out_of_the_counts(
    client, care_home, commissioner, commissioner_staff
):
    ContractFactory(
        commissioner=commissioner, service_provider=care_home, reference="RC-7", pending=True
    )
    client.force_login(commissioner_staff)
    response = client.get(f"/compliance/commissioners/{commissioner.slug}/")
    text = response.content.decode()
    assert "Waiting for Elm House to confirm" in text
    assert "Calm Hands Training" not in text  # nor in the training provider filter
    (row,) = response.context["page_obj"].object_list
    assert not row.shared and row.state is None and row.arrangements == []
    assert 'data-count="not_shared">1<' in text
    assert 'data-count="compliant">0<' in text

    export = client.get(f"/compliance/commissioners/{commissioner.slug}/export.csv")
    csv_text = b"".join(export.streaming_content).decode()
    assert "Not shared: Waiting for Elm House to confirm" in csv_text
    assert "Calm Hands Training" not in csv_text

    report = client.get(f"/compliance/commissioners/{commissioner.slug}/report/").content.decode()
    assert "Elm House" not in report

    exposure = client.get(
        f"/compliance/commissioners/{commissioner.slug}/exposure/",
        {"training_provider": "calm-hands-training"},
    )
    assert exposure.status_code == 200
    assert exposure.context["rows"] is None  # not a choice: the provider is not shared


def test_the_overview_as_of_a_past_day_shows_nothing_of_an_ended_contract(
    client, care_home, commissioner, commissioner_staff
):
    ContractFactory(
        commissioner=commissioner,
        service_provider=care_home,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2022, 12, 31),
    )
    client.force_login(commissioner_staff)
    response = client.get(f"/compliance/commissioners/{commissioner.slug}/", {"on": "2021-06-01"})
    (row,) = response.context["page_obj"].object_list
    assert not row.shared
    assert "Calm Hands Training" not in response.content.decode()


def test_confirming_shows_at_once_on_the_kept_overview(
    client,
    care_home,
    care_staff,
    commissioner,
    commissioner_staff,
    django_capture_on_commit_callbacks,
):
    contract = ContractFactory(commissioner=commissioner, service_provider=care_home, pending=True)
    overview = f"/compliance/commissioners/{commissioner.slug}/"
    client.force_login(commissioner_staff)
    assert "Calm Hands Training" not in client.get(overview).content.decode()
    before = generation.current()

    client.force_login(care_staff)
    answer(client, care_home, contract, "confirm", django_capture_on_commit_callbacks)
    assert generation.current() != before

    client.force_login(commissioner_staff)
    assert "Calm Hands Training" in client.get(overview).content.decode()


# Imports make claims too


def test_an_import_makes_pending_claims(care_home, commissioner):
    text = "reference,service provider,starts on\nRC-1,1-2000000001,2025-04-01\n"
    preview = read_contracts(commissioner, text)
    assert [r.action for r in preview.rows] == ["new"]
    apply_contracts(commissioner, text)
    contract = Contract.objects.get(reference="RC-1")
    assert contract.confirmation == Contract.Confirmation.PENDING
    assert contract.decided_by is None and contract.decided_at is None


def test_an_import_moving_a_confirmed_contracts_dates_outwards_asks_again(care_home, commissioner):
    ContractFactory(
        commissioner=commissioner,
        service_provider=care_home,
        reference="RC-1",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    later = "reference,service provider,starts on,ends on\nRC-1,Elm House,2025-04-01,2030-03-31\n"
    (row,) = read_contracts(commissioner, later).rows
    assert row.asks_again
    apply_contracts(commissioner, later)
    assert Contract.objects.get(reference="RC-1").confirmation == Contract.Confirmation.PENDING


# Editing a contract does not carry consent further


def test_a_contracts_service_provider_never_changes(care_home, commissioner):
    contract = ContractFactory(commissioner=commissioner, service_provider=care_home)
    contract.service_provider = ServiceProviderFactory()
    with pytest.raises(PermissionError):
        contract.save()
    contract.refresh_from_db()
    assert contract.service_provider == care_home


def test_the_edit_form_cannot_move_a_contract_to_another_service(
    client, care_home, commissioner, commissioner_staff
):
    contract = ContractFactory(commissioner=commissioner, service_provider=care_home)
    other = ServiceProviderFactory(name="Oak Lodge", cqc_location_id="1-3000000001")
    client.force_login(commissioner_staff)
    client.post(
        f"/compliance/commissioners/{commissioner.slug}/contracts/{contract.pk}/edit/",
        {
            "reference": contract.reference,
            "service_provider_text": other.cqc_location_id,
            "starts_on": "2024-04-01",
            "requires_certified_training": "yes",
        },
    )
    contract.refresh_from_db()
    assert contract.service_provider == care_home
    assert contract.confirmation == Contract.Confirmation.CONFIRMED


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "still_confirmed"),
    [
        ("2024-04-01", "2026-03-31", True),  # unchanged
        ("2024-06-01", "2025-12-31", True),  # narrower
        ("2024-01-01", "2026-03-31", False),  # starts earlier
        ("2024-04-01", "2028-03-31", False),  # ends later
        ("2024-04-01", "", False),  # no end any more
    ],
)
def test_editing_a_confirmed_contracts_dates_outwards_asks_the_service_again(
    client, care_home, commissioner, commissioner_staff, starts_on, ends_on, still_confirmed
):
    contract = ContractFactory(
        commissioner=commissioner,
        service_provider=care_home,
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    client.force_login(commissioner_staff)
    response = client.post(
        f"/compliance/commissioners/{commissioner.slug}/contracts/{contract.pk}/edit/",
        {
            "reference": contract.reference,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "requires_certified_training": "yes",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.confirmation == Contract.Confirmation.CONFIRMED) is still_confirmed
    assert (contract.decided_by is not None) is still_confirmed


def test_ending_a_confirmed_contract_later_than_agreed_asks_again(
    client, care_home, commissioner, commissioner_staff
):
    contract = ContractFactory(
        commissioner=commissioner, service_provider=care_home, ends_on=dt.date(2026, 3, 31)
    )
    client.force_login(commissioner_staff)
    url = f"/compliance/commissioners/{commissioner.slug}/contracts/{contract.pk}/end/"
    client.post(url, {"ends_on": "2026-01-31"})
    contract.refresh_from_db()
    assert contract.confirmation == Contract.Confirmation.CONFIRMED
    client.post(url, {"ends_on": "2027-01-31"})
    contract.refresh_from_db()
    assert contract.confirmation == Contract.Confirmation.PENDING


# The rules in the database


@pytest.mark.parametrize(
    "fields",
    [
        {"confirmation": "confirmed", "decided_by": None},
        {"confirmation": "declined", "decided_at": None},
        {"confirmation": "pending"},  # still says who decided and when
        {"confirmation": "maybe"},
    ],
)
def test_the_database_refuses_an_answer_without_who_and_when(care_home, commissioner, fields):
    contract = ContractFactory(commissioner=commissioner, service_provider=care_home)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(**fields)


# Alerts


def test_the_commissioner_is_told_of_the_answer(
    client,
    care_home,
    care_staff,
    commissioner,
    commissioner_staff,
    django_capture_on_commit_callbacks,
):
    confirmed = ContractFactory(
        commissioner=commissioner, service_provider=care_home, reference="RC-1", pending=True
    )
    declined = ContractFactory(
        commissioner=commissioner, service_provider=care_home, reference="RC-2", pending=True
    )
    outsider = MembershipFactory.of(CommissionerFactory()).user
    client.force_login(care_staff)
    answer(client, care_home, confirmed, "confirm", django_capture_on_commit_callbacks)
    answer(client, care_home, declined, "decline", django_capture_on_commit_callbacks)

    alerts = {a.kind: a for a in Alert.objects.filter(recipient=commissioner_staff)}
    assert set(alerts) == {Alert.Kind.CONTRACT_CONFIRMED, Alert.Kind.CONTRACT_DECLINED}
    assert alerts[Alert.Kind.CONTRACT_CONFIRMED].subject == "Elm House confirmed contract RC-1"
    assert alerts[Alert.Kind.CONTRACT_DECLINED].subject == "Elm House declined contract RC-2"
    assert all(a.commissioner == commissioner for a in alerts.values())
    assert sorted(m.subject for m in mail.outbox) == sorted(a.subject for a in alerts.values())
    assert not Alert.objects.filter(recipient=outsider).exists()
    # The alert job, run later, does not send them again.
    assert [a for a in send_due_alerts() if a.commissioner == commissioner] == []


def test_an_answer_whose_email_failed_is_alerted_by_the_next_alert_job(
    client,
    monkeypatch,
    care_home,
    care_staff,
    commissioner,
    commissioner_staff,
    django_capture_on_commit_callbacks,
):
    contract = ContractFactory(commissioner=commissioner, service_provider=care_home, pending=True)

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    client.force_login(care_staff)
    answer(client, care_home, contract, "confirm", django_capture_on_commit_callbacks)
    assert contract.confirmation == Contract.Confirmation.CONFIRMED  # the answer stands
    assert not Alert.objects.filter(recipient=commissioner_staff).exists()

    monkeypatch.undo()
    created = send_due_alerts()
    assert [(a.recipient, a.kind) for a in created] == [
        (commissioner_staff, Alert.Kind.CONTRACT_CONFIRMED)
    ]


def test_news_of_a_services_training_goes_only_to_commissioners_it_confirmed(care_home):
    today = timezone.localdate()
    staff = {}
    for case, fields in {
        "confirmed": {},
        "pending": {"pending": True},
        "declined": {"declined": True},
        "ended": {"ends_on": today - dt.timedelta(days=30)},
    }.items():
        commissioner = CommissionerFactory(name=f"{case} council")
        staff[case] = MembershipFactory.of(commissioner).user
        ContractFactory(commissioner=commissioner, service_provider=care_home, **fields)
    certification = care_home.training_arrangements.get().training_provider.certifications.get()
    move_certification(
        certification, Status.SUSPENDED, effective_date=today, reason="Audit", today=today
    )

    created = send_due_alerts(today)

    commissioners_told = {a.recipient for a in created if a.commissioner_id}
    assert commissioners_told == {staff["confirmed"]}


def test_in_the_admin_the_answer_and_the_service_provider_are_read_only(
    admin_client, care_home, commissioner
):
    contract = ContractFactory(commissioner=commissioner, service_provider=care_home, pending=True)
    other = ServiceProviderFactory()
    url = f"/admin/compliance/contract/{contract.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "reference": contract.reference,
            "service_provider": other.pk,
            "commissioner": CommissionerFactory().pk,
            "starts_on": "2024-04-01",
            "requires_certified_training": "on",
            "confirmation": "confirmed",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.service_provider == care_home
    assert contract.commissioner == commissioner
    assert contract.confirmation == Contract.Confirmation.PENDING
