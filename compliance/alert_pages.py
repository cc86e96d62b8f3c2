"""A member's alerts on their organisation's pages, the same for service providers and
commissioners: a short summary on the dashboard (the newest unread, with a count), the page
listing them all, and marking them read. The views in service_provider_views and
commissioner_views fetch the organisation (access) and call these."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from .models import Alert

SUMMARISED = 3  # unread alerts shown on a dashboard; the rest are a link away
PER_PAGE = 25


def _names(organisation):
    """URL names and navigation of the organisation's alert pages."""
    if organisation._meta.model_name == "commissioner":
        return {
            "list_url": "compliance:commissioner_alert_list",
            "read_url": "compliance:commissioner_alert_read",
            "read_all_url": "compliance:commissioner_alerts_read",
            "nav": "compliance/commissioner/_nav.html",
            "org_context": "commissioner",
        }
    return {
        "list_url": "compliance:alert_list",
        "read_url": "compliance:alert_read",
        "read_all_url": "compliance:alerts_read",
        "nav": "compliance/service_provider/_nav.html",
        "org_context": "service_provider",
    }


def summary(user, organisation):
    """Context for the dashboard's alert summary (templates/compliance/_alert_summary.html):
    two queries, however many alerts there are."""
    unread = Alert.objects.for_member(user, organisation).unread()
    return {
        "alerts": list(unread[:SUMMARISED]),
        "unread_count": unread.count(),
        "organisation": organisation,
        **_names(organisation),
    }


def alert_list(request, organisation):
    """Every alert the member received for this organisation, newest first, paginated."""
    names = _names(organisation)
    page = Paginator(Alert.objects.for_member(request.user, organisation), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "compliance/alert_list.html",
        {
            "organisation": organisation,
            names["org_context"]: organisation,
            "page_obj": page,
            "unread_count": Alert.objects.for_member(request.user, organisation).unread().count(),
            **names,
        },
    )


def mark_read(request, organisation, pk):
    """POST: mark one of the alerts the member's list shows read (any other: 404)."""
    alerts = Alert.objects.for_member(request.user, organisation)
    get_object_or_404(alerts, pk=pk)
    alerts.filter(pk=pk).mark_read()
    messages.success(request, "Alert marked as read")
    return redirect(organisation.get_absolute_url())


def mark_all_read(request, organisation):
    """POST: mark every unread alert of this member for this organisation read."""
    count = Alert.objects.for_member(request.user, organisation).mark_read()
    messages.success(
        request,
        f"{count} alert{'s' if count != 1 else ''} marked as read"
        if count
        else ("You have no unread alerts"),
    )
    if request.POST.get("return_to") == "list":
        return redirect(_names(organisation)["list_url"], organisation.slug)
    return redirect(organisation.get_absolute_url())
