"""Register changes: every change of what the public API shows besides a status move, for the
API change feed (certification.register_changes, certification.feeds.commit_ordered).

On PostgreSQL each row is stamped with the id of the transaction that inserted it
(`xact_id`, an `xid8`), exactly as migration 0011 stamps events, so that the feed serves both
in one commit order; and, as migration 0002 does for events, the database refuses an UPDATE
or DELETE of a row (the function `refuse_history_change` of 0002). The column is not in the
Django model: the database fills it (its default) on every INSERT, the ORM's included. SQLite
needs no stamp: its writes are serial, so its ids follow commit order.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "certification_registerchange"


def add_stamp(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN xact_id xid8 NOT NULL DEFAULT pg_current_xact_id()"
    )
    schema_editor.execute(f"CREATE INDEX register_change_commit_order_idx ON {TABLE} (xact_id, id)")
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION refuse_history_change()"
    )


def drop_stamp(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
    schema_editor.execute("DROP INDEX IF EXISTS register_change_commit_order_idx")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS xact_id")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0012_register_filter_indexes"),
        ("providers", "0004_curriculum_description"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegisterChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("certification", "Certification"),
                            ("provider", "Training provider"),
                            ("body", "Certification body"),
                            ("accreditation", "Accreditation"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("added", "Added"),
                            ("changed", "Changed"),
                            ("archived", "Archived"),
                            ("brought_back", "Brought back"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "summary",
                    models.CharField(help_text="What changed, in words.", max_length=300),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "accreditation_change",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="certification.accreditationchange",
                    ),
                ),
                (
                    "body",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="certification.certificationbody",
                    ),
                ),
                (
                    "certification",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="certification.certification",
                    ),
                ),
                (
                    "provider",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="providers.trainingprovider",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("kind__in", ["certification", "provider", "body", "accreditation"])
                        ),
                        name="register_change_kind_valid",
                        violation_error_message="Unknown kind of register change.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("action__in", ["added", "changed", "archived", "brought_back"])
                        ),
                        name="register_change_action_valid",
                        violation_error_message="Unknown register change.",
                    ),
                ],
            },
        ),
        migrations.RunPython(add_stamp, drop_stamp),
    ]
