"""The affiliate orders importer on files in the real layouts (US 30 columns, UK 31 with
Creator Region and DD/MM/YYYY dates): BOM, description row, trailing TABs, commission
precedence, Ineligible lines, idempotent re-import and quarantine of bad rows."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign_core.demo.content_files import (
    AFFILIATE_UK_HEADERS,
    AFFILIATE_US_HEADERS,
    AffiliateRowSpec,
    write_affiliate_csv,
)
from campaign_core.importers.affiliate_orders import (
    content_kind_of,
    line_commission_cents,
    parse_rate_pct,
)
from campaign_core.importers.pipeline import import_file
from campaign_core.importers.values import CellError
from campaign_core.store import read_connection
from tests.conftest import TZ

SKU_A, SKU_B = "1729000000000000001", "1729000000000000002"
PRODUCT = "1730000000000000001"


def spec(order: str, sku: str = SKU_A, **fields) -> AffiliateRowSpec:
    values = dict(order_id=order, sku_id=sku, product_id=PRODUCT, creator="glowqueen",
                  content_kind="video", content_id="7300000000000000001", price_cents=1299,
                  quantity=2, paid=datetime(2026, 11, 5, 14, 30, 0), est_standard_cents=260)
    values.update(fields)
    return AffiliateRowSpec(**values)


def stored_lines(db: Path) -> dict[tuple[str, str], dict]:
    with read_connection(db) as conn:
        return {(r["order_id"], r["sku_id"]): dict(r)
                for r in conn.execute("SELECT * FROM affiliate_line")}


def utc(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=ZoneInfo(TZ)).timestamp())


def test_layouts_have_30_and_31_columns():
    assert len(AFFILIATE_US_HEADERS) == 30
    assert len(AFFILIATE_UK_HEADERS) == 31
    assert AFFILIATE_UK_HEADERS[AFFILIATE_UK_HEADERS.index("Creator Username") + 1] == \
        "Creator Region"


@pytest.mark.parametrize("layout", ["us", "uk"])
def test_layout_imports_with_bom_description_row_and_tabs(tmp_path, layout):
    path = write_affiliate_csv(tmp_path / f"all_{layout}.csv", [
        spec("580000000000000001"),
        spec("580000000000000002", SKU_B, content_kind="live",
             content_id="7400000000000000001", creator="@LiveAnna"),
        spec("580000000000000003", content_kind="card", content_id=""),
    ], layout=layout, with_description_row=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    report = import_file(tmp_path / "s.db", path, timezone=TZ)
    assert report.ok, report.message
    assert report.kind == "affiliate_orders"
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (3, 3, 0)
    lines = stored_lines(tmp_path / "s.db")
    first = lines[("580000000000000001", SKU_A)]
    assert first["content_kind"] == "video" and first["content_id"] == "7300000000000000001"
    # 5 Nov 2026 14:30 shop time, whichever way the layout writes it (UK: 05/11/2026).
    assert first["paid_utc"] == utc(2026, 11, 5, 14, 30)
    assert first["quantity"] == 2 and first["price_cents"] == 1299
    assert first["creator_region"] == ("GB" if layout == "uk" else None)
    assert first["standard_rate"] == 10.0
    assert lines[("580000000000000002", SKU_B)]["content_kind"] == "live"
    card = lines[("580000000000000003", SKU_A)]
    assert card["content_kind"] == "card" and card["content_id"] is None
    with read_connection(tmp_path / "s.db") as conn:
        content = {r["content_id"]: dict(r) for r in conn.execute("SELECT * FROM content")}
    assert set(content) == {"7300000000000000001", "7400000000000000001"}
    assert content["7400000000000000001"]["kind"] == "live"
    assert content["7400000000000000001"]["creator"] == "@LiveAnna"


def test_uk_day_first_dates_are_not_read_month_first(tmp_path):
    # 03/12/2026 is 3 December in the UK layout, even though it could be March 12.
    path = write_affiliate_csv(tmp_path / "uk.csv", [
        spec("580000000000000001", paid=datetime(2026, 12, 3, 9, 0))], layout="uk")
    assert "03/12/2026 09:00:00" in path.read_text(encoding="utf-8-sig")
    assert import_file(tmp_path / "s.db", path, timezone=TZ).ok
    line = stored_lines(tmp_path / "s.db")[("580000000000000001", SKU_A)]
    assert line["paid_utc"] == utc(2026, 12, 3, 9, 0)


def test_us_file_with_24_hour_slash_dates_reads_month_first(tmp_path):
    path = tmp_path / "us.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order ID", "SKU ID", "Creator Username", "Content Type", "Content ID",
                         "Quantity", "Price", "Payment time"])
        writer.writerow(["580000000000000001\t", SKU_A, "amy", "Video", "731", "1", "5.00",
                         "03/12/2026 09:00:00\t"])
    assert import_file(tmp_path / "s.db", path, timezone=TZ).ok
    line = stored_lines(tmp_path / "s.db")[("580000000000000001", SKU_A)]
    assert line["paid_utc"] == utc(2026, 3, 12, 9, 0)


def test_commission_takes_actual_if_positive_else_estimated_per_part(tmp_path):
    path = write_affiliate_csv(tmp_path / "all.csv", [
        # standard: actual 0 -> est 2.40; Shop Ads: actual 1.20 beats est 1.00; bonus est 0.50
        spec("580000000000000001", est_standard_cents=240, actual_standard_cents=0,
             est_shop_ads_cents=100, actual_shop_ads_cents=120, est_bonus_cents=50),
        # Ineligible: owes nothing, whatever the estimates say
        spec("580000000000000002", status="Ineligible", est_standard_cents=130,
             est_bonus_cents=20),
        # every part settled
        spec("580000000000000003", est_standard_cents=260, actual_standard_cents=255,
             est_bonus_cents=40, actual_bonus_cents=45),
    ])
    assert import_file(tmp_path / "s.db", path, timezone=TZ).ok
    lines = stored_lines(tmp_path / "s.db")
    assert lines[("580000000000000001", SKU_A)]["commission_cents"] == 240 + 120 + 50
    ineligible = lines[("580000000000000002", SKU_A)]
    assert ineligible["commission_cents"] == 0 and ineligible["is_ineligible"] == 1
    assert lines[("580000000000000003", SKU_A)]["commission_cents"] == 255 + 45


def test_line_commission_rule_directly():
    values = {"est_standard_cents": 100, "actual_standard_cents": -5,
              "est_shop_ads_cents": None, "actual_shop_ads_cents": None,
              "est_bonus_cents": 7, "actual_bonus_cents": 9}
    assert line_commission_cents(values, False) == 100 + 0 + 9
    assert line_commission_cents(values, True) == 0


def test_reimport_is_idempotent_and_a_changed_row_updates(tmp_path):
    db = tmp_path / "s.db"
    rows = [spec("580000000000000001"), spec("580000000000000002")]
    first = import_file(db, write_affiliate_csv(tmp_path / "a.csv", rows), timezone=TZ)
    assert (first.records.new, first.records.updated) == (2, 0)
    before = stored_lines(db)
    again = import_file(db, write_affiliate_csv(tmp_path / "b.csv", rows), timezone=TZ)
    assert (again.records.new, again.records.updated, again.records.unchanged) == (0, 0, 2)
    after = stored_lines(db)
    assert {k: {c: v for c, v in row.items() if c != "import_id"} for k, row in after.items()} \
        == {k: {c: v for c, v in row.items() if c != "import_id"} for k, row in before.items()}
    rows[0].actual_standard_cents = 300
    changed = import_file(db, write_affiliate_csv(tmp_path / "c.csv", rows), timezone=TZ)
    assert (changed.records.updated, changed.records.unchanged) == (1, 1)
    assert stored_lines(db)[("580000000000000001", SKU_A)]["commission_cents"] == 300
    with read_connection(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM content").fetchone()[0] == 1


def test_bad_rows_go_to_quarantine_and_the_rest_imports(tmp_path):
    path = write_affiliate_csv(tmp_path / "all.csv", [
        spec("580000000000000001"), spec("5.8E+17"), spec("580000000000000003"),
        spec("580000000000000004")])
    text = path.read_text(encoding="utf-8-sig").replace("$12.99", "$12.x9", 1)
    path.write_text(text, encoding="utf-8-sig")
    db = tmp_path / "s.db"
    report = import_file(db, path, timezone=TZ)
    assert report.ok
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (4, 2, 2)
    with read_connection(db) as conn:
        problems = [dict(r) for r in conn.execute(
            "SELECT file_line, column_name, raw_value, reason FROM quarantine "
            "ORDER BY file_line")]
    assert problems[0]["file_line"] == 2 and problems[0]["column_name"] == "Price"
    assert problems[0]["raw_value"] == "$12.x9"
    assert problems[1]["file_line"] == 3 and problems[1]["column_name"] == "Order ID"
    assert "scientific" in problems[1]["reason"]
    assert set(stored_lines(db)) == {("580000000000000003", SKU_A),
                                     ("580000000000000004", SKU_A)}


def test_content_type_words():
    assert content_kind_of("Video") == "video"
    assert content_kind_of("Livestream") == "live"
    assert content_kind_of("LIVE") == "live"
    assert content_kind_of("Showcase") == "card"
    assert content_kind_of("Product card") == "card"
    assert content_kind_of(None) == "card"


@pytest.mark.parametrize("raw, expected", [("10%", 10.0), ("15.5", 15.5), ("0.155", 15.5),
                                           ("--", None), (0.2, 20.0)])
def test_rates_read_as_percent(raw, expected):
    assert parse_rate_pct(raw) == expected


def test_rate_garbage_is_an_error():
    with pytest.raises(CellError):
        parse_rate_pct("ten")


def test_video_row_without_content_id_is_quarantined_but_odd_extras_are_not(tmp_path):
    path = write_affiliate_csv(tmp_path / "all.csv", [
        spec("580000000000000001", content_id=""),  # a video that names no video
        spec("580000000000000002", content_kind="card", content_id=""),
        spec("580000000000000003")])
    text = path.read_text(encoding="utf-8-sig").replace(",No,", ",Partly,")
    path.write_text(text.replace("10%", "ten percent"), encoding="utf-8-sig")
    db = tmp_path / "s.db"
    report = import_file(db, path, timezone=TZ)
    assert (report.rows_stored, report.rows_quarantined) == (2, 1)
    assert report.problems[0].column == "Content ID" and report.problems[0].file_line == 2
    line = stored_lines(db)[("580000000000000003", SKU_A)]
    assert line["fully_returned"] is None and line["standard_rate"] is None
