"""Structured logs: one JSON object a line, each with its request's id; security events."""

import importlib.util
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from gunicorn.config import Config

from operations.log_format import JsonLogFormatter
from operations.request_ids import RequestIdLogFilter
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


class JsonLines(logging.Handler):
    """What stdout would receive, with the production formatter and filter."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonLogFormatter())
        self.addFilter(RequestIdLogFilter())
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))

    def events(self, name):
        entries = [json.loads(line) for line in self.lines]
        return [entry for entry in entries if entry.get("event") == name]


@pytest.fixture
def security_log():
    handler = JsonLines()
    logger = logging.getLogger("rrn.security")
    logger.addHandler(handler)
    previous_level = logger.level
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(previous_level)


def test_response_carries_a_new_request_id(client):
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_request_id_from_the_load_balancer_is_kept(client):
    response = client.get("/", headers={"X-Request-ID": "lb-7f3a.2:9"})

    assert response["X-Request-ID"] == "lb-7f3a.2:9"


@pytest.mark.parametrize("unsafe", ["has space", "x" * 129, 'quote"s', "é"])
def test_unsafe_request_id_is_replaced(client, unsafe):
    response = client.get("/", headers={"X-Request-ID": unsafe})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_log_line_is_one_json_object_with_the_request_id(client, security_log):
    client.get("/no-such-page/", headers={"X-Request-ID": "req-404"})

    (line,) = security_log.lines
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["request_id"] == "req-404"
    assert entry["event"] == "not_found"
    assert entry["level"] == "INFO"
    assert entry["path"] == "/no-such-page/"
    assert entry["logger"] == "rrn.security"
    assert entry["time"].endswith("+00:00")


def test_log_line_outside_a_request_has_no_request_id(security_log):
    logging.getLogger("rrn.security").warning("cron job ran", extra={"event": "cron"})

    assert security_log.events("cron")[0]["request_id"] == "-"


def test_csrf_failure_is_logged_as_denied_access(security_log):
    csrf_checking_client = Client(enforce_csrf_checks=True)

    response = csrf_checking_client.post(
        "/admin/login/",
        {"username": "a@example.org", "password": "x"},
        headers={"X-Request-ID": "req-csrf"},
    )

    assert response.status_code == 403
    (denied,) = security_log.events("access_denied")
    assert denied["status"] == 403
    assert denied["request_id"] == "req-csrf"
    assert denied["method"] == "POST"


def test_permission_denied_is_logged_with_the_user(client, security_log):
    user = UserFactory(is_staff=True)  # staff, but with no permission on groups
    client.force_login(user)

    response = client.get("/admin/auth/group/")

    assert response.status_code == 403
    (denied,) = security_log.events("access_denied")
    assert denied["user_id"] == user.pk
    assert denied["path"] == "/admin/auth/group/"


def test_djangos_own_error_log_lines_carry_the_request_id(client):
    handler = JsonLines()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no-such-page/", headers={"X-Request-ID": "req-django"})
    finally:
        logger.removeHandler(handler)

    (line,) = handler.lines
    entry = json.loads(line)
    assert entry["request_id"] == "req-django"
    assert entry["status_code"] == 404
    assert entry["request"] == "GET /no-such-page/"


@pytest.fixture
def signin_log():
    handler = JsonLines()
    logger = logging.getLogger("accounts.signin")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_sign_in_is_logged_as_json_with_the_request_id(client, signin_log):
    user = UserFactory()

    client.post(
        "/accounts/login/",
        {"username": user.email, "password": TEST_PASSWORD},
        headers={"X-Request-ID": "req-sign-in"},
    )

    entries = [json.loads(line) for line in signin_log.lines]
    assert [entry["message"] for entry in entries] == [
        f"sign-in succeeded user={user.pk} ip=127.0.0.1"
    ]
    assert entries[0]["request_id"] == "req-sign-in"


def test_failed_sign_in_is_logged_without_the_password(client, signin_log):
    user = UserFactory()

    client.post("/accounts/login/", {"username": user.email, "password": "wrong-password-123"})

    (entry,) = [json.loads(line) for line in signin_log.lines]
    assert entry["level"] == "WARNING"
    assert user.email in entry["message"]
    assert "wrong-password-123" not in "".join(signin_log.lines)


def test_lockout_is_logged_as_a_security_event(client, security_log):
    user = UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"username": user.email, "password": "wrong-password"})

    response = client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})

    assert response.status_code == 429
    (locked_out, *_) = security_log.events("sign_in_locked_out")
    assert locked_out["username"] == user.email
    assert locked_out["level"] == "WARNING"
    denied = security_log.events("access_denied")
    assert denied and denied[-1]["status"] == 429


PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_log_lines_go_to_stderr_so_dumpdata_writes_only_json(tmp_path):
    # Query logging (DEBUG) makes the command log a line for every query it runs.
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dump.sqlite3'}",
        "DJANGO_DEBUG": "true",
        "DJANGO_LOG_LEVEL": "DEBUG",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    manage("migrate", "--no-input", "--verbosity", "0")
    result = manage("dumpdata", "standards")

    editions = [entry for entry in json.loads(result.stdout) if entry["model"].endswith("edition")]
    assert editions
    assert "django.db.backends" in result.stderr


def test_gunicorns_access_and_error_logs_go_to_stderr():
    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", PROJECT_ROOT / "config" / "gunicorn.conf.py"
    )
    gunicorn_conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gunicorn_conf)
    config = Config()
    config.set("accesslog", "-")
    config.set("errorlog", "-")

    logger = gunicorn_conf.JsonLogger(config)

    streams = [
        handler.stream for log in (logger.access_log, logger.error_log) for handler in log.handlers
    ]
    assert len(streams) == 2
    assert all(stream is sys.stderr for stream in streams)
