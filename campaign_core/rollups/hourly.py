"""``rollup_hour``: per shop and UTC hour, the additive core metrics of the paid,
non-sample order lines, refreshed inside the import's transaction for the hours it touched;
``rollup_hour_sku`` the same per (product, SKU) and ``rollup_hour_product`` a product's
distinct orders per hour.

Every value is exact and additive over hours: GMV, units and discounts are integer sums; an
order has one paid time, so it lies in one hour and distinct orders (and distinct order
SKUs) of different hours never overlap.

Which hours to refresh is recorded by the store itself: triggers on ``order_line`` and
``orders`` (schema ``_v8_rollups``) mark the hours of every row written, deleted or changed
in ``rollup_dirty``, whoever writes. The importer refreshes the shop's dirty hours before
its transaction commits (a bulk import pauses the triggers and marks its hours itself,
which is cheaper); readers answer any hour still dirty from the lines.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from campaign_core.rollups import attribution, day_skus, delivered, order_kinds
from campaign_core.rollups.day_buyers import rebuild_days, refresh_days
from campaign_core.rollups.windows import HOUR

# Above this many dirty hours one grouped pass over the shop's lines is cheaper than
# looking each hour up.
_REBUILD_HOURS = 2000

_HOUR_VALUES = """
SELECT :shop_id, {hour} AS hour_utc,
       SUM(l.gmv_cents), COUNT(DISTINCT l.order_id),
       COUNT(DISTINCT l.order_id || char(31) || l.sku_id), SUM(l.quantity),
       SUM(l.platform_discount_cents), COUNT(*), 0
FROM {source}
WHERE l.shop_id = :shop_id AND l.is_sample = 0 {where}
GROUP BY hour_utc
"""
_INSERT = ("INSERT INTO rollup_hour (shop_id, hour_utc, gmv_cents, orders, sku_orders, units, "
           "platform_cents, lines, shipping_platform_cents) ")
_SHIPPING = """
UPDATE rollup_hour AS r SET shipping_platform_cents = s.cents
FROM (SELECT paid_utc / 3600 * 3600 AS hour_utc,
             SUM(shipping_fee_platform_discount_cents) AS cents
      FROM orders
      WHERE shop_id = :shop_id AND is_sample = 0 AND paid_utc IS NOT NULL {where}
      GROUP BY 1) AS s
WHERE r.shop_id = :shop_id AND r.hour_utc = s.hour_utc
"""
# The same for the dirty hours, each a range of the paid-time index (an expression on
# paid_utc, such as its hour IN the dirty ones, would read every order of the shop).
_DIRTY_SHIPPING = f"""
UPDATE rollup_hour AS r SET shipping_platform_cents = s.cents
FROM (SELECT t.hour_utc AS hour_utc, SUM(o.shipping_fee_platform_discount_cents) AS cents
      FROM rollup_dirty t
      JOIN orders o ON o.shop_id = :shop_id AND o.paid_utc >= t.hour_utc
       AND o.paid_utc < t.hour_utc + {HOUR}
      WHERE t.shop_id = :shop_id AND o.is_sample = 0
      GROUP BY 1) AS s
WHERE r.shop_id = :shop_id AND r.hour_utc = s.hour_utc
"""
_DIRTY = "SELECT hour_utc FROM rollup_dirty WHERE shop_id = :shop_id"
_SKU_VALUES = """
INSERT INTO rollup_hour_sku (shop_id, hour_utc, product_id, sku_id, product_name, gmv_cents,
                             units, sku_orders, lines)
SELECT :shop_id, {hour} AS hour_utc, l.product_id, l.sku_id, MAX(l.product_name),
       SUM(l.gmv_cents), SUM(l.quantity), COUNT(DISTINCT l.order_id), COUNT(*)
FROM {source}
WHERE l.shop_id = :shop_id AND l.is_sample = 0 {where}
GROUP BY hour_utc, l.product_id, l.sku_id
"""
_PRODUCT_VALUES = """
INSERT INTO rollup_hour_product (shop_id, hour_utc, product_id, orders)
SELECT :shop_id, {hour} AS hour_utc, l.product_id, COUNT(DISTINCT l.order_id)
FROM {source}
WHERE l.shop_id = :shop_id AND l.is_sample = 0 {where}
GROUP BY hour_utc, l.product_id
"""
_TABLES = ("rollup_hour", "rollup_hour_sku", "rollup_hour_product")


@contextmanager
def triggers_paused(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside the caller's transaction, drop the dirty-marking triggers for a bulk write
    whose hours the caller marks itself (``mark_dirty``), then create them again.

    The triggers double the cost of inserting a line; DDL is transactional in SQLite, so a
    failed import rolls the drop back with everything else, and no other writer can run
    meanwhile (one writer at a time).
    """
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND name LIKE 'rollup_dirty_%'").fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        conn.execute(sql)


