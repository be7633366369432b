"""``rollup_day_buyers``: distinct buyers per shop-time day, for the views that count buyers
day by day (the Campaign Period trend, the funnel's daily customers).

Distinct buyers do not add up over hours (a buyer who orders twice in a day is one buyer),
so they get a rollup of their own per local day of the shop's timezone: ``(shop_id,
day_start_utc, day_end_utc, buyers, lines)`` over the paid, non-sample order lines of
``[day_start_utc, day_end_utc)``, one row per day that has such lines. Rows are kept in step
with ``rollup_hour``: the days holding the hours an import refreshes are recomputed in its
transaction, and a day with a dirty hour is read from the lines (``buyers_by_day``).
Whole-window distinct buyers (the KPI cards) still come from the lines: days do not add up
either.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import timedelta

from campaign_core.rollups.windows import HOUR
from campaign_core.windows import local_day_of, local_midnight_utc

_DAY_BUYERS = """
INSERT INTO rollup_day_buyers (shop_id, day_start_utc, day_end_utc, buyers, lines)
SELECT :shop_id, json_extract(d.value, '$[0]'), json_extract(d.value, '$[1]'),
       COUNT(DISTINCT l.buyer_key), COUNT(*)
FROM json_each(:days) AS d
JOIN order_line l ON l.shop_id = :shop_id AND l.is_sample = 0
 AND l.paid_utc >= json_extract(d.value, '$[0]') AND l.paid_utc < json_extract(d.value, '$[1]')
GROUP BY d.key
"""
# Each day's set of distinct buyer keys (``rollup_day_buyer_set``): distinct buyers over
# whole days are then distinct over one row per buyer and day, not over every line. CROSS
# JOIN keeps the days first (each day one range of the buyers index); else SQLite may read
# every line of the shop and look through all the days for each.
_DAY_BUYER_SET = """
INSERT INTO rollup_day_buyer_set (shop_id, day_start_utc, buyer_key)
SELECT DISTINCT :shop_id, json_extract(d.value, '$[0]'), l.buyer_key
FROM json_each(:days) AS d
CROSS JOIN order_line l ON l.shop_id = :shop_id AND l.is_sample = 0
 AND l.paid_utc >= json_extract(d.value, '$[0]') AND l.paid_utc < json_extract(d.value, '$[1]')
WHERE l.buyer_key IS NOT NULL
"""
# The lines' buyers per bucket, for buckets the rollup cannot answer.
_LINE_BUYERS = """
SELECT json_extract(d.value, '$[0]') AS bucket, COUNT(DISTINCT l.buyer_key) AS buyers
FROM json_each(:buckets) AS d
JOIN order_line l ON l.shop_id = :shop_id AND l.is_sample = 0
 AND l.paid_utc >= json_extract(d.value, '$[1]') AND l.paid_utc < json_extract(d.value, '$[2]')
GROUP BY d.key
"""


def shop_timezone(conn: sqlite3.Connection, shop_id: int) -> str | None:
    row = conn.execute("SELECT timezone FROM shop WHERE shop_id = ?", (shop_id,)).fetchone()
    return row[0] if row else None


def day_bounds(days: Iterable, timezone: str) -> list[tuple[int, int]]:
    """``(start, end)`` instants of each local ``day`` in ``timezone``."""
    return [(local_midnight_utc(day, timezone),
             local_midnight_utc(day + timedelta(days=1), timezone)) for day in sorted(days)]


def refresh_days(conn: sqlite3.Connection, shop_id: int, hours: Iterable[int]) -> None:
    """Recompute the days holding ``hours`` (UTC hour starts), inside the caller's writing
    transaction."""
    timezone = shop_timezone(conn, shop_id)
    if timezone is None:
        return
    days = {local_day_of(instant, timezone) for hour in hours
            for instant in (hour, hour + HOUR - 1)}  # an hour may straddle two local days
    _write_days(conn, shop_id, day_bounds(days, timezone))


def rebuild_days(conn: sqlite3.Connection, shop_id: int) -> None:
    """Recompute every day of ``shop_id``."""
    for table in _tables(conn):
        conn.execute(f"DELETE FROM {table} WHERE shop_id = ?", (shop_id,))
    timezone = shop_timezone(conn, shop_id)
    first, last = conn.execute(
        "SELECT MIN(paid_utc), MAX(paid_utc) FROM order_line WHERE shop_id = ? "
        "AND is_sample = 0 AND paid_utc IS NOT NULL", (shop_id,)).fetchone()
    if timezone is None or first is None:
        return
    day, end = local_day_of(first, timezone), local_day_of(last, timezone)
    days = [day + timedelta(days=offset) for offset in range((end - day).days + 1)]
    _write_days(conn, shop_id, day_bounds(days, timezone))


def _tables(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The day tables the store has: an older schema's migration (v9) runs this code before
    the migration that adds the buyer sets."""
    has_sets = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'rollup_day_buyer_set'").fetchone() is not None
    return ("rollup_day_buyers", "rollup_day_buyer_set") if has_sets else ("rollup_day_buyers",)


def _write_days(conn: sqlite3.Connection, shop_id: int, bounds: list[tuple[int, int]]) -> None:
    tables = _tables(conn)
    for table in tables:
        conn.executemany(f"DELETE FROM {table} WHERE shop_id = ? AND day_start_utc = ?",
                         ((shop_id, start) for start, _ in bounds))
    if bounds:
        params = {"shop_id": shop_id, "days": json.dumps(bounds)}
        conn.execute(_DAY_BUYERS, params)
        if "rollup_day_buyer_set" in tables:
            conn.execute(_DAY_BUYER_SET, params)


def buyers_by_day(conn: sqlite3.Connection, shop_id: int,
                  buckets: list[tuple[object, int, int]]) -> dict[object, int]:
    """Distinct buyers of ``shop_id``'s paid, non-sample lines per bucket ``(key, start,
    end)``, for the buckets that have such lines. A bucket that is a whole local day of
    the shop's timezone without a dirty hour is read from ``rollup_day_buyers``; any other
    from the lines."""
    if not buckets:
        return {}
    timezone = shop_timezone(conn, shop_id)
    low, high = min(b[1] for b in buckets), max(b[2] for b in buckets)
    stored = {(row[0], row[1]): row[2] for row in conn.execute(
        "SELECT day_start_utc, day_end_utc, buyers FROM rollup_day_buyers "
        "WHERE shop_id = ? AND day_start_utc >= ? AND day_start_utc < ?",
        (shop_id, low, high))}
    dirty = [row[0] for row in conn.execute(
        "SELECT hour_utc FROM rollup_dirty WHERE shop_id = ? AND hour_utc > ? "
        "AND hour_utc < ?", (shop_id, low - HOUR, high))]
    found: dict[object, int] = {}
    from_lines = []
    for key, start, end in buckets:
        if timezone and _is_whole_day(start, end, timezone) \
                and not any(start - HOUR < hour < end for hour in dirty):
            if (start, end) in stored:  # a whole, clean day without a row has no lines
                found[key] = stored[(start, end)]
        else:
            from_lines.append([key, start, end])
    if from_lines:
        found.update((row[0], row[1]) for row in conn.execute(
            _LINE_BUYERS, {"shop_id": shop_id, "buckets": json.dumps(from_lines)}))
    return found


def _is_whole_day(start: int, end: int, timezone: str) -> bool:
    day = local_day_of(start, timezone)
    return (start, end) == day_bounds([day], timezone)[0]
