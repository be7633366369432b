"""The orders importer on files in the layouts Seller Center really produces.

Every file is built with the shared builder (``campaign_core.demo.order_files``) or, for the
layouts it cannot make, written byte by byte here; each is imported into a fresh store in
``tmp_path`` through ``import_file`` and read back with SQL.
"""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path

import pytest

from campaign_core.demo.order_files import (
    LineSpec,
    OrderSpec,
    order_rows,
    write_orders_csv,
    write_orders_xlsx,
)
from campaign_core.importers import orders_bulk
from campaign_core.importers.orders_layout import US_ORDER_HEADERS, US_ORDER_HEADERS_2024
from campaign_core.importers.parsed import RecordCounts
from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.store import read_connection

LA = "America/Los_Angeles"
JAKARTA = "Asia/Jakarta"
EXPORT_NAME = "All order-2026-04-02-09_15.csv"
LATER_EXPORT_NAME = "All order-2026-04-10-18_40.csv"

# 19- and 18-digit IDs: above 2^53, so any float on the way would change them.
ORDER_X = "5838709000000000011"
ORDER_Y = "583870900000000002"
ORDER_Z = "5838709000000000033"
ORDER_W = "5838709000000000044"
SKU_1, SKU_2, SKU_3 = "1729384756102938475", "1729384756102938476", "1729384756102938477"
PRODUCT_1, PRODUCT_2 = "1730000000000000001", "1730000000000000002"
ACCENTED = "Crème brûlée – set"


@pytest.fixture(autouse=True, params=["row reader", "bulk reader"])
def orders_reader(request, monkeypatch):
    """Every layout test runs twice: with the row reader, and with the bulk reader taking
    even these small files (it falls back to the row reader where it must)."""
    if request.param == "bulk reader":
        monkeypatch.setattr(orders_bulk, "BULK_MIN_ROWS", 0)
    return request.param


def utc(*parts: int) -> int:
    """Unix seconds of a UTC wall time (expected values are worked out by hand)."""
    return int(datetime(*parts, tzinfo=UTC).timestamp())


def order_x(status: str = "Awaiting Shipment", **changes) -> OrderSpec:
    """A 2-line order paid 03/31/2026 11:52:23 PM Pacific (PDT) = 06:52:23 UTC on April 1."""
    returned = changes.pop("returned_units", 0)
    return OrderSpec(
        ORDER_X, status, datetime(2026, 3, 31, 23, 50, 0), datetime(2026, 3, 31, 23, 52, 23),
        [LineSpec(SKU_1, PRODUCT_1, ACCENTED, 2, 1750, seller_discount_cents=300,
                  platform_discount_cents=100, returned_units=returned),
         LineSpec(SKU_2, PRODUCT_2, "Vanilla pod", 1, 999)],
        buyer_username="amy", shipping_fee_cents=499, shipping_platform_discount_cents=150,
        taxes_cents=88, **changes)


def order_y() -> OrderSpec:
    """Paid 01/15/2026 10:01:00 AM Pacific (PST) = 18:01 UTC."""
    return OrderSpec(ORDER_Y, "Delivered", datetime(2026, 1, 15, 10, 0, 0),
                     datetime(2026, 1, 15, 10, 1, 0),
                     [LineSpec(SKU_3, PRODUCT_2, "Vanilla pod", 3, 1000)],
                     buyer_username="bob", delivered=datetime(2026, 1, 20, 12, 0, 0))


def order_z() -> OrderSpec:
    """Paid 02/02/2026 12:30:00 AM Pacific (PST) = 08:30 UTC."""
    return OrderSpec(ORDER_Z, "Completed", datetime(2026, 2, 1, 12, 5, 0),
                     datetime(2026, 2, 2, 0, 30, 0),
                     [LineSpec(SKU_2, PRODUCT_2, "Vanilla pod", 1, 2500,
                               platform_discount_cents=500)],
                     buyer_nickname="carl")


