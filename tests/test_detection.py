"""Detection never guesses silently: every known layout is read as its own kind (a confusion
matrix with nothing off the diagonal), the most specific fit wins, a tie is refused, a
rejected file names the closest kind in two lines, and a file whose key measures are all
empty is a warning, not a plain success."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from campaign_core.importers.detection import NoKindFits, detect
from campaign_core.importers.kinds import KINDS, PRODUCT_ANALYTICS, PRODUCT_LIST
from campaign_core.importers.pipeline import import_file
from tests import market_layout_files as market
from tests.conftest import TZ
from tests.marketing_files import write_csv, write_xlsx
from tests.sample_layouts import NO_KIND, sample_layouts


def detected_kind(rows: list[list[object]]) -> str:
    try:
        return detect(rows)[1].kind.name
    except NoKindFits:
        return NO_KIND


def test_every_sample_layout_is_detected_as_its_kind():
    matrix = Counter((sample.kind, detected_kind(sample.rows)) for sample in sample_layouts())
    off_diagonal = {pair: count for pair, count in matrix.items() if pair[0] != pair[1]}
    assert off_diagonal == {}
    covered = {expected for expected, _ in matrix}
    # Every kind has at least one sample layout, so the matrix covers them all.
    assert covered == {kind.name for kind in KINDS} | {NO_KIND}


def test_the_data_compass_44_column_export_is_product_analytics_not_a_product_list():
    line, fit, preamble = detect(market.DATA_COMPASS_44)
    assert (line, fit.kind) == (3, PRODUCT_ANALYTICS)
    assert preamble[-1] == [market.ANALYSIS_DATE]
    # The product list fits the header too, with fewer columns: it loses, it is not chosen
    # by its place in KINDS.
    assert not PRODUCT_LIST.match(market.DATA_COMPASS_44_HEADER).missing_required


def test_the_grouped_header_reads_each_group_measure_by_its_group():
    _, fit, _ = detect(market.DATA_COMPASS_GROUPED)
    header = market.GROUPED_HEADER
    positions = fit.columns.positions
    assert fit.kind == PRODUCT_ANALYTICS
    assert positions["gmv"] == header.index("GMV")  # the "All" group comes first
    assert [positions[name] for name in ("live_gmv", "video_gmv", "affiliate_gmv",
                                         "product_card_gmv", "shop_tab_gmv")] == \
        [11, 14, 17, 20, 23]
    assert (positions["shop_tab_impressions"], positions["shop_tab_clicks"]) == (24, 25)


def test_a_header_fitting_two_kinds_equally_is_refused_not_guessed():
    twin = replace(PRODUCT_LIST, name="product_list_twin", label="Product list twin")
    with pytest.raises(NoKindFits, match="fits two kinds equally"):
        detect([["Product ID", "Product name", "Status"]], kinds=(PRODUCT_LIST, twin))


def test_a_rejected_file_names_the_closest_kind_its_missing_columns_and_its_source(tmp_path):
    path = write_csv(tmp_path / "ads.csv", [["Campaign name", "Campaign ID", "Cost"],
                                            ["Max", "1801000000000000001", "10.00"]])
    report = import_file(tmp_path / "s.db", path, timezone=TZ)
    assert report.status == "rejected"
    lines = report.message.split("\n")
    assert len(lines) == 2, report.message
    assert "GMV Max campaign report" in lines[0] and "Gross revenue" in lines[0]
    assert "TikTok Ads Manager > GMV Max > Campaigns > Export" in lines[1]
    assert "README" in lines[1]
    # Not the paragraph listing every kind.
    assert "Sub-campaigns template" not in report.message


def test_an_unknown_file_says_so_in_two_lines(tmp_path):
    path = write_csv(tmp_path / "other.csv", [["Date", "Views", "Likes"], ["2026-04-01", "1", "2"]])
    report = import_file(tmp_path / "s.db", path, timezone=TZ)
    assert report.status == "rejected"
    assert len(report.message.split("\n")) == 2 and "README" in report.message


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_file_whose_key_measures_are_all_empty_is_a_warning(tmp_path, writer, capsys):
    empty = [["Product analysis"], [market.ANALYSIS_DATE], market.DATA_COMPASS_44_HEADER]
    for row in market.DATA_COMPASS_44_ROWS:
        empty.append([cell if header in ("Product ID", "Product name", "Listing status")
                      else ("--" if index % 2 else "0")
                      for index, (header, cell) in enumerate(
                          zip(market.DATA_COMPASS_44_HEADER, row, strict=True))])
    suffix = "csv" if writer is write_csv else "xlsx"
    report = import_file(tmp_path / "s.db", writer(tmp_path / f"empty.{suffix}", empty),
                         timezone=TZ)
    assert report.status == "imported" and report.kind == "product_analytics", report.message
    [warning] = report.warnings
    assert "GMV" in warning and "Product impressions" in warning
    assert "WARNING" in report.summary_line()


def test_a_file_with_measures_is_no_warning(tmp_path):
    report = import_file(tmp_path / "s.db",
                         write_csv(tmp_path / "full.csv", market.DATA_COMPASS_44), timezone=TZ)
    assert report.status == "imported" and report.warnings == [], report.message


def test_the_warning_is_in_the_import_log_and_the_command_line(tmp_path, capsys):
    from campaign_core.cli import main
    from campaign_core.store import read_connection

    empty = [market.PRODUCT_LEVEL_HEADER,
             [market.PRODUCT_A, "Lip tint", "Active", "0", "0", "--", "0.00", "--", "USD"]]
    path = write_csv(tmp_path / "Product report(2026-11-01 to 2026-11-07).csv", empty)
    db = tmp_path / "s.db"
    main(["import", "--db", str(db), "--timezone", TZ, str(path)])
    out = capsys.readouterr().out
    assert "WARNING" in out and "Cost" in out
    with read_connection(db) as conn:
        status, message = conn.execute("SELECT status, message FROM import_log").fetchone()
    assert status == "imported" and message.startswith("WARNING") and "Gross revenue" in message



# The demo writes its files through the real layouts' writers: each must be read as the
# kind its name says (names here, never used by detection itself).
DEMO_FILE_KINDS = (
    ("All order-", "orders"), ("Ads Manager custom report", "ads_manager"),
    ("Campaign Report(", "gmv_max_campaign"), ("Campaign Report by day(", "gmv_max_campaign"),
    ("Creative Report(", "gmv_max_creative"),
    ("Video Performance List", "video_data"), ("affiliate_orders", "affiliate_orders"),
    ("roas_benchmarks", "benchmarks"), ("benchmarks", "benchmarks"),
    ("content_flags", "content_flags"), ("creator_deals", "creator_deals"),
    ("creator_fees", "creator_fees"), ("experiment_counts", "experiment_counts"),
    ("income_", "settlement"), ("live_sessions", "live_list"),
    ("product_analytics", "product_analytics"), ("product_costs", "product_costs"),
    ("product_list", "product_list"), ("sample_shipments", "sample_shipments"),
    ("stock", "stock"), ("sub_campaigns", "sub_campaigns"),
    ("traffic_by_channel", "traffic_channels"))


def test_every_demo_file_is_detected_as_its_kind(demo_store):
    from campaign_core.demo.build import demo_folder
    from campaign_core.importers.ecb_rates import is_ecb_file
    from campaign_core.importers.reading import open_source

    matrix = Counter()
    for path in sorted(demo_folder(demo_store).iterdir()):
        if not path.is_file() or is_ecb_file(path):  # rates: their own reader, not a kind
            continue
        expected = next((kind for prefix, kind in DEMO_FILE_KINDS if prefix in path.name),
                        f"(unlisted: {path.name})")
        table = open_source(path)
        table.rows.close()
        matrix[(expected, table.kind.name)] += 1
    assert {pair: n for pair, n in matrix.items() if pair[0] != pair[1]} == {}
    assert sum(matrix.values()) >= 20


def test_a_workbook_without_a_known_sheet_names_the_closest_kind_in_two_lines(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Summary"
    book.active.append(["Income summary", "2026-11"])
    detail = book.create_sheet("Order details")
    detail.append(["Order/adjustment ID", "Type", "Currency"])
    detail.append(["576000000000000101", "Order", "IDR"])
    path = tmp_path / "income(UTC+7).xlsx"
    book.save(path)
    report = import_file(tmp_path / "s.db", path, timezone=TZ)
    assert report.status == "rejected"
    first, second = report.message.split("\n")
    assert "'Order details'" in first and "Settlement (income) export" in first
    assert "Total settlement amount" in first
    assert "Finance > Income > Export" in second


def test_the_import_page_shows_a_warning_for_blank_figures(app_env, tmp_path):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJECT_ROOT

    empty = [market.PRODUCT_LEVEL_HEADER,
             [market.PRODUCT_A, "Lip tint", "Active", "0", "0", "--", "0.00", "--", "USD"]]
    report = import_file(tmp_path / "s.db", write_csv(
        tmp_path / "Product report(2026-11-01 to 2026-11-07).csv", empty), timezone=TZ)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/import_data.py")
    at.session_state["import_results"] = [report]
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("Product report" in w and "empty or zero" in w for w in warnings), warnings
    imported_table = at.dataframe[0].value
    assert list(imported_table["status"]) == ["imported, with a warning"]


@pytest.mark.parametrize(("header", "field"), [
    ("GMV (Rp)", "gmv"), ("GMV(₫)", "gmv"), ("GMV (USD)", "gmv"), ("Refunds ($)", "refunds"),
    ("Product impressions", "impressions")])
def test_a_currency_after_a_header_name_still_matches(header, field):
    columns = PRODUCT_ANALYTICS.match(["Product ID", header, "Product impressions",
                                       "Product clicks", "GMV", "Refunds"])
    assert columns.positions[field] == 1 or header == "Product impressions"


def test_spaces_around_brackets_do_not_matter():
    from campaign_core.importers.kinds import SETTLEMENT

    columns = SETTLEMENT.match(["Order/adjustment ID", "Type", "Order settled time (UTC)",
                                "Total settlement amount"])
    assert columns.headers["settled_time"] == "Order settled time (UTC)"


def test_a_file_that_fits_a_small_kind_but_is_mostly_another_is_refused(tmp_path):
    # A Data Compass export without its traffic columns fits the product list (Product ID,
    # Product name, Listing status), but most of its columns are product analytics': read
    # as a product list, its GMV and orders would be thrown away without a word.
    rows = [[market.ANALYSIS_DATE],
            ["Product ID", "Product name", "Listing status", "GMV", "Items sold", "Orders",
             "SKU orders", "Refunds"],
            [market.PRODUCT_A, "Lip tint", "Live", "150000", "52", "41", "45", "0"]]
    report = import_file(tmp_path / "s.db", write_csv(tmp_path / "sales.csv", rows),
                         timezone=TZ)
    assert report.status == "rejected"
    first, second = report.message.split("\n")
    assert "Product analytics export" in first and "Product impressions" in first
    assert "Product list" in first
    assert "Data Compass > Product analysis" in second
