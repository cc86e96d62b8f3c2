"""Certification bodies, their UKAS accreditation, certifications and their history.

History is append-only: a certification's status changes only through
`certification.services.move_certification`, which writes a CertificationEvent; events are
never changed or deleted (the model refuses, and on PostgreSQL a trigger refuses too).

Certification is not transferable: a certification's provider and body are fixed once it is
created. The model refuses to save a change of either, and the database (a trigger, on SQLite
and PostgreSQL) refuses an UPDATE of either unless a `CertificationCorrection` recording that
very change was written first (`certification.services.correct_provider_or_body`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from derived.saved_values import RemembersSavedValues
from providers.models import Curriculum, TrainingProvider
from standards.models import Population, Region, Setting, SpecialistContent, StandardsEdition

from .certificate_numbers import CertificateKeyField
from .querysets import AppendOnlyQuerySet, CertificationBodyQuerySet, CertificationQuerySet
from .statuses import (
    CURRENT_STATUSES,
    STATUSES_WITH_CERTIFICATE,
    AccreditationStatus,
    Status,
    allowed_moves_condition,
)


class CertificationBody(RemembersSavedValues, models.Model):
    """An organisation that certifies training against the standards, accredited by UKAS."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=220, unique=True)
    ukas_number = models.CharField(
        "UKAS accreditation number", max_length=20, unique=True, null=True, blank=True
    )
    accreditation_standard = models.CharField(max_length=60, default="ISO/IEC 17065:2012")
    schedule_url = models.URLField("UKAS schedule of accreditation", blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    last_verified_on = models.DateField(
        null=True, blank=True, help_text="When the accreditation was last checked with UKAS."
    )

    history = HistoricalRecords()
    objects = CertificationBodyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "certification bodies"
        constraints = [
            models.CheckConstraint(
                condition=~Q(ukas_number=""),
                name="body_ukas_number_not_blank",
                violation_error_message="Leave the UKAS number empty rather than blank.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("certification:body_detail", args=[self.slug])

    # Whether its accreditation counts depends on the standard (accreditation_counts_on).
    remembered_fields = ("accreditation_standard",)

    def accreditation_standard_changed(self):
        """Whether this save changes the standard it is accredited to (or it was not loaded
        from the database, so nobody can say it does not)."""
        return bool(self.changed_fields())

    def accreditation_on(self, on):
        """The AccreditationChange in force on `on`, or None (uses prefetched changes)."""
        in_force = None
        for change in sorted(
            self.accreditation_changes.all(), key=lambda c: (c.effective_date, c.pk)
        ):
            if change.effective_date <= on:
                in_force = change
        return in_force

    def accreditation_status_on(self, on):
        change = self.accreditation_on(on)
        return change.status if change else None

    @property
    def accredited_to_scheme_standard(self):
        """Whether the body's accreditation is to ISO/IEC 17065, the standard the scheme needs
        (an accreditation to, say, ISO/IEC 17021-1 does not make certification
        UKAS-accredited for this scheme)."""
        return to_scheme_standard(self.accreditation_standard)

    def accreditation_counts_on(self, on):
        """Does this body's UKAS accreditation count on `on`? Accredited on that date AND to
        ISO/IEC 17065 (verdicts.md, condition 3). The one answer: the certification verdict,
        the headline periods (so the register's `ukas_valid` filter), the body pages and the
        provider page all ask it."""
        return accreditation_counts(self.accreditation_status_on(on), self.accreditation_standard)

    def accreditation_label_on(self, on):
        """The body's accreditation on `on` in words, as every page shows it."""
        status = self.accreditation_status_on(on)
        if status is None:
            return "UKAS accreditation not recorded"
        if status == AccreditationStatus.ACCREDITED and not self.accredited_to_scheme_standard:
            return f"UKAS accredited to {self.accreditation_standard}, not to ISO/IEC 17065"
        return AccreditationStatus(status).label


# The standard a body's UKAS accreditation must be to (ISO/IEC 17065:2012, any edition).
SCHEME_STANDARD_NUMBER = "17065"


def to_scheme_standard(accreditation_standard):
    return SCHEME_STANDARD_NUMBER in (accreditation_standard or "")


def accreditation_counts(status, accreditation_standard):
    """verdicts.md condition 3 from a body's accreditation status on a date and the standard
    it is accredited to (CertificationBody.accreditation_counts_on)."""
    return status == AccreditationStatus.ACCREDITED and to_scheme_standard(accreditation_standard)


class AccreditationChange(models.Model):
    """A dated change of a body's UKAS accreditation status. Append-only."""

    body = models.ForeignKey(
        CertificationBody, on_delete=models.PROTECT, related_name="accreditation_changes"
    )
    status = models.CharField(max_length=20, choices=AccreditationStatus.choices)
    effective_date = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["body", "effective_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AccreditationStatus.values),
                name="accreditation_change_status_valid",
                violation_error_message="Unknown accreditation status.",
            )
        ]

    def __str__(self):
        return f"{self.body}: {self.get_status_display()} from {self.effective_date}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Accreditation changes are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Accreditation changes are append-only.")


# A certification's provider and body are fixed once it is created (not transferable).
FIXED_FIELDS = ("provider_id", "body_id")

DUPLICATE_NUMBER_MESSAGE = "Another certification already has this certificate number"


class Certification(RemembersSavedValues, models.Model):
    """A provider's certification by one body: its current state, mirrored from its events.

    `status`, `certificate_number`, `certified_on` and `valid_until` are written only by the
    service functions in `certification.services`, together with the event that explains them.
    """

    class Role(models.TextChoices):
        CERTIFIED_SERVICE = "certified_service", "Certified training service"
        AFFILIATE = "affiliate", "Affiliate"

    provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="certifications"
    )
    body = models.ForeignKey(
        CertificationBody, on_delete=models.PROTECT, related_name="certifications"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CERTIFIED_SERVICE)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="affiliates",
        help_text="For an affiliate: the certification of the provider whose curriculum it uses.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, editable=False)
    certificate_number = models.CharField(
        max_length=40, unique=True, null=True, blank=True, editable=False
    )
    # The number without case or separators, kept by the field itself on every save (and
    # bulk_create): the certificate check and the register search look it up by index.
    certificate_key = CertificateKeyField(source="certificate_number")
    standards_edition = models.ForeignKey(
        StandardsEdition, on_delete=models.PROTECT, related_name="certifications"
    )
    registered_on = models.DateField(help_text="When the application was registered.")
    certified_on = models.DateField(null=True, blank=True, editable=False)
    valid_until = models.DateField(null=True, blank=True, editable=False)
    populations = models.ManyToManyField(Population, blank=True, related_name="certifications")
    settings = models.ManyToManyField(Setting, blank=True, related_name="certifications")
    regions = models.ManyToManyField(Region, blank=True, related_name="certifications")
    curricula = models.ManyToManyField(Curriculum, blank=True, related_name="certifications")
    specialist_content = models.ManyToManyField(
        SpecialistContent, blank=True, related_name="certifications"
    )
    is_archived = models.BooleanField(default=False)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every save; stale edits are refused."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[populations, settings, regions, curricula, specialist_content]
    )
    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["provider__name", "body__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="certification_status_valid",
                violation_error_message="Unknown certification status.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=STATUSES_WITH_CERTIFICATE)
                | (
                    Q(certificate_number__isnull=False)
                    & ~Q(certificate_number="")
                    & Q(certified_on__isnull=False)
                    & Q(valid_until__isnull=False)
                ),
                name="certification_certified_has_certificate",
                violation_error_message=(
                    "A certified or suspended certification needs a certificate number, "
                    "a certified-on date and a valid-until date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(certified_on__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=F("certified_on")),
                name="certification_valid_until_after_certified_on",
                violation_error_message="The valid-until date must be after the certified-on date.",
            ),
            models.CheckConstraint(
                condition=~Q(certificate_number=""),
                name="certification_number_not_blank",
                violation_error_message="Leave the certificate number empty rather than blank.",
            ),
            models.CheckConstraint(
                condition=(Q(role="affiliate") & Q(parent__isnull=False))
                | (~Q(role="affiliate") & Q(parent__isnull=True)),
                name="certification_affiliate_has_parent",
                violation_error_message=(
                    "An affiliate certification names its parent certification; "
                    "other certifications do not."
                ),
            ),
            # One certification per number however it is written: RRN-2024-0061 and
            # RRN/2024/0061 are the same certificate to whoever checks it.
            models.UniqueConstraint(
                fields=["certificate_key"],
                condition=Q(certificate_key__isnull=False),
                name="certification_certificate_key_unique",
                violation_error_message=DUPLICATE_NUMBER_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["provider", "body"],
                condition=Q(status__in=CURRENT_STATUSES),
                name="certification_one_current_per_provider_and_body",
                violation_error_message=(
                    "This provider already has a current certification with this body."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="certification_status_idx"),
            models.Index(fields=["valid_until"], name="certification_valid_until_idx"),
            # The register's scope and region filters look up a provider's certifications
            # on the register for each candidate: from this index alone (no table reads).
            models.Index(
                fields=["provider", "id"],
                condition=Q(is_archived=False),
                name="certification_live_by_provider",
            ),
        ]

    def __str__(self):
        number = self.certificate_number or "no certificate yet"
        return f"{self.provider} — {self.body} ({number})"

    def save(self, *args, **kwargs):
        # Certification is not transferable (see transferred_fields).
        if self.transferred_fields() and not getattr(self, "_correction", None):
            raise ValidationError(
                "A certification's provider and body cannot change: certification is not "
                "transferable. A site administrator corrects a mistake on its "
                "“Correct provider or body” page",
                code="not_transferable",
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.provider.get_absolute_url()

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(
            "Certifications are archived or withdrawn, never deleted.", {self}
        )

    # -- certification is not transferable ----------------------------------------------

    remembered_fields = FIXED_FIELDS

    def transferred_fields(self):
        """The fixed fields (provider, body) this object changes from the saved row."""
        if self._state.adding or self.pk is None:
            return []
        if missing := self.unremembered_fields():
            row = Certification.objects.filter(pk=self.pk).values(*missing).first()
            if row is None:
                return []  # no saved row: nothing to move it from
            self.remember_saved_values(values=row)
        return self.changed_fields()

    def clean(self):
        super().clean()
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": "A certification cannot be its own parent"})
            parent = Certification.objects.filter(pk=self.parent_id).values("role").first()
            if parent and parent["role"] != self.Role.CERTIFIED_SERVICE:
                raise ValidationError(
                    {
                        "parent": "Choose a certified training service as the parent: "
                        "an affiliate cannot be the parent of another affiliate"
                    }
                )
        if (
            self.pk is not None
            and self.role == self.Role.AFFILIATE
            and Certification.objects.filter(parent_id=self.pk).exists()
        ):
            raise ValidationError(
                {
                    "role": "This certification has affiliates, so it must stay a certified "
                    "training service"
                }
            )

    def scope_problems(self, *, provider, body, parent, curricula):
        """What is wrong with this scope for a certification of `provider` by `body`: the one
        rule of the edit forms and of a provider or body correction.

        {"parent": "itself" | "other_body", "curricula": [another provider's curricula]}, each
        only when it applies. An affiliate delivers its parent's curriculum under the parent's
        certification, so the same body certifies both; its curricula are its own provider's
        or its parent's. A parent already recorded by another body is left alone until the
        body itself changes (a correction)."""
        problems = {}
        if parent is not None and body is not None:
            if self.pk is not None and parent.pk == self.pk:
                problems["parent"] = "itself"
            elif parent.body_id != body.pk and (
                self.pk is None or parent.pk != self.parent_id or body.pk != self.body_id
            ):
                problems["parent"] = "other_body"
        if curricula and provider is not None:
            allowed = {provider.pk} | ({parent.provider_id} if parent is not None else set())
            foreign = [c for c in curricula if c.provider_id not in allowed]
            if foreign:
                problems["curricula"] = foreign
        return problems

    def event_on(self, on):
        """The last event in force on `on` (uses prefetched events), or None."""
        in_force = None
        for event in self.ordered_events():
            if event.effective_date <= on:
                in_force = event
        return in_force

    def ordered_events(self):
        return sorted(self.events.all(), key=lambda e: (e.effective_date, e.recorded_at, e.pk))

    def verdict(self, on):
        """Is this certification valid on `on`? The one answer; see certification.verdicts."""
        from .verdicts import certification_verdict

        return certification_verdict(self, on)


class CertificationEvent(models.Model):
    """One status move of a certification. Append-only: never changed, never deleted.

    It keeps the certificate number and dates in force after the move, so that the verdict
    on any past date can be worked out even after a renewal changed them.
    """

    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, null=True, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    effective_date = models.DateField()
    reason = models.TextField()
    certificate_number = models.CharField(max_length=40, null=True, blank=True)
    certificate_key = CertificateKeyField(source="certificate_number")
    certified_on = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when recorded by the system (for example the expiry job).",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "effective_date", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=allowed_moves_condition(),
                name="certification_event_allowed_move",
                violation_error_message="This status move is not allowed.",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="certification_event_has_reason",
                violation_error_message="Every status move needs a reason.",
            ),
        ]
        indexes = [
            models.Index(fields=["-effective_date", "-recorded_at"], name="event_feed_idx"),
            # The certificate check finds old numbers in the history.
            models.Index(fields=["certificate_number"], name="event_certificate_number_idx"),
        ]

    def __str__(self):
        return (
            f"{self.certification}: {self.from_status or 'new'} → {self.to_status} "
            f"on {self.effective_date}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Certification events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Certification events are append-only.")


