"""The Overview page in a real browser: renders, switches views, draws its charts."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, start_app, stop_app, wait_for_app

PHONE = {"width": 390, "height": 1600}
DESKTOP = {"width": 1400, "height": 1600}


def exceptions(page) -> int:
    return len(page.query_selector_all('[data-testid="stException"]'))


def charts_drawn(page) -> int:
    return len(page.query_selector_all(".vega-embed canvas, .vega-embed svg.marks"))


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_overview_renders_cards_and_trend_chart(browser, app_url, name, viewport):
    page = browser.new_page(viewport=viewport)
    page.goto(app_url)
    wait_for_app(page)
    page.wait_for_selector(".vega-embed", timeout=30_000)
    assert exceptions(page) == 0
    # KPIs, operations, the shop score, and the four cards of all the campaign's shops
    assert len(page.query_selector_all('[data-testid="stMetric"]')) == 9 + 6 + 3 + 4
    assert charts_drawn(page) >= 1
    screenshot(page, f"overview-today-{name}")
    page.close()


def test_view_switcher_changes_window_and_link(browser, app_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(app_url)
    wait_for_app(page)
    for label in ("Daily", "Campaign Period", "Today"):
        page.get_by_role("radio", name=label, exact=True).first.click()
        page.wait_for_function(
            f"() => [...document.querySelectorAll('[data-testid=\"stCaptionContainer\"]')]"
            f".some(e => e.innerText.includes('{label}:'))", timeout=30_000)
        wait_for_app(page)
        page.wait_for_selector(".vega-embed", timeout=30_000)
        assert exceptions(page) == 0
        assert charts_drawn(page) >= 1
        if label != "Today":  # the default view is not written into the link
            assert "view=" in page.url
        screenshot(page, f"overview-{label.lower().replace(' ', '-')}-desktop")
    page.close()


def test_a_shared_link_opens_the_same_view(browser, app_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{app_url}/?view=Daily&day=2026-11-21")
    wait_for_app(page)
    captions = " ".join(e.inner_text() for e in
                        page.query_selector_all('[data-testid="stCaptionContainer"]'))
    assert "Daily: Nov 21, 2026" in captions
    page.close()


def test_a_deep_link_as_first_request_is_served_inside_the_app(browser, demo_copy):
    process, url = start_app(demo_copy)
    try:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(f"{url}/import_data")
        page.wait_for_selector("text=Where the files come from", timeout=60_000)
        assert page.query_selector('[data-testid="stTopNav"]') is not None
        assert not page.query_selector_all('[data-testid="stSidebarNav"]')
        page.close()
    finally:
        stop_app(process)


def test_today_view_refreshes_itself_when_new_orders_land(browser, demo_copy, tmp_path,
                                                          monkeypatch):
    from datetime import datetime

    from campaign_core.demo.build import DEMO_SHOP_NAME
    from campaign_core.demo.order_files import OrderSpec
    from campaign_core.importers.pipeline import import_file
    from tests.conftest import TZ, line, write_export

    monkeypatch.setenv("CAMPAIGN_REFRESH_SECONDS", "2")
    process, url = start_app(demo_copy)
    try:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(url)
        wait_for_app(page)
        gmv_card = page.locator('[data-testid="stMetric"]').first
        before = gmv_card.inner_text()
        big_order = OrderSpec("579999999999999999", "Awaiting Shipment",
                              datetime(2026, 11, 26, 14, 0), datetime(2026, 11, 26, 14, 0),
                              [line("99", 1, 2_500_000)], buyer_username="whale")
        report = import_file(demo_copy, write_export(tmp_path, [big_order], "All order-new.csv"),
                             shop_name=DEMO_SHOP_NAME, timezone=TZ)
        assert report.ok and report.records.new == 1
        page.wait_for_function(
            "before => document.querySelector('[data-testid=\"stMetric\"]').innerText "
            "!== before", arg=before, timeout=20_000)
        assert gmv_card.inner_text() != before
        page.close()
    finally:
        stop_app(process)
