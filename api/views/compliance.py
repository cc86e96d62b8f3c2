"""Service providers and commissioners read their own compliance (issue 17, part 5): the
answers of the pages, from the same querysets and rules (compliance.verdicts,
compliance.overview, compliance.reliance), for a token of the organisation or a member's
session (api.organisations). Another organisation's address is a 404."""

from dataclasses import asdict

from django.db.models import F
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from compliance.filters import ContractedServiceFilterSet
from compliance.models import Commissioner, ServiceProvider, TrainingArrangement
from compliance.overview import (
    SORT_CHOICES,
    STATE_CHOICES,
    contracts_on,
    count_states,
    filter_state,
    overview_rows,
    sort_rows,
    state_key,
)
from compliance.reliance import reliance_warning
from compliance.verdicts import arrangement_verdict
from providers.querysets import HEADLINE_SLUGS

from ..compliance_serializers import (
    ArrangementSerializer,
    ContractedServiceSerializer,
    ContractedServicesPageSerializer,
)
from ..dates import ON_PARAMETER, date_asked
from ..organisations import ORGANISATION_AUTHENTICATION, ORGANISATION_PERMISSIONS, organisation_for
from ..pagination import RegisterCursorPagination

STATE_NAMES = {0: "compliant", 1: "action_needed", 2: "not_compliant"}
STATE_LABELS = dict(STATE_CHOICES)


def _reasons(reasons):
    return [{"state": STATE_NAMES[r.state], "code": r.code, "text": r.text} for r in reasons]


def _trainer(provider, request):
    return {
        "slug": provider.slug,
        "name": provider.name,
        "url": request.build_absolute_uri(provider.get_absolute_url()),
    }


def _trainer_verdict(headline):
    verdict = headline.verdict
    certification = headline.certification
    return {
        "status": HEADLINE_SLUGS[headline.kind],
        "label": headline.label,
        "since": headline.since,
        "reason": headline.reason,
        "certificate_number": verdict.certificate_number if verdict else None,
        "body": certification.body.name if certification else None,
        "ukas_number": certification.body.ukas_number if certification else None,
        "valid_until": verdict.valid_until if verdict else None,
        "warnings": list(headline.warnings),
    }


def arrangement_answer(verdict, request):
    arrangement, headline, check = verdict.arrangement, verdict.headline, verdict.last_check
    provider = arrangement.training_provider
    return {
        "id": arrangement.pk,
        "training_provider": _trainer(provider, request),
        "route": arrangement.route,
        "starts_on": arrangement.starts_on,
        "ends_on": arrangement.ends_on,
        "specialist_content": [str(term) for term in arrangement.specialist_content.all()],
        "state": STATE_NAMES[verdict.state],
        "state_label": verdict.state.label,
        "reasons": _reasons(verdict.reasons),
        "trainer_verdict": _trainer_verdict(headline),
        "reliance_warning": reliance_warning(provider.name, headline),
        "last_check": (
            {
                "checked_on": check.checked_on,
                "outcome": check.outcome,
                "next_review_due": check.next_review_due,
            }
            if check
            else None
        ),
    }


class ServiceProviderArrangements(GenericAPIView):
    """The service provider's training arrangements current on `on`, each with its
    training provider's verdict, its state and the reasons for it, as the service's
    dashboard shows them; in training provider name order, cursor pages."""

    authentication_classes = ORGANISATION_AUTHENTICATION
    permission_classes = ORGANISATION_PERMISSIONS
    pagination_class = RegisterCursorPagination
    serializer_class = ArrangementSerializer

    @extend_schema(
        parameters=[ON_PARAMETER],
        responses=ArrangementSerializer(many=True),
        operation_id="service_provider_arrangements_list",
    )
    def get(self, request, slug):
        service_provider = organisation_for(request, ServiceProvider, slug)
        on = date_asked(request)
        arrangements = (
            TrainingArrangement.objects.filter(service_provider=service_provider)
            .current_on(on)
            .with_verdict_data()
            .annotate(provider_name=F("training_provider__name"))
        )
        page = self.paginate_queryset(arrangements)
        answers = [arrangement_answer(arrangement_verdict(a, on), request) for a in page]
        return self.get_paginated_response(self.get_serializer(answers, many=True).data)

    def cursor_ordering(self):
        return ("provider_name", "pk")


