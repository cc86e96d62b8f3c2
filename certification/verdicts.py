"""The one answer every page gives: is this certified, on date D, by a UKAS-accredited body?

Rules: ../shared/domain/verdicts.md. Every page, export, dashboard, alert and the certificate
check calls these functions; nothing else decides a verdict. They read prefetched relations
(`Certification.objects.with_verdict_data()`), so they add no queries per row.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum

from pages.dates import long_date  # verdicts' words name dates as every page does

from .statuses import AccreditationStatus, Status

ENDING_SOON_DAYS = 90


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


# The reason an expiry by date reads with (the expiry job records the same words, so the
# answer is the same before and after it runs).
EXPIRED_BY_DATE_REASON = "Reached its end date without renewal."

# Affiliate chains are one level deep (an affiliate's parent is never an affiliate); the
# limit only stops bad data recursing.
MAX_PARENT_DEPTH = 10
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class BodyAccreditation:
    """A body's UKAS accreditation on a date, as a verdict reads it: its status (None: not
    recorded), since when, and whether it counts (CertificationBody.accreditation_counts_on)."""

    status: str | None
    since: date | None
    counts: bool


def recorded_accreditation(body, on):
    """The body's accreditation on `on` as recorded (uses prefetched changes)."""
    change = body.accreditation_on(on)
    return BodyAccreditation(
        status=change.status if change else None,
        since=change.effective_date if change else None,
        counts=body.accreditation_counts_on(on),
    )


def body_not_counting_because(status):
    """Why a certificate by a body whose accreditation does not count is not valid, by the
    body's accreditation status on the date (the words every page shows)."""
    if status == AccreditationStatus.SUSPENDED:
        return "the certification body's UKAS accreditation is suspended"
    if status == AccreditationStatus.WITHDRAWN:
        return "the certification body's UKAS accreditation is withdrawn"
    if status == AccreditationStatus.ACCREDITED:
        return "the certification body's UKAS accreditation is not to ISO/IEC 17065"
    return "the certification body's UKAS accreditation is not recorded"


def not_valid_label(because):
    """A headline 2's words: "Certified, but <why it is not valid>"."""
    return f"Certified, but {because}"


def not_valid_reason(because):
    """A headline 2's reason, as a sentence."""
    return because[0].upper() + because[1:] + "."


@dataclass(frozen=True)
class CertificationVerdict:
    """What one certification was on one date."""

    certification: object
    on: date
    status: str | None  # None: not on the register on `on` (not yet, or archived)
    since: date | None
    reason: str = ""  # why it has this status: as the body recorded it, or by date
    certificate_number: str | None = None
    certified_on: date | None = None
    valid_until: date | None = None
    body_accreditation: str | None = None  # the body's accreditation status on `on`
    body_accredited: bool = False  # CertificationBody.accreditation_counts_on(on)
    body_accreditation_since: date | None = None
    parent_verdict: "CertificationVerdict | None" = None  # for an affiliate

    @property
    def existed(self):
        return self.status is not None

    @property
    def parent_valid(self):
        """None for a certification that is not an affiliate."""
        return None if self.parent_verdict is None else self.parent_verdict.is_valid

    @property
    def in_dates(self):
        return (
            self.certified_on is not None
            and self.valid_until is not None
            and self.certified_on <= self.on <= self.valid_until
        )

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
    def ends_on(self):
        """When it stops counting: its valid-until, or its parent's end if sooner."""
        parent = self.parent_verdict
        ends = parent.ends_on if parent is not None and parent.is_valid else None
        if ends is not None and (self.valid_until is None or ends < self.valid_until):
            return ends
        return self.valid_until

    @property
    def ends_with(self):
        """The parent certification whose end comes first, or None when its own does."""
        parent = self.parent_verdict
        if parent is not None and self.ends_on != self.valid_until:
            return parent.ends_with or parent.certification
        return None

    @property
    def days_left(self):
        return (self.ends_on - self.on).days if self.ends_on else None

    @property
    def ends_soon(self):
        return self.is_valid and self.days_left is not None and self.days_left <= ENDING_SOON_DAYS

    @property
    def not_valid_because(self):
        """Why a certified certification is still not valid (headline 2)."""
        if self.status != Status.CERTIFIED or self.is_valid:
            return None
        if not self.in_dates:  # only through bad data: a certified move records its dates
            if self.certified_on is None or self.valid_until is None:
                return "its certificate dates are not recorded"
            return f"its certificate starts on {long_date(self.certified_on)}"
        if not self.body_accredited:
            return body_not_counting_because(self.body_accreditation)
        if self.parent_valid is False:
            return "the parent certification it is affiliated to is not valid"
        return None

    @property
    def headline_since(self):
        """Since when its headline has held: the status's date, or for headline 2 the later
        of that and the date the failing condition began."""
        if self.headline != Headline.CERTIFIED_NOT_VALID or not self.in_dates:
            return self.since
        if not self.body_accredited:
            began = self.body_accreditation_since
        else:
            began = self.parent_verdict.headline_since if self.parent_verdict else None
        return max(self.since, began) if began else self.since


