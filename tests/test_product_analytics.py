"""Data Compass product analytics export: preamble, grouped header, definition row, text
values; period from the preamble or a Date column; channels; idempotent re-import.

Files are built here (CSV by hand, XLSX with openpyxl) in the shapes the team's format notes
describe (``TIKTOK_EXPORTS.md`` section 3), so no file outside the repository is read.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from campaign_core.importers.pipeline import import_file
from campaign_core.importers.product_analytics import period_from_preamble
from campaign_core.importers.reading import FileRejected
from campaign_core.store import read_connection
from tests.conftest import TZ

PRODUCT_A, PRODUCT_B = "1729592969712207008", "1729592969712207009"
HEADER = ["Product ID", "Product Name", "GMV", "Orders", "SKU orders", "Items sold",
          "Est. customers", "Product impressions", "Product clicks", "Add-to-cart count",
          "Add-to-cart users", "Unique product impressions", "Unique clicks", "Refunds",
          "Items refunded", "Seller LIVE-attributed GMV", "Seller video-attributed GMV",
          "Creator-attributed GMV", "Seller product card GMV", "Shop tab product impressions",
          "Shop tab product clicks", "Shop tab GMV"]
SUPER_HEADER = ["", "", "All", "", "", "", "", "", "", "", "", "", "", "", "",
                "Seller LIVE", "Seller video", "Affiliate", "Seller Product card", "", "", ""]
DEFINITIONS = ["", "", "The total amount paid for orders, including refunds.",
               "Number of orders placed.", "", "", "", "Total number of times your products "
               "were shown to customers.", "Number of times customers clicked a product.",
               "", "", "", "", "", "", "", "", "", "", "", "", ""]
ROW_A = [f"{PRODUCT_A}\t", "Lip tint", "$1,205.33", "41", "45", "52", "39", "12,040", "860",
         "120", "95", "9,870", "701", "$35.00", "2", "$400.00", "$300.33", "$205.00",
         "$300.00", "1,500", "90", "$120.00"]
ROW_B = [PRODUCT_B, "Serum", "$80.00", "2", "2", "2", "2", "1,000", "40", "5", "4", "900",
         "38", "--", "--", "--", "$80.00", "--", "--", "--", "--", "--"]
PREAMBLE = [["Product analysis"], ["Date range: 2026-05-01 ~ 2026-05-31"],
            ["Filters: All products, All channels"]]


def write_csv(folder: Path, rows: list[list[str]], name: str = "product_analysis.csv") -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(folder: Path, rows: list[list[object]],
               name: str = "product_analysis.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Product analysis"
    for row in rows:
        sheet.append(row)
    path = folder / name
    workbook.save(path)
    return path


def full_export(rows: list[list[str]] | None = None) -> list[list[str]]:
    """Preamble (lines 1-3), super-header (4), header (5), definitions (6), data (7-)."""
    return [*PREAMBLE, SUPER_HEADER, HEADER, DEFINITIONS, *(rows or [ROW_A, ROW_B])]


def traffic(db: Path) -> dict[tuple[str, str, str, str], dict]:
    with read_connection(db) as conn:
        rows = conn.execute("SELECT * FROM product_traffic").fetchall()
    return {(r["product_id"], r["period_start"], r["period_end"], r["channel"]): dict(r)
            for r in rows}


def imported(db: Path, path: Path):
    report = import_file(db, path, timezone=TZ)
    assert report.ok, report.message
    assert report.kind == "product_analytics"
    return report


def test_csv_with_preamble_grouped_header_and_definitions(tmp_path: Path):
    db = tmp_path / "store.db"
    report = imported(db, write_csv(tmp_path, full_export()))
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (2, 2, 0)
    assert report.records.new == 2
    assert any("line 6 (column definitions)" in note for note in report.notes)
    stored = traffic(db)
    total = stored[(PRODUCT_A, "2026-05-01", "2026-05-31", "all")]
    assert {k: total[k] for k in ("gmv_cents", "orders", "sku_orders", "units", "customers",
                                  "impressions", "clicks", "add_to_cart_count",
                                  "add_to_cart_users", "unique_impressions",
                                  "unique_clicks", "refunds_cents", "items_refunded")} == {
        "gmv_cents": 120533, "orders": 41, "sku_orders": 45, "units": 52, "customers": 39,
        "impressions": 12040, "clicks": 860, "add_to_cart_count": 120,
        "add_to_cart_users": 95, "unique_impressions": 9870, "unique_clicks": 701,
        "refunds_cents": 3500, "items_refunded": 2}
    assert total["import_id"] == report.import_id


def test_channels_are_stored_beside_the_totals(tmp_path: Path):
    db = tmp_path / "store.db"
    imported(db, write_csv(tmp_path, full_export()))
    stored = traffic(db)
    period = ("2026-05-01", "2026-05-31")
    gmv = {channel: stored[(PRODUCT_A, *period, channel)]["gmv_cents"]
           for channel in ("live", "video", "affiliate", "product_card", "shop_tab")}
    assert gmv == {"live": 40000, "video": 30033, "affiliate": 20500, "product_card": 30000,
                   "shop_tab": 12000}
    shop_tab = stored[(PRODUCT_A, *period, "shop_tab")]
    assert (shop_tab["impressions"], shop_tab["clicks"]) == (1500, 90)
    assert stored[(PRODUCT_A, *period, "live")]["impressions"] is None  # GMV only
    # "--" is no value, stored as NULL, never as zero.
    assert stored[(PRODUCT_B, *period, "live")]["gmv_cents"] is None
    assert stored[(PRODUCT_B, *period, "all")]["refunds_cents"] is None
    assert len(stored) == 12  # 2 products x (all + 5 channels)


def test_xlsx_with_us_dates_and_the_old_affiliate_header(tmp_path: Path):
    db = tmp_path / "store.db"
    header = ["Affiliate-attributed GMV" if h == "Creator-attributed GMV" else h
              for h in HEADER]
    numbers_a = [PRODUCT_A, "Lip tint", 1205.33, 41, 45, 52, 39, 12040, 860, 120, 95, 9870,
                 701, "$35.00", 2, "$400.00", "$300.33", "$205.00", "$300.00", 1500, 90, 120]
    rows = [["Product analysis"], ["Date range", "05/01/2026 - 05/31/2026"], SUPER_HEADER,
            header, DEFINITIONS, numbers_a, ROW_B]
    report = imported(db, write_xlsx(tmp_path, rows))
    assert report.rows_stored == 2
    stored = traffic(db)
    assert stored[(PRODUCT_A, "2026-05-01", "2026-05-31", "all")]["gmv_cents"] == 120533
    assert stored[(PRODUCT_A, "2026-05-01", "2026-05-31", "affiliate")]["gmv_cents"] == 20500
    assert stored[(PRODUCT_A, "2026-05-01", "2026-05-31", "shop_tab")]["gmv_cents"] == 12000


def test_per_day_export_stores_each_row_on_its_day(tmp_path: Path):
    db = tmp_path / "store.db"
    header = ["Date", "Product ID", "Product Name", "GMV", "Product impressions",
              "Product clicks", "Seller LIVE-attributed GMV"]
    rows = [["Product analysis"], header,
            ["2026-05-01", PRODUCT_A, "Lip tint", "$10.00", "100", "7", "$4.00"],
            ["2026-05-02", PRODUCT_A, "Lip tint", "$12.50", "120", "9", "--"]]
    report = imported(db, write_csv(tmp_path, rows))
    assert report.rows_stored == 2
    stored = traffic(db)
    assert stored[(PRODUCT_A, "2026-05-01", "2026-05-01", "all")]["gmv_cents"] == 1000
    assert stored[(PRODUCT_A, "2026-05-02", "2026-05-02", "all")]["clicks"] == 9
    assert stored[(PRODUCT_A, "2026-05-01", "2026-05-01", "live")]["gmv_cents"] == 400
    assert len(stored) == 4


def test_per_day_xlsx_with_date_cells(tmp_path: Path):
    db = tmp_path / "store.db"
    rows = [["Date", "Product ID", "GMV", "Product impressions", "Product clicks"],
            [datetime(2026, 5, 3), PRODUCT_A, 15.5, 100, 7]]
    imported(db, write_xlsx(tmp_path, rows))
    assert traffic(db)[(PRODUCT_A, "2026-05-03", "2026-05-03", "all")]["gmv_cents"] == 1550


def test_a_file_without_period_is_rejected(tmp_path: Path):
    db = tmp_path / "store.db"
    rows = [["Product analysis"], HEADER, ROW_A]
    report = import_file(db, write_csv(tmp_path, rows), timezone=TZ)
    assert report.status == "rejected"
    assert "date range is missing" in report.message
    assert traffic(db) == {}


def test_reimport_is_unchanged_and_a_changed_value_updates(tmp_path: Path):
    db = tmp_path / "store.db"
    imported(db, write_csv(tmp_path, full_export()))
    before = traffic(db)
    again = imported(db, write_csv(tmp_path, full_export(), name="again.csv"))
    assert (again.records.new, again.records.updated, again.records.unchanged) == (0, 0, 2)
    assert again.lines_written == 0
    assert traffic(db) == before

    changed_b = list(ROW_B)
    changed_b[HEADER.index("Seller video-attributed GMV")] = "$75.00"
    changed = imported(db, write_csv(tmp_path, full_export([ROW_A, changed_b]),
                                     name="changed.csv"))
    assert (changed.records.new, changed.records.updated, changed.records.unchanged) == (
        0, 1, 1)
    after = traffic(db)
    assert after[(PRODUCT_B, "2026-05-01", "2026-05-31", "video")]["gmv_cents"] == 7500
    assert len(after) == len(before)


def test_another_period_is_a_separate_fact(tmp_path: Path):
    db = tmp_path / "store.db"
    imported(db, write_csv(tmp_path, full_export()))
    week = [PREAMBLE[0], ["Date range: 2026-05-01 ~ 2026-05-07"], HEADER, ROW_A]
    report = imported(db, write_csv(tmp_path, week, name="week.csv"))
    assert report.records.new == 1
    stored = traffic(db)
    assert stored[(PRODUCT_A, "2026-05-01", "2026-05-07", "all")]["gmv_cents"] == 120533
    assert stored[(PRODUCT_A, "2026-05-01", "2026-05-31", "all")]["gmv_cents"] == 120533


def test_a_narrower_export_keeps_columns_it_does_not_have(tmp_path: Path):
    db = tmp_path / "store.db"
    imported(db, write_csv(tmp_path, full_export()))
    narrow = [PREAMBLE[1], ["Product ID", "GMV", "Product impressions", "Product clicks"],
              [PRODUCT_A, "$1,205.33", "12,040", "860"]]
    report = imported(db, write_csv(tmp_path, narrow, name="narrow.csv"))
    assert report.records.unchanged == 1
    total = traffic(db)[(PRODUCT_A, "2026-05-01", "2026-05-31", "all")]
    assert (total["orders"], total["refunds_cents"]) == (41, 3500)


def test_bad_cells_are_quarantined_with_line_and_column(tmp_path: Path):
    db = tmp_path / "store.db"
    bad_id = list(ROW_B)
    bad_id[0] = "1.72959E+18"
    bad_clicks = list(ROW_A)
    bad_clicks[0] = "1729592969712207010"
    bad_clicks[HEADER.index("Product clicks")] = "lots"
    report = imported(db, write_csv(tmp_path, full_export([ROW_A, bad_id, bad_clicks])))
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (3, 1, 2)
    with read_connection(db) as conn:
        quarantined = conn.execute("SELECT file_line, column_name, raw_value, reason "
                                   "FROM quarantine ORDER BY file_line").fetchall()
    assert [tuple(row)[:3] for row in quarantined] == [
        (8, "Product ID", "1.72959E+18"), (9, "Product clicks", "lots")]
    assert "scientific notation" in quarantined[0][3]
    assert "not a number" in quarantined[1][3]
    assert {key[0] for key in traffic(db)} == {PRODUCT_A}


def test_a_bad_date_cell_is_quarantined(tmp_path: Path):
    db = tmp_path / "store.db"
    rows = [["Date", "Product ID", "GMV", "Product impressions", "Product clicks"],
            ["2026-05-01", PRODUCT_A, "$1.00", "10", "1"],
            ["yesterday", PRODUCT_A, "$1.00", "10", "1"]]
    report = imported(db, write_csv(tmp_path, rows))
    assert report.rows_quarantined == 1
    assert (report.problems[0].file_line, report.problems[0].column) == (3, "Date")


def test_slash_dates_are_day_first_only_when_month_first_is_impossible():
    assert period_from_preamble([["05/01/2026 - 05/31/2026"]]) == (
        date(2026, 5, 1), date(2026, 5, 31))
    assert period_from_preamble([["01/05/2026 - 31/05/2026"]]) == (
        date(2026, 5, 1), date(2026, 5, 31))
    assert period_from_preamble([["Period", "2026/05/01 to 2026/05/31"]]) == (
        date(2026, 5, 1), date(2026, 5, 31))
    assert period_from_preamble([["Exported", datetime(2026, 6, 1, 9, 0)]]) is None
    with pytest.raises(FileRejected, match="ends before it starts"):
        period_from_preamble([["2026-05-31 ~ 2026-05-01"]])


def test_per_day_slash_dates_follow_one_order_for_the_file(tmp_path: Path):
    db = tmp_path / "store.db"
    rows = [["Date", "Product ID", "GMV", "Product impressions", "Product clicks"],
            ["02/05/2026", PRODUCT_A, "$1.00", "10", "1"],
            ["13/05/2026", PRODUCT_A, "$2.00", "20", "2"]]
    imported(db, write_csv(tmp_path, rows))
    assert set(key[1] for key in traffic(db)) == {"2026-05-02", "2026-05-13"}


def test_a_definition_row_with_only_the_id_described_is_skipped(tmp_path: Path):
    db = tmp_path / "store.db"
    rows = [PREAMBLE[1], HEADER, ["The unique ID of the product."] + [""] * 21, ROW_A]
    report = imported(db, write_csv(tmp_path, rows))
    assert (report.rows_read, report.rows_quarantined) == (1, 0)
