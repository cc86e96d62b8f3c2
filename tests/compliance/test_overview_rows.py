"""The overview's rows from the headline periods (compliance.overview_rows) say exactly what
the instance path says (`arrangement_verdict` on arrangements with their providers' whole
history prefetched, as the service provider's dashboard reads them): in every headline case of
verdicts.md, with scope gaps, certificates ending soon (an affiliate's with its parent's),
checks overdue or not compliant, reviews overdue, services not shared, on several dates."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.models import Certification
from compliance.models import ComplianceCheck, TrainingArrangement
from compliance.overview import contracts_on, overview_rows
from compliance.verdicts import (
    ServiceVerdict,
    arrangement_verdict,
    contracted_service_verdict,
    not_shared_service,
)
from standards.models import Population, Setting, SpecialistContent
from tests.factories import (
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    ContractReviewFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
)
from tests.providers.test_headline_sql import _build_every_case, _certified, days

pytestmark = pytest.mark.django_db


def _commissioned_every_case():
    """A commissioner whose services use a provider in every headline case each, and more."""
    commissioner = CommissionerFactory()
    providers = [provider for provider, _ in _build_every_case().values()]
    parent = _certified(TrainingProviderFactory(name="Parent ending soon"), valid_until=days(20))
    affiliate = TrainingProviderFactory(name="Affiliate ending with its parent")
    _certified(affiliate, role=Certification.Role.AFFILIATE, parent=parent, body=parent.body)
    providers += [parent.provider, affiliate]

    autism, dementia = Population.objects.all()[:2]
    home, hospital = Setting.objects.all()[:2]
    restraint = SpecialistContent.objects.first()
    for certification in Certification.objects.all():
        certification.populations.set([autism])
        certification.settings.set([home])
    checks = [
        None,  # none: overdue
        days(-400),  # too old: overdue
        days(-30),  # in date
        (days(-10), ComplianceCheck.Outcome.ACTION_NEEDED),
        (days(-5), ComplianceCheck.Outcome.NOT_COMPLIANT),
    ]
    for n, provider in enumerate(providers):
        # Every other service needs more than every certification covers: scope gaps.
        service = ServiceProviderFactory(name=f"Service {n:02d}")
        service.populations.set([autism, dementia] if n % 2 else [autism])
        service.settings.set([home, hospital] if n % 3 == 0 else [home])
        contract = ContractFactory(
            commissioner=commissioner,
            service_provider=service,
            requires_certified_training=n % 7 != 3,
            **({"pending": True} if n % 11 == 5 else {}),
        )
        if n % 4 == 1:
            ContractReviewFactory(
                contract=contract,
                reviewed_on=days(-60),
                actions_agreed="Refresher training",
                actions_due_on=days(-1),
            )
        arrangement = TrainingArrangementFactory(
            service_provider=service, training_provider=provider
        )
        if n % 5 == 2:
            arrangement.specialist_content.set([restraint])
        check = checks[n % len(checks)]
        if check is not None:
            checked_on, outcome = check if isinstance(check, tuple) else (check, "compliant")
            ComplianceCheckFactory(arrangement=arrangement, checked_on=checked_on, outcome=outcome)
        if n % 6 == 0:  # a second provider, so a service has several arrangements
            TrainingArrangementFactory(
                service_provider=service, training_provider=providers[(n + 1) % len(providers)]
            )
        if n % 9 == 4:  # one ended: not current
            TrainingArrangementFactory(
                service_provider=service,
                training_provider=providers[(n + 2) % len(providers)],
                ends_on=days(-200),
            )
    ServiceProviderFactory(name="Service with no arrangement")
    ContractFactory(
        commissioner=commissioner, service_provider=ServiceProviderFactory(name="No arrangement")
    )
    return commissioner


def _instance_rows(commissioner, on):
    """The rows as the instance path gives them: `arrangement_verdict` on arrangements with
    everything it reads prefetched."""
    contracts = list(contracts_on(commissioner, on))
    services = {}
    for contract in contracts:
        services.setdefault(contract.service_provider_id, []).append(contract)
    arrangements = {}
    for arrangement in TrainingArrangement.objects.with_verdict_data().order_by(
        "service_provider", "training_provider__name", "pk"
    ):
        arrangements.setdefault(arrangement.service_provider_id, []).append(arrangement)
    rows = []
    for service_contracts in services.values():
        service = service_contracts[0].service_provider
        if not service_contracts[0].service_shared:
            rows.append(not_shared_service(service, service_contracts, on))
            continue
        verdicts = [arrangement_verdict(a, on) for a in arrangements.get(service.pk, [])]
        verdict = ServiceVerdict(service, on, [v for v in verdicts if v is not None])
        reviews = [r for c in service_contracts for r in c.reviews.all()]
        rows.append(contracted_service_verdict(verdict, service_contracts, reviews, on))
    return [r for r in rows if r is not None]


def _said(row):
    """Everything a row says on the overview, its export, report and API."""
    check = row.last_check
    return {
        "service": row.service_provider.name,
        "shared": row.shared,
        "counted": row.counted,
        "state": row.state,
        "reasons": [(r.state, r.code, r.text) for r in row.reasons],
        "service_fields": (
            row.service_provider.pk,
            row.service_provider.slug,
            row.service_provider.cqc_location_id,
            row.service_provider.region.label,
        ),
        "contracts": [
            (
                c.reference,
                c.starts_on,
                c.ends_on,
                c.requires_certified_training,
                c.confirmation,
                c.consent_label(),
            )
            for c in row.contracts
        ],
        "overdue_reviews": [r.pk for r in row.overdue_reviews],
        "last_check": (check.pk, check.checked_on, check.get_outcome_display()) if check else None,
        "arrangements": [
            (
                a.arrangement.pk,
                a.arrangement.training_provider.name,
                a.arrangement.training_provider.get_absolute_url(),
                a.arrangement.get_route_display(),
                a.headline.kind,
                a.headline.label,
                a.headline.short_label,
                a.headline.colour,
                a.state,
                (a.last_check.pk, a.last_check.checked_on) if a.last_check else None,
            )
            for a in row.arrangements
        ],
    }


@pytest.mark.parametrize("offset", [0, 15, 25, 120, -40])
def test_overview_rows_say_what_the_instance_path_says(offset):
    commissioner = _commissioned_every_case()
    on = timezone.localdate() + dt.timedelta(days=offset)
    from_periods = [_said(row) for row in overview_rows(contracts_on(commissioner, on), on)]
    from_instances = [_said(row) for row in _instance_rows(commissioner, on)]
    assert len(from_periods) > 30
    assert from_periods == from_instances
    if offset == 0:  # the cases are as said on the day they are built for
        codes = {code for row in from_periods for _, code, _ in row["reasons"]}
        assert codes >= {
            "body_not_accredited",
            "parent_not_valid",
            "suspended",
            "working_towards",
            "expired",
            "withdrawn",
            "not_on_register",
            "ends_soon",
            "scope",
            "check_overdue",
            "check_outcome",
            "no_arrangement",
            "review_actions_overdue",
        }
        texts = {text for row in from_periods for _, _, text in row["reasons"]}
        assert any("with Parent ending soon's certificate" in text for text in texts)
        assert {row["shared"] for row in from_periods} == {True, False}
        assert {row["counted"] for row in from_periods} == {True, False}


def test_overview_rows_take_a_fixed_number_of_queries():
    """Whatever the number of services, arrangements and training providers (the providers
    whose headline comes from the verdict are read in one batch)."""
    commissioner = _commissioned_every_case()
    on = timezone.localdate()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = overview_rows(contracts_on(commissioner, on), on)
        return len(captured), len(rows)

    before, rows_before = queries()
    for arrangement in list(TrainingArrangement.objects.all()):
        service = ServiceProviderFactory()
        ContractFactory(commissioner=commissioner, service_provider=service)
        ComplianceCheckFactory(
            arrangement=TrainingArrangementFactory(
                service_provider=service, training_provider=arrangement.training_provider
            )
        )
    after, rows_after = queries()
    assert rows_after > 2 * rows_before - 5
    assert after == before
