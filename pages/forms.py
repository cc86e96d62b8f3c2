"""GOV.UK markup for every Django form, with no per-form template code.

`GovukFormRenderer` is Django's TemplatesSetting renderer (templates/django/forms/ override
Django's form, error and widget templates) with a BoundField that adds the GOV.UK class for
each kind of widget, and its error modifier when the field has errors, and renders each
field's form group itself (`GovukBoundField._form_group`: label or legend, hint, error).
"""

from html import escape as escape_html

from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .error_messages import write_for_field

# Django's name for the form group template of a field: GovukBoundField renders it in Python.
FIELD_TEMPLATE = "django/forms/field.html"

# (widget class, GOV.UK class, error modifier or None). The first match wins, so subclasses
# come before their parents (CheckboxSelectMultiple is a RadioSelect, DateInput an Input).
_WIDGET_CLASSES = [
    (widgets.CheckboxSelectMultiple, "govuk-checkboxes__input", None),
    (widgets.RadioSelect, "govuk-radios__input", None),
    (widgets.CheckboxInput, "govuk-checkboxes__input", None),
    (widgets.ClearableFileInput, "govuk-file-upload", "govuk-file-upload--error"),
    (widgets.FileInput, "govuk-file-upload", "govuk-file-upload--error"),
    (widgets.Select, "govuk-select", "govuk-select--error"),
    (widgets.Textarea, "govuk-textarea", "govuk-textarea--error"),
    (widgets.Input, "govuk-input", "govuk-input--error"),
]


def govuk_widget_class(widget, has_errors):
    """The GOV.UK classes for `widget`, or "" for widgets styled by their own template."""
    for widget_class, css_class, error_class in _WIDGET_CLASSES:
        if isinstance(widget, widget_class):
            if has_errors and error_class:
                return f"{css_class} {error_class}"
            return css_class
    return ""


