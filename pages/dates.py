"""Dates the GOV.UK way: a day, month and year input, and the field that reads it.

Every date field of the service's forms is a `DateField` (GOV.UK date input component,
https://design-system.service.gov.uk/components/date-input/), posted as `<name>_day`,
`<name>_month` and `<name>_year`, with the component's error messages. Dates are shown to people
as "1 December 2026" (`long_date`; DATE_FORMAT, config/formats).
"""

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone

EARLIEST_DATE = dt.date(2000, 1, 1)
DATE_HINT = "For example, 27 3 2026"  # the component's hint: day, month and year as typed
PARTS = ("day", "month", "year")


def long_date(value: dt.date) -> str:
    """3 March 2027: the GOV.UK date style."""
    return f"{value.day} {value:%B %Y}"


class GovukDateInput(forms.MultiWidget):
    """Day, month and year text inputs in GOV.UK markup.

    `iso_fallback` also reads a single `<name>=2026-12-01` when the three parts are absent, for
    GET filters whose links and bookmarks carry the date that way.
    """

    template_name = "django/forms/widgets/govuk_date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None, iso_fallback=False):
        self.iso_fallback = iso_fallback
        text = {"inputmode": "numeric"}
        super().__init__(
            {part: forms.TextInput(attrs=text) for part in PARTS},
            attrs=attrs,
        )

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if self.iso_fallback and self.value_omitted_from_data(data, files, name):
            single = str(data.get(name) or "").strip()[:40]
            if single:
                try:
                    return self.decompress(dt.date.fromisoformat(single))
                except ValueError:
                    return [single, "x", "x"]  # not a date: "must be a real date"
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}_{part}" not in data for part in PARTS)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Each part gets the GOV.UK classes and its own label; Django marks a field with errors
        # aria-invalid, and then every part gets the error border.
        has_error = str((attrs or {}).get("aria-invalid", "")) == "true"
        for part, subwidget in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            classes = ["govuk-input", "govuk-date-input__input", width]
            if has_error:
                classes.append("govuk-input--error")
            subwidget["attrs"]["class"] = " ".join(classes)
            subwidget["label"] = part.capitalize()
        context["widget"]["container_id"] = (attrs or {}).get("id", "")
        return context


class DateField(forms.DateField):
    """A date typed as day, month and year, from 1 January 2000 to `latest_days` from today.

    `subject` names the date in messages ("Date of the check must be a real date"); it defaults
    to the label without "(optional)".
    """

    widget = GovukDateInput

    def __init__(self, *args, latest_days=366, subject=None, iso_fallback=False, **kwargs):
        self.latest_days = latest_days
        self._subject = subject
        kwargs.setdefault("widget", GovukDateInput(iso_fallback=iso_fallback))
        super().__init__(*args, **kwargs)

    @property
    def subject(self):
        if self._subject:
            return self._subject
        label = str(self.label or "Date").removesuffix("(optional)").strip()
        return label or "Date"

    def to_python(self, value):
        if isinstance(value, dt.date):
            return value
        if value in self.empty_values:
            return None
        if not isinstance(value, (list, tuple)) or len(value) != 3:
            raise forms.ValidationError(f"{self.subject} must be a real date", code="invalid")
        day, month, year = (str(part or "").strip()[:10] for part in value)
        given = {"day": day, "month": month, "year": year}
        missing = [part for part in PARTS if not given[part]]
        if len(missing) == 3:
            return None
        if missing:
            raise forms.ValidationError(
                f"{self.subject} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not all(part.isdigit() for part in (day, month, year)):
            raise forms.ValidationError(f"{self.subject} must be a real date", code="invalid")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid")
        try:
            return dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as error:  # a day or month past a C int overflows
            raise forms.ValidationError(
                f"{self.subject} must be a real date", code="invalid"
            ) from error

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if value is None:
            return
        if value < EARLIEST_DATE:
            raise forms.ValidationError(
                f"{self.subject} must be the same as or after {long_date(EARLIEST_DATE)}"
            )
        latest = timezone.localdate() + dt.timedelta(days=self.latest_days)
        if value > latest:
            if self.latest_days == 0:
                raise forms.ValidationError(f"{self.subject} must be today or in the past")
            raise forms.ValidationError(
                f"{self.subject} must be the same as or before {long_date(latest)}"
            )

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except forms.ValidationError:
            return True
        return initial != data


class DateFilter(django_filters.DateFilter):
    """A filter's GOV.UK date; links and bookmarks may carry it as `<name>=2026-05-01`."""

    field_class = DateField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("iso_fallback", True)
        super().__init__(*args, **kwargs)
