"""Send the alerts that are due: run by cron (for example every 15 minutes). Also forgets the
addresses of people who never confirmed following a provider, or who unsubscribed."""

from django.core.management.base import BaseCommand

from compliance.alerts import send_due_alerts
from compliance.following import alert_followers, forget_addresses


class Command(BaseCommand):
    help = (
        "Create in-app alerts and send alert emails about status changes and ending "
        "certificates, to members and to people following a provider; forget followers who "
        "never confirmed (after 7 days) or who unsubscribed."
    )

    def handle(self, *args, **options):
        # An email that fails is logged and tried again next run (alerts.send_once): it
        # stops neither the members' alerts nor the followers'.
        created = send_due_alerts()
        emailed = sum(1 for alert in created if alert.emailed_at)
        followers = alert_followers()
        forgotten = forget_addresses()
        self.stdout.write(
            f"{len(created)} new alerts, {emailed} emailed; "
            f"{len(followers)} emails to people following a provider; "
            f"{forgotten} followers' addresses forgotten."
        )
