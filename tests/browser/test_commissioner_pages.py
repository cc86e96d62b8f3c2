"""A commissioner in a real browser: sign in, filter the overview to not compliant, open a
service, export the CSV, open the printable report; axe finds no WCAG A/AA violations."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.screenshots import save_screenshots
from tests.factories import (
    TEST_PASSWORD,
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def commissioner_data(register_data):
    commissioner = CommissionerFactory(name="Riverside Council", slug="riverside")
    user = UserFactory(email="commissioner@example.org", full_name="Cara Commissioner")
    MembershipFactory.of(commissioner, user=user)
    provider = TrainingProviderFactory(name="Calm Hands Training")
    CertificationFactory(provider=provider, valid_until=timezone.localdate() + dt.timedelta(400))
    good = ServiceProviderFactory(name="Elm House")
    ContractFactory(commissioner=commissioner, service_provider=good, reference="RC-1")
    arrangement = TrainingArrangementFactory(service_provider=good, training_provider=provider)
    ComplianceCheckFactory(
        arrangement=arrangement, checked_on=timezone.localdate() - dt.timedelta(days=10)
    )
    bad = ServiceProviderFactory(name="Oak Lodge")
    ContractFactory(commissioner=commissioner, service_provider=bad, reference="RC-2")
    return commissioner


def _sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("commissioner@example.org")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_commissioner_filters_opens_exports_and_prints(page, commissioner_data):
    _sign_in(page)
    page.goto("/compliance/")
    expect(page).to_have_url(re.compile(r"/compliance/commissioners/riverside/$"))
    expect(page.locator("#counts")).to_contain_text("Not compliant")
    assert_no_axe_violations(page)
    save_screenshots(page, "commissioner-overview")

    page.get_by_label("State").select_option("not_compliant")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"state=not_compliant"))
    table = page.locator("#services")
    expect(table).to_contain_text("Oak Lodge")
    expect(table).not_to_contain_text("Elm House")
    expect(table).to_contain_text("No training arrangement recorded")
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        page.locator("#export-link").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(content)))
    assert [r[0] for r in rows[1:]] == ["Oak Lodge"]

    table.get_by_role("link", name="Oak Lodge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oak Lodge")
    expect(page.locator("main")).to_contain_text("No current training arrangement")
    assert_no_axe_violations(page)

    page.goto("/compliance/commissioners/riverside/report/")
    expect(page.locator("#not-compliant")).to_contain_text("Oak Lodge")
    expect(page.locator("#generated")).to_contain_text("Generated on")
    # The heading comes before the sub-navigation, whose current page is marked.
    assert page.locator("h1, nav a[aria-current=page]").all_inner_texts() == [
        "Certified restrictive-practice training in commissioned services",
        "Printable report",
    ]
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    assert_no_axe_violations(page)
    page.emulate_media(media="print")
    expect(page.locator(".govuk-template__header")).to_be_hidden()
    expect(page.locator("#report-counts")).to_be_visible()
    save_screenshots(page, "commissioner-report-print")


def test_report_print_button_is_hidden_without_javascript(
    page_without_javascript, commissioner_data
):
    page = page_without_javascript
    _sign_in(page)
    page.goto("/compliance/commissioners/riverside/report/")
    expect(page.locator("#print-report")).to_be_hidden()
    expect(page.locator("main")).to_contain_text("Print this page, or save it as PDF")


def test_contract_pages_and_import_are_accessible(page, commissioner_data):
    _sign_in(page)
    for path in (
        "/compliance/commissioners/riverside/contracts/",
        "/compliance/commissioners/riverside/contracts/new/",
        "/compliance/commissioners/riverside/contracts/import/",
        "/compliance/commissioners/riverside/exposure/?training_provider=",
    ):
        page.goto(path)
        assert_no_axe_violations(page)
    page.goto("/compliance/commissioners/riverside/contracts/new/")
    page.get_by_role("button", name="Save contract").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)


def test_overview_works_without_javascript(page_without_javascript, commissioner_data):
    page = page_without_javascript
    _sign_in(page)
    page.goto("/compliance/commissioners/riverside/?state=not_compliant")
    expect(page.locator("#services")).to_contain_text("Oak Lodge")
