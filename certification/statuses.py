"""Certification and accreditation statuses, and the moves allowed between them.

From ../shared/domain/README.md. The database holds the same rule as a CheckConstraint on
CertificationEvent, so no code path can record a move that is not listed here.
"""

from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    WORKING_TOWARDS = "working_towards", "Working towards certification"
    CERTIFIED = "certified", "Certified"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


class AccreditationStatus(models.TextChoices):
    ACCREDITED = "accredited", "UKAS accredited"
    SUSPENDED = "suspended", "UKAS accreditation suspended"
    WITHDRAWN = "withdrawn", "UKAS accreditation withdrawn"


# None is "not yet on the register": a record starts working towards, or already certified
# (a body bringing its existing certificates onto the register).
ALLOWED_MOVES: dict[str | None, frozenset[str]] = {
    None: frozenset({Status.WORKING_TOWARDS, Status.CERTIFIED}),
    Status.WORKING_TOWARDS: frozenset({Status.CERTIFIED, Status.WITHDRAWN}),
    Status.CERTIFIED: frozenset(
        {Status.SUSPENDED, Status.WITHDRAWN, Status.EXPIRED, Status.CERTIFIED}
    ),
    Status.SUSPENDED: frozenset({Status.CERTIFIED, Status.WITHDRAWN, Status.EXPIRED}),
    Status.EXPIRED: frozenset({Status.WORKING_TOWARDS, Status.CERTIFIED}),
    Status.WITHDRAWN: frozenset({Status.WORKING_TOWARDS}),
}

# Statuses in which a certification is still "current" for its provider and body: a provider
# has at most one of these per body.
CURRENT_STATUSES = (Status.WORKING_TOWARDS, Status.CERTIFIED, Status.SUSPENDED)

# Statuses that need a certificate number and dates.
STATUSES_WITH_CERTIFICATE = (Status.CERTIFIED, Status.SUSPENDED)


def is_allowed_move(from_status, to_status):
    return to_status in ALLOWED_MOVES.get(from_status, frozenset())


def allowed_moves_condition():
    """The allowed moves as a Q over (from_status, to_status), for a CheckConstraint."""
    condition = Q()
    for from_status, targets in ALLOWED_MOVES.items():
        source = Q(from_status__isnull=True) if from_status is None else Q(from_status=from_status)
        condition |= source & Q(to_status__in=sorted(targets))
    return condition
