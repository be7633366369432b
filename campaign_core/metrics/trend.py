"""Core metrics over time within a window, beside the comparison window's, bucket by bucket.

One-day windows are split into local hours (a 25-hour DST day has 25 buckets), longer ones
into local days. The comparison window is bucketed from its own start, so bucket i of both
is "the same hour" (today vs the comparison day) or "the same campaign day" (day N vs the
day N before).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from campaign_core.metrics.money import cents_to_amount, ratio_amount
from campaign_core.rollups.day_buyers import buyers_by_day
from campaign_core.rollups.windows import HOUR, rollup_span
from campaign_core.windows import Window, local_midnight_utc

TREND_METRICS = ("gmv", "orders", "sku_orders", "units", "buyers", "aov",
                 "tiktok_contribution", "refunds", "net_sales")

# Whole hours come from rollup_hour, the partial hours at the window's edges from the lines
# (distinct orders add up over hours: an order has one paid time). Buyers are distinct per
# bucket and refunds a float per line: both are read from their own narrow indexes.
_LINES = """
SELECT {bucket} AS bucket, SUM(l.gmv_cents) AS gmv_cents,
       COUNT(DISTINCT l.order_id) AS orders,
       COUNT(DISTINCT l.order_id || char(31) || l.sku_id) AS sku_orders,
       SUM(l.quantity) AS units, SUM(l.platform_discount_cents) AS platform_cents,
       0 AS shipping_cents
FROM {source}
WHERE l.shop_id = :shop_id AND l.paid_utc >= :lo AND l.paid_utc < :hi AND l.is_sample = 0
GROUP BY bucket
"""
_ROLLUP = """
SELECT {bucket} AS bucket, SUM(l.gmv_cents) AS gmv_cents, SUM(l.orders) AS orders,
       SUM(l.sku_orders) AS sku_orders, SUM(l.units) AS units,
       SUM(l.platform_cents) AS platform_cents, SUM(l.shipping_platform_cents) AS shipping_cents
FROM {source}
WHERE l.shop_id = :shop_id AND l.paid_utc >= :lo AND l.paid_utc < :hi
GROUP BY bucket
"""
_SHIPPING = """
SELECT {bucket} AS bucket, SUM(l.shipping_fee_platform_discount_cents) AS shipping_cents
FROM {source}
WHERE l.shop_id = :shop_id AND l.paid_utc >= :lo AND l.paid_utc < :hi AND l.is_sample = 0
GROUP BY bucket
"""
_BUYERS = """
SELECT {bucket} AS bucket, COUNT(DISTINCT l.buyer_key) AS buyers
FROM {source}
WHERE l.shop_id = :shop_id AND l.paid_utc >= :lo AND l.paid_utc < :hi AND l.is_sample = 0
GROUP BY bucket
"""
_REFUNDS = """
SELECT {bucket} AS bucket,
       SUM(CASE WHEN l.is_cancelled THEN l.gmv_cents
                ELSE l.returned_units * 1.0 * l.gmv_cents / l.quantity END) AS refunds_cents
FROM {source}
WHERE l.shop_id = :shop_id AND l.paid_utc >= :lo AND l.paid_utc < :hi AND l.is_sample = 0
  AND (l.is_cancelled OR l.returned_units > 0)
