"""The SQL side of a provider's headline, so the register can filter and sort by it.

The rules live in certification/verdicts.py (Python). `certification.headline_periods` stores
each provider's headline as dated periods worked out by those very rules, so here the headline
on a date is one join: the period covering it, or "not on the register" when none does.
tests/providers/test_headline_sql.py builds providers in every headline case and checks the
SQL and the Python agree.
"""

from django.db.models import F, FilteredRelation, IntegerField, Prefetch, Q, Value
from django.db.models.functions import Coalesce

from accounts.querysets import MemberScopedQuerySet
from certification.verdicts import Headline

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


def with_headline(providers, on):
    """Annotate providers with `headline_rank` (a Headline value), `headline_valid_until`
    (the end date of the certificate their headline is about) and `headline_ends_on` (that
    date, or an affiliate's parent's end if sooner: when it stops counting) on `on`.

    Periods of one provider never overlap, so the join adds at most one row per provider.
    Annotating twice is harmless (the filters and the export both ask for it)."""
    if "headline_rank" in providers.query.annotations:
        return providers
    period = FilteredRelation(
        "headline_periods",
        condition=Q(headline_periods__starts_on__lte=on, headline_periods__ends_on__gt=on),
    )
    return providers.annotate(_period_on=period).annotate(
        headline_rank=Coalesce(
            F("_period_on__headline"),
            Value(int(Headline.NOT_ON_REGISTER)),
            output_field=IntegerField(),
        ),
        headline_valid_until=F("_period_on__valid_until"),
        headline_ends_on=F("_period_on__certificate_ends_on"),
    )


class TrainingProviderQuerySet(MemberScopedQuerySet):
    def active(self):
        """On the public register: not archived."""
        return self.filter(is_archived=False)

    def with_headline(self, on):
        return with_headline(self, on)

    def with_ukas_accredited_body(self, on):
        """Only providers whose headline on `on` is about a certificate by a body whose UKAS
        accreditation counts then (`CertificationBody.accreditation_counts_on`, stored in
        the headline periods by the one verdict)."""
        return with_headline(self, on).filter(_period_on__body_accredited=True)

    def with_verdict_data(self):
        """What `provider.headline(on)` reads, in a fixed number of queries."""
        from certification.models import Certification

        return self.select_related("region").prefetch_related(
            Prefetch("certifications", queryset=Certification.objects.with_verdict_data())
        )

    def for_provider_page(self):
        """Everything a provider's page shows, in a fixed number of queries: its
        certifications with their verdict data and scope, the affiliates under them with
        theirs, its curricula and the regions it serves."""
        from certification.models import Certification

        from .models import Curriculum

        scope = ("populations", "settings", "regions", "curricula", "specialist_content")
        # Unordered (the profile orders them): the default order joins two tables, and with
        # this many selected columns Django's compiler spends milliseconds matching them
        # against an ORDER BY.
        affiliates = (
            Certification.objects.with_verdict_data()
            .filter(provider__is_archived=False, is_archived=False)
            .order_by()
        )
        certifications = (
            Certification.objects.with_verdict_data()
            .select_related("standards_edition")
            .prefetch_related(*scope, Prefetch("affiliates", queryset=affiliates))
            .order_by()
        )
        curricula = Curriculum.objects.prefetch_related(
            "populations", "settings", "specialist_content"
        )
        return self.select_related("region").prefetch_related(
            "regions_served",
            Prefetch("certifications", queryset=certifications),
            Prefetch("curricula", queryset=curricula),
        )
