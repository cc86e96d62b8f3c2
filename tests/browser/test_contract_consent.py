"""A commissioner's contract is a claim: the commissioner sees it waiting; the care home's
member confirms it from the dashboard without JavaScript; the commissioner then sees the
care home's records and an alert. Axe on every page of a claim, at 320 px too."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations
from tests.factories import (
    TEST_PASSWORD,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def claim(register_data):
    service = ServiceProviderFactory(name="Meadow View Care Home", slug="meadow-view")
    MembershipFactory(user=UserFactory(email="care@example.org"), service_provider=service)
    arrangement = TrainingArrangementFactory(
        service_provider=service, training_provider__name="Calm Hands Training"
    )
    ComplianceCheckFactory(arrangement=arrangement, notes="Private note about the trainer")
    commissioner = CommissionerFactory(name="Riverside Council", slug="riverside")
    MembershipFactory.of(commissioner, user=UserFactory(email="commissioner@example.org"))
    ContractFactory(
        commissioner=commissioner, service_provider=service, reference="RC-1", pending=True
    )
    return service


def _sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator('input[name="username"]').fill(email)
    page.locator('input[name="password"]').fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_the_care_home_confirms_a_claim_and_the_commissioner_then_sees_its_records(
    page_without_javascript, claim
):
    page = page_without_javascript
    _sign_in(page, "commissioner@example.org")
    page.goto("/compliance/commissioners/riverside/services/meadow-view/")
    expect(page.locator("#contracts")).to_contain_text("Waiting for Meadow View Care Home")
    expect(page.locator("#not-shared")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Private note about the trainer")
    page.goto("/compliance/commissioners/riverside/")
    expect(page.locator("#services")).to_contain_text("Not shared")

    _sign_in(page, "care@example.org")
    page.goto("/compliance/service-providers/meadow-view/")
    expect(page.locator("#claims")).to_contain_text("Riverside Council: contract RC-1")
    page.get_by_role("button", name="Confirm contract RC-1 with Riverside Council").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Riverside Council can now see"
    )
    expect(page.locator("#claims")).to_have_count(0)
    page.goto("/compliance/service-providers/meadow-view/contracts/")
    expect(page.locator("#contracts")).to_contain_text("Confirmed")

    _sign_in(page, "commissioner@example.org")
    page.goto("/compliance/commissioners/riverside/")
    expect(page.locator("#notices")).to_contain_text("Meadow View Care Home confirmed contract")
    expect(page.locator("#services")).to_contain_text("Calm Hands Training")
    page.goto("/compliance/commissioners/riverside/services/meadow-view/")
    expect(page.locator("#checks")).to_contain_text("Private note about the trainer")


@pytest.mark.parametrize("width", [1280, 320])
def test_the_claim_pages_are_accessible(page, claim, width):
    page.set_viewport_size({"width": width, "height": 800})
    _sign_in(page, "commissioner@example.org")
    for path in (
        "/compliance/commissioners/riverside/services/meadow-view/",
        "/compliance/commissioners/riverside/",
        "/compliance/commissioners/riverside/contracts/",
    ):
        page.goto(path)
        assert_no_axe_violations(page)
    _sign_in(page, "care@example.org")
    for path in (
        "/compliance/service-providers/meadow-view/",
        "/compliance/service-providers/meadow-view/contracts/",
    ):
        page.goto(path)
        assert_no_axe_violations(page)
    page.get_by_role("button", name="Decline contract RC-1 with Riverside Council").click()
    page.wait_for_load_state()
    expect(page.locator("#contracts")).to_contain_text("Declined")
    assert_no_axe_violations(page)
