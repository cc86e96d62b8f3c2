"""A filter of model choices (a commissioner's hundreds of training providers, the regions,
the certification bodies) whose options are read as rows of two columns, not model instances.

Django's ModelChoiceField builds one instance per option to render it: with 600 options, most
of the cost of the select. Here the options are (value, name) rows of the same queryset, and
LongSelect (or ChoicesSelect) renders them straight; a submitted value still cleans as
ModelChoiceField cleans it (one query for the chosen instance, a form error for a value not
in the queryset).
"""

import django_filters
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from .forms import LongSelect


class _NamedRows(ModelChoiceIterator):
    """The options as django_filters' iterator gives them (its empty and null options first),
    the queryset's as (value, name) rows: the name is what `__str__` shows of the model."""

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        yield from self.queryset.values_list(field.to_field_name or "pk", field.name_field)


class NamedModelChoiceField(ModelChoiceField):
    iterator = _NamedRows
    widget = LongSelect

    def __init__(self, *args, name_field="name", **kwargs):
        self.name_field = name_field
        super().__init__(*args, **kwargs)


class NamedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter of a model shown by its `name` (or the field `name_field`, as its
    `__str__`), rendered by LongSelect (or the widget given, ChoicesSelect for a few options)."""

    field_class = NamedModelChoiceField
