"""Load test: the register's mix of public browsing, certificate checks, signed-in dashboards
and compliance-check submissions. Run by `make loadtest` against `make serve` (loopback only).

    make serve-seed   # once: demo data (seed_demo) in the database `make serve` uses
    make serve        # in one terminal
    make loadtest     # in another: 50 users, 60 s; results in bench/results/

Signed-in users sign in as LOADTEST_EMAIL / LOADTEST_PASSWORD (by default the member that
bench/loadtest_data.py makes). Pages are found by following the site's own links, so the
scenario uses whichever public pages the release has. Every response is checked: a page that
is not the one asked for (an error, a sign-in page instead of a dashboard) counts as a failure.
"""

import os
import random
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from locust import HttpUser, between, task
from requests.cookies import RequestsCookieJar

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
# The member bench/loadtest_data.py makes; point these at a seed_demo user to use that data.
EMAIL = os.environ.get("LOADTEST_EMAIL", "loadtest@meadowview.example.org")
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "loadtest-password-2026")
CERTIFICATE_NUMBER = re.compile(r"\bRRN-[A-Z0-9-]+\b")
SEARCH_TERMS = ["care", "training", "london", "north", "safe", "", "restraint", "positive"]


def loopback_only(host):
    if urlsplit(host).hostname not in LOOPBACK:
        raise SystemExit(f"load tests run against this machine only, not {host}")


class LoopbackCookieJar(RequestsCookieJar):
    """`make serve` sets Secure cookies (production settings) but has no TLS on loopback:
    keep them usable over http, as browsers do for localhost."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class FormParser(HTMLParser):
    """The fields of the first form on a page whose action matches, with sensible values."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self._radios = set()
        self._select = None
        self._textarea = None
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "radio":
                if name not in self._radios:  # the first choice
                    self._radios.add(name)
                    self.fields[name] = attrs.get("value", "")
            elif kind == "checkbox":
                pass  # left unticked unless asked for
            elif kind == "file":
                pass
            else:
                self.fields.setdefault(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and self._select not in self.fields:
            if attrs.get("value"):
                self.fields[self._select] = attrs["value"]
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def parse(html):
    parser = FormParser()
    parser.feed(html)
    return parser


class Visitor(HttpUser):
    """Anyone: the start page, the register, a provider, bodies, standards, certificate checks."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        loopback_only(self.host)
        self.provider_paths = []
        self.certificate_numbers = []
        self.has_register = False
        with self.client.get("/providers/export.json", catch_response=True) as response:
            if response.status_code == 200:
                self.has_register = True
                rows = response.json()
                rows = rows.get("results", rows) if isinstance(rows, dict) else rows
                for row in rows[:200]:
                    if row.get("slug"):
                        self.provider_paths.append(f"/providers/{row['slug']}/")
                    if row.get("certificate_number"):
                        self.certificate_numbers.append(row["certificate_number"])
            elif response.status_code == 404:
                response.success()  # a release without the register pages
            else:
                response.failure(f"register export: {response.status_code}")
        # The bodies' pages list what each certified: certificate numbers to check.
        self.body_paths = [
            link
            for link in parse(self.client.get("/certification-bodies/").text).links
            if re.fullmatch(r"/certification-bodies/[\w-]+/", link)
        ]
        for path in self.body_paths[:3]:
            html = self.client.get(path, name="/certification-bodies/<slug>/").text
            self.certificate_numbers += CERTIFICATE_NUMBER.findall(html)

    @task(3)
    def start_page(self):
        self.client.get("/")

    @task(6)
    def search_the_register(self):
        if not self.has_register:
            return self.certification_body()
        self.client.get(
            "/providers/", params={"q": random.choice(SEARCH_TERMS)}, name="/providers/?q="
        )

    @task(2)
    def register_page_two(self):
        if self.has_register:
            self.client.get("/providers/?page=2", name="/providers/?page=")

    @task(6)
    def provider_page(self):
        if self.provider_paths:
            self.client.get(random.choice(self.provider_paths), name="/providers/<slug>/")

    @task(4)
    def check_a_certificate(self):
        known = self.certificate_numbers and random.random() < 0.8
        number = random.choice(self.certificate_numbers) if known else "RRN-0000-NOPE"
        self.client.get(
            "/certificates/check/", params={"number": number}, name="/certificates/check/?number="
        )

    @task(1)
    def certification_bodies(self):
        self.client.get("/certification-bodies/")

    @task(2)
    def certification_body(self):
        if self.body_paths:
            self.client.get(random.choice(self.body_paths), name="/certification-bodies/<slug>/")

    @task(1)
    def standards(self):
        self.client.get("/standards/")

    @task(1)
    def export(self):
        if self.has_register:
            self.client.get("/providers/export.csv")


class ServiceProviderStaff(HttpUser):
    """A signed-in service provider member: dashboard, checks, and recording a check."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        loopback_only(self.host)
        self.client.cookies = LoopbackCookieJar()
        self.dashboard = None
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = parse(page.text).fields.get("csrfmiddlewaretoken", "")
        with self.client.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": EMAIL, "password": PASSWORD},
            catch_response=True,
            name="/accounts/login/ (sign in)",
        ) as response:
            # Followed to the dashboard the user's organisation has.
            if "/compliance/service-providers/" not in (response.url or ""):
                response.failure(f"sign-in did not reach a dashboard: {response.url}")
                return
            self.dashboard = urlsplit(response.url).path

    @task(4)
    def dashboard_page(self):
        if self.dashboard:
            self.client.get(self.dashboard, name="/compliance/service-providers/<slug>/")

    @task(2)
    def compliance_home(self):
        self.client.get("/compliance/", name="/compliance/")

    @task(2)
    def check_list(self):
        if self.dashboard:
            self.client.get(self.dashboard + "checks/", name="…/checks/")

    @task(1)
    def record_a_check(self):
        if not self.dashboard:
            return
        form_page = self.client.get(self.dashboard + "checks/new/", name="…/checks/new/")
        if form_page.status_code != 200:
            return  # already counted as a failure
        fields = parse(form_page.text).fields
        fields.update({"evidence": "Certificate and register entry seen (load test)."})
        for name in list(fields):
            if name.startswith("scope_covers_"):
                fields[name] = "yes" if "yes" in form_page.text else fields[name]
        with self.client.post(
            self.dashboard + "checks/new/",
            data=fields,
            catch_response=True,
            name="…/checks/new/ (record)",
        ) as response:
            if re.search(r"/checks/\d+/$", urlsplit(response.url or "").path):
                return
            if "confirm_contradiction" in response.text:
                # The check contradicts the register: confirm, as a person would.
                confirmed = self.client.post(
                    self.dashboard + "checks/new/",
                    data={**fields, "confirm_contradiction": "on"},
                    name="…/checks/new/ (confirm)",
                )
                if re.search(r"/checks/\d+/$", urlsplit(confirmed.url or "").path):
                    return
            response.failure("compliance check was not recorded")
