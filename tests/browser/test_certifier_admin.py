"""A certifier suspends a certification with a reason in the admin, and the public change
feed shows it at once; the feed has no WCAG A/AA violations (axe)."""

import pytest
from playwright.sync_api import expect

from certification.staff import add_body_staff
from tests.browser.accessibility import assert_no_axe_violations
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
