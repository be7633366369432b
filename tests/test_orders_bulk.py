"""The bulk reader of large orders exports (Arrow columns) against the row reader.

The row reader is the definition: for any file, the bulk reader must give the same orders,
lines, products, SKUs, notes and content hashes, or give way to the row reader. These tests
run it on small files (``bulk_min_rows=0``); the benchmark runs it on a million lines.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from campaign_core.demo.generator import build_demo_orders
from campaign_core.demo.order_files import order_rows, write_orders_csv
from campaign_core.importers import orders_bulk
from campaign_core.importers.orders import LINE_CONTENT, ORDER_CONTENT, ParsedOrders
from campaign_core.importers.orders_bulk import BulkOrders, read_orders
from campaign_core.importers.orders_layout import US_ORDER_HEADERS_2024
from campaign_core.importers.pipeline import import_file
from campaign_core.importers.reading import open_source
from campaign_core.store import orders_writer, read_connection

LA = "America/Los_Angeles"
NAME = "All order-2026-11-26-12_00.csv"


@pytest.fixture(scope="module")
def demo_rows() -> list[dict[str, str]]:
    """A few thousand lines of the demo campaign, in the export's own cell formats."""
    _, orders = build_demo_orders(date(2026, 11, 26), 3, scale=0.06)
    return [row for order in reversed(orders) for row in order_rows(order, money_symbol="$")]


def _as_dicts(parsed: BulkOrders) -> dict[str, dict]:
    """A bulk result in the row reader's shape."""
    orders = {}
    for position, order_id in enumerate(parsed.orders["order_id"]):
        order = {c: parsed.orders[c][position] for c in (*ORDER_CONTENT, "content_hash")}
        span = parsed.order_lines[position]
        order["lines"] = [{c: parsed.lines[c][i] for c in LINE_CONTENT}
                          for i in range(span.start, span.stop)]
        orders[order_id] = order
    return orders


def _both(path: Path, timezone: str = LA) -> tuple[ParsedOrders, BulkOrders, list, list]:
    rows_table, bulk_table = open_source(path), open_source(path)
    by_rows = read_orders(rows_table, timezone, bulk_min_rows=10**9)
    in_bulk = read_orders(bulk_table, timezone, bulk_min_rows=0)
    assert isinstance(by_rows, ParsedOrders)
    return by_rows, in_bulk, rows_table.skipped, bulk_table.skipped


def _assert_same(by_rows: ParsedOrders, in_bulk: BulkOrders) -> None:
    assert isinstance(in_bulk, BulkOrders)  # it did not give way
    for name in ("rows_read", "quarantined_rows", "problems", "notes", "first_time_utc",
                 "last_time_utc", "products", "skus"):
        assert getattr(in_bulk, name) == getattr(by_rows, name), name
    expected = {order_id: {c: order[c] for c in (*ORDER_CONTENT, "content_hash", "lines")}
                for order_id, order in by_rows.orders.items()}
    assert list(_as_dicts(in_bulk)) == list(expected)  # file order
    assert _as_dicts(in_bulk) == expected


@pytest.mark.parametrize("with_description_row", [False, True])
def test_bulk_reader_gives_the_row_readers_orders_hashes_and_catalog(
        tmp_path, demo_rows, with_description_row):
    path = write_orders_csv(tmp_path / NAME, demo_rows,
                            with_description_row=with_description_row)
    by_rows, in_bulk, rows_skipped, bulk_skipped = _both(path)
    assert by_rows.rows_read == len(demo_rows) > 1000
    _assert_same(by_rows, in_bulk)
    assert bulk_skipped == rows_skipped == (
        ["line 2 (field descriptions)"] if with_description_row else [])


def test_bulk_reader_reads_the_2024_layout_and_day_first_times(tmp_path, demo_rows):
    rows = [{**row, "Paid Time": _day_first(row["Paid Time"])} for row in demo_rows[:400]]
    path = write_orders_csv(tmp_path / NAME, rows, headers=US_ORDER_HEADERS_2024)
    by_rows, in_bulk, _, _ = _both(path, "Asia/Jakarta")
    _assert_same(by_rows, in_bulk)
    assert all(order["lines"][0]["product_id"] is None for order in by_rows.orders.values())


