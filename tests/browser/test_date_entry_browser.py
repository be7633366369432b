"""A day typed into a date field applies on Enter (Streamlit's field applies it only when
the field loses focus)."""

from __future__ import annotations

import contextlib

from tests.browser.conftest import wait_for_app

DESKTOP = {"width": 1400, "height": 1000}


def test_a_typed_day_applies_on_enter(browser, app_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{app_url}/?view=Daily")
    wait_for_app(page)
    segments = page.locator('[data-testid="stDateInputField"]').first.locator(
        '[role="spinbutton"]')
    segments.first.click()
    page.keyboard.type("20261120")  # year, month and day segments, YYYY/MM/DD
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('day=2026-11-20')",
                           timeout=15_000)
    wait_for_app(page)
    # The address changes as the rerun starts: wait for the run that draws the new day.
    caption = page.locator('[data-testid="stCaptionContainer"]').first
    with contextlib.suppress(Exception):  # the assertion below says what was shown instead
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stCaptionContainer\"]')"
            ".innerText.includes('Daily: Nov 20, 2026')", timeout=15_000)
    assert "Daily: Nov 20, 2026" in caption.inner_text()
    page.close()
