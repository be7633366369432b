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
from campaign_core.windows import Window, local_midnight_utc

TREND_METRICS = ("gmv", "orders", "sku_orders", "units", "buyers", "aov",
                 "tiktok_contribution", "refunds", "net_sales")

_LINES = """
SELECT {bucket} AS bucket, SUM(l.gmv_cents) AS gmv_cents,
       COUNT(DISTINCT l.order_id) AS orders,
       COUNT(DISTINCT l.order_id || char(31) || l.sku_id) AS sku_orders,
       SUM(l.quantity) AS units, COUNT(DISTINCT l.buyer_key) AS buyers,
       SUM(l.platform_discount_cents) AS platform_cents,
       SUM(CASE WHEN l.is_cancelled THEN l.gmv_cents
                WHEN l.returned_units > 0 THEN l.returned_units * 1.0 * l.gmv_cents / l.quantity
                ELSE 0 END) AS refunds_cents
FROM {source}
WHERE l.shop_id = :shop_id AND l.paid_utc >= :start AND l.paid_utc < :end AND l.is_sample = 0
GROUP BY bucket
"""
_SHIPPING = """
SELECT {bucket} AS bucket, SUM(l.shipping_fee_platform_discount_cents) AS shipping_cents
FROM {source}
WHERE l.shop_id = :shop_id AND l.paid_utc >= :start AND l.paid_utc < :end AND l.is_sample = 0
GROUP BY bucket
"""


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
        lines = _LINES.format(bucket="(l.paid_utc - :start) / 3600", source="order_line l")
        shipping = _SHIPPING.format(bucket="(l.paid_utc - :start) / 3600", source="orders l")
    else:
        bounds = starts[1:] + [local_midnight_utc(
            window.first_day + timedelta(days=len(starts)), window.timezone)]
        values = ", ".join(f"({i}, :s{i}, :e{i})" for i in range(len(starts)))
        for i, (start, end) in enumerate(zip(starts, bounds, strict=True)):
            params[f"s{i}"], params[f"e{i}"] = start, end
        prefix = f"WITH days(bucket, day_start, day_end) AS (VALUES {values}) "
        join = ("days d JOIN {table} l ON l.paid_utc >= d.day_start "
                "AND l.paid_utc < d.day_end")
        lines = prefix + _LINES.format(bucket="d.bucket", source=join.format(table="order_line"))
        shipping = prefix + _SHIPPING.format(bucket="d.bucket",
                                             source=join.format(table="orders"))
    found = {row["bucket"]: row for row in conn.execute(lines, params)}
    ships = {row["bucket"]: row["shipping_cents"] for row in conn.execute(shipping, params)}
    return [_bucket_values(found.get(i), ships.get(i) or 0) if start < window.end_utc
            else dict.fromkeys(TREND_METRICS)
            for i, start in enumerate(starts)]


def _bucket_values(row: sqlite3.Row | None, shipping_cents: int) -> dict:
    if row is None:
        zero = cents_to_amount(0)
        return {"gmv": zero, "orders": 0, "sku_orders": 0, "units": 0, "buyers": 0,
                "aov": None, "tiktok_contribution": cents_to_amount(shipping_cents),
                "refunds": zero, "net_sales": zero}
    gmv, refunds = row["gmv_cents"] or 0, row["refunds_cents"] or 0
    return {
        "gmv": cents_to_amount(gmv), "orders": row["orders"], "sku_orders": row["sku_orders"],
        "units": row["units"] or 0, "buyers": row["buyers"],
        "aov": ratio_amount(gmv, row["orders"]),
        "tiktok_contribution": cents_to_amount((row["platform_cents"] or 0) + shipping_cents),
        "refunds": cents_to_amount(refunds), "net_sales": cents_to_amount(gmv - refunds),
    }
