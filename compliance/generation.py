"""Data generations: work derived from records is reused until one of those records changes.

A *data generation* is a random token in the database (`DataGeneration`) that every write of
a watched record replaces, in the same transaction. Reading it is one query, so every process
sees a write at once, whatever the cache backend, and never reuses work across a change.
There are two:

- `REGISTER`: what the public register shows (providers, certifications and their events,
  bodies and their accreditation, the standards editions and the scope vocabulary). Pages'
  rendered content is kept under it (pages.content_cache).
- `COMPLIANCE`: what compliance verdicts read, which is the register's records and the
  service providers', commissioners' and their checks. A write of a register record starts a
  new generation of both. A commissioner's overview rows are kept under it (`reuse`): working
  out hundreds of services' verdicts reads most of the register, and they are the same for
  every member and every page of the overview until a record changes.

Writes that send no signals (bulk_create, queryset.update) call `changed()` themselves.
Every change goes through the one writer of derived data (derived.writer): written in the
writer's own transaction, and once per batch however many records a service function saves.

A request reads each generation once, at its first use (`RequestGenerationsMiddleware`), and
keys everything it keeps or reuses on that: what is kept under a token is at least as new as
the token, because the token is read before the data.
"""

import threading
import uuid
from collections import OrderedDict

from django.db.models.signals import m2m_changed, post_delete, post_save

from derived import writer
from derived.release import release_stamp

REGISTER = writer.REGISTER
COMPLIANCE = writer.COMPLIANCE
KEPT = 32  # overviews kept per process (a few hundred rows each)

_rows = OrderedDict()
_lock = threading.Lock()
_request = threading.local()  # .tokens: {name: token} read in the current request


def register_models():
    """Every model the public register's pages show."""
    from certification.models import (
        AccreditationChange,
        Certification,
        CertificationBody,
        CertificationEvent,
    )
    from providers.models import Curriculum, TrainingProvider
    from standards.models import Population, Region, Setting, SpecialistContent, StandardsEdition

    return [
        AccreditationChange,
        Certification,
        CertificationBody,
        CertificationEvent,
        Curriculum,
        Population,
        Region,
        Setting,
        SpecialistContent,
        StandardsEdition,
        TrainingProvider,
    ]


def compliance_models():
    """The models a compliance verdict or the overview reads beyond the register's."""
    from .models import (
        ComplianceCheck,
        Contract,
        ContractReview,
        ServiceProvider,
        TrainingArrangement,
    )

    return [ComplianceCheck, Contract, ContractReview, ServiceProvider, TrainingArrangement]


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


def changed(*args, names=(REGISTER, COMPLIANCE), **kwargs):
    """Record that watched data changed: work derived before is not used again. With no
    `names`, a register record changed, which is also a compliance record."""
    writer.changed(writer.GENERATIONS, names)


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


def compliance_changed(*args, **kwargs):
    return changed(names=(COMPLIANCE,))


def _m2m_receiver(receiver):
    def on_m2m_changed(sender, action, **kwargs):
        if action.startswith("post_"):
            receiver()

    return on_m2m_changed


def connect_signals():
    writer.register(writer.GENERATIONS, start_new)
    for models, receiver in (
        (register_models(), changed),
        (compliance_models(), compliance_changed),
    ):
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


def reuse(key, work_out):
    """The value kept for `key` in this compliance data generation, or `work_out()` kept for
    it, in this process (under the release too, as every key of kept work)."""
    key = (*key, release_stamp(), current())
    with _lock:
        if key in _rows:
            _rows.move_to_end(key)
            return _rows[key]
    value = work_out()
    with _lock:
        _rows[key] = value
        while len(_rows) > KEPT:
            _rows.popitem(last=False)
    return value


def forget_all():
    with _lock:
        _rows.clear()
