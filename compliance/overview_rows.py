"""The overview's arrangement verdicts from their training providers' headline periods.

`service_verdict` reads each arrangement's training provider's whole history (certifications,
events, bodies' accreditation changes, scope) as model instances: for a commissioner with
hundreds of services that prefetch was most of the page. Here each training provider's
headline on the date is read from its stored headline period instead, as the register reads
it (`with_headline`, providers.register_rows: the period applies the bodies' accreditation
when read), joined in the arrangements' own query, and worked out once per provider however
many arrangements share it; the scope test reads the terms needed, then those covered, in a
query each (certification.scope_labels); each arrangement's last check is found in the same
row.
A fixed number of queries whatever the number of rows, and no model instances: what the
pages show of an arrangement, its provider and its last check are small named tuples.

A period does not say everything a reason can: a headline 2 whose body counts is not valid
for a reason only the verdict knows (a parent not valid, certificate dates), and a valid
affiliate's certificate can end soon with an ancestor's certificate, whose provider the
reason names. Those rare providers take their headline from the verdict itself, in one fixed
batch of queries. Either way the reasons come from `compliance.verdicts.arrangement_reasons`,
as on every other page; tests/compliance/test_overview_rows.py checks the rows equal the
instance path's (`service_verdict`) in every case.
"""

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from certification.headline_periods import accreditations_not_counting
from certification.models import Certification
from certification.scope_labels import links, terms
from certification.verdicts import HEADLINE_LABELS, Headline, ends_with_an_ancestor_soon
from providers.models import TrainingProvider
from providers.querysets import HEADLINE_FIELDS, with_headline

from .models import ComplianceCheck, Contract, ContractReview, ServiceProvider, TrainingArrangement
from .verdicts import (
    ArrangementVerdict,
    TrainerHeadline,
    arrangement_reasons,
    missing_terms,
)

# A training provider's headline period on the date, read through an arrangement.
_PERIOD_VALUES = (
    HEADLINE_FIELDS["headline"],
    HEADLINE_FIELDS["label"],
    HEADLINE_FIELDS["status_since"],
    HEADLINE_FIELDS["body_accredited"],
    HEADLINE_FIELDS["valid_until"],
    HEADLINE_FIELDS["certificate_ends_on"],
    HEADLINE_FIELDS["certification_id"],
    # Which certificate the period is about, and its parent: not what accreditation changes.
    "_period_on__certification__parent_id",
)


# Headline(rank) by a dictionary: the Enum's own lookup, once a provider, was slower.
_HEADLINE_OF_RANK = {int(kind): kind for kind in Headline}


def trainer_headlines(periods: dict, on: date) -> dict:
    """{provider id: TrainerHeadline} on `on` of these training providers, from {provider
    id: its headline period's values (_PERIOD_VALUES)}."""
    headlines, from_verdicts = {}, []
    for pk, (
        rank,
        label,
        since,
        accredited,
        valid_until,
        ends_on,
        certification,
        parent,
    ) in periods.items():
        kind = _HEADLINE_OF_RANK[rank]
        if kind == Headline.NOT_ON_REGISTER:
            headlines[pk] = TrainerHeadline(kind, HEADLINE_LABELS[kind])
        elif kind == Headline.CERTIFIED_NOT_VALID and accredited:
            from_verdicts.append(pk)  # not valid for a reason only the verdict says
        elif ends_with_an_ancestor_soon(kind, parent, ends_on, valid_until, on):
            from_verdicts.append(pk)  # ends soon with an ancestor's certificate: whose?
        else:
            headlines[pk] = TrainerHeadline(
                kind,
                label,
                since=since,
                body_accredited=accredited,
                ends_on=ends_on,
                certification_id=certification,
            )
    if from_verdicts:
        providers = TrainingProvider.objects.filter(pk__in=from_verdicts).with_verdict_data()
        headlines.update({p.pk: TrainerHeadline.of(p.headline(on)) for p in providers})
    return headlines


class Trainer(NamedTuple):
    """What the overview shows of an arrangement's training provider."""

    pk: int
    slug: str
    name: str

    def get_absolute_url(self):
        return reverse("providers:detail", args=[self.slug])


class Arrangement(NamedTuple):
    """What the overview shows of a training arrangement (the fields of TrainingArrangement
    it reads), so its rows are built from values, not model instances."""

    pk: int
    route: str
    training_provider: Trainer

    def get_route_display(self):
        return TrainingArrangement.Route(self.route).label


class LastCheck(NamedTuple):
    """What the overview shows of an arrangement's last compliance check."""

    pk: int
    checked_on: date
    recorded_at: object
    outcome: str

    def get_outcome_display(self):
        return ComplianceCheck.Outcome(self.outcome).label


class Region(NamedTuple):
    label: str


class Service(NamedTuple):
    """What the overview, its export, report and API show of a contracted service."""

    pk: int
    slug: str
    name: str
    cqc_location_id: str
    region: Region


class ContractRow(NamedTuple):
    """What they show of a contract loaded `with_access_on`; its rules are the model's own."""

    pk: int
    reference: str
    starts_on: date
    ends_on: date | None
    requires_certified_training: bool
    confirmation: str
    decided_at: object
    grants_access: bool
    service_shared: bool
    service_provider: Service

    Confirmation = Contract.Confirmation
    is_current_on = Contract.is_current_on
    consent_label = Contract.consent_label


