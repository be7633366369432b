"""TikTok's fees per order line: settled from the income export, else estimated from the
market's fee schedule (``fee_schedule``) for the line's local paid day.

Rules (``FEE_RULES``):

- **Estimated** referral fee of a line = rate x (GMV - refunds) + the per-order fixed part
  shared by GMV (none on a cancelled line), + on units returned after shipping the refund
  administration fee where the market has one: share x rate x refunded GMV, at most the cap
  per SKU line. A cancelled line (refunded before shipping) owes nothing. The rate is the
  product category's where the schedule lists one (the lowest that matches), else the
  market's standard rate; transaction fees are added where known.
- **Settled**: an order the income export has with a ``TikTok Shop commission fee`` or
  ``Transaction fee`` cell; its fees (all its rows, signs turned to a cost) are shared among
  its lines by GMV. Settled fees replace the estimate.
- **Unknown**: a line of a market (or day) without a schedule row and not settled counts 0
  and its GMV is reported as ``unknown_fee_gmv``: the margin says fees unknown.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from campaign_core.markets import shop_market
from campaign_core.metrics.money import cents_to_amount
from campaign_core.profit.fee_schedule import FEE_SCHEDULE, fee_rates
from campaign_core.store.costs import day_buckets
from campaign_core.windows import Window

FEE_RULES = __doc__.split("\n\n", 1)[1].replace("\n(``FEE_RULES``)", "").strip()

# Per order line paid in the window (samples left out): GMV, refund, the estimated and the
# settled fee. ``{days}`` and ``{cats}`` are VALUES lists built by ``fee_lines_cte``.
_RATE_CTE = """
fee_days (day, start_utc, end_utc, rate, fixed_cents, admin, cap) AS (VALUES {days}),
fee_cats (day, word, rate) AS (VALUES {cats}),
fee_settled AS MATERIALIZED (
    SELECT order_id, -SUM(COALESCE(platform_commission_cents, 0)
                          + COALESCE(transaction_fee_cents, 0)) AS fee
    FROM settlement_line
    WHERE shop_id = :shop_id
      AND (platform_commission_cents IS NOT NULL OR transaction_fee_cents IS NOT NULL)
    GROUP BY order_id
),
fee_product_rate AS MATERIALIZED (
    SELECT c.day, p.product_id, MIN(c.rate) AS rate
    FROM fee_cats c JOIN product p ON p.shop_id = :shop_id
    WHERE INSTR(LOWER(COALESCE(p.category, '')), c.word) > 0
    GROUP BY c.day, p.product_id
)"""


def category_rate_sql(product: str, day: str, default: str) -> str:
    """SQL for the referral rate of a line: the lowest category rate of ``fee_cats`` whose
    word the product's category contains on ``day``, else ``default`` (SQL expressions)."""
    return (f"COALESCE((SELECT MIN(c.rate) FROM fee_cats c JOIN product p "
            f"ON p.shop_id = :shop_id AND p.product_id = {product} WHERE c.day = {day} "
            f"AND INSTR(LOWER(COALESCE(p.category, '')), c.word) > 0), {default})")


def estimated_fee_sql(gmv: str, refund: str, returned: str, rate: str, fixed: str,
                      admin: str, cap: str, order_gmv: str, cancelled: str) -> str:
    """SQL for a line's estimated fee (``FEE_RULES``) from SQL expressions of its parts."""
    return f"""(CASE WHEN {rate} IS NULL THEN 0 ELSE
        {rate} * ({gmv} - {refund})
        + CASE WHEN {fixed} = 0 OR {cancelled} THEN 0
               ELSE {fixed} * 1.0 * {gmv} / MAX({order_gmv}, 1) END
        + CASE WHEN {returned} > 0 AND {admin} > 0
               THEN MIN({admin} * {rate} * {returned}, COALESCE({cap}, 1e18)) ELSE 0 END
        END)"""


