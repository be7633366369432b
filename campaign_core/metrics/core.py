"""Core KPIs of a window: GMV, orders, SKU orders, units, buyers, AOV, TikTok contribution,
refunds and net sales, aggregated in SQL over the paid, non-sample order lines."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from decimal import Decimal

from campaign_core.metrics.money import cents_to_amount, ratio_amount
from campaign_core.rollups.day_skus import day_span
from campaign_core.rollups.windows import edge_parts, rollup_span
from campaign_core.windows import Window

# Whole hours come from rollup_hour; the partial hours at the window's edges (the Today view
# ends at "now") from the lines. Distinct orders and order SKUs add up over hours (an order
# has one paid time); buyers do not, and refunds are a float per line, so both are read
# from their own narrow indexes (idx_order_line_buyers, idx_order_line_refunds).
_EDGE_LINES = """
SELECT gmv_cents, order_id, sku_id, quantity, platform_discount_cents FROM order_line
WHERE shop_id = :shop_id AND paid_utc >= {start} AND paid_utc < {end} AND is_sample = 0
"""
_LINES_SQL = f"""
WITH edges AS ({_EDGE_LINES.format(start=":start", end=":first")}
               UNION ALL {_EDGE_LINES.format(start=":last", end=":end")}),
parts AS (
    SELECT gmv_cents, orders, sku_orders, units, platform_cents, shipping_platform_cents
    FROM rollup_hour
    WHERE shop_id = :shop_id AND hour_utc >= :first AND hour_utc < :last
    UNION ALL
    SELECT SUM(gmv_cents), COUNT(DISTINCT order_id),
           COUNT(DISTINCT order_id || char(31) || sku_id), SUM(quantity),
           SUM(platform_discount_cents), 0
    FROM edges
)
SELECT COALESCE(SUM(gmv_cents), 0) AS gmv_cents, COALESCE(SUM(orders), 0) AS orders,
       COALESCE(SUM(sku_orders), 0) AS sku_orders, COALESCE(SUM(units), 0) AS units,
       COALESCE(SUM(platform_cents), 0) AS sku_platform_cents,
       COALESCE(SUM(shipping_platform_cents), 0) AS rollup_shipping_cents
FROM parts
"""
_BUYERS_SQL = """
SELECT COUNT(DISTINCT buyer_key) FROM order_line
WHERE shop_id = :shop_id AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0
"""
# Whole local days of the shop from each day's set of buyers (day_buyers), the rest of the
# window from the lines.
_DAY_BUYERS_SQL = """
SELECT COUNT(DISTINCT buyer_key) FROM (
    SELECT buyer_key FROM rollup_day_buyer_set
    WHERE shop_id = :shop_id AND day_start_utc >= :day_first AND day_start_utc < :day_last
    UNION ALL
""" + edge_parts("""
    SELECT buyer_key FROM order_line
    WHERE shop_id = :shop_id AND is_sample = 0 AND {edge}""", column="paid_utc").replace(
    ":first", ":day_first").replace(":last", ":day_last") + """)
"""
_REFUNDS_SQL = """
SELECT COALESCE(SUM(CASE WHEN is_cancelled THEN gmv_cents
                         ELSE returned_units * 1.0 * gmv_cents / quantity END), 0)
FROM order_line
WHERE shop_id = :shop_id AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0
  AND (is_cancelled OR returned_units > 0)
"""

# Shipping is order-level money: one row per order, never summed over lines.
_SHIPPING_SQL = "SELECT " + edge_parts(
    """(SELECT COALESCE(SUM(shipping_fee_platform_discount_cents), 0) FROM orders
        WHERE shop_id = :shop_id AND is_sample = 0 AND {edge})""", column="paid_utc",
    joiner="+")


@dataclass(frozen=True)
class CoreKpis:
    gmv: Decimal
    orders: int
    sku_orders: int
    units: int
    buyers: int
    aov: Decimal | None
    tiktok_contribution: Decimal
    refunds: Decimal
    net_sales: Decimal

    def as_dict(self) -> dict[str, Decimal | int | None]:
        return asdict(self)


def window_params(shop_id: int, window: Window) -> dict[str, int]:
    return {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc}


def gmv_and_refunds_cents(conn: sqlite3.Connection, shop_id: int,
                          window: Window) -> tuple[int, float]:
    """GMV and refunds of ``shop_id`` over ``window`` in cents, as ``core_kpis`` counts them,
    without the distinct buyers (the costly part) for callers that need only these two."""
    params = window_params(shop_id, window)
    params["first"], params["last"] = rollup_span(conn, shop_id, window.start_utc,
                                                  window.end_utc)
    return (conn.execute(_LINES_SQL, params).fetchone()["gmv_cents"],
            conn.execute(_REFUNDS_SQL, params).fetchone()[0])


def distinct_buyers(conn: sqlite3.Connection, shop_id: int, window: Window, first: int,
                    last: int) -> int:
    """Distinct buyers of the paid, non-sample lines of ``window``; ``first, last`` its
    whole hours free of dirty ones (``rollup_span``), inside which whole local days are read
    from their buyer sets."""
    params = window_params(shop_id, window)
    params["day_first"], params["day_last"] = day_span(conn, shop_id, first, last,
                                                       window.timezone)
    if params["day_first"] >= params["day_last"]:
        return conn.execute(_BUYERS_SQL, params).fetchone()[0]
    return conn.execute(_DAY_BUYERS_SQL, params).fetchone()[0]


def core_kpis(conn: sqlite3.Connection, shop_id: int, window: Window) -> CoreKpis:
    """The core KPIs of ``shop_id`` over ``window`` (definitions in the metric catalog).

    Money comes back as ``Decimal`` rounded half up to cents; AOV is None without orders.
    """
    params = window_params(shop_id, window)
    params["first"], params["last"] = rollup_span(conn, shop_id, window.start_utc,
                                                  window.end_utc)
    row = conn.execute(_LINES_SQL, params).fetchone()
    shipping_cents = (row["rollup_shipping_cents"]
                      + conn.execute(_SHIPPING_SQL, params).fetchone()[0])
    buyers = distinct_buyers(conn, shop_id, window, params["first"], params["last"])
    refunds_cents = conn.execute(_REFUNDS_SQL, params).fetchone()[0]
    gmv_cents = row["gmv_cents"]
    return CoreKpis(
        gmv=cents_to_amount(gmv_cents),
        orders=row["orders"],
        sku_orders=row["sku_orders"],
        units=row["units"],
        buyers=buyers,
        aov=ratio_amount(gmv_cents, row["orders"]),
        tiktok_contribution=cents_to_amount(row["sku_platform_cents"] + shipping_cents),
        refunds=cents_to_amount(refunds_cents),
        net_sales=cents_to_amount(gmv_cents - refunds_cents),
    )
