"""For tests of the API change feed on PostgreSQL: it holds back every change newer than the
oldest transaction still running anywhere on the server (certification.feeds.commit_ordered),
so on a shared test server another run's long test (one transaction for minutes, such as the
hostile input walk) holds it back too. Alone on a server, the wait is nothing."""

import time

from django.db import connection

from certification.feeds import ENTRY_TABLE, EVENT_TABLE, _settled_below

WAIT_SECONDS = 900


def wait_until_settled():
    """Wait until every change (event or register change) this connection sees is below the
    feed's horizon (at once on SQLite, where nothing is held back)."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT greatest((SELECT max(xact_id) FROM {EVENT_TABLE}), "
                f"(SELECT max(xact_id) FROM {ENTRY_TABLE}))::text::bigint"
            )
            newest = cursor.fetchone()[0]
        if newest is None or newest < _settled_below(connection):
            return
        assert time.monotonic() < deadline, "another transaction held the change feed back"
        time.sleep(0.05)