def _day_first(us_time: str) -> str:
    """``11/25/2026 09:05:01 PM`` -> ``25/11/2026 21:05:01`` (the SEA layout)."""
    text = us_time.strip()
    if not text:
        return us_time
    day_part, clock, half = text.split(" ")
    month, day, year = day_part.split("/")
    hour, minute, second = clock.split(":")
    hour = int(hour) % 12 + (12 if half == "PM" else 0)
    return f"{day}/{month}/{year} {hour:02d}:{minute}:{second}\t"


def test_times_in_the_repeated_autumn_hour_get_the_same_values_and_notes(tmp_path, demo_rows):
    rows = [dict(row) for row in demo_rows[:300]]
    for row in rows[:40]:  # clocks go back in Los Angeles at 2:00 on 2026-11-01
        row["Paid Time"] = "11/01/2026 01:30:15 AM\t"
        row["Created Time"] = "11/01/2026 1:29:59 AM\t"
    path = write_orders_csv(tmp_path / NAME, rows)
    by_rows, in_bulk, _, _ = _both(path)
    _assert_same(by_rows, in_bulk)
    assert any("ambiguous" in note for note in in_bulk.notes)


def test_a_row_the_bulk_reader_cannot_take_goes_to_the_row_reader_with_its_line(
        tmp_path, demo_rows):
    rows = [dict(row) for row in demo_rows[:200]]
    rows[9]["Quantity"] = "two"
    rows[20]["Paid Time"] = "yesterday"
    path = write_orders_csv(tmp_path / NAME, rows, with_description_row=True)
    by_rows, in_bulk, rows_skipped, bulk_skipped = _both(path)
    assert isinstance(in_bulk, ParsedOrders)
    assert in_bulk.problems == by_rows.problems
    assert {(p.file_line, p.column, p.raw_value) for p in in_bulk.problems} >= {
        (12, "Quantity", "two")}
    assert in_bulk.orders == by_rows.orders
    assert bulk_skipped == rows_skipped == ["line 2 (field descriptions)"]


def test_orders_split_apart_in_the_file_go_to_the_row_reader(tmp_path, demo_rows):
    rows = [dict(row) for row in demo_rows[:50]]
    rows.append(dict(rows[0]))  # the first order again at the end: a later state of it
    path = write_orders_csv(tmp_path / NAME, rows)
    by_rows, in_bulk, _, _ = _both(path)
    assert isinstance(in_bulk, ParsedOrders)
    assert in_bulk.orders == by_rows.orders
    assert any("appears twice" in note for note in in_bulk.notes)


def _store_rows(db: Path) -> dict[str, list[tuple]]:
    with read_connection(db) as conn:
        return {table: sorted((tuple(row) for row in conn.execute(f"SELECT * FROM {table}")),
                              key=repr) for table in (
            "orders", "order_line", "product", "sku", "rollup_hour", "rollup_hour_sku",
            "rollup_day_buyers", "rollup_hour_order_kind", "rollup_hour_product")}


def _indexes(db: Path) -> list[tuple]:
    with read_connection(db) as conn:
        return [tuple(row) for row in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "ORDER BY name")]


