"""Training providers (the organisations that deliver restrictive-practice training)."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from derived.saved_values import RemembersSavedValues
from standards.models import Population, Region, Setting, SpecialistContent

from .querysets import TrainingProviderQuerySet


class TrainingProvider(RemembersSavedValues, models.Model):
    class Kind(models.TextChoices):
        COMMERCIAL = "commercial", "Commercial training provider"
        IN_HOUSE = "in_house", "In-house training team"
        CONSORTIUM = "consortium", "Consortium"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    registration_number = models.CharField(
        "Companies House or charity number", max_length=20, blank=True
    )
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=300, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="training_providers")
    regions_served = models.ManyToManyField(Region, blank=True, related_name="+")
    description = models.TextField(blank=True)
    is_archived = models.BooleanField(
        default=False, help_text="Archived providers leave the register but keep their history."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[regions_served])
    objects = TrainingProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["town"], name="provider_town_idx"),
            models.Index(fields=["postcode"], name="provider_postcode_idx"),
            models.Index(fields=["kind"], name="provider_kind_idx"),
            # The register's order (name, then pk) over the providers it shows: a page of 25
            # reads 25 index entries instead of sorting every provider.
            models.Index(
                fields=["name", "id"],
                condition=models.Q(is_archived=False),
                name="provider_register_order_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("providers:detail", args=[self.slug])

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(
            "Training providers are archived, never deleted: their history must be kept.", {self}
        )

    def headline(self, on):
        """The provider's verdict on `on`, from its (prefetched) certifications."""
        from certification.verdicts import provider_headline

        return provider_headline(self, on)

    # What the headline periods keep a copy of (certification.HeadlinePeriod.provider_name):
    # a save that changes one has the provider's periods written again.
    remembered_fields = ("name", "is_archived")

    def period_copies_changed(self):
        """Whether this save changes what its headline periods copy (or it was not loaded
        from the database, so nobody can say it does not)."""
        return bool(self.changed_fields())


class Curriculum(models.Model):
    """A named course or programme that a provider delivers."""

    provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="curricula"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)  # kept by the provider's own staff
    populations = models.ManyToManyField(Population, blank=True)
    settings = models.ManyToManyField(Setting, blank=True)
    specialist_content = models.ManyToManyField(SpecialistContent, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[populations, settings, specialist_content])

    class Meta:
        ordering = ["provider", "name"]
        verbose_name_plural = "curricula"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"],
                name="curriculum_unique_name_per_provider",
                violation_error_message="This provider already has a curriculum with this name.",
            )
        ]

    def __str__(self):
        return self.name
