"""Service providers, commissioners, contracts, training arrangements, checks and alerts."""

import hashlib
import json
import secrets
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from certification.calendar import months_before
from certification.models import Certification
from certification.verdicts import long_date
from providers.models import TrainingProvider
from standards.models import Population, Region, Setting, SpecialistContent

from .querysets import (
    AlertQuerySet,
    CommissionerQuerySet,
    ComplianceCheckQuerySet,
    ServiceProviderQuerySet,
    TrainingArrangementQuerySet,
)


class ServiceProvider(models.Model):
    """A care home, hospital, school or other service whose staff receive training."""

    class Sector(models.TextChoices):
        HEALTH = "health", "Health"
        SOCIAL_CARE = "social_care", "Adult social care"
        EDUCATION = "education", "Education"
        CHILDRENS_SERVICES = "childrens_services", "Children's services"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    cqc_location_id = models.CharField(
        "CQC location ID", max_length=20, unique=True, null=True, blank=True
    )
    sector = models.CharField(max_length=20, choices=Sector.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="service_providers")
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    populations = models.ManyToManyField(
        Population, blank=True, help_text="Who the service supports."
    )
    settings = models.ManyToManyField(Setting, blank=True, help_text="Where it supports them.")

    objects = ServiceProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(cqc_location_id=""),
                name="service_provider_cqc_id_not_blank",
                violation_error_message="Leave the CQC location ID empty rather than blank.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("compliance:service_provider", args=[self.slug])


class Commissioner(models.Model):
    """A local authority or NHS commissioner that contracts with service providers."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        NHS_COMMISSIONER = "nhs_commissioner", "NHS commissioner"
        OTHER = "other", "Other commissioner"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="commissioners"
    )

    objects = CommissionerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("compliance:commissioner", args=[self.slug])


class ContractQuerySet(models.QuerySet):
    def current_on(self, on: date):
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    @staticmethod
    def _grants_access(on: date):
        """The one rule (DESIGN.md § Between organisations): a contract shows its commissioner
        the service's private records on `on` when the service provider confirmed it, it has
        started, and it ended no more than settings.CONTRACT_ACCESS_AFTER_END_MONTHS before."""
        ended_since = months_before(on, settings.CONTRACT_ACCESS_AFTER_END_MONTHS)
        return (
            Q(confirmation=Contract.Confirmation.CONFIRMED)
            & Q(starts_on__lte=on)
            & (Q(ends_on__isnull=True) | Q(ends_on__gte=ended_since))
        )

    def granting_access_on(self, on: date):
        """The contracts that show their commissioner the service's private records on `on`."""
        return self.filter(self._grants_access(on))

    def _service_shared(self, on: date):
        granting = Contract.objects.granting_access_on(on).filter(
            commissioner_id=OuterRef("commissioner_id"),
            service_provider_id=OuterRef("service_provider_id"),
        )
        return Exists(granting)

    def of_shared_services(self, on: date):
        """Contracts whose commissioner sees their service's private records on `on`: it has
        some contract with the service granting access then (this one or another)."""
        return self.filter(self._service_shared(on))

    def with_access_on(self, on: date):
        """Each contract with `grants_access` (this contract does, on `on`) and
        `service_shared` (some contract of this commissioner with this service does)."""
        return self.annotate(
            grants_access=ExpressionWrapper(self._grants_access(on), BooleanField()),
            service_shared=self._service_shared(on),
        )


