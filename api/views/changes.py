"""The change feed: every status change on the register, oldest first after a cursor, so a
client can keep its own copy in step (certification.feeds chooses what is public)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from certification.feeds import describe, filtered_changes

from ..serializers import ChangeFeedSerializer

CHANGES_PER_REQUEST = 100
MAX_EVENT_ID = 2**63 - 1


class ChangeQuery(serializers.Serializer):
    since = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_EVENT_ID,
        error_messages={"invalid": "Enter the id of the last change you saw, like 1234"},
    )
    body = serializers.SlugField(required=False, max_length=220)


class ChangeFeed(GenericAPIView):
    """Status changes after `since` (the `id` of the last one a client saw), up to 100 a
    request, oldest first; `next_since` is the `since` for the next request."""

    serializer_class = ChangeFeedSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.INT, description="The last change id seen"),
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
        since = query.validated_data.get("since", 0)
        events = list(changes.filter(pk__gt=since).order_by("pk")[: CHANGES_PER_REQUEST + 1])
        more = len(events) > CHANGES_PER_REQUEST
        events = events[:CHANGES_PER_REQUEST]
        answer = {
            "results": [
                {
                    "id": event.pk,
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
            "next_since": events[-1].pk if events else (since or None),
            "more": more,
        }
        return Response(self.get_serializer(answer).data)
