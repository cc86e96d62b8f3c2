"""A provider's headline as dated periods, so the register can filter and sort by it in SQL.

A provider's headline on date D (`certification.verdicts.provider_headline`) depends only on
dated facts: its certifications' events (effective dates, and the certified-on and valid-until
dates they record), the accreditation changes of their bodies, and the same facts for the
parents of affiliates. Between two such dates it cannot change. So the headline is worked out
by the Python verdict itself at each of those dates and stored as `HeadlinePeriod` rows: the
SQL side can never disagree with the pages (tests/providers/test_headline_sql.py checks every
case of verdicts.md), and it answers for any date, with no nightly job to forget.

Periods are rebuilt whenever an event, an accreditation change, a certification or a body is
saved (signals connected in `certification.apps`), and by the bulk writers (imports, load
data) through `providers_changed`, all through the one writer (derived.writer): inside a
service function's batch each provider is rebuilt once, just before its transaction commits.
`manage.py rebuild_headline_periods` rebuilds them all.

The periods as a whole carry the version of the rules that computed them (`KIND`, recorded in
derived.DerivedVersion): after `migrate` they are rebuilt whenever the recorded version is
not today's (certification.apps), so a release that changes the rules never serves periods
the old rules worked out.
"""

import datetime as dt

from django.db import transaction

from derived import versions, writer

from .verdicts import MAX_PARENT_DEPTH, Headline, provider_headline

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
    "certificate_number",
    "certified_on",
    "valid_until",
    "certificate_ends_on",
    "status_since",
    "status_reason",
    "body_accredited",
)


def _shown(headline):
    """The SHOWN_FIELDS values of a headline."""
    verdict = headline.verdict
    if verdict is None:
        return (int(headline.kind), "", None, None, None, None, None, None, "", False)
    return (
        int(headline.kind),
        headline.label,
        verdict.certification.pk,
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


def headline_periods(provider):
    """[(starts_on, ends_on, shown)] for the stretches where the provider is on the register,
    `shown` being the SHOWN_FIELDS values. Needs `with_verdict_data()` on the provider's
    certifications."""
    dates = {START}
    for certification in provider.certifications.all():
        dates |= _dates_that_matter(certification)
    stretches = []  # (starts_on, shown)
    for day in sorted(dates):
        shown = _shown(provider_headline(provider, day))
        if not stretches or stretches[-1][1] != shown:
            stretches.append((day, shown))
    ends = [start for start, _ in stretches[1:]] + [END]
    return [
        (start, end, shown)
        for (start, shown), end in zip(stretches, ends, strict=True)
        if shown[0] != Headline.NOT_ON_REGISTER
    ]


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
                **dict(zip(SHOWN_FIELDS, shown, strict=True)),
            )
            for provider in providers
            for start, end, shown in headline_periods(provider)
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


def body_changed(body_id):
    from .models import Certification

    certifications = Certification.objects.filter(body_id=body_id).values_list("pk", flat=True)
    providers_changed(providers_affected_by_certifications(list(certifications)))


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
        body_changed(instance.body_id)


def on_body_saved(sender, instance, created, raw=False, **kwargs):
    # Its accreditation standard may have changed (CertificationBody.accreditation_counts_on);
    # a new body certifies nothing yet.
    if not created and not raw:
        body_changed(instance.pk)
