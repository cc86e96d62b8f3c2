"""Forms a training provider's own staff use to keep its public details (providers.staff_views).

Only the public details are here: certification records belong to the body that certified
the provider (DESIGN.md, Between organisations)."""

from django import forms

from .models import Curriculum, TrainingProvider


class ProviderDetailsForm(forms.ModelForm):
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        help_text="For example, https://www.example.org",
        error_messages={
            "invalid": "Enter a website address in the correct format, like https://www.example.org"
        },
    )

    class Meta:
        model = TrainingProvider
        fields = ["email", "phone", "website", "description"]
        labels = {
            "email": "Contact email address",
            "phone": "Contact phone number",
            "website": "Website",
            "description": "About the provider",
        }
        help_texts = {
            "website": "For example, https://www.example.org",
            "description": "Shown on your page of the register",
        }
        error_messages = {
            "email": {
                "invalid": "Enter an email address in the correct format, like name@example.com"
            },
            "website": {
                "invalid": "Enter a website address in the correct format, like "
                "https://www.example.org"
            },
            "phone": {"max_length": "Phone number must be 40 characters or fewer"},
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def clean_phone(self):
        return self.cleaned_data["phone"].strip()


class CurriculumDescriptionForm(forms.ModelForm):
    class Meta:
        model = Curriculum
        fields = ["description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].label = f"About {self.instance.name}"


class BaseCurriculumDescriptionFormSet(forms.BaseModelFormSet):
    """The provider's own curricula only: a posted id of another provider's curriculum (or
    of none) is an error, not an edit, and never a new curriculum (`edit_only`)."""

    def clean(self):
        super().clean()
        own = set(self.get_queryset().values_list("pk", flat=True))
        for form in self.forms:
            if form.instance.pk is None or form.instance.pk not in own:
                raise forms.ValidationError(
                    "Reload the page: a curriculum on it is not one of yours",
                    code="not_own_curriculum",
                )


CurriculumDescriptionFormSet = forms.modelformset_factory(
    Curriculum,
    form=CurriculumDescriptionForm,
    formset=BaseCurriculumDescriptionFormSet,
    extra=0,
    edit_only=True,
)