class RegisterChange(models.Model):
    """A change of what the public register (and its API) shows, other than a status move:
    a certification's, provider's or body's details edited, archived or brought back, or a
    body's UKAS accreditation changed. Append-only: the API change feed serves these with
    the status moves (CertificationEvent) in one commit order (certification.feeds).

    Written in the transaction that made the change (certification.register_changes), so a
    change rolled back leaves none. On PostgreSQL each is stamped with that transaction's id,
    as events are (migration 0013, like 0011)."""

    class Kind(models.TextChoices):
        CERTIFICATION = "certification", "Certification"
        PROVIDER = "provider", "Training provider"
        BODY = "body", "Certification body"
        ACCREDITATION = "accreditation", "Accreditation"

    class Action(models.TextChoices):
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        ARCHIVED = "archived", "Archived"
        BROUGHT_BACK = "brought_back", "Brought back"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(max_length=20, choices=Action.choices)
    summary = models.CharField(max_length=300, help_text="What changed, in words.")
    provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.ForeignKey(
        CertificationBody, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accreditation_change = models.ForeignKey(
        AccreditationChange, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["certification", "provider", "body", "accreditation"]),
                name="register_change_kind_valid",
                violation_error_message="Unknown kind of register change.",
            ),
            models.CheckConstraint(
                condition=Q(action__in=["added", "changed", "archived", "brought_back"]),
                name="register_change_action_valid",
                violation_error_message="Unknown register change.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Register changes are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Register changes are append-only.")


