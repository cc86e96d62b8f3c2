"""Optimistic locking over HTTP: a certification's `ETag` and the `If-Match` a change sends.

The ETag is worked out from what changes whenever the record does: its version (raised by
every edit and status move, `certification.services`) and its last event. A change sent with
an If-Match that is no longer the record's ETag is refused with 412, before anything is
written; the service's own version check (in its UPDATE) refuses a change that races past.
"""

import hashlib

from rest_framework import status
from rest_framework.exceptions import APIException

IF_MATCH_DESCRIPTION = (
    "The `ETag` of the certification as you last read it (GET answers it). If the record "
    "changed since, nothing is written and the answer is 412: read it again and decide."
)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "This certification changed since you read it: read it again (GET) and send its new "
        "ETag as If-Match"
    )


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = (
        "Send the certification's ETag (from GET) as If-Match, so that a change made since "
        "you read it is not overwritten"
    )


def certification_etag(certification, last_event_id):
    text = f"{certification.pk}:{certification.version}:{last_event_id or 0}"
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def check_if_match(request, current_etag, *, required):
    """Refuse the request unless its If-Match names `current_etag` (or is `*`)."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        if required:
            raise PreconditionRequired()
        return
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    if "*" not in tags and current_etag not in tags:
        raise PreconditionFailed()
