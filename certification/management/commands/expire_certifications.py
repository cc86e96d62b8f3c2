"""Move certifications past their end date to expired. Safe to run by cron, hourly."""

from django.core.management.base import BaseCommand

from certification.services import expire_due_certifications


class Command(BaseCommand):
    help = (
        "Move every certified or suspended certification whose certificate has ended to "
        "expired, recording the event. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        moved = expire_due_certifications()
        for certification in moved:
            self.stdout.write(f"Expired: {certification}")
        self.stdout.write(self.style.SUCCESS(f"{len(moved)} certification(s) expired."))
