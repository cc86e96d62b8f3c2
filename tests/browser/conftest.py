"""Browser tests: Playwright (sync API) driving the system Chromium against pytest-django's
live server, with axe-core (axe-playwright-python, offline) for accessibility.

- Never downloads a browser: it launches /usr/bin/chromium. Without it the browser tests are
  skipped with one reason, except in CI (CI=true), where a missing Chromium fails them.
- The live server needs committed data, so these tests use the transactional database; it is
  emptied after each test, including the rows the data migration loaded (standards and scope
  vocabulary), so the `register_data` fixture loads them again before each test.
- Screenshots for people to look at go to test-artifacts/screenshots/ (git-ignored).

In a test: `from tests.browser.accessibility import assert_no_axe_violations` and
`from tests.browser.screenshots import save_screenshots`; mark it `@pytest.mark.browser` and
use the `page` (or `page_without_javascript`) fixture with `page.goto("/path/")`.
"""

import os
from pathlib import Path

import pytest

from tests.browser.accessibility import assert_no_axe_violations  # noqa: F401 (re-exported)
from tests.browser.screenshots import (  # noqa: F401 (re-exported)
    SCREENSHOT_HEIGHT,
    SCREENSHOT_WIDTHS,
    save_screenshots,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

SKIP_REASON = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"


def _in_ci():
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists() or _in_ci():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    """Chromium, once per test module. Module scope, not session: Playwright's sync API keeps
    an event loop in the test thread while it runs, and tests beside it still use the ORM
    synchronously (factories), which Django allows only with DJANGO_ALLOW_ASYNC_UNSAFE. That
    variable is set only while a browser module runs, never for the rest of the suite (the
    deploy check refuses it)."""
    if not CHROMIUM.exists():
        pytest.fail(f"CI=true and {SKIP_REASON}: browser tests are mandatory in CI")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def register_data(transactional_db):
    """The standards and vocabulary rows of the data migration, loaded again."""
    from django.apps import apps

    from standards.loading import load_standards, load_vocabulary

    load_vocabulary(apps)
    load_standards(apps)


def _new_page(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": SCREENSHOT_WIDTHS[0], "height": SCREENSHOT_HEIGHT},
        **options,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: _console_error(message, errors))
    page.on("response", lambda response: _failed_asset(response, errors))
    page.js_errors = errors
    return context, page


def _console_error(message, errors):
    # A page's own 404/500 status is the test's business; failed assets are caught below.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


def _failed_asset(response, errors):
    if response.status >= 400 and response.request.resource_type != "document":
        errors.append(f"{response.status} for {response.url}")


@pytest.fixture
def page(browser, live_server, register_data):
    """A fresh browser tab on the live server (JavaScript on). Fails the test on any
    JavaScript error, console error (for example a CSP violation) or asset that fails to load."""
    context, page = _new_page(browser, live_server)
    yield page
    context.close()
    assert not page.js_errors, f"JavaScript errors on the page: {page.js_errors}"


@pytest.fixture
def page_without_javascript(browser, live_server, register_data):
    """A tab with JavaScript off: forms post and pages load as they would for a reader
    without it (axe runs on a copy of it; tests.browser.accessibility.page_axe_can_run_on)."""
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    page.javascript_enabled = False
    yield page
    context.close()
