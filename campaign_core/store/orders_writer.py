"""Store parsed orders: idempotent upsert by (shop, order ID), the newest state winning.

An incoming order is
- new when the store lacks it;
- unchanged when its content hash equals the stored one (re-importing a file changes nothing);
- kept (stored newer) when the stored order has a later latest event, or the same one from
  a later export, so importing an old export after a new one never rolls an order back;
- otherwise updated: its lines replace the stored order's lines.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from operator import itemgetter

from campaign_core.memory import paused_cyclic_gc
from campaign_core.rollups.first_load import FirstLoadRollups, write_first_load_rollups
from campaign_core.rollups.hourly import mark_dirty, refresh_dirty, triggers_paused
from campaign_core.store.counts import RecordCounts
from campaign_core.store.lookup import select_by_ids

_ORDER_COLUMNS = (
    "shop_id", "order_id", "status", "status_raw", "substatus_raw", "cancel_return_type",
    "created_utc", "paid_utc", "shipped_utc", "delivered_utc", "cancelled_utc",
    "last_event_utc", "export_stamp", "buyer_key", "is_sample",
    "shipping_fee_platform_discount_cents", "original_shipping_fee_cents",
    "shipping_fee_seller_discount_cents", "shipping_fee_after_discount_cents", "taxes_cents",
    "order_amount_cents", "order_refund_amount_cents", "payment_platform_discount_cents",
    "retail_delivery_fee_cents", "creator_handle", "order_channel", "fulfillment_type",
    "content_hash", "import_id",
)
_BULK_LINES = 20_000
_BULK_CACHE_KB = 128 * 1024  # the sorter builds indexes in memory up to this
_LINE_COLUMNS = (
    "shop_id", "order_id", "line_no", "sku_id", "product_id", "seller_sku", "product_name",
    "variation", "quantity", "returned_units", "unit_original_price_cents",
    "subtotal_before_cents", "platform_discount_cents", "seller_discount_cents",
    "subtotal_after_cents", "gmv_cents", "status", "status_raw", "is_cancelled", "paid_utc",
    "is_sample", "buyer_key",
)


def _stored_versions(conn: sqlite3.Connection, shop_id: int,
                     order_ids: list[str]) -> dict[str, tuple]:
    rows = select_by_ids(
        conn, "SELECT order_id, content_hash, last_event_utc, export_stamp FROM orders "
              "WHERE shop_id = :shop_id AND order_id IN ({ids})", order_ids,
        {"shop_id": shop_id})
    return {row[0]: tuple(row)[1:] for row in rows}


def _judge(previous: tuple | None, content_hash: str, event: int | None,
           stamp: str | None) -> str:
    """"new", "unchanged", "kept_newer" or "updated" for an incoming order against the
    stored ``(content_hash, last_event_utc, export_stamp)``."""
    if previous is None:
        return "new"
    stored_hash, stored_event, stored_stamp = previous
    if stored_hash == content_hash:
        return "unchanged"
    if stored_event is not None and (event is None or event < stored_event):
        return "kept_newer"
    if event == stored_event and stamp and stored_stamp and stamp < stored_stamp:
        return "kept_newer"
    return "updated"


def classify_orders(conn: sqlite3.Connection, shop_id: int, orders: dict[str, dict],
                    stamp: str | None) -> tuple[RecordCounts, list[dict], list[dict]]:
    """Sort incoming orders into new / updated / unchanged / kept; nothing is written.

    Returns the counts, the orders to insert and the orders to replace.
    """
    counts = RecordCounts()
    to_insert, to_replace = [], []
    stored = _stored_versions(conn, shop_id, list(orders))
    for order_id, order in orders.items():
        order["export_stamp"] = stamp
        verdict = _judge(stored.get(order_id), order["content_hash"], order["last_event_utc"],
                         stamp)
        setattr(counts, verdict, getattr(counts, verdict) + 1)
        if verdict == "new":
            to_insert.append(order)
        elif verdict == "updated":
            to_replace.append(order)
    return counts, to_insert, to_replace


def classify_bulk_orders(conn: sqlite3.Connection, shop_id: int, orders: dict[str, list],
                         stamp: str | None) -> tuple[RecordCounts, list[int], list[int]]:
    """``classify_orders`` for orders by column (``BulkOrders.orders``): returns the counts
    and the positions of the orders to insert and to replace."""
    counts = RecordCounts()
    to_insert, to_replace = [], []
    stored = _stored_versions(conn, shop_id, orders["order_id"]) if _has_orders(
        conn, shop_id) else {}
    for position, (order_id, content_hash, event) in enumerate(zip(
            orders["order_id"], orders["content_hash"], orders["last_event_utc"],
            strict=True)):
        verdict = _judge(stored.get(order_id), content_hash, event, stamp)
        setattr(counts, verdict, getattr(counts, verdict) + 1)
        if verdict == "new":
            to_insert.append(position)
        elif verdict == "updated":
            to_replace.append(position)
    return counts, to_insert, to_replace


def _has_orders(conn: sqlite3.Connection, shop_id: int) -> bool:
    return conn.execute("SELECT 1 FROM orders WHERE shop_id = ? LIMIT 1",
                        (shop_id,)).fetchone() is not None


def write_orders(conn: sqlite3.Connection, shop_id: int, import_id: int,
                 to_insert: list[dict], to_replace: list[dict]) -> int:
    """Write classified orders inside the caller's transaction; return lines written."""
    orders = to_insert + to_replace
    order_values = _values_of(_ORDER_COLUMNS[1:-1])
    line_values = _values_of(_LINE_COLUMNS[1:])
    return _store(conn, shop_id, import_id, [o["order_id"] for o in to_replace],
                  [order["paid_utc"] for order in orders],
                  # Positional tuples, not dicts: fewer repackaged values.
                  (order_values(order) for order in orders),
                  (line_values(line) for order in orders for line in order["lines"]),
                  sum(len(order["lines"]) for order in orders))