def standard_orders() -> list[OrderSpec]:
    return [order_x(), order_y(), order_z()]


# (order_id, line_no, sku_id, product_id, product_name, quantity, returned, gmv, paid_utc)
# GMV = subtotal before discount - seller discount (the platform discount does not count).
STANDARD_LINES = sorted([
    (ORDER_Y, 1, SKU_3, PRODUCT_2, "Vanilla pod", 3, 0, 3000, utc(2026, 1, 15, 18, 1, 0)),
    (ORDER_X, 1, SKU_1, PRODUCT_1, ACCENTED, 2, 0, 3200, utc(2026, 4, 1, 6, 52, 23)),
    (ORDER_X, 2, SKU_2, PRODUCT_2, "Vanilla pod", 1, 0, 999, utc(2026, 4, 1, 6, 52, 23)),
    (ORDER_Z, 1, SKU_2, PRODUCT_2, "Vanilla pod", 1, 0, 2500, utc(2026, 2, 2, 8, 30, 0)),
])  # as ORDER BY order_id, line_no sorts them
STANDARD_COUNTS = dict(rows_read=4, rows_stored=4, rows_quarantined=0)

_ROW_OPTIONS = {"time_style", "money_symbol", "trailing_tabs"}


# --- helpers --------------------------------------------------------------------------


def _rows(orders: list[OrderSpec], **row_options) -> list[dict[str, str]]:
    return [row for order in orders for row in order_rows(order, **row_options)]


def _export(tmp_path: Path, orders: list[OrderSpec], name: str = EXPORT_NAME,
            **options) -> Path:
    """Write ``orders`` as an export (CSV or XLSX by the name's suffix) with the builder."""
    row_options = {key: options.pop(key) for key in list(options) if key in _ROW_OPTIONS}
    rows = _rows(orders, **row_options)
    path = tmp_path / name
    if path.suffix == ".xlsx":
        return write_orders_xlsx(path, rows, **options)
    return write_orders_csv(path, rows, **options)


def _import(tmp_path: Path, path: Path, **options) -> ImportReport:
    options.setdefault("timezone", LA)
    return import_file(tmp_path / "store.db", path, **options)


def _query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with read_connection(db) as conn:
        return [tuple(row) for row in conn.execute(sql, params)]


def _lines(db: Path) -> list[tuple]:
    return _query(db, "SELECT order_id, line_no, sku_id, product_id, product_name, quantity, "
                      "returned_units, gmv_cents, paid_utc FROM order_line "
                      "ORDER BY order_id, line_no")


