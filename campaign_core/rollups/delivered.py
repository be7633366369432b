"""``rollup_hour_delivered``: per shop, UTC hour of the paid time and status, the paid,
non-sample orders whose status is not yet Delivered / Completed (nor Cancelled) but whose
export gives a delivered time: the orders the shop operations count as delivered whatever
their status says (``metrics.operations``).

An order is counted in the hour of its paid time when it has a paid, non-sample line paid
then (an order's lines carry its paid time), as the operations' reading of the lines does.
An order has one paid time and one status, so the counts add up over hours. Refreshed with
``rollup_hour`` for the same dirty hours, inside the import's transaction; readers use it
only where ``rollup_span`` found no dirty hour.
"""

from __future__ import annotations

import sqlite3

NOT_DELIVERED_SQL = "o.status NOT IN ('delivered', 'completed', 'cancelled')"

_INSERT = """
INSERT INTO rollup_hour_delivered (shop_id, hour_utc, status, orders)
SELECT :shop_id, o.paid_utc / 3600 * 3600, o.status, COUNT(*)
FROM {source}
WHERE o.shop_id = :shop_id AND o.paid_utc IS NOT NULL AND o.is_sample = 0
  AND o.delivered_utc IS NOT NULL AND """ + NOT_DELIVERED_SQL + """
  AND EXISTS (SELECT 1 FROM order_line l WHERE l.shop_id = o.shop_id
              AND l.paid_utc = o.paid_utc AND l.is_sample = 0 AND l.order_id = o.order_id)
GROUP BY 2, 3
"""


def refresh_dirty_hours(conn: sqlite3.Connection, shop_id: int) -> None:
    """Recompute the shop's dirty hours (before ``rollup_dirty`` is cleared)."""
    params = {"shop_id": shop_id}
    conn.execute("DELETE FROM rollup_hour_delivered WHERE shop_id = :shop_id AND hour_utc IN "
                 "(SELECT hour_utc FROM rollup_dirty WHERE shop_id = :shop_id)", params)
    conn.execute(_INSERT.format(source=(
        "rollup_dirty t JOIN orders o ON o.shop_id = t.shop_id AND o.paid_utc >= t.hour_utc "
        "AND o.paid_utc < t.hour_utc + 3600")).replace(
        "WHERE o.shop_id", "WHERE t.shop_id = :shop_id AND o.shop_id"), params)


def rebuild(conn: sqlite3.Connection, shop_id: int) -> None:
    """Recompute every hour of the shop."""
    conn.execute("DELETE FROM rollup_hour_delivered WHERE shop_id = ?", (shop_id,))
    conn.execute(_INSERT.format(source="orders o"), {"shop_id": shop_id})


def clear(conn: sqlite3.Connection, shop_id: int) -> None:
    conn.execute("DELETE FROM rollup_hour_delivered WHERE shop_id = ?", (shop_id,))
