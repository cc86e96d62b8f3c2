"""Two gunicorn instances sharing one PostgreSQL database behave as one service.

A user signs in through instance A and is signed in on instance B: nothing the session needs
lives in one instance's memory or files. Requests carry X-Forwarded-Proto as the load balancer
sends them, so this runs the production settings (secure cookies, CSRF referer checks).
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import global_settings
from django.db import connection

from tests.factories import TEST_PASSWORD, UserFactory

PROJECT_ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="instances share a PostgreSQL database"
    ),
    # The instances must see the test's rows: committed, not inside a test transaction.
    pytest.mark.django_db(transaction=True),
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Instance:
    """One gunicorn process on a port of its own, logging to a file."""

    def __init__(self, database_url, log_path):
        self.port = free_port()
        self.log_path = log_path
        environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_STATICFILES_MANIFEST": "false",
            "DJANGO_SECURE_SSL_REDIRECT": "true",
            "PORT": str(self.port),
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "2",
        }
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(
                method,
                path,
                body=body,
                headers={"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
                | (headers or {}),
            )
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            conn.close()

    def wait_until_up(self, deadline):
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.log_path.read_text()}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer:\n{self.log_path.read_text()}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def cookies_from(headers):
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies):
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


@pytest.fixture
def two_instances(tmp_path):
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@"
        f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    instances = [Instance(database_url, tmp_path / f"gunicorn-{n}.log") for n in "ab"]
    try:
        deadline = time.monotonic() + 20
        for instance in instances:
            instance.wait_until_up(deadline)
        yield instances
    finally:
        for instance in instances:
            instance.stop()


def test_user_signed_in_on_one_instance_is_signed_in_on_another(two_instances, settings):
    a, b = two_instances
    # The instances check passwords with the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    user = UserFactory(is_staff=True, is_superuser=True)

    status, headers, html = a.request("GET", "/admin/login/")
    assert status == 200
    cookies = cookies_from(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = urlencode(
        {"csrfmiddlewaretoken": token, "username": user.email, "password": TEST_PASSWORD}
    )
    status, headers, _ = a.request(
        "POST",
        "/admin/login/?next=/admin/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
            "Referer": f"https://127.0.0.1:{a.port}/admin/login/",
        },
    )
    assert status == 302, "sign-in through instance A failed"
    cookies |= cookies_from(headers)
    assert "sessionid" in cookies

    status, _, html = b.request("GET", "/admin/", headers={"Cookie": cookie_header(cookies)})

    assert status == 200
    assert "Site administration" in html
    assert 'id="logout-form"' in html

    # Without the session cookie instance B sends the same request to sign in.
    status, headers, _ = b.request("GET", "/admin/")
    assert status == 302
    assert dict(headers)["Location"].startswith("/admin/login/")
