"""The register (/providers/) and a provider's page in a real browser: search, filter, open,
download, without JavaScript, and axe finds no WCAG A/AA violations."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from certification.models import Certification
from certification.statuses import Status
from standards.models import Population, Region
from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.screenshots import save_screenshots
from tests.factories import CertificationBodyFactory, CertificationFactory, TrainingProviderFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def register(register_data):
    body = CertificationBodyFactory(name="Good Cert Ltd", ukas_number="4321")
    london = Region.objects.get(slug="london")
    north_east = Region.objects.get(slug="north-east")
    calm = CertificationFactory(
        body=body,
        provider=TrainingProviderFactory(name="Calm Approaches", town="Leeds", region=london),
        certificate_number="RRN-1001",
    )
    calm.populations.add(Population.objects.get(slug="autism"))
    calm.regions.add(london)
    CertificationFactory(
        body=body,
        provider=TrainingProviderFactory(name="Calm Waters Training", region=north_east),
        status=Status.SUSPENDED,
        certificate_number="RRN-1002",
    )
    CertificationFactory(
        body=body,
        provider=TrainingProviderFactory(name="Meadow Affiliate", region=london),
        role=Certification.Role.AFFILIATE,
        parent=calm,
    )
    for n in range(30):
        TrainingProviderFactory(name=f"Other Provider {n:02d}", region=north_east)
    return {"calm": calm}


def result_names(page):
    return page.locator("#providers h3 a").all_inner_texts()


def test_search_then_filter_then_open_a_provider(page, register):
    page.goto("/providers/")
    expect(page.locator("#result-count")).to_contain_text("33 training providers")
    page.get_by_label("Search").fill("calm")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"q=calm"))
    assert result_names(page) == ["Calm Approaches", "Calm Waters Training"]

    page.get_by_role("checkbox", name="Certified", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"q=calm.*status=certified"))
    assert result_names(page) == ["Calm Approaches"]
    expect(page.locator("#active-filters")).to_contain_text("Status today: Certified")

    page.get_by_role("link", name="Calm Approaches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calm Approaches")
    expect(page.locator("#verdict")).to_contain_text(
        "Certified by Good Cert Ltd (UKAS accreditation number 4321) until"
    )
    expect(page.get_by_role("link", name="Meadow Affiliate")).to_be_visible()


def test_removing_a_filter_keeps_the_others(page, register):
    page.goto("/providers/?q=calm&status=certified")
    page.get_by_role("link", name=re.compile("Remove filter Status today")).click()
    expect(page).to_have_url(re.compile(r"/providers/\?q=calm$"))
    assert result_names(page) == ["Calm Approaches", "Calm Waters Training"]


def test_download_csv_from_the_filtered_list(page, register):
    page.goto("/providers/?q=calm&status=certified")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these results (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["name"] for row in rows] == ["Calm Approaches"]
    assert rows[0]["certificate_number"] == "RRN-1001"
    assert rows[0]["status"] == "certified"


def test_search_and_filter_without_javascript(page_without_javascript, register):
    page = page_without_javascript
    page.goto("/providers/")
    page.get_by_label("Search").fill("calm")
    # The region list is folded in a details element, which opens without JavaScript.
    page.locator("summary", has_text="Region").click()
    page.get_by_role("checkbox", name="North East").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"q=calm.*region=north-east"))
    assert result_names(page) == ["Calm Waters Training"]
    page.get_by_role("link", name="Status (certified first)").click()
    expect(page).to_have_url(re.compile(r"sort=status"))
    assert result_names(page) == ["Calm Waters Training"]


def test_pagination_keeps_filters(page, register):
    page.goto("/providers/?region=north-east")
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"region=north-east&page=2"))
    expect(page.locator("#result-count")).to_contain_text("Showing 26 to 31")


def test_register_is_accessible_with_screenshots(page, register):
    page.goto("/providers/?q=calm")
    assert_no_axe_violations(page)
    page.goto("/providers/")
    assert_no_axe_violations(page)
    save_screenshots(page, "register")


def test_register_with_an_error_is_accessible(page, register):
    page.goto("/providers/?region=atlantis&expiring=abc")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)


def test_provider_page_is_accessible_with_screenshots(page, register):
    page.goto(register["calm"].provider.get_absolute_url())
    expect(page.locator("#history")).to_contain_text("Assessment completed")
    assert_no_axe_violations(page)
    save_screenshots(page, "provider")
