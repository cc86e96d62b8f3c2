"""Forms of the service provider pages: arrangements, compliance checks, alert settings.

Every date is bounded (no year 1 or 9999 reaching date arithmetic), every file is sniffed, and
every form gives a message in words rather than a 500.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone

from certification.verdicts import Headline, ProviderHeadline, long_date
from pages.dates import DateField
from pages.submissions import OneTimeTokenMixin
from providers.models import TrainingProvider
from standards.models import SpecialistContent

from .models import ComplianceCheck, TrainingArrangement

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# Uploads are accepted by what their first bytes say they are, not by their name.
EVIDENCE_SIGNATURES = (
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
)
YES_NO = [("yes", "Yes"), ("no", "No")]


def evidence_type(upload):
    """(extension, content type) of an uploaded PDF, PNG or JPEG, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, extension, content_type in EVIDENCE_SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    return None


def content_type_for(name):
    for _, extension, content_type in EVIDENCE_SIGNATURES:
        if name.lower().endswith(extension):
            return content_type
    return "application/octet-stream"


class PointInTimeForm(forms.Form):
    on = DateField(
        label="Show verdicts as they were on",
        required=False,
        latest_days=0,
        subject="Date",
        iso_fallback=True,
        help_text="For example, 1 3 2026. Leave empty for today.",
    )


class ProviderSearchForm(forms.Form):
    q = forms.CharField(
        label="Search the register for a training provider",
        help_text="Name, town or postcode",
        max_length=100,
        error_messages={
            "required": "Enter a name, town or postcode",
            "max_length": "Enter 100 characters or fewer",
        },
    )

    def clean_q(self):
        q = " ".join(self.cleaned_data["q"].replace("\x00", "").split())
        if not q:
            raise forms.ValidationError("Enter a name, town or postcode")
        return q

    def matches(self, on, limit=20):
        """(provider, headline) for the first `limit` matches; the headline from the stored
        headline periods (one query), with only its kind, for the tag."""
        q = self.cleaned_data["q"]
        providers = (
            TrainingProvider.objects.active()
            .filter(Q(name__icontains=q) | Q(town__icontains=q) | Q(postcode__istartswith=q))
            .with_headline(on)
            .select_related("region")
            .order_by("name")[:limit]
        )
        return [(p, ProviderHeadline(Headline(p.headline_rank), on)) for p in providers]


class TrainingArrangementForm(OneTimeTokenMixin, forms.ModelForm):
    training_provider = forms.ModelChoiceField(
        queryset=TrainingProvider.objects.active(),
        to_field_name="slug",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose a training provider from the register"},
    )
    route = forms.ChoiceField(
        label="How does the service use this training?",
        choices=TrainingArrangement.Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the service uses this training"},
    )
    starts_on = DateField(label="Using this training since", subject="Start date")
    specialist_content = forms.ModelMultipleChoiceField(
        label="Specialist content bought",
        queryset=SpecialistContent.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that the training includes, for example physical restraint.",
    )

    class Meta:
        model = TrainingArrangement
        fields = ["training_provider", "route", "starts_on", "specialist_content"]

    def __init__(self, *args, service_provider, **kwargs):
        self.service_provider = service_provider
        super().__init__(*args, **kwargs)
        self.instance.service_provider = service_provider

    def clean(self):
        cleaned = super().clean()
        provider = cleaned.get("training_provider")
        if (
            provider
            and TrainingArrangement.objects.filter(
                service_provider=self.service_provider,
                training_provider=provider,
                ends_on__isnull=True,
            ).exists()
        ):
            raise forms.ValidationError(
                "This service already has an open arrangement with this training provider"
            )
        return cleaned


class EndArrangementForm(forms.Form):
    ends_on = DateField(label="Last day of the arrangement")

    def __init__(self, *args, arrangement, **kwargs):
        self.arrangement = arrangement
        super().__init__(*args, **kwargs)

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on < self.arrangement.starts_on:
            raise forms.ValidationError(
                f"The end must be on or after the start ({long_date(self.arrangement.starts_on)})"
            )
        return ends_on


class ComplianceCheckForm(OneTimeTokenMixin, forms.Form):
    arrangement = forms.ModelChoiceField(
        label="Training arrangement checked",
        queryset=TrainingArrangement.objects.none(),
        empty_label="Choose an arrangement",
        error_messages={
            "required": "Choose the training arrangement you checked",
            "invalid_choice": "Choose one of this service's current training arrangements",
        },
    )
    checked_on = DateField(label="Date of the check", latest_days=0)
    outcome = forms.ChoiceField(
        choices=ComplianceCheck.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the check"},
    )
    scope_covers_populations = forms.ChoiceField(
        label="Does the certificate's scope cover the people the service supports?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the scope covers the service's populations"},
    )
    scope_covers_settings = forms.ChoiceField(
        label="Does it cover the service's settings?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the scope covers the service's settings"},
    )
    scope_covers_content = forms.ChoiceField(
        label="Does it cover the content bought, for example physical restraint?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the scope covers the content bought"},
    )
    evidence = forms.CharField(
        label="Evidence seen",
        help_text="For example: certificate copy, the register entry, the body's directory.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Describe the evidence you saw"},
    )
    evidence_file = forms.FileField(
        label="Upload a copy of the evidence (optional)",
        help_text="A PDF, PNG or JPEG file, 5 MB or smaller.",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    next_review_due = DateField(
        label="Next review due",
        subject="Next review date",
        required=False,
        latest_days=366 * 3,
        help_text="Leave empty for 12 months after the check.",
    )
    confirm_contradiction = forms.BooleanField(
        label="Record the outcome as compliant anyway",
        required=False,
    )

    def __init__(self, *args, service_provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arrangement"].queryset = (
            TrainingArrangement.objects.filter(service_provider=service_provider)
            .current_on(timezone.localdate())
            .select_related("training_provider")
            .order_by("training_provider__name")
        )
        self.fields["arrangement"].label_from_instance = lambda a: a.training_provider.name

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"].replace("\x00", "").strip()
        if not evidence:
            raise forms.ValidationError("Describe the evidence you saw")
        return evidence

    def clean_notes(self):
        return self.cleaned_data["notes"].replace("\x00", "")

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError("The file must be 5 MB or smaller")
        kind = evidence_type(upload)
        if kind is None:
            raise forms.ValidationError("The file must be a PDF, PNG or JPEG")
        upload.name = f"evidence{kind[0]}"
        return upload

    def clean(self):
        cleaned = super().clean()
        arrangement, checked_on = cleaned.get("arrangement"), cleaned.get("checked_on")
        if arrangement and checked_on and checked_on < arrangement.starts_on:
            self.add_error(
                "checked_on",
                f"The check cannot be before the arrangement started "
                f"({long_date(arrangement.starts_on)})",
            )
        review = cleaned.get("next_review_due")
        if review and checked_on and review <= checked_on:
            self.add_error("next_review_due", "The next review must be after the check")
        for name in ("scope_covers_populations", "scope_covers_settings", "scope_covers_content"):
            if name in cleaned:
                cleaned[name] = cleaned[name] == "yes"
        return cleaned


class AlertSettingsForm(forms.Form):
    email_alerts = forms.ChoiceField(
        label="Email me when a training provider's status changes or a certificate nears its end",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="You will still see alerts on the dashboard.",
        error_messages={"required": "Choose yes or no"},
    )
