"""The rollups added for the second round of page speed equal the direct SQL over the order
lines: on the demo store, after an incremental import that changes orders, after a replay
copy, and on a store migrated from before they existed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

from campaign_core.importers.pipeline import import_file
from campaign_core.rollups.day_skus import day_span
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.replay import build_replay
from campaign_core.store.schema import SCHEMA_VERSION, migrate
from campaign_core.windows import local_day_of, local_midnight_utc
from tests.conftest import TZ, write_export
from tests.test_rollups import _changed_orders

_RAW_DAY_SKUS = """
SELECT product_id, sku_id, MAX(product_name), SUM(gmv_cents), SUM(quantity),
       COUNT(DISTINCT order_id), COUNT(*)
FROM order_line
WHERE shop_id = :shop_id AND is_sample = 0 AND paid_utc >= :start AND paid_utc < :end
GROUP BY product_id, sku_id
"""
_RAW_DAY_PRODUCTS = """
SELECT product_id, COUNT(DISTINCT order_id) FROM order_line
WHERE shop_id = :shop_id AND is_sample = 0 AND paid_utc >= :start AND paid_utc < :end
GROUP BY product_id
"""


def _days(conn, shop_id: int) -> list[tuple[int, int]]:
    first, last = conn.execute("SELECT MIN(paid_utc), MAX(paid_utc) FROM order_line "
                               "WHERE shop_id = ? AND is_sample = 0", (shop_id,)).fetchone()
    day, end = local_day_of(first, TZ), local_day_of(last, TZ)
    return [(local_midnight_utc(day + timedelta(days=n), TZ),
             local_midnight_utc(day + timedelta(days=n + 1), TZ))
            for n in range((end - day).days + 1)]


def assert_day_rollups_equal_the_lines(db, shop_id: int = 1) -> None:
    with read_connection(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM rollup_dirty").fetchone()[0] == 0
        expected_skus, expected_products = set(), set()
        for start, end in _days(conn, shop_id):
            params = {"shop_id": shop_id, "start": start, "end": end}
            expected_skus |= {(start, end, *row) for row in conn.execute(_RAW_DAY_SKUS, params)}
            expected_products |= {(start, end, *row)
                                  for row in conn.execute(_RAW_DAY_PRODUCTS, params)}
        found_skus = {tuple(row) for row in conn.execute(
            "SELECT day_start_utc, day_end_utc, product_id, sku_id, product_name, gmv_cents, "
            "units, sku_orders, lines FROM rollup_day_sku WHERE shop_id = ?", (shop_id,))}
        found_products = {tuple(row) for row in conn.execute(
            "SELECT day_start_utc, day_end_utc, product_id, orders FROM rollup_day_product "
            "WHERE shop_id = ?", (shop_id,))}
    assert expected_skus and found_skus == expected_skus
    assert expected_products and found_products == expected_products


def test_the_demo_day_rollups_equal_the_lines(demo_store):
    with read_connection(demo_store) as conn:
        shop_id = conn.execute("SELECT shop_id FROM shop ORDER BY shop_id").fetchone()[0]
    assert_day_rollups_equal_the_lines(demo_store, shop_id)


def test_an_import_that_changes_orders_keeps_the_day_rollups(hand_store, tmp_path):
    assert_day_rollups_equal_the_lines(hand_store)
    path = write_export(tmp_path, _changed_orders(), name="All order-2026-11-22-10_00.csv")
    report = import_file(hand_store, path, timezone=TZ)
    assert report.ok and report.records.updated >= 2 and report.records.new == 1
    assert_day_rollups_equal_the_lines(hand_store)


def test_a_replay_copy_has_its_own_day_rollups(hand_store, tmp_path):
    path = write_export(tmp_path, _changed_orders(), name="All order-2026-11-22-10_00.csv")
    assert import_file(hand_store, path, timezone=TZ).ok
    with write_transaction(hand_store) as conn:  # the second import came a day later
        conn.execute("UPDATE import_log SET started_utc = started_utc + 86400 "
                     "WHERE import_id = (SELECT MAX(import_id) FROM import_log)")
    with read_connection(hand_store) as conn:
        first_import = conn.execute("SELECT MIN(started_utc) FROM import_log").fetchone()[0]
    copy = tmp_path / "replay.db"
    build_replay(hand_store, first_import + 60, copy)
    assert_day_rollups_equal_the_lines(copy)
    with read_connection(copy) as conn, read_connection(hand_store) as now:
        # The copy lost the later import's new order, so its days differ from the store's.
        assert conn.execute("SELECT SUM(lines) FROM rollup_day_sku").fetchone()[0] < \
            now.execute("SELECT SUM(lines) FROM rollup_day_sku").fetchone()[0]


def test_migrating_a_store_from_before_fills_the_day_rollups(hand_store):
    conn = sqlite3.connect(hand_store, isolation_level=None)
    try:
        conn.execute("DROP TABLE rollup_day_sku")
        conn.execute("DROP TABLE rollup_day_product")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
        assert migrate(conn) == SCHEMA_VERSION
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")  # again: idempotent
        assert migrate(conn) == SCHEMA_VERSION
    finally:
        conn.close()
    assert_day_rollups_equal_the_lines(hand_store)


def test_a_changed_timezone_rebuilds_the_day_rollups(hand_store):
    from campaign_core.store.shops import find_shop, update_shop

    with write_transaction(hand_store) as conn:
        shop = conn.execute("SELECT name, currency FROM shop WHERE shop_id = 1").fetchone()
        update_shop(conn, 1, name=shop[0], timezone="America/New_York", currency=shop[1])
        assert find_shop(conn, shop[0]).timezone == "America/New_York"
    with read_connection(hand_store) as conn:
        starts = {row[0] for row in conn.execute("SELECT day_start_utc FROM rollup_day_sku")}
        assert starts and all(
            local_midnight_utc(local_day_of(start, "America/New_York"), "America/New_York")
            == start for start in starts)


def test_day_span_keeps_to_whole_local_days_of_the_shop(hand_store):
    nov20 = local_midnight_utc(date(2026, 11, 20), TZ)
    nov23 = local_midnight_utc(date(2026, 11, 23), TZ)
    with read_connection(hand_store) as conn:
        assert day_span(conn, 1, nov20, nov23, TZ) == (nov20, nov23)
        assert day_span(conn, 1, nov20 + 3600, nov23 + 7200, TZ) == (
            nov20 + 86400, nov23)
        assert day_span(conn, 1, nov20 + 3600, nov20 + 7200, TZ) == (nov20 + 7200,) * 2
        assert day_span(conn, 1, nov20, nov23, "Asia/Tokyo") == (nov23, nov23)
        assert day_span(conn, 1, nov23, nov20, TZ) == (nov20, nov20)
    assert datetime.fromtimestamp(nov20, UTC).hour == 8  # midnight in Los Angeles


def test_the_content_mix_from_the_rollup_equals_the_lines(demo_store, monkeypatch):
    from campaign_core.metrics import content_mix
    from campaign_core.store.campaigns import list_campaigns
    from campaign_core.windows import daily_window, period_window, today_window
    from tests.test_rollups import _now

    with read_connection(demo_store) as conn:
        shop_id = conn.execute("SELECT shop_id FROM shop ORDER BY shop_id").fetchone()[0]
        # The demo places lines by affiliate rows, linked accounts and own LIVEs.
        assert conn.execute("SELECT COUNT(*) FROM affiliate_line").fetchone()[0] > 0
        assert conn.execute("SELECT COUNT(*) FROM linked_account").fetchone()[0] > 0
        assert conn.execute("SELECT COUNT(*) FROM rollup_hour_attribution "
                            "WHERE aff_kind IS NOT NULL").fetchone()[0] > 0
        campaign = list_campaigns(conn)[0]
        now = _now()
        windows = [today_window(now, TZ), daily_window(date(2026, 11, 21), TZ, now),
                   period_window(campaign.start_day, campaign.end_day, TZ, now)]
        for window in windows:
            from_rollup = content_mix.gmv_by_content(conn, shop_id, window)
            with monkeypatch.context() as patch:  # every hour dirty: the lines answer
                patch.setattr(content_mix, "rollup_span", lambda conn, shop, start, end:
                              (end, end))
                from_lines = content_mix.gmv_by_content(conn, shop_id, window)
            assert from_rollup == from_lines
            assert from_rollup or window.view.value == "today"


def test_an_affiliate_line_written_refreshes_its_hour_of_the_content_mix(hand_store,
                                                                            tmp_path):
    from tests.test_rollups import assert_rollup_is_fresh

    with write_transaction(hand_store) as conn:
        order_id, sku_id, paid = conn.execute(
            "SELECT order_id, sku_id, paid_utc FROM order_line WHERE paid_utc IS NOT NULL "
            "AND is_sample = 0 ORDER BY paid_utc LIMIT 1").fetchone()
        conn.execute("INSERT INTO affiliate_line (shop_id, order_id, sku_id, creator, "
                     "content_kind) VALUES (1, ?, ?, '@Someone', 'video')", (order_id, sku_id))
        assert [tuple(row) for row in conn.execute("SELECT hour_utc FROM rollup_dirty")] == [
            (paid // 3600 * 3600,)]
    path = write_export(tmp_path, _changed_orders(), name="All order-2026-11-22-10_00.csv")
    assert import_file(hand_store, path, timezone=TZ).ok
    assert_rollup_is_fresh(hand_store)
    with read_connection(hand_store) as conn:
        assert [tuple(row) for row in conn.execute(
            "SELECT aff_handle FROM rollup_hour_attribution WHERE aff_kind = 'video'")] == [
            ("someone",)]


def test_the_projection_band_from_the_rollup_equals_the_lines(demo_store, monkeypatch):
    from campaign_core.forecast import band
    from campaign_core.store.campaigns import list_campaigns
    from tests.test_rollups import _now

    with read_connection(demo_store) as conn:
        campaign = list_campaigns(conn)[0]
        for now in (_now(), _now("2026-11-26T08:15:42+00:00")):
            from_rollup = (band.campaign_band(conn, campaign, now),
                           band.campaign_days_so_far(conn, campaign, now),
                           band.hourly_by_day(conn, campaign.shop_id, TZ, date(2026, 11, 1),
                                              date(2026, 11, 26), int(now.timestamp())))
            with monkeypatch.context() as patch:  # every hour dirty: the lines answer
                patch.setattr(band, "rollup_span", lambda conn, shop, start, end: (end, end))
                from_lines = (band.campaign_band(conn, campaign, now),
                              band.campaign_days_so_far(conn, campaign, now),
                              band.hourly_by_day(conn, campaign.shop_id, TZ,
                                                 date(2026, 11, 1), date(2026, 11, 26),
                                                 int(now.timestamp())))
            assert from_rollup == from_lines
            assert from_rollup[0] is not None and sum(g for _, g in from_rollup[1]) > 0


def test_product_gmv_of_a_holdout_plan_from_the_rollups_equals_the_lines(demo_store,
                                                                         monkeypatch):
    from campaign_core.experiments import holdout_store

    with read_connection(demo_store) as conn:
        shop_id = conn.execute("SELECT shop_id FROM shop ORDER BY shop_id").fetchone()[0]
        products = [row[0] for row in conn.execute(
            "SELECT DISTINCT product_id FROM order_line WHERE shop_id = ?", (shop_id,))]
        start = local_midnight_utc(date(2026, 10, 29), TZ)
        windows = [holdout_store._window(date(2026, 10, 29), date(2026, 11, 25), TZ)]
        from campaign_core.windows import View, Window
        windows.append(Window(View.PERIOD, start + 1800, start + 9 * 86400 + 5400, TZ,
                              date(2026, 10, 29), date(2026, 11, 7), complete=True))
        for window in windows:
            from_rollups = holdout_store._product_daily_gmv(conn, shop_id, window, products, 28)
            with monkeypatch.context() as patch:  # every hour dirty: the lines answer
                patch.setattr(holdout_store, "rollup_span", lambda conn, shop, start, end:
                              (end, end))
                from_lines = holdout_store._product_daily_gmv(conn, shop_id, window, products,
                                                              28)
            assert from_rollups == from_lines and sum(from_rollups.values()) > 0


def test_portfolio_days_from_the_rollup_equal_the_lines(demo_store, monkeypatch):
    from campaign_core.portfolio import daily
    from campaign_core.windows import View, Window

    with read_connection(demo_store) as conn:
        shop_id = conn.execute("SELECT shop_id FROM shop ORDER BY shop_id").fetchone()[0]
        start = local_midnight_utc(date(2026, 11, 10), TZ)
        windows = [Window(View.PERIOD, start, start + 17 * 86400 - 1234, TZ, date(2026, 11, 10),
                          date(2026, 11, 26), complete=False),
                   Window(View.PERIOD, start + 1800, start + 3 * 86400, "Asia/Kolkata",
                          date(2026, 11, 10), date(2026, 11, 13), complete=True)]
        for window in windows:
            from_rollup = daily.daily_money(conn, shop_id, window)
            with monkeypatch.context() as patch:  # every hour dirty: the lines answer
                patch.setattr(daily, "rollup_span", lambda conn, shop, start, end: (end, end))
                from_lines = daily.daily_money(conn, shop_id, window)
            assert from_rollup == from_lines
            assert sum(day.cents["gmv"] for day in from_rollup) > 0
