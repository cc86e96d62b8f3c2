"""Recording a compliance check, and the snapshot of the register it keeps."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from certification.services import move_certification
from certification.statuses import Status
from compliance.checks import record_check
from compliance.models import ComplianceCheck, TrainingArrangement
from tests.factories import (
    CertificationFactory,
    TrainingArrangementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def _record(arrangement, **kw):
    fields = {
        "checked_by": UserFactory(),
        "checked_on": dt.date(2026, 5, 1),
        "outcome": ComplianceCheck.Outcome.COMPLIANT,
        "scope_covers_populations": True,
        "scope_covers_settings": True,
        "scope_covers_content": True,
        "evidence": "Register entry seen",
        "today": TODAY,
    }
    fields.update(kw)
    return record_check(arrangement, **fields)


def test_check_keeps_a_snapshot_of_the_register_on_the_check_date():
    certification = CertificationFactory(certificate_number="RRN-77", body__ukas_number="4321")
    arrangement = TrainingArrangementFactory(training_provider=certification.provider)
    check = _record(arrangement)
    check.refresh_from_db()
    assert check.certification == certification
    assert check.seen_status == "Certified"
    assert check.seen_certificate_number == "RRN-77"
    assert check.seen_body_name == certification.body.name
    assert check.seen_ukas_number == "4321"
    assert check.seen_valid_until == dt.date(2028, 1, 1)
    assert check.next_review_due == dt.date(2027, 5, 1)


def test_snapshot_does_not_change_when_the_certification_is_later_suspended():
    certification = CertificationFactory()
    arrangement = TrainingArrangementFactory(training_provider=certification.provider)
    check = _record(arrangement, checked_on=dt.date(2026, 5, 1))
    move_certification(
        certification, Status.SUSPENDED, effective_date=dt.date(2026, 5, 20), reason="Audit"
    )
    check.refresh_from_db()
    assert check.seen_status == "Certified"
    assert check.seen_certificate_number == certification.certificate_number
    # A check recorded now about a later date sees the suspension.
    later = _record(arrangement, checked_on=dt.date(2026, 5, 25))
    assert later.seen_status == "Suspended since 20 May 2026"  # the words the register showed


def test_snapshot_of_a_past_date_reads_the_register_as_it_was_then():
    certification = CertificationFactory()
    move_certification(
        certification, Status.SUSPENDED, effective_date=dt.date(2026, 5, 20), reason="Audit"
    )
    arrangement = TrainingArrangementFactory(training_provider=certification.provider)
    check = _record(arrangement, checked_on=dt.date(2026, 5, 1))
    assert check.seen_status == "Certified"


def test_snapshot_fields_refuse_to_be_changed_afterwards():
    arrangement = TrainingArrangementFactory(training_provider=CertificationFactory().provider)
    check = _record(arrangement)
    check.seen_status = "Something else"
    with pytest.raises(PermissionError):
        check.save()
    check.refresh_from_db()
    check.notes = "Notes may be added"
    check.save()


def test_provider_not_on_the_register_is_snapshotted_as_such():
    arrangement = TrainingArrangementFactory()
    check = _record(arrangement)
    assert check.certification is None
    assert check.seen_status == "Not on the register"
    assert check.seen_certificate_number == ""


def test_check_in_the_future_is_refused_and_nothing_is_saved():
    arrangement = TrainingArrangementFactory()
    with pytest.raises(ValidationError) as error:
        _record(arrangement, checked_on=TODAY + dt.timedelta(days=1))
    assert "checked_on" in error.value.message_dict
    assert not ComplianceCheck.objects.exists()


def test_review_before_the_check_is_refused_and_nothing_is_saved():
    arrangement = TrainingArrangementFactory()
    with pytest.raises(ValidationError):
        _record(arrangement, next_review_due=dt.date(2026, 4, 1))
    assert not ComplianceCheck.objects.exists()


def test_loading_arrangements_with_verdict_data_takes_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    def load_and_decide():
        from compliance.verdicts import arrangement_verdict

        for a in TrainingArrangement.objects.with_verdict_data():
            arrangement_verdict(a, TODAY)

    def make(n):
        for _ in range(n):
            certification = CertificationFactory()
            move_certification(
                certification, Status.SUSPENDED, effective_date=TODAY, reason="x", today=TODAY
            )
            arrangement = TrainingArrangementFactory(training_provider=certification.provider)
            _record(arrangement)

    make(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        load_and_decide()
    make(10)
    with django_assert_num_queries(len(small.captured_queries)):
        load_and_decide()
