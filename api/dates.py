"""The `on` parameter every verdict-bearing endpoint takes: the date the answer is for."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

# Wide enough for any real question, narrow enough that date arithmetic (ends in N days,
# "within N days" filters) never overflows.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)

ON_PARAMETER = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    description="The date the answer is for (YYYY-MM-DD); today when left out",
)


class OnField(serializers.DateField):
    default_error_messages = {
        "invalid": "Enter the date as YYYY-MM-DD, for example 2026-12-01",
        "datetime": "Enter the date as YYYY-MM-DD, for example 2026-12-01",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_formats", ["iso-8601"])
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and "\x00" in value:
            self.fail("invalid")
        day = super().to_internal_value(value)
        if not EARLIEST <= day <= LATEST:
            raise serializers.ValidationError(
                f"Enter a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}"
            )
        return day


class OnQuery(serializers.Serializer):
    on = OnField()


def date_asked(request):
    """The `on` query parameter as a date (today when absent); a 400 when it is not one."""
    query = OnQuery(data={"on": request.query_params["on"]} if "on" in request.query_params else {})
    query.is_valid(raise_exception=True)
    return query.validated_data.get("on") or timezone.localdate()
