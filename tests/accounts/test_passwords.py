"""Password rules: Django's validators, at least 12 characters, no common passwords, and long
passphrases (64 characters and more) welcome."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LONG_PASSPHRASES = [
    "correct horse battery staple and a lighthouse keeper's long red umbrella",  # 72
    "x7#Lq" * 13,  # 65
    "ü" * 64 + " and some more words after it, up to a few hundred characters" * 3,
]


@pytest.mark.parametrize("password", LONG_PASSPHRASES)
def test_long_passphrases_are_accepted(password):
    assert len(password) >= 64
    validate_password(password, UserFactory.build(email="someone@example.org"))


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt!pass", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("qwertyuiop123", "This password is too common."),
        ("1q2w3e4r5t6y", "This password is too common."),
        ("839274615028374", "This password is entirely numeric."),
        ("someone.person@example.org", "The password is too similar to the email address."),
    ],
)
def test_weak_passwords_are_refused(password, reason):
    user = UserFactory.build(email="someone.person@example.org")

    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)

    assert reason in refused.value.messages


def test_eleven_characters_is_one_too_few():
    with pytest.raises(ValidationError):
        validate_password("kq8#vTz!m2w")
    validate_password("kq8#vTz!m2wL")


def test_a_long_passphrase_can_be_set_and_used_to_sign_in(client, user_a):
    passphrase = LONG_PASSPHRASES[0] * 2  # 144 characters
    client.force_login(user_a)

    response = client.post(
        "/accounts/password-change/",
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": passphrase,
            "new_password2": passphrase,
        },
    )
    assert response.status_code == 302
    client.post("/accounts/logout/")

    response = client.post("/accounts/login/", {"username": user_a.email, "password": passphrase})
    assert response.status_code == 302


def test_a_weak_new_password_is_refused_with_a_reason(client, user_a):
    client.force_login(user_a)

    response = client.post(
        "/accounts/password-change/",
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "password1234",
            "new_password2": "password1234",
        },
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
