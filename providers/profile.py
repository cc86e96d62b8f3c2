"""What a provider's page shows, worked out from its prefetched rows and, in one query, the
labels of their many-to-many lists (certification.scope_labels).

Verdicts come from certification.verdicts only: the headline from `provider.headline(on)`,
each certification's from `certification.verdict(on)`.
"""

from dataclasses import dataclass

from certification.scope_labels import SCOPE, labels
from certification.statuses import Status
from certification.verdicts import ProviderHeadline, headline_preference

from .models import Curriculum, TrainingProvider

# A curriculum's lists, as the page shows them.
CURRICULUM_LISTS = ("populations", "settings", "specialist_content")


@dataclass(frozen=True)
class CertificationPanel:
    certification: object
    verdict: object
    tag: ProviderHeadline  # the certification's own verdict, in headline words and colour
    body_accreditation_label: str
    body_accredited: bool
    affiliates: list  # [(certification, ProviderHeadline)]
    scope: dict  # {column of scope_labels.SCOPE: [label]}


@dataclass(frozen=True)
class CurriculumEntry:
    curriculum: Curriculum
    populations: list  # labels
    settings: list
    specialist_content: list


@dataclass(frozen=True)
class TimelineEntry:
    event: object
    certification: object

    @property
    def to_label(self):
        return Status(self.event.to_status).label

    @property
    def from_label(self):
        return Status(self.event.from_status).label if self.event.from_status else None


def _as_tag(verdict, on):
    return ProviderHeadline(verdict.headline, on, verdict)


def _lists(provider, on_register, curricula):
    """{name: {record id: [label]}}: the certifications' scope (by column), the provider's
    regions served ("regions_served") and the curricula's lists ("curriculum_<list>"), in one
    query."""
    from certification.models import Certification

    certifications = [c.pk for c in on_register]
    lists = {column: (getattr(Certification, column), certifications) for column in SCOPE}
    lists["regions_served"] = (TrainingProvider.regions_served, [provider.pk])
    for name in CURRICULUM_LISTS:
        lists[f"curriculum_{name}"] = (getattr(Curriculum, name), [c.pk for c in curricula])
    return labels(lists)


def provider_profile(provider, on):
    headline = provider.headline(on)
    # Archived certifications have left the register: not shown, not in the history.
    on_register = [c for c in provider.certifications.all() if not c.is_archived]
    curricula = list(provider.curricula.all())
    lists = _lists(provider, on_register, curricula)
    verdicts = [c.verdict(on) for c in on_register]
    # The headline's certification first, then the rest in the order the headline ranks them;
    # certifications that did not exist yet on `on` last.
    verdicts.sort(
        key=lambda v: (
            not v.existed,
            headline_preference(v) if v.existed else (),
            v.certification.pk,
        )
    )
    panels = []
    for verdict in verdicts:
        certification = verdict.certification
        affiliates = [
            (affiliate, _as_tag(affiliate.verdict(on), on))
            for affiliate in sorted(
                certification.affiliates.all(), key=lambda a: (a.provider.name, a.pk)
            )
        ]
        panels.append(
            CertificationPanel(
                certification=certification,
                verdict=verdict,
                tag=_as_tag(verdict, on),
                body_accreditation_label=certification.body.accreditation_label_on(on),
                body_accredited=certification.body.accreditation_counts_on(on),
                affiliates=affiliates,
                scope={column: lists[column].get(certification.pk, []) for column in SCOPE},
            )
        )
    timeline = sorted(
        (
            TimelineEntry(event, certification)
            for certification in on_register
            for event in certification.events.all()
        ),
        key=lambda e: (e.event.effective_date, e.event.recorded_at, e.event.pk),
        reverse=True,
    )
    return {
        "provider": provider,
        "headline": headline,
        "panels": panels,
        "timeline": timeline,
        "curricula": [
            CurriculumEntry(
                curriculum,
                *(lists[f"curriculum_{name}"].get(curriculum.pk, []) for name in CURRICULUM_LISTS),
            )
            for curriculum in curricula
        ],
        "regions_served": lists["regions_served"].get(provider.pk, []),
        "today": on,
    }
