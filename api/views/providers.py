"""Training providers: the register's list (its FilterSet, cursor pages) and one provider."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from providers.filters import SORT_CHOICES, STATUS_CHOICES, TrainingProviderFilterSet
from providers.models import TrainingProvider
from providers.profile import provider_profile
from providers.querysets import HEADLINE_SLUGS

from ..dates import ON_PARAMETER, date_asked
from ..pagination import RegisterCursorPagination
from ..register import SCOPE_COLUMNS, page_rows
from ..serializers import TrainingProviderDetailSerializer, TrainingProviderSerializer

# The register's sorts as cursor orderings (the FilterSet's own order_by, in fields the
# cursor can hold): the first field is what the cursor's position is kept in.
CURSOR_ORDERINGS = {
    "name": ("name", "pk"),
    "status": ("headline_rank", "name", "pk"),
    "valid_until": ("headline_rank", "headline_valid_until", "name", "pk"),
}


def _many(name, description, choices=None):
    return OpenApiParameter(
        name, OpenApiTypes.STR, many=True, explode=True, description=description, enum=choices
    )


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Name, town, postcode or certificate"),
    _many("status", "Status on `on`", [slug for slug, _ in STATUS_CHOICES]),
    _many("region", "Region slug: based in, serving, or certified for"),
    _many("population", "Population slug"),
    _many("setting", "Setting slug"),
    _many("specialist", "Specialist content slug"),
    _many("body", "Certification body slug"),
    _many("kind", "Kind of provider", [value for value, _ in TrainingProvider.Kind.choices]),
    OpenApiParameter("ukas_valid", OpenApiTypes.BOOL, description="Only UKAS-accredited bodies"),
    OpenApiParameter("expiring", OpenApiTypes.INT, description="Certificate ends within N days"),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=[value for value, _ in SORT_CHOICES]),
    ON_PARAMETER,
]


class TrainingProviderList(GenericAPIView):
    """The register: the same filters and search as /providers/ (one FilterSet), each
    provider with its headline on `on`."""

    pagination_class = RegisterCursorPagination
    serializer_class = TrainingProviderSerializer

    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses=TrainingProviderSerializer(many=True),
        operation_id="training_providers_list",
    )
    def get(self, request):
        self.on = date_asked(request)
        data = request.query_params.copy()
        for name in ("on", "cursor", "page_size"):
            data.pop(name, None)
        self.filterset = TrainingProviderFilterSet(
            data, queryset=TrainingProvider.objects.active(), on=self.on
        )
        if not self.filterset.is_valid():
            raise ValidationError(self.filterset.form.errors)
        queryset = self.filterset.qs
        if self.filterset.sort_value != "name":
            queryset = queryset.with_headline(self.on, self.filterset.not_counting)
        # The page's providers by the filters alone, as the values the cursor reads; only
        # those are then joined to their headline periods (as the register's page does).
        page = self.paginate_queryset(queryset.values(*dict.fromkeys(self.cursor_ordering())))
        rows = page_rows(
            [provider["pk"] for provider in page],
            self.on,
            request.build_absolute_uri("/"),
            self.filterset.not_counting,
        )
        # The rows are already what the serializer gives (api.register.provider_rows builds
        # them in its shape, of types the renderer writes as its fields do): it describes the
        # list in the schema, and copying a page's rows through it cost a tenth of a request.
        return self.get_paginated_response(rows)

    def cursor_ordering(self):
        return CURSOR_ORDERINGS[self.filterset.sort_value]


def _history(certification):
    return [
        {
            "id": event.pk,
            "certificate_number": event.certificate_number,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "effective_date": event.effective_date,
            "reason": event.reason,
            "certified_on": event.certified_on,
            "valid_until": event.valid_until,
            "recorded_at": event.recorded_at,
        }
        for event in reversed(certification.ordered_events())
    ]


def certification_answer(panel, on):
    certification, verdict, tag = panel.certification, panel.verdict, panel.tag
    return {
        "certificate_number": certification.certificate_number,
        "role": certification.role,
        "parent_certificate_number": (
            certification.parent.certificate_number if certification.parent_id else None
        ),
        "body": {
            "slug": certification.body.slug,
            "name": certification.body.name,
            "ukas_number": certification.body.ukas_number,
        },
        "body_accreditation": panel.body_accreditation_label,
        "body_accredited": panel.body_accredited,
        "status": HEADLINE_SLUGS[tag.kind],
        "label": tag.label,
        "since": tag.since,
        "reason": tag.reason,
        "registered_on": certification.registered_on,
        "certified_on": verdict.certified_on,
        "valid_until": verdict.valid_until,
        "standards_edition": str(certification.standards_edition),
        "scope": {column: panel.scope[column] for column in SCOPE_COLUMNS},
        "history": _history(certification),
    }


class TrainingProviderDetail(GenericAPIView):
    """A provider: its headline on `on`, every certification with its verdict, scope and
    full history."""

    serializer_class = TrainingProviderDetailSerializer

    @extend_schema(parameters=[ON_PARAMETER], operation_id="training_provider_retrieve")
    def get(self, request, slug):
        on = date_asked(request)
        provider = get_object_or_404(
            TrainingProvider.objects.active().for_provider_page(), slug=slug
        )
        (row,) = page_rows([provider.pk], on, request.build_absolute_uri("/"))
        profile = provider_profile(provider, on)
        row.update(
            website=provider.website,
            regions_served=profile["regions_served"],
            certifications=[certification_answer(panel, on) for panel in profile["panels"]],
        )
        return Response(self.get_serializer(row).data)
