"""What a certification body may filter its own certifications by (GET /api/v1/certifications/):
a FilterSet, as the register's pages use, over the body's certifications only. A value that
is not valid is a form error (the view answers 400 with field errors), never ignored."""

import django_filters

from certification.certificate_numbers import certificate_key
from certification.models import Certification
from certification.statuses import Status
from providers.models import TrainingProvider

STATUSES = ", ".join(Status.values)
BOOLEANS = [("true", "true"), ("false", "false")]
MAX_CERTIFICATE_NUMBER_LENGTH = Certification._meta.get_field("certificate_number").max_length


class BodyCertificationFilterSet(django_filters.FilterSet):
    provider = django_filters.ModelChoiceFilter(
        queryset=TrainingProvider.objects.none(),
        to_field_name="slug",
        error_messages={
            "invalid_choice": "Enter the slug of a training provider your body certifies"
        },
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        distinct=False,  # one row a certification already: no DISTINCT needed
        error_messages={"invalid_choice": f"Enter a status: {STATUSES}"},
    )
    # Not BooleanFilter: its field reads any other value as "not given" and filters nothing.
    is_archived = django_filters.TypedChoiceFilter(
        choices=BOOLEANS,
        coerce=lambda value: value == "true",
        error_messages={"invalid_choice": "Enter true or false"},
    )
    certificate_number = django_filters.CharFilter(
        method="filter_certificate_number",
        max_length=MAX_CERTIFICATE_NUMBER_LENGTH,
        error_messages={
            "max_length": "Enter a certificate number of "
            f"{MAX_CERTIFICATE_NUMBER_LENGTH} characters or fewer"
        },
    )

    class Meta:
        model = Certification
        fields = []

    def __init__(self, data=None, *args, body, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Only the providers the body certifies: another slug says nothing of the register.
        self.filters["provider"].queryset = TrainingProvider.objects.filter(
            certifications__body=body
        ).distinct()

    def filter_certificate_number(self, queryset, name, value):
        """The current number, in any case or with any separators (as the certificate check
        finds it); a value with no letters or digits is no number, so matches none."""
        key = certificate_key(value)
        return queryset.filter(certificate_key=key) if key else queryset.none()
