"""A contract a commissioner records is a claim: only when the service provider's staff confirm
it does the commissioner see the service's private records (arrangements, checks, evidence,
notes), while it runs and for settings.CONTRACT_ACCESS_AFTER_END_MONTHS after it ends.

The story of the hole it closes: commissioner B types care home A's CQC location ID into "Add a
contract" and reads A's checks, evidence and private notes at once.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.calendar import months_before
from certification.services import move_certification
from certification.statuses import Status
from compliance import consent
from compliance.alerts import send_due_alerts
from compliance.contract_import import apply_contracts, read_contracts
from compliance.models import Alert, Contract
from derived import generation
from tests.factories import (
    AlertFactory,
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
)
from tests.form_dates import date_fields
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
                **date_fields("starts_on", "2025-04-01"),
                "requires_certified_training": "yes",
                **fields,
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Contract.objects.get(commissioner=commissioner, reference=reference)


def answer_form(client, service, contract, verb):
    """The fields of the Confirm (or Decline) form on the service's contracts page."""
    url = f"/compliance/service-providers/{service.slug}/contracts/{contract.pk}/{verb}/"
    page = client.get(f"/compliance/service-providers/{service.slug}/contracts/").content.decode()
    form = re.search(rf'<form method="post" action="{re.escape(url)}">(.*?)</form>', page, re.S)
    assert form, f"no {verb} form for {contract}"
    return url, dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form[1]))


