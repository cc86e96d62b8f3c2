"""The change feed: every change of what the API shows (status moves and register changes),
in commit order after a cursor, so a client can keep its own copy in step
(certification.feeds chooses what is public, and `commit_ordered` why no change can land
behind a cursor it gave)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from certification.feeds import (
    FeedCursor,
    UnknownCursor,
    commit_ordered,
    describe,
    filtered_changes,
    public_register_changes,
)
from certification.models import CertificationEvent

from ..serializers import ChangeFeedSerializer

CHANGES_PER_REQUEST = 100
CURSOR_HELP = (
    "The `next_since` of your last request (or the `cursor` of the last change you kept); "
    "leave it out to start from the first change. A cursor is opaque: keep it as given. "
    "A bare change id (a cursor from before 2 December 2026) is still accepted: it may "
    "give some changes again, never fewer"
)


class CursorField(serializers.CharField):
    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return FeedCursor.parse(text)
        except ValueError:
            self.fail("invalid_cursor")


class ChangeQuery(serializers.Serializer):
    since = CursorField(
        required=False,
        error_messages={
            "invalid_cursor": "Enter the next_since of your last request, or leave it out"
        },
    )
    body = serializers.SlugField(required=False, max_length=220)


class ChangeFeed(GenericAPIView):
    """Every change of what this API shows, after the cursor `since`, up to 100 a request,
    in the order they were committed; `next_since` is the `since` for the next request,
    `more` whether to ask again now. A change still being written in a long transaction (a
    bulk import) is held back until it commits (and so are the changes committed after it
    began), and no change is ever committed behind a cursor this feed gave: a client that
    keeps `next_since` gets every change once.

    What it carries, each with its `kind`:
    - `status`: each status move of a certification on the register (added, certified,
      suspended, reinstated, renewed, withdrawn, expired), as `/providers/changes/` lists
      them;
    - `certification`: an edit of a certification (its scope, role, parent, standards
      edition, registered date; a corrected provider or body), or its archiving or bringing
      back;
    - `provider`: a provider added, or its name, web address, kind, town, region, regions
      served or website edited, or its archiving or bringing back;
    - `body`: a certification body added or its details edited;
    - `accreditation`: a change of a body's UKAS accreditation.

    A change of a record says what changed (`change`, in words; `action`), not its new
    value: read the provider or body again (`/api/v1/providers/<slug>/`,
    `/api/v1/certification-bodies/<slug>/`). So a client that follows this feed keeps a
    complete copy of both lists. An archived record has left the register: the change that
    archived it is given (remove it), then none of its changes until the one that brings it
    back (read it again). With `body`, a body's own changes, its certifications' and those of
    the providers it certifies. After the register is restored from a backup into a new
    database server, an old cursor is refused (400): start again without `since`."""

    serializer_class = ChangeFeedSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.STR, description=CURSOR_HELP),
            OpenApiParameter("body", OpenApiTypes.STR, description="Certification body slug"),
        ],
        operation_id="changes_list",
    )
    def get(self, request):
        query = ChangeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = {"body": query.validated_data["body"]} if "body" in query.validated_data else {}
        filterset, events = filtered_changes(filters)
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError(filterset.form.errors)
        body = filterset.form.cleaned_data.get("body") if filterset.is_bound else None
        since = query.validated_data.get("since")
        try:
            changes, more = commit_ordered(
                events, public_register_changes(body), since, limit=CHANGES_PER_REQUEST
            )
        except UnknownCursor:
            raise ValidationError(
                {"since": ["This cursor is not one this register gave: start again without it"]}
            ) from None
        next_since = changes[-1].feed_cursor if changes else since
        answer = {
            "results": [
                status_change(change)
                if isinstance(change, CertificationEvent)
                else register_change(change)
                for change in changes
            ],
            "next_since": str(next_since) if next_since else None,
            "more": more,
        }
        return Response(self.get_serializer(answer).data)


def provider_ref(provider):
    return {"slug": provider.slug, "name": provider.name} if provider else None


def body_ref(body):
    return {"slug": body.slug, "name": body.name, "ukas_number": body.ukas_number} if body else None


def status_change(event):
    return {
        "id": event.pk,
        "cursor": str(event.feed_cursor),
        "kind": "status",
        "action": None,
        "provider": provider_ref(event.certification.provider),
        "body": body_ref(event.certification.body),
        "certificate_number": event.certificate_number,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "change": describe(event),
        "effective_date": event.effective_date,
        "reason": event.reason,
        "recorded_at": event.recorded_at,
    }


def register_change(entry):
    certification = entry.certification
    accreditation = entry.accreditation_change
    return {
        "id": entry.pk,
        "cursor": str(entry.feed_cursor),
        "kind": entry.kind,
        "action": entry.action,
        "provider": provider_ref(certification.provider if certification else entry.provider),
        "body": body_ref(certification.body if certification else entry.body),
        "certificate_number": certification.certificate_number if certification else None,
        "from_status": None,
        "to_status": None,
        "change": entry.summary,
        "effective_date": accreditation.effective_date if accreditation else None,
        "reason": None,
        "recorded_at": entry.recorded_at,
    }
