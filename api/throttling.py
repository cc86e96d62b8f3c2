"""Rates per client address, or per API token at a higher rate. The address is
operations.client_address's (the one the logs and sign-in lockouts use, so a client cannot
pick its own with X-Forwarded-For).

Rates are read from settings.API_THROTTLE_RATES on each request (not at import, as DRF's
own classes do), so a deployment or a test can change them. A throttled request gets 429
with Retry-After (DRF adds the header; api.problems keeps it).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from operations.client_address import client_address

from .models import ApiToken


class ClientAddressThrottle(SimpleRateThrottle):
    """Every API request, counted per client address."""

    scope = "anonymous"

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request._request) or "unknown"

    def allow_request(self, request, view):
        # A caller with a token is counted by its token, at the token rate for this scope.
        if isinstance(request.auth, ApiToken):
            self.scope = f"token_{self.scope}"
            self.rate = self.get_rate()
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class VerificationThrottle(ClientAddressThrottle):
    """Bulk verification costs up to 100 checks a request: its own, lower, rate."""

    scope = "verification"
