from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import restore


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by backup_database "
        "(pg_restore --clean on PostgreSQL; flush and loaddata on SQLite), in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="file written by backup_database")

    def handle(self, *args, backup, **options):
        path = Path(backup)
        if not path.is_file():
            raise CommandError(f"no backup at {path}")
        restore(path)
        self.stdout.write(self.style.SUCCESS(f"restored {path}"))