def _table_sizes(db: Path) -> dict[str, int]:
    return {table: _query(db, f"SELECT COUNT(*) FROM {table}")[0][0]
            for table in ("orders", "order_line", "product", "sku", "quarantine")}


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every stored row of the order tables, in a fixed order."""
    return {
        "orders": _query(db, "SELECT * FROM orders ORDER BY shop_id, order_id"),
        "order_line": _query(db, "SELECT * FROM order_line ORDER BY shop_id, order_id, line_no"),
        "product": _query(db, "SELECT * FROM product ORDER BY shop_id, product_id"),
        "sku": _query(db, "SELECT * FROM sku ORDER BY shop_id, sku_id"),
    }


def _counts(report: ImportReport) -> dict[str, int]:
    return dict(rows_read=report.rows_read, rows_stored=report.rows_stored,
                rows_quarantined=report.rows_quarantined)


def _assert_standard_import(tmp_path: Path, report: ImportReport) -> None:
    assert report.status == "imported", report.message
    assert _counts(report) == STANDARD_COUNTS
    assert report.records == RecordCounts(new=3)
    assert _lines(tmp_path / "store.db") == STANDARD_LINES


def _renamed(rows: list[dict[str, str]], rename: dict[str, str]) -> list[dict[str, str]]:
    return [{rename.get(key, key): value for key, value in row.items()} for row in rows]


# --- encodings ------------------------------------------------------------------------


def test_utf8_bom_export_imports(tmp_path):
    path = _export(tmp_path, standard_orders())
    assert path.read_bytes().startswith(codecs.BOM_UTF8)

    report = _import(tmp_path, path)

    _assert_standard_import(tmp_path, report)
    assert report.kind == "orders"


def test_utf8_export_without_bom_imports(tmp_path):
    path = _export(tmp_path, standard_orders(), encoding="utf-8", money_symbol="$")
    assert path.read_bytes().startswith(b"Order ID,")

    _assert_standard_import(tmp_path, _import(tmp_path, path))


def test_utf16_tab_separated_export_imports(tmp_path):
    # Excel's "Unicode text": UTF-16 LE with a BOM, TAB between cells, CRLF, no quoting.
    rows = _rows(standard_orders(), trailing_tabs=False)
    lines = ["\t".join(US_ORDER_HEADERS)]
    lines += ["\t".join(row.get(header, "") for header in US_ORDER_HEADERS) for row in rows]
    path = tmp_path / EXPORT_NAME
    path.write_bytes(codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    assert path.read_bytes()[:6] == b"\xff\xfeO\x00r\x00"

    report = _import(tmp_path, path)

    _assert_standard_import(tmp_path, report)


def test_cp1252_export_reads_accented_product_name_exactly(tmp_path):
    path = _export(tmp_path, standard_orders(), encoding="cp1252")
    raw = path.read_bytes()
    assert b"Cr\xe8me br\xfbl\xe9e \x96 set" in raw  # really cp1252, not UTF-8

    report = _import(tmp_path, path)

    _assert_standard_import(tmp_path, report)
    db = tmp_path / "store.db"
    assert _query(db, "SELECT name FROM product WHERE product_id = ?", (PRODUCT_1,)) == [
        (ACCENTED,)]


# --- description row, TABs, IDs -------------------------------------------------------


@pytest.mark.parametrize("with_description_row", [True, False], ids=["present", "absent"])
def test_field_description_row_is_skipped_only_when_present(tmp_path, with_description_row):
    path = _export(tmp_path, standard_orders(), with_description_row=with_description_row)

    report = _import(tmp_path, path)

    _assert_standard_import(tmp_path, report)  # 4 rows read either way: no order lost
    described = any("field descriptions" in note for note in report.notes)
    assert described == with_description_row


def test_trailing_tabs_are_stripped_and_19_digit_ids_stored_exactly_as_text(tmp_path):
    path = _export(tmp_path, standard_orders())
    assert f"{ORDER_X}\t".encode() in path.read_bytes()
    assert b"11:52:23 PM\t" in path.read_bytes()

    _import(tmp_path, path)

    db = tmp_path / "store.db"
    assert _query(db, "SELECT order_id, typeof(order_id), paid_utc, created_utc FROM orders "
                      "ORDER BY order_id") == sorted([
        (ORDER_Y, "text", utc(2026, 1, 15, 18, 1, 0), utc(2026, 1, 15, 18, 0, 0)),
        (ORDER_X, "text", utc(2026, 4, 1, 6, 52, 23), utc(2026, 4, 1, 6, 50, 0)),
        (ORDER_Z, "text", utc(2026, 2, 2, 8, 30, 0), utc(2026, 2, 1, 20, 5, 0)),
    ])
    assert _query(db, "SELECT DISTINCT typeof(sku_id), typeof(product_id) FROM order_line") == [
        ("text", "text")]
    assert _query(db, "SELECT sku_id FROM sku ORDER BY sku_id") == [(SKU_1,), (SKU_2,), (SKU_3,)]


# --- other layouts --------------------------------------------------------------------


def test_2024_layout_without_product_id_imports(tmp_path):
    assert len(US_ORDER_HEADERS_2024) == 57 and "Product ID" not in US_ORDER_HEADERS_2024
    path = _export(tmp_path, standard_orders(), headers=US_ORDER_HEADERS_2024)

    report = _import(tmp_path, path)

    assert report.status == "imported", report.message
    assert _counts(report) == STANDARD_COUNTS
    assert report.records == RecordCounts(new=3)
    without_product = [line[:3] + (None,) + line[4:] for line in STANDARD_LINES]
    assert _lines(tmp_path / "store.db") == without_product


def test_reordered_recased_and_extra_columns_still_import(tmp_path):
    rename = {header: "  " + header.strip().upper().replace(" ", "   ") + " "
              for header in US_ORDER_HEADERS}
    rename["Order ID"] = "order id"
    headers = ["Internal Note"] + [rename[h] for h in reversed(US_ORDER_HEADERS)] + ["Zz Extra"]
    rows = [{**row, "Internal Note": "x, y", "Zz Extra": "17.50"}
            for row in _renamed(_rows(standard_orders(), money_symbol="MXN "), rename)]
    path = write_orders_csv(tmp_path / EXPORT_NAME, rows, headers=headers)

    report = _import(tmp_path, path)

    _assert_standard_import(tmp_path, report)
    assert _query(tmp_path / "store.db", "SELECT order_amount_cents FROM orders "
                                         "WHERE order_id = ?", (ORDER_X,)) == [(4536,)]


def test_xlsx_export_with_order_sku_list_sheet_imports(tmp_path):
    path = _export(tmp_path, standard_orders(), name="All order-2026-04-02-09_15.xlsx",
                   with_description_row=True)

    report = _import(tmp_path, path)

    _assert_standard_import(tmp_path, report)
    assert any("field descriptions" in note for note in report.notes)


def test_xlsx_with_other_first_sheet_and_preamble_rows_imports(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    summary.append(["Orders exported", "3"])
    sheet = workbook.create_sheet("Orders")
    sheet.append(["Shop: Demo store"])
    sheet.append(["Exported 2026-04-02 09:15"])
    sheet.append(US_ORDER_HEADERS)
    for row in _rows(standard_orders()):
        sheet.append([row.get(header, "") for header in US_ORDER_HEADERS])
    path = tmp_path / "orders copy.xlsx"
    workbook.save(path)

    report = _import(tmp_path, path)

    _assert_standard_import(tmp_path, report)
    assert any("before the header" in note for note in report.notes)


def test_sea_day_first_times_are_read_in_jakarta(tmp_path):
    # Jakarta is UTC+7. 05/04/2026 is 5 April (day first), not 4 May.
    orders = [
        OrderSpec(ORDER_X, "To ship", datetime(2026, 4, 5, 9, 58, 0),
                  datetime(2026, 4, 5, 10, 0, 0),
                  [LineSpec(SKU_1, PRODUCT_1, "Kopi", 2, 1500),
                   LineSpec(SKU_2, PRODUCT_2, "Teh", 1, 800)]),
        OrderSpec(ORDER_Y, "Delivered", datetime(2026, 3, 31, 23, 50, 0),
                  datetime(2026, 3, 31, 23, 52, 23),
                  [LineSpec(SKU_3, PRODUCT_2, "Teh", 1, 800)],
                  delivered=datetime(2026, 4, 3, 14, 0, 0)),
    ]
    path = _export(tmp_path, orders, time_style="sea")
    assert b"05/04/2026 10:00:00\t" in path.read_bytes()

    report = _import(tmp_path, path, timezone=JAKARTA)

    assert report.status == "imported", report.message
    assert _counts(report) == dict(rows_read=3, rows_stored=3, rows_quarantined=0)
    assert report.records == RecordCounts(new=2)
    db = tmp_path / "store.db"
    assert _query(db, "SELECT order_id, paid_utc, delivered_utc, status FROM orders "
                      "ORDER BY order_id") == sorted([
        (ORDER_Y, utc(2026, 3, 31, 16, 52, 23), utc(2026, 4, 3, 7, 0, 0), "delivered"),
        (ORDER_X, utc(2026, 4, 5, 3, 0, 0), None, "awaiting_shipment"),
    ])
    assert _query(db, "SELECT paid_utc FROM order_line WHERE order_id = ?", (ORDER_X,)) == [
        (utc(2026, 4, 5, 3, 0, 0),), (utc(2026, 4, 5, 3, 0, 0),)]
    assert _query(db, "SELECT timezone FROM shop") == [(JAKARTA,)]


# --- quarantine -----------------------------------------------------------------------


def test_unreadable_cells_quarantine_their_rows_with_line_column_value_and_reason(tmp_path):
    scientific = OrderSpec("5.77E+17", "Delivered", datetime(2026, 2, 3, 9, 0),
                           datetime(2026, 2, 3, 9, 1),
                           [LineSpec(SKU_3, PRODUCT_2, "Vanilla pod", 1, 1000)])
    bad_time = OrderSpec(ORDER_W, "Delivered", datetime(2026, 2, 3, 9, 0), None,
                         [LineSpec(SKU_3, PRODUCT_2, "Vanilla pod", 1, 1000)],
                         extra={"Paid Time": "32/01/2026 10:00:00"})
    bad_amount = OrderSpec("5838709000000000055", "Delivered", datetime(2026, 2, 3, 9, 0),
                           datetime(2026, 2, 3, 9, 1),
                           [LineSpec(SKU_3, PRODUCT_2, "Vanilla pod", 1, 1000)],
                           extra={"SKU Seller Discount": "abc"})
    # Header on line 1, descriptions on line 2: X on 3-4, then 5, 6, 7, and Y on 8.
    path = _export(tmp_path, [order_x(), scientific, bad_time, bad_amount, order_y()],
                   with_description_row=True)

    report = _import(tmp_path, path)

    assert report.status == "imported", report.message
    assert _counts(report) == dict(rows_read=6, rows_stored=3, rows_quarantined=3)
    assert report.rows_stored + report.rows_quarantined == report.rows_read
    assert report.records == RecordCounts(new=2)
    db = tmp_path / "store.db"
    assert _query(db, "SELECT order_id, COUNT(*) FROM order_line GROUP BY order_id "
                      "ORDER BY order_id") == sorted([(ORDER_Y, 1), (ORDER_X, 2)])
    stored = _query(db, "SELECT file_line, column_name, raw_value, reason, file_name, import_id "
                        "FROM quarantine ORDER BY file_line")
    assert [(line, column, raw.strip()) for line, column, raw, *_ in stored] == [
        (5, "Order ID", "5.77E+17"),
        (6, "Paid Time", "32/01/2026 10:00:00"),
        (7, "SKU Seller Discount", "abc"),
    ]
    reasons = [row[3] for row in stored]
    assert "scientific notation" in reasons[0]
    assert "date" in reasons[1] or "time" in reasons[1]
    assert "amount" in reasons[2]
    assert {(row[4], row[5]) for row in stored} == {(EXPORT_NAME, report.import_id)}
    assert [(p.file_line, p.column) for p in report.problems] == [
        (5, "Order ID"), (6, "Paid Time"), (7, "SKU Seller Discount")]


def test_quarantine_line_is_the_physical_line_after_a_multiline_cell(tmp_path):
    # A buyer message spanning three lines: the rows after it start 2 lines further down.
    chatty = order_y()
    chatty.extra = {"Buyer Message": "Please\nwrap it\nnicely"}
    bad_amount = OrderSpec(ORDER_W, "Delivered", datetime(2026, 2, 3, 9, 0),
                           datetime(2026, 2, 3, 9, 1),
                           [LineSpec(SKU_3, PRODUCT_2, "Vanilla pod", 1, 1000)],
                           extra={"SKU Unit Original Price": "abc"})
    path = _export(tmp_path, [chatty, bad_amount])  # header 1, Y 2-4, bad row 5

    report = _import(tmp_path, path)

    assert _counts(report) == dict(rows_read=2, rows_stored=1, rows_quarantined=1)
    assert _query(tmp_path / "store.db", "SELECT file_line, column_name FROM quarantine") == [
        (5, "SKU Unit Original Price")]


# --- rejected files -------------------------------------------------------------------


def _undecodable(tmp_path: Path) -> bytes:
    # A real-looking export whose product name has bytes neither UTF-8 nor cp1252 define.
    orders = [order_y()]
    orders[0].lines[0].product_name = "BADNAME"
    raw = _export(tmp_path, orders, name="source.csv", encoding="utf-8").read_bytes()
    return raw.replace(b"BADNAME", b"Caf\x81\x8d\xe9")


def _header_only(tmp_path: Path) -> bytes:
    return write_orders_csv(tmp_path / "header.csv", []).read_bytes()


REJECTED_FILES = {
    "empty": (lambda tmp: b"", ["empty"]),
    "header_only": (_header_only, ["no order rows"]),
    "html_page": (lambda tmp: b"<!DOCTYPE html>\n<html><head><title>Seller Center</title>"
                              b"</head><body>Log in</body></html>\n", ["web page"]),
    "elf_binary": (lambda tmp: b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8, ["binary"]),
    "undecodable_bytes": (_undecodable, ["encoding"]),
    "other_kind": (lambda tmp: b"Date,Views,Likes\n2026-04-01,120,7\n2026-04-02,98,3\n",
                   ["No known export header", "Orders export (All order)"]),
    "some_order_columns": (
        lambda tmp: b"Order ID,Order Status,Quantity,Product Name\n"
                    b"583870900000000001,Delivered,1,Tea\n",
        ["Orders export (All order)", "SKU ID", "SKU Unit Original Price",
         "SKU Seller Discount", "Paid Time"]),
}


@pytest.mark.parametrize("case", list(REJECTED_FILES))
def test_rejected_file_leaves_store_unchanged(tmp_path, case):
    db = tmp_path / "store.db"
    first = _import(tmp_path, _export(tmp_path, standard_orders()))
    assert first.status == "imported"
    before, sizes_before = _snapshot(db), _table_sizes(db)
    make_bytes, message_parts = REJECTED_FILES[case]
    path = tmp_path / "All order-2026-04-10-18_40.csv"
    path.write_bytes(make_bytes(tmp_path))

    report = _import(tmp_path, path)

    assert report.status == "rejected"
    assert not report.ok
    for part in message_parts:
        assert part in report.message
    assert (report.rows_stored, report.records) == (0, RecordCounts())
    assert _table_sizes(db) == sizes_before
    assert _snapshot(db) == before
    assert _query(db, "SELECT file_name, status FROM import_log ORDER BY import_id") == [
        (EXPORT_NAME, "imported"), (path.name, "rejected")]


# --- re-imports and overlapping exports -----------------------------------------------


def test_same_file_imported_twice_changes_nothing(tmp_path):
    db = tmp_path / "store.db"
    path = _export(tmp_path, standard_orders())
    first = _import(tmp_path, path)
    before = _snapshot(db)

    second = _import(tmp_path, path)

    assert first.records == RecordCounts(new=3)
    assert second.records == RecordCounts(unchanged=3)
    assert _counts(second) == STANDARD_COUNTS
    assert second.lines_written == 0
    assert _snapshot(db) == before
    assert _lines(db) == STANDARD_LINES


def test_later_export_updates_order_and_older_export_never_rolls_it_back(tmp_path):
    db = tmp_path / "store.db"
    export_a = _export(tmp_path, [order_x(), order_y()])
    delivered_x = order_x("Delivered", returned_units=1, cancel_return_type="Return/Refund",
                          shipped=datetime(2026, 4, 2, 10, 0, 0),
                          delivered=datetime(2026, 4, 6, 15, 0, 0))
    export_b = _export(tmp_path, [delivered_x, order_z()], name=LATER_EXPORT_NAME)

    report_a = _import(tmp_path, export_a)
    y_before = _query(db, "SELECT * FROM orders WHERE order_id = ?", (ORDER_Y,))
    y_lines_before = _query(db, "SELECT * FROM order_line WHERE order_id = ?", (ORDER_Y,))
    report_b = _import(tmp_path, export_b)

    assert report_a.records == RecordCounts(new=2)
    assert report_b.records == RecordCounts(new=1, updated=1)
    assert _counts(report_b) == dict(rows_read=3, rows_stored=3, rows_quarantined=0)
    # X's lines were replaced by B's, never added to A's.
    assert _query(db, "SELECT line_no, sku_id, returned_units, status FROM order_line "
                      "WHERE order_id = ? ORDER BY line_no", (ORDER_X,)) == [
        (1, SKU_1, 1, "delivered"), (2, SKU_2, 0, "delivered")]
    assert _query(db, "SELECT status, delivered_utc, export_stamp FROM orders "
                      "WHERE order_id = ?", (ORDER_X,)) == [
        ("delivered", utc(2026, 4, 6, 22, 0, 0), "2026-04-10T18:40")]
    assert _query(db, "SELECT * FROM orders WHERE order_id = ?", (ORDER_Y,)) == y_before
    assert _query(db, "SELECT * FROM order_line WHERE order_id = ?", (ORDER_Y,)) == y_lines_before
    assert _query(db, "SELECT COUNT(*) FROM order_line WHERE order_id = ?", (ORDER_Z,)) == [(1,)]
    after_b = _snapshot(db)

    report_a_again = _import(tmp_path, export_a)

    assert report_a_again.records == RecordCounts(unchanged=1, kept_newer=1)
    assert report_a_again.lines_written == 0
    assert _snapshot(db) == after_b


def _pasted(tmp_path: Path, first: list[OrderSpec], second: list[OrderSpec], **options) -> Path:
    """Two exports pasted into one file: the second one's header (and BOM) repeats."""
    part_a = _export(tmp_path, first, name="part-a.csv", **options).read_bytes()
    part_b = _export(tmp_path, second, name="part-b.csv", **options).read_bytes()
    path = tmp_path / EXPORT_NAME
    path.write_bytes(part_a + part_b.removeprefix(codecs.BOM_UTF8))
    return path


