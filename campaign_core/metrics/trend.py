"""GMV and orders over time within a window: by local hour (one day) or local day (longer)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from campaign_core.metrics.money import cents_to_amount
from campaign_core.windows import Window, local_midnight_utc

_BY_OFFSET_SQL = """
SELECT (paid_utc - :start) / :width AS bucket, SUM(gmv_cents) AS gmv_cents,
       COUNT(DISTINCT order_id) AS orders
FROM order_line
WHERE shop_id = :shop_id AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0
GROUP BY bucket
"""


@dataclass(frozen=True)
class TrendPoint:
    bucket_start: datetime  # local time of the bucket's start
    gmv: object  # Decimal
    orders: int


def gmv_trend(conn: sqlite3.Connection, shop_id: int, window: Window) -> list[TrendPoint]:
    """GMV and orders per bucket of ``window``, zero-filled.

    A window within one local day is split into hours (a 25-hour DST day has 25 points);
    a longer one into local days. Hours are counted from the window's local midnight, so
    they fall on local hour boundaries.
    """
    zone = ZoneInfo(window.timezone)
    if window.first_day == window.last_day:
        return _hourly(conn, shop_id, window, zone)
    return _daily(conn, shop_id, window, zone)


def _hourly(conn, shop_id, window, zone) -> list[TrendPoint]:
    day_end = local_midnight_utc(window.first_day + timedelta(days=1), window.timezone)
    hours = max(1, -(-(min(day_end, window.end_utc) - window.start_utc) // 3600))
    rows = conn.execute(_BY_OFFSET_SQL, {"shop_id": shop_id, "start": window.start_utc,
                                         "end": window.end_utc, "width": 3600})
    found = {row["bucket"]: row for row in rows}
    return [_point(window.start_utc + 3600 * index, found.get(index), zone)
            for index in range(hours)]


def _daily(conn, shop_id, window, zone) -> list[TrendPoint]:
    days = (window.last_day - window.first_day).days + 1
    starts = [local_midnight_utc(window.first_day + timedelta(days=i), window.timezone)
              for i in range(days)]
    bounds = starts[1:] + [window.end_utc]
    values = ", ".join(f"({i}, :s{i}, :e{i})" for i in range(days))
    params = {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc}
    for i, (start, end) in enumerate(zip(starts, bounds, strict=True)):
        params[f"s{i}"], params[f"e{i}"] = start, end
    rows = conn.execute(
        f"WITH days(bucket, day_start, day_end) AS (VALUES {values}) "
        "SELECT d.bucket, SUM(l.gmv_cents) AS gmv_cents, COUNT(DISTINCT l.order_id) AS orders "
        "FROM days d JOIN order_line l ON l.shop_id = :shop_id AND l.is_sample = 0 "
        "AND l.paid_utc >= d.day_start AND l.paid_utc < d.day_end "
        "AND l.paid_utc >= :start AND l.paid_utc < :end GROUP BY d.bucket", params)
    found = {row["bucket"]: row for row in rows}
    return [_point(start, found.get(i), zone) for i, start in enumerate(starts)]


def _point(start_utc: int, row, zone: ZoneInfo) -> TrendPoint:
    local = datetime.fromtimestamp(start_utc, UTC).astimezone(zone)
    if row is None:
        return TrendPoint(local, cents_to_amount(0), 0)
    return TrendPoint(local, cents_to_amount(row["gmv_cents"]), row["orders"])
