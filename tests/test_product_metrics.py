"""Product rows: sales, refunds, traffic by export period, costs by valid-from day, margin.

Shop time America/Los_Angeles; now is Nov 26, 2026, 12:00; campaign Nov 20-30, so the
Campaign Period window is Nov 20-26. Products (P_A..P_D) and SKUs 01-05:

  order 1 Nov 21 10:00  SKU 01 2 x 10.00 - 2.00 seller discount = 18.00; SKU 02 1 x 5.00
  order 6 Nov 22 20:00  SKU 01 1 x 10.00 (Nov 23 04:00 UTC: still Nov 22 in shop time)
  order 5 Nov 22 21:00  SKU 02 1 x 5.00
  order 2 Nov 24 10:00  SKU 01 3 x 10.00, 1 returned: refund 10.00
  order 3 Nov 25 10:00  SKU 03 1 x 20.00, cancelled: refund 20.00
  order 4 Nov 10 10:00  SKU 04 1 x 7.00 (before the campaign and the window)
  SKU 05 (P_D) never sold, on a sub-campaign's SKU list.

P_A: GMV 18 + 5 + 10 + 5 + 30 = 68.00, units 8, orders 4, SKU orders 5, refunds 10.00.
Costs: SKU 01 4.00 from Nov 1 and 5.00 from Nov 23; SKU 02 2.00 from Nov 1; SKU 03 9.00
from Nov 26 only (after its sale); SKU 04 3.00 from Nov 1.
P_A cost: 2 x 4 + 1 x 4 + 3 x 5 (SKU 01) + 2 x 2 (SKU 02) = 31.00, margin 68 - 10 - 31 = 27.00.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from campaign_core.demo.order_files import OrderSpec
from campaign_core.metrics.catalog import CATALOG, PRODUCT_METRICS, Metric
from campaign_core.metrics.products import (
    PRODUCT_COLUMN_NAMES,
    ProductRow,
    product_rows,
    products_report,
    sort_product_rows,
    traffic_periods_left_out,
)
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import find_campaign, save_campaign
from campaign_core.store.shops import resolve_shop
from campaign_core.store.sub_campaigns import save_sub_campaign
from campaign_core.windows import daily_window, period_window
from tests.conftest import TZ, import_file, line, write_export

LA = ZoneInfo(TZ)
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=LA)
P_A, P_B, P_C, P_D = (f"173000000000000000{n}" for n in "1234")
PRODUCT_OF = {"01": P_A, "02": P_A, "03": P_B, "04": P_C, "05": P_D}


def sku(suffix: str) -> str:
    return f"17290000000000000{suffix}"


def utc(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=LA).timestamp())


def _line(suffix: str, quantity: int, price_cents: int, **extra):
    spec = line(suffix, quantity, price_cents, **extra)
    spec.product_id = PRODUCT_OF[suffix]
    spec.product_name = f"Product {spec.product_id[-1]}"
    return spec


def _order(number: int, paid: datetime, lines: list, status: str = "Delivered",
           **extra) -> OrderSpec:
    return OrderSpec(f"5790000000000000{number:02d}", status, paid, paid, lines,
                     buyer_username=f"buyer{number}", **extra)


ORDERS = [
    _order(1, datetime(2026, 11, 21, 10), [_line("01", 2, 1000, seller_discount_cents=200),
                                           _line("02", 1, 500)]),
    _order(2, datetime(2026, 11, 24, 10), [_line("01", 3, 1000, returned_units=1)],
           cancel_return_type="Return/Refund"),
    _order(3, datetime(2026, 11, 25, 10), [_line("03", 1, 2000)], status="Cancelled",
           cancel_return_type="Cancel"),
    _order(4, datetime(2026, 11, 10, 10), [_line("04", 1, 700)]),
    _order(5, datetime(2026, 11, 22, 21), [_line("02", 1, 500)]),
    _order(6, datetime(2026, 11, 22, 20), [_line("01", 1, 1000)]),
]

COSTS = [("01", "2026-11-01", 400), ("01", "2026-11-23", 500), ("02", "2026-11-01", 200),
         ("03", "2026-11-26", 900), ("04", "2026-11-01", 300)]

# (product, period start, period end, channel, impressions, clicks, unique clicks, ATC users)
TRAFFIC = [
    (P_A, "2026-11-20", "2026-11-22", "all", 1000, 50, 40, 10),  # inside
    (P_A, "2026-11-23", "2026-11-23", "all", 1000, 50, 40, 10),  # inside
    (P_A, "2026-11-15", "2026-11-21", "all", 9999, 999, 999, 99),  # overlaps: left out
    (P_A, "2026-11-01", "2026-11-07", "all", 7777, 777, 777, 77),  # outside: ignored
    (P_A, "2026-11-20", "2026-11-22", "video", 500, 5, 5, 1),  # a channel, not the total
    (P_B, "2026-11-25", "2026-11-27", "all", 800, 8, 8, 1),  # runs past the window's end
]


@pytest.fixture
def product_store(tmp_path):
    db = tmp_path / "products.db"
    assert import_file(db, write_export(tmp_path, ORDERS), timezone=TZ).ok
    with write_transaction(db) as conn:
        shop_id = resolve_shop(conn, None, None).shop_id
        campaign = save_campaign(conn, shop_id=shop_id, name="Sale",
                                 start_day=date(2026, 11, 20), end_day=date(2026, 11, 30))
        conn.execute("INSERT INTO sku (shop_id, sku_id, product_id, seller_sku) "
                     "VALUES (:shop, :sku, :product, 'D-RED')",
                     {"shop": shop_id, "sku": sku("05"), "product": P_D})
        conn.executemany(
            "INSERT INTO sku_cost (shop_id, sku_id, valid_from, unit_cost_cents) "
            "VALUES (:shop, :sku, :day, :cents)",
            [{"shop": shop_id, "sku": sku(s), "day": d, "cents": c} for s, d, c in COSTS])
        conn.executemany(
            "INSERT INTO product_traffic (shop_id, product_id, period_start, period_end, "
            "channel, impressions, clicks, unique_clicks, add_to_cart_users) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [(shop_id, *row) for row in TRAFFIC])
        conn.executemany(
            "INSERT INTO stock_snapshot (shop_id, sku_id, as_of_utc, available, inbound) "
            "VALUES (:shop, :sku, :as_of, :available, 0)",
            [{"shop": shop_id, "sku": sku(s), "as_of": utc(2026, 11, 26, 7), "available": a}
             for s, a in (("01", 10), ("02", 0))])
        save_sub_campaign(conn, campaign_id=campaign.campaign_id, name="Flash", kind=None,
                          start_utc=utc(2026, 11, 21), end_utc=utc(2026, 11, 22),
                          sku_ids=[sku("05")])
        save_sub_campaign(conn, campaign_id=campaign.campaign_id, name="Voucher", kind=None,
                          start_utc=utc(2026, 11, 21), end_utc=utc(2026, 11, 22), sku_ids=[])
    return db


def rows_for(db, window=None) -> dict[str, ProductRow]:
    with read_connection(db) as conn:
        campaign = find_campaign(conn, "Sale")
        window = window or period_window(campaign.start_day, campaign.end_day, TZ, NOW)
        rows = product_rows(conn, campaign.shop_id, window, campaign, NOW)
    return {row.product_id: row for row in rows}


def test_sales_per_product_match_the_hand_values(product_store):
    rows = rows_for(product_store)
    a, b, c = rows[P_A], rows[P_B], rows[P_C]
    assert (a.gmv, a.units, a.orders, a.sku_orders, a.refunds) == (
        Decimal("68.00"), 8, 4, 5, Decimal("10.00"))
    assert (b.gmv, b.units, b.orders, b.refunds) == (Decimal("20.00"), 1, 1, Decimal("20.00"))
    assert (c.gmv, c.units, c.orders, c.refunds) == (Decimal("0.00"), 0, 0, Decimal("0.00"))
    assert a.name == "Product 1"
    assert rows[P_D].name is None  # only a catalog SKU names it


def test_rows_are_sorted_by_gmv_and_list_every_known_product(product_store):
    with read_connection(product_store) as conn:
        campaign = find_campaign(conn, "Sale")
        window = period_window(campaign.start_day, campaign.end_day, TZ, NOW)
        rows = product_rows(conn, campaign.shop_id, window, campaign, NOW)
    assert [r.product_id for r in rows] == [P_A, P_B, P_C, P_D]


def test_sku_rows_carry_the_same_metrics(product_store):
    skus = {s.sku_id[-2:]: s for s in rows_for(product_store)[P_A].skus}
    assert list(skus) == ["01", "02"]  # by GMV
    assert (skus["01"].gmv, skus["01"].units, skus["01"].orders, skus["01"].refunds) == (
        Decimal("58.00"), 6, 3, Decimal("10.00"))
    assert skus["01"].gross_margin == Decimal("21.00")  # 58 - 10 - (8 + 4 + 15)
    assert skus["02"].gross_margin == Decimal("6.00")  # 10 - 2 x 2
    assert skus["01"].unit_cost == Decimal("5.00") and skus["02"].unit_cost == Decimal("2.00")
    assert skus["02"].status == "out of stock" and skus["01"].available == 10


def test_traffic_counts_only_periods_inside_the_window(product_store):
    rows = rows_for(product_store)
    a, b = rows[P_A], rows[P_B]
    assert (a.impressions, a.clicks) == (2000, 100)
    assert (a.traffic_periods, a.traffic_periods_left_out) == (2, 1)
    assert a.ctr == 5.0  # 100 / 2000
    assert a.add_to_cart_rate == 25.0  # 20 ATC users / 80 visitors
    assert a.conversion == 5.0  # 5 SKU orders / 100 clicks
    assert b.impressions is None and b.ctr is None and b.conversion is None
    assert b.traffic_periods_left_out == 1
    assert traffic_periods_left_out(rows.values()) == 2


def test_a_one_day_window_takes_only_that_days_period(product_store):
    rows = rows_for(product_store, daily_window(date(2026, 11, 23), TZ, NOW))
    a = rows[P_A]
    assert (a.impressions, a.clicks, a.traffic_periods_left_out) == (1000, 50, 0)
    assert a.gmv == Decimal("0.00") and a.conversion == 0.0


def test_unit_cost_follows_the_valid_from_day(product_store):
    a = rows_for(product_store)[P_A]
    # Lines of Nov 21 and Nov 22 (20:00 shop time) cost 4.00 each; Nov 24's cost 5.00.
    assert a.gross_margin == Decimal("27.00")
    assert a.unit_cost == Decimal("3.50")  # today: (5.00 + 2.00) / 2


def test_gross_margin_is_unknown_when_a_sold_sku_has_no_cost(product_store):
    b = rows_for(product_store)[P_B]
    assert b.unit_cost == Decimal("9.00")  # valid today...
    assert b.gross_margin is None  # ...but not on Nov 25, when it sold
    c = rows_for(product_store)[P_C]
    assert c.gross_margin == Decimal("0.00") and c.unit_cost == Decimal("3.00")


def test_campaign_products_sold_during_it_or_are_on_a_sub_campaign_list(product_store):
    rows = rows_for(product_store)
    assert rows[P_A].campaign_product and rows[P_B].campaign_product
    assert rows[P_D].campaign_product  # never sold, but on the Flash SKU list
    assert rows[P_D].skus[0].campaign_sku and rows[P_D].skus[0].seller_sku == "D-RED"
    assert not rows[P_C].campaign_product  # sold before; the empty Voucher list marks nothing


def test_stock_columns_come_from_the_product_cover(product_store):
    a, b = rows_for(product_store)[P_A], rows_for(product_store)[P_B]
    assert a.available == 10 and a.status == "out of stock"  # SKU 02 has none left
    assert a.days_of_cover == 0.0 and a.stockout_date == date(2026, 11, 26)
    assert b.status == "no stock data" and b.available is None


def test_report_items_have_the_command_line_shape(product_store):
    report = products_report(rows_for(product_store).values())
    assert [item["product_id"] for item in report] == [P_A, P_B, P_C, P_D]
    assert report[0] == {
        "product_id": P_A, "name": "Product 1", "gmv": 68.0, "units": 8, "orders": 4,
        "impressions": 2000, "clicks": 100, "ctr": 5.0, "add_to_cart_rate": 25.0,
        "available": 10, "days_of_cover": 0.0, "stockout_date": "2026-11-26",
        "status": "out of stock"}
    assert report[1]["impressions"] is None and report[1]["stockout_date"] is None
    assert report[3]["name"] is None


def test_sorting_accepts_only_whitelisted_columns(product_store):
    rows = list(rows_for(product_store).values())
    by_status = sort_product_rows(rows, "status")
    assert by_status[0].status == "out of stock" and by_status[-1].status == "no stock data"
    by_clicks = sort_product_rows(rows, "clicks")
    assert by_clicks[0].product_id == P_A and by_clicks[-1].clicks is None
    with pytest.raises(ValueError, match="Cannot sort"):
        sort_product_rows(rows, "gmv; DROP TABLE order_line")
    assert set(PRODUCT_COLUMN_NAMES) <= set(ProductRow.__dataclass_fields__)


def test_product_metrics_are_registered_once_in_the_catalog():
    for entry in PRODUCT_METRICS:
        assert isinstance(entry, Metric) and entry.section == "products"
        assert entry.definition.endswith(".") and CATALOG[entry.name] is entry
        assert entry.name in ProductRow.__dataclass_fields__