class Contract(models.Model):
    """A commissioner's contract with a service provider, as the commissioner records it.

    It is a claim until the service provider's staff confirm it (or decline it): only a
    confirmed contract shows the commissioner the service's private records, while it runs
    and for a while after it ends (`ContractQuerySet.granting_access_on`). The service
    provider is fixed once recorded, and moving a confirmed contract's dates outwards asks
    the service provider again (`save`), so consent given is never carried further.
    """

    class Confirmation(models.TextChoices):
        PENDING = "pending", "Waiting for the service provider to confirm"
        CONFIRMED = "confirmed", "Confirmed by the service provider"
        DECLINED = "declined", "Declined by the service provider"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="contracts"
    )
    service_provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="contracts"
    )
    reference = models.CharField(max_length=60)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    requires_certified_training = models.BooleanField(
        default=True,
        help_text="Training that includes restrictive practices must be certified by a "
        "UKAS-accredited body as complying with the RRN Training Standards.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The service provider's answer to the claim: who answered, and when.
    confirmation = models.CharField(
        max_length=10, choices=Confirmation.choices, default=Confirmation.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["commissioner", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "reference"],
                name="contract_unique_reference",
                violation_error_message=(
                    "This commissioner already has a contract with this reference."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="contract_ends_after_start",
                violation_error_message="A contract cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(confirmation__in=["pending", "confirmed", "declined"]),
                name="contract_confirmation_valid",
                violation_error_message="Unknown confirmation state.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(confirmation="pending", decided_by__isnull=True, decided_at__isnull=True)
                    | (
                        Q(confirmation__in=["confirmed", "declined"])
                        & Q(decided_by__isnull=False, decided_at__isnull=False)
                    )
                ),
                name="contract_decision_recorded",
                violation_error_message=(
                    "A confirmed or declined contract says who decided and when; "
                    "a pending one says neither."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.service_provider}"

    # The service provider's answer: written by compliance.consent.decide, and withdrawn
    # (back to pending) by `save` when the dates move outwards.
    DECISION_FIELDS = ("confirmation", "decided_by", "decided_at")
    # What the commissioner can change on a recorded contract (its form, its import).
    EDITABLE_FIELDS = ("reference", "starts_on", "ends_on", "requires_certified_training")
    # What the service provider is shown and answers: an answer is to these exact terms.
    TERMS_FIELDS = ("commissioner_id", "service_provider_id", *EDITABLE_FIELDS)

    def save(self, *args, **kwargs):
        """Consent given for one service and period is not carried to another: the service
        provider cannot change, and a confirmed contract whose dates move outwards (an
        earlier start, a later or no end) is a new claim, pending again.

        A save naming its fields without the answer (an edit, an import, an end date) never
        writes the answer an instance loaded earlier holds: the answer is withdrawn in the
        same UPDATE, only when the row is confirmed and its dates as stored then are
        narrower, so an answer given meanwhile is neither lost nor carried further."""
        if self.pk is not None and not kwargs.get("force_insert"):
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("service_provider_id", "starts_on", "ends_on", "confirmation")
                .first()
            )
            if stored is not None:
                service_provider_id, starts_on, ends_on, confirmation = stored
                if service_provider_id != self.service_provider_id:
                    raise PermissionError(
                        "A contract's service provider is fixed when it is recorded: "
                        "end the contract and record a new one."
                    )
                update_fields = kwargs.get("update_fields")
                if update_fields is not None and "confirmation" not in update_fields:
                    self._withdraw_answer_if_widened()
                    kwargs["update_fields"] = {*update_fields, *self.DECISION_FIELDS}
                    super().save(*args, **kwargs)
                    self.refresh_from_db(fields=self.DECISION_FIELDS)
                    return
                # The caller writes the answer itself (a full save: the admin, fixtures).
                if (
                    confirmation == self.Confirmation.CONFIRMED
                    and self.confirmation == self.Confirmation.CONFIRMED
                    and self.widens(starts_on, ends_on, self.starts_on, self.ends_on)
                ):
                    self.confirmation = self.Confirmation.PENDING
                    self.decided_by = self.decided_at = None
        super().save(*args, **kwargs)

    def _withdraw_answer_if_widened(self):
        """Set the decision fields to SQL that keeps the row's answer unless it is a
        confirmation of dates narrower than this instance's (the UPDATE reads the row's
        values from before it)."""
        later_end = (
            Q(ends_on__isnull=False) if self.ends_on is None else Q(ends_on__lt=self.ends_on)
        )
        asks_again = Q(confirmation=self.Confirmation.CONFIRMED) & (
            Q(starts_on__gt=self.starts_on) | later_end
        )

        def unless_asked_again(value, field):
            return Case(When(asks_again, then=Value(value)), default=F(field))

        self.confirmation = unless_asked_again(self.Confirmation.PENDING, "confirmation")
        self.decided_by_id = unless_asked_again(None, "decided_by")
        self.decided_at = unless_asked_again(None, "decided_at")

    def terms(self):
        return {name: getattr(self, name) for name in self.TERMS_FIELDS}

    def terms_fingerprint(self):
        """A digest of the terms as this instance holds them, which the answer form posts back,
        so that an answer applies to the terms its page showed (compliance.consent)."""
        text = json.dumps([str(value) for value in self.terms().values()])
        return hashlib.sha256(text.encode()).hexdigest()

    @staticmethod
    def widens(starts_on, ends_on, new_starts_on, new_ends_on):
        """Whether the new dates reach beyond the old: an earlier start, a later or no end."""
        later_end = ends_on is not None and (new_ends_on is None or new_ends_on > ends_on)
        return new_starts_on < starts_on or later_end

    def delete(self, *args, **kwargs):
        """A reviewed contract is evidence of what the commissioner checked: never deleted.

        Its reviews hold it too (PROTECT), so the database refuses the same.
        """
        if self.pk and self.reviews.exists():
            raise models.ProtectedError(
                "A contract that has been reviewed is ended, never deleted.", {self}
            )
        return super().delete(*args, **kwargs)

    def is_current_on(self, on: date):
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    @property
    def is_pending(self):
        return self.confirmation == self.Confirmation.PENDING

    def consent_label(self):
        """The service provider's answer in words, as the commissioner reads it. A contract
        loaded `with_access_on` also says when a confirmed one shows nothing (yet, or now)."""
        service = self.service_provider.name
        if self.confirmation == self.Confirmation.PENDING:
            return f"Waiting for {service} to confirm"
        decided_on = long_date(timezone.localtime(self.decided_at).date())
        if self.confirmation == self.Confirmation.DECLINED:
            return f"Declined by {service} on {decided_on}"
        label = f"Confirmed by {service} on {decided_on}"
        if getattr(self, "grants_access", True):
            return label
        if self.ends_on is not None and self.ends_on < timezone.localdate():
            months = settings.CONTRACT_ACCESS_AFTER_END_MONTHS
            return f"{label}: ended more than {months} months ago, so its records are not shown"
        return f"{label}: its records are shown from the day the contract starts"


class ContractReview(models.Model):
    """A commissioner's review of a contract's compliance, with the actions agreed.

    Reviews are kept as the contract's history; actions not completed by their due date are
    flagged on the commissioner's overview.
    """

    class Outcome(models.TextChoices):
        COMPLIANT = "compliant", "Compliant"
        ACTION_NEEDED = "action_needed", "Action needed"
        NOT_COMPLIANT = "not_compliant", "Not compliant"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    actions_agreed = models.TextField(blank=True)
    actions_due_on = models.DateField("actions due by", null=True, blank=True)
    actions_completed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_reviews"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["compliant", "action_needed", "not_compliant"]),
                name="contract_review_outcome_valid",
                violation_error_message="Unknown outcome.",
            ),
            models.CheckConstraint(
                condition=Q(actions_due_on__isnull=True) | ~Q(actions_agreed=""),
                name="contract_review_due_date_needs_actions",
                violation_error_message="Say which actions were agreed before giving a due date.",
            ),
            models.CheckConstraint(
                condition=Q(actions_due_on__isnull=True) | Q(actions_due_on__gte=F("reviewed_on")),
                name="contract_review_actions_due_after_review",
                violation_error_message="Actions cannot be due before the review.",
            ),
            models.CheckConstraint(
                condition=Q(actions_completed_on__isnull=True)
                | (Q(actions_completed_on__gte=F("reviewed_on")) & ~Q(actions_agreed="")),
                name="contract_review_completed_after_review",
                violation_error_message=(
                    "Actions can only be completed on or after the review that agreed them."
                ),
            ),
        ]
        indexes = [models.Index(fields=["contract", "-reviewed_on"], name="review_latest_idx")]

    def __str__(self):
        return f"Review of {self.contract.reference} on {self.reviewed_on}"

    def actions_overdue_on(self, on: date):
        """Agreed actions due before `on` and not completed by then."""
        return (
            self.actions_due_on is not None
            and self.reviewed_on <= on
            and self.actions_due_on < on
            and (self.actions_completed_on is None or self.actions_completed_on > on)
        )