class ReviewRow(NamedTuple):
    """What the state rule reads of a contract review; its rule is the model's own."""

    pk: int
    contract_id: int
    reviewed_on: date
    actions_due_on: date | None
    actions_completed_on: date | None

    actions_overdue_on = ContractReview.actions_overdue_on


def contract_rows(contracts) -> list[ContractRow]:
    """The contracts of a `contracts_on` queryset as rows, in its order, each service one
    Service however many contracts it has."""
    services = {}
    rows = []
    values = contracts.values_list(
        *(f for f in ContractRow._fields if f != "service_provider"),
        "service_provider_id",
        "service_provider__slug",
        "service_provider__name",
        "service_provider__cqc_location_id",
        "service_provider__region__label",
    )
    for *fields, service_id, slug, name, cqc_location_id, region in values:
        service = services.get(service_id)
        if service is None:
            service = services[service_id] = Service(
                service_id, slug, name, cqc_location_id, Region(region)
            )
        rows.append(ContractRow(*fields, service))
    return rows


def review_rows(contracts) -> dict:
    """{contract id: [ReviewRow]} of these contracts (a queryset), oldest review first."""
    reviews = defaultdict(list)
    rows = ContractReview.objects.filter(contract__in=contracts.values("pk")).order_by(
        "reviewed_on", "pk"
    )
    for review in rows.values_list(*ReviewRow._fields):
        reviews[review[1]].append(ReviewRow(*review))
    return reviews


def _last_check_pk(on):
    """The id of the arrangement's latest check made by `on`, as `last_check_of` picks it.
    Only the id: its other fields are read by id afterwards (`_last_checks`), not by a
    subquery of their own per arrangement each."""
    latest = ComplianceCheck.objects.filter(arrangement=OuterRef("pk"), checked_on__lte=on)
    return Subquery(latest.order_by("-checked_on", "-recorded_at", "-pk").values("pk")[:1])


def _last_checks(ids) -> dict:
    """{check id: LastCheck} of these checks (ids)."""
    if not ids:
        return {}
    rows = ComplianceCheck.objects.filter(pk__in=sorted(ids)).values_list(*LastCheck._fields)
    return {row[0]: LastCheck(*row) for row in rows}


def arrangement_verdicts(services, on: date) -> dict:
    """{service id: [ArrangementVerdict]} of the arrangements of these services (ids)
    current on `on`, in training provider name order (as `service_verdict`). Each query
    after the first is of the ids the one before found: a subquery repeating the services'
    contracts' conditions cost more to build and plan than the ids to send."""
    services = sorted(services)
    current = TrainingArrangement.objects.current_on(on).filter(service_provider__in=services)
    # Each with its training provider's headline period on `on`, as the register reads it
    # (one join in the same query), and its last check.
    with_period = with_headline(
        current, on, accreditations_not_counting(on), through="training_provider__"
    )
    rows = (
        with_period.order_by("service_provider", "training_provider__name", "pk")
        .annotate(last_check_pk=_last_check_pk(on))
        .values_list(
            "pk",
            "route",
            "service_provider_id",
            "training_provider_id",
            "training_provider__slug",
            "training_provider__name",
            "last_check_pk",
            *_PERIOD_VALUES,
        )
    )
    found, periods = [], {}
    for pk, route, service, provider, slug, name, check, *period in rows:
        found.append((Arrangement(pk, route, Trainer(provider, slug, name)), service, check))
        periods[provider] = period
    if not found:
        return {}
    last_checks = _last_checks({check for _a, _s, check in found if check is not None})
    arrangements = [(a, service, last_checks.get(check)) for a, service, check in found]
    headlines = trainer_headlines(periods, on)
    # Only a valid headline's certificate is checked for its scope.
    certifications = {h.certification_id for h in headlines.values() if h.is_valid}

    # The scope test: the terms the services and the content bought need, then which of those
    # the training providers' certifications cover: a query each (certification.scope_labels).
    needed = terms(
        {
            "populations": (ServiceProvider.populations, services),
            "settings": (ServiceProvider.settings, services),
            "specialist_content": (
                TrainingArrangement.specialist_content,
                [arrangement.pk for arrangement, _service, _check in arrangements],
            ),
        }
    )
    covered = links(
        {
            name: (
                getattr(Certification, name),
                sorted(certifications),
                sorted({t.pk for found in needed[name].values() for t in found}),
            )
            for name in needed
        }
    )

    verdicts = defaultdict(list)
    nothing = ()
    for arrangement, service, last_check in arrangements:
        headline = headlines[arrangement.training_provider.pk]
        scope_gaps = []
        if headline.is_valid:
            certification = headline.certification_id
            for name, owner in (
                ("populations", service),
                ("settings", service),
                ("specialist_content", arrangement.pk),
            ):
                scope_gaps += missing_terms(
                    needed[name].get(owner, nothing), covered[name].get(certification, nothing)
                )
        reasons = arrangement_reasons(headline, on, scope_gaps, last_check)
        verdicts[service].append(ArrangementVerdict(arrangement, on, headline, reasons, last_check))
    return verdicts
