"""Signing in: the audit log of sign-ins and how django-axes names the person trying.

Every successful, failed and ended sign-in is logged to the "accounts.signin" logger with
the user (or the email address tried) and the client's IP address. Passwords never are.
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from operations.client_address import client_address

logger = logging.getLogger("accounts.signin")


def client_ip(request):
    # The address django-axes counts failures against (behind the load balancer, the one it
    # forwarded for).
    return client_address(request) or "-"


# django-axes keeps the address tried in a column of 255 characters.
AXES_USERNAME_MAX_LENGTH = 255


def axes_username(request, credentials):
    """The email address tried, as django-axes counts failures: case and spaces ignored,
    so "Alice@Example.org " and "alice@example.org" share one count. Cut to what django-axes
    can keep (on PostgreSQL a longer one fails to save): no account's address is that long,
    and the sign-in form refuses one (the admin's sign-in form does not)."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username", "")
    return str(username or "").strip().lower()[:AXES_USERNAME_MAX_LENGTH]


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    logger.info("sign-in succeeded user=%s ip=%s", user.pk, client_ip(request))


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    logger.warning(
        "sign-in failed email=%r ip=%s",
        axes_username(None, credentials),
        client_ip(request),
    )


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    logger.info("signed out user=%s ip=%s", getattr(user, "pk", None), client_ip(request))
