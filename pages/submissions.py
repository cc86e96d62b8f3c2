"""One-time tokens on the forms that create records, so a form posted twice writes once.

A creating form (OneTimeTokenMixin) carries a hidden random token, signed for the user it was
shown to. The view records the token with what it saved, in the same transaction as the write
(`save_once`; a unique constraint on the token decides between two posts racing each other).
A second post with the same token writes nothing: `earlier_result` sends it to the first
result, saying "This was already saved". A missing or forged token is a form error, and the
page it is shown on carries a fresh token, so a person can check their answers and save.
"""

import secrets

from django import forms
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect

from .models import FormSubmission

TOKEN_FIELD = "submission_token"
ALREADY_SAVED = "This was already saved"
REFUSED = "This form has expired: check your answers and save again"


def _signer(user):
    return signing.Signer(salt=f"pages.submissions:{user.pk}")


def new_token(user):
    """A fresh token for a form shown to `user`."""
    return _signer(user).sign(secrets.token_urlsafe(24))


def _verified(token, user):
    """The random part of a token signed for `user`, or None."""
    try:
        return _signer(user).unsign(token)
    except signing.BadSignature:
        return None


class OneTimeTokenMixin:
    """A creating form's one-time token: a hidden field. Pass `submitted_by=request.user`;
    `form.submission_token` is the posted token, verified (None when missing or forged).
    A model form editing a saved record has no token: saving an edit twice is one edit."""

    def __init__(self, *args, submitted_by, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission_token, self.token_refused = None, False
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            return
        self.fields[TOKEN_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        name = self.add_prefix(TOKEN_FIELD)
        posted = self.data.get(name, "") if self.is_bound else ""
        self.submission_token = _verified(str(posted)[:200], submitted_by) if posted else None
        self.token_refused = self.is_bound and self.submission_token is None
        if self.submission_token is None:
            fresh = new_token(submitted_by)
            self.fields[TOKEN_FIELD].initial = fresh
            if self.is_bound:  # the page shown again carries a token that can be saved
                self.data = self.data.copy()
                self.data[name] = fresh

    def clean(self):
        cleaned = super().clean()
        if self.token_refused:
            self.add_error(None, REFUSED)
        return cleaned


def earlier_result(request, form):
    """A redirect to what this form's token already saved, with a message; else None."""
    if form.submission_token is None:
        return None
    submission = FormSubmission.objects.filter(
        token=form.submission_token, user=request.user
    ).first()
    if submission is None:
        return None
    messages.info(request, ALREADY_SAVED)
    return redirect(submission.result_url)


def save_once(request, form, create):
    """Call `create()`, which writes and returns the redirect to what it wrote, and record the
    form's token with it, in one transaction. When a post of the same form got there first,
    nothing is written and its result is shown instead. Errors from `create()` propagate, with
    nothing written."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(
                    token=form.submission_token, user=request.user
                )
        except IntegrityError:
            pass  # the other post has committed (PostgreSQL waited for it): show its result
        else:
            response = create()
            submission.result_url = response.url
            submission.save(update_fields=["result_url"])
            return response
    return earlier_result(request, form) or redirect(request.path)
