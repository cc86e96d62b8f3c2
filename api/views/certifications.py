"""A certification body's own certifications: list them, register (one, or up to 100 at
once), read, change dates and scope, record status moves. Only with the body's API token
(write scope to write); another body's certifications are not found, nor listed. The rules
are the admin's (`api.certification_writes` calls `certification.services`)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from certification.statuses import Status

from .. import certification_writes as writes
from ..certification_filters import BodyCertificationFilterSet
from ..certification_serializers import (
    BodyCertificationSerializer,
    BulkCertificationsSerializer,
    BulkResultSerializer,
    CertificationChangeSerializer,
    CertificationCreateSerializer,
    StatusMoveSerializer,
)
from ..idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from ..pagination import RegisterCursorPagination
from ..permissions import BodyToken, token_body
from ..preconditions import IF_MATCH_DESCRIPTION, check_if_match
from ..schema import PROBLEM_REFERENCE

PROBLEM_TYPE = "application/problem+json"


def problems(**descriptions):
    """Error responses as problem details: {(status, media type): response}."""
    return {
        # The one Problem component, added by api.schema.document_problems.
        (int(code.removeprefix("e")), PROBLEM_TYPE): OpenApiResponse(
            PROBLEM_REFERENCE, description=description
        )
        for code, description in descriptions.items()
    }


NO_TOKEN = "No token, or it is unknown, expired or revoked"
REFUSALS = problems(
    e401=NO_TOKEN, e403="Not a certification body's token, or a read-only one on a write"
)
READ_REFUSALS = problems(e401=NO_TOKEN, e403="Not a certification body's token")
NOT_FOUND = problems(e404="Not one of your body's certifications")
INVALID = problems(e400="Refused (what the admin refuses): see `errors`")
REPLAYED = problems(e422="This Idempotency-Key was used with another request")
STALE = problems(e412="The record changed since the ETag sent as If-Match was read")
BAD_FILTER = problems(e400="A filter's value is not valid: see `errors`")
BAD_CURSOR = problems(e404="The cursor is not one this API gave: start again without it")
# On the answers that carry a record (an error carries none).
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="The record's version: send it as If-Match with a change",
)


def if_match(required):
    return OpenApiParameter(
        "If-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=required,
        description=IF_MATCH_DESCRIPTION
        + ("" if required else " Optional here: without it the move is judged on the record now."),
    )


class BodyCertificationView(GenericAPIView):
    permission_classes = [BodyToken]
    serializer_class = BodyCertificationSerializer

    def certification(self, pk):
        """One of the token's body's certifications, or 404 (another body's too)."""
        return get_object_or_404(writes.body_certifications(token_body(self.request)), pk=pk)

    def answer(self, certification, status_code=status.HTTP_200_OK, *, reread=True):
        """The certification as kept now (`reread` after a write: what the write saved)."""
        if reread:
            certification = self.certification(certification.pk)
        data = writes.certification_answer(certification, self.request)
        return Response(
            BodyCertificationSerializer(data).data,
            status=status_code,
            headers={"ETag": data["etag"]},
        )


LIST_PARAMETERS = [
    OpenApiParameter(
        "provider", OpenApiTypes.STR, description="Slug of a training provider your body certifies"
    ),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=Status.values,
        description="The certification's status (repeat for any of several)",
    ),
    OpenApiParameter("is_archived", OpenApiTypes.BOOL, description="Archived, or not"),
    OpenApiParameter(
        "certificate_number",
        OpenApiTypes.STR,
        description="Its current certificate number (any case, spaces or separators)",
    ),
]
# Not filters: the page's own parameters.
PAGE_PARAMETERS = ("cursor", "page_size")


