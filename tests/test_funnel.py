"""The funnel: daily distinct counts averaged over the window's days with traffic data."""

from __future__ import annotations

from datetime import UTC, date, datetime

from campaign_core.importers.pipeline import import_file
from campaign_core.metrics.funnel import funnel_report, shopper_funnel
from campaign_core.store import read_connection
from campaign_core.windows import daily_window, period_window
from tests.marketing_files import TRAFFIC_HEADER, write_csv

TZ = "America/Los_Angeles"
NOW = datetime(2026, 12, 5, tzinfo=UTC)


def add_traffic(db, tmp_path, rows):
    report = import_file(db, write_csv(tmp_path / "traffic.csv", [TRAFFIC_HEADER, *rows]),
                         timezone=TZ)
    assert report.ok, report.message


def test_funnel_averages_by_hand(hand_store, tmp_path):
    # hand orders: Nov 20 buyers amy and bob (creator_one's order is a sample); Nov 21 amy.
    add_traffic(hand_store, tmp_path, [
        ["2026-11-20", "", "All", "9000", "", "1000", "100", ""],
        ["2026-11-20", "", "LIVE", "5000", "", "700", "60", ""],
        ["2026-11-21", "", "LIVE", "3000", "", "400", "30", ""],
        ["2026-11-21", "", "Video", "3000", "", "200", "20", ""]])
    window = period_window(date(2026, 11, 20), date(2026, 11, 21), TZ, NOW)
    with read_connection(hand_store) as conn:
        funnel = shopper_funnel(conn, 1, window)
    # Nov 20 uses its All row; Nov 21 sums its channels (400 + 200, 30 + 20).
    assert funnel_report(funnel) == {
        "avg_unique_reach": 800, "avg_unique_clicks": 75, "avg_daily_customers": 2,
        "click_rate": 9.375, "order_rate": 2.0, "days": 2, "source": "traffic template"}
    assert funnel.biggest_drop() == ("clicks to customers", 2.0)


def test_only_days_with_traffic_data_are_averaged(hand_store, tmp_path):
    add_traffic(hand_store, tmp_path, [["2026-11-21", "", "All", "10", "", "50", "10", ""]])
    window = period_window(date(2026, 11, 20), date(2026, 11, 21), TZ, NOW)
    with read_connection(hand_store) as conn:
        funnel = shopper_funnel(conn, 1, window)
    assert [day.day for day in funnel.days] == ["2026-11-21"]
    assert (funnel.avg_unique_reach, funnel.avg_daily_customers, funnel.order_rate) == (
        50.0, 1.0, 10.0)


def test_without_traffic_data_customers_average_over_the_window_days(hand_store):
    window = period_window(date(2026, 11, 20), date(2026, 11, 21), TZ, NOW)
    with read_connection(hand_store) as conn:
        funnel = shopper_funnel(conn, 1, window)
    assert funnel.source is None
    # 1.5 customers a day is shown as 2 (whole people, half up).
    assert (funnel.avg_unique_reach, funnel.avg_daily_customers, funnel.click_rate) == (
        None, 2, None)


def test_product_analytics_per_day_rows_feed_the_funnel(hand_store, tmp_path):
    data = [["Date", "Product ID", "GMV", "Product impressions", "Product clicks",
             "Unique product impressions", "Unique clicks"],
            ["2026-11-20", "1730000000000000001", "$10.00", "500", "40", "300", "30"],
            ["2026-11-20", "1730000000000000002", "$10.00", "500", "40", "100", "10"]]
    assert import_file(hand_store, write_csv(tmp_path / "pa.csv", data), timezone=TZ).ok
    with read_connection(hand_store) as conn:
        funnel = shopper_funnel(conn, 1, daily_window(date(2026, 11, 20), TZ, NOW))
    assert (funnel.source, funnel.avg_unique_reach, funnel.avg_unique_clicks,
            funnel.avg_daily_customers) == ("product analytics", 400.0, 40.0, 2.0)
    assert funnel.order_rate == 5.0


def test_averages_of_people_are_whole_people_rounded_half_up(hand_store, tmp_path):
    # Reach 1000 + 2001 = 3001 over 2 days = 1500.5 -> 1501; clicks 101 + 100 = 100.5 -> 101;
    # customers 2 + 1 = 1.5 -> 2. Rates stay exact (from the unrounded totals).
    add_traffic(hand_store, tmp_path, [
        ["2026-11-20", "", "All", "9000", "", "1000", "101", ""],
        ["2026-11-21", "", "All", "9000", "", "2001", "100", ""]])
    window = period_window(date(2026, 11, 20), date(2026, 11, 21), TZ, NOW)
    with read_connection(hand_store) as conn:
        funnel = shopper_funnel(conn, 1, window)
    averages = (funnel.avg_unique_reach, funnel.avg_unique_clicks, funnel.avg_daily_customers)
    assert averages == (1501, 101, 2)
    assert all(type(value) is int for value in averages)
    assert funnel.order_rate == round(3 / 201 * 100, 4)
