"""Issue 16 in a real browser: a date typed as day, month and year (GOV.UK date input) with its
error messages, with and without JavaScript; adding a suspended training provider says so.
Axe on every page."""

import datetime as dt

import pytest
from django.utils import timezone

from certification.statuses import Status
from compliance.models import ComplianceCheck, TrainingArrangement
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


@pytest.fixture
def care_home(register_data):
    service = ServiceProviderFactory(name="Meadow View Care Home", slug="meadow-view")
    user = UserFactory(email="care@example.org")
    MembershipFactory(user=user, service_provider=service)
    certified = CertificationFactory(provider__name="Calm Approaches Training")
    TrainingArrangementFactory(
        service_provider=service,
        training_provider=certified.provider,
        starts_on=dt.date(2020, 1, 1),
    )
    return service, user


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.locator('input[name="username"]').fill(email)
    page.locator('input[name="password"]').fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _type_date(page, day, month, year):
    group = page.get_by_role("group", name="Date of the check")
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def _fill_check(page):
    page.get_by_label("Training arrangement checked").select_option(
        label="Calm Approaches Training"
    )
    page.get_by_label("Action needed").check()
    for question in ("populations", "settings", "content"):
        page.locator(f'input[name="scope_covers_{question}"][value="yes"]').check()
    page.get_by_label("Evidence seen").fill("Certificate copy")


def _save(page):
    page.get_by_role("button", name="Save check").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    "javascript",
    [True, False],
    ids=["with JavaScript", "without"],
)
def test_a_check_date_typed_as_day_month_and_year(request, care_home, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    service, user = care_home
    _sign_in(page, user.email)
    page.goto(f"/compliance/service-providers/{service.slug}/checks/new/")
    assert_no_axe_violations(page)

    _fill_check(page)
    _type_date(page, "31", "", "2026")
    _save(page)
    summary = page.locator(".govuk-error-summary")
    link = summary.get_by_role("link", name="Date of the check must include a month")
    assert link.get_attribute("href") == "#id_checked_on_0"  # the day input
    day = page.get_by_role("group", name="Date of the check").get_by_label("Day")
    assert "govuk-input--error" in day.get_attribute("class")
    assert_no_axe_violations(page)

    _type_date(page, "31", "2", "2026")
    _save(page)
    assert summary.get_by_role("link", name="Date of the check must be a real date").count() == 1
    assert not ComplianceCheck.objects.exists()

    last_week = timezone.localdate() - dt.timedelta(days=7)
    _type_date(page, str(last_week.day), str(last_week.month), str(last_week.year))
    _save(page)
    assert "Compliance check recorded" in page.content()
    assert ComplianceCheck.objects.get().checked_on == last_week
    assert_no_axe_violations(page)


def test_adding_a_suspended_provider_warns_what_it_means(page, care_home):
    service, user = care_home
    CertificationFactory(provider__name="Bright Skills Ltd", status=Status.SUSPENDED)
    _sign_in(page, user.email)
    page.goto(f"/compliance/service-providers/{service.slug}/arrangements/new/")
    page.get_by_label("Search the register for a training provider").fill("Bright")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    match = page.locator("#matches li", has_text="Bright Skills Ltd")
    assert match.locator(".govuk-tag").inner_text() == "Suspended"
    assert_no_axe_violations(page)

    match.get_by_role("link").click()
    page.wait_for_load_state()
    warning = (
        "Bright Skills Ltd's certification is suspended: training from it does not comply "
        "until it is reinstated"
    )
    assert warning in page.locator("#reliance-warning").inner_text()
    assert_no_axe_violations(page)
    page.get_by_label("Bought-in training from a certified provider").check()
    page.get_by_role("button", name="Add training provider").click()
    page.wait_for_load_state()
    assert "Bright Skills Ltd added" in page.content()
    assert warning in page.locator(".govuk-notification-banner").last.inner_text()
    assert TrainingArrangement.objects.filter(training_provider__name="Bright Skills Ltd").exists()
    assert_no_axe_violations(page)
