"""Status moves as a deliberate act in the admin: only the allowed moves are offered, each
needs an effective date and a reason, and goes through `move_certification`."""

import datetime as dt
from itertools import product

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import Certification, CertificationEvent
from certification.services import move_certification
from certification.statuses import ALLOWED_MOVES, Status
from tests.factories import CertificationFactory
from tests.form_dates import date_fields, posted_dates

pytestmark = pytest.mark.django_db

MOVES = list(product(list(Status), list(Status)))


def _certification_in(status, body):
    return CertificationFactory(
        body=body,
        status=status,
        certified_on=dt.date(2025, 1, 1),
        valid_until=dt.date(2028, 1, 1),
        effective_date=dt.date(2025, 1, 1),
    )


def _move_url(certification):
    return reverse("admin:certification_certification_change_status", args=[certification.pk])


def _post_move(client, certification, to_status, **overrides):
    data = {
        "to_status": to_status,
        **date_fields("effective_date", timezone.localdate().isoformat()),
        "reason": "Surveillance visit found trainers without current certificates",
        "version": certification.version,
    }
    if to_status == Status.CERTIFIED:
        data |= {
            "certificate_number": f"RRN-NEW-{certification.pk}",
            **date_fields("certified_on", timezone.localdate().isoformat()),
            **date_fields(
                "valid_until", (timezone.localdate() + dt.timedelta(days=3 * 365)).isoformat()
            ),
        }
    data = posted_dates(data | overrides, ("effective_date", "certified_on", "valid_until"))
    return client.post(_move_url(certification), data)


@pytest.mark.parametrize("status", list(Status))
def test_change_status_page_offers_only_the_allowed_moves(client, certifier_a, body_a, status):
    certification = _certification_in(status, body_a)
    client.force_login(certifier_a)
    response = client.get(_move_url(certification))
    assert response.status_code == 200
    offered = {value for value, _ in response.context["form"].fields["to_status"].choices}
    assert offered == set(ALLOWED_MOVES[status])


@pytest.mark.parametrize(("from_status", "to_status"), MOVES)
def test_every_move_through_the_admin_is_allowed_only_as_listed(
    client, certifier_a, body_a, from_status, to_status
):
    certification = _certification_in(from_status, body_a)
    events_before = certification.events.count()
    client.force_login(certifier_a)
    response = _post_move(client, certification, to_status)
    certification.refresh_from_db()
    if to_status in ALLOWED_MOVES[from_status]:
        assert response.status_code == 302
        assert certification.status == to_status
        event = certification.events.order_by("-pk").first()
        assert (event.from_status, event.to_status) == (from_status, to_status)
        assert event.recorded_by == certifier_a
        assert event.reason.startswith("Surveillance visit")
    else:
        assert response.status_code == 200
        assert "to_status" in response.context["form"].errors
        assert certification.status == from_status
        assert certification.events.count() == events_before


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_move_needs_a_reason(client, certifier_a, body_a, reason):
    certification = _certification_in(Status.CERTIFIED, body_a)
    client.force_login(certifier_a)
    response = _post_move(client, certification, Status.SUSPENDED, reason=reason)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    certification.refresh_from_db()
    assert certification.status == Status.CERTIFIED


def test_a_move_needs_an_effective_date(client, certifier_a, body_a):
    certification = _certification_in(Status.CERTIFIED, body_a)
    client.force_login(certifier_a)
    response = _post_move(client, certification, Status.SUSPENDED, effective_date="")
    assert "effective_date" in response.context["form"].errors
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = _post_move(client, certification, Status.SUSPENDED, effective_date=future)
    assert "effective_date" in response.context["form"].errors
    certification.refresh_from_db()
    assert certification.status == Status.CERTIFIED


def test_certifying_needs_a_certificate_number_and_dates(client, certifier_a, body_a):
    certification = _certification_in(Status.WORKING_TOWARDS, body_a)
    client.force_login(certifier_a)
    response = _post_move(
        client,
        certification,
        Status.CERTIFIED,
        certificate_number="",
        certified_on="",
        valid_until="",
    )
    errors = response.context["form"].errors
    assert {"certificate_number", "certified_on", "valid_until"} <= set(errors)
    certification.refresh_from_db()
    assert certification.status == Status.WORKING_TOWARDS


