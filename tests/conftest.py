"""Shared fixtures, including the standing actors (as healthchecks.io's owner/outsider):
a member of service provider A, a member of service provider B, and a site administrator.
The anonymous actor is pytest-django's `client` without signing in."""

import pytest

from accounts.models import Role
from tests.factories import MembershipFactory, ServiceProviderFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_real_email(settings):
    """Tests send mail to Django's in-memory outbox, never to a real server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing with production strength costs ~0.3s a user; tests don't need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def service_provider_a(db):
    return ServiceProviderFactory(name="Organisation A Care Home")


@pytest.fixture
def service_provider_b(db):
    return ServiceProviderFactory(name="Organisation B Care Home")


@pytest.fixture
def user_a(service_provider_a):
    """Staff of service provider A."""
    user = UserFactory(email="alice@example.org", full_name="Alice Able")
    MembershipFactory(
        user=user, role=Role.SERVICE_PROVIDER_STAFF, service_provider=service_provider_a
    )
    return user


@pytest.fixture
def user_b(service_provider_b):
    """Staff of service provider B: an outsider to A."""
    user = UserFactory(email="bob@example.org", full_name="Bob Baker")
    MembershipFactory(
        user=user, role=Role.SERVICE_PROVIDER_STAFF, service_provider=service_provider_b
    )
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (kept content, the register's count and filter
    choices, overview rows: everything kept is in it, derived.generation)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _sessions_not_renewed(settings):
    """A session's idle clock restarts at most once a minute (accounts.session_renewal): in
    tests, never unless a test asks, so a signed-in page's first request runs the queries
    its next ones do (tests/accounts/test_sessions.py tests the renewal)."""
    settings.SESSION_RENEW_AFTER_SECONDS = 10**10


@pytest.fixture
def without_kept_content(monkeypatch):
    """Pages render their content on every request (pages.content_cache keeps nothing) while
    the data beneath it (counts, filter lists, overview rows) is still kept, for tests of
    keeping that data."""
    from django.core.cache.backends.dummy import DummyCache

    from pages import content_cache

    monkeypatch.setattr(content_cache, "cache", DummyCache("kept-content", {}))


@pytest.fixture
def every_cache_off():
    """Nothing is kept or reused (pages' content, counts, filter lists, overview rows): every
    request works everything out afresh, for tests that count the queries of doing so."""
    from tests.caches_off import nothing_kept

    with nothing_kept():
        yield
