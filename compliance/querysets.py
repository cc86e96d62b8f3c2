"""Querysets for the compliance app: who may see which organisation (`for_user`), and what a
service's pages load, in a fixed number of queries."""

from datetime import date

from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.querysets import MemberScopedQuerySet


class ServiceProviderQuerySet(MemberScopedQuerySet):
    pass


class CommissionerQuerySet(MemberScopedQuerySet):
    pass


def certifications_with_verdict_and_scope():
    """A provider's certifications with everything the verdicts and the scope test read."""
    from certification.models import Certification

    return Certification.objects.with_verdict_data().prefetch_related(
        "populations", "settings", "specialist_content"
    )


class TrainingArrangementQuerySet(models.QuerySet):
    def current_on(self, on: date):
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def with_verdict_data(self):
        """Everything `compliance.verdicts.arrangement_verdict` reads, in a fixed number of
        queries whatever the number of arrangements, certifications, events or checks."""
        from .models import ComplianceCheck

        return self.select_related(
            "service_provider", "training_provider", "training_provider__region"
        ).prefetch_related(
            "service_provider__populations",
            "service_provider__settings",
            "specialist_content",
            Prefetch("checks", queryset=ComplianceCheck.objects.order_by()),
            Prefetch(
                "training_provider__certifications",
                queryset=certifications_with_verdict_and_scope(),
            ),
        )


class ComplianceCheckQuerySet(models.QuerySet):
    def of_service_provider(self, service_provider):
        return self.filter(arrangement__service_provider=service_provider)

    def for_listing(self):
        """What the history list and the export show of each check, without per-row queries."""
        return self.select_related(
            "arrangement__training_provider", "checked_by", "certification__body"
        )


class AlertQuerySet(models.QuerySet):
    def for_member(self, user, organisation):
        """The alerts `user` received as a member of `organisation` (a ServiceProvider or a
        Commissioner), newest first."""
        is_commissioner = organisation._meta.model_name == "commissioner"
        field = "commissioner" if is_commissioner else "service_provider"
        return self.filter(recipient=user, **{field: organisation}).order_by("-created_at", "-pk")

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self) -> int:
        """Mark these alerts read now (one UPDATE); returns how many were unread."""
        return self.unread().update(read_at=timezone.now())
