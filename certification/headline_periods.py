"""A provider's headline as dated periods, so the register can filter and sort by it in SQL.

A provider's headline on date D (`certification.verdicts.provider_headline`) depends only on
dated facts: its certifications' events (effective dates, and the certified-on and valid-until
dates they record), the accreditation changes of their bodies, and the same facts for the
parents of affiliates. Between two such dates it cannot change. So the headline is worked out
by the Python verdict itself at each of those dates and stored as `HeadlinePeriod` rows: the
SQL side can never disagree with the pages (tests/providers/test_headline_sql.py checks every
case of verdicts.md), and it answers for any date, with no nightly job to forget.

The bodies' accreditation is applied when the periods are read, not when they are written
(§ "the body's accreditation, applied when the periods are read" below): an accreditation
change is right on every page at once and rebuilds no provider's periods but the rare ones
that have it worked in.

Periods are rebuilt whenever an event, a certification, or (for those rare ones) an
accreditation change or a body is saved (signals connected in `certification.apps`), and by
the bulk writers (imports, load
data) through `providers_changed`, all through the one writer (derived.writer): inside a
service function's batch each provider is rebuilt once, just before its transaction commits.
`manage.py rebuild_headline_periods` rebuilds them all.

The periods as a whole carry the version of the rules that computed them (`KIND`, recorded in
derived.DerivedVersion): after `migrate` they are rebuilt whenever the recorded version is
not today's (certification.apps), so a release that changes the rules never serves periods
the old rules worked out.
"""

import datetime as dt
import itertools

from django.db import transaction
from django.db.models import FilteredRelation, Q

from derived import versions, writer

from .statuses import AccreditationStatus
from .verdicts import (
    MAX_PARENT_DEPTH,
    BodyAccreditation,
    Headline,
    body_not_counting_because,
    not_valid_label,
    not_valid_reason,
    provider_headline,
)

START = dt.date.min  # a period that began before any record
END = dt.date.max  # a period with no end yet
BATCH = 500


def _dates_that_matter(certification, depth=0):
    """The dates on which this certification's verdict can change."""
    dates = set()
    for event in certification.events.all():
        dates.add(event.effective_date)
        if event.certified_on:
            dates.add(event.certified_on)
        if event.valid_until and event.valid_until < END:
            dates.add(event.valid_until + dt.timedelta(days=1))  # expired from the next day
    for change in certification.body.accreditation_changes.all():
        dates.add(change.effective_date)
    if certification.parent_id is not None and depth < MAX_PARENT_DEPTH:
        dates |= _dates_that_matter(certification.parent, depth + 1)
    return dates


# What a period keeps of a headline, in this order: what the register filters, sorts and
# exports by. A period ends wherever one of these changes.
SHOWN_FIELDS = (
    "headline",
    "label",
    "certification_id",
    "body_id",
    "certificate_number",
    "certified_on",
    "valid_until",
    "certificate_ends_on",
    "status_since",
    "status_reason",
    "body_accredited",
)
_FIELD = {name: n for n, name in enumerate(SHOWN_FIELDS)}


def _shown(headline):
    """The SHOWN_FIELDS values of a headline."""
    verdict = headline.verdict
    if verdict is None:
        return (int(headline.kind), "", None, None, None, None, None, None, None, "", False)
    return (
        int(headline.kind),
        headline.label,
        verdict.certification.pk,
        verdict.certification.body_id,
        verdict.certificate_number,
        verdict.certified_on,
        verdict.valid_until,
        verdict.ends_on,
        headline.since,
        headline.reason,
        # The one answer to "does this body's accreditation count on D?"
        # (CertificationBody.accreditation_counts_on), for the `ukas_valid` filter.
        verdict.body_accredited,
    )


