"""API tokens: made and revoked by an organisation's staff, shown once, stored hashed, with
an expiry, a last-used time and a higher rate (issue 17, part 3)."""

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from api.models import ApiToken, hash_secret
from pages import submissions
from tests.factories import MembershipFactory, ServiceProviderFactory, UserFactory
from tests.form_tokens import with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_a(db):
    user = UserFactory(email="a@example.org")
    MembershipFactory(
        user=user, role=Role.SERVICE_PROVIDER_STAFF, service_provider=ServiceProviderFactory()
    )
    return user


@pytest.fixture
def staff_b(db):
    user = UserFactory(email="b@example.org")
    MembershipFactory(
        user=user, role=Role.SERVICE_PROVIDER_STAFF, service_provider=ServiceProviderFactory()
    )
    return user


def make_token(client, user, **data):
    client.force_login(user)
    form = {
        "name": "Contract system",
        "membership": user.memberships.get().pk,
        "scope": "read",
        "expires_in": "90",
        **data,
    }
    return client.post("/accounts/api-tokens/", with_token(user, form))


def shown_token(response):
    return re.search(r"rrn_[0-9a-f]{12}_[\w-]+", response.content.decode())[0]


def test_a_token_is_shown_once_and_stored_only_as_a_hash(client, staff_a):
    response = make_token(client, staff_a)

    assert response.status_code == 200
    text = shown_token(response)
    token = ApiToken.objects.get()
    assert token.membership.user == staff_a
    assert token.secret_hash == hash_secret(text.split("_", 2)[2])
    assert text.split("_", 2)[2] not in str(ApiToken.objects.values().get())
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=90)).date()
    assert text not in client.get("/accounts/api-tokens/").content.decode()


def test_a_membership_of_another_user_is_a_form_error(client, staff_a, staff_b):
    response = make_token(client, staff_a, membership=staff_b.memberships.get().pk)

    assert response.status_code == 200
    assert "Choose one of your organisations" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_authenticates_and_records_its_last_use(client, staff_a):
    text = shown_token(make_token(client, staff_a))
    client.logout()

    response = client.get("/api/v1/vocabulary/", HTTP_AUTHORIZATION=f"Bearer {text}")

    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer rrn_000000000000_nope", "Bearer x", "Token a b"])
def test_an_unknown_token_is_refused_with_401_problem_details(client, header):
    response = client.get("/api/v1/vocabulary/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_and_expired_tokens_are_refused(client, staff_a, staff_b):
    revoked = shown_token(make_token(client, staff_a))
    token = ApiToken.objects.get()
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 302
    expired = shown_token(make_token(client, staff_b))
    ApiToken.objects.filter(membership__user=staff_b).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    client.logout()

    for text in (revoked, expired):
        response = client.get("/api/v1/vocabulary/", HTTP_AUTHORIZATION=f"Bearer {text}")
        assert response.status_code == 401


def test_a_deactivated_users_tokens_are_refused(client, staff_a):
    text = shown_token(make_token(client, staff_a))
    client.logout()
    assert client.get("/api/v1/vocabulary/", HTTP_AUTHORIZATION=f"Bearer {text}").status_code == 200
    staff_a.is_active = False
    staff_a.save(update_fields=["is_active"])

    response = client.get("/api/v1/vocabulary/", HTTP_AUTHORIZATION=f"Bearer {text}")
    assert response.status_code == 401


def test_another_organisations_staff_cannot_see_or_revoke_a_token(client, staff_a, staff_b):
    make_token(client, staff_a, name="Secret system of A")
    token = ApiToken.objects.get()

    client.force_login(staff_b)
    page = client.get("/accounts/api-tokens/").content.decode()
    revoke = client.post(f"/accounts/api-tokens/{token.pk}/revoke/")

    assert "Secret system of A" not in page
    assert revoke.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_colleague_in_the_same_organisation_can_revoke_it(client, staff_a):
    make_token(client, staff_a)
    token = ApiToken.objects.get()
    colleague = UserFactory(email="colleague@example.org")
    MembershipFactory(
        user=colleague,
        role=Role.SERVICE_PROVIDER_STAFF,
        service_provider=staff_a.memberships.get().service_provider,
    )

    client.force_login(colleague)
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_gets_the_higher_rate(client, staff_a, settings):
    settings.API_THROTTLE_RATES = {
        **settings.API_THROTTLE_RATES,
        "anonymous": "1/minute",
        "token_anonymous": "3/minute",
    }
    text = shown_token(make_token(client, staff_a))
    client.logout()

    anonymous = [client.get("/api/v1/vocabulary/").status_code for _ in range(2)]
    with_token = [
        client.get("/api/v1/vocabulary/", HTTP_AUTHORIZATION=f"Bearer {text}").status_code
        for _ in range(4)
    ]

    assert anonymous == [200, 429]
    assert with_token == [200, 200, 200, 429]


def test_the_form_posted_twice_makes_one_token(client, staff_a):
    client.force_login(staff_a)
    form = with_token(
        staff_a,
        {
            "name": "Contract system",
            "membership": staff_a.memberships.get().pk,
            "scope": "read",
            "expires_in": "30",
        },
    )

    first = client.post("/accounts/api-tokens/", form)
    second = client.post("/accounts/api-tokens/", form, follow=True)

    assert first.status_code == 200 and shown_token(first)
    assert ApiToken.objects.count() == 1
    assert second.redirect_chain == [("/accounts/api-tokens/", 302)]
    assert submissions.ALREADY_SAVED in second.content.decode()
    assert re.search(r"rrn_[0-9a-f]{12}_", second.content.decode()) is None


def test_the_form_without_its_token_makes_none(client, staff_a):
    client.force_login(staff_a)
    data = {"name": "CRM", "membership": staff_a.memberships.get().pk, "scope": "read"}

    response = client.post("/accounts/api-tokens/", {**data, "expires_in": "30"})

    assert response.status_code == 200
    assert submissions.REFUSED in response.content.decode()
    assert not ApiToken.objects.exists()
    assert f'name="{submissions.TOKEN_FIELD}"' in response.content.decode()


@pytest.mark.parametrize("field, value", [("scope", "admin"), ("secret_hash", "")])
def test_the_database_refuses_a_token_without_a_known_scope_or_a_secret(staff_a, field, value):
    token, _ = ApiToken.issue(
        name="CRM",
        membership=staff_a.memberships.get(),
        scope=ApiToken.Scope.READ,
        expires_at=timezone.now() + dt.timedelta(days=30),
        created_by=staff_a,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(**{field: value})
