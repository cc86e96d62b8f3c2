"""Signing in and out in a real browser: a service provider's member signs in, sees their
organisation's page, and signs out; the sign-in pages have no WCAG A/AA violations."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations
from tests.factories import TEST_PASSWORD, MembershipFactory, ServiceProviderFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def member(register_data):
    service_provider = ServiceProviderFactory(name="Meadow View", slug="meadow-view")
    user = UserFactory(email="alice@example.org", full_name="Alice Able")
    MembershipFactory.of(service_provider, user=user)
    return user


def test_sign_in_see_the_dashboard_and_sign_out(page, member):
    page.goto("/compliance/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/compliance/$"))
    assert_no_axe_violations(page)

    page.get_by_label("Email address").fill("ALICE@example.org")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/compliance/service-providers/meadow-view/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meadow View")

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/compliance/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_wrong_password_shows_an_accessible_error_summary(page, member):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("alice@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    assert_no_axe_violations(page)


def test_password_reset_pages_are_accessible(page, member):
    page.goto("/accounts/password-reset/")
    assert_no_axe_violations(page)
    page.get_by_label("Email address").fill("alice@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_no_axe_violations(page)