# -- the body's accreditation, applied when the periods are read ------------------------
#
# A body's accreditation change used to rebuild the periods of every provider it certified,
# inside the admin's request (about 2 ms a provider: 20 s for a body of 10,000), and the
# register was stale for any request that read them meanwhile. Instead, a provider's periods
# are stored as its headline would be *if every body's accreditation counted*, and the
# register's querysets apply each body's accreditation on the date when they read them
# (providers.querysets.with_headline; `overlay` below is the same rule in Python): a
# certified headline whose body's accreditation does not count on D reads as "Certified, but
# the certification body's UKAS accreditation is …" since the later of the two dates. So an
# accreditation change is right on every page the moment it commits, and it rewrites no
# stored period at all.
#
# That reading is exact only when the body of the headline's certificate is the one whose
# accreditation matters. `headline_periods` checks it for each provider, at every date that
# matters, against the verdict itself for every combination of its bodies losing their
# accreditation. A provider for which it is not exact (one whose headline moves to another
# body's certificate when a body loses accreditation, or an affiliate of a certificate by
# another body) keeps periods with the accreditation worked in, as before
# (`embeds_accreditation`), and an accreditation change of one of its bodies rebuilds just
# those providers: they hold certificates of two bodies at once, which is rare.

# More bodies than this behind one provider's headline: work the accreditation in instead of
# checking 2**n combinations.
MAX_OVERLAY_BODIES = 3
# What the check assumes a body that has lost accreditation looks like: any status and date
# give the same answer (which certificate wins does not depend on them; the words and the
# date follow from them by the same functions in both the verdict and the overlay).
_LOST = BodyAccreditation(status=AccreditationStatus.SUSPENDED, since=None, counts=False)
_COUNTS = BodyAccreditation(status=AccreditationStatus.ACCREDITED, since=None, counts=True)


def _assuming(lost_body_ids):
    def accreditation(body, on):
        return _LOST if body.pk in lost_body_ids else _COUNTS

    return accreditation


def overlay(shown, accreditation_of):
    """The SHOWN_FIELDS values of a period stored as if every body counted, with the body's
    accreditation on the date applied. `accreditation_of(body_id)` gives the BodyAccreditation
    of a body whose accreditation does not count then, or None. The SQL twin of this is
    providers.querysets.with_headline."""
    accreditation = accreditation_of(shown[_FIELD["body_id"]])
    if accreditation is None:
        return shown
    values = list(shown)
    values[_FIELD["body_accredited"]] = False
    if shown[_FIELD["headline"]] == Headline.CERTIFIED:
        because = body_not_counting_because(accreditation.status)
        since = shown[_FIELD["status_since"]]
        values[_FIELD["headline"]] = int(Headline.CERTIFIED_NOT_VALID)
        values[_FIELD["label"]] = not_valid_label(because)
        values[_FIELD["status_reason"]] = not_valid_reason(because)
        values[_FIELD["status_since"]] = max(since, accreditation.since or since)
        # Its parent (same body) no longer counts either: it ends with its own certificate.
        values[_FIELD["certificate_ends_on"]] = shown[_FIELD["valid_until"]]
    return tuple(values)


def _bodies(certification, depth=0):
    bodies = {certification.body_id}
    if certification.parent_id is not None and depth < MAX_PARENT_DEPTH:
        bodies |= _bodies(certification.parent, depth + 1)
    return bodies


def _overlay_is_exact(provider, day, shown, bodies):
    """Whether reading `shown` (every body counting) with `overlay` gives the verdict's own
    answer on `day`, whichever of `bodies` have lost their accreditation."""
    if (
        shown[_FIELD["headline"]] > Headline.CERTIFIED_NOT_VALID
        and shown[_FIELD["certificate_ends_on"]] == shown[_FIELD["valid_until"]]
    ):
        # Suspended, working towards, expired, withdrawn or not on the register: none of its
        # certifications is certified then, and a body's accreditation changes only what a
        # certified one reads as, so nothing else can become the headline. But an affiliate
        # ending with its parent's certificate ends with it only while the parent is valid,
        # which its body's accreditation decides: that one takes the full check below.
        return True
    for size in range(1, len(bodies) + 1):
        for lost in itertools.combinations(sorted(bodies), size):
            lost = set(lost)
            actual = _shown(provider_headline(provider, day, accreditation=_assuming(lost)))
            read = overlay(shown, dict.fromkeys(lost, _LOST).get)
            if actual != read:
                return False
    return True


