"""Checking a certificate number: which certification it belongs to and what it means today.

The answer comes from the one verdict (`Certification.verdict`); this module only finds the
certification a number belongs to, including numbers that a renewal or re-application has
since replaced (they stay in the certification's events).
"""

from dataclasses import dataclass
from datetime import date

from .certificate_numbers import certificate_key, normalise_certificate_number
from .models import Certification, CertificationEvent
from .scope_labels import certification_scope
from .verdicts import HEADLINE_COLOURS, Headline, ProviderHeadline, long_date

# The longest number the register stores (Certification.certificate_number max_length).
MAX_CERTIFICATE_NUMBER_LENGTH = Certification._meta.get_field("certificate_number").max_length


@dataclass(frozen=True)
class CertificateCheck:
    """The answer for one certificate number on one date."""

    number: str  # as typed, tidied; found by its key (any case, any separators)
    on: date
    certification: Certification | None = None
    verdict: object = None  # certification.verdicts.CertificationVerdict
    register_number: str | None = None  # the number as the register holds it
    scope: dict | None = None  # {column of scope_labels.SCOPE: [label]} when found

    @property
    def found(self):
        return self.certification is not None

    @property
    def shown_number(self):
        """The number in the register's own format when found, else as typed."""
        return self.register_number or self.number

    @property
    def is_current_number(self):
        """False when the number was replaced (renewal) or cleared (re-application)."""
        return self.found and certificate_key(self.verdict.certificate_number) == certificate_key(
            self.number
        )

    @property
    def headline(self):
        """The certification's own verdict in headline words (label, date and reason)."""
        return ProviderHeadline(self.verdict.headline, self.on, self.verdict)

    @property
    def reason(self):
        """Why it is not valid: the reason the body recorded for a suspension, withdrawal or
        expiry, or why a certified certificate does not count."""
        if not self.is_current_number or self.is_valid:
            return ""
        return self.headline.reason

    @property
    def is_valid(self):
        return self.is_current_number and self.verdict.is_valid

    @property
    def colour(self):
        if not self.found:
            return "grey"
        if not self.is_current_number:
            return "grey"
        return HEADLINE_COLOURS[self.verdict.headline]

    @property
    def label(self):
        """The answer in a few words, for the tag."""
        if not self.found:
            return "Not on the register"
        if not self.is_current_number:
            return "Replaced" if self.verdict.certificate_number else "No longer in force"
        if self.verdict.headline == Headline.CERTIFIED:
            return "Valid"
        if self.verdict.headline == Headline.CERTIFIED_NOT_VALID:
            return "Not valid"
        return {
            Headline.SUSPENDED: "Suspended",
            Headline.EXPIRED: "Expired",
            Headline.WITHDRAWN: "Withdrawn",
            Headline.WORKING_TOWARDS: "Not certified",
        }.get(self.verdict.headline, "Not valid")

    @property
    def sentence(self):
        """The answer in one plain sentence."""
        if not self.found:
            return "No certificate with this number is on the register."
        v = self.verdict
        provider = self.certification.provider.name
        body = self.certification.body.name
        if not self.is_current_number:
            if v.certificate_number:
                return (
                    f"This certificate has been replaced. {provider}'s certification by {body} "
                    f"now has certificate number {v.certificate_number}."
                )
            return (
                f"This certificate is no longer in force. {provider} is not certified by "
                f"{body} at the moment."
            )
        if v.headline == Headline.CERTIFIED:
            return (
                f"This certificate is valid. {provider} is certified by {body} until "
                f"{long_date(v.valid_until)}."
            )
        if v.headline == Headline.CERTIFIED_NOT_VALID:
            return f"This certificate is not valid at the moment: {v.not_valid_because}."
        if v.headline == Headline.SUSPENDED:
            return f"This certificate has been suspended since {long_date(v.since)}."
        if v.headline == Headline.EXPIRED:
            return f"This certificate expired on {long_date(v.since)}."
        if v.headline == Headline.WITHDRAWN:
            return f"This certificate was withdrawn on {long_date(v.since)}."
        return "This certificate is not valid."


def check_certificate(number, on):
    """The CertificateCheck for `number` (any case, spacing or separators) on `on`; None for no
    number. Archived certifications have left the register: their numbers are not found."""
    return check_certificates([number], on)[0]


def check_certificates(numbers, on):
    """[CertificateCheck or None] for each of `numbers`, in their order, in a fixed number of
    queries however many there are (the API's bulk verification asks for up to 100)."""
    keys = [certificate_key(number) for number in numbers]
    wanted = {key for key in keys if key}
    if not wanted:
        return [None for _ in numbers]
    # One indexed lookup per table, UNIONed: an OR across the join made PostgreSQL read
    # every event of every certification.
    holders = (
        Certification.objects.order_by()
        .filter(certificate_key__in=wanted)
        .values("pk")
        .union(
            CertificationEvent.objects.order_by()
            .filter(certificate_key__in=wanted)
            .values("certification_id")
        )
    )
    matches = list(
        Certification.objects.on_register()
        .with_verdict_data()
        .select_related("standards_edition")
        .filter(pk__in=holders)
        # No ORDER BY: with this many selected columns Django's compiler spends milliseconds
        # matching them against it; a handful of rows sort in Python.
        .order_by()
    )
    matches.sort(key=lambda certification: certification.pk)
    # Their scope as labels, in one query (a prefetch a list cost five, and a model instance
    # a term).
    scope = certification_scope([certification.pk for certification in matches]) if matches else {}
    # Which certifications hold each key: now (their number) or once (in their events).
    by_key = {}
    for certification in matches:
        held = {certification.certificate_key} | {
            e.certificate_key for e in certification.ordered_events()
        }
        for key in held & wanted:
            by_key.setdefault(key, []).append(certification)
    return [
        _answer(number, key, by_key.get(key, []), on, scope) if key else None
        for number, key in zip(numbers, keys, strict=True)
    ]


def _answer(number, key, candidates, on, scope):
    number = normalise_certificate_number(number)
    if not candidates:
        return CertificateCheck(number=number, on=on)

    # One certification holds a key now (unique), but a number it replaced may since have
    # been given to another, written differently (RRN-2024-0061 then RRN/2024/0061). Prefer
    # the number exactly as typed (held now, then held before), then the one holding it now.
    def held(certification, matching):
        return [e for e in certification.ordered_events() if matching(e.certificate_number)]

    def rank(certification):
        exact_now = certification.certificate_number == number
        exact_before = bool(held(certification, lambda n: n == number))
        return (not exact_now, not exact_before, certification.certificate_key != key)

    certification = min(candidates, key=rank)
    exact = held(certification, lambda n: n == number)
    by_key = held(certification, lambda n: certificate_key(n) == key)
    register_number = (
        number
        if certification.certificate_number == number or exact
        else (by_key[-1].certificate_number if by_key else certification.certificate_number)
    )
    return CertificateCheck(
        number=number,
        on=on,
        certification=certification,
        verdict=certification.verdict(on),
        register_number=register_number,
        scope=scope[certification.pk],
    )
