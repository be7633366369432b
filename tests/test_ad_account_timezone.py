"""GMV Max and Ads Manager reports follow the ad account's time zone, not the shop's: an
ad account in UTC, a shop in Los Angeles (README, Platform changes)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from campaign_core.importers.ad_report_facts import parse_utc_offset, roi_basis
from campaign_core.importers.pipeline import import_file
from campaign_core.metrics.ad_time import shop_day_of_account_day
from campaign_core.metrics.marketing import ad_hours, ad_totals
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.ad_accounts import primary_ad_account, set_ad_account_offset
from campaign_core.windows import daily_window
from tests.marketing_files import (
    ADS_MANAGER_HEADER,
    GMV_MAX_CAMPAIGN_HEADER,
    campaign_report_name,
    write_csv,
    write_xlsx,
)

LA = "America/Los_Angeles"
NOW = datetime(2026, 11, 30, 12, tzinfo=ZoneInfo(LA))
ACCOUNT = "7301234567890123"


def ads_rows(cells: list[tuple[str, str]], zone: str | None) -> list[list[object]]:
    preamble = [[f"Advertiser: Glow Ads ({ACCOUNT})"]] + ([[f"Time zone: {zone}"]] if zone
                                                          else [])
    return preamble + [ADS_MANAGER_HEADER] + [
        [when, "Retargeting", "1802000000000000001", "Ad A", "1803000000000000001", cost,
         "1,000", "20", "2", "$40.00", "5", "3", "30", "2", "USD"] for when, cost in cells]


def spend_on(db, day: date) -> Decimal | None:
    with read_connection(db) as conn:
        return ad_totals(conn, 1, daily_window(day, LA, NOW)).spend


def test_hours_of_a_utc_account_land_on_the_shop_s_los_angeles_days(tmp_path) -> None:
    db = tmp_path / "s.db"
    hourly = ads_rows([("2026-11-20 03:00", "$10.00"), ("2026-11-20 10:00", "$5.00")],
                      "(UTC+00:00) Coordinated Universal Time")
    report = import_file(db, write_csv(tmp_path / "hourly.csv", hourly), timezone=LA)
    assert report.ok, report.message
    with read_connection(db) as conn:
        assert primary_ad_account(conn, 1).utc_offset_minutes == 0
    # 03:00 UTC on the 20th is 19:00 PST on the 19th; 10:00 UTC is 02:00 PST on the 20th.
    assert spend_on(db, date(2026, 11, 19)) == Decimal("10.00")
    assert spend_on(db, date(2026, 11, 20)) == Decimal("5.00")
    with read_connection(db) as conn:
        hours = ad_hours(conn, 1, daily_window(date(2026, 11, 19), LA, NOW))
    assert [(h.day, h.hour) for h in hours] == [("2026-11-19", 19)]


def test_a_utc_account_day_counts_on_the_shop_day_holding_most_of_it(tmp_path) -> None:
    db = tmp_path / "s.db"
    daily = ads_rows([("2026-11-21", "$7.00")], "UTC")
    import_file(db, write_csv(tmp_path / "daily.csv", daily), timezone=LA)
    # The UTC day runs 16:00 PST on the 20th to 16:00 on the 21st: 16 hours on the 21st.
    assert spend_on(db, date(2026, 11, 21)) == Decimal("7.00")
    assert spend_on(db, date(2026, 11, 20)) is None
    # The seller corrects the account to UTC+08:00: its day is mostly the 20th in LA.
    with write_transaction(db) as conn:
        set_ad_account_offset(conn, 1, ACCOUNT, 8 * 60)
    assert spend_on(db, date(2026, 11, 20)) == Decimal("7.00")
    assert spend_on(db, date(2026, 11, 21)) is None


def test_without_a_stated_time_zone_reports_stay_in_shop_time(tmp_path) -> None:
    db = tmp_path / "s.db"
    hourly = ads_rows([("2026-11-20 03:00", "$10.00")], None)
    import_file(db, write_csv(tmp_path / "hourly.csv", hourly), timezone=LA)
    with read_connection(db) as conn:
        assert primary_ad_account(conn, 1).utc_offset_minutes is None
    assert spend_on(db, date(2026, 11, 20)) == Decimal("10.00")


def test_gmv_max_days_follow_the_account_and_net_roi_is_detected(tmp_path) -> None:
    db = tmp_path / "s.db"
    header = [h if h != "ROI" else "Net ROI" for h in GMV_MAX_CAMPAIGN_HEADER]
    rows = [[f"Advertiser: Glow Ads ({ACCOUNT})"], ["Time zone: GMT+0"], header,
            ["Always on", "1801000000000000001", "$100.00", "$90.00", "4", "$25.00",
             "$400.00", "4.44", "USD"]]
    path = write_xlsx(tmp_path / campaign_report_name("2026-11-21", "2026-11-21"), rows)
    report = import_file(db, path, timezone=LA)
    assert report.ok, report.message
    assert "net ROI" in " ".join(report.notes + [report.message])
    with read_connection(db) as conn:
        assert conn.execute("SELECT roi_basis FROM ad_campaign_period").fetchone()[0] == "net"
    assert spend_on(db, date(2026, 11, 21)) == Decimal("100.00")
    with write_transaction(db) as conn:
        set_ad_account_offset(conn, 1, ACCOUNT, 9 * 60)  # Tokyo: mostly the 20th in LA
    assert spend_on(db, date(2026, 11, 20)) == Decimal("100.00")


def test_offsets_and_roi_basis_are_read_from_what_reports_write() -> None:
    assert parse_utc_offset("(UTC-08:00) Pacific Time") == -480
    assert parse_utc_offset("GMT+5:30") == 330
    assert parse_utc_offset("UTC") == 0
    assert parse_utc_offset("Pacific") is None
    assert roi_basis(GMV_MAX_CAMPAIGN_HEADER) == "gross"
    assert shop_day_of_account_day(date(2026, 11, 20), 0, LA) == date(2026, 11, 20)
    assert shop_day_of_account_day(date(2026, 11, 20), 480, LA) == date(2026, 11, 19)


def test_an_offset_ads_manager_does_not_offer_is_refused(tmp_path) -> None:
    db = tmp_path / "s.db"
    import_file(db, write_csv(tmp_path / "d.csv", ads_rows([("2026-11-21", "$7.00")], None)),
                timezone=LA)
    with write_transaction(db) as conn, pytest.raises(ValueError):
        set_ad_account_offset(conn, 1, ACCOUNT, 20)
