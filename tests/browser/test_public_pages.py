"""The start page, certificate check, certification bodies, standards and 404 in a real
browser: they work, with and without JavaScript, by keyboard, and axe finds no WCAG A/AA
violations."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from certification.statuses import Status
from standards.models import StandardsEdition
from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.screenshots import save_screenshots
from tests.factories import CertificationBodyFactory, CertificationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def certifications(register_data):
    body = CertificationBodyFactory(name="Good Cert Ltd", ukas_number="4321")
    valid = CertificationFactory(
        body=body, provider__name="Calm Approaches", certificate_number="RRN-1001"
    )
    suspended = CertificationFactory(
        body=body,
        provider__name="Steady Hands Training",
        certificate_number="RRN-1002",
        status=Status.SUSPENDED,
        effective_date=dt.date(2025, 6, 1),
    )
    return {"body": body, "valid": valid, "suspended": suspended}


def test_start_page(page, certifications):
    page.goto("/")
    expect(page).to_have_title(re.compile("RRN Training Register"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Find training certified")
    expect(page.locator("#data-last-updated")).to_contain_text("Data last updated:")
    expect(page.get_by_role("link", name="Accessibility statement")).to_be_visible()
    # GOV.UK Frontend started: the class set by our external script, no inline script.
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    assert_no_axe_violations(page)
    save_screenshots(page, "start")


def test_start_page_search_goes_to_the_register(page, register_data):
    page.goto("/")
    page.get_by_label("Search the register").fill("calm")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/providers/\?q=calm$"))


def test_skip_link_is_first_focus_and_moves_to_main_content(page, register_data):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.textContent.trim(), "
        "getComputedStyle(document.activeElement).backgroundColor]"
    )
    assert focused[0] == "Skip to main content"
    assert focused[1] == "rgb(255, 221, 0)"  # GOV.UK focus colour: focus is visible
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_keyboard_reaches_the_service_navigation(page, register_data):
    page.goto("/")
    texts = []
    for _ in range(6):
        page.keyboard.press("Tab")
        texts.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert "Check a certificate" in texts


def test_check_a_valid_certificate(page, certifications):
    page.goto("/certificates/check/")
    assert_no_axe_violations(page)
    page.get_by_label("Certificate number").fill(" rrn-1001 ")
    page.get_by_role("button", name="Check certificate").click()
    expect(page).to_have_url(re.compile(r"\?number=\+?rrn-1001"))
    expect(page.locator("#result-status")).to_have_text("Valid")
    expect(page.locator("#result-sentence")).to_contain_text(
        "Calm Approaches is certified by Good Cert Ltd"
    )
    expect(page.get_by_text("4321")).to_be_visible()
    assert_no_axe_violations(page)
    save_screenshots(page, "certificate-check-valid")
    # The permalink gives the same answer.
    page.get_by_role("link", name="Link to this result").click()
    expect(page).to_have_url(re.compile(r"\?number=RRN-1001$"))
    expect(page.locator("#result-status")).to_have_text("Valid")


def test_check_a_suspended_certificate(page, certifications):
    page.goto("/certificates/check/?number=RRN-1002")
    expect(page.locator("#result-status")).to_have_text("Suspended")
    expect(page.locator("#result-sentence")).to_have_text(
        "This certificate has been suspended since 1 June 2025."
    )
    assert_no_axe_violations(page)
    save_screenshots(page, "certificate-check-suspended")


def test_check_an_unknown_certificate(page, certifications):
    page.goto("/certificates/check/")
    page.get_by_label("Certificate number").fill("NOPE-<b>1</b>")
    page.get_by_role("button", name="Check certificate").click()
    expect(page.locator("#result-sentence")).to_have_text(
        "No certificate with this number is on the register."
    )
    expect(page.locator(".app-certificate-number")).to_have_text("NOPE-<B>1</B>")
    assert_no_axe_violations(page)
    save_screenshots(page, "certificate-check-unknown")


def test_check_without_a_number_shows_the_error_summary(page, register_data):
    page.goto("/certificates/check/?number=")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a certificate number")
    # GOV.UK Frontend moves focus to the error summary; its link focuses the field.
    summary.get_by_role("link", name="Enter a certificate number").click()
    assert page.evaluate("document.activeElement.id") == "id_number"
    assert_no_axe_violations(page)
    save_screenshots(page, "certificate-check-error")


def test_certificate_check_works_without_javascript(page_without_javascript, certifications):
    page = page_without_javascript
    page.goto("/certificates/check/")
    # No JavaScript ran: the class our script would add is absent.
    assert "govuk-frontend-supported" not in (page.get_attribute("body", "class") or "")
    page.get_by_label("Certificate number").fill("RRN-1002")
    page.get_by_role("button", name="Check certificate").click()
    expect(page.locator("#result-status")).to_have_text("Suspended")
    page.goto("/certificates/check/")
    page.get_by_label("Certificate number").fill("RRN-1001")
    page.keyboard.press("Enter")
    expect(page.locator("#result-status")).to_have_text("Valid")


def test_certification_bodies(page, certifications):
    page.goto("/certification-bodies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Certification bodies")
    assert_no_axe_violations(page)
    save_screenshots(page, "certification-bodies")
    page.get_by_role("link", name="Good Cert Ltd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Good Cert Ltd")
    expect(page.locator("#accreditation-status")).to_have_text("UKAS accredited")
    expect(page.get_by_role("link", name="Calm Approaches")).to_be_visible()
    assert_no_axe_violations(page)
    save_screenshots(page, "certification-body")


def test_certification_body_with_pagination(page, register_data):
    body = CertificationBodyFactory(name="Busy Body Certification")
    CertificationFactory.create_batch(27, body=body)
    page.goto(body.get_absolute_url())
    nav = page.get_by_role("navigation", name="Pagination")
    expect(nav).to_be_visible()
    assert_no_axe_violations(page)
    nav.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.locator("tbody tr")).to_have_count(2)


def test_standards(page, register_data):
    page.goto("/standards/")
    assert_no_axe_violations(page)
    edition = StandardsEdition.objects.get(is_current=True)
    page.get_by_role("link", name=re.compile("First edition")).click()
    expect(page).to_have_url(re.compile(edition.get_absolute_url() + "$"))
    expect(page.get_by_role("heading", name="Section 1: Pre-delivery processes")).to_be_visible()
    expect(page.get_by_text("(title not yet recorded)").first).to_be_visible()
    assert_no_axe_violations(page)
    save_screenshots(page, "standards-edition")


def test_accessibility_statement(page, register_data):
    page.goto("/")
    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    assert_no_axe_violations(page)


def test_not_found_page(page, register_data):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_no_axe_violations(page)
    save_screenshots(page, "not-found")


def test_mobile_menu_toggles_the_service_navigation(page, register_data):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    nav_link = page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Check a certificate", exact=True
    )
    expect(nav_link).to_be_hidden()
    menu.click()
    expect(nav_link).to_be_visible()
    assert_no_axe_violations(page)
