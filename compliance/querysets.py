"""Querysets for the compliance app: who may see which organisation (`for_user`), and what a
service's pages load, in a fixed number of queries."""

from datetime import date

from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import StartsWith
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
        if organisation._meta.model_name == "commissioner":
            alerts = self.shown_to_commissioner(organisation, timezone.localdate())
        else:
            alerts = self.filter(service_provider=organisation)
        return alerts.filter(recipient=user).order_by("-created_at", "-pk")

    def shown_to_commissioner(self, commissioner, on: date):
        """The alerts of `commissioner`'s staff fit to show on `on`: the answers to its
        contracts, and news about a service's training only while the service shares its
        records with it (`ContractQuerySet.granting_access_on`). News kept from when a
        contract granted access, or from before services confirmed contracts, names the
        training provider the service uses: once access is gone, it is not shown.

        The service is in the key (compliance.alerts.commissioner_notices:
        `co<commissioner>:sp<service>:<news>`)."""
        from .models import Alert, Contract

        news_of_shared_service = (
            Contract.objects.granting_access_on(on)
            .filter(commissioner=commissioner)
            .annotate(
                key_prefix=Concat(
                    Value(f"co{commissioner.pk}:sp"),
                    Cast("service_provider_id", models.CharField()),
                    Value(":"),
                    output_field=models.CharField(),
                )
            )
            .filter(StartsWith(OuterRef("key"), F("key_prefix")))
        )
        contract_answers = [Alert.Kind.CONTRACT_CONFIRMED, Alert.Kind.CONTRACT_DECLINED]
        return self.filter(commissioner=commissioner).filter(
            Q(kind__in=contract_answers) | Exists(news_of_shared_service)
        )

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self) -> int:
        """Mark these alerts read now (one UPDATE); returns how many were unread."""
        return self.unread().update(read_at=timezone.now())
