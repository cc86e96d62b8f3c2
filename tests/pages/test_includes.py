"""The small shared includes: status tag, summary list, pagination."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory

from certification.verdicts import Headline, ProviderHeadline


def test_status_tag_shows_the_headline_in_words_and_colour():
    headline = ProviderHeadline(Headline.WORKING_TOWARDS, dt.date(2026, 1, 1))
    html = render_to_string("includes/status_tag.html", {"headline": headline}).strip()
    assert html == (
        '<strong class="govuk-tag govuk-tag--blue">Working towards certification</strong>'
    )


def test_summary_list_escapes_values_and_names_missing_ones():
    html = render_to_string(
        "includes/summary_list.html", {"rows": [("Name", "<b>A</b>"), ("Phone", "")]}
    )
    assert '<dt class="govuk-summary-list__key">Name</dt>' in html
    assert "&lt;b&gt;A&lt;/b&gt;" in html
    assert '<dd class="govuk-summary-list__value">Not recorded</dd>' in html


def render_pagination(number, query="q=care&region=london&page=1", pages=20):
    request = RequestFactory().get("/providers/?" + query)
    page = Paginator(range(pages * 10), 10).get_page(number)
    return render_to_string("includes/pagination.html", {"page": page}, request=request)


def test_pagination_keeps_the_query_string_and_changes_only_the_page():
    html = render_pagination(5)
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'href="?q=care&amp;region=london&amp;page=4" rel="prev"' in html
    assert 'href="?q=care&amp;region=london&amp;page=6" rel="next"' in html
    assert (
        'href="?q=care&amp;region=london&amp;page=5" aria-label="Page 5" aria-current="page"'
        in html
    )


def test_pagination_elides_far_pages():
    html = render_pagination(10)
    assert 'aria-label="Page 1"' in html and 'aria-label="Page 20"' in html
    assert 'aria-label="Page 9"' in html and 'aria-label="Page 11"' in html
    assert 'aria-label="Page 5"' not in html
    assert html.count("govuk-pagination__item--ellipses") == 2


def test_pagination_first_and_last_pages_have_no_prev_or_next():
    assert 'rel="prev"' not in render_pagination(1)
    assert 'rel="next"' not in render_pagination(20)


def test_pagination_is_absent_for_a_single_page():
    assert "govuk-pagination" not in render_pagination(1, pages=1)


def test_pagination_can_use_another_query_string():
    request = RequestFactory().get("/x/?ignored=1")
    page = Paginator(range(30), 10).get_page(2)
    html = render_to_string(
        "includes/pagination.html",
        {"page": page, "pagination_query": QueryDict("status=certified")},
        request=request,
    )
    assert 'href="?status=certified&amp;page=1"' in html
    assert "ignored" not in html


def test_a_query_string_of_the_page_s_own_is_not_taken_for_the_links():
    """A page's context may hold a `query` of its own (a download link's): the links keep
    the request's query string (a string there once made the page a 500)."""
    request = RequestFactory().get("/x/?on=2026-11-01")
    page = Paginator(range(30), 10).get_page(2)
    html = render_to_string(
        "includes/pagination.html", {"page": page, "query": "on=2026-11-01"}, request=request
    )
    assert 'href="?on=2026-11-01&amp;page=1"' in html


def test_pagination_links_are_the_querystring_tags_wherever_the_page_is():
    """The links are encoded once for the whole pagination (govuk.page_links): each is what
    `{% querystring q page=n %}` gives, with `page` kept in its place, or last."""
    from django.template import engines

    querystring = engines["django"].from_string("{% querystring q page=n %}")
    for query in ("", "page=3", "a=1&page=2&b=%26", "q=caf%C3%A9+x&r=a&r=b&page=1&page=2", "a="):
        request = RequestFactory().get("/x/?" + query)
        page = Paginator(range(30), 10).get_page(2)
        html = render_to_string("includes/pagination.html", {"page": page}, request=request)
        for n in (1, 2, 3):
            href = querystring.render({"q": QueryDict(query), "n": n})
            assert f'href="{href}"' in html, (query, n)
