"""The Content page in a real browser: the LIVE and video ranking tables (AgGrid) render,
ranked by GMV, and the own / affiliate switch filters them."""

from __future__ import annotations

from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.figures import figure

GRID = 'iframe[title*="agGrid"]'


def _column(frame, column: str) -> list[str]:
    return frame.locator(f'.ag-center-cols-container [col-id="{column}"], '
                         f'.ag-pinned-left-cols-container [col-id="{column}"]').all_inner_texts()


def _settle(page) -> None:
    page.wait_for_timeout(600)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(600)


def test_live_ranking_shows_violations_and_is_ranked_by_gmv(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{app_url}/content?view=Campaign+Period")
    wait_for_app(page, GRID)
    assert page.get_by_text("LIVE violation", exact=False).first.is_visible()
    frame = page.frame_locator(GRID).first
    frame.locator(".ag-row").first.wait_for(timeout=30_000)
    gmv = [figure(t) for t in _column(frame, "GMV") if figure(t) is not None]
    assert gmv and gmv == sorted(gmv, reverse=True)
    # Selecting a row opens its detail below the table.
    third_title = _column(frame, "Title")[2]
    frame.locator('.ag-pinned-left-cols-container [col-id="Title"]').nth(2).click()
    _settle(page)
    page.get_by_role("heading", name=third_title).first.wait_for(timeout=30_000)
    screenshot(page, "content-live-desktop")
    page.close()


def test_own_affiliate_switch_filters_the_video_ranking(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{app_url}/content?view=Campaign+Period&content_module=Video")
    wait_for_app(page, GRID)
    frame = page.frame_locator(GRID).first
    frame.locator(".ag-row").first.wait_for(timeout=30_000)
    assert set(_column(frame, "Account")) == {"own", "affiliate"}
    page.get_by_role("radio", name="Own accounts").click()
    _settle(page)
    frame = page.frame_locator(GRID).first
    frame.locator(".ag-row").first.wait_for(timeout=30_000)
    assert set(_column(frame, "Account")) == {"own"}
    page.get_by_role("radio", name="Affiliates").click()
    _settle(page)
    frame = page.frame_locator(GRID).first
    frame.locator(".ag-row").first.wait_for(timeout=30_000)
    accounts = _column(frame, "Account")
    assert accounts and set(accounts) == {"affiliate"}
    screenshot(page, "content-video-affiliates-desktop")
    page.close()
