"""axe-core accessibility checks for browser tests (axe-playwright-python ships axe offline)."""

# axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_A_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_no_axe_violations(page):
    """Run axe-core on the page; fail listing every WCAG 2.x A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_A_AA_TAGS},
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, (
        f"axe found accessibility violations on {page.url}:\n{results.generate_report()}"
    )
