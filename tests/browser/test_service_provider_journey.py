"""A service provider's member signs in, sees a warning for an expiring certificate, records a
check with evidence, finds it in the history and downloads the CSV; axe on every page."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.accessibility import assert_no_axe_violations
from tests.factories import (
    TEST_PASSWORD,
    CertificationFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def care_home(register_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    service = ServiceProviderFactory(name="Meadow View Care Home", slug="meadow-view")
    user = UserFactory(email="care@example.org", full_name="Casey Carer")
    MembershipFactory(user=user, service_provider=service)
    expiring = CertificationFactory(
        provider__name="Calm Approaches Training",
        valid_until=timezone.localdate() + dt.timedelta(days=45),
    )
    TrainingArrangementFactory(service_provider=service, training_provider=expiring.provider)
    return service, user


def _sign_in(page, email):
    page.goto("/accounts/login/")
    assert_no_axe_violations(page)
    page.locator('input[name="username"]').fill(email)
    page.locator('input[name="password"]').fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_service_provider_records_a_check_and_downloads_the_history(page, care_home, tmp_path):
    service, user = care_home
    _sign_in(page, user.email)

    page.goto(f"/compliance/service-providers/{service.slug}/")
    overall = page.locator("#overall")
    assert "1 of 1 training arrangement needs action" in overall.inner_text()
    table = page.locator("#arrangements").inner_text()
    assert "Calm Approaches Training" in table
    assert "Certificate ends on" in table
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Record a check of Calm Approaches Training").click()
    assert_no_axe_violations(page)
    page.get_by_label("Action needed").check()
    for question in ("populations", "settings", "content"):
        page.locator(f'input[name="scope_covers_{question}"][value="yes"]').check()
    page.get_by_label("Evidence seen").fill("Certificate copy; ends within 60 days")
    page.locator('input[name="evidence_file"]').set_input_files(
        files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Save check").click()
    page.wait_for_load_state()
    assert "Compliance check recorded" in page.content()
    assert "What the register said on" in page.content()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Check history").first.click()
    rows = page.locator("#checks").inner_text()
    assert "Calm Approaches Training" in rows
    assert "Action needed" in rows
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these checks (CSV)").click()
    path = tmp_path / "checks.csv"
    download_info.value.save_as(path)
    text = path.read_text()
    assert text.startswith("checked_on,training_provider")
    assert "Calm Approaches Training" in text
    assert "Certificate copy; ends within 60 days" in text


def test_an_evidence_file_too_big_to_upload_gets_a_clear_page(page, care_home, settings):
    settings.MAX_UPLOAD_REQUEST_BYTES = 100_000  # the real limit is 11 MB
    service, user = care_home
    _sign_in(page, user.email)
    page.goto(f"/compliance/service-providers/{service.slug}/checks/new/")
    page.get_by_label("Evidence seen").fill("Certificate copy")
    page.locator('input[name="evidence_file"]').set_input_files(
        files=[{"name": "big.pdf", "mimeType": "application/pdf", "buffer": PDF * 10_000}]
    )

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Save check").click()

    assert answer.value.status == 413
    assert page.get_by_role("heading", level=1).inner_text() == "The file you chose is too big"
    assert_no_axe_violations(page)
