"""Playwright driving Debian's chromium against pytest-django's live server.

`playwright install` cannot download browsers here; .ci/run installs Debian's chromium and we
launch it by path with the flags that keep it off the network.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
DOCS_IMG = ROOT / "docs" / "img"
# The manuals' screenshots are rewritten only when asked (make capturas); otherwise they go to
# var/ so an ordinary test run leaves the working tree clean.
SCREENSHOT_DIR = DOCS_IMG if os.environ.get("ACTUALIZAR_CAPTURAS") else ROOT / "var" / "capturas"
# Browser tests touch the database from the live server thread, and the async-unsafe check
# trips on Playwright's event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def require_tool(path, how):
    """Missing browser tooling fails in CI (which installs it) and skips on a developer machine."""
    if Path(path).exists():
        return
    message = f"Falta {path}: {how}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    require_tool(CHROMIUM, "instale Chromium con `apt-get install chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name, *, full_page=False):
    """Save a screenshot for the manuals (docs/img/<name>.png with ACTUALIZAR_CAPTURAS=1)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=full_page)