GROUP BY bucket
"""
_ADDITIVE = ("gmv_cents", "orders", "sku_orders", "units", "platform_cents", "shipping_cents")


@dataclass(frozen=True)
class TrendBucket:
    index: int
    start: datetime  # local start of the bucket
    values: dict[str, Decimal | int | None]  # None: the bucket lies after "now"
    comparison_start: datetime | None
    comparison: dict[str, Decimal | int | None]


def metric_trend(conn: sqlite3.Connection, shop_id: int, window: Window,
                 comparison: Window | None = None) -> list[TrendBucket]:
    """Every metric of ``TREND_METRICS`` per bucket of ``window`` and of ``comparison``.

    Buckets cover the whole local day (hourly) or every day of the window (daily); buckets
    that start after the window's end (later today) have None values.
    """
    hourly = window.first_day == window.last_day
    starts = _bucket_starts(window, hourly)
    current = _values(conn, shop_id, window, starts, hourly)
    previous: list[dict] = []
    comparison_starts: list[int] = []
    if comparison is not None:
        comparison_starts = _aligned_starts(comparison, len(starts), hourly)
        previous = _values(conn, shop_id, comparison, comparison_starts, hourly)
    zone = ZoneInfo(window.timezone)
    return [TrendBucket(
        index=i, start=_local(start, zone), values=current[i],
        comparison_start=_local(comparison_starts[i], zone) if previous else None,
        comparison=previous[i] if previous else {})
        for i, start in enumerate(starts)]


def _local(instant: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(instant, UTC).astimezone(zone)


def _bucket_starts(window: Window, hourly: bool) -> list[int]:
    if hourly:
        day_end = local_midnight_utc(window.first_day + timedelta(days=1), window.timezone)
        return list(range(window.start_utc, day_end, 3600))
    days = (window.last_day - window.first_day).days + 1
    return [local_midnight_utc(window.first_day + timedelta(days=i), window.timezone)
            for i in range(days)]


def _aligned_starts(comparison: Window, count: int, hourly: bool) -> list[int]:
    if hourly:
        return [comparison.start_utc + 3600 * i for i in range(count)]
    return [local_midnight_utc(comparison.first_day + timedelta(days=i), comparison.timezone)
            for i in range(count)]


def _values(conn: sqlite3.Connection, shop_id: int, window: Window, starts: list[int],
            hourly: bool) -> list[dict]:
    params: dict[str, int] = {"shop_id": shop_id, "start": window.start_utc,
                              "end": window.end_utc}
    if hourly:
        bucket, prefix, bounds = "(l.paid_utc - :start) / 3600", "", [window.start_utc]

        def source(table: str) -> str:
            return f"{table} l"
    else:
        bounds = starts[1:] + [local_midnight_utc(
            window.first_day + timedelta(days=len(starts)), window.timezone)]
        # Distinct buyers per day: whole days from rollup_day_buyers, the rest from the lines.
        day_buckets = [(i, max(start, window.start_utc), min(end, window.end_utc))
                       for i, (start, end) in enumerate(zip(starts, bounds, strict=True))
                       if max(start, window.start_utc) < min(end, window.end_utc)]
        values = ", ".join(f"({i}, :s{i}, :e{i})" for i in range(len(starts)))
        for i, (start, end) in enumerate(zip(starts, bounds, strict=True)):
            params[f"s{i}"], params[f"e{i}"] = start, end
        bounds = bounds + starts
        bucket = "d.bucket"
        prefix = f"WITH days(bucket, day_start, day_end) AS (VALUES {values}) "

        def source(table: str) -> str:
            return (f"days d JOIN {table} l ON l.paid_utc >= d.day_start "
                    "AND l.paid_utc < d.day_end")

    def rows(sql: str, table: str, lo: int, hi: int) -> list[sqlite3.Row]:
        query = prefix + sql.format(bucket=bucket, source=source(table))
        return conn.execute(query, {**params, "lo": lo, "hi": hi}).fetchall()

    first, last = rollup_span(conn, shop_id, window.start_utc, window.end_utc)
    if any(bound % HOUR for bound in bounds):  # buckets that split hours: lines only
        first = last = window.end_utc
    sums: dict[int, dict[str, int]] = {}

    def add(found: list[sqlite3.Row]) -> None:
        for row in found:
            total = sums.setdefault(row["bucket"], dict.fromkeys(_ADDITIVE, 0))
            for key in row.keys()[1:]:
                total[key] += row[key] or 0

    for lo, hi in ((window.start_utc, first), (last, window.end_utc)):
        if lo < hi:
            add(rows(_LINES, "order_line", lo, hi))
            add(rows(_SHIPPING, "orders", lo, hi))
    if first < last:
        # rollup_hour's hour_utc stands where the lines' paid_utc does in the templates.
        rollup = "(SELECT shop_id, hour_utc AS paid_utc, gmv_cents, orders, sku_orders, " \
                 "units, platform_cents, shipping_platform_cents FROM rollup_hour)"
        add(rows(_ROLLUP, rollup, first, last))
    span = (window.start_utc, window.end_utc)
    if hourly:
        buyers = {row["bucket"]: row["buyers"] for row in rows(_BUYERS, "order_line", *span)}
    else:
        buyers = buyers_by_day(conn, shop_id, day_buckets)
    refunds = {row["bucket"]: row["refunds_cents"]
               for row in rows(_REFUNDS, "order_line", *span)}
    return [_bucket_values(i, sums, buyers, refunds) if start < window.end_utc
            else dict.fromkeys(TREND_METRICS)
            for i, start in enumerate(starts)]


def _bucket_values(index: int, sums: dict[int, dict[str, int]], buyers: dict[int, int],
                   refunds_by_bucket: dict[int, float]) -> dict:
    row = sums.get(index)
    if row is None or buyers.get(index) is None:  # shipping alone, or nothing at all
        shipping_cents = row["shipping_cents"] if row else 0
        zero = cents_to_amount(0)
        return {"gmv": zero, "orders": 0, "sku_orders": 0, "units": 0, "buyers": 0,
                "aov": None, "tiktok_contribution": cents_to_amount(shipping_cents),
                "refunds": zero, "net_sales": zero}
    gmv, refunds = row["gmv_cents"], refunds_by_bucket.get(index) or 0
    return {
        "gmv": cents_to_amount(gmv), "orders": row["orders"], "sku_orders": row["sku_orders"],
        "units": row["units"], "buyers": buyers[index],
        "aov": ratio_amount(gmv, row["orders"]),
        "tiktok_contribution": cents_to_amount(row["platform_cents"] + row["shipping_cents"]),
        "refunds": cents_to_amount(refunds), "net_sales": cents_to_amount(gmv - refunds),
    }
