"""Sessions: a new key at sign-in, 8 hours' idle timeout, and sign-out ends it on the server."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    response = client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client.session.session_key


def test_signing_in_gives_a_new_session_key(client, user_a):
    before = client.session  # the test client creates and saves an anonymous session
    before["seen_start_page"] = True
    before.save()
    old_key = before.session_key

    new_key = sign_in(client, user_a)

    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()


def test_signing_out_ends_the_session_on_the_server(client, user_a):
    key = sign_in(client, user_a)
    assert client.get("/compliance/").status_code == 302  # signed in: sent to the dashboard
    assert Session.objects.filter(session_key=key).exists()

    client.post("/accounts/logout/")

    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie does not sign anyone in.
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get("/compliance/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in client.session


def test_sessions_time_out_after_8_hours_idle():
    import config.settings as configured  # tests/conftest.py changes the renewal interval

    assert configured.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert configured.SESSION_RENEW_AFTER_SECONDS == 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is False


def _expire_in_an_hour(key):
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + dt.timedelta(hours=1)
    )


def test_a_request_restarts_the_idle_clock_once_the_last_renewal_is_a_minute_old(
    client, user_a, settings
):
    key = sign_in(client, user_a)
    _expire_in_an_hour(key)
    settings.SESSION_RENEW_AFTER_SECONDS = 0  # as if a minute had passed since signing in

    response = client.get("/accounts/password-change/")

    assert response.status_code == 200
    expires = Session.objects.get(session_key=key).expire_date
    assert expires > timezone.now() + dt.timedelta(hours=7, minutes=59)


def test_requests_within_a_minute_of_the_last_renewal_do_not_write_the_session(
    client, user_a, settings
):
    settings.SESSION_RENEW_AFTER_SECONDS = 60
    key = sign_in(client, user_a)  # signing in renewed it
    _expire_in_an_hour(key)

    client.get("/accounts/password-change/")

    expires = Session.objects.get(session_key=key).expire_date
    assert expires < timezone.now() + dt.timedelta(hours=1, minutes=1)


def test_anonymous_requests_make_no_session(client):
    response = client.get("/providers/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


def test_an_idle_session_is_signed_out(client, user_a):
    key = sign_in(client, user_a)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    response = client.get("/accounts/password-change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
