"""Data for `make loadtest` when the database has none: bodies, ~120 certified providers, and a
service provider whose member (LOADTEST_EMAIL / LOADTEST_PASSWORD) uses a few of them.

    make loadtest-data          # into the database `make serve` uses

`make serve-seed` (seed_demo) gives a richer register; this is the fallback the load test
needs, made with the test factories (installed with the dev dependencies). Runs once: a second
run finds the member and does nothing.
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from tests.factories import (  # noqa: E402
    CertificationBodyFactory,
    CertificationFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
)

EMAIL = os.environ.get("LOADTEST_EMAIL", "loadtest@meadowview.example.org")
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "loadtest-password-2026")


def main():
    if User.objects.filter(email=EMAIL).exists():
        print(f"{EMAIL} exists: load test data already there")
        return
    with transaction.atomic():
        bodies = [CertificationBodyFactory(slug=f"loadtest-body-{n}") for n in range(4)]
        certifications = [
            CertificationFactory(
                body=bodies[n % 4],
                certificate_number=f"RRN-LT-{n:04d}",
                provider__slug=f"loadtest-provider-{n}",
            )
            for n in range(120)
        ]
        service_provider = ServiceProviderFactory(slug="loadtest-care-home")
        for certification in certifications[:8]:
            TrainingArrangementFactory(
                service_provider=service_provider, training_provider=certification.provider
            )
        user = User.objects.create(email=EMAIL, password=make_password(PASSWORD))
        MembershipFactory(user=user, service_provider=service_provider)
    print(f"made 120 certifications and {EMAIL}")


if __name__ == "__main__":
    main()
