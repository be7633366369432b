"""Peer benchmarks: the template importer, the comparison per view, peer shops, the demo file.

Shop values come from ``conftest.hand_orders`` (worked out in test_kpis.py): Nov 20 GMV 49.96,
2 orders, AOV 24.98; Nov 21 GMV 27.00, 1 order; the period Nov 20-21 GMV 76.96, 3 orders.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from campaign_core.demo.benchmarks import DEMO_METRICS, write_demo_benchmarks
from campaign_core.demo.order_files import OrderSpec
from campaign_core.importers.benchmarks import metric_name, parse_number
from campaign_core.importers.pipeline import import_file
from campaign_core.importers.values import CellError
from campaign_core.metrics.benchmarks import (
    REAL_TIME_REASON,
    SOURCE_FILE,
    SOURCE_PEERS,
    benchmark_comparison,
    difference_pct,
    peer_comparison,
)
from campaign_core.metrics.core import core_kpis
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.shops import Shop, find_shop, update_shop
from campaign_core.templates import TEMPLATES, benchmark_template_csv
from campaign_core.windows import View, daily_window, period_window, today_window
from tests.conftest import TZ, line, write_export

LATER = datetime(2026, 12, 1, tzinfo=UTC)
HEADER = ["Day", "Metric", "Category", "GMV tier", "Value"]
BEAUTY, TIER = "Beauty & Personal Care", "10k-50k"
NOV20, NOV21 = date(2026, 11, 20), date(2026, 11, 21)


def write_csv(folder: Path, rows: list[list[str]], header: list[str] = HEADER,
              name: str = "benchmarks.csv") -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def import_benchmarks(db: Path, folder: Path, rows: list[list[str]], **options):
    report = import_file(db, write_csv(folder, rows, **options))
    assert report.ok, report.message
    return report


def stored_benchmarks(db: Path) -> dict[tuple[str, str], float]:
    with read_connection(db) as conn:
        rows = conn.execute("SELECT day, metric, value FROM benchmark").fetchall()
    return {(row["day"], row["metric"]): row["value"] for row in rows}


def set_peer_group(db: Path, shop_name: str, category: str | None,
                   tier: str | None = TIER) -> Shop:
    with write_transaction(db) as conn:
        shop = find_shop(conn, shop_name)
        return update_shop(conn, shop.shop_id, name=shop.name, timezone=shop.timezone,
                           currency=shop.currency, category=category, gmv_tier=tier)


def compare(db: Path, shop: Shop, window):
    with read_connection(db) as conn:
        kpis = core_kpis(conn, shop.shop_id, window).as_dict()
        return benchmark_comparison(conn, shop, window, kpis, window.view)


@pytest.fixture
def beauty_shop(hand_store: Path) -> Shop:
    return set_peer_group(hand_store, "My shop", BEAUTY)


# --- the template and the importer ------------------------------------------------------

def test_downloadable_template_imports_without_quarantine(tmp_path):
    content = benchmark_template_csv()
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(HEADER) and len(lines) == 4
    name = TEMPLATES["benchmarks"].file_name
    path = tmp_path / name
    path.write_bytes(TEMPLATES["benchmarks"].build())
    report = import_file(tmp_path / "s.db", path)
    assert report.kind == "benchmarks"
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (3, 3, 0)
    assert report.records.new == 3
    assert stored_benchmarks(tmp_path / "s.db")[("2026-11-20", "gmv")] == 4850.0


def test_aliases_labels_and_value_shapes_are_read(tmp_path):
    header = ["Date", "Metric", "Category", "Tier", "Benchmark value", "Notes"]
    rows = [["11/20/2026", "GMV", BEAUTY, TIER, "$1,234.50", "from Seller Center"],
            ["21/11/2026", "Units sold", BEAUTY, TIER, "1,200", ""],
            ["2026-11-22", " AOV ", BEAUTY, TIER, "41.5", ""],
            ["2026-11-22", "sku orders", BEAUTY, TIER, "4.11%", ""]]
    report = import_benchmarks(tmp_path / "s.db", tmp_path, rows, header=header)
    assert report.rows_quarantined == 0
    assert stored_benchmarks(tmp_path / "s.db") == {
        ("2026-11-20", "gmv"): 1234.5, ("2026-11-21", "units"): 1200.0,
        ("2026-11-22", "aov"): 41.5, ("2026-11-22", "sku_orders"): 4.11}


def test_unknown_metric_bad_day_and_bad_value_are_quarantined_with_line_and_column(tmp_path):
    rows = [["2026-11-20", "gmv", BEAUTY, TIER, "100"],
            ["2026-11-20", "happiness", BEAUTY, TIER, "3"],
            ["2026-13-45", "orders", BEAUTY, TIER, "3"],
            ["2026-11-20", "orders", BEAUTY, TIER, "lots"],
            ["2026-11-20", "aov", "", TIER, "-5"]]
    report = import_benchmarks(tmp_path / "s.db", tmp_path, rows)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (5, 1, 4)
    problems = {(p.file_line, p.column): p for p in report.problems}
    assert set(problems) == {(3, "Metric"), (4, "Day"), (5, "Value"), (6, "Category"),
                             (6, "Value")}
    assert problems[(3, "Metric")].raw_value == "happiness"
    assert "gmv (GMV)" in problems[(3, "Metric")].reason
    assert "AOV" in problems[(3, "Metric")].reason
    assert "YYYY-MM-DD" in problems[(4, "Day")].reason
    assert problems[(5, "Value")].raw_value == "lots"
    assert "negative" in problems[(6, "Value")].reason
    with read_connection(tmp_path / "s.db") as conn:
        quarantined = conn.execute(
            "SELECT file_line, column_name FROM quarantine ORDER BY file_line").fetchall()
    assert [tuple(row) for row in quarantined][:3] == [(3, "Metric"), (4, "Day"), (5, "Value")]


def test_a_template_missing_columns_is_rejected_naming_them(tmp_path):
    path = write_csv(tmp_path, [["2026-11-20", "gmv", "100"]], header=["Day", "Metric", "Value"])
    report = import_file(tmp_path / "s.db", path)
    assert report.status == "rejected"
    assert "Benchmarks template" in report.message and "GMV tier" in report.message


def test_reimport_is_unchanged_and_a_changed_value_is_updated(tmp_path):
    db = tmp_path / "s.db"
    rows = [["2026-11-20", "gmv", BEAUTY, TIER, "100"],
            ["2026-11-20", "orders", BEAUTY, TIER, "4"]]
    first = import_benchmarks(db, tmp_path, rows)
    again = import_benchmarks(db, tmp_path, rows)
    assert (again.records.new, again.records.updated, again.records.unchanged) == (0, 0, 2)
    # Category and tier in another case are the same benchmark, not a second row.
    changed = import_benchmarks(db, tmp_path, [["2026-11-20", "gmv", BEAUTY.upper(),
                                                TIER.upper(), "120"]])
    assert (changed.records.new, changed.records.updated, changed.records.unchanged) == (0, 1, 0)
    with read_connection(db) as conn:
        stored = conn.execute("SELECT category, value, import_id FROM benchmark "
                              "WHERE metric = 'gmv'").fetchall()
    assert [tuple(row) for row in stored] == [(BEAUTY, 120.0, changed.import_id)]
    assert changed.import_id != first.import_id


def test_a_preview_classifies_without_writing(tmp_path):
    db = tmp_path / "s.db"
    import_benchmarks(db, tmp_path, [["2026-11-20", "gmv", BEAUTY, TIER, "100"]])
    path = write_csv(tmp_path, [["2026-11-20", "gmv", BEAUTY, TIER, "90"],
                                ["2026-11-21", "gmv", BEAUTY, TIER, "90"]])
    preview = import_file(db, path, dry_run=True)
    assert (preview.records.new, preview.records.updated) == (1, 1)
    assert stored_benchmarks(db) == {("2026-11-20", "gmv"): 100.0}


@pytest.mark.parametrize("raw, expected", [("17.50", "17.50"), ("$1,022.25", "1022.25"),
                                           ("MXN 3,121.71", "3121.71"), ("4.11%", "4.11"),
                                           ("1.234,5", "1234.5"), (12, "12"), ("--", None)])
def test_parse_number(raw, expected):
    assert parse_number(raw) == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize("raw", ["12abc", "1.5E+03", "$", "abc%"])
def test_parse_number_rejects_text(raw):
    with pytest.raises(CellError):
        parse_number(raw)


def test_metric_names_and_labels_match_any_case():
    assert metric_name("GMV") == metric_name("gmv") == "gmv"
    assert metric_name("Est. TikTok contribution") == "tiktok_contribution"
    assert metric_name("conversion rate") is None


# --- the comparison -----------------------------------------------------------------------

def test_daily_comparison_against_hand_values(hand_store, beauty_shop, tmp_path):
    import_benchmarks(hand_store, tmp_path, [["2026-11-20", "gmv", BEAUTY, TIER, "40"],
                                             ["2026-11-20", "orders", BEAUTY, TIER, "4"],
                                             ["2026-11-20", "aov", BEAUTY, TIER, "10"],
                                             ["2026-11-20", "gmv", "Home", TIER, "999"]])
    result = compare(hand_store, beauty_shop, daily_window(NOV20, TZ, LATER))
    rows = {row.metric: row for row in result.rows}
    assert set(rows) == {"gmv", "orders", "aov"}
    assert rows["gmv"].value == Decimal("49.96") and rows["gmv"].benchmark == Decimal("40.00")
    assert rows["gmv"].difference_pct == Decimal("24.9")  # 9.96 / 40 = 24.9 %
    assert rows["orders"].benchmark == Decimal(4)
    assert rows["orders"].difference_pct == Decimal("-50.0")
    assert rows["aov"].difference_pct == Decimal("149.8")  # (24.98 - 10) / 10
    assert {row.benchmark_day for row in result.rows} == {"2026-11-20"}
    assert {row.source for row in result.rows} == {SOURCE_FILE}
    assert not result.fallback_used and result.message is None and result.reason is None
    assert result.report_section()["gmv"] == {
        "value": 49.96, "benchmark": 40.0, "difference_pct": 24.9,
        "benchmark_day": "2026-11-20", "source": SOURCE_FILE, "basis": "same days"}


def test_daily_falls_back_to_the_day_before_and_says_so(hand_store, beauty_shop, tmp_path):
    import_benchmarks(hand_store, tmp_path, [["2026-11-20", "gmv", BEAUTY, TIER, "20"]])
    result = compare(hand_store, beauty_shop, daily_window(NOV21, TZ, LATER))
    assert result.fallback_used and result.fallback_day == NOV20
    assert "Nov 21" in result.message and "day before" in result.message
    assert "Nov 20" in result.message
    (row,) = result.rows
    assert row.benchmark_day == "2026-11-20"
    assert row.difference_pct == Decimal("35.0")  # (27.00 - 20) / 20


def test_no_benchmark_for_the_day_or_the_day_before_gives_a_reason(hand_store, beauty_shop,
                                                                   tmp_path):
    import_benchmarks(hand_store, tmp_path, [["2026-11-18", "gmv", BEAUTY, TIER, "20"]])
    result = compare(hand_store, beauty_shop, daily_window(NOV20, TZ, LATER))
    assert result.rows == () and not result.available
    assert "Benchmarks template" in result.reason and "Import page" in result.reason


def test_a_shop_without_category_or_tier_is_told_to_set_them(hand_store, tmp_path):
    shop = set_peer_group(hand_store, "My shop", BEAUTY, tier=None)
    import_benchmarks(hand_store, tmp_path, [["2026-11-20", "gmv", BEAUTY, TIER, "20"]])
    result = compare(hand_store, shop, daily_window(NOV20, TZ, LATER))
    assert result.rows == () and "GMV tier" in result.reason


@pytest.mark.parametrize("window", [
    today_window(datetime(2026, 11, 21, 20, 0, tzinfo=UTC), TZ),
    daily_window(NOV21, TZ, datetime(2026, 11, 21, 20, 0, tzinfo=UTC)),  # day in progress
], ids=["today", "daily-in-progress"])
def test_real_time_windows_have_no_benchmark(hand_store, beauty_shop, tmp_path, window):
    import_benchmarks(hand_store, tmp_path, [["2026-11-20", "gmv", BEAUTY, TIER, "20"],
                                             ["2026-11-21", "gmv", BEAUTY, TIER, "20"]])
    result = compare(hand_store, beauty_shop, window)
    assert result.rows == () and result.peer_rows == ()
    assert result.reason == REAL_TIME_REASON


def test_period_sums_totals_and_averages_ratios(hand_store, beauty_shop, tmp_path):
    import_benchmarks(hand_store, tmp_path, [["2026-11-20", "gmv", BEAUTY, TIER, "40"],
                                             ["2026-11-21", "gmv", BEAUTY, TIER, "30"],
                                             ["2026-11-20", "orders", BEAUTY, TIER, "4"],
                                             ["2026-11-21", "orders", BEAUTY, TIER, "2"],
                                             ["2026-11-20", "aov", BEAUTY, TIER, "10"],
                                             ["2026-11-21", "aov", BEAUTY, TIER, "20"],
                                             ["2026-11-22", "gmv", BEAUTY, TIER, "500"]])
    result = compare(hand_store, beauty_shop, period_window(NOV20, NOV21, TZ, LATER))
    rows = {row.metric: row for row in result.rows}
    assert rows["gmv"].benchmark == Decimal("70.00")  # summed, Nov 22 is outside
    assert rows["gmv"].difference_pct == Decimal("9.9")  # (76.96 - 70) / 70
    assert rows["orders"].benchmark == Decimal(6)
    assert rows["aov"].benchmark == Decimal("15.00")  # the mean of 10 and 20
    assert rows["gmv"].benchmark_day == "2026-11-20..2026-11-21"
    assert rows["gmv"].days_covered == 2
    assert (result.days_with_benchmark, result.days_in_window) == (2, 2)
    assert result.message is None and result.view is View.PERIOD


def test_period_partly_covered_compares_the_same_days(hand_store, beauty_shop, tmp_path):
    import_benchmarks(hand_store, tmp_path, [["2026-11-20", "gmv", BEAUTY, TIER, "40"]])
    result = compare(hand_store, beauty_shop, period_window(NOV20, NOV21, TZ, LATER))
    assert (result.days_with_benchmark, result.days_in_window) == (1, 2)
    assert "1 of the window's 2 days" in result.message
    (row,) = result.rows
    assert row.benchmark_day == "2026-11-20"
    # The shop's GMV of Nov 20 only (49.96), not of the two days (76.96 would say +92.4 %).
    assert row.value == Decimal("49.96") and row.difference_pct == Decimal("24.9")
    assert row.basis == "same days"


def test_period_leaves_out_the_day_in_progress(hand_store, beauty_shop, tmp_path):
    import_benchmarks(hand_store, tmp_path, [["2026-11-20", "gmv", BEAUTY, TIER, "40"],
                                             ["2026-11-21", "gmv", BEAUTY, TIER, "40"]])
    running = period_window(NOV20, NOV21, TZ, datetime(2026, 11, 21, 20, 0, tzinfo=UTC))
    (row,) = compare(hand_store, beauty_shop, running).rows
    assert (row.benchmark_day, row.value, row.benchmark) == (
        "2026-11-20", Decimal("49.96"), Decimal("40.00"))


def test_period_with_a_gap_compares_per_day_averages(hand_store, beauty_shop, tmp_path):
    import_benchmarks(hand_store, tmp_path, [["2026-11-20", "gmv", BEAUTY, TIER, "40"],
                                             ["2026-11-22", "gmv", BEAUTY, TIER, "10"]])
    result = compare(hand_store, beauty_shop,
                     period_window(NOV20, date(2026, 11, 22), TZ, LATER))
    (row,) = result.rows
    # Shop: 76.96 over Nov 20-22 = 25.65 a day; benchmark 50 over its 2 days = 25.00 a day.
    assert (row.value, row.benchmark, row.difference_pct) == (
        Decimal("25.65"), Decimal("25.00"), Decimal("2.6"))
    assert row.basis == "per-day average" and "per day" in result.message


def test_zero_benchmark_has_no_difference(hand_store, beauty_shop, tmp_path):
    import_benchmarks(hand_store, tmp_path, [["2026-11-20", "refunds", BEAUTY, TIER, "0"]])
    result = compare(hand_store, beauty_shop, daily_window(NOV20, TZ, LATER))
    (row,) = result.rows
    assert row.benchmark == Decimal("0.00") and row.difference_pct is None


def test_difference_pct_rounds_half_up_and_never_divides_by_zero():
    assert difference_pct(Decimal("10.5"), 10) == Decimal("5.0")
    assert difference_pct(Decimal("1.0005"), 1) == Decimal("0.1")
    assert difference_pct(5, 0) is None and difference_pct(None, 5) is None
    assert difference_pct(5, None) is None


# --- peer shops -----------------------------------------------------------------------------

def _orders(prefix: str, prices: list[int]) -> list[OrderSpec]:
    paid = datetime(2026, 11, 20, 12, 0)
    return [OrderSpec(f"{prefix}{index:016d}", "Delivered", paid, paid,
                      [line("01", 1, cents)], buyer_username=f"{prefix}-buyer{index}")
            for index, cents in enumerate(prices)]


@pytest.fixture
def peer_store(tmp_path: Path) -> Path:
    """Shops A, B, C of one category (C in another case), D of another, E without one."""
    db = tmp_path / "peers.db"
    shops = {"A": ([1000], BEAUTY), "B": ([2000, 2000], BEAUTY),
             "C": ([3000, 1000, 2000, 2000], BEAUTY.lower()), "D": ([9900], "Home"),
             "E": ([500], None)}
    for name, (prices, category) in shops.items():
        path = write_export(tmp_path, _orders(str(ord(name)), prices), name=f"{name}.csv")
        assert import_file(db, path, shop_name=name, timezone=TZ).ok
        set_peer_group(db, name, category)
    return db


def test_peers_are_the_average_of_shops_of_the_same_category(peer_store):
    with read_connection(peer_store) as conn:
        shop = find_shop(conn, "A")
        rows = {row.metric: row for row in
                peer_comparison(conn, shop, daily_window(NOV20, TZ, LATER))}
    # B: GMV 40.00 over 2 orders; C: GMV 80.00 over 4 orders. D (Home) and E are not peers.
    assert rows["gmv"].benchmark == Decimal("60.00")
    assert rows["gmv"].value == Decimal("10.00")
    assert rows["gmv"].difference_pct == Decimal("-83.3")
    assert rows["orders"].benchmark == Decimal(3)
    assert rows["aov"].benchmark == Decimal("20.00")
    assert {row.peers for row in rows.values()} == {2}
    assert {row.source for row in rows.values()} == {SOURCE_PEERS}
    assert rows["gmv"].benchmark_day == "2026-11-20"


def test_peers_without_orders_in_the_window_are_left_out(peer_store):
    with read_connection(peer_store) as conn:
        shop = find_shop(conn, "A")
        assert peer_comparison(conn, shop, daily_window(NOV21, TZ, LATER)) == []


def test_a_shop_without_category_has_no_peers(peer_store):
    with read_connection(peer_store) as conn:
        shop = find_shop(conn, "E")
        assert peer_comparison(conn, shop, daily_window(NOV20, TZ, LATER)) == []
        alone = find_shop(conn, "D")
        assert peer_comparison(conn, alone, daily_window(NOV20, TZ, LATER)) == []


def test_benchmark_comparison_offers_peers_beside_the_file(peer_store):
    with read_connection(peer_store) as conn:
        shop = find_shop(conn, "B")
    result = compare(peer_store, shop, daily_window(NOV20, TZ, LATER))
    assert result.rows == () and "Benchmarks template" in result.reason
    assert result.available and result.peers == 2  # A and C
    assert result.report_section()["gmv"]["source"] == SOURCE_PEERS


# --- the demo file ---------------------------------------------------------------------------

def test_demo_benchmarks_import_cleanly_without_the_last_day(tmp_path):
    first, last = date(2026, 11, 1), date(2026, 11, 25)
    options = dict(campaign_start=NOV20, campaign_end=date(2026, 12, 1))
    path = write_demo_benchmarks(tmp_path / "demo", first, last, BEAUTY, TIER, 7, **options)
    again = write_demo_benchmarks(tmp_path / "again", first, last, BEAUTY, TIER, 7, **options)
    assert path.name == "benchmarks.csv" and path.read_bytes() == again.read_bytes()
    report = import_file(tmp_path / "s.db", path)
    assert report.kind == "benchmarks" and report.rows_quarantined == 0
    assert report.rows_stored == 24 * len(DEMO_METRICS)
    values = stored_benchmarks(tmp_path / "s.db")
    assert ("2026-11-24", "gmv") in values and ("2026-11-25", "gmv") not in values
    assert {metric for _, metric in values} == set(DEMO_METRICS)
    ordinary = [values[(f"2026-11-{d:02d}", "gmv")] for d in range(1, 20)]
    campaign = [values[(f"2026-11-{d:02d}", "gmv")] for d in range(20, 25)]
    # Peers at ~70-90% of the demo shop's ~150 orders x ~$43 (~6,450) an ordinary day.
    assert 3500 < sum(ordinary) / len(ordinary) < 6500
    assert sum(campaign) / len(campaign) > 3 * sum(ordinary) / len(ordinary)
    for day in range(1, 25):
        gmv, orders = values[(f"2026-11-{day:02d}", "gmv")], values[(f"2026-11-{day:02d}",
                                                                      "orders")]
        assert values[(f"2026-11-{day:02d}", "aov")] == pytest.approx(gmv / orders, abs=0.01)


def test_demo_shop_sees_the_fallback_on_the_last_day(tmp_path, hand_store):
    shop = set_peer_group(hand_store, "My shop", BEAUTY)
    path = write_demo_benchmarks(tmp_path / "demo", date(2026, 11, 15), NOV21, BEAUTY, TIER, 3)
    assert import_file(hand_store, path).ok
    result = compare(hand_store, shop, daily_window(NOV21, TZ, LATER))
    assert result.fallback_used and result.fallback_day == NOV20
    assert {row.metric for row in result.rows} == set(DEMO_METRICS)

