"""Contribution margin per creator over a window: GMV is not money.

Creator contribution margin = creator-attributed GMV - refunds - product cost -
platform fees - commission (standard + Shop Ads + bonus) - flat fees/retainers - sample
cost (product cost + shipping) - ad spend on that creator's content. How each part is
counted
(``MARGIN_RULES``):

- **Attributed lines**: order lines (paid in the window, not samples) that the affiliate
  orders export attributes to the creator. GMV and refunds follow the core definitions.
  An attributed line whose order was never imported counts with the affiliate export's
  own amounts (Price x Quantity, else Payment Amount; a fully returned or cancelled line
  is refunded whole), windowed by its payment time.
- **Product cost**: units x the SKU's unit cost valid on the line's local paid day (lines
  without a cost count 0 and are counted in ``lines_without_cost``).
- **Commission**: settled where the income export has the order (``Affiliate commission``
  + ``Affiliate Shop Ads commission`` of all its rows, shared among the order's attributed
  lines by their estimated commission, else by GMV); estimated otherwise (each part actual
  if > 0 else estimated; 0 when Ineligible). ``settled_share_pct`` = GMV of settled
  orders / GMV x 100.
- **Platform fees**: TikTok's referral and transaction fees of the attributed lines,
  settled from the income export, else estimated from the market's fee schedule for the
  paid day (``platform_fees.FEE_RULES``); a line of an order never imported is estimated
  at the day's rate; a market without a known schedule counts 0 and says so.
- **Fees**: creator fees dated in the window, plus the flat fee and retainer of deals
  accepted in the window.
- **Sample cost**: samples shipped in the window: units x unit cost valid on the shipped
  day + shipping cost.
- **Campaign Period view**: samples, fees and deals that name a campaign count in that
  campaign's period, whatever their day (samples ship before a campaign starts); in the
  Today and Daily views, and for those naming no campaign, their day decides.
- **Ad spend**: GMV Max creative rows whose export period lies inside the window and whose
  video is the creator's content (else whose TikTok account is the creator).
- **Margin %** = margin / GMV x 100 (none without GMV).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from decimal import Decimal

from campaign_core.metrics.money import cents_to_amount
from campaign_core.profit.platform_fees import (
    estimated_fee_sql,
    rate_cte,
    shop_market_code,
)
from campaign_core.store.costs import day_buckets, unit_cost_sql
from campaign_core.store.creators import CREATOR_KEY_SQL
from campaign_core.windows import Window

MARGIN_RULES = __doc__.split("\n\n", 1)[1].replace("\n(``MARGIN_RULES``)", "").strip()
_KEY = CREATOR_KEY_SQL

# Attributed lines of the window: imported orders (order_line, grouped per order and SKU
# so an order with the SKU on two lines is one affiliate line), then affiliate lines whose
# order is not imported. ``{days}`` is a VALUES list of local day buckets. ``ol`` starts
# from the affiliate lines and looks their order lines up by (order, SKU): reading every
# line of the window first costs as much whether one line in ten is attributed or none.
_LINES_CTE = """
days (day, start_utc, end_utc) AS (VALUES {days}),
{rate_cte},
ol AS (
    SELECT l.order_id, l.sku_id, MIN(l.paid_utc) AS paid_utc, SUM(l.quantity) AS quantity,
           SUM(l.gmv_cents) AS gmv_cents,
           SUM(CASE WHEN l.is_cancelled THEN l.gmv_cents
                    WHEN l.returned_units > 0
                    THEN l.returned_units * 1.0 * l.gmv_cents / l.quantity
                    ELSE 0 END) AS refund_cents,
           SUM(CASE WHEN NOT l.is_cancelled AND l.returned_units > 0
                    THEN l.returned_units * 1.0 * l.gmv_cents / l.quantity
                    ELSE 0 END) AS returned_cents,
           MIN(l.is_cancelled) AS is_cancelled, MIN(l.product_id) AS product_id
    FROM affiliate_line a
    JOIN order_line l ON l.shop_id = a.shop_id AND l.order_id = a.order_id
      AND l.sku_id = a.sku_id
    WHERE a.shop_id = :shop_id AND l.paid_utc >= :start AND l.paid_utc < :end
      AND l.is_sample = 0
    GROUP BY l.order_id, l.sku_id
),
raw_lines AS (
    SELECT a.order_id, a.sku_id, a.creator, {key_a} AS ckey, a.commission_cents,
           ol.quantity, ol.gmv_cents, ol.refund_cents, ol.paid_utc, ol.returned_cents,
           ol.is_cancelled, ol.product_id
    FROM affiliate_line a
    JOIN ol ON ol.order_id = a.order_id AND ol.sku_id = a.sku_id
    WHERE a.shop_id = :shop_id
    UNION ALL
    SELECT a.order_id, a.sku_id, a.creator, {key_a}, a.commission_cents, a.quantity,
           COALESCE(a.price_cents * a.quantity, a.payment_amount_cents, 0),
           CASE WHEN a.fully_returned OR LOWER(COALESCE(a.order_status_raw, ''))
                     LIKE 'cancel%'
                THEN COALESCE(a.price_cents * a.quantity, a.payment_amount_cents, 0)
                ELSE 0 END,
           a.paid_utc, 0, LOWER(COALESCE(a.order_status_raw, '')) LIKE 'cancel%',
           a.product_id
    FROM affiliate_line a
    WHERE a.shop_id = :shop_id AND a.paid_utc >= :start AND a.paid_utc < :end
      AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.shop_id = a.shop_id
                      AND o.order_id = a.order_id)
),
settled AS (
    SELECT order_id, ABS(SUM(COALESCE(affiliate_commission_cents, 0)
                         + COALESCE(affiliate_shop_ads_commission_cents, 0))) AS commission
    FROM settlement_line WHERE shop_id = :shop_id GROUP BY order_id
),
lines AS (
    SELECT r.*, d.day,
           {unit_cost} AS unit_cents,
           CASE WHEN fs.fee IS NOT NULL
                THEN fs.fee * 1.0 * r.gmv_cents / MAX({order_gmv}, 1)
                ELSE {estimate} END AS platform_fee,
           fs.fee IS NOT NULL AS fee_settled, fd.rate IS NOT NULL AS fee_known,
           s.commission AS order_settled,
           SUM(COALESCE(r.commission_cents, 0)) OVER (PARTITION BY r.order_id) AS order_est,
           SUM(r.gmv_cents) OVER (PARTITION BY r.order_id) AS order_gmv
    FROM raw_lines r
    JOIN days d ON r.paid_utc >= d.start_utc AND r.paid_utc < d.end_utc
    LEFT JOIN settled s ON s.order_id = r.order_id
    LEFT JOIN fee_settled fs ON fs.order_id = r.order_id
    LEFT JOIN fee_days fd ON fd.day = d.day
    LEFT JOIN fee_product_rate pr ON pr.day = d.day AND pr.product_id = r.product_id
),
costed AS (
    SELECT *,
           CASE WHEN order_settled IS NULL THEN COALESCE(commission_cents, 0)
                WHEN order_est > 0 THEN order_settled * 1.0 * COALESCE(commission_cents, 0)
                                        / order_est
                WHEN order_gmv > 0 THEN order_settled * 1.0 * gmv_cents / order_gmv
                ELSE 0 END AS commission_used
    FROM lines
)
"""

_BY_CREATOR_SQL = """
SELECT ckey, MIN(LTRIM(TRIM(creator), '@')) AS creator, SUM(gmv_cents) AS gmv,
       SUM(refund_cents) AS refunds,
       SUM(quantity * COALESCE(unit_cents, 0)) AS product_cost,
       SUM(unit_cents IS NULL) AS lines_without_cost,
       SUM(commission_used) AS commission, SUM(COALESCE(commission_cents, 0)) AS est_commission,
       SUM(CASE WHEN order_settled IS NOT NULL THEN gmv_cents ELSE 0 END) AS settled_gmv,
       COUNT(DISTINCT order_id) AS orders, SUM(quantity) AS units,
       SUM(platform_fee) AS platform_fees,
       SUM(CASE WHEN fee_settled THEN 0 ELSE platform_fee END) AS est_platform_fees,
       SUM(CASE WHEN fee_settled OR fee_known THEN 0 ELSE gmv_cents END) AS unknown_fee_gmv
