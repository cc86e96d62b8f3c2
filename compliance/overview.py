"""A commissioner's compliance overview: one row per contracted service, on a date.

Everything is read in a fixed number of queries whatever the number of contracts (contracts
with their reviews, then the services' arrangements with their training providers' headlines,
compliance.overview_rows), and the state of each service comes from the one rule,
`compliance.verdicts.contracted_service_verdict`.
Because the state is computed in Python, the state filter, the counts, the sort and the
pagination work on the computed rows, after the database filters.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from .models import Contract, TrainingArrangement
from .overview_rows import arrangement_verdicts, contract_rows, review_rows
from .verdicts import (
    ComplianceState,
    ContractedServiceVerdict,
    ServiceVerdict,
    contracted_service_verdict,
    not_shared_service,
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
_KEY_OF_STATE = {state: key for key, state in _STATE_BY_KEY.items()}

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
    return _KEY_OF_STATE[row.state]


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


def _relying(arrangements, on: date, training_provider=None, body=None):
    """The arrangements current on `on` relying on this training provider or body."""
    arrangements = arrangements.current_on(on)
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
    return arrangements


def depending_on(contracts, on: date, training_provider=None, body=None):
    """Contracts whose service, on `on`, relies on this training provider or body.

    A service relies on a training provider it has a current arrangement with, or whose
    certification is an affiliate of that provider's; on a body that certifies (or certifies the
    parent of) one of its current training providers. Its arrangements are private records, so
    only services that share them with the commissioner today are found.
    """
    arrangements = _relying(TrainingArrangement.objects.all(), on, training_provider, body)
    return contracts.of_shared_services(timezone.localdate()).filter(
        service_provider__in=arrangements.values("service_provider")
    )


def relied_on(rows, on: date, training_provider=None, body=None) -> set:
    """The ids of the arrangements of these overview rows through which `depending_on` found
    their services: one query."""
    services = [row.service_provider.pk for row in rows if row.shared]
    arrangements = TrainingArrangement.objects.filter(service_provider__in=services)
    relying = _relying(arrangements, on, training_provider, body)
    return set(relying.values_list("pk", flat=True))


def overview_rows(contracts, on: date) -> list[ContractedServiceVerdict]:
    """One verdict per contracted service, in a fixed number of queries.

    `contracts` is a Contract queryset from `contracts_on` (already filtered by the database
    filters). A service's private records (arrangements, checks) are read only when it shares
    them with the commissioner; the others are rows with nothing but their contracts. The
    arrangements' verdicts come from their training providers' headline periods
    (compliance.overview_rows), with the reasons of `compliance.verdicts`.
    """
    reviews_by_contract = review_rows(contracts)
    services, contracts_by_service, shared = {}, {}, set()
    for contract in contract_rows(contracts):
        service = contract.service_provider
        services.setdefault(service.pk, service)
        contracts_by_service.setdefault(service.pk, []).append(contract)
        if contract.service_shared:
            shared.add(service.pk)
    arrangements = arrangement_verdicts(shared, on) if shared else {}
    rows = []
    for service_id, service in services.items():
        service_contracts = contracts_by_service[service_id]
        if service_id in shared:
            reviews = [r for c in service_contracts for r in reviews_by_contract[c.pk]]
            verdict = ServiceVerdict(service, on, arrangements.get(service_id, []))
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
