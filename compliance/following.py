"""Following a training provider with no account: asking for emails at an address,
confirming it by a signed link (double opt-in), the news emails, and unsubscribing.

Links carry signed tokens (django.core.signing) of the follower's id and its random
`link_secret`, never its address: signing does not encrypt, and links end up in URLs, logs
and List-Unsubscribe headers. So no page, link or log shows an address; only the sign-up
form takes one. A confirmation link expires; an unsubscribe link never does (but an
unsubscribed follower is forgotten at the next `send_alerts`, `forget_addresses`).
Sign-ups are throttled per address (`CONFIRMATIONS_PER_HOUR`) and per client address
(`SIGN_UPS_PER_CLIENT_PER_HOUR`), and every sign-up under the limits gets the same answer, so
the form neither floods an inbox nor tells whether an address already follows. The
confirmation email is sent once the sign-up is committed: a mail server that is down loses
that email (logged; asking again sends it) but not the sign-up or the page.
The news is compliance.alerts' own (`news_about`), sent by its `send_once`: one email per
follower and key, recorded before sending (FollowerAlert's unique constraint), so the job
never sends one twice.
"""

import logging
import time
from datetime import date, timedelta
from functools import partial

from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .alert_email import alert_email
from .alerts import news_about, send_once
from .models import FollowerAlert, ProviderFollower

logger = logging.getLogger(__name__)

CONFIRM_SALT = "compliance.following.confirm"
UNSUBSCRIBE_SALT = "compliance.following.unsubscribe"
CONFIRMATION_VALID_FOR = timedelta(days=7)
THROTTLE_WINDOW = timedelta(hours=1)
CONFIRMATIONS_PER_HOUR = 3  # per address, across providers; one per provider and address
SIGN_UPS_PER_CLIENT_PER_HOUR = 10  # per client address (operations.client_address)
# News is looked for this far back (and no further than the follower's confirmation): an
# email that failed is tried again by each run for a week, and each run asks the database
# only about the news of that week.
NEWS_RETRIED_FOR = timedelta(days=7)


def _token(follower, salt) -> str:
    return signing.dumps({"f": follower.pk, "s": follower.link_secret}, salt=salt)


def confirm_token(follower) -> str:
    return _token(follower, CONFIRM_SALT)


def unsubscribe_token(follower) -> str:
    return _token(follower, UNSUBSCRIBE_SALT)


