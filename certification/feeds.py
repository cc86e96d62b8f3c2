"""The public feed of status changes: `/providers/changes/` (HTML) and `.atom` (Atom).

For anyone who wants to watch the register. Newest first, filterable by date range and body;
archived providers and certifications have left the register and are not shown.

The API change feed (`/api/v1/changes/`) serves the same changes oldest first, in commit
order, after a cursor (`commit_ordered`), merged with every other change of what the API
shows (RegisterChange, `public_register_changes`).
"""

import re
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BigIntegerField, BooleanField, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed

from providers.models import TrainingProvider

from .filters import StatusChangeFilterSet
from .models import Certification, CertificationEvent, RegisterChange
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


def public_register_changes(body=None):
    """The register changes a client of the API change feed is given (certification edits,
    provider and body edits, accreditation changes), of `body` when given.

    An archived record has left the register: its changes are not given, except the one that
    archived it (so a client removes it) and the one that brought it back (so it reads it
    again). For a body: its own changes and its certifications'; a provider's, when the body
    certifies it (or did)."""
    on_register = (
        Q(kind=RegisterChange.Kind.PROVIDER, provider__is_archived=False)
        | Q(
            kind=RegisterChange.Kind.CERTIFICATION,
            certification__is_archived=False,
            certification__provider__is_archived=False,
        )
        | Q(kind__in=[RegisterChange.Kind.BODY, RegisterChange.Kind.ACCREDITATION])
    )
    leaving_or_coming_back = Q(
        action__in=[RegisterChange.Action.ARCHIVED, RegisterChange.Action.BROUGHT_BACK]
    )
    entries = RegisterChange.objects.filter(on_register | leaving_or_coming_back)
    if body is not None:
        entries = entries.filter(
            Q(kind=RegisterChange.Kind.CERTIFICATION, certification__body=body)
            | Q(kind__in=[RegisterChange.Kind.BODY, RegisterChange.Kind.ACCREDITATION], body=body)
            | Q(
                Exists(Certification.objects.filter(provider=OuterRef("provider"), body=body)),
                kind=RegisterChange.Kind.PROVIDER,
            )
        )
    return entries.select_related(
        "provider",
        "body",
        "accreditation_change",
        "certification__provider",
        "certification__body",
    )


EVENT_TABLE = CertificationEvent._meta.db_table
ENTRY_TABLE = RegisterChange._meta.db_table
MAX_ID = 2**63 - 1
CURSOR = re.compile(
    r"(?:(?P<xact>[0-9]{1,19})-)?(?P<event>[0-9]{1,19})(?:-(?P<entry>[0-9]{1,19}))?"
)


@dataclass(frozen=True)
class FeedCursor:
    """Where a client is in the change feed: in the changes of transaction `xact` (0 on
    SQLite), just after status event `event` and register change `entry` (0: none of that
    table yet in it). Written "<xact>-<event>", or "<xact>-<event>-<entry>" once a register
    change is among them; a bare "<event>" is a cursor from before transaction stamps
    (`legacy`), still accepted. A cursor from before register changes ("<xact>-<event>") is
    the same position it always was."""

    xact: int
    event: int
    entry: int = 0
    legacy: bool = False

    def __str__(self):
        if self.legacy:
            return str(self.event)
        if self.entry == 0:
            return f"{self.xact}-{self.event}"
        return f"{self.xact}-{self.event}-{self.entry}"

    @classmethod
    def parse(cls, text):
        """The cursor `text` stands for; ValueError if it is not one this feed gives."""
        match = CURSOR.fullmatch(text or "")
        if not match or (match["xact"] is None and match["entry"] is not None):
            raise ValueError(text)
        event = int(match["event"])
        xact = int(match["xact"]) if match["xact"] is not None else 0
        entry = int(match["entry"]) if match["entry"] is not None else 0
        if max(event, xact, entry) > MAX_ID:
            raise ValueError(text)
        return cls(xact=xact, event=event, entry=entry, legacy=match["xact"] is None)

    def after(self, change, xact):
        """The cursor just after `change` (an event or a register change of transaction
        `xact`), served next after this cursor's position."""
        event, entry = (self.event, self.entry) if xact == self.xact else (0, 0)
        if isinstance(change, CertificationEvent):
            return FeedCursor(xact=xact, event=change.pk, entry=entry)
        return FeedCursor(xact=xact, event=event, entry=change.pk)


class UnknownCursor(ValueError):
    """A cursor this database cannot have given: it is ahead of every ended transaction (one
    from another database server, after a restore into a new one, or made up)."""


