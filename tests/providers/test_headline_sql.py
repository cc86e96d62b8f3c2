"""The register's SQL headline agrees with the Python verdict, in every headline case.

`?status=…` filters in SQL (providers.querysets); pages show `provider.headline(today)`
(certification.verdicts). A provider in the wrong list would be a wrong public answer, so
this builds providers in every case of verdicts.md and checks both give the same answer.
"""

import datetime as dt

import pytest
from django.utils import timezone

from certification.models import Certification
from certification.services import Certificate, move_certification, record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from certification.verdicts import Headline
from providers.filters import TrainingProviderFilterSet
from providers.models import TrainingProvider
from providers.querysets import HEADLINE_SLUGS
from tests.factories import CertificationBodyFactory, CertificationFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + dt.timedelta(days=n)


def _certified(provider, **kwargs):
    kwargs.setdefault("certified_on", days(-400))
    kwargs.setdefault("valid_until", days(700))
    return CertificationFactory(provider=provider, **kwargs)


def _build_every_case():
    """{name: (provider, expected Headline)}."""
    today = timezone.localdate()
    cases = {}

    def case(name, expected):
        provider = TrainingProviderFactory(name=f"Case {name}")
        cases[name] = (provider, expected)
        return provider

    case("no certification", Headline.NOT_ON_REGISTER)
    _certified(case("certified", Headline.CERTIFIED))
    _certified(case("certified ending today", Headline.CERTIFIED), valid_until=today)
    _certified(case("certified from today", Headline.CERTIFIED), certified_on=today)
    _certified(case("certified ending soon", Headline.CERTIFIED), valid_until=days(20))

    suspended_body = CertificationBodyFactory()
    record_accreditation_change(
        suspended_body, AccreditationStatus.SUSPENDED, effective_date=days(-10)
    )
    _certified(case("body suspended", Headline.CERTIFIED_NOT_VALID), body=suspended_body)
    withdrawn_body = CertificationBodyFactory()
    record_accreditation_change(
        withdrawn_body, AccreditationStatus.WITHDRAWN, effective_date=days(-10)
    )
    _certified(case("body withdrawn", Headline.CERTIFIED_NOT_VALID), body=withdrawn_body)
    _certified(
        case("body never accredited", Headline.CERTIFIED_NOT_VALID),
        body=CertificationBodyFactory(accredited=False),
    )
    reinstated_body = CertificationBodyFactory()
    record_accreditation_change(
        reinstated_body, AccreditationStatus.SUSPENDED, effective_date=days(-30)
    )
    record_accreditation_change(
        reinstated_body, AccreditationStatus.ACCREDITED, effective_date=days(-5)
    )
    _certified(case("body reinstated", Headline.CERTIFIED), body=reinstated_body)
    future_suspension = CertificationBodyFactory()
    record_accreditation_change(
        future_suspension, AccreditationStatus.SUSPENDED, effective_date=days(5)
    )
    _certified(case("body suspended from next week", Headline.CERTIFIED), body=future_suspension)

    parent = _certified(case("parent of affiliates", Headline.CERTIFIED))
    _certified(
        case("affiliate of valid parent", Headline.CERTIFIED),
        role=Certification.Role.AFFILIATE,
        parent=parent,
        body=parent.body,
    )
    withdrawn_parent = _certified(case("withdrawn parent", Headline.WITHDRAWN))
    move_certification(
        withdrawn_parent, Status.WITHDRAWN, effective_date=days(-3), reason="Unsafe practice"
    )
    _certified(
        case("affiliate of withdrawn parent", Headline.CERTIFIED_NOT_VALID),
        role=Certification.Role.AFFILIATE,
        parent=withdrawn_parent,
        body=withdrawn_parent.body,
    )
    parent_with_suspended_body = _certified(
        case("parent, body suspended", Headline.CERTIFIED_NOT_VALID), body=suspended_body
    )
    _certified(
        case("affiliate, parent's body suspended", Headline.CERTIFIED_NOT_VALID),
        role=Certification.Role.AFFILIATE,
        parent=parent_with_suspended_body,
        body=CertificationBodyFactory(),
    )

    CertificationFactory(provider=case("suspended", Headline.SUSPENDED), status=Status.SUSPENDED)
    CertificationFactory(
        provider=case("working towards", Headline.WORKING_TOWARDS),
        status=Status.WORKING_TOWARDS,
    )
    CertificationFactory(provider=case("expired", Headline.EXPIRED), status=Status.EXPIRED)
    _certified(
        case("past end date, expiry job not run", Headline.EXPIRED),
        certified_on=days(-1100),
        valid_until=days(-1),
    )
    CertificationFactory(provider=case("withdrawn", Headline.WITHDRAWN), status=Status.WITHDRAWN)
    renewed = _certified(
        case("renewed", Headline.CERTIFIED), certified_on=days(-1100), valid_until=days(-1)
    )
    move_certification(
        renewed,
        Status.CERTIFIED,
        effective_date=today,
        reason="Renewed",
        certificate=Certificate("RRN-RENEWED", today, days(1095)),
    )
    reinstated = _certified(case("reinstated", Headline.CERTIFIED))
    move_certification(reinstated, Status.SUSPENDED, effective_date=days(-20), reason="Review")
    move_certification(
        reinstated,
        Status.CERTIFIED,
        effective_date=days(-2),
        reason="Reinstated",
        certificate=Certificate(
            reinstated.certificate_number, reinstated.certified_on, reinstated.valid_until
        ),
    )
    # A record dated after today (e.g. entered ahead): it does not exist yet today.
    _certified(
        case("only a future record", Headline.NOT_ON_REGISTER),
        certified_on=days(3),
        valid_until=days(1000),
    )

    mixed = case("withdrawn and certified", Headline.CERTIFIED)
    CertificationFactory(provider=mixed, status=Status.WITHDRAWN)
    _certified(mixed)
    mixed = case("expired and suspended", Headline.SUSPENDED)
    CertificationFactory(provider=mixed, status=Status.EXPIRED)
    CertificationFactory(provider=mixed, status=Status.SUSPENDED)
    mixed = case("withdrawn and working towards", Headline.WORKING_TOWARDS)
    CertificationFactory(provider=mixed, status=Status.WITHDRAWN)
    CertificationFactory(provider=mixed, status=Status.WORKING_TOWARDS)
    mixed = case("suspended and body-suspended certified", Headline.CERTIFIED_NOT_VALID)
    CertificationFactory(provider=mixed, status=Status.SUSPENDED)
    _certified(mixed, body=suspended_body)
    mixed = case("two valid, the later one shown", Headline.CERTIFIED)
    _certified(mixed, valid_until=days(30))
    _certified(mixed, valid_until=days(300))
    return cases