def headline_periods(provider):
    """[(starts_on, ends_on, embeds_accreditation, shown)] for the stretches where the
    provider is on the register, `shown` being the SHOWN_FIELDS values: as if every body's
    accreditation counted, except on the dates where reading them so is not exact (above),
    which have the accreditation as recorded worked in. Needs `with_verdict_data()` on the
    provider's certifications."""
    dates = {START}
    bodies = set()
    for certification in provider.certifications.all():
        dates |= _dates_that_matter(certification)
        bodies |= _bodies(certification)
    every_body_counts = _assuming(set())
    stretches = []  # (starts_on, embeds, shown)
    for day in sorted(dates):
        # Between two of these dates neither the stored values nor the verdict under any
        # assumption changes, so the check on the first day holds for the whole stretch.
        shown = _shown(provider_headline(provider, day, accreditation=every_body_counts))
        embeds = len(bodies) > MAX_OVERLAY_BODIES or not _overlay_is_exact(
            provider, day, shown, bodies
        )
        if embeds:
            shown = _shown(provider_headline(provider, day))
        if not stretches or stretches[-1][1:] != (embeds, shown):
            stretches.append((day, embeds, shown))
    ends = [start for start, *_ in stretches[1:]] + [END]
    return [
        (start, end, embeds, shown)
        for (start, embeds, shown), end in zip(stretches, ends, strict=True)
        if shown[0] != Headline.NOT_ON_REGISTER
    ]


def accreditations_not_counting(on):
    """{body id: BodyAccreditation} of the bodies whose UKAS accreditation does not count on
    `on`: what the register's querysets apply to the stored periods. One query over the
    bodies and their changes up to `on`, which are few (tens) whatever the size of the
    register: a plain join, the change in force picked here, as
    CertificationBody.accreditation_on picks it (latest date, then latest record). Two
    subqueries a body cost the register's every request about a millisecond to build."""
    from .models import CertificationBody, accreditation_counts

    rows = (
        CertificationBody.objects.order_by()
        .alias(
            _changes_then=FilteredRelation(
                "accreditation_changes",
                condition=Q(accreditation_changes__effective_date__lte=on),
            )
        )
        .values_list(
            "pk",
            "accreditation_standard",
            "_changes_then__effective_date",
            "_changes_then__pk",
            "_changes_then__status",
        )
    )
    standards, in_force = {}, {}  # in_force: {body id: (effective date, change id, status)}
    for pk, standard, since, change_pk, status in rows:
        standards[pk] = standard
        if change_pk is not None and (pk not in in_force or (since, change_pk) > in_force[pk][:2]):
            in_force[pk] = (since, change_pk, status)
    accreditations = {}
    for pk, standard in standards.items():
        since, _change_pk, status = in_force.get(pk, (None, None, None))
        accreditations[pk] = BodyAccreditation(
            status, since, accreditation_counts(status, standard)
        )
    return {pk: a for pk, a in accreditations.items() if not a.counts}


@transaction.atomic
def rebuild_for_providers(provider_ids):
    """Replace the periods of these providers (ids) with ones worked out afresh."""
    from providers.models import TrainingProvider

    from .models import HeadlinePeriod

    provider_ids = sorted(set(provider_ids))
    for offset in range(0, len(provider_ids), BATCH):
        batch = provider_ids[offset : offset + BATCH]
        providers = TrainingProvider.objects.filter(pk__in=batch).with_verdict_data()
        rows = [
            HeadlinePeriod(
                provider=provider,
                starts_on=start,
                ends_on=end,
                embeds_accreditation=embeds,
                provider_name=provider.name,
                provider_archived=provider.is_archived,
                **dict(zip(SHOWN_FIELDS, shown, strict=True)),
            )
            for provider in providers
            for start, end, embeds, shown in headline_periods(provider)
        ]
        HeadlinePeriod.objects.filter(provider_id__in=batch).delete()
        HeadlinePeriod.objects.bulk_create(rows, batch_size=BATCH)


