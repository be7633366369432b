"""What the ads add, without double counting: per product GMV Max promotes, the shop's GMV,
GMV Max gross revenue, and the part of the GMV affiliates are also credited with.

GMV Max counts every order of a promoted product as its gross revenue, organic and affiliate
sales included, so channel totals overlap: ad revenue is shown as a part of the product's
shop GMV ("of which"), never added to it, and no total here exceeds shop GMV. Ad revenue
above shop GMV (another time zone, a report period that straddles the window) is reported,
and the part inside GMV is capped at GMV.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from campaign_core.windows import Window

_SQL = """
WITH promoted AS MATERIALIZED (
    SELECT product_id, SUM(cost_cents) AS cost, SUM(gross_revenue_cents) AS revenue
    FROM ad_creative_period
    WHERE shop_id = :shop_id AND period_start >= :first_day AND period_end <= :last_day
      AND product_id <> ''
    GROUP BY product_id
),
sales AS MATERIALIZED (
    SELECT l.product_id, SUM(l.gmv_cents) AS gmv,
           SUM(CASE WHEN EXISTS (SELECT 1 FROM affiliate_line a WHERE a.shop_id = l.shop_id
                                 AND a.order_id = l.order_id AND a.sku_id = l.sku_id)
                    THEN l.gmv_cents ELSE 0 END) AS affiliate_gmv
    FROM order_line l
    WHERE l.shop_id = :shop_id AND l.paid_utc >= :start AND l.paid_utc < :end
      AND l.is_sample = 0 AND l.product_id IN (SELECT product_id FROM promoted)
    GROUP BY l.product_id
)
SELECT p.product_id, MAX(pr.name) AS name, p.cost, p.revenue,
       COALESCE(s.gmv, 0) AS gmv, COALESCE(s.affiliate_gmv, 0) AS affiliate_gmv
FROM promoted p
LEFT JOIN sales s ON s.product_id = p.product_id
LEFT JOIN product pr ON pr.shop_id = :shop_id AND pr.product_id = p.product_id
GROUP BY p.product_id ORDER BY gmv DESC, p.product_id
"""


@dataclass(frozen=True)
class AdsOverlap:
    """One promoted product over a window, in cents."""

    product_id: str
    name: str | None
    shop_gmv: float
    ad_revenue: float  # GMV Max gross revenue: overlaps shop GMV, never added to it
    affiliate_gmv: float  # shop GMV also credited to affiliates
    ad_cost: float

    @property
    def ad_revenue_in_gmv(self) -> float:
        """The part of the ad revenue inside shop GMV (capped at it)."""
        return min(self.ad_revenue, self.shop_gmv)

    @property
    def ad_share_pct(self) -> float | None:
        return None if not self.shop_gmv else round(100 * self.ad_revenue_in_gmv
                                                     / self.shop_gmv, 2)

    @property
    def revenue_beyond_gmv(self) -> float:
        return max(0.0, self.ad_revenue - self.shop_gmv)


@dataclass(frozen=True)
class OverlapTotal:
    """The promoted products together: every figure is a part of ``shop_gmv``."""

    shop_gmv: float
    ad_revenue_in_gmv: float
    affiliate_gmv: float
    ad_cost: float
    ad_revenue_reported: float  # as the reports say (may exceed shop GMV; never summed)


def ads_overlap(conn: sqlite3.Connection, shop_id: int,
                window: Window) -> tuple[list[AdsOverlap], OverlapTotal]:
    """Per product in the GMV Max creative reports whose period lies inside ``window``:
    shop GMV, GMV Max gross revenue and affiliate-credited GMV (by GMV, descending), and
    their total, which never adds ad revenue to GMV."""
    params = {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc,
              "first_day": window.first_day.isoformat(),
              "last_day": window.last_day.isoformat()}
    rows = [AdsOverlap(r["product_id"], r["name"], r["gmv"], r["revenue"] or 0,
                       r["affiliate_gmv"], r["cost"] or 0)
            for r in conn.execute(_SQL, params)]
    total = OverlapTotal(sum(r.shop_gmv for r in rows),
                         sum(r.ad_revenue_in_gmv for r in rows),
                         sum(r.affiliate_gmv for r in rows), sum(r.ad_cost for r in rows),
                         sum(r.ad_revenue for r in rows))
    return rows, total
