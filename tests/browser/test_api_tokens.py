"""Making an API token in a real browser: the token shown once wraps inside its panel (it is
one long word) at every width, and the page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.test_small_screens import overflow_at
from tests.factories import TEST_PASSWORD, MembershipFactory, ServiceProviderFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_new_token_is_shown_whole_inside_its_panel_at_every_width(page, register_data):
    service = ServiceProviderFactory(name="Meadow View Care Home")
    MembershipFactory(user=UserFactory(email="care@example.org"), service_provider=service)
    page.goto("/accounts/login/")
    page.locator('input[name="username"]').fill("care@example.org")
    page.locator('input[name="password"]').fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/accounts/api-tokens/")
    page.get_by_label("Name").fill("Contract system")
    page.get_by_label("Read", exact=True).check()
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Make token").click()

    token = page.locator(".app-api-token")
    expect(token).to_have_text(re.compile(r"^rrn_\w+_[\w-]+$"))
    for width in (1280, 375, 320):
        assert overflow_at(page, width) is None, overflow_at(page, width)
        panel = page.locator(".govuk-panel").bounding_box()
        box = token.bounding_box()
        assert box["x"] + box["width"] <= panel["x"] + panel["width"] + 1
        assert_no_axe_violations(page)
