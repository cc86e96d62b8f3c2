"""/compliance/ sends each signed-in user to the organisation they act for; an organisation's
page shows that organisation and its own members, and is a 404 to everyone else."""

import pytest
from django.urls import reverse

from tests.factories import (
    CertificationBodyFactory,
    CommissionerFactory,
    MembershipFactory,
    TrainingProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOME = "/compliance/"


def test_the_paths_are_the_public_url_map(service_provider_a):
    commissioner = CommissionerFactory(slug="borough")
    assert reverse("compliance:home") == HOME
    assert service_provider_a.get_absolute_url() == (
        f"/compliance/service-providers/{service_provider_a.slug}/"
    )
    assert commissioner.get_absolute_url() == "/compliance/commissioners/borough/"


def test_anonymous_users_are_sent_to_sign_in(client, db):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/compliance/"


def test_service_provider_staff_go_to_their_dashboard(client, user_a, service_provider_a):
    client.force_login(user_a)

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == service_provider_a.get_absolute_url()


def test_commissioner_staff_go_to_their_dashboard(client):
    commissioner = CommissionerFactory()
    user = MembershipFactory.of(commissioner).user
    client.force_login(user)

    response = client.get(HOME)

    assert response["Location"] == f"/compliance/commissioners/{commissioner.slug}/"


def test_certification_body_staff_go_to_the_admin(client):
    user = UserFactory(is_staff=True)
    MembershipFactory.of(CertificationBodyFactory(), user=user)
    MembershipFactory.of(CertificationBodyFactory(), user=user)
    client.force_login(user)

    response = client.get(HOME)

    assert response["Location"] == "/admin/"


def test_training_provider_staff_go_to_the_page_where_they_keep_its_details(client):
    provider = TrainingProviderFactory(slug="safer-care")
    client.force_login(MembershipFactory.of(provider).user)

    assert client.get(HOME)["Location"] == "/providers/safer-care/manage/"


def test_a_superuser_without_memberships_goes_to_the_admin(client, superuser):
    client.force_login(superuser)

    assert client.get(HOME)["Location"] == "/admin/"


def test_someone_acting_for_several_organisations_chooses_one(client, user_a, service_provider_a):
    commissioner = CommissionerFactory(name="Riverside Borough Council")
    MembershipFactory.of(commissioner, user=user_a)
    client.force_login(user_a)

    response = client.get(HOME)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose an organisation" in html
    assert f'href="{service_provider_a.get_absolute_url()}">Organisation A Care Home</a>' in html
    assert f'href="/compliance/commissioners/{commissioner.slug}/">Riverside Borough' in html


def test_a_user_with_no_organisation_is_told_so(client, db):
    client.force_login(UserFactory())

    response = client.get(HOME)

    assert response.status_code == 200
    assert "Your account is not linked to an organisation" in response.content.decode()


def test_the_dashboard_shows_the_organisation_and_only_its_members(
    client, user_a, user_b, service_provider_a
):
    colleague = UserFactory(full_name="Carol Colleague", email="carol@example.org")
    MembershipFactory.of(service_provider_a, user=colleague)
    client.force_login(user_a)

    response = client.get(service_provider_a.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Organisation A Care Home</h1>' in html
    assert "Alice Able" in html and "alice@example.org" in html
    assert "Carol Colleague" in html and "carol@example.org" in html
    assert "Bob Baker" not in html and "bob@example.org" not in html


def test_another_organisations_dashboard_is_not_found(client, user_a, service_provider_b):
    client.force_login(user_a)

    assert client.get(service_provider_b.get_absolute_url()).status_code == 404


def test_commissioner_dashboard_is_for_its_members_only(client, user_a):
    mine, theirs = CommissionerFactory(name="Mine Council"), CommissionerFactory()
    member = MembershipFactory.of(mine).user

    client.force_login(member)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404

    # Staff of a service provider do not see a commissioner's page.
    client.force_login(user_a)
    assert client.get(mine.get_absolute_url()).status_code == 404


def test_a_superuser_sees_any_organisation(client, superuser, service_provider_b):
    client.force_login(superuser)

    assert client.get(service_provider_b.get_absolute_url()).status_code == 200


def test_an_unknown_organisation_is_not_found_for_a_superuser_too(client, superuser):
    client.force_login(superuser)

    assert client.get("/compliance/service-providers/no-such-home/").status_code == 404


def test_the_dashboard_query_count_does_not_grow_with_members(
    client, user_a, service_provider_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user_a)
    url = service_provider_a.get_absolute_url()
    client.get(url)  # warm up: session, content types

    with CaptureQueriesContext(connection) as one_member:
        client.get(url)
    for _ in range(10):
        MembershipFactory.of(service_provider_a)
    with django_assert_max_num_queries(len(one_member.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("@example.org</td>") == 11