def write_bulk_orders(conn: sqlite3.Connection, shop_id: int, import_id: int, parsed,
                      stamp: str | None, to_insert: list[int], to_replace: list[int]) -> int:
    """``write_orders`` for a ``BulkOrders`` file and ``classify_bulk_orders``' positions."""
    orders, lines = parsed.orders, parsed.lines
    positions = to_insert + to_replace
    order_rows, line_rows, line_count = _picked_rows(parsed, stamp, to_insert, to_replace)
    refresh = refresh_dirty
    if line_count == len(lines["order_id"]) and not _has_orders(conn, shop_id):
        # The shop's first load: its rollups come from the columns in memory.
        def refresh(conn: sqlite3.Connection, shop_id: int) -> None:
            write_first_load_rollups(conn, shop_id, orders, lines, parsed.order_lines)

    return _store(conn, shop_id, import_id, [orders["order_id"][k] for k in to_replace],
                  [orders["paid_utc"][k] for k in positions], order_rows, line_rows,
                  line_count, refresh)


def _picked_rows(parsed, stamp: str | None, to_insert: list[int], to_replace: list[int]
                 ) -> tuple[Iterable[tuple], Iterable[tuple], int]:
    """The order rows and line rows of a ``BulkOrders``' picked orders, and the lines'
    number."""
    orders, lines = parsed.orders, parsed.lines
    positions = to_insert + to_replace
    order_columns = [orders[c] if c != "export_stamp" else [stamp] * parsed.order_count
                     for c in _ORDER_COLUMNS[1:-1]]
    line_columns = [lines[c] for c in _LINE_COLUMNS[1:]]
    if positions == list(range(parsed.order_count)):  # a first import: no picking
        return (zip(*order_columns, strict=True), zip(*line_columns, strict=True),
                len(lines["order_id"]))
    spans = [parsed.order_lines[k] for k in positions]
    return ((tuple(column[k] for column in order_columns) for k in positions),
            (tuple(column[i] for column in line_columns)
             for span in spans for i in range(span.start, span.stop)),
            sum(span.stop - span.start for span in spans))


def _store(conn: sqlite3.Connection, shop_id: int, import_id: int, replaced_ids: list[str],
           paid_times: list[int | None], order_rows: Iterable[tuple],
           line_rows: Iterable[tuple], line_count: int,
           refresh: Callable[[sqlite3.Connection, int], object] = refresh_dirty) -> int:
    """Replace ``replaced_ids``' orders and lines by the given rows (``_ORDER_COLUMNS`` and
    ``_LINE_COLUMNS`` without shop and import); ``refresh`` then brings the rollups of the
    hours touched up to date."""
    with paused_cyclic_gc():
        with _bulk_writing(conn, line_count):
            _replace(conn, shop_id, import_id, replaced_ids, paid_times, order_rows, line_rows)
        refresh(conn, shop_id)
        return line_count


