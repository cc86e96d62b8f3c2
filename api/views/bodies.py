"""Certification bodies with their UKAS accreditation on a date and its dated history."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from certification.models import AccreditationChange, CertificationBody

from ..dates import ON_PARAMETER, date_asked
from ..serializers import CertificationBodySerializer


def bodies():
    changes = AccreditationChange.objects.order_by("effective_date", "pk")
    return CertificationBody.objects.order_by("name", "pk").prefetch_related(
        Prefetch("accreditation_changes", queryset=changes)
    )


def body_answer(body, on):
    return {
        "slug": body.slug,
        "name": body.name,
        "ukas_number": body.ukas_number,
        "accreditation_standard": body.accreditation_standard,
        "schedule_url": body.schedule_url,
        "website": body.website,
        "last_verified_on": body.last_verified_on,
        "accreditation": body.accreditation_label_on(on),
        "accreditation_counts": body.accreditation_counts_on(on),
        "accreditation_history": [
            {"status": change.status, "effective_date": change.effective_date}
            for change in body.accreditation_changes.all()
        ],
    }


class CertificationBodyList(GenericAPIView):
    """Every certification body (a short list: not paginated)."""

    serializer_class = CertificationBodySerializer
    pagination_class = None

    @extend_schema(
        parameters=[ON_PARAMETER],
        responses=CertificationBodySerializer(many=True),
        operation_id="certification_bodies_list",
    )
    def get(self, request):
        on = date_asked(request)
        answers = [body_answer(body, on) for body in bodies()]
        return Response(self.get_serializer(answers, many=True).data)


class CertificationBodyDetail(GenericAPIView):
    serializer_class = CertificationBodySerializer

    @extend_schema(parameters=[ON_PARAMETER], operation_id="certification_body_retrieve")
    def get(self, request, slug):
        on = date_asked(request)
        body = get_object_or_404(bodies(), slug=slug)
        return Response(self.get_serializer(body_answer(body, on)).data)
