"""The RRN Training Standards (editions, sections, standards, clauses) and the vocabulary."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from standards.models import (
    Population,
    Region,
    Section,
    Setting,
    SpecialistContent,
    Standard,
    StandardsEdition,
)

from ..serializers import (
    StandardsEditionDetailSerializer,
    StandardsEditionSerializer,
    VocabularySerializer,
)

EDITION_FIELDS = ("slug", "name", "edition", "version", "published", "is_current")


def _edition(edition):
    return {name: getattr(edition, name) for name in EDITION_FIELDS}


class StandardsEditionList(GenericAPIView):
    serializer_class = StandardsEditionSerializer
    pagination_class = None

    @extend_schema(
        responses=StandardsEditionSerializer(many=True), operation_id="standards_editions_list"
    )
    def get(self, request):
        editions = StandardsEdition.objects.order_by("-published", "pk")
        return Response(self.get_serializer([_edition(e) for e in editions], many=True).data)


class StandardsEditionDetail(GenericAPIView):
    """An edition with its sections, their standards and the standards' clauses."""

    serializer_class = StandardsEditionDetailSerializer

    @extend_schema(operation_id="standards_edition_retrieve")
    def get(self, request, slug):
        standards = Standard.objects.order_by("pk").prefetch_related("clauses")
        sections = Section.objects.order_by("number").prefetch_related(
            Prefetch("standards", queryset=standards)
        )
        edition = get_object_or_404(
            StandardsEdition.objects.prefetch_related(Prefetch("sections", queryset=sections)),
            slug=slug,
        )
        answer = _edition(edition)
        answer["sections"] = [
            {
                "number": section.number,
                "title": section.title,
                "summary": section.summary,
                "standards": [
                    {
                        "number": standard.number,
                        "title": standard.title,
                        "clauses": [
                            {"number": clause.number, "title": clause.title}
                            for clause in sorted(standard.clauses.all(), key=lambda c: c.pk)
                        ],
                    }
                    for standard in section.standards.all()
                ],
            }
            for section in edition.sections.all()
        ]
        return Response(self.get_serializer(answer).data)


VOCABULARIES = {
    "populations": Population,
    "settings": Setting,
    "regions": Region,
    "specialist_content": SpecialistContent,
}


class Vocabulary(GenericAPIView):
    """The scope vocabulary: the slugs the filters and the verification scope take."""

    serializer_class = VocabularySerializer
    pagination_class = None

    @extend_schema(operation_id="vocabulary_retrieve")
    def get(self, request):
        answer = {
            name: [{"slug": t.slug, "label": t.label} for t in model.objects.all()]
            for name, model in VOCABULARIES.items()
        }
        return Response(self.get_serializer(answer).data)
