"""The one answer every page gives: is this certified, on date D, by a UKAS-accredited body?

Rules: ../shared/domain/verdicts.md. Every page, export, dashboard, alert and the certificate
check calls these functions; nothing else decides a verdict. They read prefetched relations
(`Certification.objects.with_verdict_data()`), so they add no queries per row.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum

from .statuses import AccreditationStatus, Status

ENDING_SOON_DAYS = 90


def long_date(value: date) -> str:
    """3 March 2027: the GOV.UK date style."""
    return f"{value.day} {value:%B %Y}"


class Headline(IntEnum):
    """A provider's headline, best first: the first that applies wins (verdicts.md)."""

    CERTIFIED = 1
    CERTIFIED_NOT_VALID = 2  # certified and in dates, but the body (or parent) fails
    SUSPENDED = 3
    WORKING_TOWARDS = 4
    EXPIRED = 5
    WITHDRAWN = 6
    NOT_ON_REGISTER = 7


HEADLINE_LABELS = {
    Headline.CERTIFIED: "Certified",
    Headline.CERTIFIED_NOT_VALID: "Certified, but not valid",
    Headline.SUSPENDED: "Suspended",
    Headline.WORKING_TOWARDS: "Working towards certification",
    Headline.EXPIRED: "Expired",
    Headline.WITHDRAWN: "Withdrawn",
    Headline.NOT_ON_REGISTER: "Not on the register",
}

# GOV.UK tag colour modifiers.
HEADLINE_COLOURS = {
    Headline.CERTIFIED: "green",
    Headline.CERTIFIED_NOT_VALID: "orange",
    Headline.SUSPENDED: "red",
    Headline.WORKING_TOWARDS: "blue",
    Headline.EXPIRED: "grey",
    Headline.WITHDRAWN: "red",
    Headline.NOT_ON_REGISTER: "grey",
}

_HEADLINE_BY_STATUS = {
    Status.SUSPENDED: Headline.SUSPENDED,
    Status.WORKING_TOWARDS: Headline.WORKING_TOWARDS,
    Status.EXPIRED: Headline.EXPIRED,
    Status.WITHDRAWN: Headline.WITHDRAWN,
}


@dataclass(frozen=True)
class CertificationVerdict:
    """What one certification was on one date."""

    certification: object
    on: date
    status: str | None  # None: the certification did not exist yet on `on`
    since: date | None
    certificate_number: str | None = None
    certified_on: date | None = None
    valid_until: date | None = None
    body_accreditation: str | None = None
    parent_valid: bool | None = None  # None for a certification that is not an affiliate

    @property
    def existed(self):
        return self.status is not None

    @property
    def in_dates(self):
        return (
            self.certified_on is not None
            and self.valid_until is not None
            and self.certified_on <= self.on <= self.valid_until
        )

    @property
    def body_accredited(self):
        return self.body_accreditation == AccreditationStatus.ACCREDITED

    @property
    def is_valid(self):
        return (
            self.status == Status.CERTIFIED
            and self.in_dates
            and self.body_accredited
            and self.parent_valid is not False
        )

    @property
    def headline(self):
        if self.status is None:
            return Headline.NOT_ON_REGISTER
        if self.status == Status.CERTIFIED:
            return Headline.CERTIFIED if self.is_valid else Headline.CERTIFIED_NOT_VALID
        return _HEADLINE_BY_STATUS[self.status]

    @property
    def days_left(self):
        return (self.valid_until - self.on).days if self.valid_until else None

    @property
    def ends_soon(self):
        return self.is_valid and self.days_left is not None and self.days_left <= ENDING_SOON_DAYS

    @property
    def not_valid_because(self):
        """Why a certified, in-date certification is still not valid (headline 2)."""
        if self.status != Status.CERTIFIED or not self.in_dates:
            return None
        if not self.body_accredited:
            if self.body_accreditation == AccreditationStatus.SUSPENDED:
                return "the certification body's UKAS accreditation is suspended"
            if self.body_accreditation == AccreditationStatus.WITHDRAWN:
                return "the certification body's UKAS accreditation is withdrawn"
            return "the certification body's UKAS accreditation is not recorded"
        if self.parent_valid is False:
            return "the parent certification it is affiliated to is not valid"
        return None


