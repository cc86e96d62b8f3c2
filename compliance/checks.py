"""Recording a compliance check: the check and its snapshot of the register, together.

The snapshot is what the register said about the training provider on the day of the check
(worked out from the certification events, so a check recorded today about last week sees last
week's register). It is copied into the check and never changes afterwards, whatever later
happens to the certification: it is the evidence of what was checked.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from certification.calendar import months_after

from .models import ComplianceCheck, TrainingArrangement
from .verdicts import CHECK_VALID_MONTHS


@dataclass(frozen=True)
class Snapshot:
    certification: object
    status: str
    certificate_number: str
    body_name: str
    ukas_number: str
    valid_until: date | None

    def as_fields(self):
        return {
            "certification": self.certification,
            "seen_status": self.status,
            "seen_certificate_number": self.certificate_number,
            "seen_body_name": self.body_name,
            "seen_ukas_number": self.ukas_number,
            "seen_valid_until": self.valid_until,
        }


def register_snapshot(arrangement, on: date) -> Snapshot:
    """What the register said about the arrangement's training provider on `on`.

    Reads the provider's prefetched certifications (`TrainingArrangement.objects.
    with_verdict_data()`) through the one verdict method.
    """
    headline = arrangement.training_provider.headline(on)
    verdict = headline.verdict
    if verdict is None:
        return Snapshot(None, headline.label, "", "", "", None)
    body = verdict.certification.body
    return Snapshot(
        certification=verdict.certification,
        status=headline.label[:120],
        certificate_number=verdict.certificate_number or "",
        body_name=body.name,
        ukas_number=body.ukas_number or "",
        valid_until=verdict.valid_until,
    )


def default_review_due(checked_on: date) -> date:
    """The day the check stops being in date: 12 calendar months after it."""
    return months_after(checked_on, CHECK_VALID_MONTHS)


@transaction.atomic
def record_check(
    arrangement,
    *,
    checked_by,
    checked_on: date,
    outcome,
    scope_covers_populations: bool,
    scope_covers_settings: bool,
    scope_covers_content: bool,
    evidence: str,
    evidence_file=None,
    notes="",
    next_review_due: date | None = None,
    today: date | None = None,
    **optional,
):
    """Record a check of `arrangement` with the register's snapshot on `checked_on`.

    All or nothing: the check, its snapshot and its evidence file are saved together.
    """
    today = today or timezone.localdate()
    if checked_on > today:
        raise ValidationError({"checked_on": "The date of the check cannot be in the future."})
    loaded = TrainingArrangement.objects.with_verdict_data().get(pk=arrangement.pk)
    if checked_on < loaded.starts_on:
        raise ValidationError(
            {"checked_on": "The date of the check cannot be before the arrangement started."}
        )
    check = ComplianceCheck(
        arrangement=loaded,
        checked_by=checked_by,
        checked_on=checked_on,
        outcome=outcome,
        scope_covers_populations=scope_covers_populations,
        scope_covers_settings=scope_covers_settings,
        scope_covers_content=scope_covers_content,
        evidence=evidence,
        notes=notes,
        next_review_due=next_review_due or default_review_due(checked_on),
        **register_snapshot(loaded, checked_on).as_fields(),
        **optional,
    )
    if evidence_file:
        check.evidence_file = evidence_file
    check.full_clean()
    check.save()
    return check
