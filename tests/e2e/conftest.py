"""Browser tests: a real server on a free 127.0.0.1 port and Debian's headless Chromium.

Skipped (with the reason) when /usr/bin/chromium or the playwright package is missing.
Playwright never downloads a browser here: it drives the system's Chromium.
"""

from __future__ import annotations

import pytest
from web_live import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def chromium_browser():
    """A headless Debian Chromium driven by Playwright (skips if either is missing)."""
    if not CHROMIUM.exists():
        pytest.skip("Browsertest springes over: /usr/bin/chromium mangler "
                    "(apt-get install -y chromium) / Chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Browsertest springes over: Python-pakken playwright mangler "
                    "/ the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser):
    """A fresh Danish browser tab (own cookies), wide enough for side-by-side layouts;
    downloads are accepted."""
    context = chromium_browser.new_context(locale="da-DK", viewport={"width": 1400, "height": 900},
                                           accept_downloads=True)
    yield context.new_page()
    context.close()
