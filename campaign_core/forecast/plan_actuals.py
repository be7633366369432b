"""The value of each plannable metric over a window, read the way its section reads it.

``None`` means the data behind the metric is missing (no ad reports, no traffic, no
content imported, no GMV for a margin %), which the plan shows as "no data", never as 0.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from decimal import Decimal

from campaign_core.metrics.content import content_supply
from campaign_core.metrics.core import gmv_and_refunds_cents
from campaign_core.metrics.marketing import ad_totals
from campaign_core.metrics.money import cents_to_amount
from campaign_core.metrics.traffic import traffic_by_channel
from campaign_core.profit.creator_margin import creator_margins, total_margin
from campaign_core.profit.overview import shop_waterfall
from campaign_core.store.campaigns import Campaign
from campaign_core.windows import View, Window

_SUPPLY = ("creator_videos", "creator_lives", "seller_videos", "seller_lives")

# A buyer is new in the window when their first paid, non-sample line in the store lies in
# it. Read through idx_order_line_buyers (shop_id, is_sample, paid_utc, buyer_key).
_NEW_BUYERS_SQL = """
SELECT COUNT(*) FROM (
    SELECT buyer_key FROM order_line
    WHERE shop_id = :shop_id AND is_sample = 0 AND paid_utc < :end AND buyer_key IS NOT NULL
      AND buyer_key <> ''
    GROUP BY buyer_key HAVING MIN(paid_utc) >= :start)
"""


def new_buyers(conn: sqlite3.Connection, shop_id: int, window: Window) -> int:
    """Buyers of ``window`` with no earlier paid, non-sample order in the store."""
    return conn.execute(_NEW_BUYERS_SQL, {"shop_id": shop_id, "start": window.start_utc,
                                          "end": window.end_utc}).fetchone()[0]


def contribution_margin(conn: sqlite3.Connection, campaign: Campaign,
                        window: Window) -> Decimal:
    """The shop waterfall's last step (GMV to contribution after creator costs)."""
    tagged = campaign.name if window.view is View.PERIOD else None
    creators = total_margin(creator_margins(conn, campaign.shop_id, window, tagged))
    steps = shop_waterfall(conn, campaign.shop_id, window, creators)
    return cents_to_amount(steps[-1].cents)


def _traffic_totals(conn: sqlite3.Connection, shop_id: int,
                    window: Window) -> tuple[int | None, int | None, int | None]:
    """(impressions, clicks, SKU orders) over every channel of the window's traffic rows;
    a part no row gives is None."""
    channels = traffic_by_channel(conn, shop_id, window).channels
    if not channels:
        return None, None, None

    def total(name: str) -> int | None:
        values = [getattr(channel, name) for channel in channels]
        return None if any(v is None for v in values) else sum(values)

    return total("impressions"), total("clicks"), total("sku_orders")


def _has_content(conn: sqlite3.Connection, shop_id: int) -> bool:
    return conn.execute("SELECT 1 FROM content WHERE shop_id = :shop_id LIMIT 1",
                        {"shop_id": shop_id}).fetchone() is not None


def plan_actuals(conn: sqlite3.Connection, campaign: Campaign, window: Window,
                 metrics: Iterable[str]) -> dict[str, Decimal | float | int | None]:
    """The value of each of ``metrics`` (plannable names) over ``window``: money as
    ``Decimal`` in currency units, percentages as percent and ROAS as floats, counts as
    ints; None where the data is missing. Only what is asked for is read."""
    wanted = set(metrics)
    shop_id = campaign.shop_id
    values: dict[str, Decimal | float | int | None] = {}
    if wanted & {"gmv", "contribution_margin", "contribution_margin_pct"}:
        values["gmv"] = cents_to_amount(gmv_and_refunds_cents(conn, shop_id, window)[0])
    if wanted & {"contribution_margin", "contribution_margin_pct"}:
        values["contribution_margin"] = contribution_margin(conn, campaign, window)
        gmv = values["gmv"]
        values["contribution_margin_pct"] = (
            round(float(values["contribution_margin"] / gmv * 100), 4) if gmv else None)
    if "roas" in wanted:
        values["roas"] = ad_totals(conn, shop_id, window).roas
    if wanted & {"ctr", "conversion"}:
        impressions, clicks, sku_orders = _traffic_totals(conn, shop_id, window)
        values["ctr"] = (round(clicks / impressions * 100, 4)
                         if impressions and clicks is not None else None)
        values["conversion"] = (round(sku_orders / clicks * 100, 4)
                                if clicks and sku_orders is not None else None)
    if "new_buyers" in wanted:
        values["new_buyers"] = new_buyers(conn, shop_id, window)
    if wanted & set(_SUPPLY):
        supply = content_supply(conn, shop_id, window)
        known = _has_content(conn, shop_id)
        values.update({name: supply[name] if known else None for name in _SUPPLY})
    return {name: values.get(name) for name in wanted}
