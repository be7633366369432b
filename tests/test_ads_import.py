"""Ad report importers on files in TikTok's layouts: GMV Max campaign and creative reports,
Ads Manager custom reports By Day and by hour."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_core.importers.pipeline import import_file
from campaign_core.store import read_connection
from tests.marketing_files import (
    ADS_MANAGER_HEADER,
    GMV_MAX_CAMPAIGN_HEADER,
    GMV_MAX_CREATIVE_HEADER,
    campaign_report_name,
    write_csv,
    write_xlsx,
)

TZ = "America/Los_Angeles"


def rows(db: Path, sql: str) -> list[tuple]:
    with read_connection(db) as conn:
        return [tuple(row) for row in conn.execute(sql)]


def campaign_rows() -> list[list[object]]:
    return [GMV_MAX_CAMPAIGN_HEADER,
            ["Glow Max", "1801000000000000001\t", "$1,234.56", "$1,200.00", "40", "$30.86",
             "$3,703.68", "3.00", "USD"],
            ["LIVE Max", "1801000000000000002", "250", "--", "--", "--", "0", "0.00", "USD"],
            ["Total", "--", "$1,484.56", "", "40", "", "$3,703.68", "", ""]]


def test_gmv_max_campaign_report_reads_the_period_from_the_file_name(tmp_path):
    db = tmp_path / "s.db"
    path = write_xlsx(tmp_path / campaign_report_name("2026-11-20", "2026-11-26"),
                      campaign_rows())
    report = import_file(db, path, timezone=TZ)
    assert report.kind == "gmv_max_campaign", report.message
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (2, 2, 0)
    assert rows(db, "SELECT account_id, campaign_id, period_start, period_end, cost_cents, "
                    "net_cost_cents, sku_orders, gross_revenue_cents, currency "
                    "FROM ad_campaign_period ORDER BY campaign_id") == [
        ("", "1801000000000000001", "2026-11-20", "2026-11-26", 123456, 120000, 40, 370368,
         "USD"),
        ("", "1801000000000000002", "2026-11-20", "2026-11-26", 25000, None, None, 0, "USD")]


def test_gmv_max_campaign_csv_with_bom_and_preamble_period(tmp_path):
    db = tmp_path / "s.db"
    path = write_csv(tmp_path / "campaigns.csv",
                     [["Date range: 2026-11-21 ~ 2026-11-22"], *campaign_rows()[:2]])
    report = import_file(db, path, timezone=TZ)
    assert report.ok, report.message
    assert rows(db, "SELECT period_start, period_end FROM ad_campaign_period") == [
        ("2026-11-21", "2026-11-22")]


def test_a_period_report_without_a_period_is_rejected_with_a_reason(tmp_path):
    db = tmp_path / "s.db"
    report = import_file(db, write_csv(tmp_path / "report.csv", campaign_rows()), timezone=TZ)
    assert not report.ok
    assert "period is missing" in report.message


def test_reimporting_the_same_report_changes_nothing(tmp_path):
    db = tmp_path / "s.db"
    path = write_xlsx(tmp_path / campaign_report_name("2026-11-20", "2026-11-26"),
                      campaign_rows())
    first = import_file(db, path, timezone=TZ)
    second = import_file(db, path, timezone=TZ)
    assert first.records.new == 2
    assert (second.records.new, second.records.updated, second.records.unchanged) == (0, 0, 2)
    assert rows(db, "SELECT COUNT(*) FROM ad_campaign_period") == [(2,)]


def test_an_unreadable_cost_quarantines_its_row_with_line_column_value_reason(tmp_path):
    db = tmp_path / "s.db"
    data = campaign_rows()
    data[2][2] = "twelve"
    path = write_xlsx(tmp_path / campaign_report_name("2026-11-20", "2026-11-26"), data)
    report = import_file(db, path, timezone=TZ)
    assert (report.rows_stored, report.rows_quarantined) == (1, 1)
    assert rows(db, "SELECT file_line, column_name, raw_value FROM quarantine") == [
        (3, "Cost", "twelve")]


def test_gmv_max_creative_report_keeps_video_account_and_spend(tmp_path):
    db = tmp_path / "s.db"
    data = [GMV_MAX_CREATIVE_HEADER,
            ["Glow Max", "1801000000000000001", "1730000000000000001", "Video", "Routine",
             "7400000000000000001", "glowwithmia", "2026-11-19 18:00:00", "Delivering",
             "Authorized", "$120.50", "12", "$10.04", "$480.00", "3.98", "12,000", "216",
             "1.80%", "4.11%", "USD"],
            ["Glow Max", "1801000000000000001", "1730000000000000001", "Product card", "",
             "--", "--", "--", "Delivering", "--", "$30.00", "3", "$10.00", "$75.00", "2.50",
             "3,000", "40", "1.33%", "--", "USD"]]
    path = write_xlsx(tmp_path / "Glow TikTok Shop-Creative Report(2026-11-20 to "
                                 "2026-11-26).xlsx", data)
    report = import_file(db, path, timezone=TZ)
    assert report.kind == "gmv_max_creative", report.message
    assert report.rows_stored == 2
    assert rows(db, "SELECT shop_id, video_id, tiktok_account, cost_cents, currency, "
                    "period_start, period_end, impressions, clicks FROM ad_creative_period "
                    "ORDER BY video_id DESC") == [
        (1, "7400000000000000001", "glowwithmia", 12050, "USD", "2026-11-20", "2026-11-26",
         12000, 216),
        (1, "", None, 3000, "USD", "2026-11-20", "2026-11-26", 3000, 40)]


def ads_manager_rows(day_cells=("2026-11-20", "2026-11-21")) -> list[list[object]]:
    return [["Advertiser: Glow Ads (7301234567890123)"],
            ADS_MANAGER_HEADER,
            [day_cells[0], "Retargeting", "1802000000000000001", "Ad A", "1803000000000000001",
             "$10.00", "1,000", "20", "2", "$40.00", "5", "3", "30", "2", "USD"],
            [day_cells[1], "Retargeting", "1802000000000000001", "Ad A", "1803000000000000001",
             "$5.50", "500", "10", "1", "$20.00", "--", "--", "--", "--", "USD"],
            ["Total of 2 results", "", "", "", "", "$15.50", "1,500", "30", "3", "$60.00",
             "", "", "", "", ""]]


def test_ads_manager_by_day_names_its_account_from_the_preamble(tmp_path):
    db = tmp_path / "s.db"
    report = import_file(db, write_csv(tmp_path / "custom report.csv", ads_manager_rows()),
                         timezone=TZ)
    assert report.kind == "ads_manager", report.message
    assert (report.rows_read, report.rows_stored) == (2, 2)
    assert rows(db, "SELECT account_id, name, currency FROM ad_account") == [
        ("7301234567890123", "Glow Ads", "USD")]
    assert rows(db, "SELECT day, hour, row_key, cost_cents, impressions, clicks, purchases, "
                    "gross_revenue_cents, adds_to_cart FROM ad_day ORDER BY day") == [
        ("2026-11-20", None, "ad:1803000000000000001", 1000, 1000, 20, 2, 4000, 5),
        ("2026-11-21", None, "ad:1803000000000000001", 550, 500, 10, 1, 2000, None)]


def test_ads_manager_hourly_rows_keep_their_hour_in_shop_time(tmp_path):
    db = tmp_path / "s.db"
    data = ads_manager_rows(("2026-11-20 13:00", "11/20/2026 02:00 PM"))
    import_file(db, write_csv(tmp_path / "hourly.csv", data), timezone=TZ)
    # 13:00 PST = 21:00 UTC
    assert rows(db, "SELECT day, hour, start_utc FROM ad_day ORDER BY hour") == [
        ("2026-11-20", 13, 1795208400), ("2026-11-20", 14, 1795212000)]


def test_ads_manager_report_is_not_taken_for_a_gmv_max_campaign_report(tmp_path):
    data = [["By Day", "Campaign name", "Campaign ID", "Cost", "Gross revenue"],
            ["2026-11-20", "Shop Ads", "1802000000000000009", "$10.00", "$30.00"]]
    report = import_file(tmp_path / "s.db", write_csv(tmp_path / "r.csv", data), timezone=TZ)
    assert report.kind == "ads_manager"
    assert rows(tmp_path / "s.db", "SELECT row_key, cost_cents FROM ad_day") == [
        ("campaign:1802000000000000009", 1000)]


@pytest.mark.parametrize("bad_day", ["2026-13-40", "yesterday"])
def test_an_unreadable_day_is_quarantined(tmp_path, bad_day):
    data = ads_manager_rows((bad_day, "2026-11-21"))
    report = import_file(tmp_path / "s.db", write_csv(tmp_path / "r.csv", data), timezone=TZ)
    assert (report.rows_stored, report.rows_quarantined) == (1, 1)
    assert report.problems[0].column == "By Day"
    assert report.problems[0].file_line == 3


def test_utf16_tab_separated_ads_manager_report(tmp_path):
    path = write_csv(tmp_path / "r.txt", ads_manager_rows()[1:4], encoding="utf-16",
                     delimiter="\t")
    report = import_file(tmp_path / "s.db", path, timezone=TZ)
    assert report.ok, report.message
    assert report.rows_stored == 2


def test_a_creative_report_with_videos_but_no_product_column(tmp_path):
    data = [["Campaign name", "Campaign ID", "Video ID", "TikTok account", "Cost",
             "Gross revenue", "Currency"],
            ["LIVE Max", "1801000000000000003", "7400000000000000009", "@glow", "$5.00",
             "$12.00", "USD"]]
    path = write_csv(tmp_path / "Creative Report(2026-11-20 to 2026-11-20).csv", data)
    report = import_file(tmp_path / "s.db", path, timezone=TZ)
    assert report.kind == "gmv_max_creative", report.message
    assert rows(tmp_path / "s.db", "SELECT product_id, video_id, tiktok_account, cost_cents "
                                   "FROM ad_creative_period") == [
        ("", "7400000000000000009", "@glow", 500)]


def test_xlsx_by_hour_cells_keep_midnight_as_hour_zero(tmp_path):
    from datetime import datetime

    data = [["By Hour", "Ad group ID", "Cost", "Gross revenue (Shop)"],
            [datetime(2026, 11, 20, 0, 0), "1802000000000000001", "$1.00", "$2.00"],
            [datetime(2026, 11, 20, 1, 0), "1802000000000000001", "$3.00", "$4.00"]]
    report = import_file(tmp_path / "s.db", write_xlsx(tmp_path / "hourly.xlsx", data),
                         timezone=TZ)
    assert report.kind == "ads_manager", report.message
    assert rows(tmp_path / "s.db", "SELECT day, hour FROM ad_day ORDER BY hour") == [
        ("2026-11-20", 0), ("2026-11-20", 1)]
