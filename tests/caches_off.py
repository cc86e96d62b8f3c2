"""Every cache off: nothing the service keeps (pages' content, the register's count and filter
lists) is kept or reused.

Everything kept lives in Django's cache (derived.generation, pages.content_cache), never in a
process's memory, so swapping every configured cache for a DummyCache turns all of it off.
`assert_nothing_kept` proves it: a value set is never read back, from any cache alias.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.test import override_settings

DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def assert_nothing_kept():
    for alias in settings.CACHES:
        assert isinstance(caches[alias], DummyCache), f"cache {alias!r} is on"
        caches[alias].set("probe", 1)
        assert caches[alias].get("probe") is None, f"cache {alias!r} keeps values"


@contextmanager
def nothing_kept():
    with override_settings(CACHES=dict.fromkeys(settings.CACHES, DUMMY)):
        assert_nothing_kept()
        yield