def certification_verdict(certification, on: date) -> CertificationVerdict:
    """The verdict of one certification on `on` (verdicts.md, "A certification on date D")."""
    event = certification.event_on(on)
    if event is None:
        return CertificationVerdict(certification, on, status=None, since=None)
    status, since = event.to_status, event.effective_date
    if status == Status.CERTIFIED and event.valid_until and event.valid_until < on:
        # Past its end date without renewal: expired, even before the expiry job has run.
        status, since = Status.EXPIRED, event.valid_until + timedelta(days=1)
    parent_valid = None
    if certification.parent_id is not None:
        parent_valid = certification.parent.verdict(on).is_valid
    return CertificationVerdict(
        certification,
        on,
        status=status,
        since=since,
        certificate_number=event.certificate_number,
        certified_on=event.certified_on,
        valid_until=event.valid_until,
        body_accreditation=certification.body.accreditation_status_on(on),
        parent_valid=parent_valid,
    )


@dataclass(frozen=True)
class ProviderHeadline:
    """A provider's headline on a date: the best of its certifications' verdicts."""

    kind: Headline
    on: date
    verdict: CertificationVerdict | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self):
        if self.kind == Headline.CERTIFIED_NOT_VALID:
            return f"Certified, but {self.verdict.not_valid_because}"
        return HEADLINE_LABELS[self.kind]

    @property
    def short_label(self):
        return HEADLINE_LABELS[self.kind]

    @property
    def colour(self):
        return HEADLINE_COLOURS[self.kind]

    @property
    def is_valid(self):
        return self.kind == Headline.CERTIFIED

    @property
    def certification(self):
        return self.verdict.certification if self.verdict else None

    @property
    def since(self):
        return self.verdict.since if self.verdict else None

    @property
    def sentence(self):
        """The verdict in one plain sentence."""
        v = self.verdict
        if v is None:
            return "This provider has no certification on the register."
        body = v.certification.body
        ukas = f" (UKAS accreditation number {body.ukas_number})" if body.ukas_number else ""
        if self.kind == Headline.CERTIFIED:
            return f"Certified by {body.name}{ukas} until {long_date(v.valid_until)}."
        if self.kind == Headline.CERTIFIED_NOT_VALID:
            return (
                f"Certified by {body.name}{ukas} until {long_date(v.valid_until)}, "
                f"but the certification is not valid: {v.not_valid_because}."
            )
        if self.kind == Headline.SUSPENDED:
            return f"Certification by {body.name} suspended since {long_date(v.since)}."
        if self.kind == Headline.WORKING_TOWARDS:
            return (
                f"Working towards certification by {body.name} since {long_date(v.since)}. "
                "It is not certified yet."
            )
        if self.kind == Headline.EXPIRED:
            return f"Certification by {body.name} expired on {long_date(v.since)}."
        return f"Certification by {body.name} withdrawn on {long_date(v.since)}."


def _preference(verdict: CertificationVerdict):
    """Sort key: best headline first; then the one ending last, or the latest change."""
    return (
        verdict.headline,
        -(verdict.valid_until.toordinal() if verdict.valid_until else 0),
        -(verdict.since.toordinal() if verdict.since else 0),
    )


def provider_headline(provider, on: date) -> ProviderHeadline:
    """The provider's headline on `on` (verdicts.md, "A provider's headline on D")."""
    verdicts = [c.verdict(on) for c in provider.certifications.all()]
    verdicts = [v for v in verdicts if v.existed]
    if not verdicts:
        return ProviderHeadline(Headline.NOT_ON_REGISTER, on)
    best = min(verdicts, key=_preference)
    warnings = []
    if best.is_valid:
        if best.days_left is not None and best.days_left <= ENDING_SOON_DAYS:
            days = best.days_left
            warnings.append(
                "Certificate ends today"
                if days == 0
                else f"Certificate ends in {days} day" + ("" if days == 1 else "s")
            )
        if best.certification.parent_id is not None:
            warnings.append(f"Affiliate of {best.certification.parent.provider.name}")
    return ProviderHeadline(best.headline, on, best, warnings)