def test_order_repeated_in_pasted_exports_is_stored_once_with_later_rows(tmp_path):
    delivered_x = order_x("Delivered", returned_units=1, delivered=datetime(2026, 4, 6, 15, 0))
    path = _pasted(tmp_path, [order_x(), order_y()], [order_z(), delivered_x])

    report = _import(tmp_path, path)

    assert report.status == "imported", report.message
    assert report.rows_read == 6  # 3 + 3 data rows; the repeated header is not one
    assert report.rows_quarantined == 0
    assert report.records == RecordCounts(new=3)
    assert report.lines_written == 4
    assert any(ORDER_X in note and "twice" in note for note in report.notes)
    db = tmp_path / "store.db"
    assert _query(db, "SELECT line_no, returned_units, status FROM order_line "
                      "WHERE order_id = ? ORDER BY line_no", (ORDER_X,)) == [
        (1, 1, "delivered"), (2, 0, "delivered")]
    assert _query(db, "SELECT COUNT(*) FROM order_line") == [(4,)]


def test_order_ending_one_pasted_export_and_starting_the_next_is_stored_once(tmp_path):
    delivered_x = order_x("Delivered", delivered=datetime(2026, 4, 6, 15, 0))
    path = _pasted(tmp_path, [order_y(), order_x()], [delivered_x, order_z()])

    report = _import(tmp_path, path)

    assert report.records == RecordCounts(new=3)
    assert _query(tmp_path / "store.db", "SELECT line_no, status FROM order_line "
                                         "WHERE order_id = ? ORDER BY line_no", (ORDER_X,)) == [
        (1, "delivered"), (2, "delivered")]


