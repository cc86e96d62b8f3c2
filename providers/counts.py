"""How many providers the unfiltered register shows, cached.

Every visit to the register's unfiltered pages needs this count, and it is the one query there
that reads every provider row, so its cost grows with the register. Adding, archiving or
removing a provider clears it (signals in providers.apps; bulk writers call
`forget_register_count`); otherwise it is at most CACHE_SECONDS old in another process whose
cache is not shared (production shares one, CACHE_URL).
"""

from django.core.cache import cache

CACHE_KEY = "register:active-count"
CACHE_SECONDS = 60


def register_count():
    from .models import TrainingProvider

    return cache.get_or_set(
        CACHE_KEY, lambda: TrainingProvider.objects.active().count(), CACHE_SECONDS
    )


def forget_register_count(*args, **kwargs):
    cache.delete(CACHE_KEY)
