"""Backups: a whole-database dump and its restore, and checksums that prove a round trip.

PostgreSQL uses its own tools (``pg_dump -Fc`` / ``pg_restore``): exact, fast, and what an
operator would reach for. SQLite, used on laptops, uses Django's ``dumpdata``/``loaddata`` in
XML, which keeps timestamps to the microsecond (Django's JSON keeps milliseconds only).
"""

import hashlib
import os
import subprocess
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

from derived import generation, versions, writer

# Recreated by `migrate` and referred to by natural key in the dump.
NOT_DUMPED = ["contenttypes", "auth.permission"]
# The project's own apps: their tables (and their history tables) are what a backup is for.
KEY_APPS = ["accounts", "standards", "providers", "certification", "compliance"]


def _postgres_environment():
    """libpq's variables for the configured database: no password on a command line."""
    settings = connection.settings_dict
    variables = {
        "PGDATABASE": settings["NAME"],
        "PGHOST": settings.get("HOST") or "",
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": settings.get("USER") or "",
        "PGPASSWORD": settings.get("PASSWORD") or "",
    }
    return {**os.environ, **{key: value for key, value in variables.items() if value}}


def back_up(path: Path) -> Path:
    """Writes the whole database to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
            env=_postgres_environment(),
            check=True,
        )
    else:
        call_command(
            "dumpdata",
            format="xml",
            natural_foreign=True,
            exclude=NOT_DUMPED,
            output=str(path),
            verbosity=0,
        )
    return path


def restore(path: Path) -> None:
    """Replaces the database's contents with the backup at ``path``, all or nothing."""
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ],
            env=_postgres_environment(),
            check=True,
        )
        with writer.batch():
            _restored_derived_data()
        return
    call_command("migrate", interactive=False, verbosity=0)
    # The dump holds the history as it was: loading many-to-many scope must not add to it.
    # One batch: the derived data is written once, after every row is back.
    with writer.batch(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(path), verbosity=0)
        _restored_derived_data()


def _restored_derived_data():
    """Through the one writer: stored derived data an older release computed is rebuilt
    (derived.versions), and a new data generation begins, so nothing kept before the restore
    is served after it."""
    versions.rebuild_every_stale()
    generation.changed()


def default_backup_name() -> str:
    from django.utils import timezone

    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    extension = "dump" if connection.vendor == "postgresql" else "xml.gz"
    return f"rrn-register-{stamp}.{extension}"


def table_checksums() -> dict[str, dict]:
    """Row count and SHA-256 of every row, in primary-key order, for each key table."""
    checksums = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in KEY_APPS or not model._meta.managed:
            continue
        columns = [field.attname for field in model._meta.concrete_fields]
        digest = hashlib.sha256()
        count = 0
        for row in model._base_manager.order_by("pk").values_list(*columns).iterator():
            digest.update(repr(row).encode())
            count += 1
        checksums[model._meta.db_table] = {"rows": count, "sha256": digest.hexdigest()}
    return checksums
