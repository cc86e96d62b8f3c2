"""Rebuild every provider's headline periods (the register's SQL side of the verdict)."""

from django.core.management.base import BaseCommand

from certification.headline_periods import rebuild_all
from certification.models import HeadlinePeriod


class Command(BaseCommand):
    help = "Work out every provider's headline periods afresh from the certification records."

    def handle(self, *args, **options):
        rebuild_all()
        count = HeadlinePeriod.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {count} headline periods."))
