"""Rollups answer exactly what the order lines answer: the hourly rollup against a fresh
recompute, and the core KPIs and trend against the same definitions computed over the raw
lines, on the demo store and on hand-made stores, after new, updated and directly edited
orders."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from campaign_core.demo.order_files import OrderSpec
from campaign_core.importers.pipeline import import_file
from campaign_core.metrics import products
from campaign_core.metrics.core import core_kpis
from campaign_core.metrics.money import cents_to_amount, ratio_amount
from campaign_core.metrics.trend import metric_trend
from campaign_core.rollups.hourly import rebuild_shop
from campaign_core.rollups.windows import whole_hours
from campaign_core.store import read_connection, write_transaction
from campaign_core.windows import View, Window, daily_window, period_window, today_window
from tests.conftest import DEMO_NOW, TZ, hand_orders, line, write_export

# The core KPIs exactly as they were defined before rollups: over the raw lines and orders.
_RAW_LINES = """
SELECT COALESCE(SUM(gmv_cents), 0) AS gmv_cents, COUNT(DISTINCT order_id) AS orders,
       COUNT(DISTINCT order_id || char(31) || sku_id) AS sku_orders,
       COALESCE(SUM(quantity), 0) AS units, COUNT(DISTINCT buyer_key) AS buyers,
       COALESCE(SUM(platform_discount_cents), 0) AS platform_cents,
       COALESCE(SUM(CASE WHEN is_cancelled THEN gmv_cents
                         WHEN returned_units > 0 THEN returned_units * 1.0 * gmv_cents / quantity
                         ELSE 0 END), 0) AS refunds_cents
FROM order_line
WHERE shop_id = :shop_id AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0
"""
_RAW_SHIPPING = """
SELECT COALESCE(SUM(shipping_fee_platform_discount_cents), 0) FROM orders
WHERE shop_id = :shop_id AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0
"""

# Product sales exactly as they were defined before rollups.
_RAW_PRODUCT_SALES = """
WITH cost AS (
    SELECT json_extract(value, '$[0]') AS sku_id, json_extract(value, '$[1]') AS from_utc,
           json_extract(value, '$[2]') AS to_utc, json_extract(value, '$[3]') AS unit_cents
    FROM json_each(:costs)
),
lines AS (
    SELECT l.product_id, l.sku_id, l.order_id, l.quantity, l.gmv_cents, l.product_name,
           CASE WHEN l.is_cancelled THEN l.gmv_cents
                WHEN l.returned_units > 0 THEN l.returned_units * 1.0 * l.gmv_cents / l.quantity
                ELSE 0 END AS refund_cents,
           c.unit_cents
    FROM order_line l
    LEFT JOIN cost c
      ON c.sku_id = l.sku_id AND c.from_utc <= l.paid_utc AND l.paid_utc < c.to_utc
    WHERE l.shop_id = :shop_id AND l.paid_utc >= :start AND l.paid_utc < :end
      AND l.is_sample = 0
)
SELECT product_id, sku_id, MAX(product_name) AS product_name,
       COALESCE(SUM(gmv_cents), 0) AS gmv_cents,
       COALESCE(SUM(quantity), 0) AS units,
       COUNT(DISTINCT order_id) AS orders,
       COUNT(DISTINCT order_id || char(31) || sku_id) AS sku_orders,
       COALESCE(SUM(refund_cents), 0) AS refund_cents,
       COALESCE(SUM(quantity * unit_cents), 0) AS cost_cents,
       SUM(unit_cents IS NULL) AS lines_without_cost
FROM lines GROUP BY product_id, sku_id
UNION ALL
SELECT product_id, NULL, MAX(product_name), COALESCE(SUM(gmv_cents), 0),
       COALESCE(SUM(quantity), 0), COUNT(DISTINCT order_id),
       COUNT(DISTINCT order_id || char(31) || sku_id), COALESCE(SUM(refund_cents), 0),
       COALESCE(SUM(quantity * unit_cents), 0), SUM(unit_cents IS NULL)
