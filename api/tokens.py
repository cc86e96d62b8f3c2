"""The API tokens page under a user's account: an organisation's staff make and revoke the
organisation's tokens. A token's full text is shown once, on the page that made it."""

import datetime as dt

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Membership

from .models import ApiToken

EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year")]


class MembershipChoice(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        return str(membership.organisation)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What will use it, for example: contract system nightly check",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
    membership = MembershipChoice(
        label="Organisation",
        queryset=Membership.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the organisation the token acts for",
            "invalid_choice": "Choose one of your organisations",
        },
    )
    scope = forms.ChoiceField(
        label="Access",
        choices=ApiToken.Scope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the token may do"},
    )
    expires_in = forms.ChoiceField(
        label="Expires after",
        choices=EXPIRY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the token expires"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's own organisations: checked on the server, not only offered.
        self.fields["membership"].queryset = user.memberships.all()


def _page(request, form, new_token=None, status=200):
    tokens = ApiToken.objects.of_organisations_of(request.user).select_related(
        "membership__service_provider",
        "membership__commissioner",
        "membership__certification_body",
        "membership__training_provider",
    )
    rows = [(token, token.organisation) for token in tokens]
    return render(
        request,
        "api/tokens.html",
        {"form": form, "rows": rows, "new_token": new_token, "now": timezone.now()},
        status=status,
    )


def api_tokens(request):
    if request.method == "POST":
        form = ApiTokenForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            token, text = ApiToken.issue(
                name=data["name"],
                membership=data["membership"],
                scope=data["scope"],
                expires_at=timezone.now() + dt.timedelta(days=int(data["expires_in"])),
                created_by=request.user,
            )
            return _page(request, ApiTokenForm(user=request.user), new_token=(token, text))
        return _page(request, form)
    return _page(request, ApiTokenForm(user=request.user))


@require_POST
def revoke_api_token(request, pk):
    token = ApiToken.objects.of_organisations_of(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token")
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    return redirect("api_tokens:list")
