"""The verdict rules of ../shared/domain/verdicts.md, as a table."""

import datetime as dt

import pytest
from django.db.models import Prefetch

from certification.models import Certification, CertificationEvent
from certification.services import Certificate, move_certification, record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from certification.verdicts import Headline
from tests.factories import CertificationBodyFactory, CertificationFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db

CERTIFIED_ON = dt.date(2025, 1, 1)
VALID_UNTIL = dt.date(2028, 1, 1)
TODAY = dt.date(2026, 6, 1)


def _reload(certification):
    return Certification.objects.with_verdict_data().get(pk=certification.pk)


@pytest.mark.parametrize(
    ("on", "status", "valid"),
    [
        (dt.date(2024, 12, 31), None, False),  # before its first event it did not exist
        (CERTIFIED_ON, Status.CERTIFIED, True),  # first day
        (dt.date(2026, 6, 1), Status.CERTIFIED, True),
        (VALID_UNTIL, Status.CERTIFIED, True),  # last day
        (VALID_UNTIL + dt.timedelta(days=1), Status.EXPIRED, False),  # past end, no job run
    ],
)
def test_certification_valid_only_between_its_dates(on, status, valid):
    certification = _reload(CertificationFactory())
    verdict = certification.verdict(on)
    assert verdict.status == status
    assert verdict.is_valid is valid


def test_status_on_a_date_is_the_last_event_on_or_before_it():
    certification = CertificationFactory()
    move_certification(
        certification,
        Status.SUSPENDED,
        effective_date=dt.date(2026, 3, 1),
        reason="Surveillance found unsafe practice",
        today=TODAY,
    )
    certification = _reload(certification)
    assert certification.verdict(dt.date(2026, 2, 28)).is_valid
    suspended = certification.verdict(dt.date(2026, 3, 1))
    assert suspended.status == Status.SUSPENDED
    assert suspended.since == dt.date(2026, 3, 1)
    assert not suspended.is_valid


def test_body_accreditation_suspended_on_the_date_makes_it_not_valid():
    body = CertificationBodyFactory()
    certification = CertificationFactory(body=body)
    record_accreditation_change(
        body, AccreditationStatus.SUSPENDED, effective_date=dt.date(2026, 4, 1)
    )
    record_accreditation_change(
        body, AccreditationStatus.ACCREDITED, effective_date=dt.date(2026, 5, 1)
    )
    certification = _reload(certification)
    assert certification.verdict(dt.date(2026, 3, 31)).is_valid
    during = certification.verdict(dt.date(2026, 4, 15))
    assert not during.is_valid
    assert during.status == Status.CERTIFIED
    assert "suspended" in during.not_valid_because
    assert certification.verdict(dt.date(2026, 5, 1)).is_valid


def test_body_without_recorded_accreditation_is_not_accredited():
    certification = _reload(CertificationFactory(body=CertificationBodyFactory(accredited=False)))
    assert not certification.verdict(TODAY).is_valid


def test_affiliate_is_valid_only_while_its_parent_is():
    parent = CertificationFactory()
    affiliate = CertificationFactory(
        role=Certification.Role.AFFILIATE, parent=parent, body=parent.body
    )
    assert _reload(affiliate).verdict(TODAY).is_valid
    move_certification(
        parent, Status.WITHDRAWN, effective_date=dt.date(2026, 5, 1), reason="x", today=TODAY
    )
    verdict = _reload(affiliate).verdict(TODAY)
    assert not verdict.is_valid
    assert verdict.parent_valid is False


def test_renewal_does_not_rewrite_the_past():
    certification = CertificationFactory()
    move_certification(
        certification,
        Status.CERTIFIED,
        effective_date=dt.date(2026, 5, 1),
        reason="Renewed",
        certificate=Certificate("RRN-NEW", dt.date(2026, 5, 1), dt.date(2029, 5, 1)),
        today=TODAY,
    )
    certification = _reload(certification)
    before = certification.verdict(dt.date(2025, 6, 1))
    assert before.is_valid
    assert before.valid_until == VALID_UNTIL


def _provider_with(*statuses, body=None):
    provider = TrainingProviderFactory()
    for status in statuses:
        CertificationFactory(
            provider=provider, status=status, body=body or CertificationBodyFactory()
        )
    return provider


def _headline(provider, on=TODAY):
    reloaded = provider.__class__.objects.prefetch_related(
        Prefetch("certifications", queryset=Certification.objects.with_verdict_data())
    ).get(pk=provider.pk)
    return reloaded.headline(on)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), Headline.NOT_ON_REGISTER),
        ((Status.CERTIFIED,), Headline.CERTIFIED),
        ((Status.SUSPENDED,), Headline.SUSPENDED),
        ((Status.WORKING_TOWARDS,), Headline.WORKING_TOWARDS),
        ((Status.EXPIRED,), Headline.EXPIRED),
        ((Status.WITHDRAWN,), Headline.WITHDRAWN),
        ((Status.WITHDRAWN, Status.CERTIFIED), Headline.CERTIFIED),
        ((Status.EXPIRED, Status.SUSPENDED), Headline.SUSPENDED),
        ((Status.WITHDRAWN, Status.WORKING_TOWARDS), Headline.WORKING_TOWARDS),
        ((Status.WITHDRAWN, Status.EXPIRED), Headline.EXPIRED),
    ],
)
def test_provider_headline_is_the_first_that_applies(statuses, expected):
    assert _headline(_provider_with(*statuses)).kind == expected


def test_headline_certified_but_body_suspended_ranks_above_suspended():
    body = CertificationBodyFactory()
    provider = _provider_with(Status.CERTIFIED, body=body)
    CertificationFactory(provider=provider, status=Status.SUSPENDED)
    record_accreditation_change(
        body, AccreditationStatus.SUSPENDED, effective_date=dt.date(2026, 5, 1)
    )
    headline = _headline(provider)
    assert headline.kind == Headline.CERTIFIED_NOT_VALID
    assert headline.label == (
        "Certified, but the certification body's UKAS accreditation is suspended"
    )


def test_headline_shows_the_valid_certificate_ending_last_and_warns_when_ending_soon():
    provider = TrainingProviderFactory()
    CertificationFactory(provider=provider, valid_until=dt.date(2026, 7, 1))
    CertificationFactory(provider=provider, valid_until=dt.date(2026, 8, 1))
    headline = _headline(provider)
    assert headline.verdict.valid_until == dt.date(2026, 8, 1)
    assert headline.warnings == ["Certificate ends in 61 days"]
    assert headline.sentence.endswith("until 1 August 2026.")


def test_no_ending_warning_beyond_90_days():
    provider = TrainingProviderFactory()
    CertificationFactory(provider=provider, valid_until=TODAY + dt.timedelta(days=91))
    assert _headline(provider).warnings == []
    assert CertificationEvent.objects.count() == 1