def test_renewal_sets_new_certificate_dates(client, certifier_a, body_a):
    certification = _certification_in(Status.CERTIFIED, body_a)
    client.force_login(certifier_a)
    today = timezone.localdate()
    response = _post_move(
        client,
        certification,
        Status.CERTIFIED,
        certificate_number="rrn renewed 1",
        certified_on=today.isoformat(),
        valid_until=(today + dt.timedelta(days=1095)).isoformat(),
        reason="Renewed after reassessment",
    )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.certificate_number == "RRNRENEWED1"
    assert certification.certified_on == today
    assert certification.valid_until == today + dt.timedelta(days=1095)


def test_a_stale_change_status_form_is_refused_with_who_and_when(
    client, certifier_a, body_a, superuser
):
    certification = _certification_in(Status.CERTIFIED, body_a)
    opened_version = certification.version
    # Someone else suspends it after the certifier opened the form.
    move_certification(
        Certification.objects.get(pk=certification.pk),
        Status.SUSPENDED,
        effective_date=timezone.localdate(),
        reason="Suspended by the other tab",
        recorded_by=superuser,
    )
    client.force_login(certifier_a)
    response = _post_move(client, certification, Status.WITHDRAWN, version=opened_version)
    assert response.status_code == 200
    text = " ".join(response.context["form"].non_field_errors())
    assert "since you opened it" in text and "try again" in text
    certification.refresh_from_db()
    assert certification.status == Status.SUSPENDED


def test_status_and_certificate_are_not_fields_of_the_change_form(client, certifier_a, body_a):
    certification = _certification_in(Status.CERTIFIED, body_a)
    client.force_login(certifier_a)
    response = client.get(
        reverse("admin:certification_certification_change", args=[certification.pk])
    )
    form = response.context["adminform"].form
    for name in ("status", "certificate_number", "certified_on", "valid_until", "version"):
        assert name not in form.fields
    assert _move_url(certification) in response.text


def test_adding_a_certification_records_its_first_event(client, certifier_a, body_a):
    from standards.models import StandardsEdition
    from tests.factories import TrainingProviderFactory

    provider = TrainingProviderFactory()
    client.force_login(certifier_a)
    response = client.post(
        reverse("admin:certification_certification_add"),
        {
            "status": "certified",
            **date_fields("effective_date", "2026-01-05"),
            "reason": "Existing certificate brought onto the register",
            "certificate_number": "rrn-0900",
            **date_fields("certified_on", "2025-12-01"),
            **date_fields("valid_until", "2028-12-01"),
            "provider": provider.pk,
            "body": body_a.pk,
            "role": "certified_service",
            "standards_edition": StandardsEdition.objects.get(is_current=True).pk,
            **date_fields("registered_on", "2025-01-05"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    certification = provider.certifications.get()
    assert certification.status == Status.CERTIFIED
    assert certification.certificate_number == "RRN-0900"
    event = certification.events.get()
    assert (event.from_status, event.to_status) == (None, Status.CERTIFIED)
    assert event.recorded_by == certifier_a
    assert event.reason == "Existing certificate brought onto the register"


def test_adding_a_certification_needs_a_reason(client, certifier_a, body_a):
    from standards.models import StandardsEdition
    from tests.factories import TrainingProviderFactory

    provider = TrainingProviderFactory()
    client.force_login(certifier_a)
    response = client.post(
        reverse("admin:certification_certification_add"),
        {
            "status": "working_towards",
            **date_fields("effective_date", "2026-01-05"),
            "reason": " ",
            "provider": provider.pk,
            "body": body_a.pk,
            "role": "certified_service",
            "standards_edition": StandardsEdition.objects.get(is_current=True).pk,
            **date_fields("registered_on", "2025-01-05"),
        },
    )
    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    assert not provider.certifications.exists()
    assert not CertificationEvent.objects.filter(certification__provider=provider).exists()
