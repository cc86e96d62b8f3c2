"""Deployment checks of this service's own settings (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Alert and confirmation e-mails link to DJANGO_SITE_URL: a loopback default would send
    every recipient to their own machine."""
    address = urlsplit(settings.SITE_URL)
    if address.scheme == "https" and address.hostname not in LOOPBACK_HOSTS:
        return []
    return [
        checks.Warning(
            f"DJANGO_SITE_URL is {settings.SITE_URL!r}: links in e-mails would not reach users",
            hint="Set DJANGO_SITE_URL to the site's public https address, "
            "e.g. https://register.example.org",
            id="operations.W001",
        )
    ]
