"""The RRN Training Standards (editions, sections, standards, clauses) and the scope vocabulary.

The edition is data, never a constant: a certificate records the edition it was assessed
against, and a second edition is being developed. Titles that are not known stay empty.
"""

from django.db import models
from django.db.models import Q


class StandardsEdition(models.Model):
    name = models.CharField(max_length=200)
    edition = models.CharField(max_length=100, help_text='For example "First edition".')
    version = models.CharField(max_length=20, help_text='For example "1.2".')
    slug = models.SlugField(max_length=100, unique=True)
    published = models.DateField(help_text="When the edition was first published.")
    version_published = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="standards_edition_one_current",
                violation_error_message="Only one edition of the standards can be current.",
            ),
            models.UniqueConstraint(
                fields=["name", "edition", "version"],
                name="standards_edition_unique_version",
                violation_error_message="This edition and version already exist.",
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.edition} (version {self.version})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("standards:edition", args=[self.slug])


class Section(models.Model):
    edition = models.ForeignKey(StandardsEdition, on_delete=models.PROTECT, related_name="sections")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"],
                name="section_unique_number",
                violation_error_message="This edition already has a section with this number.",
            )
        ]

    def __str__(self):
        return f"Section {self.number}: {self.title}"


def _number_sort_key(number):
    return tuple(int(part) for part in number.split(".") if part.isdigit())


class Standard(models.Model):
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="standards")
    number = models.CharField(max_length=10, help_text='For example "1.4".')
    title = models.CharField(max_length=300, blank=True, help_text="Empty when not yet recorded.")

    class Meta:
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"],
                name="standard_unique_number",
                violation_error_message="This section already has a standard with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__regex=r"^[1-9][0-9]*\.[1-9][0-9]*$"),
                name="standard_number_format",
                violation_error_message='A standard number looks like "1.4".',
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title or '(title not yet recorded)'}"

    @property
    def sort_key(self):
        return _number_sort_key(self.number)


class Clause(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="clauses")
    number = models.CharField(max_length=12, help_text='For example "1.1.3".')
    title = models.CharField(max_length=400, blank=True, help_text="Empty when not yet recorded.")

    class Meta:
        ordering = ["standard", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "number"],
                name="clause_unique_number",
                violation_error_message="This standard already has a clause with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__regex=r"^[1-9][0-9]*\.[1-9][0-9]*\.[1-9][0-9]*$"),
                name="clause_number_format",
                violation_error_message='A clause number looks like "1.1.3".',
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title or '(title not yet recorded)'}"

    @property
    def sort_key(self):
        return _number_sort_key(self.number)


class VocabularyTerm(models.Model):
    """A term of the scope vocabulary: a slug for URLs and data, a plain-English label."""

    slug = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class Population(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        pass


class Setting(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        pass


class SpecialistContent(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name_plural = "specialist content"


class Region(VocabularyTerm):
    """One of the nine English regions, or one of the other three UK nations."""

    class Nation(models.TextChoices):
        ENGLAND = "england", "England"
        WALES = "wales", "Wales"
        SCOTLAND = "scotland", "Scotland"
        NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"

    nation = models.CharField(max_length=20, choices=Nation.choices)

    class Meta(VocabularyTerm.Meta):
        pass
