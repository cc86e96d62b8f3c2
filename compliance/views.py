"""Signed-in pages for service providers and commissioners.

Access is checked on the first line of every view, by fetching the organisation through
`for_user(request.user)` (compliance/querysets.py): another organisation's page is a 404,
whatever the template would have shown.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.models import Membership, Role

from .models import Commissioner, ServiceProvider


def get_service_provider_for_user(request, slug):
    """The service provider `slug` if the user may see it (a member, or a superuser); else 404."""
    return get_object_or_404(ServiceProvider.objects.for_user(request.user), slug=slug)


def get_commissioner_for_user(request, slug):
    """The commissioner `slug` if the user may see it (a member, or a superuser); else 404."""
    return get_object_or_404(Commissioner.objects.for_user(request.user), slug=slug)


@dataclass(frozen=True)
class Destination:
    """A place a signed-in user acts for an organisation."""

    name: str
    description: str
    url: str


def destinations_for(user):
    """Where `user` can go: one per organisation they are a member of (every certification
    body membership leads to the admin, so those are one destination), and the admin for a
    site administrator."""
    memberships = Membership.objects.filter(user=user).select_related(
        "service_provider", "commissioner", "certification_body", "training_provider"
    )
    destinations = []
    for membership in memberships:
        organisation = membership.organisation
        if membership.role == Role.SERVICE_PROVIDER_STAFF:
            url = reverse("compliance:service_provider", args=[organisation.slug])
        elif membership.role == Role.COMMISSIONER_STAFF:
            url = reverse("compliance:commissioner", args=[organisation.slug])
        elif membership.role == Role.CERTIFICATION_BODY_STAFF:
            url = reverse("admin:index")
        else:
            # The provider's own page, where its staff keep its public details.
            url = reverse("providers:manage", args=[organisation.slug])
        destinations.append(Destination(str(organisation), membership.get_role_display(), url))
    if user.is_superuser:
        destinations.append(
            Destination("Site administration", "Site administrator", reverse("admin:index"))
        )
    unique = {}
    for destination in destinations:
        unique.setdefault(destination.url, destination)
    return list(unique.values())


@login_required
def home(request):
    """Send the user to the one organisation they act for, or let them choose."""
    destinations = destinations_for(request.user)
    if len(destinations) == 1:
        return redirect(destinations[0].url)
    return render(request, "compliance/home.html", {"destinations": destinations})


def _members(organisation):
    return organisation.memberships.select_related("user").order_by(
        "user__full_name", "user__email"
    )


# A service provider's dashboard and pages: compliance/service_provider_views.py.


# A commissioner's pages: compliance/commissioner_views.py.
