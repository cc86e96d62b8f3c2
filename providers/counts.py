"""How many providers the unfiltered register shows, kept in the cache.

Every visit to the register's unfiltered pages needs this count, and it is the one query there
that reads every provider row, so its cost grows with the register. It is kept under the
register's data generation (read once a request) and the release: a write of any register
record starts a new generation when it commits, in every process at once, so the count is
never older than the last write, whatever the cache backend. Nothing clears it by hand.
"""

from derived import generation


def register_count():
    from .models import TrainingProvider

    return generation.kept(
        ("register:active-count",),
        lambda: TrainingProvider.objects.active().count(),
        name=generation.REGISTER,
    )
