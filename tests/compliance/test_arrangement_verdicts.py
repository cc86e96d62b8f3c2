"""A service provider's training arrangement on a date: the table in verdicts.md."""

import datetime as dt

import pytest
from django.db.models import Prefetch

from certification.models import Certification
from certification.services import move_certification, record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from compliance.models import ComplianceCheck, TrainingArrangement
from compliance.verdicts import ComplianceState, arrangement_verdict, service_verdict
from standards.models import Population, Setting
from tests.factories import (
    CertificationFactory,
    ComplianceCheckFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
OK, ACTION, NOT_OK = (
    ComplianceState.COMPLIANT,
    ComplianceState.ACTION_NEEDED,
    ComplianceState.NOT_COMPLIANT,
)


def _load(arrangement):
    return (
        TrainingArrangement.objects.select_related("service_provider", "training_provider")
        .prefetch_related(
            "service_provider__populations",
            "service_provider__settings",
            "specialist_content",
            "checks",
            Prefetch(
                "training_provider__certifications",
                queryset=Certification.objects.with_verdict_data().prefetch_related(
                    "populations", "settings", "specialist_content"
                ),
            ),
        )
        .get(pk=arrangement.pk)
    )


def _service(populations=("autism",), settings=("social-care",)):
    service = ServiceProviderFactory()
    service.populations.set(Population.objects.filter(slug__in=populations))
    service.settings.set(Setting.objects.filter(slug__in=settings))
    return service


def _certified(provider, populations=("autism", "mental-health"), settings=("social-care",), **kw):
    certification = CertificationFactory(provider=provider, **kw)
    certification.populations.set(Population.objects.filter(slug__in=populations))
    certification.settings.set(Setting.objects.filter(slug__in=settings))
    return certification


def _arrangement(check_on=dt.date(2026, 3, 1), outcome="compliant", **cert_kw):
    provider = TrainingProviderFactory()
    certification = _certified(provider, **cert_kw) if cert_kw.get("status") != "none" else None
    arrangement = TrainingArrangementFactory(
        service_provider=_service(), training_provider=provider
    )
    if check_on:
        ComplianceCheckFactory(arrangement=arrangement, checked_on=check_on, outcome=outcome)
    return arrangement, certification


def _verdict(arrangement, on=TODAY):
    return arrangement_verdict(_load(arrangement), on)


def test_valid_in_scope_and_checked_recently_is_compliant():
    arrangement, _ = _arrangement()
    verdict = _verdict(arrangement)
    assert verdict.state == OK
    assert verdict.reasons == []


def test_ending_within_90_days_needs_action():
    arrangement, _ = _arrangement(valid_until=dt.date(2026, 8, 1))
    verdict = _verdict(arrangement)
    assert verdict.state == ACTION
    assert [r.text for r in verdict.reasons] == ["certificate ends on 1 August 2026"]


@pytest.mark.parametrize("check_on", [None, dt.date(2025, 5, 31)])
def test_no_check_or_check_older_than_12_months_is_overdue(check_on):
    arrangement, _ = _arrangement(check_on=check_on)
    verdict = _verdict(arrangement)
    assert verdict.state == ACTION
    assert [r.text for r in verdict.reasons] == ["compliance check overdue"]


def test_check_after_the_date_does_not_count_on_that_date():
    arrangement, _ = _arrangement(check_on=dt.date(2026, 5, 1))
    assert _verdict(arrangement, on=dt.date(2026, 4, 30)).state == ACTION
    assert _verdict(arrangement, on=dt.date(2026, 5, 1)).state == OK


def test_scope_missing_a_population_or_setting_needs_action():
    arrangement, _ = _arrangement(populations=("mental-health",), settings=("health",))
    verdict = _verdict(arrangement)
    assert verdict.state == ACTION
    assert sorted(r.text for r in verdict.reasons) == [
        "scope does not cover adult social care",
        "scope does not cover autistic people",
    ]


def test_working_towards_needs_action():
    arrangement, _ = _arrangement(status=Status.WORKING_TOWARDS)
    verdict = _verdict(arrangement)
    assert verdict.state == ACTION
    assert [r.text for r in verdict.reasons] == ["working towards certification since 1 June 2024"]


def test_body_not_accredited_is_not_compliant():
    arrangement, certification = _arrangement()
    record_accreditation_change(
        certification.body, AccreditationStatus.WITHDRAWN, effective_date=dt.date(2026, 5, 1)
    )
    verdict = _verdict(arrangement)
    assert verdict.state == NOT_OK
    assert [r.text for r in verdict.reasons] == ["certification body not UKAS-accredited"]


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Status.SUSPENDED, "certification suspended on 1 May 2026"),
        (Status.WITHDRAWN, "certification withdrawn on 1 May 2026"),
        (Status.EXPIRED, "certification expired on 1 May 2026"),
    ],
)
def test_suspended_withdrawn_expired_are_not_compliant(status, reason):
    arrangement, certification = _arrangement()
    move_certification(
        certification, status, effective_date=dt.date(2026, 5, 1), reason="x", today=TODAY
    )
    verdict = _verdict(arrangement)
    assert verdict.state == NOT_OK
    assert [r.text for r in verdict.reasons] == [reason]


def test_expired_by_date_without_the_job_is_not_compliant():
    arrangement, _ = _arrangement(valid_until=dt.date(2026, 5, 1))
    verdict = _verdict(arrangement)
    assert verdict.state == NOT_OK
    assert [r.text for r in verdict.reasons] == ["certification expired on 2 May 2026"]


def test_not_on_the_register_is_not_compliant():
    arrangement, _ = _arrangement(status="none")
    verdict = _verdict(arrangement)
    assert verdict.state == NOT_OK
    assert [r.text for r in verdict.reasons] == ["no certification on the register"]


def test_arrangement_ended_before_the_date_is_not_counted():
    arrangement, _ = _arrangement()
    arrangement.ends_on = dt.date(2026, 5, 31)
    arrangement.save()
    assert _verdict(arrangement) is None


def test_several_reasons_are_all_shown_and_the_state_is_the_worst():
    arrangement, _ = _arrangement(
        check_on=None, valid_until=dt.date(2026, 7, 1), populations=("dementia",)
    )
    verdict = _verdict(arrangement)
    assert verdict.state == ACTION
    assert len(verdict.reasons) == 3


def test_last_check_not_compliant_needs_action():
    arrangement, _ = _arrangement(outcome=ComplianceCheck.Outcome.NOT_COMPLIANT)
    verdict = _verdict(arrangement)
    assert verdict.state == ACTION
    assert [r.text for r in verdict.reasons] == ["last compliance check: not compliant"]


def test_service_with_no_current_arrangement_is_not_compliant():
    service = _service()
    verdict = service_verdict(service, TODAY)
    assert verdict.state == NOT_OK
    assert [r.text for r in verdict.reasons] == ["no training arrangement recorded"]


def test_service_state_is_the_worst_of_its_arrangements():
    good, _ = _arrangement()
    service = good.service_provider
    bad_provider = TrainingProviderFactory()
    TrainingArrangementFactory(service_provider=service, training_provider=bad_provider)
    verdict = service_verdict(service, TODAY)
    assert verdict.state == NOT_OK
    assert len(verdict.arrangements) == 2
