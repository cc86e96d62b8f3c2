"""Does a service provider's training comply? Rules: ../shared/domain/verdicts.md.

Built on `certification.verdicts` (the provider headline); adds the service's own side: its
populations and settings, the content it bought, and its compliance checks.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

from certification.calendar import within_months
from certification.verdicts import (
    ENDING_SOON_DAYS,
    Headline,
    HeadlineKindShown,
    ProviderHeadline,
    long_date,
)

# A compliance check is in date for this many calendar months (verdicts.md: a check made on
# 1 March 2023 is within 12 months on 1 March 2024).
CHECK_VALID_MONTHS = 12


class ComplianceState(IntEnum):
    """Worse is larger, so the state of several reasons is their max()."""

    COMPLIANT = 0
    ACTION_NEEDED = 1
    NOT_COMPLIANT = 2

    @property
    def label(self):
        return {0: "Compliant", 1: "Action needed", 2: "Not compliant"}[self.value]

    @property
    def colour(self):
        return {0: "green", 1: "yellow", 2: "red"}[self.value]


@dataclass(frozen=True)
class Reason:
    """One reason in words, and its kind (`code`) so pages can count reasons of a kind."""

    state: ComplianceState
    text: str
    code: str = ""


# What each reason code is called when reasons are counted ("2 certification suspended").
REASON_LABELS = {
    "body_not_accredited": "Certification body not UKAS-accredited",
    "parent_not_valid": "Parent certification not valid",
    "suspended": "Certification suspended",
    "working_towards": "Working towards certification only",
    "expired": "Certification expired",
    "withdrawn": "Certification withdrawn",
    "not_on_register": "No certification on the register",
    "ends_soon": "Certificate ends within 90 days",
    "scope": "Scope does not cover the service",
    "check_overdue": "Compliance check overdue",
    "check_outcome": "Last compliance check not compliant",
    "no_arrangement": "No training arrangement recorded",
    "review_actions_overdue": "Contract review actions overdue",
}


@dataclass(frozen=True)
class TrainerHeadline(HeadlineKindShown):
    """What an arrangement's verdict reads of its training provider's headline on a date, and
    what the overview shows of it: from the verdict itself (`of`), or from the provider's
    stored headline period (compliance.overview_rows), so both give their reasons through
    the one `arrangement_reasons`.

    `body_accredited`, `parent_valid` and `not_valid_because` are the certification verdict's
    (CertificationVerdict), for a headline 2's reason; `ends_on` is when a valid certificate
    stops counting, `ends_with` the name of the provider whose certificate it ends with when
    that is not its own; `certification_id` the certificate whose scope is tested."""

    kind: Headline
    label: str
    since: date | None = None
    body_accredited: bool = False
    parent_valid: bool | None = None
    not_valid_because: str | None = None
    ends_on: date | None = None
    ends_with: str | None = None
    certification_id: int | None = None

    @classmethod
    def of(cls, headline: ProviderHeadline):
        verdict = headline.verdict
        if verdict is None:
            return cls(headline.kind, headline.label)
        ends_with = verdict.ends_with
        return cls(
            kind=headline.kind,
            label=headline.label,
            since=headline.since,
            body_accredited=verdict.body_accredited,
            parent_valid=verdict.parent_valid,
            not_valid_because=verdict.not_valid_because,
            ends_on=verdict.ends_on,
            ends_with=ends_with.provider.name if ends_with is not None else None,
            certification_id=verdict.certification.pk,
        )


@dataclass(frozen=True)
class ArrangementVerdict:
    """`headline`: the provider's ProviderHeadline (the instance path), or its
    TrainerHeadline (the overview's rows, compliance.overview_rows): both have the kind,
    label, colour and short label pages show."""

    arrangement: object
    on: date
    headline: object
    reasons: list[Reason] = field(default_factory=list)
    last_check: object = None

    @property
    def state(self):
        return max((r.state for r in self.reasons), default=ComplianceState.COMPLIANT)


def missing_scope(terms_needed, terms_covered):
    """The terms needed that the covered ones leave out, in the order needed."""
    return missing_terms(terms_needed, {t.pk for t in terms_covered})


def missing_terms(terms_needed, covered_ids):
    """`missing_scope`, with the covered terms' ids."""
    return [t for t in terms_needed if t.pk not in covered_ids]


def _headline_reasons(headline: TrainerHeadline):
    not_ok, action = ComplianceState.NOT_COMPLIANT, ComplianceState.ACTION_NEEDED
    kind, since = headline.kind, headline.since
    if kind == Headline.CERTIFIED_NOT_VALID:
        if not headline.body_accredited:  # CertificationBody.accreditation_counts_on
            return [Reason(not_ok, "certification body not UKAS-accredited", "body_not_accredited")]
        if headline.parent_valid is False:
            return [Reason(not_ok, "parent certification not valid", "parent_not_valid")]
        return [Reason(not_ok, f"certification not valid: {headline.not_valid_because}", "")]
    if kind == Headline.SUSPENDED:
        return [Reason(not_ok, f"certification suspended on {long_date(since)}", "suspended")]
    if kind == Headline.WORKING_TOWARDS:
        return [
            Reason(
                action, f"working towards certification since {long_date(since)}", "working_towards"
            )
        ]
    if kind == Headline.EXPIRED:
        return [Reason(not_ok, f"certification expired on {long_date(since)}", "expired")]
    if kind == Headline.WITHDRAWN:
        return [Reason(not_ok, f"certification withdrawn on {long_date(since)}", "withdrawn")]
    if kind == Headline.NOT_ON_REGISTER:
        return [Reason(not_ok, "no certification on the register", "not_on_register")]
    return []


def last_check_of(checks, on: date):
    """The latest of `checks` made on or before `on`."""
    past_checks = [c for c in checks if c.checked_on <= on]
    return max(past_checks, key=lambda c: (c.checked_on, c.recorded_at), default=None)


def arrangement_reasons(headline: TrainerHeadline, on: date, scope_gaps, last_check):
    """The reasons of an arrangement on `on` (verdicts.md), the one rule for every page:
    `headline` its training provider's, `scope_gaps` the terms (with a `label`) the service
    and the content bought need that the headline's certificate does not cover (populations,
    settings, then specialist content: `missing_scope`, read only for a valid headline),
    `last_check` its latest check made by `on`."""
    reasons = _headline_reasons(headline)
    if not headline.is_valid:
        return reasons
    action = ComplianceState.ACTION_NEEDED
    if headline.ends_on is not None and (headline.ends_on - on).days <= ENDING_SOON_DAYS:
        text = f"certificate ends on {long_date(headline.ends_on)}"
        if headline.ends_with is not None:  # an affiliate's parent's certificate ends first
            text += f", with {headline.ends_with}'s certificate"
        reasons.append(Reason(action, text, "ends_soon"))
    for term in scope_gaps:
        reasons.append(Reason(action, f"scope does not cover {term.label.lower()}", "scope"))
    if last_check is None or not within_months(last_check.checked_on, on, CHECK_VALID_MONTHS):
        reasons.append(Reason(action, "compliance check overdue", "check_overdue"))
    elif last_check.outcome != "compliant":
        reasons.append(
            Reason(
                action,
                f"last compliance check: {last_check.get_outcome_display().lower()}",
                "check_outcome",
            )
        )
    return reasons


def arrangement_verdict(arrangement, on: date, checks=None) -> ArrangementVerdict | None:
    """The state of one training arrangement on `on`, or None when it is not current then.

    Reads prefetched relations: the training provider's certifications (with verdict data),
    the service's populations and settings, the arrangement's content and its checks (or the
    `checks` given).
    """
    if not arrangement.is_current_on(on):
        return None
    headline = arrangement.training_provider.headline(on)
    checks = arrangement.checks.all() if checks is None else checks
    last_check = last_check_of(checks, on)
    scope_gaps = []
    if headline.is_valid:
        certification = headline.verdict.certification
        service = arrangement.service_provider
        scope_gaps = [
            *missing_scope(service.populations.all(), certification.populations.all()),
            *missing_scope(service.settings.all(), certification.settings.all()),
            *missing_scope(
                arrangement.specialist_content.all(), certification.specialist_content.all()
            ),
        ]
    reasons = arrangement_reasons(TrainerHeadline.of(headline), on, scope_gaps, last_check)
    return ArrangementVerdict(arrangement, on, headline, reasons, last_check)


@dataclass(frozen=True)
class ServiceVerdict:
    """A commissioned service's state: the worst of its current arrangements."""

    service_provider: object
    on: date
    arrangements: list[ArrangementVerdict]

    @property
    def reasons(self):
        """Every arrangement's reasons, each naming its training provider ("Bright Skills
        Ltd: certification suspended on 1 December 2026"): a service can rely on several."""
        if not self.arrangements:
            return [
                Reason(
                    ComplianceState.NOT_COMPLIANT,
                    "no training arrangement recorded",
                    "no_arrangement",
                )
            ]
        return [
            Reason(r.state, f"{a.arrangement.training_provider.name}: {r.text}", r.code)
            for a in self.arrangements
            for r in a.reasons
        ]

    @property
    def state(self):
        return max((r.state for r in self.reasons), default=ComplianceState.COMPLIANT)


def service_verdict(service_provider, on: date) -> ServiceVerdict:
    """Reads prefetched `training_arrangements` with their providers' verdict data."""
    verdicts = [arrangement_verdict(a, on) for a in service_provider.training_arrangements.all()]
    return ServiceVerdict(service_provider, on, [v for v in verdicts if v is not None])


@dataclass(frozen=True)
class ContractedServiceVerdict:
    """A service as one commissioner sees it on a date: its verdict under its contracts.

    `counted` is False when none of its current contracts requires certified training: the
    service is shown, with its verdict for information, but left out of the counts.
    `shared` is False when the service has not confirmed a contract with this commissioner
    (`not_shared_service`): the row has no verdict, arrangements or checks, and no state.
    """

    service_verdict: ServiceVerdict
    contracts: list
    overdue_reviews: list
    counted: bool
    reasons: list[Reason]
    shared: bool = True

    @property
    def service_provider(self):
        return self.service_verdict.service_provider

    @property
    def on(self):
        return self.service_verdict.on

    @property
    def arrangements(self):
        return self.service_verdict.arrangements

    @property
    def state(self):
        if not self.shared:
            return None  # nothing private is known, so no state either
        return max((r.state for r in self.reasons), default=ComplianceState.COMPLIANT)

    @property
    def last_check(self):
        checks = [a.last_check for a in self.arrangements if a.last_check is not None]
        return max(checks, key=lambda c: (c.checked_on, c.recorded_at), default=None)


def contracted_service_verdict(
    service_verdict: ServiceVerdict, contracts, reviews, on: date
) -> ContractedServiceVerdict | None:
    """The commissioner's state rule (verdicts.md, "A commissioner's contracted service on D").

    The service's own verdict (the worst of its current arrangements; not compliant when it has
    none), for the `contracts` current on `on` (None when there are none: the service is not
    on the overview that day), plus the contract reviews whose agreed actions are overdue on
    `on`, which need action. Counted only when some current contract requires certified
    training.
    """
    current = [c for c in contracts if c.is_current_on(on)]
    if not current:
        return None
    current_ids = {c.pk for c in current}
    overdue = [r for r in reviews if r.contract_id in current_ids and r.actions_overdue_on(on)]
    reasons = list(service_verdict.reasons)
    for review in sorted(overdue, key=lambda r: r.actions_due_on):
        reasons.append(
            Reason(
                ComplianceState.ACTION_NEEDED,
                f"actions from the contract review of {long_date(review.reviewed_on)} "
                f"were due on {long_date(review.actions_due_on)}",
                "review_actions_overdue",
            )
        )
    counted = any(c.requires_certified_training for c in current)
    return ContractedServiceVerdict(service_verdict, current, overdue, counted, reasons)


def not_shared_service(service_provider, contracts, on: date) -> ContractedServiceVerdict | None:
    """A contracted service whose private records this commissioner may not see on `on` (no
    confirmed contract grants it: compliance.models.ContractQuerySet.granting_access_on): its
    contracts current on `on`, and nothing else. Never counted. None when none is current."""
    current = [c for c in contracts if c.is_current_on(on)]
    if not current:
        return None
    nothing_known = ServiceVerdict(service_provider, on, [])
    return ContractedServiceVerdict(nothing_known, current, [], False, [], shared=False)
