"""The SQL side of a provider's headline, so the register can filter and sort by it.

The rules live in certification/verdicts.py (Python, on prefetched rows); this module says the
same thing in SQL, for one date, so that `?status=certified` returns exactly the providers whose
`provider.headline(on)` is Certified. tests/providers/test_headline_sql.py builds providers in
every headline case and checks the two agree.

How the SQL mirrors verdicts.py:
- a certification's state on D comes from its last event with effective_date <= D (ordered by
  effective date, recorded at, pk), as `Certification.event_on` does: status, certificate
  dates and number as recorded by that event;
- a body is accredited on D when its last accreditation change on or before D says so
  (`CertificationBody.accreditation_status_on`);
- an affiliate is valid only while its parent is valid on D. Chains of affiliates are followed
  to AFFILIATE_DEPTH levels; a deeper chain counts as not valid (none exist in practice: a
  parent is a certified training service).
"""

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.querysets import MemberScopedQuerySet
from certification.statuses import AccreditationStatus, Status
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

AFFILIATE_DEPTH = 3
_NO_STATE = 99  # a certification that did not exist yet on D: it does not count

# (annotation prefix, path to the certification at that level) for the certification itself,
# its parent, its parent's parent…
_LEVELS = [("", "")] + [("p" * n + "_", "parent__" * n) for n in range(1, AFFILIATE_DEPTH + 1)]


def accredited_bodies_on(on):
    """Certification bodies whose UKAS accreditation is in force on `on` (a subquery)."""
    from certification.models import AccreditationChange, CertificationBody

    latest = AccreditationChange.objects.filter(
        body=OuterRef("pk"), effective_date__lte=on
    ).order_by("-effective_date", "-pk")
    return (
        CertificationBody.objects.annotate(_status_on=Subquery(latest.values("status")[:1]))
        .filter(_status_on=AccreditationStatus.ACCREDITED)
        .values("pk")
    )


def _event_in_force(on, path):
    from certification.models import CertificationEvent

    return CertificationEvent.objects.filter(
        certification=OuterRef(f"{path}pk" if path else "pk"), effective_date__lte=on
    ).order_by("-effective_date", "-recorded_at", "-pk")


def with_state_on(certifications, on):
    """Annotate certifications with the state their event in force on `on` records, for the
    certification and each parent level: `_status`, `_certified_on`, `_valid_until`
    (`_p_status` for the parent, `_pp_status` for its parent, …)."""
    annotations = {}
    for prefix, path in _LEVELS:
        event = _event_in_force(on, path)
        for field, source in (
            ("status", "to_status"),
            ("certified_on", "certified_on"),
            ("valid_until", "valid_until"),
        ):
            annotations[f"_{prefix}{field}"] = Subquery(event.values(source)[:1])
    return certifications.annotate(**annotations)


def _valid_on(on, level=0):
    """Q: the certification at `level` (0: itself, 1: its parent, …) is valid on `on`."""
    prefix, path = _LEVELS[level]
    valid = Q(
        **{
            f"_{prefix}status": Status.CERTIFIED,
            f"_{prefix}certified_on__lte": on,
            f"_{prefix}valid_until__gte": on,
            f"{path}body__in": accredited_bodies_on(on),
        }
    )
    no_parent = Q(**{f"{path}parent__isnull": True})
    if level + 1 < len(_LEVELS):
        return valid & (no_parent | _valid_on(on, level + 1))
    return valid & no_parent


def headline_rank(on):
    """A certification's headline on `on` as its Headline value (lower is better), or
    _NO_STATE when it did not exist yet. Needs `with_state_on(…, on)`."""
    certified_in_dates = Q(_status=Status.CERTIFIED) & (
        Q(_valid_until__isnull=True) | Q(_valid_until__gte=on)
    )
    return Case(
        When(_status__isnull=True, then=Value(_NO_STATE)),
        When(_valid_on(on), then=Value(int(Headline.CERTIFIED))),
        When(certified_in_dates, then=Value(int(Headline.CERTIFIED_NOT_VALID))),
        # Certified but past its end date: expired, even before the expiry job has run.
        When(_status=Status.CERTIFIED, then=Value(int(Headline.EXPIRED))),
        When(_status=Status.SUSPENDED, then=Value(int(Headline.SUSPENDED))),
        When(_status=Status.WORKING_TOWARDS, then=Value(int(Headline.WORKING_TOWARDS))),
        When(_status=Status.EXPIRED, then=Value(int(Headline.EXPIRED))),
        When(_status=Status.WITHDRAWN, then=Value(int(Headline.WITHDRAWN))),
        default=Value(_NO_STATE),
        output_field=IntegerField(),
    )


def _ranked_certifications(on):
    """A provider's certifications that existed on `on`, best headline first, then the one
    ending last: the order `certification.verdicts._preference` picks the headline by."""
    from certification.models import Certification

    return (
        with_state_on(Certification.objects.filter(provider=OuterRef("pk")), on)
        .annotate(_rank=headline_rank(on))
        .filter(_rank__lt=_NO_STATE)
        .order_by("_rank", F("_valid_until").desc(nulls_last=True))
    )


def with_headline(providers, on):
    """Annotate providers with `headline_rank` (a Headline value) and `headline_valid_until`
    (the valid-until date of the certification their headline shows) on `on`."""
    ranked = _ranked_certifications(on)
    return providers.annotate(
        headline_rank=Coalesce(
            Subquery(ranked.values("_rank")[:1]),
            Value(int(Headline.NOT_ON_REGISTER)),
            output_field=IntegerField(),
        ),
        headline_valid_until=Subquery(ranked.values("_valid_until")[:1]),
    )


def with_ukas_accredited_body(providers, on):
    """Only providers with a certification (existing on `on`) by a body accredited on `on`."""
    from certification.models import Certification, CertificationEvent

    return providers.filter(
        Exists(
            Certification.objects.filter(
                provider=OuterRef("pk"), body__in=accredited_bodies_on(on)
            ).filter(
                Exists(
                    CertificationEvent.objects.filter(
                        certification=OuterRef("pk"), effective_date__lte=on
                    )
                )
            )
        )
    )


class TrainingProviderQuerySet(MemberScopedQuerySet):
    def active(self):
        """On the public register: not archived."""
        return self.filter(is_archived=False)

    def with_headline(self, on):
        return with_headline(self, on)

    def with_ukas_accredited_body(self, on):
        return with_ukas_accredited_body(self, on)

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
        affiliates = Certification.objects.with_verdict_data().filter(provider__is_archived=False)
        certifications = (
            Certification.objects.with_verdict_data()
            .select_related("standards_edition")
            .prefetch_related(*scope, Prefetch("affiliates", queryset=affiliates))
        )
        curricula = Curriculum.objects.prefetch_related(
            "populations", "settings", "specialist_content"
        )
        return self.select_related("region").prefetch_related(
            "regions_served",
            Prefetch("certifications", queryset=certifications),
            Prefetch("curricula", queryset=curricula),
        )
