"""Load the fictional demo register and demo accounts (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compliance.demo_data import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo register and accounts. Safe to run again. Refuses unless DEBUG."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password: it runs only with "
                "DJANGO_DEBUG=true."
            )
        if seed_demo(report=self.stdout.write):
            self.stdout.write(
                self.style.SUCCESS(f"Demo data created. Demo accounts use '{DEMO_PASSWORD}'.")
            )
        else:
            self.stdout.write("Demo data is already there: nothing changed.")
