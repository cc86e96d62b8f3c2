"""What the API answers, as DRF serializers: they render the answers and describe them in the
OpenAPI schema. The values come from the code the pages use (providers.exports,
certification.verdicts, certification.certificate_check); nothing here decides a verdict."""

from rest_framework import serializers

from providers.querysets import HEADLINE_SLUGS

STATUSES = list(HEADLINE_SLUGS.values())


class ScopeSerializer(serializers.Serializer):
    regions = serializers.ListField(child=serializers.CharField())
    populations = serializers.ListField(child=serializers.CharField())
    settings = serializers.ListField(child=serializers.CharField())
    specialist_content = serializers.ListField(child=serializers.CharField())


class HeadlineSerializer(serializers.Serializer):
    """A provider's headline on a date (verdicts.md, "A provider's headline on D")."""

    on = serializers.DateField()
    status = serializers.ChoiceField(choices=STATUSES)
    label = serializers.CharField(help_text="In words with its date, as the register shows it")
    since = serializers.DateField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    certificate_number = serializers.CharField(allow_null=True)
    body = serializers.CharField(allow_null=True)
    ukas_number = serializers.CharField(allow_null=True)
    certified_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    scope = ScopeSerializer()
    warnings = serializers.ListField(child=serializers.CharField())


class TrainingProviderSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    town = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_null=True)
    url = serializers.URLField(help_text="The provider's page on the register")
    headline = HeadlineSerializer()


class BodyRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    ukas_number = serializers.CharField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    certificate_number = serializers.CharField(allow_null=True)
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField()
    effective_date = serializers.DateField()
    reason = serializers.CharField()
    certified_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    recorded_at = serializers.DateTimeField()


class CertificationSerializer(serializers.Serializer):
    certificate_number = serializers.CharField(allow_null=True)
    role = serializers.CharField()
    parent_certificate_number = serializers.CharField(allow_null=True)
    body = BodyRefSerializer()
    body_accreditation = serializers.CharField(help_text="The body's UKAS accreditation on `on`")
    body_accredited = serializers.BooleanField()
    status = serializers.ChoiceField(choices=STATUSES, help_text="This certification on `on`")
    label = serializers.CharField()
    since = serializers.DateField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    registered_on = serializers.DateField()
    certified_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    standards_edition = serializers.CharField()
    scope = ScopeSerializer()
    history = HistoryEntrySerializer(many=True)


class TrainingProviderDetailSerializer(TrainingProviderSerializer):
    website = serializers.CharField(allow_blank=True)
    regions_served = serializers.ListField(child=serializers.CharField())
    certifications = CertificationSerializer(many=True)


class ProviderRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CertificateAnswerSerializer(serializers.Serializer):
    """The certificate check's answer for one number."""

    number = serializers.CharField(help_text="The number as asked, tidied")
    found = serializers.BooleanField()
    register_number = serializers.CharField(allow_null=True)
    is_current_number = serializers.BooleanField()
    is_valid = serializers.BooleanField()
    label = serializers.CharField()
    sentence = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    on = serializers.DateField()
    status = serializers.ChoiceField(choices=STATUSES, allow_null=True)
    since = serializers.DateField(allow_null=True)
    certificate_number = serializers.CharField(allow_null=True)
    certified_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    provider = ProviderRefSerializer(allow_null=True)
    body = BodyRefSerializer(allow_null=True)
    scope = ScopeSerializer(allow_null=True)


class AccreditationChangeSerializer(serializers.Serializer):
    status = serializers.CharField()
    effective_date = serializers.DateField()


class CertificationBodySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    ukas_number = serializers.CharField(allow_null=True)
    accreditation_standard = serializers.CharField()
    schedule_url = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    last_verified_on = serializers.DateField(allow_null=True)
    accreditation = serializers.CharField(help_text="Its UKAS accreditation on `on`, in words")
    accreditation_counts = serializers.BooleanField(
        help_text="Accredited on `on`, to ISO/IEC 17065 (verdicts.md, condition 3)"
    )
    accreditation_history = AccreditationChangeSerializer(many=True)


class TermSerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField()


class VocabularySerializer(serializers.Serializer):
    populations = TermSerializer(many=True)
    settings = TermSerializer(many=True)
    regions = TermSerializer(many=True)
    specialist_content = TermSerializer(many=True)


class ClauseSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField(allow_blank=True)


class StandardSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    clauses = ClauseSerializer(many=True)


class SectionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    standards = StandardSerializer(many=True)


class StandardsEditionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    edition = serializers.CharField()
    version = serializers.CharField()
    published = serializers.DateField()
    is_current = serializers.BooleanField()


class StandardsEditionDetailSerializer(StandardsEditionSerializer):
    sections = SectionSerializer(many=True)


CHANGE_KINDS = ["status", "certification", "provider", "body", "accreditation"]
CHANGE_ACTIONS = ["added", "changed", "archived", "brought_back"]


class ChangeSerializer(serializers.Serializer):
    """One change: a status move (`kind` "status") or a change of a record (any other kind).
    A field that does not apply to the kind is null."""

    id = serializers.IntegerField(
        help_text="The change's id among changes of its kind ("
        "status moves or the others; not a cursor: ids do not follow commit order)"
    )
    cursor = serializers.CharField(
        help_text="The `since` that gives the changes after this one (opaque)"
    )
    kind = serializers.ChoiceField(
        choices=CHANGE_KINDS,
        help_text="What changed: `status` a certification's status, `certification` its "
        "other details, `provider` a training provider, `body` a certification body, "
        "`accreditation` a body's UKAS accreditation",
    )
    action = serializers.ChoiceField(
        choices=CHANGE_ACTIONS,
        allow_null=True,
        help_text="For a change of a record: `added`, `changed` (read it again), `archived` "
        "(it has left the register: remove it) or `brought_back` (read it again); null for "
        "a status move",
    )
    provider = ProviderRefSerializer(
        allow_null=True, help_text="The provider changed, or whose certification changed"
    )
    body = BodyRefSerializer(
        allow_null=True, help_text="The body changed, or whose certification changed"
    )
    certificate_number = serializers.CharField(allow_null=True)
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField(allow_null=True)
    change = serializers.CharField(help_text="The change in words")
    effective_date = serializers.DateField(
        allow_null=True, help_text="For a status move or an accreditation change"
    )
    reason = serializers.CharField(allow_null=True, help_text="For a status move")
    recorded_at = serializers.DateTimeField()


class ChangeFeedSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next_since = serializers.CharField(
        allow_null=True,
        help_text="The `since` for the next request, an opaque cursor such as `1234-56` "
        "(null: no change yet and no `since` given)",
    )
    more = serializers.BooleanField(help_text="Whether more changes are waiting now")


class RequiredScopeSerializer(serializers.Serializer):
    populations = serializers.ListField(
        child=serializers.SlugField(), required=False, max_length=50
    )
    settings = serializers.ListField(child=serializers.SlugField(), required=False, max_length=50)
    regions = serializers.ListField(child=serializers.SlugField(), required=False, max_length=50)
    specialist_content = serializers.ListField(
        child=serializers.SlugField(), required=False, max_length=50
    )


class VerificationAnswerSerializer(CertificateAnswerSerializer):
    scope_covers = serializers.BooleanField(
        allow_null=True, help_text="Whether its scope covers the required scope (null: none asked)"
    )
    scope_missing = serializers.ListField(child=serializers.CharField())


class VerificationResultSerializer(serializers.Serializer):
    on = serializers.DateField()
    results = VerificationAnswerSerializer(many=True)