@contextmanager
def _bulk_writing(conn: sqlite3.Connection, line_count: int) -> Iterator[None]:
    """Triggers paused and, for a large load, indexes set aside, for the writes inside."""
    with triggers_paused(conn), _indexes_set_aside(conn, line_count):
        if line_count > _BULK_LINES:
            # For this connection only (the writer's, closed after the import): a page
            # cache that holds the indexes being filled or built, and a second thread
            # for the sorter that builds them.
            conn.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KB}")
            conn.execute("PRAGMA threads = 2")
        yield


def _replace(conn: sqlite3.Connection, shop_id: int, import_id: int, replaced_ids: list[str],
             paid_times: list[int | None] | None, order_rows: Iterable[tuple],
             line_rows: Iterable[tuple]) -> None:
    """The writes of ``_store`` (with the rollup triggers paused): the hours touched are
    marked dirty unless ``paid_times`` is None (a first load, whose rollups are computed
    from its columns)."""
    if paid_times is not None:
        # The hours a replaced order leaves must be refreshed as well as those it enters.
        mark_dirty(conn, shop_id, (row[0] for row in select_by_ids(
            conn, "SELECT paid_utc FROM orders WHERE shop_id = :shop_id AND order_id IN ({ids})",
            replaced_ids, {"shop_id": shop_id})))
        mark_dirty(conn, shop_id, paid_times)
    # A rewritten order keeps the import that first brought it in (the replay's key).
    first_imports = [(row[1], shop_id, row[0]) for row in select_by_ids(
        conn, "SELECT order_id, COALESCE(first_import_id, import_id) FROM orders "
        "WHERE shop_id = :shop_id AND order_id IN ({ids})", replaced_ids,
        {"shop_id": shop_id})]
    replaced_keys = [(shop_id, order_id) for order_id in replaced_ids]
    conn.executemany("DELETE FROM order_line WHERE shop_id = ? AND order_id = ?",
                     replaced_keys)
    conn.executemany("DELETE FROM orders WHERE shop_id = ? AND order_id = ?", replaced_keys)
    conn.executemany(_positional_insert("orders", _ORDER_COLUMNS, shop_id, import_id),
                     order_rows)
    conn.executemany(_positional_insert("order_line", _LINE_COLUMNS, shop_id), line_rows)
    conn.executemany("UPDATE orders SET first_import_id = ? WHERE shop_id = ? "
                     "AND order_id = ?", first_imports)


