"""ManyCheckboxes: the GOV.UK checkboxes of templates/django/forms/widgets/checkbox_select.html,
each item as Django's CheckboxSelectMultiple builds its attributes."""

import pytest
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html_join

from pages.forms import ManyCheckboxes


def _items_from_djangos_options(widget, name, value, attrs):
    """The items as they were joined from Django's own option dictionaries."""
    context = forms.CheckboxSelectMultiple.get_context(widget, name, value, attrs)
    options = [o for _, group, _ in context["widget"]["optgroups"] for o in group]
    return format_html_join(
        "\n",
        '<div class="govuk-checkboxes__item">'
        '<input type="{}" name="{}" value="{}"{}>'
        '<label class="govuk-label govuk-checkboxes__label" for="{}">{}</label></div>',
        (
            (
                o["type"],
                o["name"],
                str(o["value"]),
                flatatt(o["attrs"]),
                o["attrs"].get("id", ""),
                o["label"],
            )
            for o in options
        ),
    )


CHOICES = [("north-west", "North West"), ("london", 'London & <the> "South"'), ("x", "X")]


@pytest.mark.parametrize("value", [None, [], ["london"], ["london", "x"], ["nowhere"]])
@pytest.mark.parametrize(
    "attrs",
    [
        {"id": "id_region"},
        {"id": "id_region", "class": "govuk-checkboxes__input", "aria-describedby": "hint"},
        {"class": "govuk-checkboxes__input", "disabled": True},
        None,
    ],
)
def test_items_are_the_html_djangos_options_give(value, attrs):
    widget = ManyCheckboxes(choices=CHOICES, attrs={"data-x": "1"} if attrs else None)
    ours = widget.get_context("region", value, attrs)["widget"]["items_html"]
    assert ours == _items_from_djangos_options(widget, "region", value, attrs)


def test_chosen_items_are_checked_and_labels_escaped():
    html = ManyCheckboxes(choices=CHOICES).render("region", ["london"], {"id": "id_region"})
    assert 'value="london" id="id_region_1" checked>' in html
    assert 'value="x" id="id_region_2">' in html
    assert "London &amp; &lt;the&gt; &quot;South&quot;" in html
    assert html.startswith('<div class="govuk-checkboxes govuk-checkboxes--small"')
