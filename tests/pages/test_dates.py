"""The GOV.UK date input (pages.dates): three parts posted, its error messages, its markup."""

import datetime as dt
import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone

from pages.dates import DateField
from tests.form_dates import date_fields


class CheckForm(forms.Form):
    checked_on = DateField(label="Date of the check", latest_days=0)
    review_on = DateField(label="Next review (optional)", subject="Review date", required=False)


def _errors(data):
    form = CheckForm(data)
    form.is_valid()
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_a_date_is_posted_as_day_month_and_year():
    form = CheckForm(date_fields("checked_on", ("1", "12", "2025")))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"checked_on": dt.date(2025, 12, 1), "review_on": None}


def test_a_single_iso_value_is_not_read_by_a_form():
    assert _errors({"checked_on": "2025-12-01"}) == {"checked_on": ["Enter the date of the check"]}


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter the date of the check"),
        (("31", "", "2025"), "Date of the check must include a month"),
        (("", "3", ""), "Date of the check must include a day and year"),
        (("31", "2", "2026"), "Date of the check must be a real date"),
        (("1", "13", "2025"), "Date of the check must be a real date"),
        (("x", "1", "2025"), "Date of the check must be a real date"),
        (("9999999999", "1", "2025"), "Date of the check must be a real date"),
        (("1", "9999999999", "2025"), "Date of the check must be a real date"),
        (("1", "1", "25"), "Year must include 4 numbers"),
        (("1", "1", "1999"), "Date of the check must be the same as or after 1 January 2000"),
    ],
)
def test_govuk_error_messages(parts, message):
    assert _errors(date_fields("checked_on", parts))["checked_on"] == [message]


def test_today_or_in_the_past_and_a_subject_for_messages():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    errors = _errors(
        {**date_fields("checked_on", tomorrow), **date_fields("review_on", ("1", "", ""))}
    )
    assert errors == {
        "checked_on": ["Date of the check must be today or in the past"],
        "review_on": ["Review date must include a month and year"],
    }


def test_markup_is_the_govuk_date_input_and_the_summary_links_to_the_day():
    form = CheckForm(date_fields("checked_on", ("31", "2", "2026")))
    html = str(form)
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date of the check' in (
        html
    )
    for index, part, width in ((0, "day", 2), (1, "month", 2), (2, "year", 4)):
        assert (
            f'<label class="govuk-label govuk-date-input__label" for="id_checked_on_{index}">'
            in (html)
        )
        assert re.search(
            rf'<input type="text" name="checked_on_{part}" value="[0-9]+" inputmode="numeric"'
            rf'[^>]*class="govuk-input govuk-date-input__input govuk-input--width-{width} '
            r'govuk-input--error"',
            html,
        )
    summary = render_to_string("includes/error_summary.html", {"form": form})
    assert '<a href="#id_checked_on_0">Date of the check must be a real date</a>' in summary


def test_an_unbound_form_shows_its_initial_date_in_three_parts():
    html = str(CheckForm(initial={"checked_on": dt.date(2026, 3, 7)}))
    assert 'name="checked_on_day" value="7"' in html
    assert 'name="checked_on_month" value="3"' in html
    assert 'name="checked_on_year" value="2026"' in html


def test_dates_read_as_govuk_writes_them(settings):
    from django.template import Context, Template

    assert Template("{{ d }}").render(Context({"d": dt.date(2026, 12, 1)})) == "1 December 2026"
