"""Shared fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _no_real_email(settings):
    """Tests send mail to Django's in-memory outbox, never to a real server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