class CertificationList(BodyCertificationView):
    """Your body's certifications: list them, or register one."""

    pagination_class = RegisterCursorPagination

    @extend_schema(
        parameters=LIST_PARAMETERS,
        responses={
            # Keyed as the problems are, so drf-spectacular sees a list view (its pages).
            (200, "application/json"): BodyCertificationSerializer(many=True),
            **BAD_FILTER,
            **READ_REFUSALS,
            **BAD_CURSOR,
        },
        operation_id="certifications_list",
        description="Your body's certifications, each as GET /api/v1/certifications/{id}/ "
        "answers it (its `etag` to send as If-Match with a change), in id order, in cursor "
        "pages (`next`/`previous` links, `page_size` up to 200). Another body's are never "
        "listed. Any read-only or write token of your body may list them.",
    )
    def get(self, request):
        body = token_body(request)
        data = request.query_params.copy()
        for name in PAGE_PARAMETERS:
            data.pop(name, None)
        filterset = BodyCertificationFilterSet(
            data, queryset=writes.body_certifications(body), body=body
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.form.errors)
        page = self.paginate_queryset(filterset.qs)
        answers = [writes.certification_answer(certification, request) for certification in page]
        return self.get_paginated_response(self.get_serializer(answers, many=True).data)

    def cursor_ordering(self):
        return ("pk",)

    @extend_schema(
        request=CertificationCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: BodyCertificationSerializer, **INVALID, **REFUSALS, **REPLAYED},
        operation_id="certification_create",
        description="Register a certification of a training provider by your body: its first "
        "status (working towards, or certified with its certificate), the date and reason of "
        "that first event, and its scope, checked as the admin checks a new certification.",
    )
    def post(self, request):
        def write():
            form = CertificationCreateSerializer(data=request.data, body=token_body(request))
            form.is_valid(raise_exception=True)
            certification = writes.register(form.validated_data, request.user)
            response = self.answer(certification, status.HTTP_201_CREATED)
            response["Location"] = response.data["url"]
            return response

        return idempotent(write)(request)


class CertificationBulkCreate(BodyCertificationView):
    """Register up to 100 certifications in one request, all or nothing: if any record is
    refused, none is written, and `errors` names each refusal by its record's index
    (`certifications.3.provider`)."""

    @extend_schema(
        request=BulkCertificationsSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: BulkResultSerializer, **INVALID, **REFUSALS, **REPLAYED},
        operation_id="certifications_bulk_create",
    )
    def post(self, request):
        def write():
            form = BulkCertificationsSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            created = writes.register_many(
                form.validated_data["certifications"],
                CertificationCreateSerializer,
                token_body(request),
                request.user,
            )
            pks = [c.pk for c in created]
            fresh = {
                c.pk: c for c in writes.body_certifications(token_body(request)).filter(pk__in=pks)
            }
            results = [writes.certification_answer(fresh[pk], request) for pk in pks]
            return Response(
                BulkResultSerializer({"results": results}).data, status=status.HTTP_201_CREATED
            )

        return idempotent(write)(request)


class CertificationDetail(BodyCertificationView):
    """One of your body's certifications, with its full history and who recorded each move."""

    @extend_schema(
        parameters=[ETAG_HEADER],
        responses={200: BodyCertificationSerializer, **REFUSALS, **NOT_FOUND},
        operation_id="certification_retrieve",
    )
    def get(self, request, pk):
        return self.answer(self.certification(pk), reread=False)

    @extend_schema(
        request=CertificationChangeSerializer,
        parameters=[if_match(required=True), ETAG_HEADER],
        responses={
            200: BodyCertificationSerializer,
            **INVALID,
            **REFUSALS,
            **NOT_FOUND,
            **STALE,
            **problems(e428="If-Match was not sent"),
        },
        operation_id="certification_partial_update",
        description="Change a certification's registration date, standards edition, role, "
        "parent, archiving and scope (a list sent replaces the one kept). Its status, "
        "certificate number and certificate dates change only through a status move. Send "
        "the ETag you read as If-Match: 412 if the record changed since, 428 without it.",
    )
    def patch(self, request, pk):
        certification = self.certification(pk)
        check_if_match(request, writes.etag_of(certification), required=True)
        form = CertificationChangeSerializer(
            data=request.data, partial=True, body=token_body(request)
        )
        form.is_valid(raise_exception=True)
        writes.edit(certification, form.validated_data, request.user, certification.version)
        return self.answer(certification)


class CertificationStatusMoves(BodyCertificationView):
    """Record a status move of one of your body's certifications: the moves, reasons, dates
    and certificate rules of the admin's "Change status" page. Answers the certification."""

    @extend_schema(
        request=StatusMoveSerializer,
        parameters=[if_match(required=False), IDEMPOTENCY_KEY_PARAMETER, ETAG_HEADER],
        responses={
            201: BodyCertificationSerializer,
            **INVALID,
            **REFUSALS,
            **NOT_FOUND,
            **STALE,
            **REPLAYED,
        },
        operation_id="certification_status_move_create",
    )
    def post(self, request, pk):
        certification = self.certification(pk)

        def write():
            check_if_match(request, writes.etag_of(certification), required=False)
            form = StatusMoveSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            writes.move(certification, form.validated_data, request.user, certification.version)
            return self.answer(certification, status.HTTP_201_CREATED)

        return idempotent(write)(request)
