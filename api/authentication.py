"""Token authentication for the API: `Authorization: Bearer rrn_…` (or `Token rrn_…`).

A request without the header is anonymous (the public reads and verification stay open); a
header with a token that is unknown, expired or revoked is refused with 401, so a client
whose token lapsed finds out rather than silently falling back to anonymous limits.
"""

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken

# Write the last-used time at most this often a token: not a write on every request.
LAST_USED_RESOLUTION_SECONDS = 60


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as: Authorization: Bearer <token>"
            )
        try:
            text = header[1].decode("ascii")
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed("This token is not valid") from error
        token = ApiToken.find(text)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This token is not valid: it may have expired or been revoked"
            )
        if not token.membership.user.is_active:
            # Its owner can no longer sign in: their tokens stop working too.
            raise exceptions.AuthenticationFailed("This token's owner can no longer sign in")
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.membership.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
