"""Security events in the log: every denied access and every sign-in lockout.

(Sign-ins, failed sign-ins and sign-outs are logged by accounts.signin.)

Each line carries an ``event`` name, so alerts can be set on, say, a burst of
``access_denied`` or ``sign_in_locked_out`` without parsing messages.
"""

import logging

from django.apps import apps

from .client_address import client_address

logger = logging.getLogger("rrn.security")

# Statuses that mean "you may not": not signed in, forbidden (access checks, CSRF), too many
# sign-in attempts (django-axes' lockout).
DENIED_STATUSES = frozenset({401, 403, 429})


def _client(request):
    if request is None:
        return {}
    return {
        "method": request.method,
        "path": request.path,
        "client_address": client_address(request) or "",
        "remote_addr": request.META.get("REMOTE_ADDR", ""),
        "forwarded_for": request.headers.get("X-Forwarded-For", ""),
    }


def _user_id(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning(
        "sign-in locked out",
        extra={
            "event": "sign_in_locked_out",
            "username": username or "",
            "ip_address": ip_address or "",
            **_client(request),
        },
    )


def connect():
    # Sign-ins, failed sign-ins and sign-outs are logged by accounts.signin; lockouts here.
    if apps.is_installed("axes"):
        from axes.signals import user_locked_out

        user_locked_out.connect(log_lockout, dispatch_uid="operations.log_lockout")


class DeniedAccessLogMiddleware:
    """Logs every response that denies access, whatever refused it.

    A view's access check raising ``PermissionDenied``, a CSRF failure and an axes lockout all
    reach here as a 403 or 429 response; an access check that hides an object answers 404,
    logged at a lower level because most 404s are only mistyped addresses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status in DENIED_STATUSES:
            logger.warning(
                "access denied",
                extra={
                    "event": "access_denied",
                    "status": status,
                    "user_id": _user_id(request),
                    **_client(request),
                },
            )
        elif status == 404:
            logger.info(
                "not found",
                extra={
                    "event": "not_found",
                    "status": status,
                    "user_id": _user_id(request),
                    **_client(request),
                },
            )
        return response