FROM costed GROUP BY ckey
"""

_BY_SKU_SQL = """
SELECT c.sku_id, MAX(s.product_name) AS product_name, SUM(c.quantity) AS units,
       SUM(c.gmv_cents) AS gmv, SUM(c.refund_cents) AS refunds,
       SUM(c.quantity * COALESCE(c.unit_cents, 0)) AS product_cost,
       SUM(c.commission_used) AS commission, SUM(c.platform_fee) AS platform_fees
FROM costed c LEFT JOIN sku s ON s.shop_id = :shop_id AND s.sku_id = c.sku_id
WHERE c.ckey = :ckey GROUP BY c.sku_id ORDER BY gmv DESC, c.sku_id
"""

_SAMPLES_SQL = f"""
SELECT {_KEY.format(column="ss.creator")} AS ckey,
       MIN(LTRIM(TRIM(ss.creator), '@')) AS creator,
       SUM(ss.units) AS units, COUNT(*) AS shipments,
       SUM(ss.units * COALESCE({unit_cost_sql("ss.shop_id", "ss.sku_id", "ss.shipped_day")},
                               0)) AS product_cost,
       SUM(ss.shipping_cost_cents) AS shipping
FROM sample_shipment ss
WHERE ss.shop_id = :shop_id
  AND CASE WHEN :campaign IS NULL OR COALESCE(ss.campaign, '') = ''
           THEN ss.shipped_day >= :first_day AND ss.shipped_day <= :last_day
           ELSE ss.campaign = :campaign END
