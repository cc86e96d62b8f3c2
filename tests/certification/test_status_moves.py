"""Every allowed and forbidden status move, through the one service that performs moves."""

import datetime as dt
from itertools import product

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certification.models import CertificationEvent
from certification.services import (
    Certificate,
    StaleCertificationError,
    move_certification,
)
from certification.statuses import ALLOWED_MOVES, Status
from tests.factories import CertificationFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
RENEWAL = Certificate("RRN-RENEWED", dt.date(2026, 5, 1), dt.date(2029, 5, 1))
MOVES = list(product(list(Status), list(Status)))


def _certification_in(status):
    return CertificationFactory(
        status=status,
        certified_on=dt.date(2025, 1, 1),
        valid_until=dt.date(2028, 1, 1),
        effective_date=dt.date(2025, 1, 1),
    )


@pytest.mark.parametrize(("from_status", "to_status"), MOVES)
def test_status_move_allowed_only_as_listed(from_status, to_status):
    certification = _certification_in(from_status)
    user = UserFactory()
    allowed = to_status in ALLOWED_MOVES[from_status]
    kwargs = {
        "effective_date": dt.date(2026, 5, 15),
        "reason": "Surveillance visit findings",
        "recorded_by": user,
        "today": TODAY,
        "certificate": RENEWAL if to_status == Status.CERTIFIED else None,
    }
    if allowed:
        move_certification(certification, to_status, **kwargs)
        certification.refresh_from_db()
        assert certification.status == to_status
        event = certification.events.order_by("-pk").first()
        assert (event.from_status, event.to_status) == (from_status, to_status)
        assert event.recorded_by == user
        assert event.reason == "Surveillance visit findings"
        assert event.effective_date == dt.date(2026, 5, 15)
    else:
        events_before = certification.events.count()
        with pytest.raises(ValidationError):
            move_certification(certification, to_status, **kwargs)
        certification.refresh_from_db()
        assert certification.status == from_status
        assert certification.events.count() == events_before


@pytest.mark.parametrize(("from_status", "to_status"), MOVES)
def test_database_refuses_events_for_moves_not_listed(from_status, to_status):
    certification = _certification_in(Status.CERTIFIED)
    event = CertificationEvent(
        certification=certification,
        from_status=from_status,
        to_status=to_status,
        effective_date=dt.date(2026, 1, 1),
        reason="Direct write",
    )
    if to_status in ALLOWED_MOVES[from_status]:
        event.save()
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            event.save()


def test_move_needs_a_reason():
    certification = _certification_in(Status.CERTIFIED)
    with pytest.raises(ValidationError) as error:
        move_certification(
            certification, Status.SUSPENDED, effective_date=TODAY, reason="  ", today=TODAY
        )
    assert "reason" in error.value.message_dict
    assert certification.events.count() == 1


def test_move_cannot_be_dated_in_the_future_or_before_the_last_change():
    certification = _certification_in(Status.CERTIFIED)
    for bad_date in (TODAY + dt.timedelta(days=1), dt.date(2024, 12, 31)):
        with pytest.raises(ValidationError) as error:
            move_certification(
                certification, Status.SUSPENDED, effective_date=bad_date, reason="x", today=TODAY
            )
        assert "effective_date" in error.value.message_dict


def test_certifying_needs_number_and_dates():
    certification = _certification_in(Status.WORKING_TOWARDS)
    with pytest.raises(ValidationError):
        move_certification(
            certification, Status.CERTIFIED, effective_date=TODAY, reason="Passed", today=TODAY
        )
    bad_dates = Certificate("RRN-9", dt.date(2026, 5, 1), dt.date(2026, 4, 1))
    with pytest.raises(ValidationError) as error:
        move_certification(
            certification,
            Status.CERTIFIED,
            effective_date=TODAY,
            reason="Passed",
            certificate=bad_dates,
            today=TODAY,
        )
    assert "valid_until" in error.value.message_dict


def test_renewal_sets_new_dates_and_keeps_old_ones_in_history():
    certification = _certification_in(Status.CERTIFIED)
    move_certification(
        certification,
        Status.CERTIFIED,
        effective_date=dt.date(2026, 5, 1),
        reason="Renewed after reassessment",
        certificate=RENEWAL,
        today=TODAY,
    )
    certification.refresh_from_db()
    assert certification.valid_until == dt.date(2029, 5, 1)
    assert certification.certificate_number == "RRN-RENEWED"
    first, second = certification.events.order_by("pk")
    assert first.valid_until == dt.date(2028, 1, 1)
    assert second.valid_until == dt.date(2029, 5, 1)


def test_certificate_numbers_are_normalised_and_unique():
    first = _certification_in(Status.WORKING_TOWARDS)
    move_certification(
        first,
        Status.CERTIFIED,
        effective_date=TODAY,
        reason="Passed",
        certificate=Certificate(" rrn 0042 ", dt.date(2026, 5, 1), dt.date(2029, 5, 1)),
        today=TODAY,
    )
    first.refresh_from_db()
    assert first.certificate_number == "RRN0042"
    second = _certification_in(Status.WORKING_TOWARDS)
    with pytest.raises(ValidationError) as error:
        move_certification(
            second,
            Status.CERTIFIED,
            effective_date=TODAY,
            reason="Passed",
            certificate=Certificate("rrn0042", dt.date(2026, 5, 1), dt.date(2029, 5, 1)),
            today=TODAY,
        )
    assert "certificate_number" in error.value.message_dict


def test_stale_version_is_refused():
    certification = _certification_in(Status.CERTIFIED)
    opened_at_version = certification.version
    move_certification(
        certification, Status.SUSPENDED, effective_date=TODAY, reason="First", today=TODAY
    )
    with pytest.raises(StaleCertificationError):
        move_certification(
            certification,
            Status.WITHDRAWN,
            effective_date=TODAY,
            reason="Second, from a stale form",
            expected_version=opened_at_version,
            today=TODAY,
        )
    certification.refresh_from_db()
    assert certification.status == Status.SUSPENDED