# The lines are not materialized (that cost more than the rest): a line's settled fee is
# joined per order and its category rate per (day, product), so that the expressions that
# name them several times read a column; its order's GMV, needed only for the fixed part of
# the fee and for a settled fee, is one seek in the window index (the order's lines share
# its paid time) where it is read.
_LINES_CTE = """
fee_raw AS (
    SELECT l.order_id, l.line_no, l.sku_id, l.product_id, d.day, l.gmv_cents AS gmv,
           l.is_cancelled,
           CASE WHEN l.is_cancelled THEN l.gmv_cents
                WHEN l.returned_units > 0 THEN l.returned_units * 1.0 * l.gmv_cents / l.quantity
                ELSE 0 END AS refund,
           CASE WHEN NOT l.is_cancelled AND l.returned_units > 0
                THEN l.returned_units * 1.0 * l.gmv_cents / l.quantity ELSE 0 END AS returned,
           COALESCE(pr.rate, d.rate) AS rate, d.fixed_cents, d.admin, d.cap,
           (SELECT SUM(o.gmv_cents) FROM order_line o WHERE o.shop_id = l.shop_id
              AND o.paid_utc = l.paid_utc AND o.is_sample = 0
              AND o.order_id = l.order_id) AS order_gmv,
           s.fee AS order_fee
    FROM order_line l
    JOIN fee_days d ON l.paid_utc >= d.start_utc AND l.paid_utc < d.end_utc
    LEFT JOIN fee_product_rate pr ON pr.day = d.day AND pr.product_id = l.product_id
    LEFT JOIN fee_settled s ON s.order_id = l.order_id
    WHERE l.shop_id = :shop_id AND l.paid_utc >= :start AND l.paid_utc < :end
      AND l.is_sample = 0
),
fee_lines AS (
    SELECT r.order_id, r.line_no, r.sku_id, r.product_id, r.day, r.gmv, r.refund,
           r.rate IS NOT NULL AS fee_known, r.order_fee IS NOT NULL AS fee_settled,
           {estimate} AS est_fee,
           CASE WHEN r.order_fee IS NULL THEN NULL WHEN r.order_gmv > 0
                THEN r.order_fee * 1.0 * r.gmv / r.order_gmv ELSE 0 END AS settled_fee
    FROM fee_raw r
)
"""


def rate_cte(shop_id: int, window: Window, market: str | None) -> tuple[str, dict]:
    """The CTE parts (without ``WITH``) ``fee_days (day, start_utc, end_utc, rate,
    fixed_cents, admin, cap)``, ``fee_cats (day, word, rate)``, ``fee_settled (order_id,
    fee)`` and ``fee_product_rate (day, product_id, rate)`` (``category_rate_sql`` per day
    and product with a category rate) for ``window``'s local days in ``market``, with their
    named parameters."""
    params: dict[str, object] = {"shop_id": shop_id, "start": window.start_utc,
                                 "end": window.end_utc}
    days, cats = [], []
    words = sorted({row.category for row in FEE_SCHEDULE
                    if row.market == market and row.category})
    for index, (day, start, end) in enumerate(day_buckets(window.start_utc, window.end_utc,
                                                          window.timezone)):
        rates = fee_rates(market, date.fromisoformat(day))
        params.update({f"fd{index}": day, f"fs{index}": start, f"fe{index}": end,
                       f"fr{index}": rates.rate, f"ff{index}": rates.fixed_cents,
                       f"fa{index}": rates.refund_admin,
                       f"fc{index}": rates.refund_admin_cap_cents})
        days.append(f"(:fd{index}, :fs{index}, :fe{index}, :fr{index}, :ff{index}, "
                    f":fa{index}, :fc{index})")
        for number, word in enumerate(words):
            special = fee_rates(market, date.fromisoformat(day), word)
            if special.rate is not None and special.rate != rates.rate:
                key = f"{index}_{number}"
                params.update({f"cd{key}": day, f"cw{key}": word, f"cr{key}": special.rate})
                cats.append(f"(:cd{key}, :cw{key}, :cr{key})")
    cte = _RATE_CTE.format(days=", ".join(days) or "(NULL, 0, 0, NULL, 0, 0, NULL)",
                           cats=", ".join(cats) or "(NULL, NULL, NULL)")
    return cte, params


