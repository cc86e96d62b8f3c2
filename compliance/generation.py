"""Reuse of commissioners' overview rows until the records they are worked out from change.

A commissioner's overview works out the verdict of every contracted service (hundreds), which
reads most of the register; it is the same for every member of the commissioner and every
page of the overview, until a record changes. So the rows are kept in the process that worked
them out, keyed by commissioner, date, database filters and the *data generation*: a random
token in the database (`DataGeneration`) that every write of a watched record replaces, in the
same transaction. Reading the token is one query; so every process sees a write at once,
whatever the cache backend, and never reuses rows across a change.

Writes that send no signals (bulk_create, queryset.update) call `changed()` themselves.
"""

import threading
import uuid
from collections import OrderedDict

from django.db.models.signals import m2m_changed, post_delete, post_save

NAME = "compliance"
KEPT = 32  # overviews kept per process (a few hundred rows each)

_rows = OrderedDict()
_lock = threading.Lock()


def watched_models():
    """Every model a compliance verdict or the overview reads."""
    from certification.models import (
        AccreditationChange,
        Certification,
        CertificationBody,
        CertificationEvent,
    )
    from providers.models import TrainingProvider

    from .models import (
        ComplianceCheck,
        Contract,
        ContractReview,
        ServiceProvider,
        TrainingArrangement,
    )

    return [
        AccreditationChange,
        Certification,
        CertificationBody,
        CertificationEvent,
        ComplianceCheck,
        Contract,
        ContractReview,
        ServiceProvider,
        TrainingArrangement,
        TrainingProvider,
    ]


def current():
    from .models import DataGeneration

    token = DataGeneration.objects.filter(name=NAME).values_list("token", flat=True).first()
    return token or changed()


def changed(*args, **kwargs):
    """Record that watched data changed: rows worked out before are not used again."""
    from .models import DataGeneration

    token = uuid.uuid4()
    updated = DataGeneration.objects.filter(name=NAME).update(token=token)
    if not updated:
        DataGeneration.objects.get_or_create(name=NAME, defaults={"token": token})
    return token


def _on_m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        changed()


def connect_signals():
    for model in watched_models():
        uid = f"generation-{model._meta.label_lower}"
        post_save.connect(changed, sender=model, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field}"
            )


def reuse(key, work_out):
    """The value kept for `key` in this data generation, or `work_out()` kept for it."""
    key = (*key, current())
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
