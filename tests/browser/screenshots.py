"""Screenshots of pages at desktop and mobile widths, for a person to look at."""

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SCREENSHOT_WIDTHS = (1280, 375)
SCREENSHOT_HEIGHT = 800


def save_screenshots(page, name):
    """Full-page screenshots at 1280x800 and 375x800 (mobile), for a person to look at.
    Returns the paths written."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    paths = []
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": SCREENSHOT_HEIGHT})
        path = SCREENSHOTS / f"{name}-{width}x{SCREENSHOT_HEIGHT}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(original)
    return paths
