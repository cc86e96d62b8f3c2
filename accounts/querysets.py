"""Which organisations a user may see: the one rule every organisation's queryset shares."""

from django.db import models


class MemberScopedQuerySet(models.QuerySet):
    """Organisations reached through `Membership` (related name `memberships`).

    `for_user(user)` is the one way to ask "which of these may this user see or act for":
    the organisations the user is a member of; every organisation for a superuser (a site
    administrator); none for anonymous or deactivated users. Views fetch objects through it,
    so another organisation's page is a 404 rather than a template that hides things.
    """

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        # A user is a member of an organisation at most once (unique constraints), and the
        # membership's role always matches the kind of organisation (check constraint).
        return self.filter(memberships__user=user)
