"""Pages' content is rendered once and served kept (pages.content_cache) until a record it
shows is written or the day changes; what is per person is rendered around it every time."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from certification.services import move_certification
from certification.statuses import Status
from derived import generation
from pages import content_cache
from pages.content_cache import Content, remember
from standards.models import Region
from tests.factories import (
    AlertFactory,
    CertificationFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def certification():
    return CertificationFactory(
        provider__name="Calm Training", valid_until=timezone.localdate() + dt.timedelta(days=900)
    )


PUBLIC_PAGES = [
    lambda c: "/providers/",
    lambda c: "/providers/?q=calm&sort=valid_until",
    lambda c: c.provider.get_absolute_url(),
    lambda c: f"/certificates/check/?number={c.certificate_number}",
]


@pytest.mark.parametrize("url_of", PUBLIC_PAGES)
def test_a_public_page_served_again_runs_one_query_and_is_the_same(
    client, certification, url_of, django_assert_num_queries
):
    url = url_of(certification)
    first = text(client, url)
    with django_assert_num_queries(1):  # the data generation
        again = text(client, url)
    # The same but for the CSRF token of the follow form, which is rendered around the kept
    # content on every request (a new masked value each time).
    assert without_csrf_tokens(again) == without_csrf_tokens(first)


def without_csrf_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)


@pytest.mark.parametrize("url_of", PUBLIC_PAGES)
def test_a_status_change_shows_at_once(client, certification, url_of):
    url = url_of(certification)

    # The status tag ("Suspended since …" on the register and provider pages, "Suspended"
    # on the certificate check), not the filter's checkbox.
    def shows_suspended(html):
        return ">Suspended</strong>" in html or ">Suspended since " in html

    assert not shows_suspended(text(client, url))
    move_certification(
        certification, Status.SUSPENDED, effective_date=timezone.localdate(), reason="Audit"
    )
    assert shows_suspended(text(client, url))


def test_renaming_a_provider_or_a_region_shows_at_once(client, certification):
    provider = certification.provider
    assert "Calm Training" in text(client, "/providers/")
    provider.name = "Quiet Training"
    provider.save()
    page = text(client, "/providers/")
    assert "Quiet Training" in page and "Calm Training" not in page

    region = provider.region
    region.label = "Renamed Region"
    region.save()
    assert "Renamed Region" in text(client, provider.get_absolute_url())


def test_each_address_has_its_own_content(client, certification):
    TrainingProviderFactory(name="Other Training", region=Region.objects.get(slug="london"))
    everything = text(client, "/providers/")
    assert "Calm Training" in everything and "Other Training" in everything
    searched = text(client, "/providers/?q=other")
    assert "Other Training" in searched and "Calm Training" not in searched
    assert text(client, "/providers/") == everything


def test_content_kept_yesterday_is_not_served_today(client, certification, monkeypatch):
    page = text(client, "/providers/")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    later = text(client, "/providers/")
    assert later != page
    assert f"Statuses are as of today, {tomorrow.day} " in later


def test_the_header_is_the_viewers_own_around_kept_content(client, certification):
    anonymous = text(client, "/providers/")
    assert "Sign in" in anonymous and "Sign out" not in anonymous
    client.force_login(UserFactory())
    signed_in = text(client, "/providers/")
    assert "Sign out" in signed_in
    main = anonymous.split('<main class="govuk-main-wrapper" id="main-content">')[1]
    assert main.split("</main>")[0].strip() in signed_in


def test_content_with_a_csrf_token_is_never_kept():
    with pytest.raises(ValueError, match="CSRF"):
        remember(
            ("a form that posts",),
            lambda: Content(title="t", html='<input name="csrfmiddlewaretoken" value="x">'),
        )


def test_a_compliance_write_keeps_the_register_generation(certification):
    arrangement = TrainingArrangementFactory(training_provider=certification.provider)
    register, compliance = generation.current(generation.REGISTER), generation.current()
    ComplianceCheckFactory(arrangement=arrangement)
    assert generation.current(generation.REGISTER) == register
    assert generation.current() != compliance


def test_a_register_write_starts_a_new_generation_of_both(certification):
    register, compliance = generation.current(generation.REGISTER), generation.current()
    certification.provider.save()
    assert generation.current(generation.REGISTER) != register
    assert generation.current() != compliance


# -- pages of an organisation: the results are kept, each member's alerts are their own -----


@pytest.fixture
def service(certification):
    arrangement = TrainingArrangementFactory(training_provider=certification.provider)
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        MembershipFactory.of(arrangement.service_provider, user=user)
    return arrangement, first, second


def test_a_members_alerts_are_not_shown_to_another_member(client, service):
    arrangement, first, second = service
    url = f"/compliance/service-providers/{arrangement.service_provider.slug}/"
    AlertFactory(
        recipient=first, service_provider=arrangement.service_provider, subject="For the first"
    )
    client.force_login(first)
    first_page = text(client, url)
    assert "For the first" in first_page and 'name="csrfmiddlewaretoken"' in first_page
    client.force_login(second)
    second_page = text(client, url)
    assert "For the first" not in second_page
    assert "Calm Training" in second_page  # the kept arrangements


def test_a_check_recorded_shows_on_the_dashboard_at_once(client, service):
    arrangement, first, _ = service
    url = f"/compliance/service-providers/{arrangement.service_provider.slug}/"
    client.force_login(first)
    assert "27 March 2026" not in text(client, url)
    ComplianceCheckFactory(arrangement=arrangement, checked_on=dt.date(2026, 3, 27))
    assert "27 March 2026" in text(client, url)


def test_a_commissioners_overview_is_kept_per_commissioner(client, service):
    arrangement, _, _ = service
    ours = ContractFactory(service_provider=arrangement.service_provider)
    theirs = ContractFactory()  # another commissioner, another service
    member = UserFactory()
    MembershipFactory.of(ours.commissioner, user=member)
    other = UserFactory()
    MembershipFactory.of(theirs.commissioner, user=other)
    client.force_login(member)
    assert arrangement.service_provider.name in text(
        client, f"/compliance/commissioners/{ours.commissioner.slug}/"
    )
    client.force_login(other)
    page = text(client, f"/compliance/commissioners/{theirs.commissioner.slug}/")
    assert arrangement.service_provider.name not in page
    assert client.get(f"/compliance/commissioners/{ours.commissioner.slug}/").status_code == 404


def test_kept_content_lives_in_the_configured_cache(client, certification):
    text(client, "/providers/")
    key = content_cache._key(("register", "http://testserver/providers/", ()), generation.REGISTER)
    assert isinstance(content_cache.cache.get(key), Content)


def test_in_development_content_is_rendered_every_time(client, certification, settings):
    settings.DEBUG = True
    text(client, "/providers/")
    key = content_cache._key(("register", "http://testserver/providers/", ()), generation.REGISTER)
    assert content_cache.cache.get(key) is None
