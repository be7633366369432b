"""The settlement (income) export and the creator templates, imported through the pipeline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from campaign_core.importers.creator_templates import (
    creator_deals_template_csv,
    creator_fees_template_csv,
    experiment_counts_template_csv,
    sample_shipments_template_csv,
)
from campaign_core.importers.pipeline import import_file
from campaign_core.importers.settlement import zone_offset_from_name
from campaign_core.store import read_connection
from tests.conftest import TZ

INCOME_HEADER = ["Order/Adjustment ID", "Type", "Order created time", "Order settled time",
                 "Currency", "Total settlement amount", "Total Revenue",
                 "Subtotal after seller discounts", "Total Fees", "Transaction fee",
                 "TikTok Shop commission fee", "Affiliate commission",
                 "Affiliate Shop Ads commission", "Related order ID"]
INCOME_ROWS = [
    ["576000000000000001\t", "Order", "2026/11/20", "2026/11/28", "USD", "30.12", "36.97",
     "36.97", "-6.85", "-1.11", "-2.22", "-2.00", "-0.50", ""],
    # The same ID again (a second settlement of the order): both rows count.
    ["576000000000000001", "Order", "2026/11/20", "2026/11/28", "USD", "-0.50", "0", "0",
     "-0.50", "0", "0", "-0.50", "0", ""],
    ["7100000000000000001", "Adjustment", "", "2026/11/29", "USD", "5.00", "", "", "", "", "",
     "", "", "576000000000000003"],
]


def write_income(folder: Path, name: str, rows=INCOME_ROWS) -> Path:
    path = folder / name
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(INCOME_HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def settlement_rows(db: Path) -> list[dict]:
    with read_connection(db) as conn:
        return [dict(row) for row in conn.execute(
            "SELECT * FROM settlement_line ORDER BY statement_id, settlement_cents")]


@pytest.mark.parametrize(("name", "offset"), [
    ("income_20260908180508(UTC+8).xlsx", 8 * 3600),
    ("income_20260908180508(UTC-5).xlsx", -5 * 3600),
    ("income(UTC+05:30).xlsx", 5 * 3600 + 1800),
    ("income_20260908180508.xlsx", None),
])
def test_zone_comes_from_the_file_name(name, offset):
    assert zone_offset_from_name(name) == offset


def test_income_rows_import_with_ids_as_text_and_both_duplicate_rows(tmp_path):
    db = tmp_path / "store.db"
    path = write_income(tmp_path, "income_20261130101010(UTC+8).xlsx")
    report = import_file(db, path, timezone=TZ)
    assert report.ok, report.message
    assert (report.kind, report.rows_stored, report.records.new) == ("settlement", 3, 3)
    rows = settlement_rows(db)
    first, second = [r for r in rows if r["statement_id"] == "576000000000000001"]
    assert first["affiliate_commission_cents"] == -200 or second[
        "affiliate_commission_cents"] == -200
    assert {r["order_id"] for r in rows} == {"576000000000000001", "576000000000000003"}
    # 2026/11/28 00:00 at UTC+8 is 2026-11-27 16:00 UTC.
    assert first["settled_utc"] == int(datetime(2026, 11, 27, 16, tzinfo=UTC).timestamp())
    adjustment = next(r for r in rows if r["transaction_type"] == "Adjustment")
    assert adjustment["related_order_id"] == "576000000000000003"
    assert adjustment["settlement_cents"] == 500


def test_reimporting_the_income_file_changes_nothing(tmp_path):
    db = tmp_path / "store.db"
    path = write_income(tmp_path, "income_20261130101010(UTC+8).xlsx")
    import_file(db, path, timezone=TZ)
    again = import_file(db, path, timezone=TZ)
    assert (again.records.new, again.records.unchanged) == (0, 3)
    assert len(settlement_rows(db)) == 3


def test_an_unreadable_income_row_is_quarantined_and_the_rest_imports(tmp_path):
    db = tmp_path / "store.db"
    rows = [*INCOME_ROWS, ["5.7600E+17", "Order", "", "2026/11/28", "USD", "1.00", "", "",
                           "", "", "", "", "", ""]]
    report = import_file(db, write_income(tmp_path, "income(UTC+8).xlsx", rows), timezone=TZ)
    assert report.ok and report.rows_quarantined == 1 and report.rows_stored == 3
    problem = report.problems[0]
    assert (problem.file_line, problem.column) == (5, "Order/Adjustment ID")
    assert "scientific notation" in problem.reason


def write_template(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("builder", "kind", "table", "count"), [
    (creator_deals_template_csv, "creator_deals", "creator_deal", 2),
    (creator_fees_template_csv, "creator_fees", "creator_fee", 2),
    (experiment_counts_template_csv, "experiment_counts", "experiment_day", 2),
])
def test_each_template_imports_as_it_is_and_only_once(tmp_path, builder, kind, table, count):
    db = tmp_path / "store.db"
    path = write_template(tmp_path, "template.csv", builder())
    report = import_file(db, path, timezone=TZ)
    assert report.ok, report.message
    assert report.kind == kind and report.rows_quarantined == 0
    again = import_file(db, path, timezone=TZ)
    assert again.records.new == 0 and again.records.updated == 0
    with read_connection(db) as conn:
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == count


def test_samples_template_resolves_seller_skus_and_quarantines_unknown_ones(hand_store,
                                                                             tmp_path):
    content = sample_shipments_template_csv().decode("utf-8-sig").replace(
        "1729000000000000001", "17290000000000000" + "01")
    path = write_template(tmp_path, "samples.csv", content.encode("utf-8-sig"))
    report = import_file(hand_store, path, timezone=TZ)
    assert report.ok and report.kind == "sample_shipments"
    assert report.rows_stored == 1 and report.rows_quarantined == 1  # TEE-BLUE-L unknown
    assert "TEE-BLUE-L" in report.problems[0].raw_value


def test_experiment_plan_and_counts_are_stored(tmp_path):
    db = tmp_path / "store.db"
    import_file(db, write_template(tmp_path, "exp.csv", experiment_counts_template_csv()),
                timezone=TZ)
    with read_connection(db) as conn:
        plan = dict(conn.execute("SELECT * FROM experiment").fetchone())
    assert (plan["variants"], plan["metric"], plan["varies"]) == ("A/B", "ctr", "hook")
    assert (plan["mde_pp"], plan["baseline_rate_pct"], plan["planned_looks"]) == (0.5, 2.0, 10)
    assert plan["planned_split"] == "50/50"


def test_bad_template_cells_name_line_column_and_reason(tmp_path):
    db = tmp_path / "store.db"
    content = (b"Experiment,Variant,Day,Exposures,Conversions\r\n"
               b"T,A,2026-11-20,100,5\r\n"
               b"T,B,11/20/2026,100,5\r\n"
               b"T,B,2026-11-21,10,50\r\n")
    report = import_file(db, write_template(tmp_path, "exp.csv", content), timezone=TZ)
    assert report.ok and report.rows_stored == 1 and report.rows_quarantined == 2
    reasons = {(p.file_line, p.column): p.reason for p in report.problems}
    assert "YYYY-MM-DD" in reasons[(3, "Day")]
    assert "more conversions" in reasons[(4, "Conversions")]


def _income_with_days(created: str, settled: str, second_settled: str) -> list[list[str]]:
    return [["576000000000000011", "Order", created, settled, "USD", "30.12", "36.97",
             "36.97", "-6.85", "-1.11", "-2.22", "-2.00", "-0.50", ""],
            ["576000000000000012", "Order", created, second_settled, "USD", "10.00", "10.00",
             "10.00", "0", "0", "0", "0", "0", ""]]


def test_income_slash_dates_follow_the_files_date_order(tmp_path):
    # 11/13/2026 proves the file month-first: 11/05/2026 is 5 November, not 11 May.
    db = tmp_path / "store.db"
    rows = _income_with_days("11/02/2026", "11/05/2026", "11/13/2026")
    report = import_file(db, write_income(tmp_path, "income(UTC+0).xlsx", rows), timezone=TZ)
    assert report.ok and report.rows_quarantined == 0, (report.message, report.problems)
    settled = sorted(r["settled_utc"] for r in settlement_rows(db))
    assert settled == [int(datetime(2026, 11, 5, tzinfo=UTC).timestamp()),
                       int(datetime(2026, 11, 13, tzinfo=UTC).timestamp())]
    created = {r["order_created_utc"] for r in settlement_rows(db)}
    assert created == {int(datetime(2026, 11, 2, tzinfo=UTC).timestamp())}


def test_income_slash_dates_of_a_day_first_market_read_day_first(tmp_path):
    # A shop in Jakarta: 05/11/2026 with nothing in the file to say otherwise is 5 November.
    from tests.market_files import ID_HEADERS, market_rows, rupiah, write_market_csv
    from tests.test_market_orders import ID_ORDERS

    db = tmp_path / "store.db"
    orders = write_market_csv(tmp_path / "o.csv", market_rows(ID_ORDERS, rupiah), ID_HEADERS)
    assert import_file(db, orders, timezone="Asia/Jakarta").ok
    rows = [[cell.replace("USD", "IDR") for cell in row]
            for row in _income_with_days("02/11/2026", "05/11/2026", "10/11/2026")]
    report = import_file(db, write_income(tmp_path, "income(UTC+7).xlsx", rows))
    assert report.ok and report.rows_quarantined == 0, (report.message, report.problems)
    settled = sorted(r["settled_utc"] for r in settlement_rows(db))
    assert settled == [int(datetime(2026, 11, 4, 17, tzinfo=UTC).timestamp()),
                       int(datetime(2026, 11, 9, 17, tzinfo=UTC).timestamp())]


def test_income_slash_dates_that_mix_both_orders_are_refused(tmp_path):
    db = tmp_path / "store.db"
    rows = _income_with_days("11/02/2026", "13/11/2026", "11/13/2026")
    report = import_file(db, write_income(tmp_path, "income(UTC+0).xlsx", rows), timezone=TZ)
    assert report.status == "rejected"
    assert "13/11/2026" in report.message and "11/13/2026" in report.message