GROUP BY 1
"""

_FEES_SQL = f"""
SELECT ckey, MIN(LTRIM(TRIM(creator), '@')) AS creator, SUM(amount) AS fees FROM (
    SELECT {_KEY.format(column="creator")} AS ckey, creator, amount_cents AS amount
    FROM creator_fee
    WHERE shop_id = :shop_id
      AND CASE WHEN :campaign IS NULL OR COALESCE(campaign, '') = ''
               THEN fee_day >= :first_day AND fee_day <= :last_day
               ELSE campaign = :campaign END
    UNION ALL
    SELECT {_KEY.format(column="creator")}, creator,
           COALESCE(flat_fee_cents, 0) + COALESCE(retainer_cents, 0)
    FROM creator_deal
    WHERE shop_id = :shop_id
      AND CASE WHEN :campaign IS NULL THEN accepted_day >= :first_day
                                           AND accepted_day <= :last_day
               ELSE campaign = :campaign END
) GROUP BY ckey
"""

# A creative's video belongs to the creator who posted it (content, affiliate lines); a
# row without a known video falls back to its TikTok account.
_ADS_SQL = f"""
WITH video_owner AS (
    SELECT content_id, MIN(ckey) AS ckey FROM (
        SELECT content_id, {_KEY.format(column="creator")} AS ckey FROM content
        WHERE shop_id = :shop_id AND creator IS NOT NULL AND TRIM(creator) <> ''
        UNION
        SELECT content_id, {_KEY.format(column="creator")} FROM affiliate_line
        WHERE shop_id = :shop_id AND content_id IS NOT NULL AND content_id <> ''
    ) GROUP BY content_id
)
SELECT COALESCE(v.ckey, {_KEY.format(column="p.tiktok_account")}) AS ckey,
       SUM(p.cost_cents) AS ad_spend