def answer(client, service, contract, verb, capture, form=None):
    """Press Confirm (or Decline) on the contracts page, or post the `form` seen earlier."""
    url, data = form or answer_form(client, service, contract, verb)
    with capture(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    contract.refresh_from_db()
    return response


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


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
    form = answer_form(client, care_home, contract, "confirm")  # in another tab
    answer(client, care_home, contract, "decline", django_capture_on_commit_callbacks)
    response = answer(
        client, care_home, contract, "confirm", django_capture_on_commit_callbacks, form=form
    )
    assert contract.confirmation == Contract.Confirmation.DECLINED
    assert any("already answered" in m for m in messages_of(response))
    assert Alert.objects.filter(kind=Alert.Kind.CONTRACT_CONFIRMED).count() == 0


def test_an_answer_from_a_copy_loaded_before_another_answer_records_nothing(
    care_home, care_staff, commissioner, commissioner_staff, django_capture_on_commit_callbacks
):
    """Two answers at once: both views loaded the contract pending; the second to write finds
    it answered (the conditional update matches no row)."""
    contract = ContractFactory(commissioner=commissioner, service_provider=care_home, pending=True)
    first, second = Contract.objects.get(pk=contract.pk), Contract.objects.get(pk=contract.pk)
    with django_capture_on_commit_callbacks(execute=True):
        consent.decide(first, care_staff, confirm=False, terms=first.terms_fingerprint())
        with pytest.raises(consent.AlreadyDecided):
            consent.decide(second, care_staff, confirm=True, terms=second.terms_fingerprint())
    contract.refresh_from_db()
    assert contract.confirmation == Contract.Confirmation.DECLINED
    assert [a.kind for a in Alert.objects.filter(recipient=commissioner_staff)] == [
        Alert.Kind.CONTRACT_DECLINED
    ]


def test_an_answer_is_one_conditional_update_that_needs_no_row_lock(care_home, care_staff):
    """SQLite has no SELECT ... FOR UPDATE: a read before the write would let two answers at
    once both hold a read lock and one fail with "database is locked" (a 503). The answer's
    first statement writes the row, so the second waits for the first instead."""
    contract = ContractFactory(service_provider=care_home, pending=True)
    with CaptureQueriesContext(connection) as queries:
        consent.decide(contract, care_staff, confirm=True, terms=contract.terms_fingerprint())
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert statements[0].startswith('UPDATE "compliance_contract"'), statements
    assert not any(s.startswith("SELECT") and "compliance_contract" in s for s in statements)
    assert not any("FOR UPDATE" in s for s in statements)
    contract.refresh_from_db()
    assert contract.confirmation == Contract.Confirmation.CONFIRMED


# An answer is to the terms the service provider saw


@pytest.mark.parametrize(
    ("verb", "change"),
    [
        ("confirm", {"ends_on": ""}),  # no end any more
        ("confirm", {"starts_on": "2023-04-01"}),
        ("confirm", {"ends_on": "2025-12-31"}),  # narrower is a change too
        ("confirm", {"reference": "RC-2"}),
        ("confirm", {"requires_certified_training": "no"}),
        ("decline", {"ends_on": ""}),
    ],
)
def test_an_answer_to_terms_changed_since_the_page_was_opened_records_nothing(
    client,
    care_home,
    care_staff,
    commissioner,
    commissioner_staff,
    django_capture_on_commit_callbacks,
    verb,
    change,
):
    contract = ContractFactory(
        commissioner=commissioner,
        service_provider=care_home,
        reference="RC-1",
        pending=True,
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    client.force_login(care_staff)
    seen = answer_form(client, care_home, contract, verb)

    client.force_login(commissioner_staff)
    edit = client.post(
        f"/compliance/commissioners/{commissioner.slug}/contracts/{contract.pk}/edit/",
        {
            "reference": "RC-1",
            **date_fields("starts_on", change.get("starts_on", "2024-04-01")),
            **date_fields("ends_on", change.get("ends_on", "2026-03-31")),
            "requires_certified_training": "yes",
            **{k: v for k, v in change.items() if k not in ("starts_on", "ends_on")},
        },
    )
    assert edit.status_code == 302

    client.force_login(care_staff)
    response = answer(
        client, care_home, contract, verb, django_capture_on_commit_callbacks, form=seen
    )
    assert contract.confirmation == Contract.Confirmation.PENDING
    assert contract.decided_by is None
    assert any(
        m.endswith("after you opened the page: check it again") for m in messages_of(response)
    ), messages_of(response)
    assert not Alert.objects.exists()

    # The page opened again shows the new terms, and the answer to them is recorded.
    answer(client, care_home, contract, verb, django_capture_on_commit_callbacks)
    assert contract.confirmation != Contract.Confirmation.PENDING
    assert contract.decided_by == care_staff


def test_an_answer_without_the_terms_shown_records_nothing(
    client, care_home, care_staff, commissioner, django_capture_on_commit_callbacks
):
    contract = ContractFactory(commissioner=commissioner, service_provider=care_home, pending=True)
    client.force_login(care_staff)
    url = f"/compliance/service-providers/{care_home.slug}/contracts/{contract.pk}/confirm/"
    for data in ({}, {"terms": ""}, {"terms": "not a fingerprint"}, {"terms": ["a", "b"]}):
        answer(
            client, care_home, contract, "confirm", django_capture_on_commit_callbacks, (url, data)
        )
        assert contract.confirmation == Contract.Confirmation.PENDING


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
            **date_fields("starts_on", "2024-04-01"),
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
            **date_fields("starts_on", starts_on),
            **date_fields("ends_on", ends_on),
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
    client.post(url, {**date_fields("ends_on", "2026-01-31")})
    contract.refresh_from_db()
    assert contract.confirmation == Contract.Confirmation.CONFIRMED
    client.post(url, {**date_fields("ends_on", "2027-01-31")})
    contract.refresh_from_db()
    assert contract.confirmation == Contract.Confirmation.PENDING


# An answer given while the commissioner edits the contract


def answered_meanwhile(contract_pk, user, confirmation):
    """The service provider's answer, written to the row as decide() writes it."""
    Contract.objects.filter(pk=contract_pk).update(
        confirmation=confirmation, decided_by=user, decided_at=timezone.now()
    )


@pytest.mark.parametrize(
    ("ends_on", "answer_given", "answer_kept"),
    [
        ("2026-03-31", "confirmed", "confirmed"),  # only the reference changes
        ("2026-03-31", "declined", "declined"),
        ("2025-12-31", "confirmed", "confirmed"),  # narrower
        ("", "confirmed", "pending"),  # wider than what was confirmed: asked again
        ("", "declined", "declined"),
    ],
)
def test_an_edit_never_overwrites_an_answer_given_while_it_was_saved(
    client,
    monkeypatch,
    care_home,
    care_staff,
    commissioner,
    commissioner_staff,
    ends_on,
    answer_given,
    answer_kept,
):
    from compliance import commissioner_views

    contract = ContractFactory(
        commissioner=commissioner,
        service_provider=care_home,
        pending=True,
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    load = commissioner_views._contract_of

    def loaded_then_answered(*args):
        loaded = load(*args)
        answered_meanwhile(loaded.pk, care_staff, answer_given)
        return loaded

    monkeypatch.setattr(commissioner_views, "_contract_of", loaded_then_answered)
    client.force_login(commissioner_staff)
    response = client.post(
        f"/compliance/commissioners/{commissioner.slug}/contracts/{contract.pk}/edit/",
        {
            "reference": "RC-2",
            **date_fields("starts_on", "2024-04-01"),
            **date_fields("ends_on", ends_on),
            "requires_certified_training": "yes",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.reference == "RC-2"
    assert contract.confirmation == answer_kept
    assert (contract.decided_by == care_staff) is (answer_kept != "pending")


def test_widening_from_a_stale_copy_withdraws_a_confirmation_given_since(
    care_home, care_staff, commissioner
):
    """An end date moved (the end form, an import) from a copy loaded while the contract was
    pending, after the service provider confirmed the narrower dates: asked again."""
    contract = ContractFactory(
        commissioner=commissioner, service_provider=care_home, pending=True, ends_on=None
    )
    contract.ends_on = contract.starts_on + dt.timedelta(days=30)
    contract.save(update_fields=["ends_on"])
    stale = Contract.objects.get(pk=contract.pk)
    answered_meanwhile(contract.pk, care_staff, Contract.Confirmation.CONFIRMED)

    stale.ends_on = None
    stale.save(update_fields=["ends_on"])

    assert stale.confirmation == Contract.Confirmation.PENDING  # the copy says so too
    contract.refresh_from_db()
    assert contract.ends_on is None
    assert contract.confirmation == Contract.Confirmation.PENDING
    assert contract.decided_by is None and contract.decided_at is None


def test_in_the_admin_a_change_never_overwrites_the_answer(
    admin_client, monkeypatch, care_home, care_staff, commissioner
):
    from compliance.admin import ContractAdmin

    contract = ContractFactory(commissioner=commissioner, service_provider=care_home, pending=True)
    save_model = ContractAdmin.save_model

    def answered_then_saved(self, request, obj, *args):
        answered_meanwhile(obj.pk, care_staff, Contract.Confirmation.DECLINED)
        return save_model(self, request, obj, *args)

    monkeypatch.setattr(ContractAdmin, "save_model", answered_then_saved)
    response = admin_client.post(
        f"/admin/compliance/contract/{contract.pk}/change/",
        {
            "reference": "RC-9",
            **date_fields("starts_on", contract.starts_on),
            "requires_certified_training": "on",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.reference == "RC-9"
    assert contract.confirmation == Contract.Confirmation.DECLINED


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
            **date_fields("starts_on", dt.date(2024, 4, 1)),
            "requires_certified_training": "on",
            "confirmation": "confirmed",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.service_provider == care_home
    assert contract.commissioner == commissioner
    assert contract.confirmation == Contract.Confirmation.PENDING


@pytest.mark.parametrize(
    ("contract", "shown"),
    [
        ({}, True),
        ({"pending": True}, False),  # widened since the alert: asked again
        ({"declined": True}, False),
        ({"ends_on": months_before(timezone.localdate(), 13)}, False),
        (None, False),  # no contract any more
    ],
)
def test_the_overview_shows_news_of_a_services_training_only_while_it_shares_its_records(
    client, care_home, commissioner, commissioner_staff, contract, shown
):
    """An alert kept from when the service shared its records (or from before services
    confirmed contracts) says which training provider it uses."""
    if contract is not None:
        ContractFactory(
            commissioner=commissioner,
            service_provider=care_home,
            starts_on=dt.date(2020, 1, 1),
            **contract,
        )
    other = ServiceProviderFactory(name="Oak Lodge")
    ContractFactory(commissioner=commissioner, service_provider=other, reference="RC-OAK")
    prefix = f"co{commissioner.pk}:sp"
    for key, subject in [
        (f"{prefix}{care_home.pk}:event:1", "Elm House: Calm Hands Training: suspended"),
        # The key of a service whose id only starts with that of a shared one.
        (f"{prefix}{other.pk}0:event:2", "Another service: Strong Arms Ltd: suspended"),
        (f"{prefix}{other.pk}:event:3", "Oak Lodge: Kind Ways: certified"),
        (f"co{commissioner.pk}:contract1:declined:1", "Elm House declined contract RC-9"),
    ]:
        AlertFactory(
            recipient=commissioner_staff, commissioner=commissioner, key=key, subject=subject
        )
    AlertFactory(
        recipient=commissioner_staff,
        commissioner=commissioner,
        kind=Alert.Kind.CONTRACT_DECLINED,
        key=f"co{commissioner.pk}:contract2:declined:1",
        subject="Elm House declined contract RC-8",
    )
    client.force_login(commissioner_staff)
    response = client.get(f"/compliance/commissioners/{commissioner.slug}/")
    listed = {alert.subject for alert in response.context["alert_summary"]["alerts"]}
    assert listed == {
        *(["Elm House: Calm Hands Training: suspended"] if shown else []),
        "Oak Lodge: Kind Ways: certified",
        "Elm House declined contract RC-8",
    }
    text = response.content.decode()
    assert ("Calm Hands Training" in text) is shown
    assert "Strong Arms Ltd" not in text


def test_news_sent_while_a_contract_granted_access_goes_when_the_contract_is_widened(
    client, care_home, commissioner, commissioner_staff
):
    today = timezone.localdate()
    contract = ContractFactory(
        commissioner=commissioner,
        service_provider=care_home,
        starts_on=dt.date(2020, 1, 1),
        ends_on=today + dt.timedelta(days=300),
    )
    certification = care_home.training_arrangements.get().training_provider.certifications.get()
    move_certification(
        certification, Status.SUSPENDED, effective_date=today, reason="Audit", today=today
    )
    (alert,) = [a for a in send_due_alerts(today) if a.recipient == commissioner_staff]
    overview = f"/compliance/commissioners/{commissioner.slug}/"
    client.force_login(commissioner_staff)
    assert alert.subject in client.get(overview).content.decode()

    contract.ends_on = None
    contract.save(update_fields=["ends_on"])
    assert contract.is_pending
    text = client.get(overview).content.decode()
    assert alert.subject not in text
    assert "Calm Hands Training" not in text
