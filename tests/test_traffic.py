"""The traffic-by-channel template importer and the traffic metrics (shares, CTR, CTOR)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from campaign_core.importers.pipeline import import_file
from campaign_core.metrics.traffic import (
    SOURCE_PRODUCT_ANALYTICS,
    SOURCE_TEMPLATE,
    traffic_by_channel,
    traffic_report,
)
from campaign_core.store import read_connection
from campaign_core.windows import daily_window, period_window
from tests.marketing_files import TRAFFIC_HEADER, write_csv

TZ = "America/Los_Angeles"
NOW = datetime(2026, 12, 5, tzinfo=UTC)


def template_rows() -> list[list[object]]:
    return [TRAFFIC_HEADER,
            ["2026-11-20", "", "LIVE", "1,000", "100", "800", "90", "10"],
            ["2026-11-20", "", "Video", "3000", "150", "2500", "140", "12"],
            ["2026-11-20", "", "All", "4000", "--", "3000", "200", "22"],
            ["2026-11-21", "", "Livestream", "1000", "50", "700", "45", "5"],
            ["2026-11-21", "", "Video", "1000", "100", "900", "95", "8"]]


@pytest.fixture
def traffic_store(tmp_path):
    db = tmp_path / "s.db"
    report = import_file(db, write_csv(tmp_path / "traffic.csv", template_rows()), timezone=TZ)
    assert report.kind == "traffic_channels", report.message
    return db


def test_template_rows_are_stored_by_day_hour_and_channel(traffic_store):
    with read_connection(traffic_store) as conn:
        stored = conn.execute("SELECT day, hour, channel, impressions, clicks, unique_reach "
                              "FROM traffic_channel ORDER BY day, channel").fetchall()
    assert [tuple(r) for r in stored] == [
        ("2026-11-20", None, "all", 4000, None, 3000),
        ("2026-11-20", None, "live", 1000, 100, 800),
        ("2026-11-20", None, "video", 3000, 150, 2500),
        ("2026-11-21", None, "live", 1000, 50, 700),
        ("2026-11-21", None, "video", 1000, 100, 900)]


def test_reimport_is_unchanged_and_a_corrected_row_updates(tmp_path, traffic_store):
    again = import_file(traffic_store, write_csv(tmp_path / "t2.csv", template_rows()),
                        timezone=TZ)
    assert (again.records.new, again.records.updated, again.records.unchanged) == (0, 0, 5)
    corrected = template_rows()
    corrected[1][3] = "1,100"
    fixed = import_file(traffic_store, write_csv(tmp_path / "t3.csv", corrected), timezone=TZ)
    assert (fixed.records.updated, fixed.records.unchanged) == (1, 4)
    with read_connection(traffic_store) as conn:
        assert conn.execute("SELECT COUNT(*), SUM(impressions) FROM traffic_channel "
                            "WHERE channel = 'live'").fetchone()[:] == (2, 2100)


def test_period_shares_ctr_and_ctor_by_hand(traffic_store):
    window = period_window(date(2026, 11, 20), date(2026, 11, 21), TZ, NOW)
    with read_connection(traffic_store) as conn:
        result = traffic_by_channel(conn, 1, window)
    assert result.source == SOURCE_TEMPLATE
    # video 4000 of 6000 impressions (the All row is not a channel); clicks 250, orders 20
    # channel as the file writes it (LIVE and Livestream are one channel, live)
    assert traffic_report(result) == [
        {"channel": "Video", "channel_key": "video", "impressions": 4000,
         "impression_share_pct": 66.6667, "clicks": 250, "ctr": 6.25, "sku_orders": 20,
         "ctor": 8.0},
        {"channel": "Livestream", "channel_key": "live", "impressions": 2000,
         "impression_share_pct": 33.3333, "clicks": 150, "ctr": 7.5, "sku_orders": 15,
         "ctor": 10.0}]
    assert ("2026-11-21", "Livestream", 50.0) in result.daily_shares


def test_hour_rows_count_inside_the_window_unless_the_day_has_a_day_row(tmp_path):
    db = tmp_path / "s.db"
    data = [TRAFFIC_HEADER,
            ["2026-11-22", "9", "LIVE", "100", "10", "", "", "1"],
            ["2026-11-22", "10:00", "LIVE", "300", "30", "", "", "3"],
            ["2026-11-22 11:00", "", "Video", "600", "6", "", "", "0"],
            ["2026-11-23", "9", "LIVE", "999", "99", "", "", "9"],
            ["2026-11-23", "", "LIVE", "50", "5", "", "", "1"]]
    assert import_file(db, write_csv(tmp_path / "h.csv", data), timezone=TZ).rows_stored == 5
    # Today view at 10:30 on Nov 22: the 9:00 and 10:00 hours only
    now = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)
    with read_connection(db) as conn:
        today = traffic_by_channel(conn, 1, daily_window(date(2026, 11, 22), TZ, now))
        nov23 = traffic_by_channel(conn, 1, daily_window(date(2026, 11, 23), TZ, NOW))
    assert [(c.channel, c.impressions) for c in today.channels] == [("live", 400)]
    assert [(c.channel, c.impressions, c.clicks) for c in nov23.channels] == [("live", 50, 5)]


def test_without_a_template_product_analytics_gives_shop_tab_and_other(tmp_path):
    db = tmp_path / "s.db"
    data = [["Date range: 2026-11-20 ~ 2026-11-20"],
            ["Product ID", "Product Name", "GMV", "Product impressions", "Product clicks",
             "SKU orders", "Shop tab product impressions", "Shop tab product clicks"],
            ["1730000000000000001", "Serum", "$100.00", "1,000", "50", "5", "200", "20"],
            ["1730000000000000002", "Mask", "$50.00", "1000", "30", "2", "--", "--"]]
    assert import_file(db, write_csv(tmp_path / "pa.csv", data), timezone=TZ).ok
    window = daily_window(date(2026, 11, 20), TZ, NOW)
    with read_connection(db) as conn:
        result = traffic_by_channel(conn, 1, window)
    assert result.source == SOURCE_PRODUCT_ANALYTICS
    assert [(c.channel, c.impressions, c.impression_share_pct, c.clicks, c.ctr)
            for c in result.channels] == [("other", 1800, 90.0, 60, 3.3333),
                                          ("shop_tab", 200, 10.0, 20, 10.0)]


def test_no_traffic_data_gives_an_empty_result(tmp_path):
    db = tmp_path / "s.db"
    import_file(db, write_csv(tmp_path / "t.csv", template_rows()), timezone=TZ)
    with read_connection(db) as conn:
        result = traffic_by_channel(conn, 1, daily_window(date(2026, 12, 1), TZ, NOW))
    assert result.source is None and result.channels == ()


def test_bad_counts_quarantine_their_row(tmp_path):
    data = template_rows()
    data[2][4] = "many"
    data[3][2] = ""
    report = import_file(tmp_path / "s.db", write_csv(tmp_path / "t.csv", data), timezone=TZ)
    assert (report.rows_stored, report.rows_quarantined) == (3, 2)
    assert {(p.file_line, p.column) for p in report.problems} == {(3, "Clicks"),
                                                                   (4, "Channel")}


def test_the_downloadable_template_imports_cleanly(tmp_path):
    from campaign_core.templates import TEMPLATES

    path = tmp_path / "traffic_template.csv"
    path.write_bytes(TEMPLATES["traffic_channels"].build())
    report = import_file(tmp_path / "s.db", path, timezone=TZ)
    assert report.kind == "traffic_channels"
    assert (report.rows_stored, report.rows_quarantined) == (4, 0)
