"""Who may use the certification bodies' operations: a certification body's API token, and
for a write a token with write scope. A token acts for its organisation only, whoever made
it (a site administrator's token included), so a leaked token can never reach beyond one
body's records; another body's records are not found (404, in the views' querysets)."""

from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from accounts.models import Role

from .models import ApiToken


def token_body(request):
    """The certification body the request's token acts for (after `BodyToken` let it in)."""
    return request.auth.membership.certification_body


class BodyToken(permissions.BasePermission):
    """A token of a certification body: any scope to read its own records, write scope to
    change them. No token: 401 (DRF answers NotAuthenticated when no authenticator
    succeeded); another kind of organisation's token, or a read-only one on a write: 403."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        if token.membership.role != Role.CERTIFICATION_BODY_STAFF:
            raise PermissionDenied(
                "Only a certification body's API token may use this operation: this token "
                "acts for another kind of organisation"
            )
        if request.method not in permissions.SAFE_METHODS and token.scope != ApiToken.Scope.WRITE:
            raise PermissionDenied(
                "This token may only read: make a token with read and write access on your "
                "account's API tokens page"
            )
        return True
