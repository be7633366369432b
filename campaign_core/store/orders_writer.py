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
from collections.abc import Iterable
from operator import itemgetter

from campaign_core.importers.orders import paused_cyclic_gc
from campaign_core.importers.parsed import RecordCounts
from campaign_core.rollups.hourly import mark_dirty, refresh_dirty, triggers_paused
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
_BULK_ORDERS = 20_000
_BULK_CACHE_KB = 64 * 1024
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


def _incoming_is_older(incoming: dict, stored: tuple) -> bool:
    _, stored_event, stored_stamp = stored
    event = incoming["last_event_utc"]
    if stored_event is not None and (event is None or event < stored_event):
        return True
    if event == stored_event and incoming["export_stamp"] and stored_stamp:
        return incoming["export_stamp"] < stored_stamp
    return False


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
        previous = stored.get(order_id)
        if previous is None:
            counts.new += 1
            to_insert.append(order)
        elif previous[0] == order["content_hash"]:
            counts.unchanged += 1
        elif _incoming_is_older(order, previous):
            counts.kept_newer += 1
        else:
            counts.updated += 1
            to_replace.append(order)
    return counts, to_insert, to_replace


def write_orders(conn: sqlite3.Connection, shop_id: int, import_id: int,
                 to_insert: list[dict], to_replace: list[dict]) -> int:
    """Write classified orders inside the caller's transaction; return lines written."""
    with paused_cyclic_gc():
        # The hours a replaced order leaves must be refreshed as well as those it enters.
        mark_dirty(conn, shop_id, (row[0] for row in select_by_ids(
            conn, "SELECT paid_utc FROM orders WHERE shop_id = :shop_id AND order_id IN ({ids})",
            [o["order_id"] for o in to_replace], {"shop_id": shop_id})))
        mark_dirty(conn, shop_id, (order["paid_utc"] for order in to_insert + to_replace))
        with triggers_paused(conn):
            written = _write_orders(conn, shop_id, import_id, to_insert, to_replace)
        refresh_dirty(conn, shop_id)
        return written


def _write_orders(conn: sqlite3.Connection, shop_id: int, import_id: int,
                  to_insert: list[dict], to_replace: list[dict]) -> int:
    if len(to_insert) + len(to_replace) > _BULK_ORDERS:
        # Lines go into three indexes at once; a larger page cache for this connection (the
        # writer's, closed after the import) keeps their insertion points in memory.
        conn.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KB}")
    replaced_keys = [(shop_id, o["order_id"]) for o in to_replace]
    conn.executemany("DELETE FROM order_line WHERE shop_id = ? AND order_id = ?",
                     replaced_keys)
    conn.executemany("DELETE FROM orders WHERE shop_id = ? AND order_id = ?", replaced_keys)
    orders = to_insert + to_replace
    # Positional tuples, not dicts: a million lines spend less time being repackaged.
    order_values = _values_of(_ORDER_COLUMNS[1:-1])
    conn.executemany(_positional_insert("orders", _ORDER_COLUMNS),
                     ((shop_id, *order_values(order), import_id) for order in orders))
    line_values = _values_of(_LINE_COLUMNS[1:])
    written = 0
    for order in orders:
        written += len(order["lines"])
    conn.executemany(_positional_insert("order_line", _LINE_COLUMNS),
                     ((shop_id, *line_values(line))
                      for order in orders for line in order["lines"]))
    return written


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


def _positional_insert(table: str, columns: tuple[str, ...]) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})")


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
