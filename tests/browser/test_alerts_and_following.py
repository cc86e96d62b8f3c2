"""Issue 16 items 5 and 6 in a real browser: a dashboard's alert summary with "View all
alerts" and "Mark all as read", and following a provider by email (double opt-in, email from
the locmem backend, unsubscribe), with axe on every page and at phone widths."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from compliance.following import unsubscribe_path
from compliance.models import ProviderFollower
from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.screenshots import save_screenshots
from tests.browser.test_service_provider_journey import _sign_in
from tests.factories import (
    AlertFactory,
    CertificationFactory,
    CurriculumFactory,
    MembershipFactory,
    ServiceProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def _fits(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_dashboard_summarises_alerts_and_marks_them_all_read(page, register_data):
    service = ServiceProviderFactory(name="Meadow View Care Home", slug="meadow-view")
    user = UserFactory(email="care@example.org")
    MembershipFactory(user=user, service_provider=service)
    for i in range(6):
        AlertFactory(
            recipient=user,
            service_provider=service,
            subject=f"Provider {i}: certification suspended",
            path="/compliance/service-providers/meadow-view/",
            link_text="See Meadow View Care Home's dashboard",
        )
    _sign_in(page, user.email)
    page.goto("/compliance/service-providers/meadow-view/")
    summary = page.locator("#alert-summary")
    expect(summary).to_contain_text("You have 6 unread alerts")
    expect(summary.locator("#notices > li")).to_have_count(3)
    assert_no_axe_violations(page)
    save_screenshots(page, "dashboard-alert-summary")

    page.get_by_role("link", name="View all alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alerts")
    expect(page.locator("#alerts > li")).to_have_count(6)
    assert_no_axe_violations(page)
    for width in (320, 375):
        _fits(page, width)
    save_screenshots(page, "alert-list")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/compliance/service-providers/meadow-view/")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "6 alerts marked as read"
    )
    expect(page.locator("#alert-summary")).to_have_count(0)


def test_following_a_provider_by_email(page, register_data, settings, live_server):
    settings.SITE_URL = live_server.url
    provider = CertificationFactory(provider__name="Calm Approaches Training").provider
    page.goto(provider.get_absolute_url())
    follow = page.locator("#follow")
    expect(follow).to_contain_text("Get emails when this provider's certification changes")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Get emails").click()  # empty: an error to fix
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    assert_no_axe_violations(page)
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_role("button", name="Get emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_no_axe_violations(page)

    [email] = mail.outbox
    confirm = re.search(r"(http://\S+/follow/confirm/\S+/)", email.body).group(1)
    page.goto(confirm)
    assert_no_axe_violations(page)
    for width in (320, 375):
        _fits(page, width)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".govuk-panel")).to_contain_text("You will get emails")
    assert_no_axe_violations(page)
    save_screenshots(page, "follow-confirmed")

    follower = ProviderFollower.objects.get()
    assert follower.is_active
    page.goto(unsubscribe_path(follower))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have unsubscribed")
    assert_no_axe_violations(page)
    follower.refresh_from_db()
    assert not follower.is_active


def test_too_many_sign_ups_from_one_connection_is_a_clear_error(page, register_data, monkeypatch):
    from compliance import following

    monkeypatch.setattr(following, "SIGN_UPS_PER_CLIENT_PER_HOUR", 0)
    provider = CertificationFactory(provider__name="Calm Approaches Training").provider
    page.goto(provider.get_absolute_url())
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_role("button", name="Get emails").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "too many requests for emails from your internet connection"
    )
    assert page.title().startswith("Error: ")
    assert_no_axe_violations(page)
    assert mail.outbox == [] and not ProviderFollower.objects.exists()


def test_training_provider_staff_keep_their_public_details(page, register_data):
    provider = CertificationFactory(provider__name="Calm Approaches Training").provider
    CurriculumFactory(provider=provider, name="Safe holds")
    user = UserFactory(email="trainer@example.org")
    MembershipFactory.of(provider, user=user)
    _sign_in(page, user.email)  # lands on the provider's own page
    expect(page).to_have_url(re.compile(rf"/providers/{provider.slug}/manage/$"))
    expect(page.locator("#manage-headline")).to_contain_text("Certified")
    assert_no_axe_violations(page)
    for width in (320, 375):
        _fits(page, width)
    page.set_viewport_size({"width": 1280, "height": 800})
    save_screenshots(page, "provider-manage")

    page.get_by_label("Contact email address").fill("not an address")
    page.get_by_role("button", name="Save your details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address")
    assert_no_axe_violations(page)
    page.get_by_label("Contact email address").fill("office@calm.example.org")
    page.get_by_label("About Safe holds").fill("Two days, for care homes.")
    page.get_by_role("button", name="Save your details").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("saved")
    page.get_by_role("link", name="See your public page").click()
    expect(page.locator("#about")).to_contain_text("office@calm.example.org")
    expect(page.locator("#curricula")).to_contain_text("Two days, for care homes.")
