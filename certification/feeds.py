"""The public feed of status changes: `/providers/changes/` (HTML) and `.atom` (Atom).

For anyone who wants to watch the register. Newest first, filterable by date range and body;
archived providers and certifications have left the register and are not shown.

The API change feed (`/api/v1/changes/`) serves the same changes oldest first, in commit
order, after a cursor (`commit_ordered`).
"""

import re
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BigIntegerField, BooleanField, Q
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed

from providers.models import TrainingProvider

from .filters import StatusChangeFilterSet
from .models import CertificationEvent
from .verdicts import long_date

CHANGES_PER_PAGE = 50
ATOM_ENTRIES = 50


def public_status_changes():
    return (
        CertificationEvent.objects.filter(
            certification__is_archived=False, certification__provider__is_archived=False
        )
        .select_related("certification__provider", "certification__body")
        .order_by("-effective_date", "-recorded_at", "-pk")
    )


def filtered_changes(data):
    """The filter set over the public changes; invalid filters give no rows and errors."""
    if data and any("\x00" in value for value in data.values()):
        data = None  # NUL cannot be stored or searched for: nothing to filter on
    filterset = StatusChangeFilterSet(data or None, queryset=public_status_changes())
    if filterset.is_bound and not filterset.is_valid():
        return filterset, public_status_changes().none()
    return filterset, filterset.qs


def provider_url(provider):
    """The provider's public page, once the register has one."""
    try:
        return provider.get_absolute_url()
    except NoReverseMatch:
        return None


def describe(event):
    """'Suspended (was Certified)': the change in words."""
    if event.from_status is None:
        return f"Added to the register: {event.get_to_status_display()}"
    if event.from_status == event.to_status:
        return f"{event.get_to_status_display()}: renewed"
    return f"{event.get_to_status_display()} (was {event.get_from_status_display()})"


@login_not_required
def status_changes(request):
    filterset, changes = filtered_changes(request.GET)
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "event": event,
            "change": describe(event),
            "url": provider_url(event.certification.provider),
        }
        for event in page.object_list
    ]
    atom_url = reverse("certification:changes_atom")
    query = request.GET.copy()
    query.pop("page", None)
    if query:
        atom_url += "?" + query.urlencode()
    return render(
        request,
        "certification/status_changes.html",
        {
            "form": filterset.form,
            "page_obj": page,
            "rows": rows,
            "atom_url": atom_url,
        },
    )


class StatusChangesAtomFeed(Feed):
    login_required = False  # public, as `login_not_required` marks a function view
    feed_type = Atom1Feed
    title = "RRN Training Register: status changes"
    subtitle = (
        "Certifications of training providers: new, suspended, reinstated, renewed, "
        "withdrawn and expired."
    )

    def get_object(self, request):
        return request.GET

    def link(self):
        return reverse("certification:changes")

    def items(self, query):
        return filtered_changes(query)[1][:ATOM_ENTRIES]

    def item_title(self, event):
        return f"{event.certification.provider}: {describe(event)}"

    def item_description(self, event):
        certification = event.certification
        parts = [
            f"{describe(event)} from {long_date(event.effective_date)}.",
            f"Certification body: {certification.body}.",
        ]
        if event.certificate_number:
            parts.append(f"Certificate {event.certificate_number}.")
        parts.append(f"Reason: {event.reason}")
        return " ".join(parts)

    def item_link(self, event):
        url = provider_url(event.certification.provider)
        return url or f"{reverse('certification:changes')}#change-{event.pk}"

    def item_guid(self, event):
        return f"urn:rrn-training-register:status-change:{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.recorded_at

    def item_updateddate(self, event):
        return event.recorded_at

    def item_author_name(self, event):
        return str(event.certification.body)


class ProviderChangesAtomFeed(StatusChangesAtomFeed):
    """One provider's status changes (`/providers/<slug>/changes.atom`), for a feed reader."""

    def get_object(self, request, slug):
        return get_object_or_404(TrainingProvider.objects.active(), slug=slug)

    def title(self, provider):
        return f"RRN Training Register: {provider.name}'s certification"

    def link(self, provider):
        return provider.get_absolute_url()

    def items(self, provider):
        return public_status_changes().filter(certification__provider=provider)[:ATOM_ENTRIES]


# -- The API change feed: commit order ---------------------------------------------------

EVENT_TABLE = CertificationEvent._meta.db_table
MAX_ID = 2**63 - 1
CURSOR = re.compile(r"(?:(?P<xact>[0-9]{1,19})-)?(?P<event>[0-9]{1,19})")


