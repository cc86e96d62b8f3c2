"""The only places that change a certification's status or a body's accreditation.

Each is atomic: the new state and the event that explains it are written together, or not at
all. Callers pass who is acting and why; the history can then always answer "who and why".
"""

from copy import copy
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from derived import writer

from .certificate_numbers import certificate_key, normalise_certificate_number
from .models import (
    DUPLICATE_NUMBER_MESSAGE,
    FIXED_FIELDS,
    AccreditationChange,
    Certification,
    CertificationCorrection,
    CertificationEvent,
)
from .statuses import ALLOWED_MOVES, CURRENT_STATUSES, Status, is_allowed_move
from .verdicts import EXPIRED_BY_DATE_REASON, long_date


class StaleCertificationError(ValidationError):
    """The certification changed since the caller read it (optimistic locking)."""


@dataclass(frozen=True)
class Certificate:
    """The certificate number and dates that a move to `certified` sets."""

    number: str
    certified_on: date
    valid_until: date


def _check_certificate(certificate, effective_date):
    if certificate is None:
        raise ValidationError("Enter the certificate number and its dates to certify")
    errors = {}
    if not normalise_certificate_number(certificate.number):
        errors["certificate_number"] = "Enter the certificate number"
    if certificate.certified_on is None:
        errors["certified_on"] = "Enter the date the certificate starts"
    if certificate.valid_until is None:
        errors["valid_until"] = "Enter the date the certificate ends"
    if not errors and certificate.valid_until <= certificate.certified_on:
        errors["valid_until"] = "The certificate must end after it starts"
    if not errors and certificate.certified_on > effective_date:
        errors["certified_on"] = "The certificate must start on or before the effective date"
    if errors:
        raise ValidationError(errors)


def _check_number_free(number, certification=None):
    """Refuse `number` when another certification holds it now, however written (its key).
    A number a certification held before (in its events) may be given again, as it always
    could: the certificate check tells the two apart by the exact number."""
    key = certificate_key(number)
    holders = Certification.objects.filter(certificate_key=key)
    if certification is not None:
        holders = holders.exclude(pk=certification.pk)
    if key and holders.exists():
        raise ValidationError({"certificate_number": DUPLICATE_NUMBER_MESSAGE})


def _check_effective_date(effective_date, last_event, today):
    if effective_date > today:
        raise ValidationError({"effective_date": "Effective date must be today or in the past"})
    if last_event is not None and effective_date < last_event.effective_date:
        raise ValidationError(
            {
                "effective_date": "Effective date must be the same as or after the last recorded "
                f"change ({long_date(last_event.effective_date)})"
            }
        )


CURRENT_CERTIFICATION_MESSAGE = (
    "This provider already has a current certification with this body: change its status instead"
)


def check_no_current_certification(provider, body):
    """A provider has at most one current certification per body (the database holds the
    same rule): a new one is refused while another is current."""
    if (
        provider is not None
        and body is not None
        and Certification.objects.filter(
            provider=provider, body=body, status__in=CURRENT_STATUSES
        ).exists()
    ):
        raise ValidationError(CURRENT_CERTIFICATION_MESSAGE)


def scope_errors(certification, *, provider, body, parent, curricula):
    """{field: message} for the scope fields whose valid values depend on the provider and
    body (`Certification.scope_problems`), in the words of every form that edits them: the
    admin's and the API's."""
    problems = certification.scope_problems(
        provider=provider, body=body, parent=parent, curricula=curricula
    )
    errors = {}
    if problems.get("parent") == "itself":
        errors["parent"] = "A certification cannot be its own parent"
    elif problems.get("parent") == "other_body":
        errors["parent"] = "Choose a parent certification by the same certification body"
    if foreign := problems.get("curricula"):
        errors["curricula"] = (
            "Choose only curricula of this training provider (or, for an affiliate, "
            f"of its parent's provider): {', '.join(c.name for c in foreign)} "
            "is another provider's"
        )
    return errors


def _check_reason(reason):
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter the reason for this change"})


