"""Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database when it is missing (nothing on SQLite)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(f"{connection.vendor}: nothing to create")
            return
        name = connection.settings_dict["NAME"]
        # Connects to the server's maintenance database, as Django's test runner does.
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                self.stdout.write(f"database {name} exists")
                return
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        self.stdout.write(self.style.SUCCESS(f"created database {name}"))
