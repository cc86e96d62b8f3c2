"""The SQL side of a provider's headline, so the register can filter and sort by it.

The rules live in certification/verdicts.py (Python). `certification.headline_periods` stores
each provider's headline as dated periods worked out by those very rules, so here the headline
on a date is one join: the period covering it, or "not on the register" when none does.
tests/providers/test_headline_sql.py builds providers in every headline case and checks the
SQL and the Python agree.
"""

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    FilteredRelation,
    IntegerField,
    Prefetch,
    Q,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest

from accounts.querysets import MemberScopedQuerySet
from certification.headline_periods import accreditations_not_counting
from certification.verdicts import (
    Headline,
    body_not_counting_because,
    not_valid_label,
    not_valid_reason,
)

# Stable names for the headline kinds: the `status` filter values and the export's `status`.
HEADLINE_SLUGS = {
    Headline.CERTIFIED: "certified",
    Headline.CERTIFIED_NOT_VALID: "certified_not_valid",
    Headline.SUSPENDED: "suspended",
    Headline.WORKING_TOWARDS: "working_towards",
    Headline.EXPIRED: "expired",
    Headline.WITHDRAWN: "withdrawn",
    Headline.NOT_ON_REGISTER: "not_on_register",
}
HEADLINE_BY_SLUG = {slug: kind for kind, slug in HEADLINE_SLUGS.items()}


def with_headline(providers, on, not_counting=None, through=""):
    """Annotate providers with their headline on `on` from the period covering it:
    `headline_rank` (a Headline value), `headline_valid_until` (the end date of the
    certificate their headline is about), `headline_ends_on` (that date, or an affiliate's
    parent's end if sooner: when it stops counting), `headline_label`, `headline_since`,
    `headline_reason` and `headline_body_accredited`.

    The stored periods do not hold the bodies' accreditation (certification.headline_periods,
    where `overlay` is this same rule in Python): it is applied here, so an accreditation
    change is right the moment it commits. Read a period's values through these annotations,
    never `_period_on__…` directly.

    `through`: the path to the training provider from the queryset's model, for another
    model's rows with their provider's headline ("training_provider__" on arrangements).

    `not_counting`: `accreditations_not_counting(on)` if the caller has it already (one
    query a request). Periods of one provider never overlap, so the join adds at most one row
    per provider. Annotating twice is harmless (the filters and the export both ask for it)."""
    if "headline_rank" in providers.query.annotations:
        return providers
    periods = f"{through}headline_periods"
    period = FilteredRelation(
        periods, condition=Q(**{f"{periods}__starts_on__lte": on, f"{periods}__ends_on__gt": on})
    )
    if not_counting is None:
        not_counting = accreditations_not_counting(on)
    # Read as if the body counted, but it does not on `on`.
    lost = Q(_period_on__embeds_accreditation=False, _period_on__body_id__in=list(not_counting))
    # A certified headline by such a body: "Certified, but …" (headline 2).
    demoted = lost & Q(_period_on__headline=int(Headline.CERTIFIED))

    def unless(condition, then, default, output_field=None):
        # With every body's accreditation counting (the usual day) the period reads as
        # stored: no Case to build (resolving the conditions cost a request ~1 ms).
        if not not_counting:
            return default
        return Case(When(condition, then=then), default=default, output_field=output_field)

    def per_body(value_of, default, output_field):
        whens = [
            When(demoted & Q(_period_on__body_id=pk), then=value_of(accreditation))
            for pk, accreditation in not_counting.items()
        ]
        return Case(*whens, default=default, output_field=output_field) if whens else default

    def since(accreditation):
        if accreditation.since is None:
            return F("_period_on__status_since")
        return Greatest(F("_period_on__status_since"), Value(accreditation.since))

    return providers.annotate(_period_on=period).annotate(
        headline_rank=unless(
            demoted,
            Value(int(Headline.CERTIFIED_NOT_VALID)),
            Coalesce(
                F("_period_on__headline"),
                Value(int(Headline.NOT_ON_REGISTER)),
                output_field=IntegerField(),
            ),
            IntegerField(),
        ),
        headline_valid_until=F("_period_on__valid_until"),
        headline_ends_on=unless(
            demoted, F("_period_on__valid_until"), F("_period_on__certificate_ends_on")
        ),
        headline_label=per_body(
            lambda a: Value(not_valid_label(body_not_counting_because(a.status))),
            F("_period_on__label"),
            CharField(),
        ),
        headline_reason=per_body(
            lambda a: Value(not_valid_reason(body_not_counting_because(a.status))),
            F("_period_on__status_reason"),
            TextField(),
        ),
        headline_since=per_body(since, F("_period_on__status_since"), DateField()),
        headline_body_accredited=unless(
            lost, Value(False), F("_period_on__body_accredited"), BooleanField()
        ),
    )