class ChunkedOrderWriter:
    """One file's orders written chunk by chunk (``BulkOrders`` of whole orders, in file
    order) inside the caller's transaction: ``with ChunkedOrderWriter(...) as writer:``
    then ``writer.add(chunk)`` for each chunk.

    The rollup triggers are paused and, for a load of ``expected_lines`` that warrants it,
    the order tables' indexes set aside for the whole file, once; the rollups are brought up
    to date when the block ends without an error (on an error nothing is rebuilt: the
    caller rolls the transaction, or its savepoint, back, and SQLite restores the DDL).
    A shop's first load computes its rollups from the chunks' columns as they pass.
    """

    def __init__(self, conn: sqlite3.Connection, shop_id: int, import_id: int,
                 stamp: str | None, expected_lines: int):
        self.conn, self.shop_id, self.import_id, self.stamp = conn, shop_id, import_id, stamp
        self.expected_lines = expected_lines
        self.counts = RecordCounts()
        self.lines_written = 0
        self.first_load = False
        self.rollups: FirstLoadRollups | None = None
        self._stack = ExitStack()

    def __enter__(self) -> ChunkedOrderWriter:
        self.first_load = not _has_orders(self.conn, self.shop_id)
        self.rollups = FirstLoadRollups(self.conn) if self.first_load else None
        self._stack.enter_context(paused_cyclic_gc())
        self._stack.enter_context(_bulk_writing(self.conn, self.expected_lines))
        return self

    def add(self, parsed) -> None:
        """Classify and write one chunk."""
        orders, lines = parsed.orders, parsed.lines
        if not parsed.order_count:
            return
        if self.first_load:  # nothing stored to compare with: every order is new
            self.counts.new += parsed.order_count
            to_insert, to_replace = list(range(parsed.order_count)), []
        else:
            counts, to_insert, to_replace = classify_bulk_orders(
                self.conn, self.shop_id, orders, self.stamp)
            for name in ("new", "updated", "unchanged", "kept_newer"):
                setattr(self.counts, name, getattr(self.counts, name) + getattr(counts, name))
        order_rows, line_rows, line_count = _picked_rows(parsed, self.stamp, to_insert,
                                                         to_replace)
        positions = to_insert + to_replace
        _replace(self.conn, self.shop_id, self.import_id,
                 [orders["order_id"][k] for k in to_replace],
                 None if self.first_load else [orders["paid_utc"][k] for k in positions],
                 order_rows, line_rows)
        if self.rollups is not None:
            self.rollups.add(orders, lines, parsed.order_lines)
        self.lines_written += line_count

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if exc_type is not None:
            return self._stack.__exit__(exc_type, exc, traceback)
        self._stack.__exit__(None, None, None)
        if self.rollups is not None:
            self.rollups.write(self.conn, self.shop_id)
        else:
            refresh_dirty(self.conn, self.shop_id)
        return False


def _stored_lines(conn: sqlite3.Connection) -> int:
    """About how many order lines the store holds (every shop's), without counting them."""
    return conn.execute("SELECT MAX(rowid) FROM order_line").fetchone()[0] or 0


@contextmanager
def _indexes_set_aside(conn: sqlite3.Connection, incoming_lines: int) -> Iterator[None]:
    """For a load larger than the lines already stored, drop the order tables' secondary
    indexes and build them again afterwards, inside the caller's transaction.

    Building an index once from sorted rows is several times cheaper than inserting a
    million rows into six indexes one by one; for a small import into a large store it is
    the other way round, so indexes stay. DDL is transactional: a failed import rolls the
    drop back with everything else."""
    if incoming_lines < _BULK_LINES or incoming_lines < _stored_lines(conn):
        yield
        return
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('order_line', 'orders')").fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)


def _values_of(columns: tuple[str, ...]):
    """A record's values for ``columns`` in order; a column the record lacks is None (the
    Open API mapping may leave some out)."""
    every = itemgetter(*columns)

    def values(record: dict) -> tuple:
        try:
            return every(record)
        except KeyError:
            return tuple(record.get(column) for column in columns)

    return values


def _positional_insert(table: str, columns: tuple[str, ...], shop_id: int,
                       import_id: int | None = None) -> str:
    """An INSERT of ``columns`` whose first (shop) and, with ``import_id``, last column are
    the given numbers, so each row's tuple holds only the values in between."""
    values = ["?"] * len(columns)
    values[0] = str(int(shop_id))
    if import_id is not None:
        values[-1] = str(int(import_id))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(values)})"


def upsert_catalog(conn: sqlite3.Connection, shop_id: int, products: Iterable[dict],
                   skus: Iterable[dict]) -> None:
    """Products and SKUs as the newest file names them (names change; IDs do not)."""
    conn.executemany(
        "INSERT INTO product (shop_id, product_id, name, category) "
        "VALUES (:shop_id, :product_id, :name, :category) "
        "ON CONFLICT (shop_id, product_id) DO UPDATE SET name = excluded.name, "
        "category = COALESCE(excluded.category, product.category)",
        ({**p, "shop_id": shop_id} for p in products))
    conn.executemany(
        "INSERT INTO sku (shop_id, sku_id, product_id, seller_sku, product_name, variation) "
        "VALUES (:shop_id, :sku_id, :product_id, :seller_sku, :product_name, :variation) "
        "ON CONFLICT (shop_id, sku_id) DO UPDATE SET "
        "product_id = COALESCE(excluded.product_id, sku.product_id), "
        "seller_sku = excluded.seller_sku, product_name = excluded.product_name, "
        "variation = excluded.variation",
        ({**s, "shop_id": shop_id} for s in skus))