FROM ad_creative_period p
LEFT JOIN video_owner v ON v.content_id = p.video_id AND p.video_id <> ''
WHERE p.shop_id = :shop_id AND p.period_start >= :first_day AND p.period_end <= :last_day
GROUP BY 1
"""

_KNOWN_CREATORS_SQL = f"""
SELECT {_KEY.format(column="creator")} FROM affiliate_line WHERE shop_id = :shop_id
UNION SELECT {_KEY.format(column="creator")} FROM creator_deal WHERE shop_id = :shop_id
UNION SELECT {_KEY.format(column="creator")} FROM sample_shipment WHERE shop_id = :shop_id
UNION SELECT {_KEY.format(column="creator")} FROM creator_fee WHERE shop_id = :shop_id
EXCEPT SELECT {_KEY.format(column="handle")} FROM linked_account WHERE shop_id = :shop_id
"""


@dataclass(frozen=True)
class CreatorMargin:
    """One creator's money over a window, in cents (floats: pro-rated refunds and shared
    settled commission are fractional until rounded for display)."""

    creator: str
    key: str
    gmv: float = 0
    refunds: float = 0
    product_cost: float = 0
    commission: float = 0
    estimated_commission: float = 0
    fees: float = 0
    sample_product_cost: float = 0
    shipping: float = 0
    ad_spend: float = 0
    settled_gmv: float = 0
    orders: int = 0
    units: int = 0
    sample_units: int = 0
    sample_shipments: int = 0
    lines_without_cost: int = 0
    # TikTok's referral and transaction fees (platform_fees.FEE_RULES): settled, else
    # estimated; the GMV whose fees are neither settled nor in a known schedule.
    platform_fees: float = 0
    estimated_platform_fees: float = 0
    unknown_fee_gmv: float = 0

    @property
    def fees_status(self) -> str:
        """"unknown" while some fees are not known, "estimated" until settled, else
        "settled" ("none" without GMV)."""
        if not self.gmv:
            return "none"
        if self.unknown_fee_gmv:
            return "unknown"
        return "estimated" if self.estimated_platform_fees or self.is_estimated else "settled"

    @property
    def sample_cost(self) -> float:
        return self.sample_product_cost + self.shipping

    @property
    def net_sales(self) -> float:
        return self.gmv - self.refunds

    @property
    def margin(self) -> float:
        return (self.gmv - self.refunds - self.product_cost - self.platform_fees
                - self.commission - self.fees - self.sample_cost - self.ad_spend)

    @property
    def margin_pct(self) -> float | None:
        return None if not self.gmv else round(100 * self.margin / self.gmv, 2)

    @property
    def settled_share_pct(self) -> float | None:
        return None if not self.gmv else round(100 * self.settled_gmv / self.gmv, 2)

    @property
    def is_estimated(self) -> bool:
        """True while any of the creator's GMV waits for settlement."""
        return self.settled_gmv < self.gmv

    @property
    def margin_per_sample(self) -> float | None:
        return None if not self.sample_units else self.margin / self.sample_units

    @property
    def gmv_per_sample(self) -> float | None:
        return None if not self.sample_units else self.gmv / self.sample_units

    def amount(self, name: str) -> Decimal | None:
        """A money attribute (or property) rounded half up to cents."""
        return cents_to_amount(getattr(self, name))


@dataclass(frozen=True)
class SkuMix:
    sku_id: str
    product_name: str | None
    units: int
    gmv: float
    refunds: float
    product_cost: float
    commission: float
    platform_fees: float = 0

    @property
    def margin(self) -> float:
        return (self.gmv - self.refunds - self.product_cost - self.platform_fees
                - self.commission)


@dataclass
class _Builder:
    values: dict[str, CreatorMargin] = field(default_factory=dict)

    def add(self, key: str, creator: str | None, **amounts: float) -> None:
        # The first source names the creator: affiliate lines (the export's username)
        # come first, then samples, fees and ads.
        current = self.values.get(key) or CreatorMargin(creator or key, key)
        self.values[key] = replace(current, **{name: getattr(current, name) + (value or 0)
                                               for name, value in amounts.items()})


def _lines_params(conn: sqlite3.Connection, shop_id: int,
                  window: Window) -> tuple[str, dict]:
    rates, params = rate_cte(shop_id, window, shop_market_code(conn, shop_id))
    values = []
    for index, (day, start, end) in enumerate(day_buckets(window.start_utc, window.end_utc,
                                                          window.timezone)):
        params.update({f"d{index}": day, f"s{index}": start, f"e{index}": end})
        values.append(f"(:d{index}, :s{index}, :e{index})")
    # The order's lines share its paid time: with it, one seek in the window index; without,
    # SQLite read every line of the shop for each line.
    order_gmv = ("(SELECT SUM(o.gmv_cents) FROM order_line o WHERE o.shop_id = :shop_id "
                 "AND o.paid_utc = r.paid_utc AND o.is_sample = 0 AND o.order_id = r.order_id)")
    rate = "COALESCE(pr.rate, fd.rate)"  # category_rate_sql, joined once per line
    estimate = estimated_fee_sql("r.gmv_cents", "r.refund_cents", "r.returned_cents", rate,
                                 "fd.fixed_cents", "fd.admin", "fd.cap",
                                 f"COALESCE({order_gmv}, r.gmv_cents)", "r.is_cancelled")
    cte = _LINES_CTE.format(days=", ".join(values) or "(NULL, 0, 0)", rate_cte=rates,
                            order_gmv=order_gmv, estimate=estimate,
                            key_a=_KEY.format(column="a.creator"),
                            unit_cost=unit_cost_sql(":shop_id", "r.sku_id", "d.day"))
    return "WITH " + cte, params


