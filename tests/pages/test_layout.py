"""The shared GOV.UK layout: every page extends templates/base.html."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import RequestFactory


def render_base(path="/", **context):
    request = RequestFactory().get(path)
    return render_to_string("base.html", context, request=request)


def test_layout_has_skip_link_to_main_content():
    html = render_base()
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert 'id="main-content"' in html


def test_header_names_the_service_without_crown_or_gov_uk_logotype():
    html = render_base()
    assert "govuk-generic-header" in html
    assert "RRN Training Register" in html
    assert "GOV.UK" not in html
    assert "crown" not in html.lower()


def test_service_navigation_links_to_public_sections():
    html = render_base()
    for href in ["/providers/", "/certificates/check/", "/certification-bodies/", "/standards/"]:
        assert f'href="{href}"' in html


@pytest.mark.parametrize(
    ("path", "active"),
    [
        ("/certificates/check/", "Check a certificate"),
        ("/certification-bodies/some-body/", "Certification bodies"),
        ("/standards/", "Standards"),
    ],
)
def test_navigation_marks_the_section_of_the_current_page(path, active):
    html = render_base(path)
    assert html.count("govuk-service-navigation__item--active") == 1
    assert f'<strong class="govuk-service-navigation__active-fallback">{active}</strong>' in html


def test_footer_links_to_accessibility_statement():
    assert 'href="/accessibility/"' in render_base()


def test_no_inline_scripts_for_a_strict_content_security_policy():
    html = render_base()
    assert '<script src="/static/js/govuk-frontend-supported.js"></script>' in html
    assert '<script type="module" src="/static/js/init.js"></script>' in html
    # Every <script> has a src: nothing inline.
    assert html.count("<script") == html.count("<script src=") + html.count(
        '<script type="module" src='
    )
    assert " onclick=" not in html


def test_messages_render_as_notification_banners():
    messages = [
        Message(constants.SUCCESS, "Check saved"),
        Message(constants.INFO, "<b>Heads up</b>"),
    ]
    html = render_base(messages=messages)
    assert "govuk-notification-banner--success" in html
    assert "Check saved" in html
    assert "&lt;b&gt;Heads up&lt;/b&gt;" in html  # escaped
    assert html.count('data-module="govuk-notification-banner"') == 2


def test_500_page_renders_without_request_or_database():
    # Django's server_error renders 500.html with no context at all.
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in html
    assert "govuk-generic-header" in html


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404_in_the_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-generic-header" in html
    assert 'href="/accessibility/"' in html


def test_static_assets_exist(settings):
    """The files base.html links to are found by the static files finders."""
    from django.contrib.staticfiles import finders

    for path in [
        "css/main.css",
        "js/govuk-frontend-supported.js",
        "js/init.js",
        "images/favicon.svg",
        "govuk/govuk-frontend.min.js",
    ]:
        assert finders.find(path), path
