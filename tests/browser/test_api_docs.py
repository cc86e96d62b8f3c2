"""The API's docs page (/api/v1/docs/, Swagger UI served by the site) in a real browser: the
operations render, axe finds no WCAG 2.2 A/AA violation, and nothing is wider than the
screen, at 1280 px and on phones. Without JavaScript it says where the schema is."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.test_small_screens import overflow_at

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375, 320)


def _open(page):
    page.goto("/api/v1/docs/")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    return operations


def test_the_docs_page_lists_the_operations_and_is_accessible_at_every_width(page):
    operations = _open(page)

    assert operations.count() >= 12
    expect(page.get_by_text("/api/v1/commissioners/{slug}/services/")).to_be_visible()
    for width in WIDTHS:
        assert overflow_at(page, width) is None, overflow_at(page, width)
        assert_no_axe_violations(page)


def test_an_operation_opened_is_accessible_too(page):
    _open(page)
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()

    for width in WIDTHS:
        assert overflow_at(page, width) is None, overflow_at(page, width)
        assert_no_axe_violations(page)


def test_without_javascript_the_page_links_to_the_schema(page_without_javascript):
    page = page_without_javascript
    page.goto("/api/v1/docs/")

    expect(page.locator(".api-docs__no-script")).to_contain_text("needs JavaScript")
    link = page.get_by_role("link", name="Download the API schema")
    expect(link).to_have_attribute("href", "/api/v1/schema/")