class CertificationCorrection(models.Model):
    """A site administrator's correction of a certification's provider or body, recorded
    before the certification is changed. Append-only.

    Certification is not transferable: this is the one path by which a provider or body
    recorded by mistake is put right, and the database lets the certification row change only
    as the latest correction of it says (migration 0008).
    """

    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="corrections"
    )
    from_provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="+", verbose_name="provider was"
    )
    from_body = models.ForeignKey(
        CertificationBody, on_delete=models.PROTECT, related_name="+", verbose_name="body was"
    )
    to_provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="+", verbose_name="provider now"
    )
    to_body = models.ForeignKey(
        CertificationBody, on_delete=models.PROTECT, related_name="+", verbose_name="body now"
    )
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="certification_correction_has_reason",
                violation_error_message="Every correction needs a reason.",
            ),
            models.CheckConstraint(
                condition=~Q(from_provider=F("to_provider")) | ~Q(from_body=F("to_body")),
                name="certification_correction_changes_something",
                violation_error_message="A correction changes the provider, the body or both.",
            ),
        ]

    def __str__(self):
        return (
            f"{self.certification_id}: {self.from_provider} — {self.from_body} corrected to "
            f"{self.to_provider} — {self.to_body}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Certification corrections are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Certification corrections are append-only.")