def _expired_by_date(event, on):
    """A certified or suspended event past its certificate's end reads as expired."""
    return (
        event.to_status in (Status.CERTIFIED, Status.SUSPENDED)
        and event.valid_until is not None
        and event.valid_until < on
    )


def _expiry(in_force, on):
    """(since, reason) of the expiry in force on `on`: the first day of the unbroken run of
    days on which the certification has read as expired, whether by date (the day after its
    end) or by a recorded move to expired. So the expiry job, which records the move later,
    changes neither the date nor the reason."""
    since = reason = None
    next_starts = [e.effective_date for e in in_force[1:]] + [on + ONE_DAY]
    for event, next_start in reversed(list(zip(in_force, next_starts, strict=True))):
        last_day = next_start - ONE_DAY
        if event.effective_date > last_day:
            continue  # superseded on its own day: never in force
        if event.to_status == Status.EXPIRED:
            first_day, why = event.effective_date, event.reason
        elif _expired_by_date(event, last_day):
            first_day = max(event.effective_date, event.valid_until + ONE_DAY)
            why = EXPIRED_BY_DATE_REASON
        else:
            break
        since, reason = first_day, why
        if first_day > event.effective_date:
            break  # the run began within this event's stretch
    return since, reason


def certification_verdict(
    certification, on: date, depth=0, accreditation=recorded_accreditation
) -> CertificationVerdict:
    """The verdict of one certification on `on` (verdicts.md, "A certification on date D").

    An archived certification has left the register: it reads as not on the register on
    every date (README § Verdict rules the register applies). `accreditation(body, on)` gives
    a body's BodyAccreditation: as recorded, unless the headline periods ask "what if"
    (certification.headline_periods)."""
    if certification.is_archived:
        return CertificationVerdict(certification, on, status=None, since=None)
    in_force = [e for e in certification.ordered_events() if e.effective_date <= on]
    if not in_force:
        return CertificationVerdict(certification, on, status=None, since=None)
    event = in_force[-1]
    status, since, reason = event.to_status, event.effective_date, event.reason
    if status == Status.EXPIRED or _expired_by_date(event, on):
        # Past its end date without renewal: expired whatever its recorded status, even
        # before the expiry job has run.
        status = Status.EXPIRED
        since, reason = _expiry(in_force, on)
    parent_verdict = None
    if certification.parent_id is not None:
        if depth < MAX_PARENT_DEPTH:
            parent_verdict = certification_verdict(
                certification.parent, on, depth + 1, accreditation
            )
        else:
            parent_verdict = CertificationVerdict(certification.parent, on, None, None)
    body_accreditation = accreditation(certification.body, on)
    return CertificationVerdict(
        certification,
        on,
        status=status,
        since=since,
        reason=reason,
        certificate_number=event.certificate_number,
        certified_on=event.certified_on,
        valid_until=event.valid_until,
        body_accreditation=body_accreditation.status,
        body_accredited=body_accreditation.counts,
        body_accreditation_since=body_accreditation.since,
        parent_verdict=parent_verdict,
    )


class HeadlineKindShown:
    """What pages show of a headline by its `kind` alone: the provider's headline, the
    overview's (compliance.verdicts.TrainerHeadline) and a register row share it."""

    @property
    def short_label(self):
        return HEADLINE_LABELS[self.kind]

    @property
    def colour(self):
        return HEADLINE_COLOURS[self.kind]

    @property
    def is_valid(self):
        return self.kind == Headline.CERTIFIED


