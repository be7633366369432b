"""``rollup_hour_attribution``: the paid, non-sample order lines per shop and UTC hour, by
what places them in the content mix (``metrics.content_mix``): the affiliate orders
export's content kind and creator handle for a line it names, else the order's channel and
whether it names a creator; with the distinct orders and the GMV of each group.

One row per ``(shop_id, hour_utc, aff_kind, aff_handle, channel, has_handle)``:
``aff_kind`` is the affiliate line's Content Type (NULL when no affiliate line names the
order line, or it names no type), ``aff_handle`` its creator as the linked accounts are
matched (lower case, no '@', trimmed; NULL without ``aff_kind``), ``channel`` the order's
trimmed Order Channel ('' when none), ``has_handle`` 1 when the order names a creator. Which
account and content type a row is, and whether a line was paid during an own LIVE, are
decided when the mix is read: they depend on the linked accounts and the LIVE list, which
change without an orders import.

Orders add up over hours (an order has one paid time). Inside an hour they add up over the
rows that the reader puts into one slice, except for an order whose lines of one content
kind name different creators: ``mixed`` is 1 on every row of an hour holding such an order,
and readers take that hour from the lines. Refreshed with ``rollup_hour`` for the same dirty
hours, inside the import's transaction; an affiliate line written or changed marks its
order's hour dirty (triggers of the migration ``_page_rollups``).
"""

from __future__ import annotations

import sqlite3

HANDLE_SQL = "lower(trim(ltrim(trim(COALESCE({creator}, '')), '@')))"

_BUILD = """
WITH lines AS (
    SELECT l.paid_utc / 3600 * 3600 AS hour_utc, l.order_id, l.gmv_cents,
           a.content_kind AS aff_kind,
           CASE WHEN a.content_kind IS NOT NULL THEN """ + HANDLE_SQL.format(
    creator="a.creator") + """ END AS aff_handle,
           COALESCE(TRIM(o.order_channel), '') AS channel,
           COALESCE(TRIM(o.creator_handle), '') <> '' AS has_handle
    FROM {source}
    JOIN orders AS o ON o.shop_id = l.shop_id AND o.order_id = l.order_id
    LEFT JOIN affiliate_line AS a
      ON a.shop_id = l.shop_id AND a.order_id = l.order_id AND a.sku_id = l.sku_id
    WHERE l.shop_id = :shop_id AND l.is_sample = 0 AND l.paid_utc IS NOT NULL {where}
),
mixed AS MATERIALIZED (
    SELECT DISTINCT hour_utc FROM (
        SELECT hour_utc FROM lines WHERE aff_kind IS NOT NULL
        GROUP BY hour_utc, order_id, aff_kind HAVING COUNT(DISTINCT aff_handle) > 1)
)
INSERT INTO rollup_hour_attribution (shop_id, hour_utc, aff_kind, aff_handle, channel,
                                     has_handle, orders, gmv_cents, mixed)
SELECT :shop_id, hour_utc, aff_kind, aff_handle, channel, has_handle,
       COUNT(DISTINCT order_id), SUM(gmv_cents), hour_utc IN (SELECT hour_utc FROM mixed)
FROM lines
GROUP BY hour_utc, aff_kind, aff_handle, channel, has_handle
"""
# A shop without affiliate lines: every line is placed by its order, so the rows are the
# orders per hour and kind (``order_kinds``, rebuilt first) summed over status and return.
_FROM_ORDER_KINDS = """
INSERT INTO rollup_hour_attribution (shop_id, hour_utc, aff_kind, aff_handle, channel,
                                     has_handle, orders, gmv_cents, mixed)
SELECT shop_id, hour_utc, NULL, NULL, channel, has_creator, SUM(orders), SUM(gmv_cents), 0
FROM rollup_hour_order_kind WHERE shop_id = :shop_id
GROUP BY hour_utc, channel, has_creator
"""


def refresh_dirty_hours(conn: sqlite3.Connection, shop_id: int) -> None:
    """Recompute the shop's dirty hours (before ``rollup_dirty`` is cleared)."""
    params = {"shop_id": shop_id}
    conn.execute("DELETE FROM rollup_hour_attribution WHERE shop_id = :shop_id AND hour_utc "
                 "IN (SELECT hour_utc FROM rollup_dirty WHERE shop_id = :shop_id)", params)
    conn.execute(_BUILD.format(
        source=("rollup_dirty AS t JOIN order_line AS l ON l.shop_id = t.shop_id "
                "AND l.paid_utc >= t.hour_utc AND l.paid_utc < t.hour_utc + 3600"),
        where="AND t.shop_id = :shop_id"), params)


def rebuild(conn: sqlite3.Connection, shop_id: int) -> None:
    """Recompute every hour of the shop (after ``order_kinds.rebuild``)."""
    params = {"shop_id": shop_id}
    clear(conn, shop_id)
    if conn.execute("SELECT EXISTS (SELECT 1 FROM affiliate_line WHERE shop_id = :shop_id)",
                    params).fetchone()[0]:
        conn.execute(_BUILD.format(source="order_line AS l", where=""), params)
    else:
        conn.execute(_FROM_ORDER_KINDS, params)


def clear(conn: sqlite3.Connection, shop_id: int) -> None:
    conn.execute("DELETE FROM rollup_hour_attribution WHERE shop_id = ?", (shop_id,))
