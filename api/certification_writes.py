"""A certification body's writes through the API, through the service functions the admin
uses (`certification.services`): the same allowed moves, reasons, dates, certificate numbers,
scope rules and append-only history, with the derived data written by the same batch.

Each function takes what a serializer of `api.certification_serializers` found valid, and
the user the token acts as (recorded as who made the change, as the admin records its
signed-in user). What a service refuses is raised as DRF's ValidationError (400, field
errors); a change that lost a race with another is a 412.
"""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from rest_framework.exceptions import ValidationError

from certification.models import Certification, CertificationEvent
from certification.services import (
    Certificate,
    StaleCertificationError,
    move_certification,
    register_certification,
    save_certification_edit,
    scope_errors,
)
from certification.statuses import Status
from derived import writer
from standards.models import StandardsEdition

from .preconditions import PreconditionFailed, certification_etag

SCOPE_FIELDS = ("populations", "settings", "regions", "specialist_content", "curricula")
EDIT_FIELDS = ("role", "parent", "standards_edition", "registered_on", "is_archived")
# Not the API's to set (the service and the database keep them), as the admin's forms leave
# them out of model validation.
NOT_VALIDATED = ["status", "certificate_number", "certified_on", "valid_until", "version"]
CONFLICT_MESSAGE = (
    "This conflicts with a record saved at the same moment: read the record again and retry"
)


def body_certifications(body):
    """The body's own certifications, with what an answer reads (another body's: none)."""
    return (
        Certification.objects.filter(body=body)
        .select_related("provider", "body", "standards_edition")
        .prefetch_related(
            *SCOPE_FIELDS[:-1],
            "curricula",
            Prefetch(
                "events",
                queryset=CertificationEvent.objects.select_related("recorded_by").order_by(
                    "effective_date", "recorded_at", "pk"
                ),
            ),
        )
        .order_by("pk")
    )


def etag_of(certification):
    events = certification.events.all()
    return certification_etag(certification, max((e.pk for e in events), default=None))


def certification_answer(certification, request):
    """A certification as its body keeps it (prefetched as `body_certifications` does)."""
    return {
        "id": certification.pk,
        "url": request.build_absolute_uri(f"/api/v1/certifications/{certification.pk}/"),
        "provider": {"slug": certification.provider.slug, "name": certification.provider.name},
        "body": {"slug": certification.body.slug, "name": certification.body.name},
        "role": certification.role,
        "parent": certification.parent_id,
        "status": certification.status,
        "certificate_number": certification.certificate_number,
        "certified_on": certification.certified_on,
        "valid_until": certification.valid_until,
        "registered_on": certification.registered_on,
        "standards_edition": certification.standards_edition.slug,
        "is_archived": certification.is_archived,
        **{
            column: [term.slug for term in getattr(certification, column).all()]
            for column in SCOPE_FIELDS[:-1]
        },
        "curricula": [{"id": c.pk, "name": c.name} for c in certification.curricula.all()],
        "version": certification.version,
        "etag": etag_of(certification),
        "history": [
            {
                "id": event.pk,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "effective_date": event.effective_date,
                "reason": event.reason,
                "certificate_number": event.certificate_number,
                "certified_on": event.certified_on,
                "valid_until": event.valid_until,
                "recorded_by": str(event.recorded_by) if event.recorded_by_id else None,
                "recorded_at": event.recorded_at,
            }
            for event in certification.events.all()
        ],
    }


def _detail(error):
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


@contextmanager
def service_errors():
    """A service's refusal as the API's: 400 with field errors, or 412 for a lost race."""
    try:
        yield
    except StaleCertificationError as error:
        raise PreconditionFailed(" ".join(error.messages)) from error
    except DjangoValidationError as error:
        raise ValidationError(_detail(error)) from error
    except IntegrityError as error:
        # A database constraint caught what the checks before it could not see yet (two
        # writes at once): nothing was written.
        raise ValidationError({"non_field_errors": [CONFLICT_MESSAGE]}) from error


def _certificate(data, status):
    if status != Status.CERTIFIED:
        return None  # as the admin: certificate fields count only for a move to certified
    return Certificate(
        data.get("certificate_number") or "", data.get("certified_on"), data.get("valid_until")
    )


def _check_scope(certification, provider, body, parent, curricula):
    errors = scope_errors(
        certification, provider=provider, body=body, parent=parent, curricula=curricula
    )
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def _set_scope(certification, data):
    for column in SCOPE_FIELDS:
        if column in data:
            getattr(certification, column).set(data[column])


def register(data, user):
    """Register a certification (its first event), with its scope, as one write."""
    with service_errors(), writer.batch():
        _check_scope(
            Certification(),
            data["provider"],
            data["body"],
            data.get("parent"),
            data.get("curricula"),
        )
        certification = register_certification(
            provider=data["provider"],
            body=data["body"],
            standards_edition=data.get("standards_edition")
            or StandardsEdition.objects.get(is_current=True),
            status=data["status"],
            effective_date=data["effective_date"],
            reason=data["reason"],
            recorded_by=user,
            certificate=_certificate(data, data["status"]),
            role=data.get("role", Certification.Role.CERTIFIED_SERVICE),
            parent=data.get("parent"),
            registered_on=data.get("registered_on"),
        )
        _set_scope(certification, data)
    return certification


def register_many(records, serializer_class, body, user):
    """Register every record, or none: any refused record rolls back all of them, and the
    answer lists every refusal by the record's index."""
    valid, errors = [], {}
    for index, record in enumerate(records):
        serializer = serializer_class(data=record, body=body)
        if serializer.is_valid():
            valid.append((index, serializer.validated_data))
        else:
            errors[index] = serializer.errors
    if errors:
        raise ValidationError({"certifications": errors})
    created = []
    with writer.batch():
        for index, data in valid:
            try:
                with transaction.atomic():
                    created.append(register(data, user))
            except (ValidationError, PreconditionFailed) as error:
                errors[index] = error.detail
        if errors:
            raise ValidationError({"certifications": errors})  # rolls back every record
    return created


def edit(certification, data, user, expected_version):
    """Change a certification's dates and scope (`save_certification_edit`)."""
    changes = {name: data[name] for name in EDIT_FIELDS if name in data}
    with service_errors(), writer.batch():
        parent = changes.get("parent", certification.parent)
        curricula = data.get("curricula", list(certification.curricula.all()))
        _check_scope(certification, certification.provider, certification.body, parent, curricula)
        for name, value in changes.items():
            setattr(certification, name, value)
        certification.full_clean(exclude=NOT_VALIDATED)
        save_certification_edit(
            certification, expected_version=expected_version, recorded_by=user, **changes
        )
        _set_scope(certification, data)
    return certification


def move(certification, data, user, expected_version):
    """Record a status move (`move_certification`)."""
    with service_errors():
        return move_certification(
            certification,
            data["to_status"],
            effective_date=data["effective_date"],
            reason=data["reason"],
            recorded_by=user,
            certificate=_certificate(data, data["to_status"]),
            expected_version=expected_version,
        )
