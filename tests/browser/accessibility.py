"""axe-core accessibility checks for browser tests (axe-playwright-python ships axe offline)."""

from contextlib import contextmanager

# axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_A_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@contextmanager
def page_axe_can_run_on(page):
    """The page itself or, for a page opened without JavaScript, a copy axe can run on.

    Playwright turns JavaScript off with Chromium's script-execution switch, which also stops
    timers: axe.run() waits on one and never settles, so `evaluate` would wait forever. The copy
    is the same document (its HTML as it stands, at its own address, with its styles and
    images) in a tab with JavaScript on for axe alone: every script of the page is refused, so
    axe checks what a reader without JavaScript gets.
    """
    if getattr(page, "javascript_enabled", True):
        yield page
        return
    html, url = page.content(), page.url
    context = page.context.browser.new_context(
        base_url=url, viewport=page.viewport_size, java_script_enabled=True
    )

    def serve(route):
        request = route.request
        if request.resource_type == "document" and request.url == url:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        elif request.resource_type == "script":
            route.abort()
        else:
            route.continue_()

    context.route("**/*", serve)
    try:
        copy = context.new_page()
        copy.goto(url)
        yield copy
    finally:
        context.close()


def assert_no_axe_violations(page):
    """Run axe-core on the page; fail listing every WCAG 2.x A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    with page_axe_can_run_on(page) as checked:
        results = Axe().run(
            checked,
            options={
                "runOnly": {"type": "tag", "values": WCAG_A_AA_TAGS},
                "resultTypes": ["violations"],
            },
        )
    assert results.violations_count == 0, (
        f"axe found accessibility violations on {page.url}:\n{results.generate_report()}"
    )
