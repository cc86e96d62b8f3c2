"""Following a provider from its public page, with no account (compliance.following): the
sign-up form, the confirmation link's page, and unsubscribing.

The links' pages show a button that POSTs: a mail scanner that fetches every link in an email
neither confirms nor unsubscribes. The unsubscribe POST is also the RFC 8058 one-click
target mail clients post to without a CSRF token, so it is CSRF-exempt; its signed token is
what authorises it. Sign-ups are limited per client address too (compliance.following): over
the limit the form says so, with 429 Too Many Requests.
"""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from compliance import following
from operations.client_address import client_address

from .models import TrainingProvider


class FollowForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We only use it to send these emails. It is never shown to anyone.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


TOO_MANY_SIGN_UPS = (
    "There have been too many requests for emails from your internet connection in the last "
    "hour. Try again in an hour"
)


def _provider(slug):
    return get_object_or_404(TrainingProvider.objects.active(), slug=slug)


@login_not_required
@require_http_methods(["GET", "POST"])
def follow(request, slug):
    provider = _provider(slug)
    form = FollowForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        if following.client_may_sign_up(client_address(request)):
            following.ask_to_follow(provider, form.cleaned_data["email"])
            return redirect("providers:follow_sent", provider.slug)
        form.add_error(None, TOO_MANY_SIGN_UPS)
        status = 429
    context = {"provider": provider, "form": form}
    return render(request, "providers/follow.html", context, status=status)


@login_not_required
def follow_sent(request, slug):
    return render(request, "providers/follow_sent.html", {"provider": _provider(slug)})


def _link_not_valid(request, provider):
    return render(request, "providers/follow_link.html", {"provider": provider}, status=404)


@login_not_required
@require_http_methods(["GET", "POST"])
def follow_confirm(request, slug, token):
    provider = _provider(slug)
    follower = following.follower_to_confirm(token)
    if follower is None or follower.provider_id != provider.pk:
        return _link_not_valid(request, provider)
    if request.method == "POST":
        following.confirm(follower)
        return render(request, "providers/follow_done.html", {"provider": provider})
    return render(request, "providers/follow_confirm.html", {"provider": provider})


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unfollow(request, slug, token):
    provider = _provider(slug)
    follower = following.follower_to_unsubscribe(token)
    if follower is None or follower.provider_id != provider.pk:
        return _link_not_valid(request, provider)
    if request.method == "POST":
        following.unsubscribe(follower)
        return render(request, "providers/unfollow_done.html", {"provider": provider})
    return render(request, "providers/unfollow.html", {"provider": provider})
