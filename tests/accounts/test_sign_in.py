"""Signing in with an email address and password, and signing out."""

import logging

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"


def sign_in(client, email, password=TEST_PASSWORD, **fields):
    return client.post(LOGIN, {"username": email, "password": password, **fields})


def test_sign_in_page_asks_for_email_address_and_password(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="govuk-label" for="id_username">Email address</label>' in html
    assert 'type="email" name="username"' in html
    assert 'type="password" name="password"' in html


def test_the_url_names_are_the_public_paths():
    assert reverse("login") == LOGIN
    assert reverse("logout") == LOGOUT
    assert reverse("password_reset") == "/accounts/password-reset/"


def test_signing_in_sends_the_user_to_the_compliance_pages(client, user_a):
    response = sign_in(client, "alice@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/compliance/"
    assert client.session[SESSION_KEY] == str(user_a.pk)


def test_email_address_is_matched_whatever_its_case(client, user_a):
    response = sign_in(client, "  ALICE@Example.ORG")

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user_a.pk)


def test_signing_in_follows_a_safe_next_url_only(client, user_a):
    response = client.post(
        LOGIN,
        {"username": user_a.email, "password": TEST_PASSWORD, "next": "/accounts/password-change/"},
    )
    assert response["Location"] == "/accounts/password-change/"

    client.post(LOGOUT)
    response = client.post(
        LOGIN,
        {"username": user_a.email, "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/compliance/"


def test_wrong_password_shows_an_error_summary_and_does_not_sign_in(client, user_a):
    response = sign_in(client, user_a.email, "not-the-password")

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the email address and password for your account." in html
    assert '<a href="#id_username">' in html
    assert "<title>Error: Sign in" in html
    assert SESSION_KEY not in client.session


def test_empty_form_says_what_is_missing(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})

    html = response.content.decode()
    assert "Enter your email address." in html
    assert "Enter your password." in html


def test_a_deactivated_user_cannot_sign_in(client):
    UserFactory(email="gone@example.org", is_active=False)

    response = sign_in(client, "gone@example.org")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_sign_out_is_post_only(client, user_a):
    client.force_login(user_a)

    assert client.get(LOGOUT).status_code == 405
    assert client.session[SESSION_KEY] == str(user_a.pk)

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session


def test_signing_out_when_already_signed_out_just_goes_home(client, db):
    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_successful_failed_and_ended_sign_ins_are_logged(client, user_a, caplog):
    caplog.set_level(logging.INFO, logger="accounts.signin")

    sign_in(client, "Alice@Example.org", "wrong-password-here")
    sign_in(client, "alice@example.org")
    client.post(LOGOUT)

    records = [r for r in caplog.records if r.name == "accounts.signin"]
    messages = [r.getMessage() for r in records]
    assert messages == [
        "sign-in failed email='alice@example.org' ip=127.0.0.1",
        f"sign-in succeeded user={user_a.pk} ip=127.0.0.1",
        f"signed out user={user_a.pk} ip=127.0.0.1",
    ]
    assert [r.levelname for r in records] == ["WARNING", "INFO", "INFO"]
    assert all(TEST_PASSWORD not in m and "wrong-password" not in m for m in messages)


def test_password_change_needs_the_old_password_and_signs_in_with_the_new(client, user_a):
    client.force_login(user_a)
    new = "a much longer passphrase that nobody guesses"

    wrong = client.post(
        "/accounts/password-change/",
        {"old_password": "nope", "new_password1": new, "new_password2": new},
    )
    assert wrong.status_code == 200
    assert "There is a problem" in wrong.content.decode()

    response = client.post(
        "/accounts/password-change/",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-change/done/"
    # Still signed in (Django updates the session hash), and the new password works.
    assert client.get("/accounts/password-change/done/").status_code == 200
    client.post(LOGOUT)
    assert sign_in(client, user_a.email, new).status_code == 302


def test_password_change_needs_sign_in(client, db):
    response = client.get("/accounts/password-change/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password-change/"


def test_the_header_offers_sign_in_to_visitors_and_sign_out_to_users(client, user_a):
    html = client.get(LOGIN).content.decode()
    assert '<a class="govuk-service-navigation__link" href="/accounts/login/">Sign in</a>' in html
    assert "Sign out" not in html
    assert "Change your password" not in html

    client.force_login(user_a)
    html = client.get("/accounts/password-change/").content.decode()

    assert '<form method="post" action="/accounts/logout/" class="app-sign-out">' in html
    assert 'name="csrfmiddlewaretoken"' in html.split('action="/accounts/logout/"')[1]
    assert ">Sign out</button>" in html
    assert 'href="/accounts/password-change/">Change your password</a>' in html


LONG_EMAIL = "a" * 250 + "@example.org"  # 262 characters: longer than any account's


def test_an_email_address_too_long_for_any_account_is_a_form_error(client, user_a):
    from axes.models import AccessAttempt, AccessFailureLog

    response = sign_in(client, LONG_EMAIL, password="whatever-it-is")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Email address must be 254 characters or fewer" in html
    assert 'class="govuk-error-summary"' in html
    # Refused before the password is checked, so django-axes has nothing to keep.
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()


@pytest.mark.parametrize("length", [256, 10_000])
def test_the_admin_sign_in_counts_a_too_long_address_without_failing(client, length):
    # The admin's own sign-in form has no length check: django-axes keeps the address cut to
    # its column's 255 characters (on PostgreSQL a longer one would fail to save).
    from axes.models import AccessAttempt

    email = "b" * (length - len("@example.org")) + "@example.org"

    response = client.post("/admin/login/", {"username": email, "password": "whatever-it-is"})

    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == email[:255]