@pytest.mark.parametrize("layout", ["2025", "2024 without product IDs"])
def test_a_bulk_import_stores_what_a_row_import_stores_and_rebuilds_its_indexes(
        tmp_path, demo_rows, monkeypatch, layout):
    rows = [dict(row) for row in demo_rows]
    for row in rows[::7]:
        row["Product Name"] = ""  # rollups keep a SKU's name when some lines lack it
    path = write_orders_csv(tmp_path / NAME, rows, **(
        {"headers": US_ORDER_HEADERS_2024} if layout != "2025" else {}))
    by_rows = import_file(tmp_path / "rows.db", path, timezone=LA)
    monkeypatch.setattr(orders_bulk, "BULK_MIN_ROWS", 0)
    # Load as much as a season's export does: indexes set aside and built again.
    monkeypatch.setattr("campaign_core.store.orders_writer._BULK_LINES", 100)
    in_bulk = import_file(tmp_path / "bulk.db", path, timezone=LA)
    assert in_bulk.ok and by_rows.ok
    assert in_bulk.records == by_rows.records
    assert in_bulk.records.new > 500
    assert _store_rows(tmp_path / "bulk.db") == _store_rows(tmp_path / "rows.db")
    assert _indexes(tmp_path / "bulk.db") == _indexes(tmp_path / "rows.db")
    with sqlite3.connect(tmp_path / "bulk.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_reimports_across_readers_find_every_order_unchanged_or_updated_alike(
        tmp_path, demo_rows, monkeypatch):
    first = write_orders_csv(tmp_path / NAME, demo_rows)
    changed = [dict(row) for row in demo_rows]
    changed[0]["Order Status"] = "Cancelled"  # a later export: one order cancelled
    later = write_orders_csv(tmp_path / "All order-2026-11-26-13_00.csv", changed)
    db = tmp_path / "store.db"
    monkeypatch.setattr(orders_bulk, "BULK_MIN_ROWS", 0)
    assert import_file(db, first, timezone=LA).records.new > 500
    monkeypatch.setattr(orders_bulk, "BULK_MIN_ROWS", 10**9)
    again = import_file(db, first, timezone=LA)  # the row reader, same file
    assert (again.records.new, again.records.updated) == (0, 0)
    monkeypatch.setattr(orders_bulk, "BULK_MIN_ROWS", 0)
    update = import_file(db, later, timezone=LA)
    assert (update.records.new, update.records.updated) == (0, 1)
    assert update.records.unchanged == again.records.unchanged - 1


# ---------------------------------------------------------------- chunks of whole orders

def _first_multi_line_order(rows: list[dict[str, str]]) -> tuple[int, int]:
    """(position of its first line, number of lines) of the file's first order of 3+ lines."""
    position = 0
    while position < len(rows):
        order_id = rows[position]["Order ID"]
        end = position
        while end < len(rows) and rows[end]["Order ID"] == order_id:
            end += 1
        if end - position >= 3:
            return position, end - position
        position = end
    raise AssertionError("no order of three lines")