def test_description_rows_of_pasted_exports_are_skipped(tmp_path):
    path = _pasted(tmp_path, [order_x()], [order_y()], with_description_row=True)

    report = _import(tmp_path, path)

    assert report.records == RecordCounts(new=2)
    assert _counts(report) == dict(rows_read=3, rows_stored=3, rows_quarantined=0)


# --- order-level money, samples, dry run ----------------------------------------------


def test_order_level_money_is_stored_once_per_order_not_summed_over_lines(tmp_path):
    path = _export(tmp_path, [order_x(), order_y()])
    text = path.read_text(encoding="utf-8-sig")
    assert text.count(f"{ORDER_X}\t") == 2  # X's order-level cells repeat on both lines

    _import(tmp_path, path)

    # Order amount = after-discount subtotals (3500-100-300 + 999) + shipping (499-150) + 88.
    assert _query(tmp_path / "store.db",
                  "SELECT shipping_fee_platform_discount_cents, original_shipping_fee_cents, "
                  "shipping_fee_after_discount_cents, taxes_cents, order_amount_cents "
                  "FROM orders WHERE order_id = ?", (ORDER_X,)) == [(150, 499, 349, 88, 4536)]


def test_order_fully_paid_by_seller_discount_is_stored_as_sample(tmp_path):
    sample = OrderSpec(ORDER_W, "Shipped", datetime(2026, 2, 3, 9, 0),
                       datetime(2026, 2, 3, 9, 0),
                       [LineSpec(SKU_1, PRODUCT_1, ACCENTED, 1, 1750,
                                 seller_discount_cents=1750),
                        LineSpec(SKU_2, PRODUCT_2, "Vanilla pod", 2, 999,
                                 seller_discount_cents=1998)],
                       buyer_username="creator_one")
    path = _export(tmp_path, [sample, order_y()])

    report = _import(tmp_path, path)

    assert report.records == RecordCounts(new=2)
    db = tmp_path / "store.db"
    assert _query(db, "SELECT order_id, is_sample FROM orders ORDER BY order_id") == sorted([
        (ORDER_Y, 0), (ORDER_W, 1)])
    assert _query(db, "SELECT order_id, is_sample, gmv_cents FROM order_line "
                      "ORDER BY order_id, line_no") == sorted([
        (ORDER_Y, 0, 3000), (ORDER_W, 1, 0), (ORDER_W, 1, 0)])


