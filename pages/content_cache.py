"""Rendered page content, reused until the records it shows change.

The register, a provider's page and the certificate check show everybody the same thing for
the same address on the same day, and the arrangements on a service provider's dashboard or
a page of a commissioner's overview are the same for every member of that organisation.
Rendering them (GOV.UK markup for dozens of rows, a filter form with hundreds of checkboxes)
costs 10 to 40 ms of CPU against about 1 ms for the rest of a request, so the rendered HTML is
kept in the cache (settings.CACHES) under

- what it is (its kind and address, or its organisation and options),
- today's date (statuses change at midnight without a write),
- the release (derived.release): a release that changes a template or a rule never serves
  what an older one rendered, even from a cache both share, and
- the data generation it was rendered in (derived.generation): every write of a record it
  shows starts a new generation in the same transaction, so no page ever shows content older
  than the last write, whichever process rendered it.

What differs per person or per request (the header's account links, messages, alerts, CSRF
tokens) is rendered around the kept content every time. Content holding a CSRF token is
refused, so a form that posts can never be served to somebody else. Callers check access
before asking for content, so kept content is only ever served to whoever may see it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from derived import generation

KEPT_SECONDS = 60 * 60  # a bound on memory; correctness comes from the key


@dataclass(frozen=True)
class Content:
    """A page's content, rendered: its <title> and what goes inside <main>."""

    title: str
    html: SafeString


def page_title(*parts, error=False):
    """A <title> as every page writes it: "Error: " when a form has errors, then the parts
    from the most specific, each followed by an en dash, then the service's name."""
    title = " \N{EN DASH} ".join((*parts, "RRN Training Register"))
    return f"Error: {title}" if error else title


def _key(parts, generation_name):
    today = timezone.localdate().isoformat()
    return "content:" + generation.key(*parts, today, name=generation_name)


def remember(parts, render, generation_name=generation.REGISTER):
    """The value `render()` gave for `parts` (a tuple of plain values) today in the current
    data generation, rendering and keeping it the first time. The value is a `Content`, or a
    dict of named HTML strings (and plain values) for a page that renders its per-person
    parts between them."""
    if settings.DEBUG:  # in development, an edited template shows at once
        return _shareable(parts, render())
    key = _key(parts, generation_name)
    value = cache.get(key)
    if value is None:
        value = _shareable(parts, render())
        cache.set(key, value, KEPT_SECONDS)
    return value


def _shareable(parts, value):
    if any("csrfmiddlewaretoken" in html for html in _html_of(value)):
        raise ValueError(f"content for {parts!r} holds a CSRF token: it cannot be shared")
    return value


def _html_of(value):
    if isinstance(value, Content):
        return [value.html]
    return [part for part in value.values() if isinstance(part, str)]  # a page's named parts


def kept_page(request, name, render_content, template="content_page.html", context=None):
    """A page the same for everybody at its address: its `Content` (from `render_content()`
    the first time) kept, inside `template` rendered for this request (with `context`: the
    parts of this request only, such as a form with its CSRF token)."""
    content = remember((name, *request_parts(request)), render_content)
    return render(request, template, {**(context or {}), "content": content})


def members_results(request, name, organisation, work_out, results_template):
    """The parts of an organisation's page that are the same for all its members, at this
    address: `has_errors` (of the context's `form`), `errors` (the error summary) and
    `results` (`results_template`), from the context `work_out()` gives. The member's own
    parts (alerts) go between them."""

    def render_parts():
        context = work_out()
        return {
            "has_errors": bool(context["form"].errors),
            "errors": render_to_string("includes/error_summary.html", context, request),
            "results": render_to_string(results_template, context, request),
        }

    return remember(
        (name, organisation.pk, *request_parts(request)), render_parts, generation.COMPLIANCE
    )


def request_parts(request):
    """A request's address as key parts: scheme and host (pages may link to themselves), path
    and every query parameter, in the order given (pages' links keep that order)."""
    return (request.build_absolute_uri(request.path), tuple(request.GET.lists()))
