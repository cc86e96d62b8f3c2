"""Sign-in lockout behind the TLS-terminating load balancer: every request comes from the
balancer's address, so django-axes must count failures against the client's address as the
balancer forwarded it (X-Forwarded-For, DJANGO_TRUSTED_PROXY_COUNT), and lock the pair of
email address and client address, so an attacker cannot lock a user out of their account."""

import json
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client

from operations.client_address import client_address
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = "this-is-not-the-password"
BALANCER = "10.0.0.5"  # every request's REMOTE_ADDR
ATTACKER = "203.0.113.66"
USER = "198.51.100.20"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"


def attempt(client, password, forwarded_for=None, email="alice@example.org", remote=BALANCER):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    return client.post(
        LOGIN, {"username": email, "password": password}, headers=headers, REMOTE_ADDR=remote
    )


def test_an_attacker_behind_the_balancer_does_not_lock_the_user_out(behind_one_proxy, user_a):
    attacker, user = Client(), Client()

    statuses = [attempt(attacker, WRONG, ATTACKER).status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    response = attempt(user, TEST_PASSWORD, USER)
    assert response.status_code == 302
    assert user.session[SESSION_KEY] == str(user_a.pk)


def test_the_attackers_own_address_is_locked_even_with_the_right_password(behind_one_proxy, user_a):
    attacker = Client()
    for _ in range(5):
        attempt(attacker, WRONG, ATTACKER)

    assert attempt(attacker, TEST_PASSWORD, ATTACKER).status_code == 429
    assert SESSION_KEY not in attacker.session
    (lockout,) = AccessAttempt.objects.all()
    assert (lockout.username, lockout.ip_address) == ("alice@example.org", ATTACKER)


def test_an_address_the_client_prepends_does_not_let_it_escape(behind_one_proxy, user_a):
    attacker = Client()
    # The client sends its own X-Forwarded-For, a new made-up address each time; the balancer
    # appends the address it saw. Only that last entry counts.
    statuses = [
        attempt(attacker, WRONG, f"192.0.2.{n}, {ATTACKER}").status_code for n in range(1, 6)
    ]

    assert statuses == [200, 200, 200, 200, 429]
    assert attempt(attacker, TEST_PASSWORD, f"192.0.2.99, 8.8.8.8, {ATTACKER}").status_code == 429
    assert attempt(Client(), TEST_PASSWORD, USER).status_code == 302


def test_with_no_trusted_proxy_the_header_is_ignored(settings, user_a):
    settings.TRUSTED_PROXY_COUNT = 0
    attacker = Client()

    # A new forwarded address each time changes nothing: the socket's address is counted.
    statuses = [
        attempt(attacker, WRONG, f"192.0.2.{n}", remote=ATTACKER).status_code for n in range(5)
    ]

    assert statuses == [200, 200, 200, 200, 429]
    assert attempt(Client(), TEST_PASSWORD, ATTACKER, remote=USER).status_code == 302
    assert AccessAttempt.objects.get().ip_address == ATTACKER


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, None, BALANCER),
        (0, ATTACKER, BALANCER),
        (1, ATTACKER, ATTACKER),
        (1, f"192.0.2.1, {ATTACKER}", ATTACKER),
        (1, f"not-an-address, {ATTACKER}", ATTACKER),
        (1, f"[2001:db8::1]:443, {ATTACKER}:51234", ATTACKER),
        (1, "2001:db8::7", "2001:db8::7"),
        # No usable header: the request did not come through the balancer.
        (1, None, BALANCER),
        (1, "", BALANCER),
        (1, "not-an-address", BALANCER),
        # Two proxies (a CDN in front of the balancer): the balancer appends the CDN's address.
        (2, f"192.0.2.1, {ATTACKER}, 198.51.100.200", ATTACKER),
    ],
)
def test_the_client_address_is_the_entry_the_outermost_trusted_proxy_added(
    settings, rf, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    request = rf.get("/", headers=headers, REMOTE_ADDR=BALANCER)

    assert client_address(request) == expected


def test_another_header_can_be_trusted_instead(settings, rf):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"
    request = rf.get("/", headers={"X-Real-IP": ATTACKER, "X-Forwarded-For": USER})

    assert client_address(request) == ATTACKER


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def log_lines():
    handler = Lines()
    loggers = [logging.getLogger(name) for name in ("accounts.signin", "rrn.security")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


def test_the_logs_name_the_same_client_address(behind_one_proxy, user_a, log_lines):
    attacker = Client()
    for _ in range(5):
        attempt(attacker, WRONG, f"192.0.2.1, {ATTACKER}")

    failed = [r for r in log_lines.records if r.name == "accounts.signin"]
    assert failed and all(f"ip={ATTACKER}" in r.getMessage() for r in failed)
    lockouts = [r for r in log_lines.records if getattr(r, "event", "") == "sign_in_locked_out"]
    (locked_out,) = lockouts
    assert locked_out.ip_address == ATTACKER
    assert locked_out.client_address == ATTACKER
    assert locked_out.remote_addr == BALANCER


def test_every_log_line_of_a_request_carries_the_client_address(behind_one_proxy, client):
    from operations.client_address import ClientAddressLogFilter
    from operations.log_format import JsonLogFormatter

    handler = Lines()
    handler.addFilter(ClientAddressLogFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no-such-page/", headers={"X-Forwarded-For": ATTACKER})
    finally:
        logger.removeHandler(handler)

    (record,) = handler.records
    assert json.loads(JsonLogFormatter().format(record))["client_address"] == ATTACKER
