"""Send the alerts that are due: run by cron (for example every 15 minutes)."""

from django.core.management.base import BaseCommand

from compliance.alerts import send_due_alerts


class Command(BaseCommand):
    help = (
        "Create in-app alerts and send alert emails about status changes and ending certificates."
    )

    def handle(self, *args, **options):
        created = send_due_alerts()
        emailed = sum(1 for alert in created if alert.emailed_at)
        self.stdout.write(f"{len(created)} new alerts, {emailed} emailed.")
