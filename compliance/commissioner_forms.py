"""Forms of a commissioner's pages: contracts, their import, reviews, the exposure question."""

from django import forms
from django.db.models import Q
from django.db.models.functions import Lower

from certification.models import CertificationBody
from pages.import_limits import ImportTooLarge, check_rows, limits_text, read_capped
from pages.submissions import OneTimeTokenMixin
from providers.models import TrainingProvider

from .forms import DateField
from .models import Contract, ContractReview, ServiceProvider
from .overview import shared_services

CHOOSE = "Choose one of the options in the list"


def find_service_provider(text):
    """A service provider by CQC location ID or by its exact name (any case); errors in words."""
    text = text.strip()
    by_cqc = ServiceProvider.objects.filter(cqc_location_id__iexact=text).first()
    if by_cqc:
        return by_cqc
    named = list(ServiceProvider.objects.annotate(n=Lower("name")).filter(n=text.lower())[:2])
    if len(named) == 1:
        return named[0]
    if named:
        raise forms.ValidationError(
            "More than one service provider has this name: enter its CQC location ID"
        )
    raise forms.ValidationError(
        "No service provider has this name or CQC location ID: check the spelling"
    )


class ContractForm(OneTimeTokenMixin, forms.ModelForm):
    """Add or edit a contract. The service provider is set when the contract is added."""

    service_provider_text = forms.CharField(
        label="Service provider",
        max_length=200,
        help_text="Its name as on the register, or its CQC location ID",
    )
    starts_on = DateField(label="Contract starts on", subject="Start date", latest_days=3660)
    ends_on = DateField(
        label="Contract ends on (optional)", subject="End date", required=False, latest_days=3660
    )
    requires_certified_training = forms.TypedChoiceField(
        label="Does the contract require certified training?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        help_text="Training that includes restrictive practices certified by a "
        "UKAS-accredited body as complying with the RRN Training Standards",
    )

    class Meta:
        model = Contract
        fields = ["reference", "starts_on", "ends_on", "requires_certified_training"]
        labels = {"reference": "Contract reference"}

    def __init__(self, *args, commissioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.commissioner = commissioner
        if self.instance.pk:
            del self.fields["service_provider_text"]
            self.initial["requires_certified_training"] = (
                "yes" if self.instance.requires_certified_training else "no"
            )
        self.order_fields(["reference", "service_provider_text"])

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            raise forms.ValidationError("Enter the contract reference")
        taken = Contract.objects.filter(
            commissioner=self.instance.commissioner, reference=reference
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("You already have a contract with this reference")
        return reference

    def clean_service_provider_text(self):
        service = find_service_provider(self.cleaned_data["service_provider_text"])
        self.instance.service_provider = service
        return service.name

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The contract cannot end before it starts")
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None or not commit:
            return super().save(commit)
        # An edit writes the fields it changes and never the service provider's answer as
        # loaded with the page: the answer may have been given since (Contract.save).
        self.instance.save(update_fields=Contract.EDITABLE_FIELDS)
        return self.instance


class EndContractForm(forms.Form):
    ends_on = DateField(label="Contract ends on", subject="End date", latest_days=3660)

    def __init__(self, *args, contract, **kwargs):
        self.contract = contract
        super().__init__(*args, **kwargs)

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on < self.contract.starts_on:
            raise forms.ValidationError("The contract cannot end before it starts")
        return ends_on


class ContractImportForm(forms.Form):
    file = forms.FileField(label="CSV file of contracts")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "Columns: reference, service provider (name or CQC location ID), starts on, "
            f"ends on, requires certified training (yes or no); {limits_text()} at a time"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            raw = read_capped(upload)
            check_rows(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            return raw  # the preview says why it cannot be read
        except ImportTooLarge as error:
            raise forms.ValidationError(str(error)) from None
        return raw


class ContractReviewForm(OneTimeTokenMixin, forms.ModelForm):
    reviewed_on = DateField(label="Date of the review", latest_days=0)
    actions_due_on = DateField(
        label="Actions due by (optional)",
        subject="Date actions are due",
        required=False,
        latest_days=3660,
    )

    class Meta:
        model = ContractReview
        fields = ["reviewed_on", "outcome", "actions_agreed", "actions_due_on"]
        widgets = {"outcome": forms.RadioSelect}
        labels = {"actions_agreed": "Actions agreed (optional)"}

    def __init__(self, *args, contract, reviewed_by, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        self.instance.reviewed_by = reviewed_by
        self.fields["outcome"].choices = ContractReview.Outcome.choices
        self.fields["actions_agreed"].max_length = 5000

    def clean(self):
        cleaned = super().clean()
        reviewed, due = cleaned.get("reviewed_on"), cleaned.get("actions_due_on")
        actions = (cleaned.get("actions_agreed") or "").strip()
        cleaned["actions_agreed"] = actions
        self.instance.actions_agreed = actions
        if due and not actions:
            self.add_error("actions_agreed", "Say which actions were agreed")
        if actions and not due:
            self.add_error("actions_due_on", "Enter the date the actions are due by")
        if reviewed and due and due < reviewed:
            self.add_error("actions_due_on", "Actions cannot be due before the review")
        return cleaned


class ActionsCompletedForm(forms.Form):
    completed_on = DateField(
        label="Actions completed on", subject="Date actions were completed", latest_days=0
    )

    def __init__(self, *args, review, **kwargs):
        self.review = review
        super().__init__(*args, **kwargs)

    def clean_completed_on(self):
        completed = self.cleaned_data["completed_on"]
        if completed < self.review.reviewed_on:
            raise forms.ValidationError("The actions cannot be completed before the review")
        return completed


class ExposureForm(forms.Form):
    """Which training provider or certification body to ask about (one of them)."""

    training_provider = forms.ModelChoiceField(
        label="Training provider",
        queryset=TrainingProvider.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Choose a training provider",
        error_messages={"invalid_choice": "None of your services has used this training provider"},
    )
    body = forms.ModelChoiceField(
        label="Certification body",
        queryset=CertificationBody.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Choose a certification body",
        error_messages={"invalid_choice": CHOOSE},
    )

    def __init__(self, *args, commissioner, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what services sharing their records with the commissioner use (or rely on).
        shared = shared_services(commissioner)
        self.fields["training_provider"].queryset = TrainingProvider.objects.filter(
            Q(training_arrangements__service_provider__in=shared)
            | Q(
                certifications__affiliates__provider__training_arrangements__service_provider__in=shared
            )
        ).distinct()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("training_provider") and not cleaned.get("body"):
            raise forms.ValidationError("Choose a training provider or a certification body")
        return cleaned
