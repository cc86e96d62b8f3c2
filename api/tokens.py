"""The API tokens page under a user's account: an organisation's staff make and revoke the
organisation's tokens. A token's full text is shown once, on the page that made it."""

import datetime as dt

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Membership
from pages import submissions
from pages.submissions import OneTimeTokenMixin

from .models import ApiToken

EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year")]


class MembershipChoice(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        return str(membership.organisation)


class ApiTokenForm(OneTimeTokenMixin, forms.Form):
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


def _form(request, data=None):
    return ApiTokenForm(data, user=request.user, submitted_by=request.user)


def api_tokens(request):
    if request.method == "POST":
        form = _form(request, request.POST)
        if (earlier := submissions.earlier_result(request, form)) is not None:
            return earlier  # posted again: the token was made (and shown) the first time
        if form.is_valid():
            made = []

            def create():
                data = form.cleaned_data
                made.append(
                    ApiToken.issue(
                        name=data["name"],
                        membership=data["membership"],
                        scope=data["scope"],
                        expires_at=timezone.now() + dt.timedelta(days=int(data["expires_in"])),
                        created_by=request.user,
                    )
                )
                # Where the same form posted again is sent: the list, as the token's text
                # is shown once, in the answer to this post only.
                return redirect("api_tokens:list")

            response = submissions.save_once(request, form, create)
            if not made:
                return response  # a post of the same form got there first
            return _page(request, _form(request), new_token=made[0])
        return _page(request, form)
    return _page(request, _form(request))


@require_POST
def revoke_api_token(request, pk):
    token = ApiToken.objects.of_organisations_of(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token")
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    return redirect("api_tokens:list")
