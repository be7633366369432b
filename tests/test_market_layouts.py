"""Export layouts from other markets and newer exports, imported with every measure stored:
the 44-column and grouped Data Compass product export, its Vietnamese headers, GMV Max
per-product and product-level reports, the income export's UTC and Indonesian layouts, and
an XLSX written one ``<row>`` element per cell. Each in CSV and XLSX."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from campaign_core.importers.pipeline import import_file
from campaign_core.store import read_connection
from tests import market_layout_files as market
from tests.conftest import TZ
from tests.marketing_files import write_csv, write_xlsx

WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
PERIOD = ("2026-11-14", "2026-11-30")
PRODUCT_A, PRODUCT_B = market.PRODUCT_A, market.PRODUCT_B


def write(tmp_path: Path, fmt: str, name: str, rows: list[list[object]]) -> Path:
    return WRITERS[fmt](tmp_path / f"{name}.{fmt}", rows)


def imported(db: Path, path: Path, kind: str):
    report = import_file(db, path, timezone=TZ)
    assert report.ok, report.message
    assert report.kind == kind
    assert report.warnings == []
    return report


def table(db: Path, sql: str) -> list[dict]:
    with read_connection(db) as conn:
        return [dict(row) for row in conn.execute(sql)]


def channel_traffic(stored: dict[tuple[str, str], dict]) -> dict[str, tuple[int, int]]:
    return {channel: (stored[(PRODUCT_A, channel)]["impressions"],
                      stored[(PRODUCT_A, channel)]["clicks"]) for channel in CHANNEL_TRAFFIC}


def traffic(db: Path) -> dict[tuple[str, str], dict]:
    return {(r["product_id"], r["channel"]): r for r in table(
        db, "SELECT * FROM product_traffic")}


# --- Data Compass product analysis --------------------------------------------------------

CHANNEL_TRAFFIC = {"live": (3000, 300), "video": (4000, 200), "affiliate": (2000, 150),
                   "product_card": (1540, 120), "shop_tab": (1500, 90)}
ALL_A = {"gmv_cents": 15000000, "units": 52, "orders": 41, "sku_orders": 45, "customers": 39,
         "impressions": 12040, "unique_impressions": 9870, "clicks": 860,
         "unique_clicks": 701, "add_to_cart_count": 120, "add_to_cart_users": 95,
         "refunds_cents": 350000, "items_refunded": 2}


@pytest.mark.parametrize("fmt", WRITERS)
def test_data_compass_44_columns_stores_every_figure(tmp_path, fmt):
    db = tmp_path / "s.db"
    report = imported(db, write(tmp_path, fmt, "product_analysis", market.DATA_COMPASS_44),
                      "product_analytics")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (2, 2, 0)
    stored = traffic(db)
    total = stored[(PRODUCT_A, "all")]
    assert (total["period_start"], total["period_end"]) == PERIOD  # day-first, from the preamble
    assert {key: total[key] for key in ALL_A} == ALL_A
    assert {channel: stored[(PRODUCT_A, channel)]["gmv_cents"]
            for channel in ("live", "video", "affiliate", "product_card", "shop_tab")} == {
        "live": 4000000, "video": 3000000, "affiliate": 2050000, "product_card": 3000000,
        "shop_tab": 1200000}
    assert channel_traffic(stored) == CHANNEL_TRAFFIC
    assert stored[(PRODUCT_B, "all")]["impressions"] == 1000
    # Not read as a product list: no products were created from it.
    assert table(db, "SELECT * FROM product") == []


@pytest.mark.parametrize("fmt", WRITERS)
def test_data_compass_grouped_header_stores_each_group(tmp_path, fmt):
    db = tmp_path / "s.db"
    imported(db, write(tmp_path, fmt, "grouped", market.DATA_COMPASS_GROUPED),
             "product_analytics")
    stored = traffic(db)
    total = stored[(PRODUCT_A, "all")]
    assert (total["gmv_cents"], total["units"], total["orders"], total["sku_orders"],
            total["impressions"], total["clicks"], total["unique_impressions"],
            total["unique_clicks"]) == (15000000, 52, 41, 45, 12040, 860, 9870, 701)
    assert {channel: stored[(PRODUCT_A, channel)]["gmv_cents"]
            for channel in ("live", "video", "affiliate", "product_card", "shop_tab")} == {
        "live": 4000000, "video": 3000000, "affiliate": 2050000, "product_card": 3000000,
        "shop_tab": 1200000}
    assert channel_traffic(stored) == CHANNEL_TRAFFIC
    assert stored[(PRODUCT_B, "video")]["gmv_cents"] == 800000


@pytest.mark.parametrize("fmt", WRITERS)
def test_data_compass_vietnamese_headers(tmp_path, fmt):
    db = tmp_path / "s.db"
    imported(db, write(tmp_path, fmt, "phan_tich_san_pham", market.DATA_COMPASS_VI),
             "product_analytics")
    total = traffic(db)[(PRODUCT_A, "all")]
    assert (total["period_start"], total["period_end"]) == PERIOD
    assert (total["gmv_cents"], total["units"], total["orders"], total["sku_orders"],
            total["customers"], total["impressions"], total["clicks"],
            total["add_to_cart_count"]) == (15000000, 52, 41, 45, 39, 12040, 860, 120)


# --- GMV Max per product ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", WRITERS)
def test_gmv_max_creative_data_per_product(tmp_path, fmt):
    db = tmp_path / "s.db"
    name = market.creative_data_name("2026-11-01", "2026-11-07").removesuffix(".xlsx")
    report = imported(db, write(tmp_path, fmt, name, market.CREATIVE_DATA),
                      "gmv_max_creative")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (2, 2, 0)
    rows = table(db, "SELECT * FROM ad_creative_period ORDER BY video_id")
    assert [(r["campaign_id"], r["product_id"], r["video_id"], r["period_start"],
             r["period_end"]) for r in rows] == [
        ("", PRODUCT_A, "7400000000000000011", "2026-11-01", "2026-11-07"),
        ("", PRODUCT_A, "7400000000000000012", "2026-11-01", "2026-11-07")]
    first = rows[0]
    assert (first["video_title"], first["tiktok_account"], first["status"],
            first["authorization_type"], first["cost_cents"], first["sku_orders"],
            first["gross_revenue_cents"], first["impressions"], first["clicks"],
            first["currency"]) == ("Tint swatches", "glowandgo", "Delivering", "Own video",
                                   12050, 12, 48000, 15000, 450, "USD")
    posted = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles (PST)
    assert first["posted_utc"] == int(posted.timestamp())
    assert (rows[1]["cost_cents"], rows[1]["gross_revenue_cents"], rows[1]["sku_orders"],
            rows[1]["impressions"], rows[1]["clicks"]) == (6000, 9510, 3, 8000, 160)


def test_creative_data_without_a_product_in_its_name_keeps_the_video(tmp_path):
    db = tmp_path / "s.db"
    path = write_xlsx(tmp_path / "Creative data 2026-11-01 - 2026-11-07.xlsx",
                      market.CREATIVE_DATA)
    imported(db, path, "gmv_max_creative")
    assert {r["product_id"] for r in table(db, "SELECT * FROM ad_creative_period")} == {""}


@pytest.mark.parametrize("fmt", WRITERS)
def test_gmv_max_product_level_report(tmp_path, fmt):
    db = tmp_path / "s.db"
    path = write(tmp_path, fmt, "Product report(2026-11-01 to 2026-11-07)",
                 market.PRODUCT_LEVEL)
    report = imported(db, path, "gmv_max_creative")
    assert report.rows_stored == 2
    rows = table(db, "SELECT * FROM ad_creative_period ORDER BY product_id")
    assert [(r["campaign_id"], r["product_id"], r["video_id"], r["status"], r["cost_cents"],
             r["sku_orders"], r["gross_revenue_cents"], r["currency"], r["period_start"],
             r["period_end"]) for r in rows] == [
        ("", PRODUCT_A, "", "Active", 30000, 25, 105000, "USD", "2026-11-01", "2026-11-07"),
        ("", PRODUCT_B, "", "Active", 4500, 1, 3000, "USD", "2026-11-01", "2026-11-07")]
    # A product list would have filed these as products: the ad report wins.
    assert table(db, "SELECT * FROM product") == []


# --- Finance > Income ---------------------------------------------------------------------

def _day_utc(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


@pytest.mark.parametrize("fmt", WRITERS)
def test_income_with_utc_time_headers_and_the_indonesian_fee_columns(tmp_path, fmt):
    db = tmp_path / "s.db"
    # The file name stamps UTC+7, but the headers say the times are UTC: the headers win.
    report = imported(db, write(tmp_path, fmt, "income_20261201093000(UTC+7)",
                                market.INCOME_UTC), "settlement")
    assert report.rows_stored == 2
    order, adjustment = table(db, "SELECT * FROM settlement_line ORDER BY statement_id")
    assert (order["statement_id"], order["transaction_type"], order["currency"],
            order["order_created_utc"], order["settled_utc"]) == (
        "576000000000000101", "Order", "IDR", _day_utc("2026-11-20"), _day_utc("2026-11-28"))
    assert (order["settlement_cents"], order["total_revenue_cents"],
            order["subtotal_after_seller_discounts_cents"], order["total_fees_cents"],
            order["platform_commission_cents"], order["transaction_fee_cents"],
            order["affiliate_commission_cents"], order["adjustment_cents"]) == (
        12000000, 15000000, 15000000, -3000000, -1200000, -600000, -1200000, 0)
    assert (adjustment["adjustment_cents"], adjustment["settlement_cents"],
            adjustment["order_id"], adjustment["settled_utc"]) == (
        500000, 500000, "576000000000000102", _day_utc("2026-11-29"))


@pytest.mark.parametrize("fmt", WRITERS)
def test_income_in_indonesian(tmp_path, fmt):
    db = tmp_path / "s.db"
    imported(db, write(tmp_path, fmt, "income_20261201093000(UTC+7)", market.INCOME_ID),
             "settlement")
    [row] = table(db, "SELECT * FROM settlement_line")
    seven_hours = 7 * 3600  # the file name's zone: these headers do not say UTC
    assert (row["statement_id"], row["transaction_type"], row["order_created_utc"],
            row["settled_utc"]) == ("576000000000000201", "Pesanan",
                                    _day_utc("2026-11-20") - seven_hours,
                                    _day_utc("2026-11-28") - seven_hours)
    assert (row["settlement_cents"], row["total_revenue_cents"], row["total_fees_cents"],
            row["platform_commission_cents"], row["affiliate_commission_cents"],
            row["adjustment_cents"]) == (12000000, 15000000, -3000000, -1800000, -1200000, 0)


# --- an XLSX written one <row> element per cell -------------------------------------------

def test_xlsx_with_one_row_element_per_cell(tmp_path):
    db = tmp_path / "s.db"
    path = market.write_row_per_cell_xlsx(tmp_path / "income(UTC+7).xlsx", market.INCOME_UTC)
    imported(db, path, "settlement")
    order, adjustment = table(db, "SELECT * FROM settlement_line ORDER BY statement_id")
    assert (order["settlement_cents"], order["total_fees_cents"],
            order["platform_commission_cents"], order["transaction_fee_cents"]) == (
        12000000, -3000000, -1200000, -600000)
    assert adjustment["adjustment_cents"] == 500000


def test_data_compass_written_one_row_element_per_cell(tmp_path):
    db = tmp_path / "s.db"
    path = market.write_row_per_cell_xlsx(tmp_path / "product_analysis.xlsx",
                                          market.DATA_COMPASS_44)
    imported(db, path, "product_analytics")
    total = traffic(db)[(PRODUCT_A, "all")]
    assert {key: total[key] for key in ALL_A} == ALL_A


# --- per-product reports never double the spend of the reports they break down -----------

def test_per_product_reports_do_not_double_count_ad_spend(hand_store, tmp_path):
    from decimal import Decimal

    from campaign_core.metrics.marketing import ad_totals
    from campaign_core.windows import period_window
    from tests.marketing_files import GMV_MAX_CAMPAIGN_HEADER, campaign_report_name

    window = period_window(date(2026, 11, 1), date(2026, 11, 7), TZ,
                           datetime(2026, 12, 5, tzinfo=UTC))

    def spend() -> tuple[Decimal | None, Decimal | None]:
        with read_connection(hand_store) as conn:
            totals = ad_totals(conn, 1, window)
        return totals.spend, totals.revenue

    name = market.creative_data_name("2026-11-01", "2026-11-07")
    imported(hand_store, write_xlsx(tmp_path / name, market.CREATIVE_DATA), "gmv_max_creative")
    assert spend() == (Decimal("180.50"), Decimal("575.10"))  # product A's two videos
    # The product-level report holds product A's total: its videos are a breakdown of it.
    imported(hand_store, write_csv(tmp_path / "Product report(2026-11-01 to 2026-11-07).csv",
                                   market.PRODUCT_LEVEL), "gmv_max_creative")
    assert spend() == (Decimal("345.00"), Decimal("1080.00"))
    # A campaign report of the period holds all of it: per-product reports break it down.
    campaign = [GMV_MAX_CAMPAIGN_HEADER, ["Max", "1801000000000000001", "400.00", "", "26", "",
                                          "1100.00", "2.75", "USD"]]
    imported(hand_store, write_xlsx(tmp_path / campaign_report_name("2026-11-01", "2026-11-07"),
                                    campaign), "gmv_max_campaign")
    assert spend() == (Decimal("400.00"), Decimal("1100.00"))
