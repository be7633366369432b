"""The products table (AgGrid) in a real browser: it renders, sorts and filters."""

from __future__ import annotations

from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.figures import figure


def test_products_grid_renders_sorts_and_filters(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(f"{app_url}/products?view=Campaign+Period")
    wait_for_app(page, '[data-testid="stMetric"]')
    frame = page.frame_locator('iframe[title*="agGrid"]')
    frame.locator(".ag-row").first.wait_for(timeout=30_000)
    rows_before = frame.locator(".ag-center-cols-container .ag-row").count()
    assert rows_before == 20  # first page of the table
    shown = frame.locator('.ag-center-cols-container [col-id="GMV"]').all_inner_texts()
    assert all(text.startswith("$") for text in shown)  # money, as everywhere
    gmv = [figure(t) for t in shown]
    assert gmv == sorted(gmv, reverse=True)  # sorted by GMV, largest first
    # Sort by units: click the header twice (ascending, then descending).
    header = frame.locator('.ag-header-cell[col-id="Units sold"] .ag-header-cell-label')
    header.click()
    page.wait_for_timeout(500)
    units = [figure(t) for t in frame.locator(
        '.ag-center-cols-container [col-id="Units sold"]').all_inner_texts()]
    assert units == sorted(units)  # sorted on the numbers, not on the text
    # The quick search keeps only matching products.
    search = frame.locator("input[placeholder^='Search']").first
    search.fill("Serum")
    page.wait_for_timeout(800)
    names = frame.locator('.ag-pinned-left-cols-container [col-id="Product"], '
                          '.ag-center-cols-container [col-id="Product"]').all_inner_texts()
    assert names and all("serum" in name.lower() for name in names if name.strip())
    screenshot(page, "products-grid-desktop")
    page.close()
