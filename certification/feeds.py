"""The public feed of status changes: `/providers/changes/` (HTML) and `.atom` (Atom).

For anyone who wants to watch the register. Newest first, filterable by date range and body;
archived providers and certifications have left the register and are not shown.
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed

from providers.models import TrainingProvider

from .filters import StatusChangeFilterSet
from .models import CertificationEvent
from .verdicts import long_date

CHANGES_PER_PAGE = 50
ATOM_ENTRIES = 50


def public_status_changes():
    return (
        CertificationEvent.objects.filter(
            certification__is_archived=False, certification__provider__is_archived=False
        )
        .select_related("certification__provider", "certification__body")
        .order_by("-effective_date", "-recorded_at", "-pk")
    )


def filtered_changes(data):
    """The filter set over the public changes; invalid filters give no rows and errors."""
    if data and any("\x00" in value for value in data.values()):
        data = None  # NUL cannot be stored or searched for: nothing to filter on
    filterset = StatusChangeFilterSet(data or None, queryset=public_status_changes())
    if filterset.is_bound and not filterset.is_valid():
        return filterset, public_status_changes().none()
    return filterset, filterset.qs


def provider_url(provider):
    """The provider's public page, once the register has one."""
    try:
        return provider.get_absolute_url()
    except NoReverseMatch:
        return None


def describe(event):
    """'Suspended (was Certified)': the change in words."""
    if event.from_status is None:
        return f"Added to the register: {event.get_to_status_display()}"
    if event.from_status == event.to_status:
        return f"{event.get_to_status_display()}: renewed"
    return f"{event.get_to_status_display()} (was {event.get_from_status_display()})"


@login_not_required
def status_changes(request):
    filterset, changes = filtered_changes(request.GET)
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "event": event,
            "change": describe(event),
            "url": provider_url(event.certification.provider),
        }
        for event in page.object_list
    ]
    atom_url = reverse("certification:changes_atom")
    query = request.GET.copy()
    query.pop("page", None)
    if query:
        atom_url += "?" + query.urlencode()
    return render(
        request,
        "certification/status_changes.html",
        {
            "form": filterset.form,
            "page_obj": page,
            "rows": rows,
            "atom_url": atom_url,
        },
    )


class StatusChangesAtomFeed(Feed):
    login_required = False  # public, as `login_not_required` marks a function view
    feed_type = Atom1Feed
    title = "RRN Training Register: status changes"
    subtitle = (
        "Certifications of training providers: new, suspended, reinstated, renewed, "
        "withdrawn and expired."
    )

    def get_object(self, request):
        return request.GET

    def link(self):
        return reverse("certification:changes")

    def items(self, query):
        return filtered_changes(query)[1][:ATOM_ENTRIES]

    def item_title(self, event):
        return f"{event.certification.provider}: {describe(event)}"

    def item_description(self, event):
        certification = event.certification
        parts = [
            f"{describe(event)} from {long_date(event.effective_date)}.",
            f"Certification body: {certification.body}.",
        ]
        if event.certificate_number:
            parts.append(f"Certificate {event.certificate_number}.")
        parts.append(f"Reason: {event.reason}")
        return " ".join(parts)

    def item_link(self, event):
        url = provider_url(event.certification.provider)
        return url or f"{reverse('certification:changes')}#change-{event.pk}"

    def item_guid(self, event):
        return f"urn:rrn-training-register:status-change:{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.recorded_at

    def item_updateddate(self, event):
        return event.recorded_at

    def item_author_name(self, event):
        return str(event.certification.body)


class ProviderChangesAtomFeed(StatusChangesAtomFeed):
    """One provider's status changes (`/providers/<slug>/changes.atom`), for a feed reader."""

    def get_object(self, request, slug):
        return get_object_or_404(TrainingProvider.objects.active(), slug=slug)

    def title(self, provider):
        return f"RRN Training Register: {provider.name}'s certification"

    def link(self, provider):
        return provider.get_absolute_url()

    def items(self, provider):
        return public_status_changes().filter(certification__provider=provider)[:ATOM_ENTRIES]