def _python_headlines():
    today = timezone.localdate()
    return {p.pk: p.headline(today) for p in TrainingProvider.objects.active().with_verdict_data()}


def test_every_case_has_the_expected_python_headline():
    """The cases really are what they say (so the agreement test covers every headline)."""
    cases = _build_every_case()
    headlines = _python_headlines()
    wrong = {
        name: headlines[p.pk].kind
        for name, (p, expected) in cases.items()
        if headlines[p.pk].kind != expected
    }
    assert wrong == {}
    assert {expected for _, expected in cases.values()} == set(Headline)


def test_sql_headline_rank_and_valid_until_agree_with_python_for_every_provider():
    _build_every_case()
    today = timezone.localdate()
    headlines = _python_headlines()
    annotated = TrainingProvider.objects.with_headline(today)
    assert {p.pk: Headline(p.headline_rank) for p in annotated} == {
        pk: h.kind for pk, h in headlines.items()
    }
    assert {p.pk: p.headline_valid_until for p in annotated} == {
        pk: (h.verdict.valid_until if h.verdict else None) for pk, h in headlines.items()
    }


def test_status_filter_returns_exactly_the_providers_with_that_python_headline():
    _build_every_case()
    headlines = _python_headlines()
    for kind in Headline:
        filterset = TrainingProviderFilterSet(
            {"status": [HEADLINE_SLUGS[kind]]}, queryset=TrainingProvider.objects.active()
        )
        assert filterset.is_valid(), filterset.errors
        expected = {pk for pk, h in headlines.items() if h.kind == kind}
        assert expected, f"no case for {kind!r}"
        assert set(filterset.qs.values_list("pk", flat=True)) == expected, kind


def test_several_statuses_are_any_of_them():
    _build_every_case()
    headlines = _python_headlines()
    filterset = TrainingProviderFilterSet(
        {"status": ["suspended", "withdrawn"]}, queryset=TrainingProvider.objects.active()
    )
    expected = {
        pk for pk, h in headlines.items() if h.kind in (Headline.SUSPENDED, Headline.WITHDRAWN)
    }
    assert set(filterset.qs.values_list("pk", flat=True)) == expected


def test_expiring_and_ukas_valid_filters_agree_with_python():
    _build_every_case()
    today = timezone.localdate()
    providers = list(TrainingProvider.objects.active().with_verdict_data())
    for days_ahead in (0, 20, 90, 2000):
        filterset = TrainingProviderFilterSet(
            {"expiring": str(days_ahead)}, queryset=TrainingProvider.objects.active()
        )
        expected = {
            p.pk
            for p in providers
            if p.headline(today).is_valid and p.headline(today).verdict.days_left <= days_ahead
        }
        assert set(filterset.qs.values_list("pk", flat=True)) == expected, days_ahead
    filterset = TrainingProviderFilterSet(
        {"ukas_valid": "on"}, queryset=TrainingProvider.objects.active()
    )
    expected = {
        p.pk
        for p in providers
        if any(
            c.verdict(today).existed and c.body.accreditation_status_on(today) == "accredited"
            for c in p.certifications.all()
        )
    }
    assert set(filterset.qs.values_list("pk", flat=True)) == expected
