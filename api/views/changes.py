"""The change feed: every status change on the register, in commit order after a cursor, so a
client can keep its own copy in step (certification.feeds chooses what is public, and
`commit_ordered` why no change can land behind a cursor it gave)."""

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
)

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
    """Status changes after the cursor `since`, up to 100 a request, in the order they were
    committed; `next_since` is the `since` for the next request, `more` whether to ask again
    now. A change still being written in a long transaction (a bulk import) is held back
    until it commits (and so are the changes committed after it began), and no change is
    ever committed behind a cursor this feed gave: a client that keeps `next_since` gets
    every status change once.

    What it carries: each status move of a certification on the register (added, certified,
    suspended, reinstated, renewed, withdrawn, expired), as `/providers/changes/` lists them.
    What it does not carry: edits of a certification's scope or role, provider details,
    a certification body's UKAS accreditation changes, and archiving or bringing back a
    provider or certification. An archived one's changes leave the feed; brought back, its
    past changes return with positions behind clients' cursors and are not sent again. To
    keep a complete copy, follow this feed for status moves and re-read
    `/api/v1/providers/` and `/api/v1/certification-bodies/` in full from time to time (daily,
    say): a provider missing from it has been archived. After the register is restored from
    a backup into a new database server, an old cursor is refused (400): start again without
    `since`."""

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
        filterset, changes = filtered_changes(filters)
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError(filterset.form.errors)
        since = query.validated_data.get("since")
        try:
            events, more = commit_ordered(changes, since, limit=CHANGES_PER_REQUEST)
        except UnknownCursor:
            raise ValidationError(
                {"since": ["This cursor is not one this register gave: start again without it"]}
            ) from None
        next_since = events[-1].feed_cursor if events else since
        answer = {
            "results": [
                {
                    "id": event.pk,
                    "cursor": str(event.feed_cursor),
                    "provider": {
                        "slug": event.certification.provider.slug,
                        "name": event.certification.provider.name,
                    },
                    "body": {
                        "slug": event.certification.body.slug,
                        "name": event.certification.body.name,
                        "ukas_number": event.certification.body.ukas_number,
                    },
                    "certificate_number": event.certificate_number,
                    "from_status": event.from_status,
                    "to_status": event.to_status,
                    "change": describe(event),
                    "effective_date": event.effective_date,
                    "reason": event.reason,
                    "recorded_at": event.recorded_at,
                }
                for event in events
            ],
            "next_since": str(next_since) if next_since else None,
            "more": more,
        }
        return Response(self.get_serializer(answer).data)
