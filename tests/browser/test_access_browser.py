"""A viewer of shop A, signed in with a real browser, follows share links and query
parameters that name shop B (or its campaign): the app refuses them and nothing of shop B
reaches the page; the shop picker offers shop A only. The admin, for contrast, sees B."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from campaign_core.security.passwords import hash_password
from tests.browser.app_pages import DESKTOP, PHONE, settle
from tests.browser.conftest import stop_app
from tests.browser.server_process import start_server
from tests.two_shop_store import (
    CAMPAIGN_B,
    SHOP_A,
    SHOP_B,
    SHOP_B_WORDS,
    USERS,
    build_two_shop_store,
)

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def _secrets(folder: Path) -> None:
    stored = hash_password(PASSWORD, iterations=1_000)
    lines = ["[passwords]", f'kim = "{stored}"', f'alex = "{stored}"', ""]
    for user, entry in USERS.items():
        lines.append(f"[users.{json.dumps(user)}]")
        lines.append(f'role = "{entry["role"]}"')
        if "shops" in entry:
            lines.append(f"shops = {json.dumps(entry['shops'])}")
        lines.append("")
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    (folder / ".streamlit" / "secrets.toml").write_text("\n".join(lines))


@pytest.fixture(scope="module")
def two_shop_app(demo_store: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("access-browser")
    db = build_two_shop_store(demo_store, folder)
    _secrets(folder)
    process, url = start_server(db, cwd=folder, log=folder / "server.log",
                                flags=["--server.address", "127.0.0.1"],
                                env={"CAMPAIGN_EXPOSED": "1"})
    yield url
    stop_app(process)


def sign_in(page, user: str, ready: str = "h1") -> None:
    page.wait_for_selector("text=Sign in")
    page.get_by_role("textbox", name="User").fill(user)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    settle(page, ready)


def page_text(page) -> str:
    return page.inner_text("body")


@pytest.mark.parametrize("path, query", [
    ("", {"shop": SHOP_B}),
    ("products", {"shop": SHOP_B, "view": "Campaign Period"}),
    ("", {"campaign": CAMPAIGN_B}),
    ("creators", {"shop": SHOP_B, "campaign": CAMPAIGN_B, "view": "Daily",
                  "day": "2026-11-21"}),
])
def test_a_viewer_following_a_link_to_shop_b_is_refused(browser, two_shop_app, path, query):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(f"{two_shop_app}/{path}?{urlencode(query)}")  # a link before sign-in
        sign_in(page, "kim", '[data-testid="stAlertContentError"]')
        text = page_text(page)
        assert "not shared with you" in text
        assert not [word for word in SHOP_B_WORDS if word in text]
        assert page.locator('[data-testid="stMetric"]').count() == 0
        # Signed in already, the same link typed into the address bar: refused again.
        page.goto(f"{two_shop_app}/{path}?{urlencode(query)}")
        settle(page, '[data-testid="stAlertContentError"]')
        assert "not shared with you" in page_text(page)
        assert page.locator('[data-testid="stMetric"]').count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_viewer_picker_offers_shop_a_only(browser, two_shop_app, viewport):
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(f"{two_shop_app}/?view=Campaign+Period")
        sign_in(page, "kim", "h1")
        assert page.locator('[data-testid="stMetric"]').count() > 0  # shop A's figures
        page.get_by_test_id("stPopover").first.locator("button").first.click()
        page.locator('[data-testid="stPopoverBody"] [data-testid="stSelectbox"]').first.click()
        page.wait_for_selector('[role="option"]')
        options = page.get_by_role("option").all_inner_texts()
        assert options == [SHOP_A]
        page.keyboard.press("Escape")
        page.goto(f"{two_shop_app}/import_data")
        settle(page, "h1")
        text = page_text(page)
        assert "Audit log" in text and not [w for w in SHOP_B_WORDS if w in text]
    finally:
        context.close()


def test_the_admin_reaches_shop_b_by_the_same_link(browser, two_shop_app):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(f"{two_shop_app}/?{urlencode({'shop': SHOP_B})}")
        sign_in(page, "alex", "h1")
        text = page_text(page)
        assert "not shared with you" not in text and CAMPAIGN_B in text
    finally:
        context.close()
