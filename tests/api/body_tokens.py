"""API tokens for the tests of certification bodies' writes: a token of any organisation,
in any state, and a client that sends it."""

import datetime as dt

from django.utils import timezone

from api.models import ApiToken
from certification.models import CertificationBody
from certification.staff import add_body_staff
from tests.factories import MembershipFactory, UserFactory


def issue_token(
    organisation, scope=ApiToken.Scope.WRITE, *, user=None, expired=False, revoked=False
):
    """(token, text) of `organisation`'s member `user` (a new one if not given)."""
    user = user or UserFactory()
    if isinstance(organisation, CertificationBody):
        add_body_staff(user, organisation)
        membership = user.memberships.get(certification_body=organisation)
    else:
        membership = MembershipFactory.of(organisation, user=user)
    token, text = ApiToken.issue(
        name="Case management system",
        membership=membership,
        scope=scope,
        expires_at=timezone.now() + dt.timedelta(days=-1 if expired else 30),
        created_by=user,
    )
    if revoked:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    return token, text


def auth(text):
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}
