"""A certifier suspends a certification with a reason in the admin, and the public change
feed shows it at once; the feed has no WCAG A/AA violations (axe)."""

import pytest
from playwright.sync_api import expect

from certification.staff import add_body_staff
from certification.statuses import Status
from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.screenshots import save_screenshots
from tests.factories import (
    TEST_PASSWORD,
    CertificationBodyFactory,
    CertificationFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def certifier_and_certification(register_data):
    body = CertificationBodyFactory(name="First Certification Body", slug="first-body")
    certifier = add_body_staff(UserFactory(email="certifier@example.org"), body)
    certification = CertificationFactory(
        body=body, provider__name="Calm Approaches", certificate_number="RRN-2001"
    )
    return certifier, certification


def test_certifier_suspends_with_a_reason_and_the_feed_shows_it(page, certifier_and_certification):
    certifier, certification = certifier_and_certification
    page.goto("/admin/login/")
    page.fill("input[name=username]", certifier.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"/admin/certification/certification/{certification.pk}/change/")
    page.get_by_role("link", name="Change status").first.click()
    page.get_by_label("Suspended").check()
    page.get_by_label("Reason").fill("Trainers' own certificates lapsed at surveillance")
    page.get_by_role("button", name="Record status change").click()
    expect(page.locator(".messagelist")).to_contain_text("Calm Approaches is now suspended")

    page.goto("/providers/changes/")
    row = page.locator("#changes tbody tr").first
    expect(row).to_contain_text("Calm Approaches")
    expect(row).to_contain_text("Suspended (was Certified)")
    expect(row).to_contain_text("Trainers' own certificates lapsed at surveillance")
    assert_no_axe_violations(page)

    page.goto("/providers/changes/?body=first-body&since=2020-01-01")
    expect(page.locator("#result-count")).to_contain_text("2 changes")
    assert_no_axe_violations(page)


def _sign_in_to_the_admin(page, certifier):
    page.goto("/admin/login/")
    page.fill("input[name=username]", certifier.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_certificate_fields_show_only_for_a_move_to_certified(page, certifier_and_certification):
    certifier, certified = certifier_and_certification
    certification = CertificationFactory(
        body=certified.body, status=Status.WORKING_TOWARDS, certificate_number=""
    )
    _sign_in_to_the_admin(page, certifier)
    page.goto(f"/admin/certification/certification/{certification.pk}/change-status/")
    certificate_fields = page.locator("#certificate-fields")

    expect(certificate_fields).to_be_hidden()
    page.get_by_label("Withdrawn").check()
    expect(certificate_fields).to_be_hidden()
    page.get_by_label("Certified", exact=True).check()
    expect(certificate_fields).to_be_visible()
    expect(page.get_by_label("Certificate number")).to_be_visible()


def test_certificate_fields_stay_in_sight_without_javascript(
    page_without_javascript, certifier_and_certification
):
    page = page_without_javascript
    certifier, certification = certifier_and_certification
    _sign_in_to_the_admin(page, certifier)
    page.goto(f"/admin/certification/certification/{certification.pk}/change-status/")

    expect(page.locator("#certificate-fields")).to_contain_text("only for a move to Certified")
    expect(page.get_by_label("Certificate number")).to_be_visible()


def test_a_move_date_is_typed_as_day_month_and_year(page, certifier_and_certification):
    certifier, certification = certifier_and_certification
    _sign_in_to_the_admin(page, certifier)
    page.goto(f"/admin/certification/certification/{certification.pk}/change-status/")
    page.get_by_label("Suspended").check()
    page.get_by_label("Reason").fill("Trainers' own certificates lapsed at surveillance")
    date = page.get_by_role("group", name="Effective date")
    date.get_by_label("Day").fill("1")
    date.get_by_label("Month").fill("")
    date.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Record status change").click()
    expect(page.locator(".field-effective_date .errorlist")).to_have_text(
        "Effective date must include a month"
    )
    assert "govuk-input--error" in date.get_by_label("Month").get_attribute("class")
    save_screenshots(page, "admin-change-status-date-error")

    date.get_by_label("Month").fill(str(certification.events.get().effective_date.month))
    date.get_by_label("Day").fill(str(certification.events.get().effective_date.day))
    date.get_by_label("Year").fill(str(certification.events.get().effective_date.year))
    page.get_by_role("button", name="Record status change").click()
    expect(page.locator(".messagelist")).to_contain_text("Calm Approaches is now suspended")


def test_certifications_list_keeps_its_columns_in_sight_at_1280(page, certifier_and_certification):
    certifier, certification = certifier_and_certification
    certification.provider.name = "Bright NHS Foundation Trust Behaviour Training Consortium"
    certification.provider.save()
    _sign_in_to_the_admin(page, certifier)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/admin/certification/certification/")

    box = page.locator("#changelist .results").bounding_box()
    for name in ("Status", "Certificate", "Change status"):
        header = page.locator("#result_list thead th", has_text=name).first.bounding_box()
        assert header["x"] + header["width"] <= box["x"] + box["width"] + 1, name
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("RRN-2001, valid until")
    expect(row.get_by_role("link", name="Change status")).to_be_in_viewport()


def test_history_pages_raise_no_content_security_policy_errors(page, certifier_and_certification):
    # The `page` fixture fails the test on any console error, a CSP violation included.
    certifier, certification = certifier_and_certification
    _sign_in_to_the_admin(page, certifier)
    for path in (
        "/admin/certification/certification/",
        f"/admin/certification/certification/{certification.pk}/change/",
        f"/admin/certification/certification/{certification.pk}/history/",
        f"/admin/certification/certification/{certification.pk}/change-status/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
    expect(page.locator("#changelist, #content-main").first).to_be_visible()
