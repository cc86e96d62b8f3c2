"""FilterSets for the public certification pages."""

import django_filters

from pages.dates import DateFilter

from .models import CertificationBody, CertificationEvent


class StatusChangeFilterSet(django_filters.FilterSet):
    """The change feed, by date range (effective date) and certification body."""

    since = DateFilter(
        label="From", field_name="effective_date", lookup_expr="gte", subject="From date"
    )
    until = DateFilter(
        label="To", field_name="effective_date", lookup_expr="lte", subject="To date"
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
