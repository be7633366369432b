"""``rollup_day_sku`` and ``rollup_day_product``: the hourly SKU and product rollups summed
per local day of the shop's timezone, for the views that read many days of SKUs (stock
cover's rate windows, the campaign's SKU list, products over a campaign period).

Each row holds one local day ``[day_start_utc, day_end_utc)`` and is the sum of the rows of
``rollup_hour_sku`` (per product and SKU: GMV, units, SKU orders, lines, the greatest product
name) or ``rollup_hour_product`` (a product's distinct orders) of the hours inside it. The
sums are exact: every value of the hourly rows adds up over hours (``hourly``), so it adds
up over the hours of a day. Only days whose bounds are whole UTC hours get rows (every day
of a zone with whole-hour offsets); ``day_span`` tells readers which days those are.

Rows are recomputed from the hourly rows in the importer's transaction right after those
are (``refresh_days`` for the days holding the refreshed hours, ``rebuild`` for a shop), and
readers use them only where ``rollup_span`` found no dirty hour, as for the hourly rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta

from campaign_core.rollups.windows import HOUR
from campaign_core.windows import local_day_of, local_midnight_utc

_TABLES = ("rollup_day_sku", "rollup_day_product")

_SKU_DAYS = """
INSERT INTO rollup_day_sku (shop_id, day_start_utc, day_end_utc, product_id, sku_id,
                            product_name, gmv_cents, units, sku_orders, lines)
SELECT :shop_id, json_extract(d.value, '$[0]'), json_extract(d.value, '$[1]'),
       h.product_id, h.sku_id, MAX(h.product_name), SUM(h.gmv_cents), SUM(h.units),
       SUM(h.sku_orders), SUM(h.lines)
FROM json_each(:days) AS d
JOIN rollup_hour_sku h ON h.shop_id = :shop_id
 AND h.hour_utc >= json_extract(d.value, '$[0]') AND h.hour_utc < json_extract(d.value, '$[1]')
GROUP BY d.key, h.product_id, h.sku_id
"""
_PRODUCT_DAYS = """
INSERT INTO rollup_day_product (shop_id, day_start_utc, day_end_utc, product_id, orders)
SELECT :shop_id, json_extract(d.value, '$[0]'), json_extract(d.value, '$[1]'),
       h.product_id, SUM(h.orders)
FROM json_each(:days) AS d
JOIN rollup_hour_product h ON h.shop_id = :shop_id
 AND h.hour_utc >= json_extract(d.value, '$[0]') AND h.hour_utc < json_extract(d.value, '$[1]')
GROUP BY d.key, h.product_id
"""


def _timezone(conn: sqlite3.Connection, shop_id: int) -> str | None:
    row = conn.execute("SELECT timezone FROM shop WHERE shop_id = ?", (shop_id,)).fetchone()
    return row[0] if row else None


def _whole_hour_days(days: Iterable[date], timezone: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each day whose bounds are whole UTC hours."""
    bounds = []
    for day in sorted(set(days)):
        start = local_midnight_utc(day, timezone)
        end = local_midnight_utc(day + timedelta(days=1), timezone)
        if start % HOUR == 0 and end % HOUR == 0:
            bounds.append((start, end))
    return bounds


def _write(conn: sqlite3.Connection, shop_id: int, bounds: list[tuple[int, int]]) -> None:
    for table in _TABLES:
        conn.executemany(f"DELETE FROM {table} WHERE shop_id = ? AND day_start_utc = ?",
                         ((shop_id, start) for start, _ in bounds))
    if bounds:
        params = {"shop_id": shop_id, "days": json.dumps(bounds)}
        conn.execute(_SKU_DAYS, params)
        conn.execute(_PRODUCT_DAYS, params)


def refresh_days(conn: sqlite3.Connection, shop_id: int, hours: Iterable[int]) -> None:
    """Recompute the days holding ``hours`` (UTC hour starts) from the hourly rows, inside
    the caller's writing transaction, after those hours' rows were recomputed."""
    timezone = _timezone(conn, shop_id)
    if timezone is None:
        return
    _write(conn, shop_id, _whole_hour_days(
        (local_day_of(instant, timezone) for hour in hours for instant in (hour, hour + HOUR - 1)),
        timezone))


def rebuild(conn: sqlite3.Connection, shop_id: int) -> None:
    """Recompute every day of ``shop_id`` from its hourly rows (after they are rebuilt)."""
    clear(conn, shop_id)
    timezone = _timezone(conn, shop_id)
    first, last = conn.execute(
        "SELECT (SELECT MIN(hour_utc) FROM rollup_hour_sku WHERE shop_id = :shop_id), "
        "(SELECT MAX(hour_utc) FROM rollup_hour_sku WHERE shop_id = :shop_id)",
        {"shop_id": shop_id}).fetchone()
    if timezone is None or first is None:
        return
    day, end = local_day_of(first, timezone), local_day_of(last + HOUR - 1, timezone)
    _write(conn, shop_id, _whole_hour_days(
        (day + timedelta(days=n) for n in range((end - day).days + 1)), timezone))


def clear(conn: sqlite3.Connection, shop_id: int) -> None:
    for table in _TABLES:
        conn.execute(f"DELETE FROM {table} WHERE shop_id = ?", (shop_id,))


def day_span(conn: sqlite3.Connection, shop_id: int, first: int, last: int,
             timezone: str) -> tuple[int, int]:
    """The whole local days ``[day_first, day_last)`` inside the whole hours ``[first, last)``
    (``rollup_span``'s, so free of dirty hours) that the day rollups answer; the hours
    ``[first, day_first)`` and ``[day_last, last)`` are left to the hourly rollups.

    None (``(last, last)``) when ``timezone`` is not the shop's (the rows are the shop's
    days), when no whole day fits, or when a day between is not made of whole hours.
    """
    if first >= last or _timezone(conn, shop_id) != timezone:
        return last, last
    day = local_day_of(first, timezone)
    day_first = local_midnight_utc(day, timezone)
    if day_first < first:
        day += timedelta(days=1)
        day_first = local_midnight_utc(day, timezone)
    last_day = local_day_of(last, timezone)
    day_last = local_midnight_utc(last_day, timezone)
    if day_first >= day_last:
        return last, last
    if len(_whole_hour_days((day + timedelta(days=n) for n in range((last_day - day).days)),
                            timezone)) != (last_day - day).days:
        return last, last
    return day_first, day_last