class GovukBoundField(BoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        # Forms bind their fields before they validate them: every field's messages are
        # written for it by then (form fields are copies per form, so this changes one form).
        write_for_field(field, name)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not widget.is_hidden:
            govuk_class = govuk_widget_class(widget, bool(self.errors))
            existing = attrs.get("class") or widget.attrs.get("class", "")
            classes = " ".join(c for c in (govuk_class, existing) if c)
            if classes:
                attrs["class"] = classes
        return attrs

    @property
    def error_anchor(self):
        """The id the error summary links to: the first input of the field."""
        if not self.auto_id:
            return ""
        if self.use_fieldset:
            # Radios, checkboxes and multi-part inputs: Django numbers the parts _0, _1, …
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id

    @property
    def is_single_checkbox(self):
        return isinstance(self.field.widget, widgets.CheckboxInput)

    def render(self, template_name=None, context=None, renderer=None):
        """The field as a GOV.UK form group (`as_field_group`, and `{{ form }}`'s fields):
        joined here, not by a template, as a form's every field is (a page's form groups
        were a quarter of the register's rendering). Another template asked for is rendered
        as Django renders it."""
        if template_name is None and context is None and self.template_name == FIELD_TEMPLATE:
            return mark_safe(self._form_group())
        return super().render(template_name, context, renderer)

    def _form_group(self):
        """The form group: label or legend, hint, error message, input. Radios, checkbox
        lists and multi-part inputs sit in a fieldset (Django's use_fieldset)."""
        errors = self.errors
        classes = self.css_classes()
        group = "govuk-form-group" + (" govuk-form-group--error" if errors else "")
        if classes:
            group += f" {conditional_escape(classes)}"
        label = conditional_escape(self.label)
        hint = ""
        if self.help_text:
            hint_id = f' id="{conditional_escape(self.auto_id)}_helptext"' if self.auto_id else ""
            hint = f'<div class="govuk-hint"{hint_id}>{self.help_text}</div>'
        hint += "\n" + (conditional_escape(errors) if errors else "") + "\n"
        field = str(self)
        if self.use_fieldset:
            described = self.aria_describedby
            described = f' aria-describedby="{conditional_escape(described)}"' if described else ""
            inner = (
                f'\n  <fieldset class="govuk-fieldset"{described}>\n'
                f'    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{label}'
                f"</legend>\n    {hint}\n    {field}\n  </fieldset>\n"
            )
        elif self.is_single_checkbox:
            inner = (
                f"\n  {hint}\n"
                '  <div class="govuk-checkboxes" data-module="govuk-checkboxes">\n'
                '    <div class="govuk-checkboxes__item">\n'
                f"      {field}\n"
                '      <label class="govuk-label govuk-checkboxes__label" '
                f'for="{conditional_escape(self.id_for_label)}">{label}</label>\n'
                "    </div>\n  </div>\n"
            )
        else:
            inner = (
                f'\n  <label class="govuk-label" for="{conditional_escape(self.id_for_label)}">'
                f"{label}</label>\n  {hint}\n  {field}\n"
            )
        return f'<div class="{group}">\n{inner}\n</div>'  # stripped, as Django's renderer


class GovukFormRenderer(TemplatesSetting):
    bound_field_class = GovukBoundField


def _escaped(text):
    """conditional_escape, the same characters without its wrappers: it is per option."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return escape_html(str(text))


class LongSelect(widgets.Select):
    """A select of hundreds of options (a commissioner's training providers). Renders the same
    HTML as Django's Select (no option groups), but straight from its choices: Django builds
    a dictionary of attributes per option first, and with an include per option that cost
    about half a millisecond an option; joined in Python from the dictionaries, still 50 ms
    for 600 options. Its options are one a line; ChoicesSelect lays them out as Django's."""

    template_name = "django/forms/widgets/long_select.html"

    def get_context(self, name, value, attrs):
        context = widgets.Widget.get_context(self, name, value, attrs)
        chosen = set(context["widget"]["value"])  # format_value: a list of strings
        options, selected = [], False
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                raise TypeError("LongSelect has no option groups: use Select")
            option_value = "" if option_value is None else str(option_value)
            # As Select: only the first option with the value is selected.
            is_selected = not selected and option_value in chosen
            selected = selected or is_selected
            options.append(
                f'<option value="{_escaped(option_value)}"'
                f"{' selected' if is_selected else ''}>{_escaped(label)}</option>"
            )
        context["widget"]["options_html"] = mark_safe(self.lay_out(options))
        return context

    def lay_out(self, options):
        """The HTML between the select's tags, from its options' HTML."""
        return "\n" + "\n".join(options) + "\n"


class ChoicesSelect(LongSelect):
    """A short select rendered as LongSelect renders, straight from its choices, byte for byte
    the HTML of Django's Select (its template's spaces and blank lines): a filter form's
    selects rendered by Django's templates were a tenth of the commissioner's overview."""

    def lay_out(self, options):
        return "".join(f"\n  {option}\n" for option in options) + "\n"


class ManyCheckboxes(widgets.CheckboxSelectMultiple):
    """GOV.UK small checkboxes for a filter's list of terms: the HTML of
    templates/django/forms/widgets/checkbox_select.html, joined in Python straight from the
    choices (three includes per item made the register's seven lists a third of its
    rendering time; Django's dictionary of attributes per item, still a quarter of it). The
    items differ only in their id, value, label and whether they are checked, so the
    attributes they share are rendered once."""

    template_name = "django/forms/widgets/many_checkboxes.html"

    def get_context(self, name, value, attrs):
        context = widgets.Widget.get_context(self, name, value, attrs)
        chosen = set(context["widget"]["value"])  # format_value: a list of strings
        shared = self.build_attrs(self.attrs, attrs)  # as create_option builds each item's
        id_ = shared.get("id")
        # flatatt's order: the attributes with values, then the flags, each sorted by name.
        before_id, after_id, flags = [], [], []
        side = before_id
        for attr, attr_value in sorted(shared.items()):
            if attr == "id":
                side = after_id
            elif isinstance(attr_value, bool):
                if attr_value:
                    flags.append(attr)
            elif attr_value is not None:
                side.append(f' {conditional_escape(attr)}="{conditional_escape(attr_value)}"')
        before_id, after_id = "".join(before_id), "".join(after_id)
        unchecked = "".join(f" {conditional_escape(f)}" for f in flags)
        checked = "".join(f" {conditional_escape(f)}" for f in sorted({*flags, "checked"}))
        start = f'<div class="govuk-checkboxes__item"><input type="{self.input_type}" name="'
        name = conditional_escape(name)
        items = []
        for index, (option_value, label) in enumerate(self.choices):
            if isinstance(label, list | tuple):
                raise TypeError("ManyCheckboxes has no option groups: use CheckboxSelectMultiple")
            option_value = "" if option_value is None else str(option_value)
            item_id = conditional_escape(f"{id_}_{index}") if id_ else ""
            id_attr = f' id="{item_id}"' if id_ else ""
            item_flags = checked if option_value in chosen else unchecked
            items.append(
                f'{start}{name}" value="{conditional_escape(option_value)}"'
                f"{before_id}{id_attr}{after_id}{item_flags}>"
                f'<label class="govuk-label govuk-checkboxes__label" for="{item_id}">'
                f"{conditional_escape(label)}</label></div>"
            )
        context["widget"]["items_html"] = mark_safe("\n".join(items))
        return context
