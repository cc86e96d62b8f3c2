"""Send the alerts that are due: run by cron (for example every 15 minutes)."""

from django.core.management.base import BaseCommand

from compliance.alerts import send_due_alerts
from compliance.following import alert_followers


class Command(BaseCommand):
    help = (
        "Create in-app alerts and send alert emails about status changes and ending "
        "certificates, to members and to people following a provider."
    )

    def handle(self, *args, **options):
        created = send_due_alerts()
        emailed = sum(1 for alert in created if alert.emailed_at)
        followers = alert_followers()
        self.stdout.write(
            f"{len(created)} new alerts, {emailed} emailed; "
            f"{len(followers)} emails to people following a provider."
        )