@dataclass(frozen=True)
class FeedCursor:
    """Where a client is in the change feed: just after event `event`, written by transaction
    `xact` (0 on SQLite). Written "<xact>-<event>"; a bare "<event>" is a cursor from before
    transaction stamps (`legacy`), still accepted."""

    xact: int
    event: int
    legacy: bool = False

    def __str__(self):
        return str(self.event) if self.legacy else f"{self.xact}-{self.event}"

    @classmethod
    def parse(cls, text):
        """The cursor `text` stands for; ValueError if it is not one this feed gives."""
        match = CURSOR.fullmatch(text or "")
        if not match:
            raise ValueError(text)
        event = int(match["event"])
        xact = int(match["xact"]) if match["xact"] is not None else 0
        if event > MAX_ID or xact > MAX_ID:
            raise ValueError(text)
        return cls(xact=xact, event=event, legacy=match["xact"] is None)


class UnknownCursor(ValueError):
    """A cursor this database cannot have given: it is ahead of every ended transaction (one
    from another database server, after a restore into a new one, or made up)."""


def commit_ordered(changes, after=None, *, limit):
    """Up to `limit` of the events `changes` after the cursor `after`, in commit order, and
    whether more are waiting now. Each event gets its `feed_cursor`.

    On PostgreSQL an event's id is taken at INSERT, so ids do not follow commit order: a
    long transaction (a bulk import) can commit low ids after a short one committed a higher
    id, and a client already past that id would never see them. Events are therefore served
    in the order of the transaction that wrote them (`xact_id`, migration 0010), then id, and
    only events of transactions below the oldest one still running: those have all ended, and
    a transaction that has not written yet gets a larger id. So nothing can ever be committed
    behind a cursor this feed gave; an event of a long transaction is held back until it
    ends. On SQLite writes are serial (one write transaction at a time), so ids follow commit
    order and are enough."""
    connection = connections[changes.db]
    if connection.vendor != "postgresql":
        if after is not None:
            changes = changes.filter(pk__gt=after.event)
        events = list(changes.order_by("pk")[: limit + 1])
        for event in events:
            event.feed_cursor = FeedCursor(xact=0, event=event.pk)
        return events[:limit], len(events) > limit

    column = f'"{EVENT_TABLE}"."xact_id"'
    changes = changes.annotate(
        feed_xact=RawSQL(f"{column}::text::bigint", (), output_field=BigIntegerField())
    ).filter(_condition(SETTLED.format(column=column)))
    if after is not None and after.legacy:
        # A bare id from before the stamps: what that client may not have seen is every
        # event above it, and every event of a later transaction than the one that wrote it
        # (some may come again; none is left out that this feed still can give).
        changes = changes.filter(
            Q(pk__gt=after.event)
            | Q(_condition(LATER_THAN_LEGACY.format(column=column), after.event))
        )
    elif after is not None:
        changes = changes.filter(
            _condition(
                f'({column}, "{EVENT_TABLE}"."id") > (%s::xid8, %s)', after.xact, after.event
            )
        )
    ordered = changes.order_by(RawSQL(column, (), output_field=BigIntegerField()).asc(), "pk")
    events = list(ordered[: limit + 1])
    # Only a transaction below the horizon has ever been in a cursor, and it only rises.
    if (
        not events
        and after is not None
        and not after.legacy
        and after.xact >= _settled_below(connection)
    ):
        raise UnknownCursor(str(after))
    for event in events:
        event.feed_cursor = FeedCursor(xact=event.feed_xact, event=event.pk)
    return events[:limit], len(events) > limit


# Written by a transaction that has ended: below the oldest one still running, as the very
# snapshot the rows are read with says (pg_current_snapshot is the statement's). The reader's
# own transaction counts as ended when it is the oldest running: its events are visible to
# it, every older one has ended and every other is younger. (A request never writes events
# before reading the feed; a test that runs in one transaction does.)
SETTLED = (
    "({column} < pg_snapshot_xmin(pg_current_snapshot()) OR "
    "({column} = pg_current_xact_id_if_assigned() "
    "AND {column} = pg_snapshot_xmin(pg_current_snapshot())))"
)
LATER_THAN_LEGACY = (
    "{column} > COALESCE((SELECT seen.xact_id FROM "
    + EVENT_TABLE
    + " seen WHERE seen.id <= %s ORDER BY seen.id DESC LIMIT 1), '0'::xid8)"
)


def _condition(sql, *params):
    return RawSQL(sql, tuple(str(p) for p in params), output_field=BooleanField())


def _settled_below(connection):
    """The transaction id below which every transaction has ended (PostgreSQL), as `SETTLED`
    works it out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
            "pg_current_xact_id_if_assigned()::text::bigint"
        )
        oldest_running, own = cursor.fetchone()
    return oldest_running + 1 if own == oldest_running else oldest_running
