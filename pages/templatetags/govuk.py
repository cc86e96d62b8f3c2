"""Template helpers for the GOV.UK layout: the service navigation and the GOV.UK date style.

Display only: no queries, so every page (including the 500 page, which has no request) can
use them.
"""

from datetime import date, datetime

from django import template
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html

from pages.dates import long_date as _long_date

register = template.Library()

# The service navigation: (label, path). Paths are the public URL map (DESIGN.md), so they
# are written out rather than reversed: a link may point at a page another app adds later.
SERVICE_NAVIGATION = [
    ("Register", "/providers/"),
    ("Check a certificate", "/certificates/check/"),
    ("Certification bodies", "/certification-bodies/"),
    ("Standards", "/standards/"),
]


@register.inclusion_tag("includes/service_navigation.html", takes_context=True)
def service_navigation(context):
    """The navigation items, the one whose section the page is in marked active."""
    request = context.get("request")
    path = getattr(request, "path", "")
    items = [
        {
            "label": label,
            "href": href,
            "current": path == href,
            "active": path.startswith(href),
        }
        for label, href in SERVICE_NAVIGATION
    ]
    return {**context.flatten(), "navigation_items": items}


@register.filter
def long_date(value):
    """3 March 2027 (GOV.UK style). Datetimes are shown in local time; None shows nothing."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, date):
        return value
    return _long_date(value)


@register.simple_tag
def status_tag(headline, full=False):
    """A provider's headline as a GOV.UK tag, in words and colour: `{% status_tag headline %}`.
    `headline` is a certification.verdicts.ProviderHeadline (or what shows a headline's kind
    as it does, HeadlineKindShown); with `full`, the headline's words with its date, as the
    export's status_label has them ("Suspended since 23 August 2026"). A tag, not an include:
    lists show one per row, and an include costs several times as much. (A missing headline
    shows an empty tag, as a template's missing variables do.)"""
    label = getattr(headline, "label" if full else "short_label", "")
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        getattr(headline, "colour", ""),
        label,
    )


@register.filter
def page_range_around(paginator, number):
    """Page numbers for GOV.UK pagination: first, last, and those next to `number`, with
    None where pages are left out (shown as an ellipsis)."""
    ellipsis = paginator.ELLIPSIS  # yielded as itself: `is`, not a lazy string's `==`
    return [
        None if n is ellipsis else n
        for n in paginator.get_elided_page_range(number, on_each_side=1, on_ends=1)
    ]


@register.filter
def page_links(query):
    """The addresses of a pagination's pages, `query` (a QueryDict) with `page` set where it
    is, or last, as `{% querystring query page=number %}` gives them: encoded once for all the
    links (`links|page_link:number`), not copied and encoded per link."""
    params = query.copy()
    params["page"] = "0"  # its place among the parameters
    before, after = [], None
    for key, values in params.lists():
        if key == "page":
            after = []
            continue
        one = QueryDict(mutable=True)
        one.setlist(key, values)
        if encoded := one.urlencode():
            (before if after is None else after).append(encoded)
    return ("?" + "".join(f"{part}&" for part in before) + "page=", "".join(f"&{p}" for p in after))


@register.filter
def page_link(links, number):
    start, end = links
    return f"{start}{number}{end}"