@dataclass(frozen=True)
class ProviderHeadline(HeadlineKindShown):
    """A provider's headline on a date: the best of its certifications' verdicts."""

    kind: Headline
    on: date
    verdict: CertificationVerdict | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self):
        """The headline in words with its date, exactly as every page and the export show
        it: "Suspended since 23 August 2026", "Certified, but the certification body's UKAS
        accreditation is suspended"."""
        since = self.since
        if self.kind == Headline.CERTIFIED_NOT_VALID:
            return not_valid_label(self.verdict.not_valid_because)
        if self.kind in (Headline.SUSPENDED, Headline.WORKING_TOWARDS) and since:
            return f"{HEADLINE_LABELS[self.kind]} since {long_date(since)}"
        if self.kind in (Headline.EXPIRED, Headline.WITHDRAWN) and since:
            return f"{HEADLINE_LABELS[self.kind]} on {long_date(since)}"
        return HEADLINE_LABELS[self.kind]

    @property
    def certification(self):
        return self.verdict.certification if self.verdict else None

    @property
    def since(self):
        """The date of the headline: since when it has held."""
        return self.verdict.headline_since if self.verdict else None

    @property
    def recorded_reason(self):
        """The reason for a suspension, withdrawal, expiry or application, as the body
        recorded it (or "Reached its end date without renewal." for an expiry by date)."""
        if self.kind in (
            Headline.SUSPENDED,
            Headline.WORKING_TOWARDS,
            Headline.EXPIRED,
            Headline.WITHDRAWN,
        ):
            return self.verdict.reason
        return ""

    @property
    def reason(self):
        """Why the headline is what it is, in a sentence ("" for a valid certification)."""
        if self.kind == Headline.CERTIFIED_NOT_VALID:
            return not_valid_reason(self.verdict.not_valid_because)
        return self.recorded_reason

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
                f"Certified by {body.name}{ukas}, but the certification is not valid: "
                f"{v.not_valid_because}."
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


def headline_preference(verdict: CertificationVerdict):
    """Sort key: best headline first; then the one ending last, or the latest change."""
    return (
        verdict.headline,
        -(verdict.valid_until.toordinal() if verdict.valid_until else 0),
        -(verdict.since.toordinal() if verdict.since else 0),
        verdict.certification.pk,
    )


def ending_warning(verdict: CertificationVerdict):
    """ "Certificate ends in 21 days" within ENDING_SOON_DAYS of its end (for an affiliate
    whose parent's certificate ends first, that end: "…, with <parent>'s certificate")."""
    days = verdict.days_left
    if not verdict.is_valid or days is None or days > ENDING_SOON_DAYS:
        return None
    ends_with = verdict.ends_with.provider.name if verdict.ends_with is not None else None
    return ending_warning_text(days, ends_with)


def ends_with_an_ancestor_soon(kind, parent_id, ends_on, valid_until, on) -> bool:
    """Whether a headline of these period values warns that its certificate ends soon with
    an ancestor's (an affiliate whose parent's certificate ends first): a headline period
    does not hold whose, so readers of periods take such a headline from the verdict."""
    return (
        kind == Headline.CERTIFIED
        and parent_id is not None
        and ends_on != valid_until
        and (ends_on - on).days <= ENDING_SOON_DAYS
    )


def ending_warning_text(days, ends_with=None):
    """The words of `ending_warning` for a valid certificate ending in `days` days (None
    beyond ENDING_SOON_DAYS); `ends_with`: the provider whose certificate ends first."""
    if days > ENDING_SOON_DAYS:
        return None
    text = (
        "Certificate ends today"
        if days == 0
        else f"Certificate ends in {days} day" + ("" if days == 1 else "s")
    )
    if ends_with is not None:
        text += f", with {ends_with}'s certificate"
    return text


def provider_headline(provider, on: date, accreditation=recorded_accreditation) -> ProviderHeadline:
    """The provider's headline on `on` (verdicts.md, "A provider's headline on D")."""
    verdicts = [
        certification_verdict(c, on, accreditation=accreditation)
        for c in provider.certifications.all()
    ]
    verdicts = [v for v in verdicts if v.existed]
    if not verdicts:
        return ProviderHeadline(Headline.NOT_ON_REGISTER, on)
    best = min(verdicts, key=headline_preference)
    warnings = []
    if best.is_valid:
        ending = ending_warning(best)
        if ending:
            warnings.append(ending)
        if best.certification.parent_id is not None:
            warnings.append(f"Affiliate of {best.certification.parent.provider.name}")
    return ProviderHeadline(best.headline, on, best, warnings)
