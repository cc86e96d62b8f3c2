"""A backup and its restore lose nothing: every key table's rows and checksum come back.

SQLite round-trips in this process (dumpdata/loaddata); PostgreSQL restores the pg_dump into
a scratch database through `manage.py restore_database`, exactly as an operator would.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from operations.backups import table_checksums
from standards.loading import load_standards, load_vocabulary
from standards.models import Population, Region
from tests.factories import (
    CertificationFactory,
    ComplianceCheckFactory,
    MembershipFactory,
    TrainingArrangementFactory,
    UserFactory,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def make_register():
    """Rows in every app, with history, many-to-many scope and microsecond timestamps."""
    certifications = [CertificationFactory() for _ in range(3)]
    certifications[0].populations.set(Population.objects.all()[:3])
    certifications[0].regions.set(Region.objects.all()[:2])
    ComplianceCheckFactory()
    TrainingArrangementFactory()
    MembershipFactory(user=UserFactory())


def test_checksums_change_when_a_row_changes(db):
    make_register()
    before = table_checksums()

    user = UserFactory()
    user.full_name = "Changed"
    user.save()

    assert table_checksums() != before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backup uses dumpdata")
def test_sqlite_backup_round_trip_loses_nothing(transactional_db, tmp_path):
    # Transactional, because the restore commits. Other transactional tests flush away the
    # standards and vocabulary rows of the data migration, so load them again first
    # (serialized_rollback clashes with content types re-created by earlier flushes).
    # Start from empty tables with fresh id sequences, as the restore will: ids of many-to-many
    # rows are not kept by dumpdata, so they only match when both sides number from 1.
    call_command("flush", interactive=False, verbosity=0)
    load_vocabulary(apps)
    load_standards(apps)
    make_register()
    before = table_checksums()
    assert before["certification_certification"]["rows"] == 3
    assert before["certification_certification_populations"]["rows"] == 3

    backup = tmp_path / "register.xml.gz"
    call_command("backup_database", output=str(backup), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert table_checksums() != before

    call_command("restore_database", str(backup), stdout=io.StringIO())

    assert table_checksums() == before


def run_manage(*args, database_url):
    environment = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")
def test_postgres_backup_restores_into_an_empty_database_losing_nothing(transactional_db, tmp_path):
    # Earlier transactional tests flush away the data migration's standards and vocabulary.
    call_command("flush", interactive=False, verbosity=0)
    load_vocabulary(apps)
    load_standards(apps)
    make_register()
    before = table_checksums()

    backup = tmp_path / "register.dump"
    call_command("backup_database", output=str(backup), stdout=io.StringIO())

    settings = connection.settings_dict
    scratch = f"{settings['NAME']}_restore"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    scratch_url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@"
        f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{scratch}"
    )
    try:
        run_manage("restore_database", str(backup), database_url=scratch_url)
        output = run_manage("table_checksums", database_url=scratch_url).stdout
        # Log lines go to stderr: stdout is the checksums document alone.
        restored = json.loads(output)
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')

    assert restored == before