@pytest.mark.parametrize("store", ["absent", "existing"])
def test_dry_run_writes_nothing_and_reports_what_the_import_does(tmp_path, store):
    db = tmp_path / "store.db"
    if store == "existing":
        assert _import(tmp_path, _export(tmp_path, [order_x(), order_y()],
                                         name="older.csv")).ok
    delivered_x = order_x("Delivered", delivered=datetime(2026, 4, 6, 15, 0))
    bad = OrderSpec(ORDER_W, "Delivered", datetime(2026, 2, 3, 9, 0),
                    datetime(2026, 2, 3, 9, 1),
                    [LineSpec(SKU_3, PRODUCT_2, "Vanilla pod", 1, 1000)],
                    extra={"Quantity": "two"})
    path = _export(tmp_path, [delivered_x, order_y(), order_z(), bad], name=LATER_EXPORT_NAME)
    store_bytes = db.read_bytes() if db.exists() else None

    preview = _import(tmp_path, path, dry_run=True)

    assert preview.status == "preview"
    assert (db.read_bytes() if db.exists() else None) == store_bytes
    real = _import(tmp_path, path)
    assert real.status == "imported"
    assert _counts(preview) == _counts(real) == dict(rows_read=5, rows_stored=4,
                                                     rows_quarantined=1)
    expected = (RecordCounts(new=3) if store == "absent"
                else RecordCounts(new=1, updated=1, unchanged=1))
    assert preview.records == real.records == expected
