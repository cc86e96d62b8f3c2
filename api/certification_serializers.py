"""The certification bodies' own records through the API: what a write sends, and what a
body reads of its own certifications (private: who recorded each move, the version).

These serializers check types and find the records named (by slug, or by id among the
body's own); the rules (allowed moves, dates, reasons, certificate numbers, scope) are the
admin's, in `certification.services`, applied by `api.certification_writes`.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification.models import Certification
from certification.statuses import ALLOWED_MOVES, Status
from providers.models import Curriculum, TrainingProvider
from standards.models import Population, Region, Setting, SpecialistContent, StandardsEdition

from .dates import OnField

MAX_LIST = 100
MAX_ID = 2**31 - 1
SCOPE_MODELS = {
    "populations": Population,
    "settings": Setting,
    "regions": Region,
    "specialist_content": SpecialistContent,
}
# Changed only by a status move (POST …/status-moves/); fixed once registered.
MOVE_FIELDS = ("status", "certificate_number", "certified_on", "valid_until")
FIXED_FIELDS = ("provider", "body")
# The statuses a certification starts in (named in the schema: config/settings.py).
FIRST_STATUSES = [(s.value, s.label) for s in Status if s in ALLOWED_MOVES[None]]


class DateField(OnField):
    """A date in YYYY-MM-DD, in the range every date of the API takes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)


def _text(**kwargs):
    """Text without NUL characters (which no database column takes)."""

    def no_nul(value):
        if "\x00" in value:
            raise serializers.ValidationError("Remove the NUL character from this text")

    return serializers.CharField(validators=[no_nul], **kwargs)


def _slugs(help_text):
    return serializers.ListField(
        child=serializers.SlugField(max_length=100),
        max_length=MAX_LIST,
        required=False,
        help_text=help_text,
    )


class CertificationFieldsSerializer(serializers.Serializer):
    """The fields a body sets when it registers a certification and may change later."""

    role = serializers.ChoiceField(choices=Certification.Role.choices, required=False)
    parent = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        allow_null=True,
        required=False,
        help_text="For an affiliate: the id of its parent certification (one of your body's)",
    )
    standards_edition = serializers.SlugField(
        max_length=100, required=False, help_text="Slug of the edition; the current one if left out"
    )
    registered_on = DateField(required=False, help_text="When the application was registered")
    populations = _slugs("Population slugs (GET /api/v1/vocabulary/)")
    settings = _slugs("Setting slugs")
    regions = _slugs("Region slugs")
    specialist_content = _slugs("Specialist content slugs")
    curricula = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_LIST,
        required=False,
        help_text="Ids of the provider's curricula (or, for an affiliate, its parent's)",
    )

    def __init__(self, *args, body=None, **kwargs):
        self.body = body
        super().__init__(*args, **kwargs)

    def validate(self, data):
        """The records named, found: vocabulary by slug, curricula and the parent by id (the
        parent only among the body's own certifications, as the admin offers)."""
        errors = {}
        for column, model in SCOPE_MODELS.items():
            if column in data:
                found = {t.slug: t for t in model.objects.filter(slug__in=data[column])}
                unknown = [slug for slug in data[column] if slug not in found]
                if unknown:
                    errors[column] = [
                        f"“{slug}” is not in the register's vocabulary" for slug in unknown
                    ]
                data[column] = list(found.values())
        if "curricula" in data:
            found = {c.pk: c for c in Curriculum.objects.filter(pk__in=data["curricula"])}
            unknown = [pk for pk in data["curricula"] if pk not in found]
            if unknown:
                errors["curricula"] = [f"There is no curriculum {pk}" for pk in unknown]
            data["curricula"] = list(found.values())
        if data.get("parent") is not None:
            parent = (
                Certification.objects.filter(body=self.body, pk=data["parent"])
                .select_related("provider", "body")
                .first()
            )
            if parent is None:
                errors["parent"] = [
                    "Choose one of your body's certifications as the parent: there is none "
                    f"with id {data['parent']}"
                ]
            data["parent"] = parent
        if "standards_edition" in data:
            edition = StandardsEdition.objects.filter(slug=data["standards_edition"]).first()
            if edition is None:
                errors["standards_edition"] = ["There is no standards edition with this slug"]
            data["standards_edition"] = edition
        if errors:
            raise serializers.ValidationError(errors)
        return data

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: [self.unknown_field_message(name)] for name in sorted(unknown)}
                )
        return super().to_internal_value(data)

    def unknown_field_message(self, name):
        return "This is not a field of a certification: leave it out"


