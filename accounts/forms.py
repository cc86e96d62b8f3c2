"""The sign-in and password reset forms: email address, whatever its case."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField

from .models import User

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length  # 254


class SignInForm(AuthenticationForm):
    """Email and password. The field keeps Django's name, `username`, which django-axes and
    the admin's sign-in form also use; users are looked up case-insensitively
    (`UserManager.get_by_natural_key`)."""

    username = UsernameField(
        label="Email address",
        # Checked before the password is: django-axes keeps the address tried, in 255
        # characters, and no account's address is longer than 254.
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "email", "spellcheck": "false"}
        ),
    )

    error_messages = {
        "invalid_login": "Enter the email address and password for your account.",
        "inactive": "This account has been closed. Ask your organisation to reopen it.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your email address."
        self.fields["username"].error_messages["max_length"] = (
            f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer"
        )
        self.fields["password"].error_messages["required"] = "Enter your password."


class ResetPasswordForm(PasswordResetForm):
    """Django's form (it matches the email case-insensitively and never says whether an
    account exists), with the GOV.UK wording."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address in the correct format, like name@example.com.",
        },
    )
