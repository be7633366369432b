"""Break-even target ROI per product and SKU: the lowest GMV Max ROI at which an ad-funded
sale does not lose money.

Rules (``BREAK_EVEN_RULES``):

- GMV Max ROI = gross revenue / cost. A sale the ads paid for keeps its contribution
  margin before ads (rate ``m`` of its GMV) and costs GMV / ROI in ads, so it breaks even
  at **ROI = 1 / m** and earns **ROI x m - 1** per ad dollar at an ROI.
- ``m`` over the chosen window = (GMV - refunds - product cost - platform fees -
  affiliate commission) / GMV, where GMV is the price after seller discounts (core
  definition), product cost is units x the unit cost valid on each paid day, platform fees
  follow ``platform_fees.FEE_RULES`` (settled, else estimated), and commission is the
  average the product carries: the affiliate export's commission (standard + Shop Ads +
  bonus) of its affiliate lines paid in the window over all its GMV, so unattributed
  sales dilute it.
- No break-even ROI when ``m`` <= 0 (no ROI covers the costs) or when a sold SKU has no
  unit cost (the rate would be overstated).
- Target ROI: the GMV Max campaign's target valid on the window's last day (entered, else
  the campaign report's ``Target ROI``); a product in several campaigns takes the lowest.
  Current ROI: gross revenue / cost of the product's GMV Max creative rows whose period lies
  inside the window. A product is flagged when its target is below its break-even ROI.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from campaign_core.profit.platform_fees import PlatformFees, platform_fees_by, shop_market_code
from campaign_core.store.costs import day_buckets, unit_cost_sql
from campaign_core.windows import Window

BREAK_EVEN_RULES = __doc__.split("\n\n", 1)[1].replace("\n(``BREAK_EVEN_RULES``)",
                                                       "").strip()

_SKU_SQL = """
WITH days (day, start_utc, end_utc) AS (VALUES {days}),
lines AS MATERIALIZED (
    SELECT l.sku_id, MIN(l.product_id) AS product_id, d.day, SUM(l.quantity) AS units,
           SUM(l.gmv_cents) AS gmv,
           SUM(CASE WHEN l.is_cancelled THEN l.gmv_cents
                    WHEN l.returned_units > 0
                    THEN l.returned_units * 1.0 * l.gmv_cents / l.quantity
                    ELSE 0 END) AS refunds
    FROM order_line l JOIN days d ON l.paid_utc >= d.start_utc AND l.paid_utc < d.end_utc
    WHERE l.shop_id = :shop_id AND l.paid_utc >= :start AND l.paid_utc < :end
      AND l.is_sample = 0
    GROUP BY l.sku_id, d.day
),
costed AS MATERIALIZED (SELECT lx.*, {unit_cost} AS unit_cents FROM lines lx),
commission AS MATERIALIZED (
    SELECT a.sku_id, SUM(COALESCE(a.commission_cents, 0)) AS commission
    FROM affiliate_line a
    WHERE a.shop_id = :shop_id AND a.paid_utc >= :start AND a.paid_utc < :end
    GROUP BY a.sku_id
)
SELECT c.sku_id, MIN(c.product_id) AS product_id, MAX(s.product_name) AS name,
       SUM(c.units) AS units, SUM(c.gmv) AS gmv, SUM(c.refunds) AS refunds,
       SUM(c.units * COALESCE(c.unit_cents, 0)) AS product_cost,
       SUM(c.unit_cents IS NULL AND c.units > 0) AS days_without_cost,
       COALESCE(MAX(m.commission), 0) AS commission
FROM costed c
LEFT JOIN sku s ON s.shop_id = :shop_id AND s.sku_id = c.sku_id
LEFT JOIN commission m ON m.sku_id = c.sku_id
GROUP BY c.sku_id
"""

# Per product: ad cost and gross revenue of creative rows inside the window, and the
# campaigns promoting it.
_ADS_SQL = """
SELECT product_id, SUM(cost_cents) AS cost, SUM(gross_revenue_cents) AS revenue,
       GROUP_CONCAT(DISTINCT account_id || char(31) || campaign_id) AS campaigns
FROM ad_creative_period
WHERE shop_id = :shop_id AND period_start >= :first_day AND period_end <= :last_day
  AND product_id <> ''
GROUP BY product_id
"""

_TARGET_SQL = """
SELECT COALESCE(
    (SELECT t.target_roi FROM gmv_max_target t WHERE t.shop_id = :shop_id
       AND t.account_id = :account AND t.campaign_id = :campaign AND t.valid_from <= :day
     ORDER BY t.valid_from DESC LIMIT 1),
    (SELECT p.target_roi FROM ad_campaign_period p WHERE p.shop_id = :shop_id
       AND p.account_id = :account AND p.campaign_id = :campaign AND p.target_roi IS NOT NULL
       AND p.period_start <= :day ORDER BY p.period_end DESC LIMIT 1))
