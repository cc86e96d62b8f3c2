"""Querysets for service providers and commissioners."""

from accounts.querysets import MemberScopedQuerySet


class ServiceProviderQuerySet(MemberScopedQuerySet):
    pass


class CommissionerQuerySet(MemberScopedQuerySet):
    pass
