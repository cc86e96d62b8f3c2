"""A commissioner's compliance overview: one row per contracted service, on a date.

Everything is read in a fixed number of queries whatever the number of contracts (contracts
with their reviews, then the services with everything `service_verdict` reads), and the state of
each service comes from the one rule, `compliance.verdicts.contracted_service_verdict`.
Because the state is computed in Python, the state filter, the counts, the sort and the
pagination work on the computed rows, after the database filters.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from .models import ComplianceCheck, Contract, ContractReview, TrainingArrangement
from .querysets import certifications_with_verdict_and_scope
from .verdicts import (
    ComplianceState,
    ContractedServiceVerdict,
    contracted_service_verdict,
    not_shared_service,
    service_verdict,
)

NOT_COUNTED = "not_counted"
NOT_SHARED = "not_shared"

STATE_CHOICES = [
    ("not_compliant", "Not compliant"),
    ("action_needed", "Action needed"),
    ("compliant", "Compliant"),
    (NOT_COUNTED, "Certified training not required"),
    (NOT_SHARED, "Not confirmed by the service provider"),
]
_STATE_BY_KEY = {
    "compliant": ComplianceState.COMPLIANT,
    "action_needed": ComplianceState.ACTION_NEEDED,
    "not_compliant": ComplianceState.NOT_COMPLIANT,
}

SORT_CHOICES = [
    ("state", "State (worst first)"),
    ("service", "Service name"),
    ("region", "Region"),
    ("last_check", "Last check (oldest first)"),
]


def state_key(row: ContractedServiceVerdict) -> str:
    """The filter key of a row: its state, "not_counted" or "not_shared"."""
    if not row.shared:
        return NOT_SHARED
    if not row.counted:
        return NOT_COUNTED
    return {v: k for k, v in _STATE_BY_KEY.items()}[row.state]


def service_verdict_prefetches(on: date):
    """What `service_verdict` reads for a service on `on`, as prefetches on ServiceProvider."""
    certifications = certifications_with_verdict_and_scope()
    arrangements = (
        TrainingArrangement.objects.current_on(on)
        .select_related("training_provider")
        .prefetch_related(
            "specialist_content",
            Prefetch("checks", queryset=ComplianceCheck.objects.filter(checked_on__lte=on)),
            Prefetch("training_provider__certifications", queryset=certifications),
        )
    )
    return [
        "populations",
        "settings",
        Prefetch("training_arrangements", queryset=arrangements),
    ]


def contracts_on(commissioner, on: date):
    """The commissioner's contracts current on `on`: the rows of the overview, before grouping.

    Each says whether its service's private records are shown to the commissioner today
    (`service_shared`): access is a question of now, whatever date the overview is as of.
    """
    return (
        Contract.objects.filter(commissioner=commissioner)
        .current_on(on)
        .with_access_on(timezone.localdate())
        .select_related("service_provider__region")
    )


def shared_services(commissioner):
    """The services whose private records `commissioner` sees today, as a subquery."""
    return (
        Contract.objects.filter(commissioner=commissioner)
        .granting_access_on(timezone.localdate())
        .values("service_provider")
    )


def depending_on(contracts, on: date, training_provider=None, body=None):
    """Contracts whose service, on `on`, relies on this training provider or body.

    A service relies on a training provider it has a current arrangement with, or whose
    certification is an affiliate of that provider's; on a body that certifies (or certifies the
    parent of) one of its current training providers. Its arrangements are private records, so
    only services that share them with the commissioner today are found.
    """
    arrangements = TrainingArrangement.objects.current_on(on)
    if training_provider is not None:
        arrangements = arrangements.filter(
            Q(training_provider=training_provider)
            | Q(training_provider__certifications__parent__provider=training_provider)
        )
    if body is not None:
        arrangements = arrangements.filter(
            Q(training_provider__certifications__body=body)
            | Q(training_provider__certifications__parent__body=body)
        )
    return contracts.of_shared_services(timezone.localdate()).filter(
        service_provider__in=arrangements.values("service_provider")
    )


def relies_on(arrangement, training_provider=None, body=None) -> bool:
    """Whether this (prefetched) arrangement is the dependency `depending_on` found."""
    provider = arrangement.training_provider
    certifications = list(provider.certifications.all())
    if training_provider is not None and not (
        provider.pk == training_provider.pk
        or any(c.parent and c.parent.provider_id == training_provider.pk for c in certifications)
    ):
        return False
    return body is None or any(
        c.body_id == body.pk or (c.parent and c.parent.body_id == body.pk) for c in certifications
    )


def overview_rows(contracts, on: date) -> list[ContractedServiceVerdict]:
    """One verdict per contracted service, in a fixed number of queries.

    `contracts` is a Contract queryset from `contracts_on` (already filtered by the database
    filters). A service's private records (arrangements, checks) are read only when it shares
    them with the commissioner; the others are rows with nothing but their contracts.
    """
    reviews = Prefetch("reviews", queryset=ContractReview.objects.order_by("reviewed_on"))
    contracts = list(contracts.prefetch_related(reviews))
    services, contracts_by_service, shared = {}, {}, set()
    for contract in contracts:
        services.setdefault(contract.service_provider_id, contract.service_provider)
        contracts_by_service.setdefault(contract.service_provider_id, []).append(contract)
        if contract.service_shared:
            shared.add(contract.service_provider_id)
    prefetch_related_objects([services[pk] for pk in shared], *service_verdict_prefetches(on))
    rows = []
    for service_id, service in services.items():
        service_contracts = contracts_by_service[service_id]
        if service_id in shared:
            reviews = [r for c in service_contracts for r in c.reviews.all()]
            verdict = service_verdict(service, on)
            row = contracted_service_verdict(verdict, service_contracts, reviews, on)
        else:
            row = not_shared_service(service, service_contracts, on)
        if row is not None:
            rows.append(row)
    return rows


@dataclass(frozen=True)
class StateCounts:
    total: int
    compliant: int
    action_needed: int
    not_compliant: int
    not_counted: int
    not_shared: int = 0

    @property
    def counted(self):
        return self.total - self.not_counted - self.not_shared


def count_states(rows) -> StateCounts:
    keys = [state_key(r) for r in rows]
    return StateCounts(
        total=len(keys),
        compliant=keys.count("compliant"),
        action_needed=keys.count("action_needed"),
        not_compliant=keys.count("not_compliant"),
        not_counted=keys.count(NOT_COUNTED),
        not_shared=keys.count(NOT_SHARED),
    )


def filter_state(rows, state: str | None):
    if not state:
        return list(rows)
    return [r for r in rows if state_key(r) == state]


def _name(row):
    return row.service_provider.name.casefold()


def sort_rows(rows, sort: str | None):
    if sort == "service":
        return sorted(rows, key=_name)
    if sort == "region":
        return sorted(rows, key=lambda r: (r.service_provider.region.label, _name(r)))
    if sort == "last_check":
        return sorted(
            rows,
            key=lambda r: (
                not r.shared,
                r.last_check is not None,
                r.last_check.checked_on if r.last_check else date.min,
                _name(r),
            ),
        )
    # Default: worst first; services not counted, then those not shared, last.
    return sorted(rows, key=lambda r: (not r.shared, not r.counted, -(r.state or 0), _name(r)))