class TrainingArrangement(models.Model):
    """A service provider uses a training provider for restrictive-practice training."""

    class Route(models.TextChoices):
        BOUGHT_IN = "bought_in", "Bought-in training from a certified provider"
        AFFILIATE = "affiliate", "Affiliate of a certified provider"
        IN_HOUSE = "in_house", "In-house training, certified"

    service_provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="training_arrangements"
    )
    training_provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="training_arrangements"
    )
    route = models.CharField(max_length=20, choices=Route.choices)
    specialist_content = models.ManyToManyField(
        SpecialistContent,
        blank=True,
        help_text="What the training bought includes, for example physical restraint.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingArrangementQuerySet.as_manager()

    class Meta:
        ordering = ["service_provider", "training_provider__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="arrangement_ends_after_start",
                violation_error_message="An arrangement cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["service_provider", "training_provider"],
                condition=Q(ends_on__isnull=True),
                name="arrangement_one_open_per_provider",
                violation_error_message=(
                    "This service already has an open arrangement with this training provider."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.service_provider} uses {self.training_provider}"

    def is_current_on(self, on: date):
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


def evidence_upload_to(instance, filename):
    """A random name, keeping only a safe extension: uploaded names are never trusted."""
    suffix = Path(filename).suffix.lower()
    suffix = suffix if suffix in {".pdf", ".png", ".jpg", ".jpeg"} else ""
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class ComplianceCheck(models.Model):
    """A record that someone checked a training arrangement, with a snapshot of what they saw.

    The snapshot fields copy what the register said at the time and are never updated after,
    even if the certification changes: they are the evidence of what was checked.
    """

    class Outcome(models.TextChoices):
        COMPLIANT = "compliant", "Compliant"
        ACTION_NEEDED = "action_needed", "Action needed"
        NOT_COMPLIANT = "not_compliant", "Not compliant"

    arrangement = models.ForeignKey(
        TrainingArrangement, on_delete=models.PROTECT, related_name="checks"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="compliance_checks"
    )
    checked_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Snapshot of the register on `checked_on`.
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seen_status = models.CharField(max_length=120, blank=True)
    seen_certificate_number = models.CharField(max_length=40, blank=True)
    seen_body_name = models.CharField(max_length=200, blank=True)
    seen_ukas_number = models.CharField(max_length=20, blank=True)
    seen_valid_until = models.DateField(null=True, blank=True)
    # What the checker found.
    scope_covers_populations = models.BooleanField()
    scope_covers_settings = models.BooleanField()
    scope_covers_content = models.BooleanField()
    evidence = models.TextField(help_text="What you saw: for example the certificate copy.")
    evidence_file = models.FileField(upload_to=evidence_upload_to, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    next_review_due = models.DateField()
    training_needs_analysis_on = models.DateField(null=True, blank=True)
    training_needs_analysis_authorised_by = models.CharField(max_length=200, blank=True)
    restraint_reduction_plan = models.BooleanField(null=True, blank=True)
    immediate_life_support_cover = models.BooleanField(null=True, blank=True)

    objects = ComplianceCheckQuerySet.as_manager()

    SNAPSHOT_FIELDS = (
        "certification_id",
        "seen_status",
        "seen_certificate_number",
        "seen_body_name",
        "seen_ukas_number",
        "seen_valid_until",
    )

    class Meta:
        ordering = ["-checked_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_due__gt=F("checked_on")),
                name="check_review_after_check",
                violation_error_message="The next review must be after the check.",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["compliant", "action_needed", "not_compliant"]),
                name="check_outcome_valid",
                violation_error_message="Unknown outcome.",
            ),
        ]
        indexes = [models.Index(fields=["arrangement", "-checked_on"], name="check_latest_idx")]

    def __str__(self):
        return f"Check of {self.arrangement} on {self.checked_on}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            stored = (
                type(self).objects.filter(pk=self.pk).values_list(*self.SNAPSHOT_FIELDS).first()
            )
            if stored is not None and stored != tuple(
                getattr(self, name) for name in self.SNAPSHOT_FIELDS
            ):
                raise PermissionError(
                    "A compliance check's snapshot of the register is never changed."
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "compliance:check_detail", args=[self.arrangement.service_provider.slug, self.pk]
        )


