"""The one writer of derived data: every write path reports here what it changed.

Two kinds of derived data are written (each app registers the function that writes its own,
so this module, below every app, imports none of them):

- `PERIODS`: providers whose headline periods must be worked out again (certification);
- `GENERATIONS`: data generations to start anew (derived.generation), which is what makes
  kept content, the register count and the vocabulary lists of the old data unused.

Both are written in the writer's own transaction, never after it: the register is right the
moment the write commits, and a rolled-back write rolls its derived data back with it. A
rebuild in `transaction.on_commit` would leave a window in which another request reads new
records with old periods, and nothing to repair them if the rebuild failed.

Outside `batch()` a report is written at once (a lone save in the admin, a shell). Inside
`batch()` reports are collected and written once each, at the end of the outermost batch,
still inside its transaction, just before it commits: a status move saves a certification
and creates its event, and its provider's periods are worked out once, not twice. Every
service function that writes certification records runs in a batch.
"""

import threading
from contextlib import contextmanager

from django.db import transaction

PERIODS = "periods"
GENERATIONS = "generations"
# The data generations' names (derived.generation): what the register shows, and what
# compliance verdicts read (the register too).
REGISTER, COMPLIANCE = "register", "compliance"
REGISTER_DATA = (REGISTER, COMPLIANCE)  # a register record changed

ORDER = (PERIODS, GENERATIONS)  # rebuilt periods are data the generations cover
_writers = {}  # kind -> function(set of keys)
_local = threading.local()


def register(kind, write):
    """`write(keys)` writes derived data of `kind` for these keys (ids, names)."""
    _writers[kind] = write


def changed(kind, keys):
    """Report that the derived data of `kind` for these keys is out of date."""
    keys = set(keys)
    if not keys:
        return
    pending = getattr(_local, "pending", None)
    if pending is None:
        _writers[kind](keys)
    else:
        pending.setdefault(kind, set()).update(keys)


@contextmanager
def batch():
    """An atomic block whose derived data is written once, just before it commits."""
    with transaction.atomic():
        outermost = getattr(_local, "pending", None) is None
        if not outermost:
            yield
            return
        _local.pending = {}
        try:
            yield
            _write_pending()
        finally:
            _local.pending = None


def _write_pending():
    # A writer may report more (rebuilt periods start a new generation): loop until done.
    pending = _local.pending
    while pending:
        kind = next(kind for kind in ORDER if kind in pending)
        keys = pending.pop(kind)
        _local.pending = None  # what it reports now is written at once
        try:
            _writers[kind](keys)
        finally:
            _local.pending = pending
