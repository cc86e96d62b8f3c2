"""Error messages written for the field (pages.error_messages), through the form renderer."""

from django import forms


class ContractLikeForm(forms.Form):
    reference = forms.CharField(label="Contract reference", max_length=10)
    cqc = forms.CharField(label="CQC location ID")
    outcome = forms.ChoiceField(
        label="Outcome of the review", choices=[("a", "A")], widget=forms.RadioSelect
    )
    region = forms.ChoiceField(label="Region", choices=[("", "Any"), ("l", "London")])
    file = forms.FileField(label="CSV file")
    confirm = forms.BooleanField(label="I have checked the certificate")
    answer = forms.ChoiceField(label="Is it current?", choices=[("y", "Yes")])
    own = forms.CharField(label="Notes", error_messages={"required": "Write some notes"})


def _errors(data):
    form = ContractLikeForm(data)
    form.is_valid()
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_required_fields_say_what_to_do_and_messages_of_the_form_are_kept():
    assert _errors({}) == {
        "reference": ["Enter the contract reference"],
        "cqc": ["Enter the CQC location ID"],
        "outcome": ["Select the outcome of the review"],
        "region": ["Select the region"],
        "file": ["Choose a file"],
        "confirm": ["Select “I have checked the certificate” to continue"],
        "answer": ["Select an answer"],
        "own": ["Write some notes"],
    }


def test_other_defaults_are_written_without_full_stops():
    errors = _errors({"reference": "x" * 11, "region": "paris"})
    assert errors["reference"] == ["The contract reference must be 10 characters or fewer"]
    assert errors["region"] == ["Select one of the options in the list"]


def test_one_form_does_not_change_another():
    ContractLikeForm({}).is_valid()
    assert str(ContractLikeForm.base_fields["reference"].error_messages["required"]) == (
        "This field is required."
    )
