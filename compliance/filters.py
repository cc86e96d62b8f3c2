"""FilterSets of the compliance pages: one serves a list and its export."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from certification.models import CertificationBody
from pages.dates import DateFilter
from pages.forms import ChoicesSelect
from pages.long_choices import NamedModelChoiceFilter
from providers.models import TrainingProvider
from standards.models import Region

from .models import ComplianceCheck, Contract
from .overview import SORT_CHOICES, STATE_CHOICES, depending_on, shared_services


class ComplianceCheckFilterSet(django_filters.FilterSet):
    """A service's checks, by training provider and outcome. Unknown values are form errors."""

    training_provider = NamedModelChoiceFilter(
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


class ContractedServiceFilterSet(django_filters.FilterSet):
    """Filters of a commissioner's overview, its CSV export and its report.

    The database filters (search, region, training provider, body) narrow the contracts;
    `state` and `sort` are applied by the view to the computed rows (see compliance.overview),
    and `on` is the date the overview is as of.
    """

    on = DateFilter(
        label="Date",
        method="_no_op",
        help_text="Show the overview as it was (or will be) on this date, for example, 1 3 2026",
    )
    q = django_filters.CharFilter(
        label="Service provider", method="filter_search", help_text="Name or CQC location ID"
    )
    # Its selects are rendered straight from their choices (pages.long_choices), the regions
    # and bodies read as rows of their slug and name.
    state = django_filters.ChoiceFilter(
        label="State",
        choices=STATE_CHOICES,
        method="_no_op",
        empty_label="Any state",
        widget=ChoicesSelect,
    )
    region = NamedModelChoiceFilter(
        label="Region",
        field_name="service_provider__region",
        queryset=Region.objects.all(),
        to_field_name="slug",
        name_field="label",
        empty_label="Any region",
        widget=ChoicesSelect,
    )
    training_provider = NamedModelChoiceFilter(
        label="Training provider",
        queryset=TrainingProvider.objects.none(),
        to_field_name="slug",
        method="filter_training_provider",
        empty_label="Any training provider",
    )
    body = NamedModelChoiceFilter(
        label="Certification body",
        queryset=CertificationBody.objects.all(),
        to_field_name="slug",
        method="filter_body",
        empty_label="Any certification body",
        widget=ChoicesSelect,
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=SORT_CHOICES,
        method="_no_op",
        empty_label=None,
        widget=ChoicesSelect,
    )

    class Meta:
        model = Contract
        fields = []

    def __init__(self, data=None, *args, commissioner=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Training providers the services sharing their records with this commissioner have
        # ever used: a short list, and no hint of what the others use. Hundreds of options,
        # read as rows of their slug and name (NamedModelChoiceFilter).
        self.filters["training_provider"].queryset = TrainingProvider.objects.filter(
            training_arrangements__service_provider__in=shared_services(commissioner)
        ).distinct()

    @property
    def as_of(self):
        """The date asked for, or today (also when the date given is not valid)."""
        return self.cleaned("on") or timezone.localdate()

    def cleaned(self, name):
        """A field's valid value, or None: an invalid field is shown as an error and ignored."""
        if not self.is_bound:
            return None
        self.form.is_valid()
        return self.form.cleaned_data.get(name)

    def _no_op(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(service_provider__name__icontains=value)
            | Q(service_provider__cqc_location_id__iexact=value)
            | Q(reference__iexact=value)
        )

    def filter_training_provider(self, queryset, name, value):
        return depending_on(queryset, self.as_of, training_provider=value)

    def filter_body(self, queryset, name, value):
        return depending_on(queryset, self.as_of, body=value)