class CertificationImport(models.Model):
    """A CSV file of a body's certifications, kept from upload (preview) to confirmation.

    The file is stored here as text so that the preview and the confirmation read the very
    same bytes (checked by `sha256`), whichever app server handles each request.
    """

    class State(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, not imported"
        IMPORTED = "imported", "Imported"

    body = models.ForeignKey(CertificationBody, on_delete=models.PROTECT, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.TextField(help_text="The uploaded file, decoded as UTF-8.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.PREVIEWED)
    row_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.filename} for {self.body} ({self.get_state_display().lower()})"


class HeadlinePeriod(models.Model):
    """A stretch of dates [starts_on, ends_on) over which a provider's headline is the same:
    its kind, its words and the certificate it is about.

    Derived data, rebuilt by `certification.headline_periods` from the events whenever they
    change, so that the register can filter and sort by the headline on any date with one
    indexed join. Stretches where the provider is not on the register have no row. Unless
    `embeds_accreditation`, the values are the headline as if the body's accreditation
    counted: read them through `TrainingProvider.objects.with_headline(on)`, which applies it.
    """

    provider = models.ForeignKey(
        TrainingProvider, on_delete=models.CASCADE, related_name="headline_periods"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The first day it no longer applies.")
    headline = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200, help_text="The headline in words, as pages show it.")
    # The certification the headline is about, and its certificate as in force then.
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="headline_periods"
    )
    certificate_number = models.CharField(max_length=40, null=True, blank=True)
    certified_on = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    certificate_ends_on = models.DateField(
        null=True, blank=True, help_text="Its valid-until, or its parent's if sooner (affiliates)."
    )
    status_since = models.DateField(null=True, blank=True, help_text="The headline's date.")
    status_reason = models.TextField(blank=True, help_text="Why the headline is what it is.")
    body_accredited = models.BooleanField(
        default=False, help_text="Whether the certificate's body's UKAS accreditation counts."
    )
    # The certificate's body, whose accreditation on the date the register applies when it
    # reads the period (certification.headline_periods), unless the period has it worked in.
    body = models.ForeignKey(
        CertificationBody, on_delete=models.CASCADE, null=True, related_name="+"
    )
    embeds_accreditation = models.BooleanField(
        default=True,
        help_text="Worked out with the bodies' accreditation as recorded; otherwise as if "
        "every body's accreditation counted, the register applying it when it reads.",
    )
    # The provider's name and whether it is archived, as when the period was written: the
    # register's order (headline, then name) is then one index of this table, read no
    # further than the page (providers.register_order), not every provider sorted.
    provider_name = models.CharField(max_length=200, default="")
    provider_archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["provider", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "starts_on"], name="headline_period_one_start_per_provider"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="headline_period_ends_after_start"
            ),
            # 1..6: CERTIFIED to WITHDRAWN (certification.verdicts.Headline); NOT_ON_REGISTER
            # (7) is the absence of a period.
            models.CheckConstraint(
                condition=Q(headline__gte=1, headline__lte=6), name="headline_period_headline_valid"
            ),
        ]
        indexes = [
            # The status filter's periods of the day, with what a filtered list reads of them
            # (its sort by valid-until, the body whose accreditation may not count), so the
            # index alone answers it: an index-only scan, not a table read of each period
            # (bench/README finding 28).
            models.Index(
                fields=["headline", "ends_on", "starts_on", "provider"],
                include=["valid_until", "embeds_accreditation", "body"],
                name="headline_period_kind_idx",
            ),
            # The register's pages by status, and by valid-until, in its order (a provider of
            # the public register only), the dates in the index for its filter.
            models.Index(
                fields=["headline", "provider_name", "provider", "starts_on", "ends_on"],
                condition=Q(provider_archived=False),
                name="period_register_name_idx",
            ),
            models.Index(
                fields=[
                    "headline",
                    "valid_until",
                    "provider_name",
                    "provider",
                    "starts_on",
                    "ends_on",
                ],
                condition=Q(provider_archived=False),
                name="period_register_valid_idx",
            ),
        ]

    def __str__(self):
        return f"{self.provider}: headline {self.headline} from {self.starts_on} to {self.ends_on}"
