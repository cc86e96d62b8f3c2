"""Forms of the public certification pages."""

from django import forms

from .certificate_check import MAX_CERTIFICATE_NUMBER_LENGTH


class CertificateCheckForm(forms.Form):
    number = forms.CharField(
        label="Certificate number",
        help_text="As shown on the certificate, for example RRN-00123. Capitals and spaces "
        "do not matter.",
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
        number = "".join(self.cleaned_data["number"].split())
        if not number:
            raise forms.ValidationError("Enter a certificate number")
        if len(number) > MAX_CERTIFICATE_NUMBER_LENGTH:
            raise forms.ValidationError(
                f"Certificate numbers are {MAX_CERTIFICATE_NUMBER_LENGTH} characters or fewer"
            )
        return number
