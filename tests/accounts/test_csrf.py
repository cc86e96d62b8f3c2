"""CSRF protection on forms, with a client that enforces it as a browser's requests meet it."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def csrf_token(client, path):
    client.get(path)
    return client.cookies["csrftoken"].value


def test_sign_in_without_the_csrf_token_is_refused(strict_client, user_a):
    response = strict_client.post(
        "/accounts/login/", {"username": user_a.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 403
    assert SESSION_KEY not in strict_client.session


def test_sign_in_with_the_csrf_token_works(strict_client, user_a):
    token = csrf_token(strict_client, "/accounts/login/")

    response = strict_client.post(
        "/accounts/login/",
        {"username": user_a.email, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert strict_client.session[SESSION_KEY] == str(user_a.pk)


def test_sign_out_without_the_csrf_token_is_refused(strict_client, user_a):
    strict_client.force_login(user_a)

    assert strict_client.post("/accounts/logout/").status_code == 403
    assert strict_client.session[SESSION_KEY] == str(user_a.pk)

    token = csrf_token(strict_client, "/accounts/password-change/")
    response = strict_client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert SESSION_KEY not in strict_client.session


def test_password_reset_without_the_csrf_token_is_refused(strict_client, user_a):
    assert (
        strict_client.post("/accounts/password-reset/", {"email": user_a.email}).status_code == 403
    )
    assert mail.outbox == []

    token = csrf_token(strict_client, "/accounts/password-reset/")
    response = strict_client.post(
        "/accounts/password-reset/", {"email": user_a.email, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_password_change_without_the_csrf_token_is_refused(strict_client, user_a):
    strict_client.force_login(user_a)
    new = "another long passphrase for alice"

    response = strict_client.post(
        "/accounts/password-change/",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 403
    user_a.refresh_from_db()
    assert user_a.check_password(TEST_PASSWORD)
