"""API tokens: an organisation's key to the API, held by one of its members.

A token is shown once, when made; only a SHA-256 hash of its secret is stored (the secret is
32 random bytes, so a fast hash is enough: there is nothing to guess). The token's prefix,
stored as it is, finds the row. A token acts for its membership's organisation, with read or
write scope, until it expires or is revoked; deleting the membership deletes its tokens.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

TOKEN_START = "rrn"
PREFIX_BYTES = 6
SECRET_BYTES = 32


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        # A leaver's tokens stop with their account, as their session does.
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=now, membership__user__is_active=True
        )

    def of_organisations_of(self, user):
        """Tokens of the organisations `user` is a member of (any member manages them)."""
        from accounts.models import ORGANISATION_FIELD_BY_ROLE

        condition = Q(pk__in=[])
        for membership in user.memberships.all():
            field = ORGANISATION_FIELD_BY_ROLE[membership.role]
            condition |= Q(
                membership__role=membership.role,
                **{f"membership__{field}_id": getattr(membership, f"{field}_id")},
            )
        return self.filter(condition)


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    name = models.CharField(max_length=100, help_text="What uses it, for example: CRM nightly")
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="api_tokens"
    )
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(secret_hash=""),
                name="api_token_has_secret_hash",
                violation_error_message="A token needs the hash of its secret.",
            ),
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]),  # ApiToken.Scope (not in reach here)
                name="api_token_scope_known",
                violation_error_message="A token's scope is read or write.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @classmethod
    def issue(cls, *, name, membership, scope, expires_at, created_by):
        """A new token and its full text, which is shown once and never stored."""
        prefix = secrets.token_hex(PREFIX_BYTES)
        secret = secrets.token_urlsafe(SECRET_BYTES)
        token = cls.objects.create(
            name=name,
            membership=membership,
            scope=scope,
            prefix=prefix,
            secret_hash=hash_secret(secret),
            expires_at=expires_at,
            created_by=created_by,
        )
        return token, f"{TOKEN_START}_{prefix}_{secret}"

    @classmethod
    def find(cls, text):
        """The usable token `text` is, or None (unknown, wrong secret, expired, revoked)."""
        parts = str(text).split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_START or len(parts[1]) != 2 * PREFIX_BYTES:
            return None
        token = (
            cls.objects.usable().select_related("membership__user").filter(prefix=parts[1]).first()
        )
        if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(parts[2])):
            return None
        return token

    @property
    def organisation(self):
        return self.membership.organisation

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


# How long a client may retry a POST with the same Idempotency-Key and get the first answer.
IDEMPOTENCY_KEY_LIFETIME = dt.timedelta(hours=24)
MAX_IDEMPOTENCY_KEY_LENGTH = 255


class IdempotencyKeyQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(created_at__lte=(now or timezone.now()) - IDEMPOTENCY_KEY_LIFETIME)


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key` header, kept for 24 hours so
    that a retry with the same key (by the same token) gets that answer and writes nothing.
    Only successful writes are kept: a refused one wrote nothing, so retrying it is safe."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=MAX_IDEMPOTENCY_KEY_LENGTH)
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the method, path and JSON body of the request"
    )
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    objects = IdempotencyKeyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_once_per_token")
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created_idx")]

    def __str__(self):
        return f"{self.key} ({self.token_id})"