# Where `with_headline` puts each of a period's values (certification.headline_periods
# SHOWN_FIELDS), its body's accreditation applied.
HEADLINE_FIELDS = {
    "headline": "headline_rank",
    "label": "headline_label",
    "certification_id": "_period_on__certification_id",
    "body_id": "_period_on__body_id",
    "certificate_number": "_period_on__certificate_number",
    "certified_on": "_period_on__certified_on",
    "valid_until": "headline_valid_until",
    "certificate_ends_on": "headline_ends_on",
    "status_since": "headline_since",
    "status_reason": "headline_reason",
    "body_accredited": "headline_body_accredited",
}


def period_reads_as(ranks, not_counting, prefix=""):
    """A Q on HeadlinePeriod: the period's headline, its body's accreditation applied as
    `with_headline` applies it (`not_counting`: `accreditations_not_counting(on)`), is one of
    `ranks` (headlines on the register). For a semi-join on the period of the day, where the
    annotations are not at hand, or (`prefix` "_period_on__") on `with_headline`'s own join
    of it: a stored "Certified" by a body whose accreditation does not count reads as
    headline 2, never as "Certified"."""

    def period(**lookups):
        return Q(**{prefix + name: value for name, value in lookups.items()})

    ranks = {int(rank) for rank in ranks}
    certified, not_valid = int(Headline.CERTIFIED), int(Headline.CERTIFIED_NOT_VALID)
    if not not_counting or not ranks & {certified, not_valid}:
        return period(headline__in=sorted(ranks))
    demoted = period(
        headline=certified, embeds_accreditation=False, body_id__in=sorted(not_counting)
    )
    reads = period(headline__in=sorted(ranks - {certified}))
    if certified in ranks:
        reads |= period(headline=certified) & ~demoted
    if not_valid in ranks:
        reads |= demoted
    return reads


def ids_and_count(queryset, start, stop):
    """([pk] of the rows start:stop of `queryset`, how many rows it has in all), read in one
    query; (ids, None) when no row is there to carry the count (past the end)."""
    rows = queryset.annotate(_matches=Window(Count("pk"))).values_list("pk", "_matches")
    rows = list(rows[start:stop])
    if not rows:
        return [], (0 if start == 0 else None)  # nothing matches, or past the end
    return [pk for pk, _ in rows], rows[0][1]


class TrainingProviderQuerySet(MemberScopedQuerySet):
    def active(self):
        """On the public register: not archived."""
        return self.filter(is_archived=False)

    def with_headline(self, on, not_counting=None):
        return with_headline(self, on, not_counting)

    def with_ukas_accredited_body(self, on):
        """Only providers whose headline on `on` is about a certificate by a body whose UKAS
        accreditation counts then (`CertificationBody.accreditation_counts_on`, stored in
        the headline periods by the one verdict)."""
        return with_headline(self, on).filter(
            _period_on__body_accredited=True, headline_body_accredited=True
        )

    def with_verdict_data(self):
        """What `provider.headline(on)` reads, in a fixed number of queries."""
        from certification.models import Certification

        return self.select_related("region").prefetch_related(
            Prefetch("certifications", queryset=Certification.objects.with_verdict_data())
        )

    def for_provider_page(self):
        """What a provider's page reads as records, in a fixed number of queries: its
        certifications with their verdict data and the affiliates under them with theirs, and
        its curricula. Their many-to-many lists (scope, regions served) are read as labels
        (certification.scope_labels, providers.profile)."""
        from certification.models import AccreditationChange, Certification, CertificationEvent

        from .models import Curriculum

        def events():
            return Prefetch("events", queryset=CertificationEvent.objects.order_by())

        def changes(path):
            return Prefetch(path, queryset=AccreditationChange.objects.order_by())

        # An affiliate's parent is the page's certification: the prefetch sets it, with its
        # events and body already read, so no parent is joined or prefetched again. Unordered
        # (the profile orders them): the default order joins two tables, and with this many
        # selected columns Django's compiler spends milliseconds matching them against an
        # ORDER BY.
        affiliates = (
            Certification.objects.filter(provider__is_archived=False, is_archived=False)
            .select_related("body", "provider")
            .prefetch_related(events(), changes("body__accreditation_changes"))
            .order_by()
        )
        # Their provider is the page's (the prefetch sets it).
        certifications = (
            Certification.objects.select_related(
                "body", "parent__body", "parent__provider", "standards_edition"
            )
            .prefetch_related(
                events(),
                changes("body__accreditation_changes"),
                Prefetch("parent__events", queryset=CertificationEvent.objects.order_by()),
                changes("parent__body__accreditation_changes"),
                Prefetch("affiliates", queryset=affiliates),
            )
            .order_by()
        )
        return self.select_related("region").prefetch_related(
            Prefetch("certifications", queryset=certifications),
            Prefetch("curricula", queryset=Curriculum.objects.order_by("name")),
        )
