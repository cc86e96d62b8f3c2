"""Fuzzing the public pages and the public forms: whatever is sent, no 500 and no write.

Query strings go to every public list, detail and export; form data goes to every form anyone
can post without signing in. The signed-in forms are fuzzed beside their own tests
(e.g. tests/compliance/test_service_provider_fuzz.py).
"""

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _sendable(value):
    # The test client cannot send lone surrogates; everything else goes.
    return value.encode("utf-8", "replace").decode("utf-8")


junk = st.text(max_size=200).map(_sendable) | st.sampled_from(
    ["", "0", "-1", "9" * 40, "1e309", "2026-02-30", "%", "'; DROP TABLE x;--", "\x00", "é" * 50]
)
# Parameters the lists understand, and some they do not.
parameter_names = st.sampled_from(
    [
        "q",
        "page",
        "sort",
        "order",
        "number",
        "region",
        "status",
        "body",
        "population",
        "setting",
        "specialist_content",
        "kind",
        "on",
        "format",
        "edition",
    ]
) | st.text(min_size=1, max_size=20).map(_sendable)
query_strings = st.dictionaries(parameter_names, junk | st.lists(junk, max_size=3), max_size=5)


@pytest.fixture
def public_paths(db):
    certification = CertificationFactory()
    edition = certification.standards_edition
    return [
        "/",
        "/providers/",
        "/providers/export.csv",
        "/providers/export.json",
        f"/providers/{certification.provider.slug}/",
        "/accessibility/",
        "/certificates/check/",
        "/certification-bodies/",
        f"/certification-bodies/{certification.body.slug}/",
        "/standards/",
        f"/standards/{edition.slug}/",
        "/accounts/login/",
        "/accounts/password-reset/",
    ]


def _read(response):
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@FUZZ
@given(params=query_strings)
def test_public_pages_never_fail_whatever_the_query_string(client, public_paths, params):
    for path in public_paths:
        response = client.get(path, params)
        _read(response)
        assert response.status_code in (200, 400, 404), path


@FUZZ
@given(number=junk)
def test_certificate_check_answers_any_number(client, db, number):
    response = client.get("/certificates/check/", {"number": number})

    assert response.status_code == 200


@FUZZ
@given(data=st.fixed_dictionaries({"username": junk, "password": junk, "next": junk}))
def test_sign_in_with_junk_never_fails_and_signs_no_one_in(client, db, data):
    users_before = list(User.objects.values_list("pk", "password", "last_login"))

    response = client.post("/accounts/login/", data)

    # 200: the form again, with errors; 429: django-axes' lockout after repeated failures.
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert not any("_auth_user_id" in session.get_decoded() for session in Session.objects.all())
    assert list(User.objects.values_list("pk", "password", "last_login")) == users_before


@FUZZ
@given(email=junk)
def test_password_reset_with_junk_never_fails_and_sends_nothing(client, db, email):
    mail.outbox.clear()

    response = client.post("/accounts/password-reset/", {"email": email})

    # 302 to "check your email" for any well-formed address: it never says who has an account.
    assert response.status_code in (200, 302)
    assert mail.outbox == []
