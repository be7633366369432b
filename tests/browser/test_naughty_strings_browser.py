"""Imported hostile text never runs in the browser: naughty product, buyer, shop, campaign
and sub-campaign names on every page, with no dialog fired and no script executed."""

from __future__ import annotations

from datetime import date, datetime

from campaign_core.demo.order_files import LineSpec, OrderSpec
from campaign_core.importers.pipeline import import_file
from campaign_core.store import write_transaction
from campaign_core.store.campaigns import save_campaign
from campaign_core.store.shops import resolve_shop
from campaign_core.store.sub_campaigns import save_sub_campaign
from tests.browser.conftest import screenshot, start_app, stop_app, wait_for_app
from tests.conftest import TZ, write_export
from tests.naughty import naughty_strings

SHOP = "<script>window.__xss = 'shop'</script>"
CAMPAIGN = "<img src=x onerror=alert('campaign')> :red[x] [l](javascript:alert(1))"
PAGES = ["", "?view=Daily&day=2026-11-25", "?view=Campaign+Period", "import_data", "campaigns"]


def naughty_orders() -> list[OrderSpec]:
    strings = [s for s in naughty_strings() if s.strip() and len(s) < 2000]
    orders = []
    for number, text in enumerate(strings):
        paid = datetime(2026, 11, 20 + number % 7, 10 + number % 12, number % 60)
        orders.append(OrderSpec(
            f"59{number:016d}", "Awaiting Shipment", paid, paid,
            [LineSpec(f"18{number:015d}", f"19{number:017d}", text, 1, 1000 + number)],
            buyer_username=text[:200], creator_handle=text[:100]))
    return orders


def test_no_script_runs_from_imported_text(browser, demo_copy, tmp_path):
    report = import_file(demo_copy, write_export(tmp_path, naughty_orders()), shop_name=SHOP,
                         timezone=TZ)
    assert report.ok and report.rows_stored > 500
    with write_transaction(demo_copy) as conn:
        shop = resolve_shop(conn, SHOP, TZ)
        campaign = save_campaign(conn, shop_id=shop.shop_id, name=CAMPAIGN,
                                 start_day=date(2026, 11, 20), end_day=date(2026, 12, 1))
        save_sub_campaign(conn, campaign_id=campaign.campaign_id,
                          name="<svg onload=alert(1)> ::JSCODE::", kind="Other",
                          start_utc=1795000000, end_utc=1796000000, sku_ids=[])
    process, url = start_app(demo_copy)
    dialogs: list[str] = []
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in PAGES:
            page.goto(f"{url}/{path}")
            selector = ('[data-testid="stMetric"]' if not path or path.startswith("?")
                        else '[data-testid="stDataFrame"]')
            wait_for_app(page, selector)
            page.wait_for_timeout(500)
            assert page.evaluate("() => window.__xss === undefined"), path
            assert not page.query_selector_all('[data-testid="stException"]'), path
        screenshot(page, "naughty-campaigns-page")
        page.close()
    finally:
        stop_app(process)
    assert dialogs == []
