"""Every Django form renders GOV.UK markup through the project's form renderer."""

import re

from django import forms
from django.template.loader import render_to_string


class ExampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on your passport")
    email = forms.EmailField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    region = forms.ChoiceField(choices=[("", "Choose"), ("london", "London")], required=False)
    route = forms.ChoiceField(
        widget=forms.RadioSelect, choices=[("a", "Bought in"), ("b", "In-house")]
    )
    content = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        choices=[("r", "Physical restraint"), ("s", "Seclusion")],
        required=False,
    )
    agree = forms.BooleanField(label="I agree", required=False)

    def clean(self):
        if self.cleaned_data.get("name") == "clash":
            raise forms.ValidationError("These details clash")
        return self.cleaned_data


def test_text_input_has_label_hint_and_govuk_classes():
    html = str(ExampleForm())
    assert '<label class="govuk-label" for="id_name">Full name</label>' in html
    assert '<div class="govuk-hint" id="id_name_helptext">As on your passport</div>' in html
    assert re.search(r'<input type="text" name="name"[^>]*class="govuk-input"', html)
    assert 'aria-describedby="id_name_helptext"' in html
    assert 'class="govuk-textarea"' in html
    assert 'class="govuk-select"' in html
    assert html.count('class="govuk-form-group"') == 7


def test_radios_and_checkboxes_use_fieldsets_and_govuk_items():
    html = str(ExampleForm())
    assert '<div class="govuk-radios" data-module="govuk-radios"' in html
    assert html.count('class="govuk-radios__item"') == 2
    assert re.search(
        r'<input type="radio"[^>]*class="govuk-radios__input"[^>]*id="id_route_0"', html
    )
    assert (
        '<label class="govuk-label govuk-radios__label" for="id_route_0">Bought in</label>'
    ) in html
    assert html.count('class="govuk-checkboxes__item"') == 3  # two choices and the boolean
    assert html.count('<fieldset class="govuk-fieldset"') == 2
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Route</legend>' in html
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_agree">I agree</label>' in html
    )


def test_errors_show_govuk_error_message_and_error_classes():
    form = ExampleForm(data={"name": "", "email": "not-an-email"})
    html = str(form)
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert re.search(
        r'<input type="text" name="name"[^>]*class="govuk-input govuk-input--error"', html
    )
    assert re.search(r'name="email"[^>]*class="govuk-input govuk-input--error"', html)
    assert (
        '<p class="govuk-error-message" id="id_name_error">'
        '<span class="govuk-visually-hidden">Error:</span> Enter the full name</p>'
    ) in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    # A field without errors keeps the plain class.
    assert 'class="govuk-textarea"' in html


def test_fieldset_is_described_by_its_error():
    html = str(ExampleForm(data={"name": "x"}))
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_route_error">' in html


def test_error_summary_links_each_error_to_its_field():
    form = ExampleForm(data={"name": "", "email": "nope"})
    html = render_to_string("includes/error_summary.html", {"form": form})
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert '<a href="#id_name">Enter the full name</a>' in html
    assert (
        '<a href="#id_email">Enter an email address in the correct format, like '
        "name@example.com</a>"
    ) in html
    # Radios link to their first option.
    assert '<a href="#id_route_0">Select the route</a>' in html


def test_error_summary_shows_non_field_errors_and_nothing_for_a_valid_form():
    form = ExampleForm(data={"name": "clash", "route": "a"})
    html = render_to_string("includes/error_summary.html", {"form": form})
    assert "These details clash" in html
    assert "These details clash" in str(form)  # shown in the form too, never lost
    valid = ExampleForm(data={"name": "Ann", "route": "a"})
    assert valid.is_valid()
    assert "govuk-error-summary" not in render_to_string(
        "includes/error_summary.html", {"form": valid}
    )


def test_unbound_form_has_no_error_summary():
    assert render_to_string("includes/error_summary.html", {"form": ExampleForm()}).strip() == ""
