"""Core KPIs of a window: GMV, orders, SKU orders, units, buyers, AOV, TikTok contribution,
refunds and net sales, aggregated in SQL over the paid, non-sample order lines."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from decimal import Decimal

from campaign_core.metrics.money import cents_to_amount, ratio_amount
from campaign_core.windows import Window

_LINES_SQL = """
SELECT COALESCE(SUM(gmv_cents), 0) AS gmv_cents,
       COUNT(DISTINCT order_id) AS orders,
       COUNT(DISTINCT order_id || char(31) || sku_id) AS sku_orders,
       COALESCE(SUM(quantity), 0) AS units,
       COUNT(DISTINCT buyer_key) AS buyers,
       COALESCE(SUM(platform_discount_cents), 0) AS sku_platform_cents,
       COALESCE(SUM(CASE WHEN is_cancelled THEN gmv_cents
                         WHEN returned_units > 0 THEN returned_units * 1.0 * gmv_cents / quantity
                         ELSE 0 END), 0) AS refunds_cents
FROM order_line
WHERE shop_id = :shop_id AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0
"""

# Shipping is order-level money: one row per order, never summed over lines.
_SHIPPING_SQL = """
SELECT COALESCE(SUM(shipping_fee_platform_discount_cents), 0)
FROM orders
WHERE shop_id = :shop_id AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0
"""


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


def core_kpis(conn: sqlite3.Connection, shop_id: int, window: Window) -> CoreKpis:
    """The core KPIs of ``shop_id`` over ``window`` (definitions in the metric catalog).

    Money comes back as ``Decimal`` rounded half up to cents; AOV is None without orders.
    """
    params = window_params(shop_id, window)
    row = conn.execute(_LINES_SQL, params).fetchone()
    shipping_cents = conn.execute(_SHIPPING_SQL, params).fetchone()[0]
    gmv_cents, refunds_cents = row["gmv_cents"], row["refunds_cents"]
    return CoreKpis(
        gmv=cents_to_amount(gmv_cents),
        orders=row["orders"],
        sku_orders=row["sku_orders"],
        units=row["units"],
        buyers=row["buyers"],
        aov=ratio_amount(gmv_cents, row["orders"]),
        tiktok_contribution=cents_to_amount(row["sku_platform_cents"] + shipping_cents),
        refunds=cents_to_amount(refunds_cents),
        net_sales=cents_to_amount(gmv_cents - refunds_cents),
    )
