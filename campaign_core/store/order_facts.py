"""What the Open API says about an order beyond the export's columns (``order_platform_fact``):
the paid order a replacement or exchange order replaces, the subscription tag, the
automated-combining group, the LIVE rooms of its lines. Written by the orders sync; read by
the operations notes and the tests. Metrics do not join it: a replacement or exchange order
is already stored as "not a sale" (``is_sample = 1``) by the mapping.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

_COLUMNS = ("replaces_order_id", "replacement_kind", "is_subscription", "combine_group_id",
            "live_room_ids")


def write_order_facts(conn: sqlite3.Connection, shop_id: int, orders: Iterable[dict]) -> int:
    """Upsert the ``platform_fact`` of each order that has one (inside the caller's write
    transaction); returns how many were written."""
    rows = [{"shop_id": shop_id, "order_id": order["order_id"],
             **{column: order["platform_fact"].get(column) for column in _COLUMNS}}
            for order in orders if order.get("platform_fact")]
    conn.executemany(
        "INSERT INTO order_platform_fact (shop_id, order_id, " + ", ".join(_COLUMNS) + ") "
        "VALUES (:shop_id, :order_id, " + ", ".join(f":{c}" for c in _COLUMNS) + ") "
        "ON CONFLICT (shop_id, order_id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS), rows)
    return len(rows)


def replacement_counts(conn: sqlite3.Connection, shop_id: int) -> dict[str, int]:
    """How many stored orders are replacements / exchanges of another order, by kind."""
    return {kind: count for kind, count in conn.execute(
        "SELECT replacement_kind, COUNT(*) FROM order_platform_fact WHERE shop_id = :shop_id "
        "AND replacement_kind IS NOT NULL GROUP BY replacement_kind", {"shop_id": shop_id})}
