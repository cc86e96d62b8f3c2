"""Resetting a forgotten password by email."""

import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password-reset/"
NEW = "a brand new passphrase for the register"


def request_link(client, email):
    return client.post(RESET, {"email": email})


def link_in(message):
    return re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body).group(1)


def test_the_reset_page_asks_for_an_email_address(client):
    response = client.get(RESET)

    assert response.status_code == 200
    assert "Reset your password" in response.content.decode()


def test_a_reset_link_is_emailed_and_sets_a_new_password(client, user_a):
    response = request_link(client, "ALICE@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Reset your password for the RRN Training Register"
    assert "within one hour" in message.body

    response = client.get(link_in(message))
    assert response.status_code == 302  # Django moves the token into the session
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    assert "Choose a new password" in client.get(form_url).content.decode()

    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/complete/"
    assert client.get("/accounts/password-reset/complete/").status_code == 200

    response = client.post("/accounts/login/", {"username": user_a.email, "password": NEW})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user_a.pk)


def test_the_link_works_once(client, user_a):
    request_link(client, user_a.email)
    link = link_in(mail.outbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})

    response = client.get(link, follow=True)

    assert "This link does not work" in response.content.decode()


def test_a_weak_new_password_is_refused(client, user_a):
    request_link(client, user_a.email)
    form_url = client.get(link_in(mail.outbox[0]))["Location"]

    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "This password is too short." in response.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, db):
    response = request_link(client, "nobody@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_a_deactivated_account_gets_no_email(client):
    UserFactory(email="gone@example.org", is_active=False)

    request_link(client, "gone@example.org")

    assert mail.outbox == []


def test_an_invalid_email_address_is_explained(client, db):
    response = request_link(client, "not an email")

    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()


@pytest.mark.parametrize(
    ("email_url", "backend"),
    [
        (None, "django.core.mail.backends.console.EmailBackend"),
        ("smtp+tls://user:pw@mail.example.org:587", "django.core.mail.backends.smtp.EmailBackend"),
    ],
)
def test_email_goes_to_the_console_unless_email_url_says_otherwise(email_url, backend):
    env = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="true")
    if email_url:
        env["EMAIL_URL"] = email_url
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"

    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == backend