class CertificateFieldsSerializer(serializers.Serializer):
    certificate_number = _text(
        max_length=40, required=False, allow_blank=True, help_text="Only for a move to certified"
    )
    certified_on = DateField(required=False, allow_null=True, help_text="The certificate starts")
    valid_until = DateField(required=False, allow_null=True, help_text="The certificate ends")


class CertificationCreateSerializer(CertificationFieldsSerializer, CertificateFieldsSerializer):
    """A new certification: its provider, first status (working towards, or certified with
    its certificate), the date and reason of that first event, and its scope."""

    provider = serializers.SlugField(max_length=220, help_text="The training provider's slug")
    body = serializers.SlugField(
        max_length=220,
        required=False,
        help_text="Your body's slug (optional: a token acts for its own body only)",
    )
    status = serializers.ChoiceField(
        choices=FIRST_STATUSES,
        default=Status.WORKING_TOWARDS,
    )
    effective_date = DateField(help_text="When the first status takes effect (not in the future)")
    # Blank is the service's to refuse, in the admin's words.
    reason = _text(max_length=2000, allow_blank=True, help_text="Why: shown in the public history")

    def validate(self, data):
        errors = {}
        provider = TrainingProvider.objects.filter(slug=data["provider"]).first()
        if provider is None:
            errors["provider"] = ["There is no training provider with this slug"]
        if "body" in data and data["body"] != self.body.slug:
            errors["body"] = [
                f"This token acts for {self.body}: register your own body's certifications only"
            ]
        try:
            data = super().validate(data)
        except serializers.ValidationError as error:
            errors.update(error.detail)
        if errors:
            raise serializers.ValidationError(errors)
        data["provider"] = provider
        data["body"] = self.body
        return data


class CertificationChangeSerializer(CertificationFieldsSerializer):
    """A change of dates or scope: only the fields sent change (a list sent replaces it)."""

    is_archived = serializers.BooleanField(required=False)

    def unknown_field_message(self, name):
        if name in MOVE_FIELDS:
            return (
                "Status, certificate number and certificate dates change only through a "
                "status move: POST /api/v1/certifications/{id}/status-moves/"
            )
        if name in FIXED_FIELDS:
            return "A certification's provider and body cannot change"
        return super().unknown_field_message(name)


class StatusMoveSerializer(CertificateFieldsSerializer):
    """A status move, as the admin's "Change status" page records it."""

    to_status = serializers.ChoiceField(choices=Status.choices)
    effective_date = DateField(help_text="When the move takes effect (not in the future)")
    # Blank is the service's to refuse, in the admin's words.
    reason = _text(max_length=2000, allow_blank=True, help_text="Why: shown in the public history")


@extend_schema_field(CertificationCreateSerializer(many=True))
class CertificationRecordsField(serializers.ListField):
    """The records of a bulk upload: each is checked as one POST /api/v1/certifications/
    (by `api.certification_writes.register_many`, which knows the token's body)."""


class BulkCertificationsSerializer(serializers.Serializer):
    certifications = CertificationRecordsField(
        child=serializers.JSONField(),
        min_length=1,
        max_length=MAX_LIST,
        help_text=f"Up to {MAX_LIST} new certifications, each as POST /api/v1/certifications/",
    )


# --- answers --------------------------------------------------------------------------


class RecordRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CurriculumRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField()
    effective_date = serializers.DateField()
    reason = serializers.CharField()
    certificate_number = serializers.CharField(allow_null=True)
    certified_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    recorded_by = serializers.CharField(
        allow_null=True, help_text="Who recorded it (empty: the system, e.g. the expiry job)"
    )
    recorded_at = serializers.DateTimeField()


class BodyCertificationSerializer(serializers.Serializer):
    """One of the body's certifications as it keeps it (private to the body)."""

    id = serializers.IntegerField()
    url = serializers.CharField(help_text="This record in the API")
    provider = RecordRefSerializer()
    body = RecordRefSerializer()
    role = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    certificate_number = serializers.CharField(allow_null=True)
    certified_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    registered_on = serializers.DateField()
    standards_edition = serializers.CharField(help_text="The edition's slug")
    is_archived = serializers.BooleanField()
    populations = serializers.ListField(child=serializers.CharField())
    settings = serializers.ListField(child=serializers.CharField())
    regions = serializers.ListField(child=serializers.CharField())
    specialist_content = serializers.ListField(child=serializers.CharField())
    curricula = CurriculumRefSerializer(many=True)
    version = serializers.IntegerField(help_text="Raised by every change")
    etag = serializers.CharField(help_text="The ETag to send as If-Match with a change")
    history = EventSerializer(many=True)


class BulkResultSerializer(serializers.Serializer):
    results = BodyCertificationSerializer(many=True)
