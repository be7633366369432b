"""Stock snapshots (template and Open API inventory JSON) and product costs (template and
``store.costs``: a cost applies from its valid-from day, by the line's local paid day).

The JSON is written here with the structure of TikTok's example response
(``inventory-search.response.example.json`` in the team's format notes), so the tests never
read files outside the repository.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign_core.demo.order_files import OrderSpec
from campaign_core.importers import product_costs, stock
from campaign_core.importers.pipeline import import_file
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.costs import (
    day_buckets,
    line_costs,
    list_costs,
    set_unit_cost,
    unit_cost_on,
)
from campaign_core.store.shops import resolve_shop
from campaign_core.templates import TEMPLATES
from campaign_core.windows import local_midnight_utc
from tests.conftest import TZ, line, write_export

SKU_RED, SKU_PINK, SKU_SERUM = ("1729000000000000001", "1729000000000000002",
                                "1729000000000000003")
SKU_TWIN_A, SKU_TWIN_B = "1729000000000000004", "1729000000000000005"
NOW = 1_795_000_000  # a fixed "import time" (Nov 18, 2026, 11:06:40 UTC)


def catalog_orders() -> list[OrderSpec]:
    """Orders that put five SKUs with seller SKUs in the catalog; two share ``TWIN``.
    Paid (Los Angeles time): Nov 20 10:01, Nov 20 23:30 (Nov 21 in UTC), Nov 21 09:00."""
    return [
        OrderSpec("576000000000000101", "Delivered", datetime(2026, 11, 20, 10, 0),
                  datetime(2026, 11, 20, 10, 1),
                  [line("01", 2, 1299, seller_sku="LIP-RED"),
                   line("02", 1, 1299, seller_sku="LIP-PINK")], buyer_username="amy"),
        OrderSpec("576000000000000102", "Delivered", datetime(2026, 11, 20, 23, 29),
                  datetime(2026, 11, 20, 23, 30),
                  [line("01", 1, 1299, seller_sku="LIP-RED"),
                   line("04", 1, 500, seller_sku="TWIN"),
                   line("05", 1, 500, seller_sku="TWIN")], buyer_username="bob"),
        OrderSpec("576000000000000103", "Delivered", datetime(2026, 11, 21, 9, 0),
                  datetime(2026, 11, 21, 9, 0),
                  [line("01", 3, 1299, seller_sku="LIP-RED"),
                   line("03", 1, 2500, seller_sku="SERUM")], buyer_username="carl"),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "store.db"
    report = import_file(db, write_export(tmp_path, catalog_orders()), timezone=TZ)
    assert report.ok, report.message
    return db


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(stock, "_now_utc", lambda: NOW)
    return NOW


def write_csv(folder: Path, header: list[str], rows: list[list[str]], name: str) -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def imported(db: Path, path: Path, kind: str, **options):
    report = import_file(db, path, **options)
    assert report.ok, report.message
    assert report.kind == kind
    return report


def snapshots(db: Path) -> dict[tuple[str, int], tuple]:
    with read_connection(db) as conn:
        rows = conn.execute("SELECT sku_id, as_of_utc, available, reserved, inbound, source "
                            "FROM stock_snapshot").fetchall()
    return {(row[0], row[1]): tuple(row)[2:] for row in rows}


def quarantine(db: Path) -> list[tuple]:
    with read_connection(db) as conn:
        rows = conn.execute("SELECT file_line, column_name, raw_value, reason FROM quarantine "
                            "ORDER BY quarantine_id").fetchall()
    return [tuple(row) for row in rows]


def local(*parts: int) -> int:
    """A Los Angeles wall-clock time as a UTC instant."""
    return int(datetime(*parts, tzinfo=ZoneInfo(TZ)).timestamp())


# --- stock template ---------------------------------------------------------------------

STOCK_HEADER = ["SKU ID", "Seller SKU", "Available", "Reserved", "Inbound", "As of"]


def test_stock_template_by_sku_id(store: Path, tmp_path: Path):
    rows = [[SKU_RED, "", "120", "8", "50", "2026-11-20 09:00"],
            [SKU_PINK, "", "0", "", "", "11/20/2026 09:00:00 AM"]]
    report = imported(store, write_csv(tmp_path, STOCK_HEADER, rows, "stock.csv"), "stock")
    assert (report.rows_stored, report.records.new) == (2, 2)
    assert snapshots(store) == {
        (SKU_RED, local(2026, 11, 20, 9, 0)): (120, 8, 50, "template"),
        (SKU_PINK, local(2026, 11, 20, 9, 0)): (0, None, None, "template")}


def test_stock_template_by_seller_sku_and_unknown_ones_quarantined(store: Path,
                                                                   tmp_path: Path):
    header = ["Seller SKU", "Available", "As of"]
    rows = [["LIP-RED", "40", "2026-11-21 08:00"],
            ["NO-SUCH-SKU", "3", "2026-11-21 08:00"],
            ["TWIN", "7", "2026-11-21 08:00"]]
    report = imported(store, write_csv(tmp_path, header, rows, "stock.csv"), "stock")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (3, 1, 2)
    assert snapshots(store) == {
        (SKU_RED, local(2026, 11, 21, 8, 0)): (40, None, None, "template")}
    (unknown, twin) = quarantine(store)
    assert unknown[:3] == (3, "Seller SKU", "NO-SUCH-SKU")
    assert "no SKU with the seller SKU" in unknown[3]
    assert twin[:3] == (4, "Seller SKU", "TWIN")
    assert SKU_TWIN_A in twin[3] and "SKU ID" in twin[3]
    with read_connection(store) as conn:
        logged = conn.execute("SELECT rows_quarantined FROM import_log "
                              "WHERE import_id = :id", {"id": report.import_id}).fetchone()
    assert logged[0] == 2


def test_a_preview_counts_unknown_seller_skus_once(store: Path, tmp_path: Path):
    path = write_csv(tmp_path, ["Seller SKU", "Available"], [["NOPE", "1"], ["LIP-RED", "2"]],
                     "stock.csv")
    report = import_file(store, path, dry_run=True)
    assert report.status == "preview"
    assert (report.rows_stored, report.rows_quarantined, report.records.new) == (1, 1, 1)
    assert len(report.problems) == 1


def test_stock_snapshots_are_idempotent(store: Path, tmp_path: Path):
    rows = [[SKU_RED, "", "120", "8", "50", "2026-11-20 09:00"]]
    imported(store, write_csv(tmp_path, STOCK_HEADER, rows, "a.csv"), "stock")
    again = imported(store, write_csv(tmp_path, STOCK_HEADER, rows, "b.csv"), "stock")
    assert (again.records.new, again.records.updated, again.records.unchanged) == (0, 0, 1)
    rows[0][2] = "110"
    changed = imported(store, write_csv(tmp_path, STOCK_HEADER, rows, "c.csv"), "stock")
    assert (changed.records.new, changed.records.updated) == (0, 1)
    assert snapshots(store) == {(SKU_RED, local(2026, 11, 20, 9, 0)): (110, 8, 50, "template")}


def test_a_row_without_as_of_is_stamped_with_the_import_time(store: Path, tmp_path: Path,
                                                             fixed_now: int):
    rows = [[SKU_SERUM, "", "9", "", "", ""]]
    report = imported(store, write_csv(tmp_path, STOCK_HEADER, rows, "stock.csv"), "stock")
    assert snapshots(store) == {(SKU_SERUM, fixed_now): (9, None, None, "template")}
    assert any("stamped with the import time" in note for note in report.notes)


def test_bad_stock_cells_are_quarantined_with_line_and_column(store: Path, tmp_path: Path):
    rows = [[SKU_RED, "", "-3", "", "", ""],
            ["", "", "5", "", "", ""],
            [SKU_PINK, "", "5", "two", "", "2026-02-30 10:00"]]
    report = imported(store, write_csv(tmp_path, STOCK_HEADER, rows, "stock.csv"), "stock")
    assert report.rows_quarantined == 3
    assert [(p.file_line, p.column) for p in report.problems] == [
        (2, "Available"), (3, "SKU ID"), (4, "Reserved"), (4, "As of")]
    assert "cannot be negative" in report.problems[0].reason
    assert "SKU ID or Seller SKU is missing" in report.problems[1].reason


def test_a_stock_file_without_a_sku_column_is_rejected(store: Path, tmp_path: Path):
    path = write_csv(tmp_path, ["Product", "Available"], [["Lip tint", "4"]], "stock.csv")
    report = import_file(store, path)
    assert report.status == "rejected"
    assert "SKU ID or Seller SKU" in report.message


# --- stock from the Open API ------------------------------------------------------------


def inventory_response(skus_by_product: dict[str, list[dict]]) -> dict:
    return {"code": 0,
            "data": {"inventory": [{"product_id": product_id, "skus": skus}
                                   for product_id, skus in skus_by_product.items()]},
            "message": "Success", "request_id": "202203070749000101890810281E8C70B7"}


def api_sku(sku_id: object, seller_sku: str, available: object, committed: object) -> dict:
    """One SKU of an inventory search response, with the nested parts the example has."""
    return {
        "id": sku_id, "seller_sku": seller_sku, "total_available_quantity": available,
        "total_committed_quantity": committed,
        "warehouse_inventory": [{"warehouse_id": "7054915283043174149",
                                 "available_quantity": available,
                                 "committed_quantity": committed}],
        "total_available_inventory_distribution": {
            "campaign_inventory": [{"quantity": 30, "campaign_name": "Big Sale"}],
            "creator_inventory": [{"quantity": 20, "creator_name": "py001"}],
            "in_shop_inventory": {"quantity": 50}},
    }


def write_json(folder: Path, document: object, name: str = "inventory.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_open_api_inventory_response(store: Path, tmp_path: Path, fixed_now: int):
    document = inventory_response({
        "1730000000000000001": [api_sku(SKU_RED, "LIP-RED", 100, 10),
                                api_sku(int(SKU_PINK), "LIP-PINK", 0, 0)],
        "1730000000000000002": [api_sku("", "SERUM", 12, 1),
                                api_sku(SKU_TWIN_A, "TWIN", "lots", 0)]})
    report = imported(store, write_json(tmp_path, document), "stock")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (4, 3, 1)
    assert report.problems[0].file_line == 4 and report.problems[0].column == "Available"
    assert snapshots(store) == {
        (SKU_RED, fixed_now): (100, 10, None, "api"),
        (SKU_PINK, fixed_now): (0, 0, None, "api"),
        (SKU_SERUM, fixed_now): (12, 1, None, "api")}
    again = imported(store, write_json(tmp_path, document, "again.json"), "stock")
    assert (again.records.new, again.records.unchanged) == (0, 3)


def test_an_empty_inventory_response_is_rejected(store: Path, tmp_path: Path):
    report = import_file(store, write_json(tmp_path, inventory_response({})))
    assert report.status == "rejected" and "lists no SKUs" in report.message


# --- product costs -----------------------------------------------------------------------

COST_HEADER = ["SKU ID", "Seller SKU", "Unit cost", "Currency", "Valid from"]


def costs(db: Path) -> list[tuple]:
    with read_connection(db) as conn:
        shop = resolve_shop(conn, None, None)
        return [(c.sku_id, c.valid_from, c.unit_cost_cents, c.currency)
                for c in list_costs(conn, shop.shop_id)]


def test_costs_template_by_sku_id_and_seller_sku(store: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(product_costs, "_today", lambda timezone: date(2026, 11, 18))
    rows = [[SKU_RED, "", "$4.20", "", "2026-11-01"],
            ["", "SERUM", "7.5", "cny", ""],
            ["", "GHOST", "1.00", "", ""]]
    report = imported(store, write_csv(tmp_path, COST_HEADER, rows, "costs.csv"),
                      "product_costs")
    assert (report.rows_stored, report.rows_quarantined, report.records.new) == (2, 1, 2)
    assert costs(store) == [(SKU_RED, date(2026, 11, 1), 420, "USD"),
                            (SKU_SERUM, date(2026, 11, 18), 750, "CNY")]
    assert report.problems[0].file_line == 4 and report.problems[0].column == "Seller SKU"


def test_costs_reimport_unchanged_and_changed_cost_updated(store: Path, tmp_path: Path):
    rows = [[SKU_RED, "", "4.20", "USD", "2026-11-01"]]
    imported(store, write_csv(tmp_path, COST_HEADER, rows, "a.csv"), "product_costs")
    again = imported(store, write_csv(tmp_path, COST_HEADER, rows, "b.csv"), "product_costs")
    assert (again.records.new, again.records.updated, again.records.unchanged) == (0, 0, 1)
    rows.append([SKU_RED, "", "5.00", "USD", "2026-11-21"])
    rows[0][2] = "4.25"
    changed = imported(store, write_csv(tmp_path, COST_HEADER, rows, "c.csv"),
                       "product_costs")
    assert (changed.records.new, changed.records.updated) == (1, 1)
    assert costs(store) == [(SKU_RED, date(2026, 11, 1), 425, "USD"),
                            (SKU_RED, date(2026, 11, 21), 500, "USD")]


def test_bad_cost_cells_are_quarantined(store: Path, tmp_path: Path):
    rows = [[SKU_RED, "", "-1.00", "", ""],
            [SKU_RED, "", "4.00", "dollars", ""],
            [SKU_RED, "", "4.00", "", "11/01/2026"]]
    report = imported(store, write_csv(tmp_path, COST_HEADER, rows, "costs.csv"),
                      "product_costs")
    assert report.rows_quarantined == 3
    assert [(p.file_line, p.column) for p in report.problems] == [
        (2, "Unit cost"), (3, "Currency"), (4, "Valid from")]
    assert "YYYY-MM-DD" in report.problems[2].reason
    assert costs(store) == []


def test_a_cost_applies_from_its_day_and_earlier_days_keep_the_old_cost(store: Path):
    with write_transaction(store) as conn:
        shop_id = resolve_shop(conn, None, None).shop_id
        set_unit_cost(conn, shop_id, SKU_RED, 400, date(2026, 11, 1), None)
        set_unit_cost(conn, shop_id, SKU_RED, 500, "2026-11-21", "USD")
    with read_connection(store) as conn:
        assert unit_cost_on(conn, shop_id, SKU_RED, date(2026, 10, 31)) is None
        assert unit_cost_on(conn, shop_id, SKU_RED, date(2026, 11, 1)) == 400
        assert unit_cost_on(conn, shop_id, SKU_RED, "2026-11-20") == 400
        assert unit_cost_on(conn, shop_id, SKU_RED, date(2026, 11, 21)) == 500
        assert unit_cost_on(conn, shop_id, SKU_RED, date(2027, 1, 1)) == 500
        assert unit_cost_on(conn, shop_id, SKU_PINK, date(2026, 11, 21)) is None
        assert list_costs(conn, shop_id)[0].currency == "USD"  # the shop's by default


def test_line_costs_use_the_local_paid_day(store: Path):
    with write_transaction(store) as conn:
        shop_id = resolve_shop(conn, None, None).shop_id
        set_unit_cost(conn, shop_id, SKU_RED, 400, "2026-11-01", None)
        set_unit_cost(conn, shop_id, SKU_RED, 500, "2026-11-21", None)
    start, end = local_midnight_utc(date(2026, 11, 20), TZ), local_midnight_utc(
        date(2026, 11, 22), TZ)
    with read_connection(store) as conn:
        lines = line_costs(conn, shop_id, start, end, TZ)
    red = [(c.paid_day, c.quantity, c.unit_cost_cents, c.cost_cents)
           for c in lines if c.sku_id == SKU_RED]
    # Paid 23:30 on Nov 20 in Los Angeles (Nov 21 in UTC): still the old cost.
    assert red == [(date(2026, 11, 20), 2, 400, 800), (date(2026, 11, 20), 1, 400, 400),
                   (date(2026, 11, 21), 3, 500, 1500)]
    serum = [c for c in lines if c.sku_id == SKU_SERUM]
    assert serum[0].unit_cost_cents is None and serum[0].cost_cents is None
    assert len(lines) == 7


def test_day_buckets_follow_the_shop_clock_across_dst():
    start = local_midnight_utc(date(2026, 10, 31), TZ)
    end = local_midnight_utc(date(2026, 11, 2), TZ)
    buckets = day_buckets(start, end, TZ)
    assert [(day, (b_end - b_start) // 3600) for day, b_start, b_end in buckets] == [
        ("2026-10-31", 24), ("2026-11-01", 25)]
    assert day_buckets(start + 3600, start + 7200, TZ) == [
        ("2026-10-31", start + 3600, start + 7200)]
    assert day_buckets(end, start, TZ) == []


def test_set_unit_cost_refuses_bad_values(store: Path):
    with write_transaction(store) as conn:
        shop_id = resolve_shop(conn, None, None).shop_id
        for cost, day, currency in ((-1, "2026-11-01", None), (4.2, "2026-11-01", None),
                                    (100, "11/01/2026", None), (100, "2026-11-01", "usd$")):
            with pytest.raises(ValueError):
                set_unit_cost(conn, shop_id, SKU_RED, cost, day, currency)
        with pytest.raises(ValueError, match="No shop"):
            set_unit_cost(conn, 999, SKU_RED, 100, "2026-11-01")


# --- templates ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), [("stock", "stock"),
                                            ("product_costs", "product_costs")])
def test_templates_import_as_they_are(tmp_path: Path, name: str, kind: str):
    template = TEMPLATES[name]
    data = template.build()
    assert data.startswith(b"\xef\xbb\xbf") and len(data.decode("utf-8-sig").splitlines()) == 3
    path = tmp_path / template.file_name
    path.write_bytes(data)
    report = imported(tmp_path / "store.db", path, kind, timezone=TZ)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (2, 2, 0)
