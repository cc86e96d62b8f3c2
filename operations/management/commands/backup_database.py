from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from operations.backups import back_up, default_backup_name


class Command(BaseCommand):
    help = (
        "Back up the whole database: pg_dump (custom format) on PostgreSQL, "
        "dumpdata (XML, gzipped) on SQLite. Prints the file written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="file to write (default: BACKUP_DIR/rrn-register-<UTC time>.dump or .xml.gz)",
        )

    def handle(self, *args, output=None, **options):
        path = Path(output) if output else Path(settings.BACKUP_DIR) / default_backup_name()
        back_up(path)
        self.stdout.write(str(path))
