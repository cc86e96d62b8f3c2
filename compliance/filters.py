"""FilterSets of the compliance pages: one serves a list and its export."""

import django_filters

from providers.models import TrainingProvider

from .models import ComplianceCheck


class ComplianceCheckFilterSet(django_filters.FilterSet):
    """A service's checks, by training provider and outcome. Unknown values are form errors."""

    training_provider = django_filters.ModelChoiceFilter(
        label="Training provider",
        field_name="arrangement__training_provider",
        queryset=TrainingProvider.objects.none(),
        to_field_name="slug",
        empty_label="All training providers",
    )
    outcome = django_filters.ChoiceFilter(
        label="Outcome",
        choices=ComplianceCheck.Outcome.choices,
        empty_label="All outcomes",
    )

    class Meta:
        model = ComplianceCheck
        fields = ["training_provider", "outcome"]

    def __init__(self, data=None, *args, service_provider, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["training_provider"].queryset = TrainingProvider.objects.filter(
            training_arrangements__service_provider=service_provider
        ).distinct()
        for field in self.form.fields.values():
            field.error_messages["invalid_choice"] = "Choose one of the options in the list"
