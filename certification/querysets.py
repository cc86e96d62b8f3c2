"""Querysets for certification records."""

from django.db import models
from django.db.models import Prefetch

from accounts.querysets import MemberScopedQuerySet

from .statuses import CURRENT_STATUSES


class CertificationBodyQuerySet(MemberScopedQuerySet):
    """`for_user(user)`: the bodies a user is staff of (all, for a superuser).

    The admin scopes certification body staff with it, e.g.
    `CertificationBody.objects.for_user(request.user).values_list("pk", flat=True)`.
    """


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes: history rows are written once and kept."""

    def update(self, **kwargs):
        raise PermissionError(f"{self.model.__name__} records are append-only.")

    def delete(self):
        raise PermissionError(f"{self.model.__name__} records are append-only.")

    # The admin's "delete selected" and cascades go through _raw_delete.
    def _raw_delete(self, using):
        raise PermissionError(f"{self.model.__name__} records are append-only.")


def _fixed_names():
    """certification.models.FIXED_FIELDS by attname and by name (provider_id, provider).
    Imported when called: the models module imports this one."""
    from .models import FIXED_FIELDS

    return {*FIXED_FIELDS, *(name.removesuffix("_id") for name in FIXED_FIELDS)}


class CertificationQuerySet(models.QuerySet):
    # Certification is not transferable (certification.models): bulk writes never move one.

    def update(self, **kwargs):
        if _fixed_names() & kwargs.keys():
            raise PermissionError("A certification's provider and body cannot change.")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if _fixed_names() & set(fields):
            raise PermissionError("A certification's provider and body cannot change.")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def current(self):
        """Certifications still in play for their provider and body (not expired/withdrawn)."""
        return self.filter(status__in=CURRENT_STATUSES)

    def on_register(self):
        """Not archived: an archived certification has left the register, and no page,
        filter, export or check shows or counts it (README § Verdict rules the register
        applies)."""
        return self.filter(is_archived=False)

    def for_body(self, body):
        return self.filter(body=body)

    def with_verdict_data(self):
        """Everything `Certification.verdict()` reads, in a fixed number of queries."""
        from .models import AccreditationChange, CertificationEvent

        changes = Prefetch(
            "body__accreditation_changes", queryset=AccreditationChange.objects.order_by()
        )
        events = Prefetch("events", queryset=CertificationEvent.objects.order_by())
        return self.select_related(
            "body", "provider", "parent__body", "parent__provider"
        ).prefetch_related(
            events,
            changes,
            Prefetch("parent__events", queryset=CertificationEvent.objects.order_by()),
            Prefetch(
                "parent__body__accreditation_changes",
                queryset=AccreditationChange.objects.order_by(),
            ),
        )