"""


@dataclass(frozen=True)
class BreakEven:
    """One product's (or SKU's) economics before ads over a window, money in cents."""

    key: str  # product ID, or SKU ID
    name: str | None
    units: int
    gmv: float
    refunds: float
    product_cost: float
    platform_fees: float
    commission: float
    fees_status: str = "estimated"
    missing_cost: bool = False
    ad_cost: float = 0
    ad_revenue: float = 0
    target_roi: float | None = None
    product_id: str | None = None

    @property
    def margin_before_ads(self) -> float:
        return self.gmv - self.refunds - self.product_cost - self.platform_fees \
            - self.commission

    @property
    def margin_rate(self) -> float | None:
        """Contribution margin rate before ads (a fraction); None without GMV or cost."""
        if not self.gmv or self.missing_cost:
            return None
        return self.margin_before_ads / self.gmv

    @property
    def break_even_roi(self) -> float | None:
        """1 / margin rate; None when the rate is unknown or <= 0 (nothing breaks even)."""
        rate = self.margin_rate
        return None if rate is None or rate <= 0 else 1 / rate

    @property
    def price(self) -> float | None:
        """Average price after seller discounts per unit (cents)."""
        return None if not self.units else self.gmv / self.units

    @property
    def refund_rate(self) -> float | None:
        return None if not self.gmv else self.refunds / self.gmv

    @property
    def commission_rate(self) -> float | None:
        return None if not self.gmv else self.commission / self.gmv

    @property
    def current_roi(self) -> float | None:
        return None if not self.ad_cost else self.ad_revenue / self.ad_cost

    def margin_per_ad_dollar(self, roi: float | None = None) -> float | None:
        """What one unit of ad spend earns after every cost at ``roi`` (default: the
        current ROI): ROI x margin rate - 1."""
        roi = self.current_roi if roi is None else roi
        rate = self.margin_rate
        return None if roi is None or rate is None else roi * rate - 1

    @property
    def target_below_break_even(self) -> bool:
        """The target ROI is set, and under the break-even ROI (or nothing breaks even)."""
        if self.target_roi is None or self.margin_rate is None:
            return False
        return self.break_even_roi is None or self.target_roi < self.break_even_roi - 1e-9


def _sku_rows(conn: sqlite3.Connection, shop_id: int, window: Window) -> list[sqlite3.Row]:
    params: dict[str, object] = {"shop_id": shop_id, "start": window.start_utc,
                                 "end": window.end_utc}
    values = []
    for index, (day, start, end) in enumerate(day_buckets(window.start_utc, window.end_utc,
                                                          window.timezone)):
        params.update({f"d{index}": day, f"s{index}": start, f"e{index}": end})
        values.append(f"(:d{index}, :s{index}, :e{index})")
    if not values:
        return []
    sql = _SKU_SQL.format(days=", ".join(values),
                          unit_cost=unit_cost_sql(":shop_id", "lx.sku_id", "lx.day"))
    return conn.execute(sql, params).fetchall()


def campaign_target(conn: sqlite3.Connection, shop_id: int, account_id: str,
                    campaign_id: str, day: str) -> float | None:
    """The campaign's target ROI valid on ``day``: entered, else from its report."""
    return conn.execute(_TARGET_SQL, {"shop_id": shop_id, "account": account_id,
                                      "campaign": campaign_id, "day": day}).fetchone()[0]


def _ads(conn: sqlite3.Connection, shop_id: int, window: Window) -> dict[str, tuple]:
    day = window.last_day.isoformat()
    result = {}
    for row in conn.execute(_ADS_SQL, {"shop_id": shop_id,
                                       "first_day": window.first_day.isoformat(),
                                       "last_day": day}):
        targets = []
        for pair in (row["campaigns"] or "").split(","):
            account, _, campaign = pair.partition("\x1f")
            target = campaign_target(conn, shop_id, account, campaign, day)
            if target is not None:
                targets.append(target)
        result[row["product_id"]] = (row["cost"] or 0, row["revenue"] or 0,
                                     min(targets) if targets else None)
    return result


def _build(key: str, name, rows: list, fees: PlatformFees, ads: tuple | None,
           product_id: str | None) -> BreakEven:
    cost, revenue, target = ads or (0, 0, None)
    return BreakEven(
        key, name, sum(r["units"] or 0 for r in rows), sum(r["gmv"] or 0 for r in rows),
        sum(r["refunds"] or 0 for r in rows), sum(r["product_cost"] or 0 for r in rows),
        fees.fees, sum(r["commission"] or 0 for r in rows),
        fees_status=fees.status if fees.gmv else "none",
        missing_cost=any(r["days_without_cost"] for r in rows), ad_cost=cost,
        ad_revenue=revenue, target_roi=target, product_id=product_id)


def break_even_by_product(conn: sqlite3.Connection, shop_id: int, window: Window,
                          by: str = "product") -> list[BreakEven]:
    """Every product (``by="product"``) or SKU (``by="sku"``) sold in ``window`` with its
    break-even ROI, target and current ROI (rules: ``BREAK_EVEN_RULES``), by GMV. Promoted
    products without sales in the window are left out (no rate to measure)."""
    market = shop_market_code(conn, shop_id)
    rows = _sku_rows(conn, shop_id, window)
    fees = platform_fees_by(conn, shop_id, window, market, by)
    ads = _ads(conn, shop_id, window)
    result = []
    if by == "sku":
        for row in rows:
            result.append(_build(row["sku_id"], row["name"], [row],
                                 fees.get(row["sku_id"], PlatformFees()),
                                 ads.get(row["product_id"]), row["product_id"]))
    else:
        groups: dict[str, list] = {}
        for row in rows:
            groups.setdefault(row["product_id"] or "", []).append(row)
        names = dict(conn.execute("SELECT product_id, name FROM product "
                                  "WHERE shop_id = :shop_id", {"shop_id": shop_id}).fetchall())
        for product_id, members in groups.items():
            name = names.get(product_id) or next((r["name"] for r in members if r["name"]),
                                                 None)
            result.append(_build(product_id, name, members,
                                 fees.get(product_id, PlatformFees()), ads.get(product_id),
                                 product_id))
    return sorted(result, key=lambda b: (-b.gmv, b.key))