@writer.batch()
def register_certification(
    *,
    provider,
    body,
    standards_edition,
    status=Status.WORKING_TOWARDS,
    effective_date,
    reason,
    recorded_by=None,
    certificate=None,
    role=Certification.Role.CERTIFIED_SERVICE,
    parent=None,
    registered_on=None,
    today=None,
):
    """Put a provider's certification on the register, with its first event."""
    today = today or timezone.localdate()
    if not is_allowed_move(None, status):
        raise ValidationError(
            {"status": "Choose working towards certification or certified for a new certification"}
        )
    _check_reason(reason)
    _check_effective_date(effective_date, None, today)
    check_no_current_certification(provider, body)
    number = certified_on = valid_until = None
    if status == Status.CERTIFIED:
        _check_certificate(certificate, effective_date)
        number = normalise_certificate_number(certificate.number)
        _check_number_free(number)
        certified_on, valid_until = certificate.certified_on, certificate.valid_until
    certification = Certification(
        provider=provider,
        body=body,
        standards_edition=standards_edition,
        role=role,
        parent=parent,
        status=status,
        certificate_number=number,
        certified_on=certified_on,
        valid_until=valid_until,
        registered_on=registered_on or effective_date,
    )
    certification.full_clean(exclude=["status", "certificate_number", "version"])
    certification.save()
    CertificationEvent.objects.create(
        certification=certification,
        from_status=None,
        to_status=status,
        effective_date=effective_date,
        reason=reason.strip(),
        certificate_number=number,
        certified_on=certified_on,
        valid_until=valid_until,
        recorded_by=recorded_by,
    )
    return certification


