"""FilterSets for the public certification pages."""

import django_filters
from django import forms

from .models import CertificationBody, CertificationEvent

DATE_WIDGET = forms.DateInput(
    attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d"
)


class StatusChangeFilterSet(django_filters.FilterSet):
    """The change feed, by date range (effective date) and certification body."""

    since = django_filters.DateFilter(
        label="From", field_name="effective_date", lookup_expr="gte", widget=DATE_WIDGET
    )
    until = django_filters.DateFilter(
        label="To", field_name="effective_date", lookup_expr="lte", widget=DATE_WIDGET
    )
    body = django_filters.ModelChoiceFilter(
        label="Certification body",
        field_name="certification__body",
        queryset=CertificationBody.objects.order_by("name"),
        to_field_name="slug",
        empty_label="All certification bodies",
    )

    class Meta:
        model = CertificationEvent
        fields = ["since", "until", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["since"].error_messages["invalid"] = (
            "Enter a real date, for example 2026-05-01"
        )
        self.form.fields["until"].error_messages["invalid"] = (
            "Enter a real date, for example 2026-05-01"
        )
