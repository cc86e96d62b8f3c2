"""Issue 14: certificate numbers looked up without case or separators (certificate_key); the
headline periods keep the headline's date, reason, end (with a parent's) and whether its body's
accreditation counts; on PostgreSQL the database refuses an affiliate of an affiliate.

Stored headline periods are derived data: after migrating, `manage.py rebuild_headline_periods`
works them out again under the new rules (README § Scheduled jobs).
"""

from django.db import migrations, models

# A copy of certification.certificate_numbers.certificate_key: a migration never imports live
# code, so the rule is written out here as it stood when these keys were computed.


def _key(number):
    if number is None:
        return None
    return "".join(ch for ch in str(number).upper() if ch.isalnum()) or None


EVENT_TRIGGER = "certification_certificationevent_append_only"


def compute_keys(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name in ("Certification", "HistoricalCertification", "CertificationEvent"):
        model = apps.get_model("certification", name)
        table = model._meta.db_table
        rows = list(
            model.objects.exclude(certificate_number=None).values_list("pk", "certificate_number")
        )
        if not rows:
            continue
        # Events are append-only (a trigger refuses UPDATE on PostgreSQL); filling in a new
        # column derived from the row's own number is the one update allowed, here.
        guarded = postgres and name == "CertificationEvent"
        if guarded:
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {EVENT_TRIGGER}")
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET certificate_key = %s WHERE {model._meta.pk.column} = %s",
                [(_key(number), pk) for pk, number in rows],
            )
        if guarded:
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {EVENT_TRIGGER}")


PARENT_FUNCTION = """
CREATE OR REPLACE FUNCTION certification_parent_is_certified_service() RETURNS trigger AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM certification_certification p
        WHERE p.id = NEW.parent_id AND p.role <> 'certified_service'
    ) THEN
        RAISE EXCEPTION 'An affiliate''s parent must be a certified training service'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.role <> 'certified_service' AND EXISTS (
        SELECT 1 FROM certification_certification a WHERE a.parent_id = NEW.id
    ) THEN
        RAISE EXCEPTION 'A certification with affiliates must stay a certified training service'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def create_parent_trigger(apps, schema_editor):
    # PostgreSQL only, as the append-only triggers (0002): SQLite rebuilds a table on many
    # schema changes, which would drop a trigger unnoticed. Certification.clean holds the
    # same rule on every backend (a form error in the admin).
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PARENT_FUNCTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER certification_parent_role BEFORE INSERT OR UPDATE OF parent_id, role "
        "ON certification_certification FOR EACH ROW "
        "EXECUTE FUNCTION certification_parent_is_certified_service()"
    )


def drop_parent_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS certification_parent_role ON certification_certification"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS certification_parent_is_certified_service()")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_event_certificate_number_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="certification",
            name="certificate_key",
            field=models.CharField(
                blank=True, db_index=True, editable=False, max_length=40, null=True
            ),
        ),
        migrations.AddField(
            model_name="certificationevent",
            name="certificate_key",
            field=models.CharField(
                blank=True, db_index=True, editable=False, max_length=40, null=True
            ),
        ),
        migrations.AddField(
            model_name="headlineperiod",
            name="body_accredited",
            field=models.BooleanField(
                default=False,
                help_text="Whether the certificate's body's UKAS accreditation counts.",
            ),
        ),
        migrations.AddField(
            model_name="headlineperiod",
            name="certificate_ends_on",
            field=models.DateField(
                blank=True,
                help_text="Its valid-until, or its parent's if sooner (affiliates).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="headlineperiod",
            name="status_reason",
            field=models.TextField(blank=True, help_text="Why the headline is what it is."),
        ),
        migrations.AddField(
            model_name="headlineperiod",
            name="status_since",
            field=models.DateField(blank=True, help_text="The headline's date.", null=True),
        ),
        migrations.AddField(
            model_name="historicalcertification",
            name="certificate_key",
            field=models.CharField(
                blank=True, db_index=True, editable=False, max_length=40, null=True
            ),
        ),
        migrations.RunPython(compute_keys, migrations.RunPython.noop),
        migrations.RunPython(create_parent_trigger, drop_parent_trigger),
    ]
