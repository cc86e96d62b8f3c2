"""What the organisations' own compliance reads answer (api.views.compliance), as DRF
serializers: they render the answers and describe them in the schema. The values come from
compliance.verdicts and compliance.overview, the rules the pages show; nothing here decides."""

from rest_framework import serializers

from compliance.models import ComplianceCheck, Contract, TrainingArrangement
from compliance.overview import STATE_CHOICES

from .serializers import STATUSES

STATES = ["compliant", "action_needed", "not_compliant"]


class ReasonSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=STATES, help_text="What this reason needs")
    code = serializers.CharField(allow_blank=True, help_text="Its kind, for counting")
    text = serializers.CharField(help_text="In words, as the page says it")


class TrainerRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField(help_text="The training provider's page on the register")


class TrainerVerdictSerializer(serializers.Serializer):
    """The training provider's headline on `on` (verdicts.md, "A provider's headline")."""

    status = serializers.ChoiceField(choices=STATUSES)
    label = serializers.CharField(help_text="In words with its date, as the register shows it")
    since = serializers.DateField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    certificate_number = serializers.CharField(allow_null=True)
    body = serializers.CharField(allow_null=True)
    ukas_number = serializers.CharField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())


class LastCheckSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ComplianceCheck.Outcome.choices)
    next_review_due = serializers.DateField()


class ArrangementSerializer(serializers.Serializer):
    """A current training arrangement of the service, with its state on `on`."""

    id = serializers.IntegerField()
    training_provider = TrainerRefSerializer()
    route = serializers.ChoiceField(choices=TrainingArrangement.Route.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    specialist_content = serializers.ListField(child=serializers.CharField())
    state = serializers.ChoiceField(choices=STATES)
    state_label = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    trainer_verdict = TrainerVerdictSerializer()
    reliance_warning = serializers.CharField(
        allow_null=True, help_text="What relying on this provider means, when it is not valid"
    )
    last_check = LastCheckSerializer(allow_null=True)


class ServiceRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField()


class ContractSerializer(serializers.Serializer):
    reference = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    requires_certified_training = serializers.BooleanField()
    confirmation = serializers.ChoiceField(choices=Contract.Confirmation.choices)
    consent = serializers.CharField(help_text="The service provider's answer, in words")


class ServiceArrangementSerializer(serializers.Serializer):
    training_provider = TrainerRefSerializer()
    status = serializers.ChoiceField(choices=STATUSES, help_text="Its headline on `on`")
    label = serializers.CharField()
    state = serializers.ChoiceField(choices=STATES)


class ServiceLastCheckSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ComplianceCheck.Outcome.choices)


class ContractedServiceSerializer(serializers.Serializer):
    """A contracted service as the commissioner's overview shows it. A service that has not
    confirmed a contract (`shared` false) has its contracts and nothing else: no state,
    reasons, arrangements or checks."""

    service_provider = ServiceRefSerializer()
    shared = serializers.BooleanField(help_text="Whether the service shares its records with you")
    counted = serializers.BooleanField(help_text="Whether a contract requires certified training")
    overview_state = serializers.ChoiceField(
        choices=[key for key, _label in STATE_CHOICES],
        help_text="The overview's state filter this service is in",
    )
    state = serializers.ChoiceField(choices=STATES, allow_null=True)
    state_label = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    contracts = ContractSerializer(many=True)
    arrangements = ServiceArrangementSerializer(many=True)
    last_check = ServiceLastCheckSerializer(allow_null=True)


class StateCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    counted = serializers.IntegerField()
    compliant = serializers.IntegerField()
    action_needed = serializers.IntegerField()
    not_compliant = serializers.IntegerField()
    not_counted = serializers.IntegerField()
    not_shared = serializers.IntegerField()


class ContractedServicesPageSerializer(serializers.Serializer):
    on = serializers.DateField()
    counts = StateCountsSerializer(help_text="Of every service the filters (but `state`) give")
    count = serializers.IntegerField(help_text="Services shown: the filters, with `state`")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ContractedServiceSerializer(many=True)