def fee_lines_cte(shop_id: int, window: Window, market: str | None) -> tuple[str, dict]:
    """The CTE parts (without ``WITH``) that define ``fee_lines``: one row per order line
    paid in ``window`` (not samples) with ``order_id, line_no, sku_id, product_id, day, gmv,
    refund, fee_known, fee_settled, est_fee, settled_fee`` (cents, floats; settled_fee NULL
    until settled), and the named parameters they need (``shop_id``, ``start``, ``end``)."""
    rates, params = rate_cte(shop_id, window, market)
    lines = _LINES_CTE.format(
        estimate=estimated_fee_sql("r.gmv", "r.refund", "r.returned", "r.rate",
                                   "r.fixed_cents", "r.admin", "r.cap", "r.order_gmv",
                                   "r.is_cancelled"))
    return rates + "," + lines, params


@dataclass(frozen=True)
class PlatformFees:
    """TikTok's fees over a window or a group of lines, in cents."""

    fees: float = 0  # settled where settled, else estimated
    settled_fees: float = 0
    estimated_fees: float = 0
    gmv: float = 0
    settled_gmv: float = 0
    unknown_fee_gmv: float = 0  # GMV of lines neither settled nor in a known schedule

    @property
    def is_estimated(self) -> bool:
        return self.settled_gmv < self.gmv

    @property
    def status(self) -> str:
        """"settled", "estimated", "unknown" (some fees not known) or "none" (no GMV)."""
        if not self.gmv:
            return "none"
        if self.unknown_fee_gmv:
            return "unknown"
        return "estimated" if self.is_estimated else "settled"

    @property
    def rate_pct(self) -> float | None:
        return None if not self.gmv else round(100 * self.fees / self.gmv, 2)

    def amount(self, name: str = "fees"):
        return cents_to_amount(getattr(self, name))


_TOTALS = """
SELECT {key} AS key,
       COALESCE(SUM(COALESCE(settled_fee, est_fee)), 0) AS fees,
       COALESCE(SUM(CASE WHEN fee_settled THEN settled_fee ELSE 0 END), 0) AS settled_fees,
       COALESCE(SUM(CASE WHEN fee_settled THEN 0 ELSE est_fee END), 0) AS estimated_fees,
       COALESCE(SUM(gmv), 0) AS gmv,
       COALESCE(SUM(CASE WHEN fee_settled THEN gmv ELSE 0 END), 0) AS settled_gmv,
       COALESCE(SUM(CASE WHEN fee_settled OR fee_known THEN 0 ELSE gmv END), 0) AS unknown_gmv
FROM fee_lines GROUP BY 1
"""
_KEYS = {"shop": "''", "product": "product_id", "sku": "sku_id"}


def platform_fees_by(conn: sqlite3.Connection, shop_id: int, window: Window,
                     market: str | None, by: str = "shop") -> dict[str, PlatformFees]:
    """TikTok's fees over ``window`` grouped ``by`` "shop" (key ''), "product" or "sku"
    (rules: ``FEE_RULES``). ``market`` is the shop's market code (None: unknown)."""
    cte, params = fee_lines_cte(shop_id, window, market)
    sql = "WITH " + cte + _TOTALS.format(key=_KEYS[by])
    return {row["key"]: PlatformFees(row["fees"], row["settled_fees"], row["estimated_fees"],
                                     row["gmv"], row["settled_gmv"], row["unknown_gmv"])
            for row in conn.execute(sql, params)}


def shop_platform_fees(conn: sqlite3.Connection, shop_id: int, window: Window,
                       market: str | None) -> PlatformFees:
    """The shop's fees over ``window`` (zero GMV: an empty ``PlatformFees``)."""
    return platform_fees_by(conn, shop_id, window, market).get("", PlatformFees())


def shop_market_code(conn: sqlite3.Connection, shop_id: int) -> str | None:
    """The market code of the shop (from its currency and timezone); None when unknown."""
    row = conn.execute("SELECT currency, timezone FROM shop WHERE shop_id = :shop_id",
                       {"shop_id": shop_id}).fetchone()
    if row is None:
        return None
    market = shop_market(row[0], row[1])
    return market.code if market else None
