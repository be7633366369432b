"""``rollup_hour_order_kind``: paid, non-sample orders per UTC hour and kind of order, for
the views that count orders by an order-level field (the content mix by creator and
channel; operations by status).

One row per ``(shop_id, hour_utc, status, is_returning, has_creator, channel)`` with the
number of orders and their lines' GMV; ``is_returning`` is 1 for an order not cancelled whose
Cancelation/Return Type mentions a return or refund, ``has_creator`` 1 when it names a
creator handle, ``channel`` its trimmed Order Channel ('' when none). An order has one paid
time and one of each field, so orders and GMV add up over hours and kinds. Refreshed with
``rollup_hour`` for the same dirty hours, inside the import's transaction.
"""

from __future__ import annotations

import sqlite3

RETURNING_SQL = ("COALESCE(o.status <> 'cancelled' AND (o.cancel_return_type LIKE '%return%' "
                 "OR o.cancel_return_type LIKE '%refund%'), 0)")
HAS_CREATOR_SQL = "(COALESCE(TRIM(o.creator_handle), '') <> '')"
CHANNEL_SQL = "COALESCE(TRIM(o.order_channel), '')"

_KINDS = f"""
SELECT :shop_id, o.paid_utc / 3600 * 3600 AS hour, o.status, {RETURNING_SQL},
       {HAS_CREATOR_SQL}, {CHANNEL_SQL}, COUNT(*), COALESCE(SUM({{gmv}}), 0)
"""
_INSERT = ("INSERT INTO rollup_hour_order_kind (shop_id, hour_utc, status, is_returning, "
           "has_creator, channel, orders, gmv_cents) ")
# A few hours: each order's GMV looked up in the window index by its paid time (its lines
# carry it) and key; without the paid time SQLite walks the shop's whole index per order.
_DIRTY_HOURS = _INSERT + _KINDS.format(gmv=(
    "(SELECT SUM(l.gmv_cents) FROM order_line l WHERE l.shop_id = o.shop_id "
    "AND l.paid_utc = o.paid_utc AND l.is_sample = 0 AND l.order_id = o.order_id)")) + """
FROM rollup_dirty t
JOIN orders o ON o.shop_id = :shop_id AND o.paid_utc >= t.hour_utc
 AND o.paid_utc < t.hour_utc + 3600
WHERE t.shop_id = :shop_id AND o.is_sample = 0
GROUP BY 2, 3, 4, 5, 6
"""
# Every hour: the orders' GMV from one pass over the window index (an order's lines share
# its paid time, so they are grouped together), then each order's fields by its key.
_ALL_HOURS = _INSERT + _KINDS.format(gmv="g.gmv_cents") + """
FROM (SELECT order_id, SUM(gmv_cents) AS gmv_cents FROM order_line
      WHERE shop_id = :shop_id AND paid_utc IS NOT NULL AND is_sample = 0
      GROUP BY paid_utc, order_id) g
JOIN orders o ON o.shop_id = :shop_id AND o.order_id = g.order_id
WHERE o.is_sample = 0 AND o.paid_utc IS NOT NULL
GROUP BY 2, 3, 4, 5, 6
"""


def refresh_dirty_hours(conn: sqlite3.Connection, shop_id: int) -> None:
    """Recompute the shop's dirty hours (before ``rollup_dirty`` is cleared)."""
    params = {"shop_id": shop_id}
    conn.execute("DELETE FROM rollup_hour_order_kind WHERE shop_id = :shop_id AND hour_utc IN "
                 "(SELECT hour_utc FROM rollup_dirty WHERE shop_id = :shop_id)", params)
    conn.execute(_DIRTY_HOURS, params)


def rebuild(conn: sqlite3.Connection, shop_id: int) -> None:
    """Recompute every hour of the shop."""
    conn.execute("DELETE FROM rollup_hour_order_kind WHERE shop_id = ?", (shop_id,))
    conn.execute(_ALL_HOURS, {"shop_id": shop_id})


def order_kind_rows(shop_id: int, orders: dict[str, list],
                    order_gmv_cents: list[int]) -> list[tuple]:
    """The table's rows for the given orders (columns of ``orders``; each order's lines'
    GMV), computed in Python as the SQL above computes them: for a first load, whose orders
    are all in memory."""
    groups: dict[tuple, list[int]] = {}
    for paid, is_sample, status, return_type, handle, channel, gmv in zip(
            orders["paid_utc"], orders["is_sample"], orders["status"],
            orders["cancel_return_type"], orders["creator_handle"], orders["order_channel"],
            order_gmv_cents, strict=True):
        if is_sample or paid is None:
            continue
        # SQLite's LIKE folds ASCII letters only; TRIM strips spaces only.
        folded = (return_type or "").translate(_ASCII_LOWER)
        returning = int(status != "cancelled" and ("return" in folded or "refund" in folded))
        key = (paid // 3600 * 3600, status, returning, int((handle or "").strip(" ") != ""),
               (channel or "").strip(" "))
        total = groups.setdefault(key, [0, 0])
        total[0] += 1
        total[1] += gmv
    return [(shop_id, *key, count, gmv) for key, (count, gmv) in groups.items()]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
