"""Production security headers, asserted on a public page and a signed-in page.

The suite runs with DEBUG off (as production) but with the HTTPS redirect switched off, as
behind a TLS-terminating proxy; these tests switch it back on and send requests as HTTPS.
"""

import io
import re
import secrets

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ONE_YEAR = 31_536_000


@pytest.fixture
def redirect_on(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SITE_URL = "https://register.example.org"
    return settings


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_production_headers(response):
    assert response["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])

    policy = csp_directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    script_sources = policy["script-src"]
    assert "'self'" in script_sources
    assert "'unsafe-inline'" not in script_sources
    assert "'unsafe-eval'" not in script_sources
    assert "'unsafe-inline'" not in policy["style-src"]


def test_plain_http_is_redirected_to_https(client, redirect_on):
    response = client.get("/?q=care", secure=False)

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/?q=care"


def test_health_check_is_not_redirected_so_load_balancers_can_probe_over_http(client, redirect_on):
    response = client.get("/healthz", secure=False)

    assert response.status_code == 200


def test_forwarded_proto_from_the_proxy_counts_as_https(client, redirect_on):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains"


def test_public_page_sends_every_security_header(client, redirect_on):
    response = client.get("/", secure=True)

    assert response.status_code == 200
    assert_production_headers(response)


def test_signed_in_page_sends_every_security_header(client, redirect_on):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/", secure=True)

    assert response.status_code == 200
    assert response.context["user"].is_authenticated
    assert_production_headers(response)


def test_every_inline_script_carries_this_responses_nonce(client, redirect_on):
    response = client.get("/admin/login/", secure=True)

    nonce_sources = [s for s in csp_directives(response)["script-src"] if s.startswith("'nonce-")]
    html = response.content.decode()
    for attributes in re.findall(r"<script\b([^>]*)>", html):
        if "src=" in attributes:
            continue
        assert nonce_sources, "an inline script with no nonce in the policy"
        assert f'nonce="{nonce_sources[0][7:-1]}"' in attributes


def test_sign_in_sets_secure_http_only_same_site_cookies(client, redirect_on):
    user = UserFactory(is_staff=True)
    client.get("/admin/login/", secure=True)  # sets the CSRF cookie

    response = client.post(
        "/admin/login/",
        {"username": user.email, "password": TEST_PASSWORD, "next": "/admin/"},
        secure=True,
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"


@pytest.fixture
def production(settings):
    """The settings a real deployment has: a long random key, its host, the redirect on."""
    settings.SECRET_KEY = secrets.token_urlsafe(64)
    settings.ALLOWED_HOSTS = ["register.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SITE_URL = "https://register.example.org"
    return settings


def test_deploy_check_passes_with_production_settings(production):
    call_command("check", "--deploy", "--fail-level", "WARNING", stdout=io.StringIO())


@pytest.mark.parametrize(
    "site_url", ["http://127.0.0.1:8000", "https://localhost", "http://register.example.org"]
)
def test_deploy_check_fails_when_emails_would_link_to_a_local_or_plain_address(
    production, site_url
):
    production.SITE_URL = site_url

    with pytest.raises(SystemCheckError, match="DJANGO_SITE_URL"):
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=io.StringIO())


def test_deploy_check_fails_when_a_cookie_is_not_secure(production):
    production.SESSION_COOKIE_SECURE = False

    with pytest.raises(SystemCheckError, match="SESSION_COOKIE_SECURE"):
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=io.StringIO())
