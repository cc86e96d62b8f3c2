"""LongSelect: the HTML of Django's Select, joined straight from the choices."""

import re

import pytest
from django import forms
from django.forms import widgets

from pages.forms import ChoicesSelect, LongSelect
from providers.models import TrainingProvider
from tests.factories import TrainingProviderFactory

pytestmark = pytest.mark.django_db


def _options(html):
    return re.findall(r"<option[^>]*>[^<]*</option>", html)


@pytest.mark.parametrize("chosen", [None, "second-provider", "nobody"])
def test_long_select_renders_the_options_django_s_select_renders(chosen):
    TrainingProviderFactory(name='First & <Best> "Provider"', slug="first-provider")
    TrainingProviderFactory(name="Second provider", slug="second-provider")
    TrainingProviderFactory(name="Third provider", slug="third-provider")

    def field(widget):
        return forms.ModelChoiceField(
            TrainingProvider.objects.order_by("name"),
            to_field_name="slug",
            empty_label="Any training provider",
            widget=widget,
        )

    ours = field(LongSelect).widget.render("training_provider", chosen, {"id": "tp"})
    django = field(widgets.Select).widget.render("training_provider", chosen, {"id": "tp"})
    assert _options(ours) == _options(django)
    assert len(_options(ours)) == 4
    assert "First &amp; &lt;Best&gt; &quot;Provider&quot;" in ours
    assert ('value="second-provider" selected' in ours) == (chosen == "second-provider")
    assert ours.startswith('<select name="training_provider" id="tp">')


def test_only_the_first_option_of_a_repeated_value_is_selected():
    widget = LongSelect(choices=[("a", "One"), ("a", "Again"), ("b", "Two")])
    html = widget.render("x", "a")
    assert html.count(" selected") == 1
    assert '<option value="a" selected>One</option>' in html


@pytest.mark.parametrize("chosen", [None, "", "b", "nobody"])
def test_choices_select_renders_django_s_select_byte_for_byte(chosen):
    choices = [("", "Any"), ("a", 'One & <"two">'), ("b", "Two"), (3, "Three")]
    attrs = {"id": "x", "class": "govuk-select"}
    ours = ChoicesSelect(choices=choices).render("x", chosen, attrs)
    django = widgets.Select(choices=choices).render("x", chosen, attrs)
    assert ours == django
    assert ('<option value="b" selected>' in ours) == (chosen == "b")
