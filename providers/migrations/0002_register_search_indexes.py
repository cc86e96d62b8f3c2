"""Indexes for the register's free-text search (`?q=`) on PostgreSQL.

`name__icontains` compiles to `UPPER(name) LIKE UPPER('%…%')`: a trigram GIN index on
UPPER(name) serves it without a full scan, and one on UPPER(town) serves the town prefix
search. SQLite has no pg_trgm, so there the search scans (its fallback): these operations do
nothing on other databases, and they are not in the model state (makemigrations stays clean).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "provider_name_trgm_idx": "UPPER(name) gin_trgm_ops",
    "provider_town_trgm_idx": "UPPER(town) gin_trgm_ops",
    "provider_postcode_upper_idx": None,
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("providers", "TrainingProvider")._meta.db_table
    for name, expression in INDEXES.items():
        if expression:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})"
            )
        else:
            # Postcode prefix: UPPER(postcode) LIKE 'SW1A%' uses a pattern-ops btree.
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} (UPPER(postcode) text_pattern_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