class ServicesPagination(PageNumberPagination):
    """Pages of the overview's rows: they are worked out (and sorted) in Python after the
    database filters (compliance.overview), so they are numbered as on the page."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    invalid_page_message = "There is no such page: start again from page 1"

    def get_page_size(self, request):
        try:
            return super().get_page_size(request)
        except (OverflowError, ValueError):
            return self.page_size


def _slug_parameter(name, description):
    return OpenApiParameter(name, OpenApiTypes.STR, description=description)


SERVICE_PARAMETERS = [
    ON_PARAMETER,
    OpenApiParameter("q", OpenApiTypes.STR, description="Service name, CQC location ID or ref"),
    OpenApiParameter(
        "state", OpenApiTypes.STR, enum=[key for key, _ in STATE_CHOICES], description="State"
    ),
    _slug_parameter("region", "Region slug of the service"),
    _slug_parameter("training_provider", "Services relying on this training provider (slug)"),
    _slug_parameter("body", "Services relying on this certification body (slug)"),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=[key for key, _ in SORT_CHOICES]),
    OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1"),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Services a page (up to 200)"),
]


def _state_label(row):
    if not row.shared:
        return "Not shared"
    return row.state.label if row.counted else "Not counted"


def service_answer(row, request):
    """One overview row (compliance.verdicts.ContractedServiceVerdict) as data. A row that is
    not shared has its contracts only, as on the page."""
    service = row.service_provider
    check = row.last_check if row.shared else None
    return {
        "service_provider": {
            "slug": service.slug,
            "name": service.name,
            "region": service.region.label,
        },
        "shared": row.shared,
        "counted": row.counted,
        "overview_state": state_key(row),
        "state": STATE_NAMES[row.state] if row.shared else None,
        "state_label": _state_label(row),
        "reasons": _reasons(row.reasons) if row.shared else [],
        "contracts": [
            {
                "reference": contract.reference,
                "starts_on": contract.starts_on,
                "ends_on": contract.ends_on,
                "requires_certified_training": contract.requires_certified_training,
                "confirmation": contract.confirmation,
                "consent": contract.consent_label,
            }
            for contract in row.contracts
        ],
        "arrangements": [
            {
                "training_provider": _trainer(a.arrangement.training_provider, request),
                "status": HEADLINE_SLUGS[a.headline.kind],
                "label": a.headline.label,
                "state": STATE_NAMES[a.state],
            }
            for a in (row.arrangements if row.shared else [])
        ],
        "last_check": (
            {"checked_on": check.checked_on, "outcome": check.outcome} if check else None
        ),
    }


class CommissionerServices(GenericAPIView):
    """The commissioner's contracted services on `on`, with their states and reasons: the
    compliance overview, with its filters and sorts. A service's state, reasons,
    arrangements and checks are shown only while a confirmed contract grants access to them
    (ContractQuerySet.granting_access_on); the others are "not_shared", with their
    contracts only."""

    authentication_classes = ORGANISATION_AUTHENTICATION
    permission_classes = ORGANISATION_PERMISSIONS
    pagination_class = ServicesPagination
    serializer_class = ContractedServiceSerializer

    @extend_schema(
        parameters=SERVICE_PARAMETERS,
        responses=ContractedServicesPageSerializer,
        operation_id="commissioner_services_list",
    )
    def get(self, request, slug):
        commissioner = organisation_for(request, Commissioner, slug)
        on = date_asked(request)
        data = request.query_params.copy()
        for name in ("page", "page_size"):
            data.pop(name, None)
        data["on"] = on.isoformat()
        filterset = ContractedServiceFilterSet(
            data, queryset=contracts_on(commissioner, on), commissioner=commissioner
        )
        if not filterset.form.is_valid():
            raise ValidationError(filterset.form.errors)
        rows = overview_rows(filterset.qs, on)
        counts = count_states(rows)
        shown = sort_rows(filter_state(rows, filterset.cleaned("state")), filterset.cleaned("sort"))
        page = self.paginate_queryset(shown)
        answers = [service_answer(row, request) for row in page]
        paginated = self.get_paginated_response(self.get_serializer(answers, many=True).data)
        answer = {
            "on": on,
            "counts": {**asdict(counts), "counted": counts.counted},
            **paginated.data,
        }
        return Response(ContractedServicesPageSerializer(answer).data)
