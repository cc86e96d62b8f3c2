"""On PostgreSQL each certification event is stamped with the id of the transaction that
inserted it (`xact_id`, an `xid8`), so that the API change feed can serve events in an order
no later commit can go back on (certification.feeds.commit_ordered).

An id (`pk`) is taken at INSERT, not at COMMIT: a long transaction can commit events with
lower ids after a short one committed a higher id. A transaction id below the oldest
transaction still running (`pg_snapshot_xmin`) belongs to a transaction that has ended, and
every transaction that has not written yet will get a larger one.

The column is not in the Django model: the database fills it (its default) on every INSERT,
the ORM's included, and nothing ever writes it. Adding it with a volatile default rewrites
the table (existing rows get this migration's transaction id, so they keep their id order);
a rewrite is no UPDATE, so the append-only trigger (0002) is not fired, and it goes on
refusing any later UPDATE of the column. SQLite has no such stamp and needs none: its writes
are serial (one write transaction at a time), so its ids follow commit order.
"""

from django.db import migrations

TABLE = "certification_certificationevent"


def add_stamp(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN xact_id xid8 NOT NULL DEFAULT pg_current_xact_id()"
    )
    schema_editor.execute(f"CREATE INDEX event_commit_order_idx ON {TABLE} (xact_id, id)")


def drop_stamp(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS event_commit_order_idx")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS xact_id")


class Migration(migrations.Migration):
    dependencies = [("certification", "0010_accreditation_applied_on_read")]

    operations = [migrations.RunPython(add_stamp, drop_stamp)]
