"""Certificates by number, and verification in bulk: the certificate check's answers."""

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.certificate_check import (
    MAX_CERTIFICATE_NUMBER_LENGTH,
    CertificateCheck,
    check_certificate,
    check_certificates,
)
from compliance.verdicts import missing_scope
from providers.querysets import HEADLINE_SLUGS
from standards.models import Population, Region, Setting, SpecialistContent

from ..dates import ON_PARAMETER, OnField, date_asked
from ..register import SCOPE_COLUMNS
from ..serializers import (
    CertificateAnswerSerializer,
    RequiredScopeSerializer,
    VerificationResultSerializer,
)
from ..throttling import VerificationThrottle

MAX_VERIFICATIONS = 100
SCOPE_MODELS = {
    "populations": Population,
    "settings": Setting,
    "regions": Region,
    "specialist_content": SpecialistContent,
}


def certificate_answer(check):
    """The CertificateCheck (certification.certificate_check) as data."""
    found = check.found
    verdict = check.verdict
    certification = check.certification
    return {
        "number": check.number,
        "found": found,
        "register_number": check.register_number,
        "is_current_number": bool(check.is_current_number),
        "is_valid": bool(check.is_valid),
        "label": check.label,
        "sentence": check.sentence,
        "reason": check.reason if found else "",
        "on": check.on,
        "status": HEADLINE_SLUGS[verdict.headline] if found else None,
        "since": check.headline.since if found else None,
        "certificate_number": verdict.certificate_number if found else None,
        "certified_on": verdict.certified_on if found else None,
        "valid_until": verdict.valid_until if found else None,
        "provider": (
            {"slug": certification.provider.slug, "name": certification.provider.name}
            if found
            else None
        ),
        "body": (
            {
                "slug": certification.body.slug,
                "name": certification.body.name,
                "ukas_number": certification.body.ukas_number,
            }
            if found
            else None
        ),
        "scope": (
            {column: list(check.scope[column]) for column in SCOPE_COLUMNS} if found else None
        ),
    }


class CertificateDetail(GenericAPIView):
    """One certificate by number (any case, spacing or separators, as the certificate
    check): its verdict on `on`. A replaced number is found, and says so."""

    serializer_class = CertificateAnswerSerializer

    @extend_schema(parameters=[ON_PARAMETER], operation_id="certificate_retrieve")
    def get(self, request, number):
        on = date_asked(request)
        if len(number) > MAX_CERTIFICATE_NUMBER_LENGTH or "\x00" in number:
            raise NotFound("No certificate with this number is on the register")
        check = check_certificate(number, on)
        if check is None or not check.found:
            raise NotFound("No certificate with this number is on the register")
        return Response(self.get_serializer(certificate_answer(check)).data)


class VerificationRequestSerializer(serializers.Serializer):
    certificates = serializers.ListField(
        child=serializers.CharField(max_length=MAX_CERTIFICATE_NUMBER_LENGTH, allow_blank=False),
        min_length=1,
        max_length=MAX_VERIFICATIONS,
        help_text=f"Up to {MAX_VERIFICATIONS} certificate numbers",
    )
    on = OnField(help_text="The date to answer for; today when left out")
    scope = RequiredScopeSerializer(
        required=False, help_text="Scope each certificate must cover (vocabulary slugs)"
    )

    def validate_scope(self, scope):
        """{column: [terms]}: every slug must be a term of its vocabulary (one query each)."""
        terms = {}
        errors = {}
        for column, slugs in scope.items():
            found = {t.slug: t for t in SCOPE_MODELS[column].objects.filter(slug__in=slugs)}
            unknown = [slug for slug in slugs if slug not in found]
            if unknown:
                errors[column] = [
                    f"“{slug}” is not in the register's vocabulary" for slug in unknown
                ]
            terms[column] = list(found.values())
        if errors:
            raise ValidationError(errors)
        return terms


def _scope_check(check, required):
    if required is None:
        return None, []
    if not check.found:
        return False, []
    missing = [
        str(term)
        for column, terms in required.items()
        for term in missing_scope(terms, getattr(check.certification, column).all())
    ]
    return not missing, missing


class Verifications(APIView):
    """Up to 100 certificate numbers in one request, each answered with its verdict, in the
    order given; a number not on the register gets `found: false`."""

    throttle_classes = [VerificationThrottle]

    @extend_schema(
        request=VerificationRequestSerializer,
        responses=VerificationResultSerializer,
        operation_id="verifications_create",
    )
    def post(self, request):
        form = VerificationRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        on = form.validated_data.get("on") or date_asked(request)
        required = form.validated_data.get("scope")
        numbers = form.validated_data["certificates"]
        checks = check_certificates(numbers, on)
        if required:
            # The scope asked for is compared by term: the found certifications' terms of
            # those lists (the checks hold their labels only), one query a list.
            found = [check.certification for check in checks if check is not None and check.found]
            prefetch_related_objects(found, *required)
        results = []
        for number, check in zip(numbers, checks, strict=True):
            if check is None:  # nothing but separators: no number to look for
                check = _not_found(number, on)
            answer = certificate_answer(check)
            answer["scope_covers"], answer["scope_missing"] = _scope_check(check, required)
            results.append(answer)
        return Response(VerificationResultSerializer({"on": on, "results": results}).data)


def _not_found(number, on):
    return CertificateCheck(number="".join(str(number).split()).upper(), on=on)
