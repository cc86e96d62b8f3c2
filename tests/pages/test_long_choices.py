"""NamedModelChoiceFilter: options read as rows render as a ModelChoiceFilter's, and a
submitted value cleans as it does."""

import django_filters
import pytest
from django.forms import widgets

from pages.long_choices import NamedModelChoiceFilter
from providers.models import TrainingProvider
from tests.factories import TrainingProviderFactory
from tests.pages.test_long_select import _options

pytestmark = pytest.mark.django_db


def _filterset(filter_class, **extra):
    class ProviderFilterSet(django_filters.FilterSet):
        training_provider = filter_class(
            queryset=TrainingProvider.objects.filter(slug__startswith="listed"),
            to_field_name="slug",
            empty_label="Any training provider",
            method="keep",
            **extra,
        )

        class Meta:
            model = TrainingProvider
            fields = []

        def keep(self, queryset, name, value):
            return queryset

    return ProviderFilterSet


@pytest.fixture
def providers():
    TrainingProviderFactory(name='First & <Best> "Provider"', slug="listed-first")
    TrainingProviderFactory(name="Second provider", slug="listed-second")
    TrainingProviderFactory(name="Not listed", slug="other")


@pytest.mark.parametrize("chosen", [None, "listed-second", "nobody"])
def test_the_options_are_those_of_a_model_choice_filter(providers, chosen):
    data = {"training_provider": chosen} if chosen else None
    ours = _filterset(NamedModelChoiceFilter)(data).form["training_provider"]
    django = _filterset(django_filters.ModelChoiceFilter, widget=widgets.Select)(data).form[
        "training_provider"
    ]
    assert _options(str(ours)) == _options(str(django))
    assert len(_options(str(ours))) == 3


def test_a_listed_value_cleans_to_its_training_provider(providers, django_assert_num_queries):
    filterset = _filterset(NamedModelChoiceFilter)({"training_provider": "listed-second"})
    with django_assert_num_queries(1):
        assert filterset.form.is_valid()
    assert filterset.form.cleaned_data["training_provider"] == TrainingProvider.objects.get(
        slug="listed-second"
    )


@pytest.mark.parametrize("value", ["other", "nobody"])
def test_a_value_not_in_the_queryset_is_a_form_error(providers, value):
    filterset = _filterset(NamedModelChoiceFilter)({"training_provider": value})
    assert not filterset.form.is_valid()
    assert "training_provider" in filterset.form.errors


@pytest.mark.parametrize("chosen", [None, "north-east", "nowhere"])
def test_a_model_shown_by_another_field_renders_as_a_model_choice_filter(chosen):
    from pages.forms import ChoicesSelect
    from standards.models import Region

    def filterset(filter_class, **extra):
        class RegionFilterSet(django_filters.FilterSet):
            region = filter_class(
                queryset=Region.objects.all(),
                to_field_name="slug",
                empty_label="Any region",
                method="keep",
                **extra,
            )

            class Meta:
                model = Region
                fields = []

            def keep(self, queryset, name, value):
                return queryset

        return RegionFilterSet({"region": chosen or ""})

    ours = filterset(NamedModelChoiceFilter, name_field="label", widget=ChoicesSelect)
    django = filterset(django_filters.ModelChoiceFilter)
    assert str(ours.form["region"]) == str(django.form["region"])
    assert len(_options(str(ours.form["region"]))) == Region.objects.count() + 1 > 2
    assert ours.form.is_valid() == django.form.is_valid() == (chosen != "nowhere")
