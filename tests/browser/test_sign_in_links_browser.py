"""Links and reloads around the sign-in: a deep link opened before sign-in leads to the
page, view and day it names; a new tab of a browser that signed in opens signed in (for
``[access] remember_hours``), another browser still has to sign in."""

from __future__ import annotations

import pytest

from tests.browser.app_pages import DESKTOP, settle
from tests.browser.server_process import PASSWORD, USER

pytestmark = pytest.mark.browser


def sign_in(page) -> None:
    page.get_by_role("textbox", name="User").fill(USER)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    settle(page, '[data-testid="stMetric"]')


@pytest.mark.parametrize("server", ["fresh", "visited before"])
def test_a_deep_link_survives_the_sign_in(browser, exposed_app, server):
    if server == "visited before":  # another browser has been shown the sign-in already
        other = browser.new_page(viewport=DESKTOP)
        other.goto(exposed_app)
        other.wait_for_selector("text=Sign in")
        other.close()
    page = browser.new_page(viewport=DESKTOP)
    try:
        page.goto(f"{exposed_app}/products?view=Daily&day=2026-11-22")
        page.wait_for_selector("text=Sign in")
        sign_in(page)
        assert "/products" in page.url and "day=2026-11-22" in page.url
        assert page.locator("h1", has_text="Products and stock").count() == 1
        captions = " ".join(element.inner_text() for element in
                            page.query_selector_all('[data-testid="stCaptionContainer"]'))
        assert "Daily: Nov 22, 2026" in captions
    finally:
        page.close()


def test_a_new_tab_of_a_signed_in_browser_opens_signed_in(browser, exposed_app):
    context = browser.new_context(viewport=DESKTOP)
    stranger = browser.new_context(viewport=DESKTOP)  # another browser: its own cookies
    try:
        first = context.new_page()
        first.goto(exposed_app)
        first.wait_for_selector("text=Sign in")
        sign_in(first)
        second = context.new_page()
        second.goto(f"{exposed_app}/products?view=Daily&day=2026-11-22")
        settle(second, '[data-testid="stMetric"]')
        assert second.locator("h1", has_text="Products and stock").count() == 1
        other = stranger.new_page()
        other.goto(exposed_app)
        other.wait_for_selector("text=Sign in")
        other.wait_for_timeout(1_000)
        assert other.locator('[data-testid="stMetric"]').count() == 0
    finally:
        context.close()
        stranger.close()
