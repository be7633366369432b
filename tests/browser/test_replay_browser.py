"""Replay in a real browser: Play steps the moment on hour by hour (a timer AppTest cannot
run), and the replayed moment carries to another page with its "Replaying" bar."""

from __future__ import annotations

import re
import time

from tests.browser.conftest import screenshot, wait_for_app

DESKTOP = {"width": 1400, "height": 1600}
START = "2026-11-22T06:00"


def shown_moment(page) -> str:
    """The moment in the replay bar's caption: "Nov 22, 6 AM"."""
    text = page.locator('[class*="st-key-replay_bar"]').inner_text()
    found = re.search(r"as of\s+([A-Z][a-z]{2} \d+, \d+(?:\.\d+)? [AP]M)", text)
    assert found, text
    return found.group(1)


def test_play_steps_the_moment_hour_by_hour(browser, app_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{app_url}/?view=Campaign+Period&as_of={START}")
    wait_for_app(page)
    assert shown_moment(page) == "Nov 22, 6 AM"
    page.get_by_role("button", name="Play", exact=True).click()
    seen = ["Nov 22, 6 AM"]
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline and len(set(seen)) < 3:
        page.wait_for_timeout(500)
        moment = shown_moment(page)
        if moment != seen[-1]:
            seen.append(moment)
    # It moved on, one hour at a time, in order.
    assert seen[:3] == ["Nov 22, 6 AM", "Nov 22, 7 AM", "Nov 22, 8 AM"], seen
    assert re.search(r"as_of=2026-11-22T(0[7-9]|1\d)%3A00|as_of=2026-11-22T(0[7-9]|1\d):00",
                     page.url), page.url
    page.get_by_role("button", name="Pause", exact=True).click()
    page.close()


def test_the_moment_carries_to_another_page(browser, app_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{app_url}/?view=Campaign+Period&as_of=2026-11-22T18:00")
    wait_for_app(page)
    # The top navigation's "Dashboard" section opens a menu of its pages.
    page.locator('[data-testid="stTopNavSection"]', has_text="Dashboard").click()
    page.get_by_text("Creators and profit", exact=True).first.click()
    page.wait_for_selector('[class*="st-key-replay_page_bar"]', timeout=60_000)
    wait_for_app(page, "h1")
    bar = page.locator('[class*="st-key-replay_page_bar"]').inner_text()
    assert "Replaying" in bar and "Nov 22, 6 PM" in bar
    assert "as_of=2026-11-22T18" in page.url
    screenshot(page, "replay-creators-desktop")
    page.get_by_role("button", name="Back to live", exact=True).click()
    page.wait_for_timeout(1500)
    wait_for_app(page, "h1")
    assert page.locator('[class*="st-key-replay_page_bar"]').count() == 0
    page.close()
