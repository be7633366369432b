"""The phone layout (ui/style.py) in a real browser at 390 px: metric cards two to a row,
the Products and Content grids replaced by lists of three key columns, filters wrapping
inside the screen, margin among the first columns of the profit table."""

from __future__ import annotations

from tests.browser.app_pages import DESKTOP, PHONE, settle

GRID = 'iframe[title*="agGrid"]'
LIST = '[data-testid="stDataFrame"]'


def _visible(page, selector: str) -> list:
    return [element for element in page.query_selector_all(selector) if element.is_visible()]


def _headers(table) -> list[str]:
    return table.eval_on_selector_all("table th", "cells => cells.map(c => c.textContent)")


def test_overview_cards_sit_two_to_a_row_on_a_phone(browser, app_url):
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(f"{app_url}/?view=Campaign+Period")
        settle(page, '[data-testid="stMetric"]')
        boxes = [card.bounding_box() for card in _visible(page, '[data-testid="stMetric"]')]
        first, second = boxes[0], boxes[1]
        assert abs(first["y"] - second["y"]) < 2  # side by side
        assert second["x"] > first["x"] + first["width"] - 1
        assert first["width"] >= 140  # still readable
    finally:
        page.close()


def test_products_on_a_phone_list_three_columns_and_the_filters_fit(browser, app_url):
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(f"{app_url}/products?view=Campaign+Period")
        settle(page, '[data-testid="stMetric"]')
        assert not _visible(page, GRID)
        lists = [t for t in _visible(page, LIST) if "Days" in _headers(t)]
        assert lists and _headers(lists[0])[-3:] == ["Product", "Days", "Status"]
        chip = page.get_by_role("radio", name="Selling out", exact=True).first
        box = chip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    finally:
        page.close()


def test_products_on_a_desktop_keep_the_grid(browser, app_url):
    page = browser.new_page(viewport=DESKTOP)
    try:
        page.goto(f"{app_url}/products?view=Campaign+Period")
        settle(page, '[data-testid="stMetric"]')
        assert _visible(page, GRID)
        assert not [t for t in _visible(page, LIST) if "Days" in _headers(t)]
    finally:
        page.close()


def test_content_on_a_phone_lists_title_gmv_and_orders(browser, app_url):
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(f"{app_url}/content?view=Campaign+Period")
        settle(page)
        assert not _visible(page, GRID)
        headers = [_headers(t) for t in _visible(page, LIST)]
        assert any(h[-3:] == ["Title", "GMV", "Orders"] for h in headers), headers
    finally:
        page.close()


def test_profit_table_shows_margin_beside_the_creator(browser, app_url):
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(f"{app_url}/creators?view=Campaign+Period")
        settle(page)
        headers = [_headers(t) for t in _visible(page, LIST)]
        profit = next(h for h in headers if "Creator" in h and "Margin" in h)
        assert profit.index("Margin") <= profit.index("Creator") + 1
    finally:
        page.close()
