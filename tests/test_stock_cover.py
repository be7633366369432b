"""Days of cover and stock status per SKU and per product, on a hand-built store.

Shop time is America/Los_Angeles. "Now" is Thu Nov 26, 2026, 12:00; the campaign runs
Nov 20-30, so 6.5 days have elapsed since its start and 4.5 days are left (threshold
min(7, 4.5) = 4.5). The 7 whole days before today are Nov 19-25. Each SKU tests one rule;
the hand computation is next to its data in ``STORY``.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from campaign_core.demo.order_files import OrderSpec
from campaign_core.forecast.stock_cover import (
    STOCK_COVER_DEFINITION,
    ProductCover,
    SkuCover,
    product_cover,
    sku_cover,
    stock_alert_counts,
)
from campaign_core.importers.pipeline import import_file
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import find_campaign, save_campaign
from campaign_core.store.shops import resolve_shop
from tests.conftest import TZ, line, write_export

LA = ZoneInfo(TZ)
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=LA)
P1, P2, P3 = "1730000000000000001", "1730000000000000002", "1730000000000000003"


def sku(suffix: str) -> str:
    return f"17290000000000000{suffix}"


def utc(*parts: int) -> int:
    """Unix seconds of a Los Angeles wall-clock time."""
    return int(datetime(*parts, tzinfo=LA).timestamp())


# (SKU suffix, product, units, paid at) for the orders.
SALES = [
    ("11", P1, 21, datetime(2026, 11, 19, 10)),  # (a) 21/7 = 3.0 beats (b) 0
    ("12", P1, 13, datetime(2026, 11, 26, 9)),  # today: (a) 0, (b) 13/6.5 = 2.0
    ("13", P2, 12, datetime(2026, 11, 22, 10)),  # (a) 12/5 = 2.4 (2 zero days) > (b) 1.85
    ("14", P3, 2, datetime(2026, 11, 25, 10)),  # (a) 0.29, (b) 0.31: floor 1.0
    ("16", P2, 7, datetime(2026, 11, 21, 10)),  # (a) 1.0, (b) 7/6.5 = 1.077
    ("17", P3, 14, datetime(2026, 11, 19, 11)),  # (a) 2.0
    ("18", P1, 7, datetime(2026, 11, 25, 11)),  # no snapshot at all
]

# (SKU suffix, as of, available, inbound)
SNAPSHOTS = [
    ("11", datetime(2026, 11, 26, 8), 30, 0),  # cover 30 / 3 = 10 -> ok
    ("11", datetime(2026, 11, 26, 13), 0, 0),  # after now: ignored
    ("12", datetime(2026, 11, 26, 8), 5, 3),  # cover 8 / 2 = 4 < 4.5 -> sells out soon
    # SKU 13: 10 before the 7 days, 0 from Nov 23 00:00 until Nov 25 06:00: Nov 23 and 24
    # are zero-stock days (Nov 25 is not: stock came back during it).
    ("13", datetime(2026, 11, 18, 12), 10, 0),
    ("13", datetime(2026, 11, 23, 0), 0, 0),
    ("13", datetime(2026, 11, 25, 6), 20, 0),  # cover 20 / 2.4 = 8.33 -> ok
    ("14", datetime(2026, 11, 26, 7), 50, 0),  # cover 50 / 1 = 50
    ("15", datetime(2026, 11, 26, 7), 40, 0),  # no sales: no cover, ok
    ("16", datetime(2026, 11, 26, 7), 0, 10),  # out of stock (inbound does not help)
    ("17", datetime(2026, 11, 26, 7), 4, 2),  # + plans 10 (today) + 3 (no day) = 15 inbound
    ("19", datetime(2026, 11, 26, 7), -2, 0),  # oversold; unknown product
]

# (SKU suffix, quantity, expected day, created) for restock plans of SKU 17.
PLANS = [
    ("17", 10, "2026-11-26", None),  # expected today: still inbound
    ("17", 20, "2026-11-25", None),  # its day has passed: not counted
    ("17", 3, None, None),  # no expected day: counts
    ("17", 5, "2026-11-28", utc(2026, 11, 26, 13)),  # created after now: not yet
]


def _order(number: int, suffix: str, product: str, units: int, paid: datetime) -> OrderSpec:
    spec = line(suffix, units, 1000)
    spec.product_id = product
    return OrderSpec(f"5780{number:014d}", "Delivered", paid, paid, [spec],
                     buyer_username=f"buyer{number}")


@pytest.fixture
def stock_store(tmp_path):
    orders = [_order(n, *sale) for n, sale in enumerate(SALES)]
    db = tmp_path / "stock.db"
    assert import_file(db, write_export(tmp_path, orders), timezone=TZ).ok
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, None, None)
        save_campaign(conn, shop_id=shop.shop_id, name="Sale", start_day=date(2026, 11, 20),
                      end_day=date(2026, 11, 30))
        conn.execute("INSERT INTO sku (shop_id, sku_id, product_id) VALUES (:shop, :sku, :p)",
                     {"shop": shop.shop_id, "sku": sku("15"), "p": P2})
        conn.executemany(
            "INSERT INTO stock_snapshot (shop_id, sku_id, as_of_utc, available, inbound) "
            "VALUES (:shop, :sku, :as_of, :available, :inbound)",
            [{"shop": shop.shop_id, "sku": sku(s), "as_of": int(when.replace(tzinfo=LA)
                                                                 .timestamp()),
              "available": available, "inbound": inbound}
             for s, when, available, inbound in SNAPSHOTS])
        conn.executemany(
            "INSERT INTO restock_plan (shop_id, sku_id, quantity, expected_day, created_utc) "
            "VALUES (:shop, :sku, :quantity, :day, :created)",
            [{"shop": shop.shop_id, "sku": sku(s), "quantity": q, "day": d, "created": c}
             for s, q, d, c in PLANS])
    return db


def covers_at(db, now: datetime = NOW, end_day: date | None = None) -> dict[str, SkuCover]:
    with read_connection(db) as conn:
        campaign = find_campaign(conn, "Sale")
        if end_day is not None:
            campaign = dataclasses.replace(campaign, end_day=end_day)
        return {c.sku_id[-2:]: c for c in sku_cover(conn, campaign.shop_id, campaign, now)}


def test_the_faster_rate_wins(stock_store):
    covers = covers_at(stock_store)
    recent, since_start = covers["11"], covers["12"]
    assert recent.rate_per_day == pytest.approx(3.0)
    assert recent.rate_source == "last 7 days"
    assert (recent.units_7d, recent.units_campaign) == (21, 0)
    assert recent.days_of_cover == pytest.approx(10.0)
    assert recent.stockout_date == date(2026, 12, 6)
    assert since_start.rate_per_day == pytest.approx(2.0)
    assert since_start.rate_source == "since campaign start"
    assert (since_start.units_7d, since_start.units_campaign) == (0, 13)
    assert since_start.days_of_cover == pytest.approx(4.0)  # (5 + 3) / 2
    assert since_start.stockout_date == date(2026, 11, 30)


def test_the_latest_snapshot_at_or_before_now_is_the_stock(stock_store):
    cover = covers_at(stock_store)["11"]
    assert cover.available == 30
    assert cover.stock_as_of_utc == utc(2026, 11, 26, 8)
    assert "Nov 26 08:00" in cover.explanation


def test_zero_stock_days_are_left_out_of_the_seven_day_divisor(stock_store):
    cover = covers_at(stock_store)["13"]
    assert cover.in_stock_days == 5
    assert cover.rate_per_day == pytest.approx(2.4)  # 12 / 5, faster than 12 / 6.5
    assert cover.rate_source == "last 7 days"
    assert cover.days_of_cover == pytest.approx(20 / 2.4)
    assert covers_at(stock_store)["11"].in_stock_days == 7  # no history: no day left out


def test_a_sku_that_sells_sells_at_least_one_unit_a_day(stock_store):
    cover = covers_at(stock_store)["14"]
    assert cover.rate_per_day == 1.0
    assert cover.rate_source == "since campaign start"  # 2 / 6.5 beats 2 / 7
    assert cover.days_of_cover == pytest.approx(50.0)
    assert cover.stockout_date == date(2027, 1, 15)
    assert "floor of 1 unit/day" in cover.explanation


def test_no_sales_means_no_cover(stock_store):
    cover = covers_at(stock_store)["15"]
    assert cover.rate_per_day is None and cover.rate_source is None
    assert cover.days_of_cover is None and cover.stockout_date is None
    assert cover.status == "ok"
    assert cover.explanation.startswith("No recent sales")


def test_out_of_stock_when_nothing_is_available(stock_store):
    covers = covers_at(stock_store)
    assert covers["16"].status == "out of stock"
    assert covers["16"].days_of_cover == pytest.approx(10 / (7 / 6.5))  # inbound still counts
    assert covers["19"].status == "out of stock"
    assert covers["19"].days_of_cover is None  # unsold: no rate


def test_restock_plans_add_to_inbound_until_their_day_has_passed(stock_store):
    cover = covers_at(stock_store)["17"]
    assert cover.inbound == 2 + 10 + 3
    assert cover.days_of_cover == pytest.approx((4 + 15) / 2)
    assert "13 planned inbound" in cover.explanation
    next_day = covers_at(stock_store, datetime(2026, 11, 27, 12, tzinfo=LA))["17"]
    assert next_day.inbound == 2 + 3 + 5  # today's plan has passed; the later one exists now


def test_no_snapshot_means_no_stock_data(stock_store):
    cover = covers_at(stock_store)["18"]
    assert cover.status == "no stock data"
    assert cover.available is None and cover.days_of_cover is None
    assert cover.rate_per_day == pytest.approx(7 / 6.5)  # the rate is still shown
    assert "No stock data" in cover.explanation


@pytest.mark.parametrize(("end_day", "now", "status"), [
    (date(2026, 11, 30), NOW, "sells out soon"),  # 4 < min(7, 4.5)
    (date(2026, 11, 27), NOW, "ok"),  # 1.5 days left: the campaign ends first
    (date(2026, 12, 31), NOW, "sells out soon"),  # 4 < 7
    (date(2026, 11, 25), NOW, "sells out soon"),  # ended: threshold 7
    # Nov 30 noon: rate 13 / 10.5, cover 6.46 days, but only 0.5 days are left.
    (date(2026, 11, 30), datetime(2026, 11, 30, 12, tzinfo=LA), "ok"),
])
def test_sells_out_soon_threshold_is_seven_days_capped_by_the_campaign_end(
        stock_store, end_day, now, status):
    assert covers_at(stock_store, now, end_day)["12"].status == status


def test_a_cover_of_the_threshold_or_more_is_ok(stock_store):
    # Cover of SKU 13 is 8.33 days, above the cap of 7 whatever the campaign end.
    assert covers_at(stock_store, end_day=date(2026, 12, 31))["13"].status == "ok"
    assert covers_at(stock_store, end_day=date(2026, 11, 25))["13"].status == "ok"


def test_products_sum_available_take_the_smallest_cover_and_the_worst_status(stock_store):
    products = {p.product_id: p for p in product_cover(covers_at(stock_store).values())}
    first = products[P1]  # SKUs 11 (ok, 10 d), 12 (soon, 4 d), 18 (no stock data)
    assert first.available == 35 and first.inbound == 3
    assert first.days_of_cover == pytest.approx(4.0)
    assert first.stockout_date == date(2026, 11, 30)
    assert first.status == "sells out soon"
    second = products[P2]  # SKUs 13 (ok), 15 (ok, no sales), 16 (out of stock)
    assert second.available == 20 + 40 + 0
    assert second.status == "out of stock"
    assert second.days_of_cover == pytest.approx(20 / 2.4)
    assert products[P3].status == "ok"
    assert products[None].sku_ids == (sku("19"),)


def test_product_status_severity_order():
    def cover(sku_id: str, status: str) -> SkuCover:
        return SkuCover(sku_id, "P", None if status == "no stock data" else 1, 0, None, None,
                        7, 0, 0, None, None, status, None, "")
    for statuses, worst in [(("ok", "no stock data"), "ok"),
                            (("ok", "sells out soon"), "sells out soon"),
                            (("sells out soon", "out of stock"), "out of stock"),
                            (("no stock data",), "no stock data")]:
        covers = [cover(str(n), s) for n, s in enumerate(statuses)]
        assert product_cover(covers)[0].status == worst


def test_alert_counts(stock_store):
    products = product_cover(covers_at(stock_store).values())
    assert stock_alert_counts(products) == {"out_of_stock": 2, "sells_out_soon": 1}
    assert stock_alert_counts([]) == {"out_of_stock": 0, "sells_out_soon": 0}
    assert isinstance(products[0], ProductCover) and products[0].status == "out of stock"


def test_definition_states_the_rules():
    for phrase in ("faster of", "at least 1 unit a day", "no recent sales",
                   "min(7, days left", "expected day has passed"):
        assert phrase in STOCK_COVER_DEFINITION
