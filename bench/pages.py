"""What `make bench` requests, found in the generated data, with the sessions it signs in with.

    DATABASE_URL=… python bench/pages.py OUT.json

Run by bench/run.py in the bench's environment after `generate_load_data`: it picks the first
generated certified provider (its page, its certificate number, its town and region for the
filtered register) and the benchmark actors compliance/load_actors.py makes, and signs their
members in by creating a session, as Django's test client does (no password is needed and
django-axes, which watches sign-in attempts, is not involved). Writes JSON, not stdout: the
application logs to stdout.
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from certification.models import Certification  # noqa: E402
from certification.statuses import Status  # noqa: E402
from compliance import load_actors  # noqa: E402
from compliance.models import Commissioner, ServiceProvider  # noqa: E402
from providers.models import TrainingProvider  # noqa: E402


def session_cookie(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def pages():
    """[{key, label, path, actor, expect}]: `expect` is text the page must show."""
    certification = (
        Certification.objects.filter(status=Status.CERTIFIED, provider__slug__startswith="load-")
        .select_related("provider__region")
        .order_by("pk")
        .first()
    )
    if certification is None:
        raise SystemExit("no generated certified provider: run generate_load_data first")
    provider = certification.provider
    commissioner = Commissioner.objects.get(slug=load_actors.COMMISSIONER_SLUG)
    service = ServiceProvider.objects.get(slug=load_actors.SERVICE_SLUG)
    search = urlencode({"q": provider.town, "status": "certified", "region": provider.region.slug})
    number = certification.certificate_number
    return [
        ("healthz", "Health check", "/healthz", None, "ok"),
        ("register", "Register", "/providers/", None, "Load Provider"),
        ("register_filtered", "Register, searched and filtered", f"/providers/?{search}",
         None, f'href="{provider.get_absolute_url()}"'),
        ("register_page_40", "Register, page 40", "/providers/?page=40", None, "Load Provider"),
        ("provider", "Provider page", provider.get_absolute_url(), None, provider.name),
        ("certificate_check", "Certificate check",
         f"/certificates/check/?{urlencode({'number': number})}", None, number),
        ("service_provider_dashboard", "Service provider dashboard", service.get_absolute_url(),
         "service", service.name),
        ("commissioner_overview", "Commissioner overview (300 contracts)",
         commissioner.get_absolute_url(), "commissioner", commissioner.name),
    ]  # fmt: skip


def main(out):
    sessions = {
        "service": session_cookie(load_actors.SERVICE_EMAIL),
        "commissioner": session_cookie(load_actors.COMMISSIONER_EMAIL),
    }
    described = {
        "providers": TrainingProvider.objects.filter(slug__startswith="load-").count(),
        "contracts": Commissioner.objects.get(slug=load_actors.COMMISSIONER_SLUG).contracts.count(),
        "pages": [
            {"key": key, "label": label, "path": path, "actor": actor, "expect": expect}
            for key, label, path, actor, expect in pages()
        ],
        "sessions": sessions,
        "csv": "/providers/export.csv",
    }
    Path(out).write_text(json.dumps(described, indent=2))


if __name__ == "__main__":
    main(sys.argv[1])
