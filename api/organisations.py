"""Which organisation an API caller acts for: the one access rule of the organisations' own
reads (a service provider's arrangements, a commissioner's services).

A caller is a token (api.authentication) or a signed-in member's session. A token acts for
its own organisation only, whatever else its owner is a member of; a session acts for every
organisation its user may see on the pages (`for_user`: members, and site administrators).
Any other organisation is a 404, so a token cannot learn which organisations exist.
"""

from django.http import Http404
from rest_framework import authentication
from rest_framework.permissions import IsAuthenticated

from accounts.models import ORGANISATION_FIELD_BY_ROLE, Membership

from .authentication import ApiTokenAuthentication
from .models import ApiToken

# A token first: its header decides, and it answers an anonymous request with 401 and
# `WWW-Authenticate: Bearer`. A session is read only for GETs here (DRF checks CSRF on the
# others), so a page's cookie cannot be used to write through the API.
ORGANISATION_AUTHENTICATION = [ApiTokenAuthentication, authentication.SessionAuthentication]
# No caller, no answer: 401 (and the schema says these operations need one).
ORGANISATION_PERMISSIONS = [IsAuthenticated]


def organisation_for(request, model, slug):
    """The `model` (ServiceProvider or Commissioner) `slug` the caller may read, or 404.
    For views with ORGANISATION_PERMISSIONS: the caller is signed in or has a token."""
    organisations = model.objects.for_user(request.user)  # also: the owner is still an active user
    token = request.auth if isinstance(request.auth, ApiToken) else None
    if token is not None:
        membership = token.membership
        field = ORGANISATION_FIELD_BY_ROLE.get(membership.role)
        if field is None or Membership._meta.get_field(field).related_model is not model:
            raise Http404("There is nothing at this address")  # another kind of organisation
        organisations = organisations.filter(pk=getattr(membership, f"{field}_id"))
    organisation = organisations.filter(slug=slug).first()
    if organisation is None:
        raise Http404("There is nothing at this address")
    return organisation
