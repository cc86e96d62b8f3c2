import json

from django.core.management.base import BaseCommand

from operations.backups import table_checksums


class Command(BaseCommand):
    help = "Print row counts and checksums of the key tables as JSON: compare before and after."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(table_checksums(), indent=2, sort_keys=True))
