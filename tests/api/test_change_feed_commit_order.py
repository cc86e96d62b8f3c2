"""The API change feed in commit order (review item 4): a change committed late by a long
transaction is never left behind a cursor the feed already gave.

The hazard: on PostgreSQL an event's id is taken at INSERT. A long transaction inserts event A
(the lower id) and stays open; a short one commits event B (a higher id). A feed paging by id
gives B, and its cursor moves past A's id before A commits: the client never sees A (for
example a suspension). Here the writer of A works on a connection of its own (a thread), as
in tests/derived/test_freshness_across_connections.py, and writes A as a bulk import does:
`bulk_create` first, the derived data (and its data-generation row lock) only at the end, so
B's transaction is not kept waiting behind it.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from api.views import changes
from certification.models import CertificationEvent, RegisterChange
from certification.register_changes import record_providers_added
from certification.services import move_certification
from certification.statuses import Status
from standards.loading import load_standards, load_vocabulary
from tests.change_feed import wait_until_settled
from tests.derived.test_freshness_across_connections import Writer
from tests.factories import CertificationFactory

# SQLite's test database refuses a read while another connection writes.
two_connections = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections at once"
)


def suspend(certification, reason="Complaint upheld"):
    return move_certification(
        certification,
        Status.SUSPENDED,
        effective_date=dt.date(2026, 3, 1),
        reason=reason,
        today=max(dt.date(2026, 3, 1), timezone.localdate()),
    )


def import_suspension(certification):
    """The first half of a long import: its events are in, nothing else is written yet."""
    (event,) = CertificationEvent.objects.bulk_create(
        [
            CertificationEvent(
                certification=certification,
                from_status=Status.CERTIFIED,
                to_status=Status.SUSPENDED,
                effective_date=dt.date(2026, 3, 1),
                reason="Suspended by an import",
                certificate_number=certification.certificate_number,
                certified_on=certification.certified_on,
                valid_until=certification.valid_until,
            )
        ]
    )
    return event.pk


def read(client, since=None):
    response = client.get("/api/v1/changes/", {"since": since} if since else {})
    assert response.status_code == 200, response.content
    return response.json()


def read_all(client, since=None):
    """Every change after `since` as (kind, id), page by page, and the cursor to go on from."""
    seen = []
    while True:
        page = read(client, since)
        seen += [(change["kind"], change["id"]) for change in page["results"]]
        since = page["next_since"]
        if not page["more"]:
            return seen, since


@pytest.fixture
def _standards(transactional_db):
    # A transactional test starts from emptied tables: the vocabulary comes back first.
    load_vocabulary(apps)
    load_standards(apps)


@pytest.mark.postgres_only
@two_connections
@pytest.mark.usefixtures("_standards")
def test_a_change_committed_late_by_a_long_transaction_is_not_lost(client):
    slow, quick = CertificationFactory.create_batch(2)
    wait_until_settled()
    seen, cursor = read_all(client)
    assert len(seen) == 8  # added: two bodies, their accreditations, two providers, two events

    # A long transaction inserts A and stays open...
    writer = Writer(lambda: import_suspension(slow)).start()
    event_a = writer.result
    # ...while a short one commits B, with a higher id.
    event_b = suspend(quick).events.latest("pk").pk
    assert event_a < event_b  # the order of ids is not the order of commits

    page = read(client, cursor)
    # A is not committed, so it cannot be given; B is held back behind it (it is not given
    # yet, so the cursor does not move past A).
    assert page["results"] == []
    assert page["next_since"] == cursor

    writer.commit()
    wait_until_settled()
    after, cursor = read_all(client, cursor)

    assert after == [("status", event_a), ("status", event_b)]  # each once, commit-safe
    assert read(client, cursor)["results"] == []


@pytest.mark.postgres_only
@two_connections
@pytest.mark.usefixtures("_standards")
def test_a_register_change_committed_late_is_not_lost_behind_either_kind(client):
    """The same hazard for the other changes: a long transaction writes register change A
    (a bulk import's new provider) and stays open, while short ones commit a status move B
    and a register change C with a higher id. None is given before A, and then all three."""
    slow, quick = CertificationFactory.create_batch(2)
    wait_until_settled()
    _seen, cursor = read_all(client)

    writer = Writer(lambda: record_providers_added([slow.provider])[0].pk).start()
    change_a = writer.result
    event_b = suspend(quick).events.latest("pk").pk
    quick.provider.town = "Whitby"
    quick.provider.save()
    change_c = RegisterChange.objects.latest("pk").pk
    assert change_a < change_c

    page = read(client, cursor)
    assert page["results"] == []
    assert page["next_since"] == cursor

    writer.commit()
    wait_until_settled()
    page = read(client, cursor)

    assert [(c["kind"], c["id"]) for c in page["results"]] == [
        ("provider", change_a),
        ("status", event_b),
        ("provider", change_c),
    ]
    assert read(client, page["next_since"])["results"] == []


@pytest.mark.postgres_only
@two_connections
@pytest.mark.usefixtures("_standards")
def test_a_client_that_read_during_the_long_transaction_gets_everything_once(client):
    """The property itself, whatever the feed holds back: a client that reads on before,
    during and after both commits ends up with every change exactly once."""
    slow, quick = CertificationFactory.create_batch(2)
    wait_until_settled()
    delivered, cursor = read_all(client)

    writer = Writer(lambda: import_suspension(slow)).start()
    suspend(quick)
    more, cursor = read_all(client, cursor)
    delivered += more
    writer.commit()
    wait_until_settled()
    more, cursor = read_all(client, cursor)
    delivered += more

    everything = [("status", pk) for pk in CertificationEvent.objects.values_list("pk", flat=True)]
    everything += RegisterChange.objects.values_list("kind", "pk")
    assert sorted(delivered) == sorted(everything)
    assert len(delivered) == len(set(delivered)) == 4 + 6  # and bodies, accreditations, providers


@pytest.mark.django_db
def test_changes_of_one_transaction_page_across_requests(client, monkeypatch):
    """A bulk write is one transaction: its events share a transaction id and page by id."""
    monkeypatch.setattr(changes, "CHANGES_PER_REQUEST", 2)
    with transaction.atomic():
        certifications = CertificationFactory.create_batch(5)
    wait_until_settled()

    first = read(client)
    rest, _ = read_all(client, first["next_since"])

    assert first["more"] is True
    statuses = [(c["kind"], c["id"]) for c in first["results"]] + rest
    assert [pk for kind, pk in statuses if kind == "status"] == sorted(
        CertificationEvent.objects.filter(certification__in=certifications).values_list(
            "pk", flat=True
        )
    )
    assert first["results"][-1]["cursor"] == first["next_since"]


@pytest.mark.django_db
def test_a_cursor_is_opaque_and_a_bare_id_from_before_still_works(client):
    first = CertificationFactory()
    wait_until_settled()
    page = read(client)
    cursor = page["next_since"]
    assert isinstance(cursor, str) and "-" in cursor
    assert page["results"][-1]["cursor"] == cursor

    second = CertificationFactory()
    wait_until_settled()
    bare_id = str(first.events.get().pk)
    by_bare_id = read(client, bare_id)

    # Every register change is newer than a bare id: those may come again.
    assert [c["id"] for c in by_bare_id["results"] if c["kind"] == "status"] == [
        second.events.get().pk
    ]
    assert by_bare_id["next_since"] == read(client, cursor)["next_since"]
    # With nothing newer, the cursor given back is the one sent.
    assert read(client, by_bare_id["next_since"])["next_since"] == by_bare_id["next_since"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "since",
    [
        *["abc", "-1", "1-", "-", "1-2-3-4", "1.5", "1e3", "9" * 20, "1-" + "9" * 20],
        *["1\x00", "x" * 5000, "1-2-" + "9" * 20, "5-2-x"],
    ],
)
def test_a_cursor_the_feed_never_gave_is_a_400_problem(client, since):
    response = client.get("/api/v1/changes/", {"since": since})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stamp is PostgreSQL's")
def test_the_transaction_stamp_stays_append_only():
    event = CertificationFactory().events.get()

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE certification_certificationevent SET xact_id = '1' WHERE id = %s",
            [event.pk],
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_id = pg_current_xact_id() FROM certification_certificationevent "
            "WHERE id = %s",
            [event.pk],
        )
        assert cursor.fetchone() == (True,)  # stamped by this (the test's) transaction


@pytest.mark.django_db
@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stamp is PostgreSQL's")
def test_a_cursor_from_another_database_server_is_refused(client):
    """After a restore into a new server, whose transaction ids start lower, a cursor from
    before would skip the new server's changes: it is refused rather than followed."""
    response = client.get("/api/v1/changes/", {"since": f"{2**62}-1"})

    assert response.status_code == 400
    assert "start again without it" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's order")
def test_on_sqlite_ids_are_the_commit_order(client):
    """SQLite runs one write transaction at a time, so its ids follow commit order."""
    first, _second = CertificationFactory.create_batch(2)
    suspend(first)

    page = read(client)

    statuses = [change for change in page["results"] if change["kind"] == "status"]
    ids = [change["id"] for change in statuses]
    assert ids == sorted(CertificationEvent.objects.values_list("pk", flat=True))
    # A cursor keeps its place among status moves and among the others.
    places = [change["cursor"].split("-")[:2] for change in statuses]
    assert places == [["0", str(pk)] for pk in ids]
    after_second = read(client, f"0-{ids[1]}")["results"]
    assert [c["id"] for c in after_second if c["kind"] == "status"] == [ids[2]]
