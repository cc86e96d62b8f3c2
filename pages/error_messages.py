"""Error messages written for the field, in one style (GOV.UK: say what to do, no full stops).

Where a form field keeps one of Django's default messages ("This field is required.", "Select a
valid choice. …", "Ensure this value has at most …"), `write_for_field` replaces it with one
made from the field's label: "Enter the contract reference", "Select the outcome", "Choose a
file". Messages a form gives itself are kept. The form renderer's bound field calls it, so
every form of the service (pages and admin) gets it with no per-form code.
"""

from django import forms

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
# Labels that already read as the object of "Enter" or "Select".
_DETERMINERS = ("the ", "a ", "an ", "your ", "its ", "their ", "this ", "each ", "any ")


def _django_default(field, code):
    for klass in type(field).__mro__:
        if not klass.__module__.startswith("django."):
            continue
        message = getattr(klass, "default_error_messages", {}).get(code)
        if message is not None:
            return str(message)
    return None


def _keeps_default(field, code):
    message = field.error_messages.get(code)
    return message is not None and str(message) == _django_default(field, code)


def _object(field, name):
    """The label as the object of a sentence: "the contract reference"."""
    label = getattr(field, "subject", None) or field.label or name.replace("_", " ")
    label = str(label).removesuffix("(optional)").strip().rstrip(".:")
    if label[1:2].islower():  # not an acronym such as "CQC location ID"
        label = label[0].lower() + label[1:]
    if label.lower().startswith(_DETERMINERS):
        return label
    return f"the {label}"


def _first_upper(text):
    return text[:1].upper() + text[1:]


def _is_choice(field):
    return isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) or isinstance(
        field.widget, (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)
    )


def required_message(field, name):
    label = str(field.label or "")
    if isinstance(field, forms.FileField):
        return "Choose a file"
    if isinstance(field, forms.BooleanField):
        return f"Select “{label.rstrip('.')}” to continue" if label else "Select the box"
    if label.endswith("?"):  # a question: its own words say what is asked
        return "Select an answer" if _is_choice(field) else "Enter an answer"
    verb = "Select" if _is_choice(field) else "Enter"
    return f"{verb} {_object(field, name)}"


def write_for_field(field, name):
    """Replace the Django defaults `field` still has with messages written for it."""
    written = {}
    if _keeps_default(field, "required"):
        written["required"] = required_message(field, name)
    for code in ("invalid_choice", "invalid_pk_value", "invalid_list"):
        if _keeps_default(field, code):
            written[code] = "Select one of the options in the list"
    # An email address is checked by its validator, whose message the field may override.
    if isinstance(field, forms.EmailField) and "invalid" not in field.error_messages:
        written["invalid"] = EMAIL_FORMAT
    numeric = (forms.IntegerField, forms.DecimalField, forms.FloatField)
    if isinstance(field, numeric) and _keeps_default(field, "invalid"):
        written["invalid"] = f"{_first_upper(_object(field, name))} must be a number"
    max_length = getattr(field, "max_length", None)
    if max_length and "max_length" not in field.error_messages:
        subject = _object(field, name)
        written["max_length"] = (
            f"{_first_upper(subject)} must be {max_length:,} characters or fewer"
        )
    if isinstance(field, forms.FileField):
        for code in ("missing", "invalid"):
            if _keeps_default(field, code):
                written[code] = "Choose a file"
        if _keeps_default(field, "empty"):
            written["empty"] = "The selected file is empty"
    if written:
        field.error_messages = {**field.error_messages, **written}