FROM lines GROUP BY product_id
"""


def raw_kpis(conn, shop_id: int, start: int, end: int) -> dict:
    params = {"shop_id": shop_id, "start": start, "end": end}
    row = conn.execute(_RAW_LINES, params).fetchone()
    shipping = conn.execute(_RAW_SHIPPING, params).fetchone()[0]
    return {"gmv": cents_to_amount(row["gmv_cents"]), "orders": row["orders"],
            "sku_orders": row["sku_orders"], "units": row["units"], "buyers": row["buyers"],
            "aov": ratio_amount(row["gmv_cents"], row["orders"]),
            "tiktok_contribution": cents_to_amount(row["platform_cents"] + shipping),
            "refunds": cents_to_amount(row["refunds_cents"]),
            "net_sales": cents_to_amount(row["gmv_cents"] - row["refunds_cents"])}


def rollup_rows(conn, shop_id: int) -> list[tuple]:
    """Every rollup row of the shop: hours, distinct buyers per day, orders per kind, SKUs
    and products per day."""
    return [tuple(r) for table, key in (("rollup_hour", "hour_utc"),
                                        ("rollup_day_buyers", "day_start_utc"),
                                        ("rollup_day_buyer_set", "day_start_utc, buyer_key"),
                                        ("rollup_hour_order_kind",
                                         "hour_utc, status, is_returning, has_creator, "
                                         "channel"),
                                        ("rollup_day_sku", "day_start_utc, product_id, sku_id"),
                                        ("rollup_day_product", "day_start_utc, product_id"),
                                        ("rollup_hour_delivered", "hour_utc, status"),
                                        ("rollup_hour_attribution",
                                         "hour_utc, aff_kind, aff_handle, channel, "
                                         "has_handle"))
            for r in conn.execute(f"SELECT * FROM {table} WHERE shop_id = :shop_id "
                                  f"ORDER BY {key}", {"shop_id": shop_id})]


def assert_rollup_is_fresh(db: Path, shop_id: int = 1) -> None:
    """The maintained rollup equals one recomputed from scratch (rolled back after)."""
    with write_transaction(db) as conn:
        maintained = rollup_rows(conn, shop_id)
        rebuild_shop(conn, shop_id)
        assert maintained == rollup_rows(conn, shop_id)
        conn.execute("ROLLBACK")
        conn.execute("BEGIN")  # write_transaction commits whatever is left: nothing


def assert_same_as_raw(db: Path, window: Window, shop_id: int = 1) -> None:
    with read_connection(db) as conn:
        assert core_kpis(conn, shop_id, window).as_dict() == raw_kpis(
            conn, shop_id, window.start_utc, window.end_utc)
        for bucket in metric_trend(conn, shop_id, window):
            start = int(bucket.start.timestamp())
            end = min(int((bucket.start + _bucket_length(window)).timestamp()),
                      window.end_utc)
            if bucket.values["gmv"] is None:
                assert start >= window.end_utc
                continue
            assert bucket.values == raw_kpis(conn, shop_id, start, end), bucket.start


def _bucket_length(window: Window) -> timedelta:
    return timedelta(hours=1) if window.first_day == window.last_day else timedelta(days=1)


def _now(text: str = DEMO_NOW) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _demo_windows(conn) -> list[Window]:
    from campaign_core.store.campaigns import list_campaigns

    campaign = list_campaigns(conn)[0]
    now = _now()
    return [today_window(now, TZ), daily_window(date(2026, 11, 21), TZ, now),
            period_window(campaign.start_day, campaign.end_day, TZ, now)]


def test_demo_rollup_equals_a_recompute_and_answers_as_the_lines_do(demo_store):
    with read_connection(demo_store) as conn:
        shop_id = conn.execute("SELECT shop_id FROM shop ORDER BY shop_id").fetchone()[0]
        windows = _demo_windows(conn)
        assert conn.execute("SELECT COUNT(*) FROM rollup_dirty").fetchone()[0] == 0
    assert_rollup_is_fresh(demo_store, shop_id)
    for window in windows:
        first, last = whole_hours(window.start_utc, window.end_utc)
        assert first < last  # the rollup answers part of every view
        assert_same_as_raw(demo_store, window, shop_id)


def test_windows_that_start_and_end_inside_hours_add_the_edge_lines(hand_store):
    start = int(datetime(2026, 11, 20, 18, 0, 30, tzinfo=UTC).timestamp())
    for end_hour, end_minute in ((21, 1), (23, 59), (8, 31)):
        end_day = 20 if end_hour > 12 else 21
        end = int(datetime(2026, 11, end_day, end_hour, end_minute, tzinfo=UTC).timestamp())
        with read_connection(hand_store) as conn:
            window = Window(View.DAILY, start, end, TZ, date(2026, 11, 20),
                            date(2026, 11, 21), complete=True)
            assert core_kpis(conn, 1, window).as_dict() == raw_kpis(conn, 1, start, end)


def _changed_orders() -> list[OrderSpec]:
    """The hand orders a day later: one cancelled, one paid in another hour, one new."""
    orders = hand_orders()
    orders[0].status, orders[0].cancel_return_type = "Cancelled", "Cancel"
    orders[0].cancelled = datetime(2026, 11, 21, 9, 0)
    orders[2].paid = datetime(2026, 11, 21, 3, 45)  # from the 00:00 hour to the 03:00 hour
    orders.append(OrderSpec("576000000000000099", "Delivered", datetime(2026, 11, 21, 4, 0),
                            datetime(2026, 11, 21, 4, 5), [line("04", 2, 2500)],
                            buyer_username="dora", shipping_platform_discount_cents=99))
    return orders


def test_an_import_refreshes_the_hours_orders_leave_and_enter(hand_store, tmp_path):
    path = write_export(tmp_path, _changed_orders(), name="All order-2026-11-22-10_00.csv")
    report = import_file(hand_store, path, timezone=TZ)
    assert report.ok and report.records.updated >= 2 and report.records.new == 1
    assert_rollup_is_fresh(hand_store)
    with read_connection(hand_store) as conn:
        hours = {row[0] for row in conn.execute("SELECT hour_utc FROM rollup_hour")}
        old_hour = int(datetime(2026, 11, 21, 8, 0, tzinfo=UTC).timestamp())  # 00:30 PST
        assert old_hour not in hours  # the moved order's old hour has nothing left
    window = Window(View.PERIOD, int(datetime(2026, 11, 20, 8, tzinfo=UTC).timestamp()),
                    int(datetime(2026, 11, 22, 8, tzinfo=UTC).timestamp()), TZ,
                    date(2026, 11, 20), date(2026, 11, 21), complete=True)
    assert_same_as_raw(hand_store, window)


def test_a_reimport_changes_no_rollup(hand_store, tmp_path):
    with read_connection(hand_store) as conn:
        before = rollup_rows(conn, 1)
    import_file(hand_store, write_export(tmp_path, hand_orders()), timezone=TZ)
    with read_connection(hand_store) as conn:
        assert rollup_rows(conn, 1) == before


def test_a_direct_edit_of_the_lines_is_read_from_the_lines_until_the_next_import(
        hand_store, tmp_path):
    window = daily_window(date(2026, 11, 20), TZ, _now("2026-11-25T00:00:00+00:00"))
    with write_transaction(hand_store) as conn:
        conn.execute("UPDATE order_line SET gmv_cents = 0 WHERE order_id = '576000000000000001'")
        conn.execute("UPDATE order_line SET buyer_key = NULL WHERE paid_utc >= ? "
                     "AND paid_utc < ?", (window.start_utc, window.end_utc))
        stale = conn.execute("SELECT buyers FROM rollup_day_buyers WHERE day_start_utc = ?",
                             (window.start_utc,)).fetchone()[0]
    assert stale > 0  # the day's row still counts the buyers the edit removed
    week = Window(View.PERIOD, window.start_utc - 3 * 86400, window.end_utc + 3 * 86400, TZ,
                  date(2026, 11, 17), date(2026, 11, 23), complete=True)
    assert_same_as_raw(hand_store, week)  # the edited day's buyers come from the lines
    with read_connection(hand_store) as conn:
        assert conn.execute("SELECT COUNT(*) FROM rollup_dirty").fetchone()[0] >= 1
        assert core_kpis(conn, 1, window).gmv == raw_kpis(
            conn, 1, window.start_utc, window.end_utc)["gmv"]
    assert_same_as_raw(hand_store, window)
    other = [OrderSpec("576000000000000077", "Shipped", datetime(2026, 11, 23, 9, 0),
                       datetime(2026, 11, 23, 9, 1), [line("01", 1, 1299)])]
    assert import_file(hand_store, write_export(tmp_path, other, name="b.csv"),
                       timezone=TZ).ok
    with read_connection(hand_store) as conn:
        assert conn.execute("SELECT COUNT(*) FROM rollup_dirty").fetchone()[0] == 0
    assert_rollup_is_fresh(hand_store)
    assert_same_as_raw(hand_store, window)


@pytest.mark.parametrize("indexes_set_aside", [False, True])
def test_a_failed_import_leaves_the_rollup_its_triggers_and_indexes(hand_store, tmp_path,
                                                                    monkeypatch,
                                                                    indexes_set_aside):
    from campaign_core.store import orders_writer

    def schema(conn) -> list[tuple]:
        return [tuple(row) for row in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') "
            "ORDER BY name")]

    with read_connection(hand_store) as conn:
        before = rollup_rows(conn, 1)
        objects = schema(conn)

    def broken(*args, **kwargs):  # fails while triggers (and indexes) are set aside
        raise OverflowError("a value SQLite cannot store")

    monkeypatch.setattr(orders_writer, "_positional_insert", broken)
    if indexes_set_aside:  # as a load larger than the store would
        monkeypatch.setattr(orders_writer, "_BULK_LINES", 0)
        monkeypatch.setattr(orders_writer, "_stored_lines", lambda conn: 0)
    report = import_file(hand_store, write_export(tmp_path, _changed_orders(), name="c.csv"),
                         timezone=TZ)
    assert not report.ok
    with read_connection(hand_store) as conn:
        assert rollup_rows(conn, 1) == before
        assert schema(conn) == objects
        assert any(kind == "trigger" for kind, _, _ in objects)
        assert conn.execute("SELECT COUNT(*) FROM rollup_dirty").fetchone()[0] == 0


@pytest.mark.parametrize("instant, expected", [
    ((3600 * 10, 3600 * 12), (3600 * 10, 3600 * 12)),
    ((3600 * 10 + 1, 3600 * 12 - 1), (3600 * 11, 3600 * 11 + 0)),
    ((3600 * 10 + 1, 3600 * 11 + 5), (3600 * 11 + 5, 3600 * 11 + 5)),
])
def test_whole_hours(instant, expected):
    first, last = whole_hours(*instant)
    if expected[0] == expected[1]:
        assert first == last
    else:
        assert (first, last) == expected


def raw_product_sales(conn, shop_id: int, window: Window, costs) -> dict:
    params = {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc,
              "costs": json.dumps(costs)}
    return {(row["product_id"], row["sku_id"]): _sales_values(
                row["product_name"], row["gmv_cents"], row["units"], row["orders"],
                row["sku_orders"], row["refund_cents"], row["cost_cents"],
                row["lines_without_cost"] or 0)
            for row in conn.execute(_RAW_PRODUCT_SALES, params)}


def _sales_values(name, gmv, units, orders, sku_orders, refunds, cost, without_cost) -> tuple:
    return (name, gmv, units, orders, sku_orders, cents_to_amount(refunds), cost,
            without_cost)


def rollup_product_sales(conn, shop_id: int, window: Window, costs) -> dict:
    by_product, by_sku = products._sales(conn, shop_id, window, costs)
    found = {(product_id, None): sales for product_id, sales in by_product.items()}
    found.update(by_sku)
    return {key: _sales_values(s.name, s.gmv_cents, s.units, s.orders, s.sku_orders,
                               s.refund_cents, s.cost_cents, s.lines_without_cost)
            for key, s in found.items()}


def test_product_sales_from_rollups_equal_the_lines(demo_store):
    with read_connection(demo_store) as conn:
        shop_id = conn.execute("SELECT shop_id FROM shop ORDER BY shop_id").fetchone()[0]
        costs = products._cost_periods(conn, shop_id, TZ)
        assert costs  # the demo has unit costs, so the cost join is exercised
        for window in _demo_windows(conn):
            expected = raw_product_sales(conn, shop_id, window, costs)
            assert expected
            assert rollup_product_sales(conn, shop_id, window, costs) == expected
        # An odd window: starting and ending inside hours.
        start = _demo_windows(conn)[2].start_utc + 1234
        odd = Window(View.PERIOD, start, start + 3 * 86400 + 777, TZ, date(2026, 11, 20),
                     date(2026, 11, 23), complete=True)
        assert rollup_product_sales(conn, shop_id, odd, costs) == raw_product_sales(
            conn, shop_id, odd, costs)


def test_stock_cover_from_rollups_equals_the_lines(demo_store, monkeypatch):
    from campaign_core.forecast import stock_cover
    from campaign_core.store.campaigns import list_campaigns

    with read_connection(demo_store) as conn:
        shop_id = conn.execute("SELECT shop_id FROM shop ORDER BY shop_id").fetchone()[0]
        campaign = list_campaigns(conn)[0]
        for now in (_now(), _now("2026-11-26T08:15:42+00:00")):
            from_rollups = stock_cover.sku_cover(conn, shop_id, campaign, now)
            with monkeypatch.context() as patch:  # every hour dirty: the lines answer
                patch.setattr(stock_cover, "rollup_span", lambda conn, shop, start, end:
                              (end, end))
                from_lines = stock_cover.sku_cover(conn, shop_id, campaign, now)
            assert from_rollups == from_lines
            assert sum(cover.units_campaign for cover in from_rollups) > 1000


def test_pacing_and_hour_profile_from_rollups_equal_the_lines(demo_store, monkeypatch):
    from campaign_core.forecast import hour_profile, pacing
    from campaign_core.store.campaigns import list_campaigns

    def lines_only(conn, shop, start, end):  # every hour dirty: the lines answer
        return end, end

    with read_connection(demo_store) as conn:
        campaign = list_campaigns(conn)[0]
        for now in (_now(), _now("2026-11-26T08:15:42+00:00")):
            from_rollups = (pacing.campaign_pacing(conn, campaign, now),
                            hour_profile.hour_profile(conn, campaign.shop_id, TZ,
                                                      campaign.start_day))
            with monkeypatch.context() as patch:
                patch.setattr(pacing, "rollup_span", lines_only)
                patch.setattr(hour_profile, "rollup_span", lines_only)
                from_lines = (pacing.campaign_pacing(conn, campaign, now),
                              hour_profile.hour_profile(conn, campaign.shop_id, TZ,
                                                        campaign.start_day))
            assert from_rollups == from_lines
            assert from_rollups[0].gmv_so_far > 0 and from_rollups[1] is not None


def test_the_shop_product_cost_from_rollups_equals_the_lines(demo_store, monkeypatch):
    from campaign_core.profit import overview

    with read_connection(demo_store) as conn:
        shop_id = conn.execute("SELECT shop_id FROM shop ORDER BY shop_id").fetchone()[0]
        for window in _demo_windows(conn):
            from_rollups = overview._shop_product_cost(conn, shop_id, window)
            with monkeypatch.context() as patch:  # every hour dirty: the lines answer
                patch.setattr(overview, "rollup_span", lambda conn, shop, start, end:
                              (end, end))
                from_lines = overview._shop_product_cost(conn, shop_id, window)
            assert from_rollups == from_lines > 0


def test_operations_from_rollups_equal_the_lines(demo_store, monkeypatch):
    # The content mix reads the lines themselves (it places each line by its affiliate row).
    from campaign_core.metrics import content_mix, operations

    with read_connection(demo_store) as conn:
        shop_id = conn.execute("SELECT shop_id FROM shop ORDER BY shop_id").fetchone()[0]
        assert conn.execute("SELECT COUNT(*) FROM rollup_hour_order_kind "
                            "WHERE has_creator = 1").fetchone()[0] > 0
        for window in _demo_windows(conn):
            from_rollups = (content_mix.gmv_by_content(conn, shop_id, window),
                            operations.shop_operations(conn, shop_id, window))
            with monkeypatch.context() as patch:  # every hour dirty: the lines answer
                patch.setattr(operations, "rollup_span", lambda conn, shop, start, end:
                              (end, end))
                from_lines = (content_mix.gmv_by_content(conn, shop_id, window),
                              operations.shop_operations(conn, shop_id, window))
            assert from_rollups == from_lines
            assert from_rollups[0]
            # Today's orders (paid by 14:30) have not left yet; earlier days' have.
            moving = from_rollups[1].delivered + from_rollups[1].shipped
            assert moving > 0 or window.view is View.TODAY


def test_refreshing_order_kinds_looks_each_order_up_not_the_whole_shop(demo_store):
    """Each dirty hour's order reads its lines by paid time and key: without the paid time
    SQLite walked all the shop's lines per order (minutes on a million lines)."""
    from campaign_core.rollups import order_kinds

    with read_connection(demo_store) as conn:
        plan = [row[3] for row in conn.execute(
            "EXPLAIN QUERY PLAN " + order_kinds._DIRTY_HOURS, {"shop_id": 1})]
    line_searches = [step for step in plan if " l " in f" {step} "]
    assert line_searches and all("order_id=?" in step for step in line_searches), plan


def test_migrating_a_v8_store_with_orders_fills_the_v9_rollups_as_imports_keep_them(
        hand_store):
    import sqlite3

    from campaign_core.store.schema import SCHEMA_VERSION, migrate

    with read_connection(hand_store) as conn:
        kept = rollup_rows(conn, 1)
    assert any(len(row) == 8 for row in kept)  # order kinds are there to compare
    conn = sqlite3.connect(hand_store, isolation_level=None)
    try:
        conn.execute("DROP TABLE rollup_day_buyers")
        conn.execute("DROP TABLE rollup_hour_order_kind")
        conn.execute("PRAGMA user_version = 8")
        assert migrate(conn) == SCHEMA_VERSION
    finally:
        conn.close()
    with read_connection(hand_store) as conn:
        assert rollup_rows(conn, 1) == kept
