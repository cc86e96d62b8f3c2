"""Every page each demo role can reach fits a phone: at 320 and 375 px nothing is wider than
the viewport (wide tables scroll inside their own box), and axe finds no WCAG A/AA violation.

The pages are found as a person finds them: sign in as each demo account (compliance.demo_data)
and follow the links, one page per URL pattern (the register's 150 provider pages are one
pattern). The Django admin is visited only at its change-status page, the certifiers' page the
issue found too wide; downloads, feeds and sign-out are not pages to look at.
"""

from collections import deque
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from accounts.models import Membership
from certification.models import Certification
from compliance.demo_data import DEMO_PASSWORD, seed_demo
from tests.browser.accessibility import assert_no_axe_violations
from tests.browser.screenshots import save_screenshots

pytestmark = pytest.mark.browser

PHONE_WIDTHS = (320, 375)
DEMO_ACCOUNTS = [
    None,  # anonymous
    "care@example.org",
    "commissioner@example.org",
    "certifier@example.org",
    "trainer@example.org",
]
# The API answers data, not pages (its schema is a YAML download), but for its docs page
# (Swagger UI, drawn by JavaScript: the walk waits for its operations).
NOT_PAGES = ("/accounts/logout/", "/admin/", "/static/", "/media/", "/api/")
API_PAGES = {"/api/v1/docs/": ".opblock"}
# Pages worth a person's look at 375 and 1280 px (test-artifacts/screenshots/).
SCREENSHOT_PATTERNS = {
    "providers:list": "small-screens-register",
    "compliance:service_provider": "small-screens-service-provider-dashboard",
    "compliance:arrangement_list": "small-screens-arrangements",
    "compliance:check_list": "small-screens-check-history",
    "certification:changes": "small-screens-change-feed",
}


def pattern_of(path):
    """The URL pattern's name (or its route) for a path on this site, else None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def is_a_page(path):
    name = pattern_of(path)
    return (
        name is not None
        and (path in API_PAGES or not path.startswith(NOT_PAGES))
        and not any(word in name for word in ("export", "atom", "healthz", "csv", "json"))
        and not path.endswith((".csv", ".json", ".atom", ".xml"))
    )


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def overflow_at(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            if (root.scrollWidth <= window.innerWidth) return null;
            const wide = [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 3)
                .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                    + (el.className && typeof el.className === "string"
                        ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
            return `${root.scrollWidth} px wide at ${window.innerWidth}: ${wide.join(", ")}`;
        }"""
    )


def links_on(page):
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc and parts.netloc != urlsplit(page.url).netloc:
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def walk(page, start_paths, seen_patterns, problems, label):
    queue = deque(start_paths)
    while queue:
        path = queue.popleft()
        bare = path.split("?")[0]
        if not is_a_page(bare):
            continue
        pattern = pattern_of(bare)
        if pattern in seen_patterns:
            continue
        seen_patterns.add(pattern)
        response = page.goto(path)
        if response is None or response.status >= 400:
            continue
        if bare in API_PAGES:
            page.locator(API_PAGES[bare]).first.wait_for()
        for width in PHONE_WIDTHS:
            overflow = overflow_at(page, width)
            if overflow:
                problems.append(f"{label} {path}: {overflow}")
        try:
            assert_no_axe_violations(page)
        except AssertionError as error:
            problems.append(f"{label} {path}: {error}")
        if pattern in SCREENSHOT_PATTERNS:
            save_screenshots(page, SCREENSHOT_PATTERNS[pattern])
        page.set_viewport_size({"width": PHONE_WIDTHS[0], "height": 800})
        queue.extend(links_on(page))
    return seen_patterns


def test_every_page_each_demo_role_reaches_fits_a_phone(browser, live_server, register_data):
    seed_demo()
    problems = []
    # Public pages are the same for everyone: walked once, as the anonymous visitor.
    public_patterns = set()
    visited = {}
    for email in DEMO_ACCOUNTS:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": PHONE_WIDTHS[0], "height": 800}
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        page.on(
            "console",
            lambda message, errors=errors: (
                message.type == "error"
                and not message.text.startswith("Failed to load resource")
                and errors.append(message.text)
            ),
        )
        label = email or "anonymous"
        if email:
            sign_in(page, email)
            start = [urlsplit(page.url).path, "/"]
            seen = set(public_patterns)
        else:
            start = ["/", "/providers/", "/providers/changes/", "/certificates/check/"]
            seen = public_patterns
        before = set(seen)
        walk(page, start, seen, problems, label)
        if email == "certifier@example.org":
            body = Membership.objects.get(user__email=email).certification_body
            certification = Certification.objects.filter(body=body).first()
            admin_page = f"/admin/certification/certification/{certification.pk}/change-status/"
            page.goto(admin_page)
            for width in PHONE_WIDTHS:
                overflow = overflow_at(page, width)
                if overflow:
                    problems.append(f"{label} {admin_page}: {overflow}")
            save_screenshots(page, "small-screens-admin-change-status")
        visited[label] = sorted(seen - before)
        problems.extend(f"{label}: JavaScript or CSP error: {error}" for error in errors)
        context.close()

    # The walk found each role's own pages, not just the public ones.
    assert "providers:list" in visited["anonymous"]
    assert "compliance:arrangement_list" in visited["care@example.org"]
    assert "compliance:check_list" in visited["care@example.org"]
    assert "compliance:commissioner" in visited["commissioner@example.org"]
    assert "api:docs" in visited["anonymous"]  # from the footer
    assert not problems, "\n".join(problems)
