"""Data generations: work derived from records is reused until one of those records changes.

A *data generation* is a random token in the database (`DataGeneration`) that every write of
a watched record replaces, in the same transaction. Reading it is one query, so every process
sees a write at once, whatever the cache backend, and never reuses work across a change.
There are two:

- `REGISTER`: what the public register shows (providers, certifications and their events,
  bodies and their accreditation, the standards editions and the scope vocabulary). Pages'
  rendered content, the register's count and its filter lists are kept under it.
- `COMPLIANCE`: what compliance verdicts read, which is the register's records and the
  service providers', commissioners' and their checks. A write of a register record starts a
  new generation of both. The compliance pages' rendered content is kept under it.

Each app says which of its models each generation watches (`watch`, in its `ready()`), so
this module, below every app, imports none of them. Writes that send no signals
(bulk_create, queryset.update) call `changed()` themselves. Every change goes through the one
writer of derived data (derived.writer): written in the writer's own transaction, and once
per batch however many records a service function saves.

A request reads each generation once, at its first use (`RequestGenerationsMiddleware`), and
keys everything it keeps on that: what is kept under a token is at least as new as the token,
because the token is read before the data. Everything kept lives in Django's cache
(settings.CACHES), never in a process's memory, so a DummyCache turns all of it off.
"""

import hashlib
import threading
import uuid

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import writer
from .release import release_stamp

REGISTER = writer.REGISTER
COMPLIANCE = writer.COMPLIANCE
KEPT_SECONDS = 60 * 60  # a bound on memory; correctness comes from the key

_request = threading.local()  # .tokens: {name: token} read in the current request


def current(name=COMPLIANCE):
    """The generation's token: read from the database, once per request."""
    from .models import DataGeneration

    tokens = getattr(_request, "tokens", None)
    if tokens is not None and name in tokens:
        return tokens[name]
    token = DataGeneration.objects.filter(name=name).values_list("token", flat=True).first()
    token = token or start_new((name,))
    if tokens is not None:
        tokens[name] = token
    return token


def changed(*args, names=writer.REGISTER_DATA, **kwargs):
    """Record that watched data changed: work derived before is not used again. With no
    `names`, a register record changed, which is also a compliance record. (Also a signal
    receiver, hence the arguments it ignores.)"""
    writer.changed(writer.GENERATIONS, names)


def compliance_changed(*args, **kwargs):
    """A compliance record (not the register's) changed."""
    changed(names=(COMPLIANCE,))


def start_new(names):
    """Give these generations a new token (derived.writer calls this, once per batch)."""
    from .models import DataGeneration

    token = uuid.uuid4()
    updated = DataGeneration.objects.filter(name__in=names).update(token=token)
    if updated < len(names):
        for name in names:
            DataGeneration.objects.get_or_create(name=name, defaults={"token": token})
    tokens = getattr(_request, "tokens", None)
    if tokens is not None:  # this request's own write: what it shows next is not kept work
        tokens.update(dict.fromkeys(names, token))
    return token


def key(*parts, name=REGISTER):
    """A cache key for work derived from `parts` under the release and generation `name`."""
    described = repr((*parts, release_stamp(), str(current(name))))
    return "derived:" + hashlib.sha256(described.encode()).hexdigest()


def kept(parts, work_out, name=COMPLIANCE):
    """The value kept for `parts` in this data generation and release, or `work_out()` kept
    for them in the cache (shared by every process with Redis)."""
    return cache.get_or_set(key(*parts, name=name), work_out, KEPT_SECONDS)


class RequestGenerationsMiddleware:
    """Each request reads a generation once (its first use) and keys its kept work on it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.tokens = {}
        try:
            return self.get_response(request)
        finally:
            _request.tokens = None


def _m2m_receiver(receiver):
    def on_m2m_changed(sender, action, **kwargs):
        if action.startswith("post_"):
            receiver()

    return on_m2m_changed


def watch(models, register=True):
    """Every save, delete and many-to-many change of these models starts a new generation:
    of both (`register`: what the public register shows) or of compliance only."""
    receiver = changed if register else compliance_changed
    on_m2m_changed = _m2m_receiver(receiver)
    for model in models:
        uid = f"generation-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                on_m2m_changed,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"{uid}-{field}",
            )
