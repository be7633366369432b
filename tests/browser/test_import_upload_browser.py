"""An upload through the Import page, end to end in a real browser: choose a file, see the
preview, press Import, see the success message, and find the new order on the Overview."""

from __future__ import annotations

from datetime import UTC, datetime

from campaign_core.demo.order_files import OrderSpec
from campaign_core.metrics.catalog import CATALOG
from campaign_core.report import build_report
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from tests.browser.app_pages import DESKTOP, settle
from tests.browser.conftest import screenshot, start_app, stop_app
from tests.conftest import DEMO_NOW, line, write_export
from ui.formatting import value_text


def card_text(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def expected_gmv_card(db) -> str:
    with read_connection(db) as conn:
        campaign = list_campaigns(conn)[0]
        report = build_report(conn, campaign, "today",
                              datetime.fromisoformat(DEMO_NOW).astimezone(UTC))
    return value_text(CATALOG["gmv"], report["core"]["gmv"], campaign.currency, compact=True)


def test_an_uploaded_export_is_previewed_imported_and_shown(browser, demo_copy, tmp_path):
    upload = write_export(tmp_path, [OrderSpec(
        "579888888888888888", "Awaiting Shipment", datetime(2026, 11, 26, 13, 0),
        datetime(2026, 11, 26, 13, 0), [line("77", 3, 1_000_000)],
        buyer_username="browser_upload_buyer")], "All order-2026-11-26.csv")
    process, url = start_app(demo_copy)
    page = browser.new_page(viewport=DESKTOP)
    try:
        page.goto(url)
        settle(page, '[data-testid="stMetric"]')
        gmv_before = card_text(page, "GMV")
        assert gmv_before == expected_gmv_card(demo_copy)

        page.goto(f"{url}/import_data")
        settle(page)
        page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(upload))
        page.get_by_text("What the files contain").wait_for(timeout=60_000)
        settle(page)
        assert not page.query_selector_all('[data-testid="stException"]')
        page.get_by_role("button", name="Import 1 file into").click()
        page.get_by_text("1 new, 0 updated, 0 unchanged order.").wait_for(timeout=60_000)
        settle(page)
        assert not page.query_selector_all('[data-testid="stException"]')
        screenshot(page, "import-upload-done-desktop")

        page.goto(url)
        settle(page, '[data-testid="stMetric"]')
        gmv_after = card_text(page, "GMV")
        assert gmv_after != gmv_before
        assert gmv_after == expected_gmv_card(demo_copy)  # the store now holds the order
    finally:
        page.close()
        stop_app(process)
