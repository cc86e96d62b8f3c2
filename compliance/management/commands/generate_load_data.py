"""Generate volume data for benchmarks (fast, bulk writes)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from compliance.load_actors import COMMISSIONER_SLUG, SERVICE_SLUG
from compliance.load_data import generate


class Command(BaseCommand):
    help = "Create N training providers with certifications, services, arrangements and checks."

    def add_arguments(self, parser):
        parser.add_argument("--providers", type=int, required=True)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, providers, seed, **options):
        if not 1 <= providers <= 1_000_000:
            raise CommandError("--providers must be between 1 and 1,000,000.")
        started = time.monotonic()
        counts = generate(providers, seed=seed)
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather them in production: without them
            # the planner takes 20,000 rows for a few hundred (bench/README.md).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Created {summary} in {elapsed:.1f} s."))
        if "contracts" in counts:
            self.stdout.write(
                f"Benchmark actors: commissioner {COMMISSIONER_SLUG}, service provider "
                f"{SERVICE_SLUG}; their members have no password (bench/pages.py makes sessions)."
            )
