"""One alert email: a plain-text and an HTML part, rendered from templates/emails/alert.*.

Alerts are sent by a scheduled job, outside any request, so links are made absolute from
settings.SITE_URL. Used for members' alerts and for the people who follow a provider
(compliance.following), which also pass an unsubscribe link (RFC 8058 headers).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else ""


def alert_email(to, subject, message, *, path="", link_text="", unsubscribe_path=""):
    """The email for one alert, ready to send. `path` is a page of this site to act on."""
    context = {
        "subject": subject,
        "message": message,
        "link_url": absolute_url(path),
        "link_text": link_text,
        "unsubscribe_url": absolute_url(unsubscribe_path),
    }
    headers = {}
    if unsubscribe_path:
        # One-click unsubscribe (RFC 8058): mail clients POST to this address.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/alert.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    email.attach_alternative(render_to_string("emails/alert.html", context), "text/html")
    return email
