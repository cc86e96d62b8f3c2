"""The register's SQL headline agrees with the Python verdict, in every headline case.

`?status=…` filters in SQL (providers.querysets); pages show `provider.headline(today)`
(certification.verdicts). A provider in the wrong list would be a wrong public answer, so
this builds providers in every case of verdicts.md and checks both give the same answer.
"""

import datetime as dt

import pytest
from django.utils import timezone

from certification.models import Certification
from certification.services import (
    Certificate,
    move_certification,
    record_accreditation_change,
    save_certification_edit,
)
from certification.statuses import AccreditationStatus, Status
from certification.verdicts import Headline
from providers.filters import TrainingProviderFilterSet
from providers.models import TrainingProvider
from providers.querysets import HEADLINE_SLUGS
from standards.models import Population, Region
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
    suspended_past_end = _certified(
        case("suspended, past end date, expiry job not run", Headline.EXPIRED),
        certified_on=days(-1100),
        valid_until=days(-1),
    )
    move_certification(
        suspended_past_end, Status.SUSPENDED, effective_date=days(-30), reason="Audit"
    )
    _certified(
        case("body accredited to another standard", Headline.CERTIFIED_NOT_VALID),
        body=CertificationBodyFactory(accreditation_standard="ISO/IEC 17021-1:2015"),
    )
    archived = _certified(case("only an archived certification", Headline.NOT_ON_REGISTER))
    save_certification_edit(archived, expected_version=archived.version, is_archived=True)
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
    # The headline's certificate is by a body whose accreditation counts today (accredited,
    # to ISO/IEC 17065): the one answer, CertificationBody.accreditation_counts_on.
    expected = {
        p.pk
        for p in providers
        if p.headline(today).verdict is not None
        and p.headline(today).certification.body.accreditation_counts_on(today)
    }
    assert set(filterset.qs.values_list("pk", flat=True)) == expected


def test_sql_headline_agrees_with_python_on_every_date_that_matters():
    """The periods answer for any date, not only today: around every date a verdict can
    change on (starts, ends, moves, accreditation changes), SQL and Python agree."""
    _build_every_case()
    providers = list(TrainingProvider.objects.with_verdict_data())
    dates = set()
    for provider in providers:
        for certification in provider.certifications.all():
            for event in certification.events.all():
                for day in (event.effective_date, event.certified_on, event.valid_until):
                    if day:
                        dates |= {day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)}
            for change in certification.body.accreditation_changes.all():
                dates |= {change.effective_date - dt.timedelta(days=1), change.effective_date}
    assert len(dates) > 20
    for day in sorted(dates):
        annotated = {
            p.pk: (Headline(p.headline_rank), p.headline_valid_until)
            for p in TrainingProvider.objects.with_headline(day)
        }
        python = {}
        for provider in providers:
            headline = provider.headline(day)
            python[provider.pk] = (
                headline.kind,
                headline.verdict.valid_until if headline.verdict else None,
            )
        assert annotated == python, day


def test_a_move_recorded_later_updates_the_register_filter():
    """Periods follow every write: a certification withdrawn today leaves ?status=certified."""
    provider = TrainingProviderFactory()
    certification = _certified(provider)
    certified = TrainingProviderFilterSet(
        {"status": ["certified"]}, queryset=TrainingProvider.objects.active()
    )
    assert provider in certified.qs
    move_certification(
        certification, Status.WITHDRAWN, effective_date=timezone.localdate(), reason="Unsafe"
    )
    for slug, expected in (("certified", False), ("withdrawn", True)):
        filterset = TrainingProviderFilterSet(
            {"status": [slug]}, queryset=TrainingProvider.objects.active()
        )
        assert (provider in filterset.qs) is expected, slug


def test_a_body_losing_accreditation_updates_its_providers_and_their_affiliates():
    parent = _certified(TrainingProviderFactory())
    affiliate = _certified(
        TrainingProviderFactory(),
        role=Certification.Role.AFFILIATE,
        parent=parent,
        body=CertificationBodyFactory(),
    )
    record_accreditation_change(
        parent.body, AccreditationStatus.WITHDRAWN, effective_date=timezone.localdate()
    )
    ranks = {
        p.pk: p.headline_rank for p in TrainingProvider.objects.with_headline(timezone.localdate())
    }
    assert ranks[parent.provider_id] == Headline.CERTIFIED_NOT_VALID
    assert ranks[affiliate.provider_id] == Headline.CERTIFIED_NOT_VALID


def test_export_rows_say_what_the_python_headline_says_in_every_case():
    """The export reads the stored periods, not the verdict code: the two must agree."""
    from providers.exports import register_rows

    cases = _build_every_case()
    parent = cases["parent of affiliates"][0].certifications.get()
    parent.populations.set(Population.objects.all()[:2])
    parent.regions.set(Region.objects.all()[:3])
    today = timezone.localdate()
    rows = {
        row["slug"]: row
        for row in register_rows(TrainingProvider.objects.active(), today, "https://x.test/")
    }
    for provider in TrainingProvider.objects.active().with_verdict_data():
        headline = provider.headline(today)
        verdict, certification = headline.verdict, headline.certification
        row = rows[provider.slug]
        expected = {
            "status": HEADLINE_SLUGS[headline.kind],
            "status_label": headline.label,
            "certificate_number": verdict.certificate_number if verdict else None,
            "body": certification.body.name if certification else None,
            "ukas_number": certification.body.ukas_number if certification else None,
            "certified_on": verdict.certified_on.isoformat()
            if verdict and verdict.certified_on
            else None,
            "valid_until": verdict.valid_until.isoformat()
            if verdict and verdict.valid_until
            else None,
            "populations": [str(p) for p in certification.populations.all()]
            if certification
            else [],
            "regions": [str(r) for r in certification.regions.all()] if certification else [],
            "url": f"https://x.test/providers/{provider.slug}/",
        }
        assert {key: row[key] for key in expected} == expected, provider.name
    assert rows[parent.provider.slug]["populations"]


def test_register_rows_from_the_periods_are_the_rows_the_verdict_gives():
    """The register renders its rows from the headline periods' values (providers.register_rows):
    for every case, and affiliates whose parent's certificate ends first, they say exactly
    what the rows worked out from the verdict itself say."""
    from providers import register_rows

    _build_every_case()
    parent = _certified(TrainingProviderFactory(name="Parent ending soon"), valid_until=days(20))
    _certified(
        TrainingProviderFactory(name="Affiliate ending with its parent"),
        role=Certification.Role.AFFILIATE,
        parent=parent,
        body=parent.body,
    )
    far_parent = _certified(TrainingProviderFactory(name="Parent ending later"))
    _certified(
        TrainingProviderFactory(name="Affiliate ending soon itself"),
        role=Certification.Role.AFFILIATE,
        parent=far_parent,
        body=far_parent.body,
        valid_until=days(10),
    )
    today = timezone.localdate()
    providers = TrainingProvider.objects.active().order_by("name", "pk")
    from_periods = register_rows.register_rows(providers.with_headline(today), today)
    from_verdicts = register_rows._rows_from_verdicts(
        list(providers.values_list("pk", flat=True)), today, "/providers", ""
    )
    assert len(from_periods) == providers.count() == len(from_verdicts)
    assert from_periods == [from_verdicts[pk] for pk in providers.values_list("pk", flat=True)]
    warnings = {w for row in from_periods for w in row.warnings}
    assert "Certificate ends in 20 days, with Parent ending soon's certificate" in warnings
    assert "Certificate ends in 10 days" in warnings
    assert "Affiliate of Parent ending later" in warnings