def _multi_line_rows(demo_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The demo rows with one order of three lines early on (the demo has few)."""
    rows = [dict(row) for row in demo_rows]
    for row in rows[31:33]:
        row["Order ID"] = rows[30]["Order ID"]
        for name in ("Buyer Username", "Paid Time", "Created Time", "Order Status"):
            row[name] = rows[30][name]
    return rows


def test_chunks_hold_whole_orders_when_a_boundary_falls_inside_one(tmp_path, demo_rows):
    rows = _multi_line_rows(demo_rows)
    start, count = _first_multi_line_order(rows)
    path = write_orders_csv(tmp_path / NAME, rows)
    # The nominal boundary falls after the order's first line: the chunk takes all of it.
    table = open_source(path)
    reading = orders_bulk.BulkReading(table, LA)
    chunks = list(reading.chunks(start + 1))
    assert len(chunks) >= 2
    first = chunks[0]
    assert first.rows_read == start + count
    assert first.orders["order_id"][-1] == rows[start]["Order ID"].strip()
    assert first.order_lines[-1].stop - first.order_lines[-1].start == count
    assert sum(chunk.rows_read for chunk in chunks) == len(rows)


@pytest.mark.parametrize("chunk_lines", [1, 2, 31, 500])
def test_an_import_in_tiny_chunks_stores_what_a_row_import_stores(
        tmp_path, demo_rows, monkeypatch, chunk_lines):
    rows = _multi_line_rows(demo_rows)
    path = write_orders_csv(tmp_path / NAME, rows, with_description_row=True)
    by_rows = import_file(tmp_path / "rows.db", path, timezone=LA)
    monkeypatch.setattr(orders_bulk, "BULK_MIN_ROWS", 0)
    monkeypatch.setattr("campaign_core.store.orders_writer._BULK_LINES", 100)
    in_chunks = import_file(tmp_path / "chunks.db", path, timezone=LA, chunk_lines=chunk_lines)
    assert in_chunks.ok and by_rows.ok
    assert in_chunks.records == by_rows.records
    for name in ("rows_read", "rows_stored", "notes", "first_paid_utc", "last_paid_utc",
                 "lines_written"):
        assert getattr(in_chunks, name) == getattr(by_rows, name), name
    assert _store_rows(tmp_path / "chunks.db") == _store_rows(tmp_path / "rows.db")
    assert _indexes(tmp_path / "chunks.db") == _indexes(tmp_path / "rows.db")
    # A later export in chunks against the stored orders: one changed, the rest unchanged.
    changed = [dict(row) for row in rows]
    changed[-1]["Order Status"] = "Cancelled"
    later = write_orders_csv(tmp_path / "All order-2026-11-26-13_00.csv", changed)
    update = import_file(tmp_path / "chunks.db", later, timezone=LA, chunk_lines=chunk_lines)
    monkeypatch.setattr(orders_bulk, "BULK_MIN_ROWS", 10**9)
    assert import_file(tmp_path / "rows.db", later, timezone=LA).records == update.records
    assert (update.records.new, update.records.updated) == (0, 1)
    assert _store_rows(tmp_path / "chunks.db") == _store_rows(tmp_path / "rows.db")


def test_a_bad_row_in_a_later_chunk_is_reported_by_line_and_nothing_of_the_chunks_is_kept(
        tmp_path, demo_rows, monkeypatch):
    rows = [dict(row) for row in demo_rows]
    rows[-3]["Quantity"] = "two"  # in the last chunk: earlier chunks are written by then
    path = write_orders_csv(tmp_path / NAME, rows)
    by_rows = import_file(tmp_path / "rows.db", path, timezone=LA)
    monkeypatch.setattr(orders_bulk, "BULK_MIN_ROWS", 0)
    written = []
    real_add = orders_writer.ChunkedOrderWriter.add

    def add(self, chunk):
        written.append(chunk.rows_read)
        return real_add(self, chunk)

    monkeypatch.setattr(orders_writer.ChunkedOrderWriter, "add", add)
    in_chunks = import_file(tmp_path / "chunks.db", path, timezone=LA, chunk_lines=100)
    assert len(written) >= 5  # chunks went in before the bad row was met
    assert in_chunks.ok and in_chunks.rows_quarantined == 1
    assert [(p.file_line, p.column, p.raw_value, p.reason) for p in in_chunks.problems] == [
        (len(rows) - 1, "Quantity", "two", p.reason) for p in by_rows.problems]
    assert in_chunks.records == by_rows.records
    assert _store_rows(tmp_path / "chunks.db") == _store_rows(tmp_path / "rows.db")
    with read_connection(tmp_path / "chunks.db") as conn:
        assert [tuple(row) for row in conn.execute(
            "SELECT file_line, column_name, raw_value FROM quarantine")] == [
            (len(rows) - 1, "Quantity", "two")]


def test_a_failure_in_a_later_chunk_leaves_the_store_untouched(tmp_path, demo_rows,
                                                              monkeypatch):
    db = tmp_path / "store.db"
    first = write_orders_csv(tmp_path / NAME, demo_rows[: len(demo_rows) // 2])
    assert import_file(db, first, timezone=LA).ok
    before = _store_rows(db), _indexes(db)
    later = write_orders_csv(tmp_path / "All order-2026-11-26-13_00.csv", demo_rows)
    monkeypatch.setattr(orders_bulk, "BULK_MIN_ROWS", 0)
    monkeypatch.setattr("campaign_core.store.orders_writer._BULK_LINES", 100)
    real_add, calls = orders_writer.ChunkedOrderWriter.add, []

    def add(self, chunk):
        calls.append(chunk.rows_read)
        if len(calls) == 4:
            raise sqlite3.IntegrityError("disk full in the fourth chunk (injected)")
        return real_add(self, chunk)

    monkeypatch.setattr(orders_writer.ChunkedOrderWriter, "add", add)
    report = import_file(db, later, timezone=LA, chunk_lines=200)
    assert not report.ok and "injected" in report.message
    assert len(calls) == 4
    assert (_store_rows(db), _indexes(db)) == before
    with read_connection(db) as conn:
        assert [tuple(row) for row in conn.execute(
            "SELECT status FROM import_log ORDER BY import_id")] == [("imported",),
                                                                      ("rejected",)]