@writer.batch()
def move_certification(
    certification,
    to_status,
    *,
    effective_date,
    reason,
    recorded_by=None,
    certificate=None,
    expected_version=None,
    today=None,
):
    """Move a certification to `to_status`, writing the event that records who, when and why.

    `expected_version` is the version the caller's form was built from: if someone else saved
    the certification since, the move is refused rather than silently overwriting theirs.
    """
    today = today or timezone.localdate()
    locked = Certification.objects.select_for_update().get(pk=certification.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleCertificationError(stale_message(locked))
    if not is_allowed_move(locked.status, to_status):
        allowed = ", ".join(sorted(Status(s).label for s in ALLOWED_MOVES[locked.status]))
        raise ValidationError(
            {
                "to_status": f"A certification that is {Status(locked.status).label.lower()} "
                f"cannot move to {Status(to_status).label.lower()}: choose one of {allowed}"
            }
        )
    _check_reason(reason)
    last_event = locked.events.order_by("-effective_date", "-recorded_at", "-pk").first()
    _check_effective_date(effective_date, last_event, today)

    if to_status == Status.CERTIFIED:
        _check_certificate(certificate, effective_date)
        locked.certificate_number = normalise_certificate_number(certificate.number)
        locked.certified_on = certificate.certified_on
        locked.valid_until = certificate.valid_until
    elif to_status == Status.WORKING_TOWARDS:
        # Re-applying starts a new cycle: the old certificate no longer stands.
        locked.certificate_number = locked.certified_on = locked.valid_until = None
    _check_number_free(locked.certificate_number, locked)
    from_status = locked.status
    # The version check is in the UPDATE itself, so it holds even where SELECT ... FOR UPDATE
    # does not lock (SQLite): of two concurrent moves, only one finds its version.
    claimed = Certification.objects.filter(pk=locked.pk, version=locked.version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleCertificationError(stale_message(locked))
    locked.version += 1
    locked.status = to_status
    locked.save()
    CertificationEvent.objects.create(
        certification=locked,
        from_status=from_status,
        to_status=to_status,
        effective_date=effective_date,
        reason=reason.strip(),
        certificate_number=locked.certificate_number,
        certified_on=locked.certified_on,
        valid_until=locked.valid_until,
        recorded_by=recorded_by,
    )
    # Keep the caller's object in step with what was saved.
    for name in ("status", "certificate_number", "certified_on", "valid_until", "version"):
        setattr(certification, name, getattr(locked, name))
    return locked


def stale_message(current):
    """The message for an edit refused because the record changed since it was opened."""
    latest = current.history.order_by("-history_date").select_related("history_user").first()
    who = latest.history_user if latest and latest.history_user else "someone else"
    when = timezone.localtime(latest.history_date) if latest else current.updated_at
    return (
        f"This certification was changed by {who} at {when:%H:%M} on {long_date(when)} since "
        "you opened it: review the current record and try again"
    )


@writer.batch()
def record_accreditation_change(
    body, status, *, effective_date, note="", recorded_by=None, verified_on=None
):
    """Record a dated change of a body's UKAS accreditation status (and, with `verified_on`,
    when it was checked with UKAS). It rewrites no headline period of the body's providers:
    the register applies the accreditation when it reads them (certification.headline_periods),
    so the work is the same for a body of any size."""
    with writer.batch():
        change = AccreditationChange.objects.create(
            body=body,
            status=status,
            effective_date=effective_date,
            note=note,
            recorded_by=recorded_by,
        )
        if verified_on:
            body.last_verified_on = verified_on
            body._history_user = recorded_by
            body.save()
    return change


def expire_due_certifications(*, today=None, certifications=None):
    """Record expired for every certification past its end date. Safe to repeat: returns the
    certifications moved this time (none the second time). `certifications` narrows it to a
    queryset (for example the rows selected in the admin).

    It only records what the verdict already says: a certified or suspended certification
    past its end reads as expired from the day after (certification.verdicts), with the same
    date and reason whether or not this has run."""
    today = today or timezone.localdate()
    if certifications is None:
        certifications = Certification.objects.all()
    due = certifications.filter(
        status__in=[Status.CERTIFIED, Status.SUSPENDED], valid_until__lt=today
    ).order_by("pk")
    moved = []
    for certification in due:
        with writer.batch():
            moved.append(
                move_certification(
                    certification,
                    Status.EXPIRED,
                    effective_date=max(
                        certification.valid_until + timedelta(days=1),
                        certification.events.order_by("-effective_date")
                        .values_list("effective_date", flat=True)
                        .first(),
                    ),
                    reason=EXPIRED_BY_DATE_REASON,
                    today=today,
                )
            )
    return moved


@writer.batch()
def save_certification_edit(certification, *, expected_version, recorded_by=None, **changes):
    """Save an ordinary edit (scope, role, archive...) of a certification, unless someone else
    saved it since the editor opened it: the version check is in the UPDATE itself
    (UPDATE ... WHERE version = N), so of two concurrent edits only the first is saved.

    Status, certificate number and dates are not ordinary edits: see `move_certification`;
    nor are provider and body, which never change (see `correct_provider_or_body`).
    Many-to-many scope fields are saved by the caller inside the same transaction.
    """
    for name, value in changes.items():
        field = Certification._meta.get_field(name)
        if field.attname in FIXED_FIELDS and getattr(value, "pk", value) != getattr(
            certification, field.attname
        ):
            raise ValidationError(
                {name: "A certification's provider and body cannot change"},
                code="not_transferable",
            )
    if certification.transferred_fields():
        raise ValidationError(
            "A certification's provider and body cannot change", code="not_transferable"
        )
    claimed = Certification.objects.filter(pk=certification.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleCertificationError(stale_message(Certification.objects.get(pk=certification.pk)))
    for name, value in changes.items():
        setattr(certification, name, value)
    certification.version = expected_version + 1
    if recorded_by is not None:
        certification._history_user = recorded_by
    # Never write the fields that only status moves may change.
    certification.save(
        update_fields=[
            f.attname
            for f in Certification._meta.concrete_fields
            if not f.primary_key
            and f.name not in ("status", "certificate_number", "certified_on", "valid_until")
            and f.attname not in FIXED_FIELDS
            and f.name != "created_at"
        ]
    )
    return certification


@writer.batch()
def correct_provider_or_body(certification, *, provider, body, reason, recorded_by):
    """Put right a certification recorded against the wrong provider or body: the one path by
    which either changes (certification is not transferable). For site administrators.

    A `CertificationCorrection` (who, when, why, from and to) is written first (the database
    lets the certification change only as it says), then the certification, with the reason
    in its field history. The headline periods of every provider whose headline it changes,
    the old provider's and the new one's (and their affiliates'), are rebuilt. Refused while
    the scope would not fit the corrected provider and body (`_check_corrected_scope`).
    """
    from .headline_periods import providers_affected_by_certifications, providers_changed

    if not (recorded_by and recorded_by.is_active and recorded_by.is_superuser):
        raise PermissionError("Only site administrators correct a certification's provider.")
    _check_reason(reason)
    locked = Certification.objects.select_for_update().get(pk=certification.pk)
    if provider.pk == locked.provider_id and body.pk == locked.body_id:
        raise ValidationError("Choose a different provider or body: these are the recorded ones")
    if (
        locked.status in CURRENT_STATUSES
        and Certification.objects.current()
        .filter(provider=provider, body=body)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(
            {"provider": "This provider already has a current certification with this body"}
        )
    _check_corrected_scope(locked, provider, body)
    affected = providers_affected_by_certifications([locked.pk])  # the old provider's side
    correction = CertificationCorrection.objects.create(
        certification=locked,
        from_provider_id=locked.provider_id,
        from_body_id=locked.body_id,
        to_provider=provider,
        to_body=body,
        reason=reason.strip(),
        recorded_by=recorded_by,
    )
    claimed = Certification.objects.filter(pk=locked.pk, version=locked.version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleCertificationError(stale_message(locked))
    locked.version += 1
    locked.provider, locked.body = provider, body
    locked._correction = correction
    locked._history_user = recorded_by
    locked._change_reason = f"Provider or body corrected: {reason.strip()}"[:100]
    locked.save(update_fields=["provider", "body", "version", "updated_at"])
    # The save reports the new provider; the old one's headline read this certification too.
    providers_changed(affected | providers_affected_by_certifications([locked.pk]))
    return correction


def _check_corrected_scope(certification, provider, body):
    """The scope rule of the edit forms (`Certification.scope_problems`) for the certification
    under its corrected provider and body, and for its affiliates, whose parent it is.

    Refused rather than tidied: which curricula or affiliates go is the administrator's call,
    made first through an ordinary edit."""
    errors = {"provider": [], "body": []}
    parent = certification.parent
    problems = certification.scope_problems(
        provider=provider, body=body, parent=parent, curricula=list(certification.curricula.all())
    )
    if problems.get("parent"):
        errors["body"].append(
            f"Choose {parent.body}, the body of this affiliate's parent certification: an "
            "affiliate and its parent are certified by the same body"
        )
    if foreign := problems.get("curricula"):
        errors["provider"].append(
            f"Remove {_names(foreign)} from this certification's curricula first: "
            f"{_they_are(foreign)} not {provider}'s"
        )
    affiliates = list(
        certification.affiliates.select_related("provider", "body").prefetch_related("curricula")
    )
    by_other_body = [a.provider for a in affiliates if a.body_id != body.pk]
    if body.pk != certification.body_id and by_other_body:
        errors["body"].append(
            f"Give this certification's affiliates ({_names(by_other_body)}) another parent "
            f"first: they are not certified by {body}, and an affiliate and its parent are "
            "certified by the same body"
        )
    corrected = copy(certification)
    corrected.provider_id, corrected.body_id = provider.pk, body.pk
    foreign = [
        curriculum
        for affiliate in affiliates
        for curriculum in affiliate.scope_problems(
            provider=affiliate.provider,
            body=affiliate.body,
            parent=corrected,
            curricula=list(affiliate.curricula.all()),
        ).get("curricula", [])
    ]
    if foreign:
        errors["provider"].append(
            f"Remove {_names(foreign)} from the curricula of this certification's affiliates "
            f"first: {_they_are(foreign)} not {provider}'s"
        )
    if errors := {field: messages for field, messages in errors.items() if messages}:
        raise ValidationError(errors)


def _names(objects):
    return ", ".join(str(o) for o in objects)


def _they_are(objects):
    return "they are" if len(objects) > 1 else "it is"
