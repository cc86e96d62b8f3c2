"""Following a training provider with no account: asking for emails at an address,
confirming it by a signed link (double opt-in), the news emails, and unsubscribing.

Links carry signed tokens (django.core.signing), so no page ever shows or takes an address
other than in the sign-up form. A confirmation link expires; an unsubscribe link never does.
Sign-ups are throttled per address (`CONFIRMATIONS_PER_HOUR`) and every sign-up gets the same
answer, so the form neither floods an inbox nor tells whether an address already follows.
The news is compliance.alerts' own (`news_about`): one email per follower and key, recorded
before sending (FollowerAlert's unique constraint), so the job never sends one twice.
"""

import logging
from datetime import date, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .alert_email import alert_email
from .alerts import news_about
from .models import FollowerAlert, ProviderFollower

logger = logging.getLogger(__name__)

CONFIRM_SALT = "compliance.following.confirm"
UNSUBSCRIBE_SALT = "compliance.following.unsubscribe"
CONFIRMATION_VALID_FOR = timedelta(days=7)
THROTTLE_WINDOW = timedelta(hours=1)
CONFIRMATIONS_PER_HOUR = 3  # per address, across providers; one per provider and address


def confirm_token(follower) -> str:
    return signing.dumps({"f": follower.pk, "e": follower.email}, salt=CONFIRM_SALT)


def unsubscribe_token(follower) -> str:
    return signing.dumps({"f": follower.pk, "e": follower.email}, salt=UNSUBSCRIBE_SALT)


def _follower_from(token, salt, max_age=None):
    """The follower a token names, or None if it is forged, expired or out of date."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        follower = ProviderFollower.objects.select_related("provider").get(pk=data["f"])
    except (signing.BadSignature, ProviderFollower.DoesNotExist, KeyError, TypeError):
        return None
    return follower if follower.email == data["e"] else None


def follower_to_confirm(token):
    return _follower_from(token, CONFIRM_SALT, CONFIRMATION_VALID_FOR.total_seconds())


def follower_to_unsubscribe(token):
    return _follower_from(token, UNSUBSCRIBE_SALT)


def ask_to_follow(provider, email) -> bool:
    """Send a confirmation link to `email` unless it was sent one for this provider, or as
    many as the limit for any, within the hour. Returns whether an email was sent (for tests
    and logs; the page says the same either way)."""
    email = email.strip().lower()
    now = timezone.now()
    since = now - THROTTLE_WINDOW
    with transaction.atomic():
        follower, _ = ProviderFollower.objects.get_or_create(provider=provider, email=email)
        follower = ProviderFollower.objects.select_for_update().get(pk=follower.pk)
        if follower.confirmation_sent_at and follower.confirmation_sent_at >= since:
            return False
        recent = ProviderFollower.objects.filter(email=email, confirmation_sent_at__gte=since)
        if recent.count() >= CONFIRMATIONS_PER_HOUR:
            return False
        follower.confirmation_sent_at = now
        follower.save(update_fields=["confirmation_sent_at"])
        path = reverse("providers:follow_confirm", args=[provider.slug, confirm_token(follower)])
        alert_email(
            email,
            f"Confirm you want emails about {provider.name}",
            f"Someone, we hope you, asked for emails to this address when the certification "
            f"of {provider.name} changes on the RRN Training Register.\n\n"
            "If it was you, confirm with the link below within 7 days. If not, ignore this "
            "email: nothing will be sent.",
            path=path,
            link_text="Confirm your email address",
        ).send()
    return True


def confirm(follower):
    """Start (or restart) the follower's emails."""
    follower.confirmed_at = timezone.now()
    follower.unsubscribed_at = None
    follower.save(update_fields=["confirmed_at", "unsubscribed_at"])


def unsubscribe(follower):
    if follower.is_active:
        follower.unsubscribed_at = timezone.now()
        follower.save(update_fields=["unsubscribed_at"])


def unsubscribe_path(follower) -> str:
    return reverse("providers:unfollow", args=[follower.provider.slug, unsubscribe_token(follower)])


def alert_followers(today: date | None = None) -> list[FollowerAlert]:
    """Email every active follower the news recorded since they confirmed, once per key."""
    from providers.models import TrainingProvider

    today = today or timezone.localdate()
    followers = list(ProviderFollower.objects.active().order_by("pk"))
    if not followers:
        return []
    providers = TrainingProvider.objects.active().with_verdict_data()
    providers = {p.pk: p for p in providers.filter(pk__in={f.provider_id for f in followers})}
    done = set(
        FollowerAlert.objects.filter(follower__in=followers).values_list("follower_id", "key")
    )
    created = []
    for follower in followers:
        provider = providers.get(follower.provider_id)
        if provider is None:
            continue  # archived: it has left the register
        follower.provider = provider

        def is_news(effective_date, recorded_at, since=follower.confirmed_at):
            return recorded_at >= since

        for _kind, key, subject, message, _certification in news_about(provider, today, is_news):
            if (follower.pk, key[:100]) in done:
                continue
            try:
                with transaction.atomic():
                    alert = FollowerAlert.objects.create(
                        follower=follower, key=key[:100], subject=subject[:200]
                    )
                    alert_email(
                        follower.email,
                        subject,
                        message,
                        path=provider.get_absolute_url(),
                        link_text=f"See {provider.name} on the register",
                        unsubscribe_path=unsubscribe_path(follower),
                    ).send()
            except IntegrityError:
                continue  # another run sent it first
            created.append(alert)
    logger.info("send_alerts: %d follower emails", len(created))
    return created