def commit_ordered(events, entries, after=None, *, limit):
    """Up to `limit` of the status events `events` and register changes `entries` after the
    cursor `after`, in commit order, and whether more are waiting now. Each change gets its
    `feed_cursor`.

    On PostgreSQL an id is taken at INSERT, so ids do not follow commit order: a long
    transaction (a bulk import) can commit low ids after a short one committed a higher id,
    and a client already past that id would never see them. Changes are therefore served in
    the order of the transaction that wrote them (`xact_id`, migrations 0011 and 0013), and
    only those of transactions below the oldest one still running: those have all ended, and
    a transaction that has not written yet gets a larger id. So nothing can ever be committed
    behind a cursor this feed gave; a change of a long transaction is held back until it
    ends. The horizon is read once, so both tables are read up to the same one. On SQLite
    writes are serial (one write transaction at a time), so ids follow commit order in each
    table, and every change is of "transaction" 0.

    Within one transaction each table is served in id order, the two interleaved by when
    each change was recorded (events first at a tie); a cursor keeps its place in each table
    (FeedCursor), so the interleaving cannot skip or repeat one."""
    connection = connections[events.db]
    horizon = _settled_below(connection) if connection.vendor == "postgresql" else None
    if after is not None and after.legacy and horizon is None:
        after = FeedCursor(xact=0, event=after.event)  # SQLite: ids were always the order
    lists = [
        _in_commit_order(events, EVENT_TABLE, after, horizon, after and after.event, limit),
        _in_commit_order(entries, ENTRY_TABLE, after, horizon, after and after.entry, limit),
    ]
    changes = _merged(*lists)[: limit + 1]
    # Only a transaction below the horizon has ever been in a cursor, and it only rises.
    settled = horizon is None or after is None or after.legacy or after.xact < horizon
    if not changes and not settled:
        raise UnknownCursor(str(after))
    position = after if after is not None and not after.legacy else FeedCursor(-1, 0)
    for change in changes:
        position = position.after(change, change.feed_xact)
        change.feed_cursor = position
    return changes[:limit], len(changes) > limit


def _in_commit_order(changes, table, after, horizon, bound, limit):
    """The first `limit` + 1 of `changes` (rows of `table`) after the cursor, whose place in
    this table is just after id `bound` in its transaction, in (transaction, id) order."""
    if horizon is None:
        if after is not None:
            changes = changes.filter(pk__gt=bound)
        rows = list(changes.order_by("pk")[: limit + 1])
        for row in rows:
            row.feed_xact = 0
        return rows
    column = f'"{table}"."xact_id"'
    changes = changes.annotate(
        feed_xact=RawSQL(f"{column}::text::bigint", (), output_field=BigIntegerField())
    ).filter(_condition(f"{column} < %s::xid8", horizon))
    if after is not None and after.legacy:
        # A bare event id from before the stamps (and before register changes, all of which
        # it has not seen): what that client may not have seen is every event above it, and
        # every event of a later transaction than the one that wrote it (some may come
        # again; none is left out that this feed still can give).
        if table == EVENT_TABLE:
            changes = changes.filter(
                Q(pk__gt=after.event)
                | Q(_condition(LATER_THAN_LEGACY.format(column=column), after.event))
            )
    elif after is not None:
        changes = changes.filter(
            _condition(f'({column}, "{table}"."id") > (%s::xid8, %s)', after.xact, bound)
        )
    ordered = changes.order_by(RawSQL(column, (), output_field=BigIntegerField()).asc(), "pk")
    return list(ordered[: limit + 1])


def _merged(events, entries):
    """The two lists, each in (transaction, id) order, as one: by transaction, then when
    recorded, an event before a register change at a tie. A merge, so each list keeps its
    own order whatever the clock said."""
    merged, i, j = [], 0, 0
    while i < len(events) and j < len(entries):
        event, entry = events[i], entries[j]
        if (event.feed_xact, event.recorded_at) <= (entry.feed_xact, entry.recorded_at):
            merged.append(event)
            i += 1
        else:
            merged.append(entry)
            j += 1
    return merged + events[i:] + entries[j:]


LATER_THAN_LEGACY = (
    "{column} > COALESCE((SELECT seen.xact_id FROM "
    + EVENT_TABLE
    + " seen WHERE seen.id <= %s ORDER BY seen.id DESC LIMIT 1), '0'::xid8)"
)


def _condition(sql, *params):
    return RawSQL(sql, tuple(str(p) for p in params), output_field=BooleanField())


def _settled_below(connection):
    """The transaction id below which every transaction has ended (PostgreSQL): below the
    oldest one still running, as the snapshot says. The reader's own transaction counts as
    ended when it is the oldest running: its changes are visible to it, every older one has
    ended and every other is younger. (A request never writes changes before reading the
    feed; a test that runs in one transaction does.) Read once per request: a later
    statement's snapshot sees every change below it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
            "pg_current_xact_id_if_assigned()::text::bigint"
        )
        oldest_running, own = cursor.fetchone()
    return oldest_running + 1 if own == oldest_running else oldest_running