def providers_affected_by_certifications(certification_ids):
    """Ids of the providers holding these certifications or affiliates under them (at any
    depth): their headlines read these certifications' verdicts."""
    from .models import Certification

    provider_ids, seen = set(), set()
    frontier = set(certification_ids)
    while frontier:
        seen |= frontier
        rows = Certification.objects.filter(pk__in=frontier).values_list("provider_id", flat=True)
        provider_ids.update(rows)
        frontier = (
            set(Certification.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            - seen
        )
    return provider_ids


def providers_changed(provider_ids):
    """Report to the writer that these providers' periods are out of date."""
    writer.changed(writer.PERIODS, provider_ids)


def certification_changed(certification_id):
    providers_changed(providers_affected_by_certifications([certification_id]))


def body_changed(body_id, effective_from=START):
    """A body's accreditation changed from `effective_from` (or the standard it is
    accredited to changed: from any date). The stored periods take it in when they are read
    (above), so only the periods that have it worked in and run past that date are rebuilt:
    none for the body's providers that it certifies alone. (The data generations, so the
    register's kept pages and counts, move on through their own receivers.)"""
    from .models import HeadlinePeriod

    embedded = (
        HeadlinePeriod.objects.filter(embeds_accreditation=True, ends_on__gt=effective_from)
        .filter(
            Q(provider__certifications__body_id=body_id)
            | Q(provider__certifications__parent__body_id=body_id)
        )
        .values_list("provider_id", flat=True)
        .distinct()
    )
    providers_changed(embedded)


def _rebuild_every_provider():
    from providers.models import TrainingProvider

    from .models import HeadlinePeriod

    HeadlinePeriod.objects.all().delete()
    rebuild_for_providers(
        TrainingProvider.objects.filter(certifications__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    # Pages rendered from the old periods are not shown again.
    writer.changed(writer.GENERATIONS, writer.REGISTER_DATA)


# What computes the periods: the verdict rules and this module. Any edit to these files is a
# new version (a comment too: the price is one needless rebuild at deploy).
RULES_MODULES = (
    "certification.headline_periods",
    "certification.verdicts",
    "certification.statuses",
    "certification.models",
    "certification.querysets",
    "pages.dates",  # the dates in the verdicts' words (long_date)
)
KIND = versions.Kind(
    name="headline_periods",
    version=versions.source_version(*RULES_MODULES),
    rebuild=_rebuild_every_provider,
)


def rebuild_all():
    """Every provider's periods worked out afresh, recorded as computed by today's rules."""
    versions.rebuild_and_record(KIND)


def rebuild_if_stale(sender, using, **kwargs):
    """post_migrate: rebuild every period unless today's rules computed them, once every
    migration is applied (a partial `migrate` leaves tables the rebuild reads missing)."""
    from django.db import connections

    connection = connections[using]
    if "derived_derivedversion" not in connection.introspection.table_names():
        return
    if versions.recorded(KIND.name, using) == KIND.version:
        return
    if versions.fully_migrated(connection):
        versions.rebuild_and_record(KIND, using)


# -- signal receivers (connected in certification.apps) -----------------------------------


def on_certification_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # loaddata: the periods come with the fixture or a rebuild afterwards
        certification_changed(instance.pk)


def on_event_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        certification_changed(instance.certification_id)


def on_accreditation_change_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        body_changed(instance.body_id, instance.effective_date)


def on_provider_saved(sender, instance, created, raw=False, **kwargs):
    # Its periods copy its name and whether it is archived; a new provider has none yet.
    if not created and not raw and instance.period_copies_changed():
        providers_changed([instance.pk])


def on_body_saved(sender, instance, created, raw=False, **kwargs):
    # The standard it is accredited to decides whether its accreditation counts
    # (CertificationBody.accreditation_counts_on); its name, contact details or verification
    # date are in no period. A new body certifies nothing yet.
    if not created and not raw and instance.accreditation_standard_changed():
        body_changed(instance.pk)
