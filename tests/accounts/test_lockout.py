"""Brute-force protection (django-axes): an email address is locked out from one IP address
after 5 failed sign-ins, for 15 minutes, with a clear page (429 Too Many Requests)."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = "this-is-not-the-password"


def attempt(client, email, password, ip="127.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def fail(client, times, email="alice@example.org", ip="127.0.0.1"):
    return [attempt(client, email, WRONG, ip).status_code for _ in range(times)]


def test_four_failures_still_let_the_right_password_in(client, user_a):
    assert fail(client, 4) == [200, 200, 200, 200]

    assert attempt(client, user_a.email, TEST_PASSWORD).status_code == 302


def test_the_fifth_failure_locks_out_with_a_clear_message(client, user_a):
    statuses = fail(client, 5)

    assert statuses == [200, 200, 200, 200, 429]
    response = attempt(client, user_a.email, WRONG)
    assert response.status_code == 429
    html = response.content.decode()
    assert "You have tried to sign in too many times" in html
    assert "locked for 15 minutes" in html
    assert 'href="/accounts/password-reset/"' in html


def test_a_locked_out_user_cannot_sign_in_even_with_the_right_password(client, user_a):
    fail(client, 5)

    response = attempt(client, user_a.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_lockout_counts_the_email_address_whatever_its_case(client, user_a):
    for email in ["alice@example.org", "ALICE@example.org", "Alice@Example.org "]:
        attempt(client, email, WRONG)
    fail(client, 2, email="alice@EXAMPLE.org")

    assert attempt(client, user_a.email, TEST_PASSWORD).status_code == 429


def test_lockout_is_by_email_and_ip_together(client, user_a, user_b):
    fail(client, 5, ip="10.0.0.1")

    # The same account from another address, and another account from the same address.
    assert attempt(client, user_a.email, TEST_PASSWORD, ip="10.0.0.2").status_code == 302
    client.post("/accounts/logout/")
    assert attempt(client, user_b.email, TEST_PASSWORD, ip="10.0.0.1").status_code == 302
    client.post("/accounts/logout/")
    assert attempt(client, user_a.email, TEST_PASSWORD, ip="10.0.0.1").status_code == 429


def test_the_lockout_ends_after_15_minutes(client, user_a):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=14))
    assert attempt(client, user_a.email, TEST_PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))

    assert attempt(client, user_a.email, TEST_PASSWORD).status_code == 302


def test_an_administrator_unlocks_with_the_axes_reset_command(client, user_a):
    fail(client, 5)

    call_command("axes_reset_ip_username", "127.0.0.1", "alice@example.org")

    assert attempt(client, user_a.email, TEST_PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, user_a):
    fail(client, 4)
    attempt(client, user_a.email, TEST_PASSWORD)
    client.post("/accounts/logout/")

    assert fail(client, 4) == [200, 200, 200, 200]
    assert attempt(client, user_a.email, TEST_PASSWORD).status_code == 302


def test_the_admin_sign_in_is_protected_too(client, superuser):
    for _ in range(5):
        client.post("/admin/login/", {"username": superuser.email, "password": WRONG})

    response = client.post(
        "/admin/login/", {"username": superuser.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 429