class Alert(models.Model):
    """A notice to one person that something their organisation relies on changed.

    `key` names the thing alerted about (for example an event, or a certificate nearing its end
    at 90 days); one alert per key and recipient, so a job that runs twice sends nothing twice.
    """

    class Kind(models.TextChoices):
        STATUS_CHANGE = "status_change", "Status changed"
        ENDS_IN_90_DAYS = "ends_in_90_days", "Certificate ends within 90 days"
        ENDS_IN_30_DAYS = "ends_in_30_days", "Certificate ends within 30 days"
        ACCREDITATION_CHANGE = "accreditation_change", "Certification body's accreditation changed"
        CONTRACT_CONFIRMED = "contract_confirmed", "Service provider confirmed a contract"
        CONTRACT_DECLINED = "contract_declined", "Service provider declined a contract"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=100)
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    subject = models.CharField(max_length=200)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The page to act on, and its link's words (in the email as an absolute link).
    path = models.CharField(max_length=200, blank=True)
    link_text = models.CharField(max_length=200, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                name="alert_once_per_recipient_and_key",
                violation_error_message="This alert was already created for this person.",
            )
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"


class ProviderFollowerQuerySet(models.QuerySet):
    def active(self):
        """Followers who confirmed their address and have not unsubscribed."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class ProviderFollower(models.Model):
    """Someone, with no account, who asked for emails when a training provider's certification
    changes (compliance.following). The address is confirmed by a signed link before anything
    is sent (double opt-in), and is never shown on any page."""

    provider = models.ForeignKey(TrainingProvider, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()  # stored lower-case; unique per provider whatever its case
    # Signed into the follower's links instead of the address, so a link (in a URL, a log
    # line, a List-Unsubscribe header) never carries the address.
    link_secret = models.CharField(max_length=43, default=secrets.token_urlsafe, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = ProviderFollowerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "provider",
                Lower("email"),
                name="provider_follower_once_per_address_any_case",
                violation_error_message="This address already follows this provider.",
            ),
            models.CheckConstraint(
                condition=Q(unsubscribed_at__isnull=True) | Q(confirmed_at__isnull=False),
                name="provider_follower_unsubscribed_after_confirming",
                violation_error_message="Only a confirmed follower can unsubscribe.",
            ),
        ]

    def __str__(self):
        return f"Follower {self.pk} of {self.provider}"

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class FollowerAlert(models.Model):
    """One email to one follower about one piece of news (the `key`s of compliance.alerts):
    created before the email is sent, unique per follower and key, so it is sent once."""

    follower = models.ForeignKey(ProviderFollower, on_delete=models.CASCADE, related_name="alerts")
    key = models.CharField(max_length=100)
    subject = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "key"],
                name="follower_alert_once_per_key",
                violation_error_message="This follower was already sent this news.",
            )
        ]

    def __str__(self):
        return self.subject
