"""Forms of the certification pages: the public certificate check, and the admin's status
moves, ordinary edits and new records."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from pages.dates import DATE_HINT, DateField
from pages.import_limits import limits_text

from . import models
from .certificate_check import MAX_CERTIFICATE_NUMBER_LENGTH
from .certificate_numbers import EXAMPLE_CERTIFICATE_NUMBER, certificate_key
from .models import DUPLICATE_NUMBER_MESSAGE, AccreditationChange, Certification
from .services import (
    Certificate,
    check_no_current_certification,
    normalise_certificate_number,
    scope_errors,
    stale_message,
)
from .statuses import ALLOWED_MOVES, Status

# Everything an editor may change on a certification; status, certificate number and dates
# change only through status moves; provider and body are chosen once, when it is created
# (certification is not transferable; see `services.correct_provider_or_body`).
FIXED_FIELDS = [name.removesuffix("_id") for name in models.FIXED_FIELDS]
EDITABLE_FIELDS = [
    "role",
    "parent",
    "standards_edition",
    "registered_on",
    "populations",
    "settings",
    "regions",
    "curricula",
    "specialist_content",
    "is_archived",
]

# GOV.UK date inputs (pages.dates). A status move and a certificate's start are today or in
# the past (certification.services checks so too); a certificate may run for some years.
CERTIFICATE_YEARS_AHEAD = 10


def certificate_date_fields():
    return {
        "certified_on": DateField(
            label="Certificate starts on",
            subject="Start date",
            required=False,
            latest_days=0,
            help_text=DATE_HINT,
        ),
        "valid_until": DateField(
            label="Certificate ends on",
            subject="End date",
            required=False,
            latest_days=366 * CERTIFICATE_YEARS_AHEAD,
            help_text=DATE_HINT,
        ),
    }


class CertificateFieldsMixin:
    """Certificate number and dates, asked for when the move is to `certified`."""

    def clean_certificate(self, to_status):
        data = self.cleaned_data
        if to_status != Status.CERTIFIED:
            return None
        missing = False
        for name, message in (
            ("certificate_number", "Enter the certificate number"),
            ("certified_on", "Enter the date the certificate starts"),
            ("valid_until", "Enter the date the certificate ends"),
        ):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
                missing = True
        if missing or self.errors:
            return None
        return Certificate(data["certificate_number"], data["certified_on"], data["valid_until"])


class StatusMoveForm(CertificateFieldsMixin, forms.Form):
    """A status move: only the moves allowed from the certification's current status."""

    to_status = forms.ChoiceField(label="New status", widget=forms.RadioSelect)
    effective_date = DateField(
        label="Effective date",
        latest_days=0,
        help_text=f"When the change takes effect. {DATE_HINT}",
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the status changes. Shown in the certification's public history.",
    )
    certificate_number = forms.CharField(
        required=False, max_length=40, help_text="Only when the new status is Certified"
    )
    certified_on, valid_until = certificate_date_fields().values()
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, certification, **kwargs):
        self.certification = certification
        kwargs.setdefault(
            "initial",
            {
                "version": certification.version,
                "effective_date": timezone.localdate(),
                "certificate_number": certification.certificate_number,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = self.move_choices(certification.status)

    @staticmethod
    def move_choices(status):
        allowed = ALLOWED_MOVES[status]
        choices = []
        for target in Status:
            if target not in allowed:
                continue
            label = target.label
            if target == status == Status.CERTIFIED:
                label = "Certified: renewal (new certificate dates)"
            elif status == Status.SUSPENDED and target == Status.CERTIFIED:
                label = "Certified: reinstated"
            elif status == Status.EXPIRED and target == Status.CERTIFIED:
                label = "Certified: recertified"
            choices.append((target.value, label))
        return choices

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Enter the reason for this change")
        return reason

    def clean_certificate_number(self):
        return normalise_certificate_number(self.cleaned_data.get("certificate_number"))

    def clean(self):
        data = super().clean()
        self.certificate = self.clean_certificate(data.get("to_status"))
        return data


class ScopeFieldsMixin:
    """Checks of the fields whose valid values depend on the certification's provider and
    body, whoever is editing (the admin limits each field to the user's scope first)."""

    def clean_scope_fields(self, provider, body):
        data = self.cleaned_data
        errors = scope_errors(
            self.instance,
            provider=provider,
            body=body,
            parent=data.get("parent"),
            curricula=data.get("curricula"),
        )
        for field, message in errors.items():
            self.add_error(field, message)


class CertificationChangeForm(ScopeFieldsMixin, forms.ModelForm):
    """An ordinary edit. `opened_version` is the version the editor opened; saving checks it
    (here for a friendly message, and again in the UPDATE for a race-proof refusal)."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Certification
        fields = EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["opened_version"] = self.instance.version

    def clean(self):
        data = super().clean()
        self.clean_scope_fields(self.instance.provider, self.instance.body)
        opened = data.get("opened_version")
        if self.instance.pk and opened is not None:
            current = Certification.objects.get(pk=self.instance.pk)
            if current.version != opened:
                raise ValidationError(stale_message(current), code="stale")
        return data


class CertificationAddForm(ScopeFieldsMixin, CertificateFieldsMixin, forms.ModelForm):
    """A new certification: put on the register with its first event (who, when, why)."""

    status = forms.ChoiceField(
        label="Status",
        choices=[(s.value, s.label) for s in Status if s in ALLOWED_MOVES[None]],
        initial=Status.WORKING_TOWARDS,
    )
    effective_date = DateField(label="Effective date", latest_days=0, help_text=DATE_HINT)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))
    certificate_number = forms.CharField(
        required=False, max_length=40, help_text="Only when the status is Certified"
    )
    certified_on, valid_until = certificate_date_fields().values()

    class Meta:
        model = Certification
        fields = FIXED_FIELDS + EDITABLE_FIELDS

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Enter the reason for this change")
        return reason

    def clean_certificate_number(self):
        number = normalise_certificate_number(self.cleaned_data.get("certificate_number"))
        key = certificate_key(number)
        if key and Certification.objects.filter(certificate_key=key).exists():
            raise ValidationError(DUPLICATE_NUMBER_MESSAGE)
        return number

    def clean_effective_date(self):
        effective = self.cleaned_data["effective_date"]
        if effective > timezone.localdate():
            raise ValidationError("Effective date must be today or in the past")
        return effective

    def clean(self):
        data = super().clean()
        self.certificate = self.clean_certificate(data.get("status"))
        provider, body = data.get("provider"), data.get("body")
        self.clean_scope_fields(provider, body)
        check_no_current_certification(provider, body)
        return data


class AccreditationChangeForm(forms.ModelForm):
    """A change of a body's UKAS accreditation, and when it was last checked with UKAS."""

    verified_on = DateField(
        label="Last verified with UKAS on (optional)",
        subject="Date last verified",
        required=False,
        latest_days=0,
        help_text=f"Updates the body's “last verified” date. {DATE_HINT}",
    )

    class Meta:
        model = AccreditationChange
        fields = ["body", "status", "effective_date", "note"]


class CertificateCheckForm(forms.Form):
    number = forms.CharField(
        label="Certificate number",
        help_text=f"As shown on the certificate, for example {EXAMPLE_CERTIFICATE_NUMBER}. "
        "Capitals, spaces, hyphens, slashes and dots do not matter.",
        # Room for spaces the reader may type; the normalised number is checked below.
        max_length=200,
        error_messages={
            "required": "Enter a certificate number",
            "max_length": (
                f"Certificate numbers are {MAX_CERTIFICATE_NUMBER_LENGTH} characters or fewer"
            ),
        },
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_number(self):
        number = normalise_certificate_number(self.cleaned_data["number"]) or ""
        if not certificate_key(number):
            raise forms.ValidationError(
                f"Enter a certificate number, like {EXAMPLE_CERTIFICATE_NUMBER}"
            )
        if len(number) > MAX_CERTIFICATE_NUMBER_LENGTH:
            raise forms.ValidationError(
                f"Certificate numbers are {MAX_CERTIFICATE_NUMBER_LENGTH} characters or fewer"
            )
        return number


class CertificationImportForm(forms.Form):
    """Upload of a CSV file of one body's certifications."""

    body = forms.ModelChoiceField(queryset=None, label="Certification body", empty_label=None)
    file = forms.FileField(label="CSV file")

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["file"].help_text = (
            f"UTF-8 CSV in the columns of the template, {limits_text()} at a time, changing "
            f"at most {settings.IMPORT_MAX_UPDATES:,} certifications already on the register."
        )

    def clean_file(self):
        from pages.import_limits import ImportTooLarge, read_capped

        from .importing import ImportFileError, decode_upload, read_rows

        upload = self.cleaned_data["file"]
        try:
            raw = read_capped(upload)
            text = decode_upload(raw)
            read_rows(text)
        except (ImportFileError, ImportTooLarge) as error:
            raise ValidationError(str(error)) from error
        self.text = text
        return upload
