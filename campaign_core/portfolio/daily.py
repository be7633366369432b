"""A shop's money per shop-local day of a window, aggregated in SQL: what conversion needs,
because each day is converted at its own rate."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from campaign_core.fx import DayAmounts
from campaign_core.rollups.windows import rollup_span, whole_hours
from campaign_core.store.costs import day_buckets
from campaign_core.windows import Window

# One row per local day (the days come in as JSON: ``[[day, start, end, first, last], ...]``:
# the whole hours ``[first, last)`` of the day that rollup_hour answers, the rest from the
# lines). The same definitions as the core KPIs (metrics/core.py): GMV and the platform's
# product discount of the paid non-sample lines, the platform's shipping discount once per
# order, refunds of cancelled lines whole and of returned units pro rata (from the lines:
# a float per line).
_LINE_PARTS = [("d.start_utc", "d.first_utc"), ("d.last_utc", "d.end_utc")]
_DAILY_SQL = """
WITH days AS (
    SELECT json_extract(value, '$[0]') AS day, json_extract(value, '$[1]') AS start_utc,
           json_extract(value, '$[2]') AS end_utc, json_extract(value, '$[3]') AS first_utc,
           json_extract(value, '$[4]') AS last_utc
    FROM json_each(:days)
)
SELECT d.day,
    (SELECT COALESCE(SUM(r.gmv_cents), 0) FROM rollup_hour r
     WHERE r.shop_id = :shop_id AND r.hour_utc >= d.first_utc AND r.hour_utc < d.last_utc)
""" + "".join(f"""
    + (SELECT COALESCE(SUM(l.gmv_cents), 0) FROM order_line l
       WHERE l.shop_id = :shop_id AND l.paid_utc >= {low} AND l.paid_utc < {high}
         AND l.is_sample = 0)""" for low, high in _LINE_PARTS) + """ AS gmv_cents,
    (SELECT COALESCE(SUM(r.platform_cents + r.shipping_platform_cents), 0) FROM rollup_hour r
     WHERE r.shop_id = :shop_id AND r.hour_utc >= d.first_utc AND r.hour_utc < d.last_utc)
""" + "".join(f"""
    + (SELECT COALESCE(SUM(l.platform_discount_cents), 0) FROM order_line l
       WHERE l.shop_id = :shop_id AND l.paid_utc >= {low} AND l.paid_utc < {high}
         AND l.is_sample = 0)
    + (SELECT COALESCE(SUM(o.shipping_fee_platform_discount_cents), 0) FROM orders o
       WHERE o.shop_id = :shop_id AND o.paid_utc >= {low} AND o.paid_utc < {high}
         AND o.is_sample = 0)""" for low, high in _LINE_PARTS) + """ AS contribution_cents,
    (SELECT COALESCE(SUM(CASE WHEN l.is_cancelled THEN l.gmv_cents
                              ELSE l.returned_units * 1.0 * l.gmv_cents / l.quantity END), 0)
     FROM order_line l
     WHERE l.shop_id = :shop_id AND l.paid_utc >= d.start_utc AND l.paid_utc < d.end_utc
       AND l.is_sample = 0 AND (l.is_cancelled OR l.returned_units > 0)) AS refund_cents
FROM days d ORDER BY d.day
"""


def daily_money(conn: sqlite3.Connection, shop_id: int, window: Window) -> list[DayAmounts]:
    """GMV, TikTok contribution and refunds of ``shop_id`` per local day of ``window`` (in
    the window's timezone), in hundredths of the shop's currency: ``DayAmounts`` with
    ``cents`` keys ``gmv``, ``tiktok_contribution``, ``refunds`` (a float sum, like the
    refunds KPI). Every day of the window is listed, days without sales with zeros."""
    buckets = day_buckets(window.start_utc, window.end_utc, window.timezone)
    if not buckets:
        return []
    first, last = rollup_span(conn, shop_id, window.start_utc, window.end_utc)
    days = []
    for day, start, end in buckets:
        low, high = max(first, start), min(last, end)
        # The day's whole hours inside the rollup's span (a midnight may fall inside an hour).
        hours = whole_hours(low, high) if low < high else (end, end)
        days.append([day, start, end, *hours])
    rows = conn.execute(_DAILY_SQL, {"shop_id": shop_id, "days": json.dumps(days)})
    return [DayAmounts(date.fromisoformat(row[0]),
                       {"gmv": row[1], "tiktok_contribution": row[2], "refunds": row[3]})
            for row in rows.fetchall()]