def mark_dirty(conn: sqlite3.Connection, shop_id: int, instants: Iterable[int | None]) -> None:
    """Mark the UTC hours holding ``instants`` (paid times; None is skipped) dirty."""
    hours = {instant // HOUR * HOUR for instant in instants if instant is not None}
    conn.executemany("INSERT OR IGNORE INTO rollup_dirty VALUES (?, ?)",
                     ((shop_id, hour) for hour in hours))


def refresh_dirty(conn: sqlite3.Connection, shop_id: int) -> int:
    """Recompute ``rollup_hour`` of ``shop_id`` for its dirty hours from the order lines,
    inside the caller's (writing) transaction; returns the number of hours refreshed."""
    params = {"shop_id": shop_id}
    count = conn.execute("SELECT COUNT(*) FROM rollup_dirty WHERE shop_id = :shop_id",
                         params).fetchone()[0]
    if count > _REBUILD_HOURS:
        rebuild_shop(conn, shop_id)
        return count
    if count == 0:
        return 0
    hours = [row[0] for row in conn.execute(_DIRTY, params)]
    refresh_days(conn, shop_id, hours)
    order_kinds.refresh_dirty_hours(conn, shop_id)
    delivered.refresh_dirty_hours(conn, shop_id)
    attribution.refresh_dirty_hours(conn, shop_id)
    for table in _TABLES:
        conn.execute(f"DELETE FROM {table} WHERE shop_id = :shop_id "
                     f"AND hour_utc IN ({_DIRTY})", params)
    for sql in (_INSERT + _HOUR_VALUES, _SKU_VALUES, _PRODUCT_VALUES):
        conn.execute(sql.format(
            hour="t.hour_utc",
            source=(f"rollup_dirty t JOIN order_line l ON l.paid_utc >= t.hour_utc "
                    f"AND l.paid_utc < t.hour_utc + {HOUR}"),
            where="AND t.shop_id = :shop_id"), params)
    conn.execute(_DIRTY_SHIPPING, params)
    day_skus.refresh_days(conn, shop_id, hours)  # from the hourly rows just written
    conn.execute("DELETE FROM rollup_dirty WHERE shop_id = :shop_id", params)
    return count


def rebuild_shop(conn: sqlite3.Connection, shop_id: int) -> None:
    """Recompute every rollup of ``shop_id`` (after a bulk load, or for a check)."""
    rebuild_hours(conn, shop_id)
    rebuild_days(conn, shop_id)
    order_kinds.rebuild(conn, shop_id)
    delivered.rebuild(conn, shop_id)
    attribution.rebuild(conn, shop_id)  # after the order kinds
    day_skus.rebuild(conn, shop_id)
    conn.execute("DELETE FROM rollup_dirty WHERE shop_id = :shop_id", {"shop_id": shop_id})


def rebuild_hours(conn: sqlite3.Connection, shop_id: int) -> None:
    """Recompute the hourly tables of ``shop_id`` (``_TABLES``: what schema v8 holds)."""
    params = {"shop_id": shop_id}
    for table in _TABLES:
        conn.execute(f"DELETE FROM {table} WHERE shop_id = :shop_id", params)
    for sql in (_INSERT + _HOUR_VALUES, _SKU_VALUES, _PRODUCT_VALUES):
        conn.execute(sql.format(hour="l.paid_utc / 3600 * 3600", source="order_line l",
                                where="AND l.paid_utc IS NOT NULL"), params)
    conn.execute(_SHIPPING.format(where=""), params)


def rebuild_v8_tables(conn: sqlite3.Connection) -> None:
    """Fill the tables schema v8 adds, for every shop (that migration; later migrations
    fill the tables they add)."""
    for (shop_id,) in conn.execute("SELECT shop_id FROM shop").fetchall():
        rebuild_hours(conn, shop_id)
        conn.execute("DELETE FROM rollup_dirty WHERE shop_id = ?", (shop_id,))


def clear_shop(conn: sqlite3.Connection, shop_id: int) -> None:
    """Drop ``shop_id``'s rollups, for code that deletes all of a shop's orders (the
    deletes marked their hours dirty; the next import recomputes what is left)."""
    for table in (*_TABLES, "rollup_day_buyers", "rollup_day_buyer_set",
                  "rollup_hour_order_kind"):
        conn.execute(f"DELETE FROM {table} WHERE shop_id = :shop_id", {"shop_id": shop_id})
    day_skus.clear(conn, shop_id)
    delivered.clear(conn, shop_id)
    attribution.clear(conn, shop_id)