def _day_params(shop_id: int, window: Window, campaign: str | None = None) -> dict:
    return {"shop_id": shop_id, "first_day": window.first_day.isoformat(),
            "last_day": window.last_day.isoformat(), "campaign": campaign}


def _table_exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name",
                        {"name": name}).fetchone() is not None


def creator_margins(conn: sqlite3.Connection, shop_id: int, window: Window,
                    campaign: str | None = None) -> list[CreatorMargin]:
    """Every creator with attributed sales, samples, fees or ad spend in ``window``, with
    the parts of the contribution margin (rules: ``MARGIN_RULES``). ``campaign`` (the
    Campaign Period view's campaign name) makes samples, fees and deals tagged with a
    campaign count in that campaign's period only, whatever their day. Sorted by GMV, then
    margin, descending, then name. Raises ``sqlite3.Error`` on a store without the v6
    tables (ad spend counts 0 while the GMV Max creative table is missing)."""
    builder = _Builder()
    cte, params = _lines_params(conn, shop_id, window)
    for row in conn.execute(cte + _BY_CREATOR_SQL, params):
        builder.add(row["ckey"], row["creator"], gmv=row["gmv"], refunds=row["refunds"],
                    product_cost=row["product_cost"], commission=row["commission"],
                    estimated_commission=row["est_commission"],
                    settled_gmv=row["settled_gmv"], orders=row["orders"], units=row["units"],
                    lines_without_cost=row["lines_without_cost"],
                    platform_fees=row["platform_fees"],
                    estimated_platform_fees=row["est_platform_fees"],
                    unknown_fee_gmv=row["unknown_fee_gmv"])
    days = _day_params(shop_id, window, campaign)
    for row in conn.execute(_SAMPLES_SQL, days):
        builder.add(row["ckey"], row["creator"], sample_units=row["units"],
                    sample_shipments=row["shipments"],
                    sample_product_cost=row["product_cost"], shipping=row["shipping"])
    for row in conn.execute(_FEES_SQL, days):
        builder.add(row["ckey"], row["creator"], fees=row["fees"])
    if _table_exists(conn, "ad_creative_period"):
        known = {row[0] for row in conn.execute(_KNOWN_CREATORS_SQL, {"shop_id": shop_id})}
        for row in conn.execute(_ADS_SQL, days):
            if row["ckey"] in known:
                builder.add(row["ckey"], None, ad_spend=row["ad_spend"])
    return sorted(builder.values.values(),
                  key=lambda m: (-m.gmv, -m.margin, m.creator.casefold()))


def creator_sku_mix(conn: sqlite3.Connection, shop_id: int, window: Window,
                    creator: str) -> list[SkuMix]:
    """The SKUs behind one creator's attributed sales in ``window``: units, GMV, refunds,
    product cost and commission per SKU, by GMV."""
    cte, params = _lines_params(conn, shop_id, window)
    from campaign_core.store.creators import creator_key
    rows = conn.execute(cte + _BY_SKU_SQL, {**params, "ckey": creator_key(creator)})
    return [SkuMix(row["sku_id"], row["product_name"], row["units"] or 0, row["gmv"] or 0,
                   row["refunds"] or 0, row["product_cost"] or 0, row["commission"] or 0,
                   row["platform_fees"] or 0)
            for row in rows]


def total_margin(margins: list[CreatorMargin], name: str = "All creators") -> CreatorMargin:
    """The sum of ``margins``: the campaign's creator programme as one row."""
    total = CreatorMargin(name, "")
    numeric = [f for f in CreatorMargin.__dataclass_fields__ if f not in ("creator", "key")]
    for margin in margins:
        total = replace(total, **{f: getattr(total, f) + getattr(margin, f) for f in numeric})
    return total
