"""The one path by which a certification's provider or body changes: a site administrator's
correction of a mistake, with its reason (certification is not transferable).

The admin page "Correct provider or body" of a certification (`correct_provider_or_body_view`,
site administrators only) calls `services.correct_provider_or_body`, which records a
`CertificationCorrection`, changes the certification with the reason in its field history, and
rebuilds the headline periods of the old and the new provider. The admin's log records it too.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from config.admin_site import KeyCheckedAutocompleteSelect
from providers.models import TrainingProvider

from .models import Certification, CertificationBody
from .services import StaleCertificationError, correct_provider_or_body


class ProviderOrBodyCorrectionForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=TrainingProvider.objects.all(),
        label="Training provider",
        error_messages={"required": "Choose the training provider the certificate is for"},
    )
    body = forms.ModelChoiceField(
        queryset=CertificationBody.objects.order_by("name"),
        label="Certification body",
        empty_label=None,
        error_messages={"required": "Choose the certification body that issued it"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the recorded provider or body was wrong. Kept in the history.",
        error_messages={"required": "Enter the reason for this correction"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, certification, admin_site, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "provider": certification.provider_id,
                "body": certification.body_id,
                "version": certification.version,
            },
        )
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        # Key-checked: a posted value that is no id is left out when the form is shown again.
        provider.widget = KeyCheckedAutocompleteSelect(
            Certification._meta.get_field("provider"), admin_site
        )
        provider.widget.choices = provider.choices

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Enter the reason for this correction")
        return reason


def correct_provider_or_body_view(model_admin, request, object_id):
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied
    certification = get_object_or_404(
        Certification.objects.select_related("provider", "body"), pk=object_id
    )
    form = ProviderOrBodyCorrectionForm(
        request.POST or None, certification=certification, admin_site=model_admin.admin_site
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was = f"{certification.provider} — {certification.body}"
        try:
            if data["version"] != certification.version:
                raise StaleCertificationError("This certification changed since you opened it.")
            correct_provider_or_body(
                certification,
                provider=data["provider"],
                body=data["body"],
                reason=data["reason"],
                recorded_by=request.user,
            )
        except (ValidationError, IntegrityError) as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, getattr(error, "messages", [str(error)]))
        else:
            certification.refresh_from_db()
            model_admin.log_change(
                request,
                certification,
                f"Corrected provider or body from {was} to {data['provider']} — "
                f"{data['body']}: {data['reason']}",
            )
            model_admin.message_user(
                request,
                f"Corrected: the certification is now {data['provider']}'s, by {data['body']}",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:certification_certification_change", args=[certification.pk])
            )
    return TemplateResponse(
        request,
        "admin/certification/certification/correct_provider_or_body.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"Correct provider or body: {certification}",
            "subtitle": None,
            "opts": model_admin.opts,
            "original": certification,
            "form": form,
            "media": model_admin.media + form.media,
            "corrections": certification.corrections.select_related(
                "from_provider", "from_body", "to_provider", "to_body", "recorded_by"
            ),
        },
    )
