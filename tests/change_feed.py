"""For tests of the API change feed on PostgreSQL: it holds back every event newer than the
oldest transaction still running anywhere in the cluster (certification.feeds.commit_ordered),
and on a shared test server other test runs' transactions hold it back for a while too."""

import time

from django.db import connection

from certification.feeds import EVENT_TABLE, _settled_below

WAIT_SECONDS = 120


def wait_until_settled():
    """Wait until every event this connection sees is below the feed's horizon (at once on
    SQLite, where nothing is held back)."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(xact_id)::text::bigint FROM {EVENT_TABLE}")
            newest = cursor.fetchone()[0]
        if newest is None or newest < _settled_below(connection):
            return
        assert time.monotonic() < deadline, "another transaction held the change feed back"
        time.sleep(0.05)