def _follower_from(token, salt, max_age=None):
    """The follower a token names, or None if it is forged, expired or of another follower
    (links made before followers had secrets named the address: they are no longer valid)."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        follower = ProviderFollower.objects.select_related("provider").get(pk=data["f"])
        secret = data["s"]
    except (signing.BadSignature, ProviderFollower.DoesNotExist, KeyError, TypeError):
        return None
    if not isinstance(secret, str) or not constant_time_compare(secret, follower.link_secret):
        return None
    return follower


def follower_to_confirm(token):
    return _follower_from(token, CONFIRM_SALT, CONFIRMATION_VALID_FOR.total_seconds())


def follower_to_unsubscribe(token):
    return _follower_from(token, UNSUBSCRIBE_SALT)


def client_may_sign_up(address) -> bool:
    """Count one sign-up from this client address; False once it has made more than the
    limit this hour. Counted in the configured cache (Redis in production, shared by every
    instance), in fixed one-hour windows."""
    window = int(time.time() // THROTTLE_WINDOW.total_seconds())
    key = f"following:sign-ups:{address or 'unknown'}:{window}"
    cache.add(key, 0, timeout=int(THROTTLE_WINDOW.total_seconds()) + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # the key was evicted between add and incr
        cache.set(key, 1, timeout=int(THROTTLE_WINDOW.total_seconds()) + 60)
        count = 1
    return count <= SIGN_UPS_PER_CLIENT_PER_HOUR


def ask_to_follow(provider, email) -> bool:
    """Send a confirmation link to `email` unless it was sent one for this provider, or as
    many as the limit for any, within the hour. The email goes once the sign-up is
    committed. Returns whether an email was due (for tests and logs; the page says the same
    either way)."""
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
        follower.provider = provider
        # Not while holding the row lock, and a mail server that fails does not undo it.
        transaction.on_commit(partial(_send_confirmation, follower), robust=True)
    return True


def _send_confirmation(follower):
    provider = follower.provider
    path = reverse("providers:follow_confirm", args=[provider.slug, confirm_token(follower)])
    try:
        alert_email(
            follower.email,
            f"Confirm you want emails about {provider.name}",
            f"Someone, we hope you, asked for emails to this address when the certification "
            f"of {provider.name} changes on the RRN Training Register.\n\n"
            "If it was you, confirm with the link below within 7 days. If not, ignore this "
            "email: nothing will be sent.",
            path=path,
            link_text="Confirm your email address",
        ).send()
    except Exception as error:
        # Its class only: an SMTP error's text may hold the address.
        logger.error(
            "Follow: the confirmation email to follower %s failed: %s",
            follower.pk,
            type(error).__name__,
        )
        # Not sent, so not counted: asking again sends it.
        ProviderFollower.objects.filter(
            pk=follower.pk, confirmation_sent_at=follower.confirmation_sent_at
        ).update(confirmation_sent_at=None)


def confirm(follower):
    """Start the follower's emails, or restart them after unsubscribing. Confirming again
    while they run changes nothing: news since the first confirmation not yet sent is still
    sent. One conditional UPDATE, so two clicks at once confirm once."""
    ProviderFollower.objects.filter(
        Q(confirmed_at__isnull=True) | Q(unsubscribed_at__isnull=False), pk=follower.pk
    ).update(confirmed_at=timezone.now(), unsubscribed_at=None)


def unsubscribe(follower):
    ProviderFollower.objects.filter(
        pk=follower.pk, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())


def unsubscribe_path(follower) -> str:
    return reverse("providers:unfollow", args=[follower.provider.slug, unsubscribe_token(follower)])


def forget_addresses(now=None) -> int:
    """Delete the sign-ups never confirmed whose confirmation link has expired, and the
    followers who unsubscribed, with their sent-news records (they only stop a follower
    being sent news twice; signing up again makes a new follower, sent only the news from
    when it confirms). Returns how many followers were deleted."""
    cutoff = (now or timezone.now()) - CONFIRMATION_VALID_FOR
    expired = Q(confirmed_at__isnull=True) & (
        Q(confirmation_sent_at__lt=cutoff)
        | Q(confirmation_sent_at__isnull=True, created_at__lt=cutoff)
    )
    _, deleted = ProviderFollower.objects.filter(
        expired | Q(unsubscribed_at__isnull=False)
    ).delete()
    return deleted.get(ProviderFollower._meta.label, 0)


def _news_email(alert, *, message):
    follower = alert.follower
    provider = follower.provider
    return alert_email(
        follower.email,
        alert.subject,
        message,
        path=provider.get_absolute_url(),
        link_text=f"See {provider.name} on the register",
        unsubscribe_path=unsubscribe_path(follower),
    )


def alert_followers(today: date | None = None) -> list[FollowerAlert]:
    """Email every active follower the news recorded since they confirmed (within the last
    `NEWS_RETRIED_FOR`), once per key."""
    from providers.models import TrainingProvider

    today = today or timezone.localdate()
    followers = list(ProviderFollower.objects.active().order_by("pk"))
    if not followers:
        return []
    providers = TrainingProvider.objects.active().with_verdict_data()
    providers = {p.pk: p for p in providers.filter(pk__in={f.provider_id for f in followers})}
    retried_since = timezone.now() - NEWS_RETRIED_FOR
    outgoing = []
    for follower in followers:
        provider = providers.get(follower.provider_id)
        if provider is None:
            continue  # archived: it has left the register
        follower.provider = provider

        since = max(follower.confirmed_at, retried_since)

        def is_news(effective_date, recorded_at, since=since):
            return recorded_at >= since

        for _kind, key, subject, message, _certification in news_about(provider, today, is_news):
            alert = FollowerAlert(follower=follower, key=key, subject=subject[:200])
            outgoing.append((alert, partial(_news_email, message=message)))
    sent = send_once(FollowerAlert, "follower", outgoing)
    logger.info("send_alerts: %d follower emails", len(sent))
    return sent
