"""What a provider's page shows, worked out from its prefetched rows (no queries here).

Verdicts come from certification.verdicts only: the headline from `provider.headline(on)`,
each certification's from `certification.verdict(on)`.
"""

from dataclasses import dataclass

from certification.statuses import Status
from certification.verdicts import ProviderHeadline, headline_preference


@dataclass(frozen=True)
class CertificationPanel:
    certification: object
    verdict: object
    tag: ProviderHeadline  # the certification's own verdict, in headline words and colour
    body_accreditation_label: str
    body_accredited: bool
    affiliates: list  # [(certification, ProviderHeadline)]


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


def provider_profile(provider, on):
    headline = provider.headline(on)
    # Archived certifications have left the register: not shown, not in the history.
    on_register = [c for c in provider.certifications.all() if not c.is_archived]
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
        "curricula": list(provider.curricula.all()),
        "regions_served": list(provider.regions_served.all()),
        "today": on,
    }
