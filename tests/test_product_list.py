"""Product list import: the template (CSV) and a saved Open API product search response.

The JSON files are written here, copying the structure of TikTok's example response
(``search-products.response.example.json`` in the team's format notes), so the tests never
read files outside the repository.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from campaign_core.importers.pipeline import import_file
from campaign_core.importers.product_list import (
    normalise_listing_status,
    product_list_template_csv,
)
from campaign_core.store import read_connection
from tests.conftest import TZ, hand_orders, write_export

PRODUCT_A, PRODUCT_B, PRODUCT_C = ("1729592969712207008", "1729592969712207009",
                                   "1729592969712207010")


def _product(product_id: str, title: str, status: str) -> dict:
    """One product of a search response, with the nested parts the example has."""
    return {
        "id": product_id, "title": title, "status": status,
        "skus": [{"id": "1729592969712207012", "seller_sku": "Color-Red-XM01",
                  "price": {"currency": "USD", "tax_exclusive_price": "111.01",
                            "sale_price": "121.11"},
                  "inventory": [{"warehouse_id": "7068517275539719942", "quantity": 999}],
                  "status_info": {"status": "DEACTIVATED", "deactivation_source": "PLATFORM"}}],
        "sales_regions": ["US"], "create_time": 1234567890, "update_time": 1234567800,
        "audit": {"status": "AUDITING", "pre_approved_reasons": ["KYC_PENDING"]},
        "has_draft": True,
    }


def _search_response(products: list[dict]) -> dict:
    return {"code": 0,
            "data": {"total_count": len(products), "products": products,
                     "next_page_token": "b2Zmc2V0PTAK"},
            "message": "Success", "request_id": "202203070749000101890810281E8C70B7"}


def _write_json(folder: Path, document: object, name: str = "products.json",
                bom: bool = False) -> Path:
    path = folder / name
    path.write_text(json.dumps(document, indent=2), encoding="utf-8-sig" if bom else "utf-8")
    return path


def _write_template(folder: Path, rows: list[list[str]], name: str = "products.csv") -> Path:
    path = folder / name
    with path.open("wb") as handle:
        handle.write(product_list_template_csv())
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _products(db: Path) -> dict[str, tuple]:
    with read_connection(db) as conn:
        rows = conn.execute("SELECT product_id, name, listing_status, listing_status_raw, "
                            "listing_updated_utc FROM product ORDER BY product_id").fetchall()
    return {row[0]: tuple(row)[1:4] for row in rows} | {
        "_stamped": all(row[4] is not None for row in rows if row[3] is not None)}


def test_template_is_a_bom_csv_with_the_three_headers():
    template = product_list_template_csv()
    assert template.startswith(b"\xef\xbb\xbf")
    assert template.decode("utf-8-sig").splitlines() == ["Product ID,Product name,Status"]


def test_template_round_trip(tmp_path):
    db = tmp_path / "store.db"
    path = _write_template(tmp_path, [[PRODUCT_A + "\t", "Socks", "Active"],
                                      [PRODUCT_B, "Crème brûlée – set", "Under review"],
                                      [PRODUCT_C, "Hat", "Suspended"]])

    report = import_file(db, path, timezone=TZ)

    assert report.ok, report.message
    assert (report.kind, report.rows_read, report.records.new) == ("product_list", 3, 3)
    assert _products(db) == {PRODUCT_A: ("Socks", "active", "Active"),
                             PRODUCT_B: ("Crème brûlée – set", "in_review", "Under review"),
                             PRODUCT_C: ("Hat", "suspended", "Suspended"),
                             "_stamped": True}


def test_template_aliases_are_accepted(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f"Listing status,Product Name,Product ID\nLive,Socks,{PRODUCT_A}\n",
                    encoding="utf-8")
    report = import_file(tmp_path / "store.db", path, timezone=TZ)
    assert report.ok and report.kind == "product_list"
    assert _products(tmp_path / "store.db")[PRODUCT_A] == ("Socks", "active", "Live")


def test_api_product_search_json_is_imported_with_raw_statuses(tmp_path):
    db = tmp_path / "store.db"
    path = _write_json(tmp_path, _search_response([
        _product(PRODUCT_A, "Short Boat Invisible Socks", "ACTIVATE"),
        _product(PRODUCT_B, "Boat Hat", "PLATFORM_DEACTIVATED"),
        _product(PRODUCT_C, "Beach Towel", "PENDING")]), bom=True)

    report = import_file(db, path, timezone=TZ)

    assert report.ok, report.message
    assert (report.kind, report.rows_read, report.rows_quarantined) == ("product_list", 3, 0)
    assert _products(db) == {
        PRODUCT_A: ("Short Boat Invisible Socks", "active", "ACTIVATE"),
        PRODUCT_B: ("Boat Hat", "suspended", "PLATFORM_DEACTIVATED"),
        PRODUCT_C: ("Beach Towel", "in_review", "PENDING"),
        "_stamped": True}


def test_api_product_without_id_is_quarantined_at_its_index_plus_one(tmp_path):
    db = tmp_path / "store.db"
    broken = _product(PRODUCT_B, "No ID", "ACTIVATE")
    del broken["id"]
    no_status = _product(PRODUCT_C, "No status", "")
    path = _write_json(tmp_path, _search_response(
        [_product(PRODUCT_A, "Socks", "DRAFT"), broken, no_status]))

    report = import_file(db, path, timezone=TZ)

    assert report.ok and report.rows_stored == 1 and report.rows_quarantined == 2
    with read_connection(db) as conn:
        quarantined = conn.execute("SELECT file_line, column_name, reason FROM quarantine "
                                   "ORDER BY file_line").fetchall()
    assert [tuple(row) for row in quarantined] == [
        (2, "Product ID", "ID is missing"), (3, "Status", "listing status is missing")]


@pytest.mark.parametrize("document, message", [
    ({"code": 0, "data": {"orders": [{"id": "576000000000000001"}]}}, "product search"),
    ([{"id": PRODUCT_A, "title": "Socks", "status": "ACTIVATE"}], "product search"),
    ({"code": 0, "data": {"products": []}}, "no products"),
    ({"code": 36009004, "message": "Invalid access token", "data": {}}, "error response"),
], ids=["order_search", "bare_list", "no_products", "api_error"])
def test_other_json_is_rejected(tmp_path, document, message):
    db = tmp_path / "store.db"
    report = import_file(db, _write_json(tmp_path, document), timezone=TZ)
    assert report.status == "rejected"
    assert message in report.message
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM product").fetchone()[0] == 0


def test_broken_json_is_rejected(tmp_path):
    path = tmp_path / "products.json"
    path.write_text('{"code": 0, "data": {"products": [', encoding="utf-8")
    report = import_file(tmp_path / "store.db", path, timezone=TZ)
    assert report.status == "rejected" and "not valid JSON" in report.message


def test_html_is_still_rejected(tmp_path):
    path = tmp_path / "products.json"
    path.write_bytes(b"\xef\xbb\xbf  <!DOCTYPE html><html><body>Log in</body></html>")
    report = import_file(tmp_path / "store.db", path, timezone=TZ)
    assert report.status == "rejected" and "web page" in report.message


def test_product_id_and_status_alone_are_not_a_product_list(tmp_path):
    # A GMV Max creative report also has Product ID and Status columns.
    path = tmp_path / "creatives.csv"
    path.write_text(f"Campaign name,Product ID,Video title,Status,Cost\n"
                    f"BF push,{PRODUCT_A},Unboxing,Delivering,12.50\n", encoding="utf-8")
    report = import_file(tmp_path / "store.db", path, timezone=TZ)
    assert report.status == "rejected"
    assert "Product name" in report.message


@pytest.mark.parametrize("raw, expected", [
    ("ACTIVATE", "active"), ("Active", "active"), ("live", "active"),
    ("DRAFT", "draft"),
    ("PENDING", "in_review"), ("Under review", "in_review"), ("Reviewing", "in_review"),
    ("FAILED", "failed"), ("Rejected", "failed"),
    ("SELLER_DEACTIVATED", "suspended"), ("PLATFORM_DEACTIVATED", "suspended"),
    ("FREEZE", "suspended"), ("Frozen", "suspended"), ("Suspended", "suspended"),
    ("DELETED", "deleted"),
    ("Aktif", "other"), ("", "other"),
])
def test_status_mapping(raw, expected):
    assert normalise_listing_status(raw) == expected


def test_unknown_status_is_kept_raw_and_noted(tmp_path):
    db = tmp_path / "store.db"
    report = import_file(db, _write_template(tmp_path, [[PRODUCT_A, "Socks", "Aktif"]]),
                         timezone=TZ)
    assert report.ok and any("'Aktif'" in note for note in report.notes)
    assert _products(db)[PRODUCT_A] == ("Socks", "other", "Aktif")


def test_reimport_is_idempotent_and_changes_update_without_deleting(tmp_path):
    db = tmp_path / "store.db"
    first = _search_response([_product(PRODUCT_A, "Socks", "ACTIVATE"),
                              _product(PRODUCT_B, "Hat", "PENDING")])
    import_file(db, _write_json(tmp_path, first), timezone=TZ)
    stored = _products(db)

    again = import_file(db, _write_json(tmp_path, first), timezone=TZ)
    assert (again.records.new, again.records.updated, again.records.unchanged) == (0, 0, 2)
    assert _products(db) == stored

    # A later page names only product B, now live: A is kept as it was.
    later = _search_response([_product(PRODUCT_B, "Hat", "ACTIVATE")])
    report = import_file(db, _write_json(tmp_path, later, name="later.json"), timezone=TZ)
    assert (report.records.new, report.records.updated, report.records.unchanged) == (0, 1, 0)
    assert _products(db)[PRODUCT_A] == ("Socks", "active", "ACTIVATE")
    assert _products(db)[PRODUCT_B] == ("Hat", "active", "ACTIVATE")


def test_products_known_from_orders_gain_a_status_and_keep_their_name(tmp_path):
    db = tmp_path / "store.db"
    import_file(db, write_export(tmp_path, hand_orders()), timezone=TZ)
    ordered_product = "1730000000000000001"  # every line of hand_orders
    assert _products(db)[ordered_product][1] is None

    preview = import_file(db, _write_template(tmp_path, [[ordered_product, "", "Active"]]),
                          dry_run=True)
    assert (preview.records.new, preview.records.updated) == (0, 1)
    report = import_file(db, _write_template(tmp_path, [[ordered_product, "", "Active"]]))

    assert report.ok and report.records.updated == 1
    name, status, raw = _products(db)[ordered_product]
    assert (status, raw) == ("active", "Active") and name  # the orders' name is kept
