"""The ROI Protection ledger of GMV Max campaigns: per campaign and day, whether TikTok's
published rules made the day eligible, the credit expected, the credits received, and the
days owed and not credited. The store keeps every day (TikTok's history shows 60).

Rules (``PROTECTION_RULES``), from TikTok Ads Help "About ROI protection for GMV Max
campaigns" (ads.tiktok.com/help/article/about-roi-protection-for-gmv-max-campaigns, last
updated July 2025) and TikTok Shop Seller University (US) "About ROI protection for GMV
Max campaigns" (2026-02-19):

- Days are the ad account's days (the report's ``Date`` rows; a report covering several
  days is not a day and is left out).
- Eligible when the campaign had **more than 20 orders** that day (the report's
  ``Orders (SKU)``, the nearest figure it carries) and its ROI (gross revenue / cost) fell
  **below 90% of the target ROI**, unless that day the target was edited, the campaign was
  paused or deleted, Max delivery was on, or the shop, account or ads were suspended (those
  days are entered by hand; a new target entered from a day after an earlier one marks that
  day as edited).
- Expected credit = cost - gross revenue / (0.9 x target ROI), the target valid that day
  (entered, else the report's).
- Received: credits entered by hand (no billing export layout is known to this program).
  A day is **owed** when it is eligible and the credits received for it fall short of the
  expected credit by more than one minor unit.
- Not modelled: Promotion Days targets (TikTok computes the credit on them), creative boost
  budgets and LIVE viewer boost (excluded by TikTok; not visible in the report).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

PROTECTION_RULES = __doc__.split("\n\n", 1)[1].replace("\n(``PROTECTION_RULES``)",
                                                       "").strip()
MIN_ORDERS = 20  # "more than 20 daily orders"
PROTECTED_SHARE = 0.9

_DAYS_SQL = """
SELECT p.account_id, p.campaign_id, MAX(p.campaign_name) AS campaign_name,
       p.period_start AS day, SUM(p.cost_cents) AS cost, SUM(p.gross_revenue_cents) AS revenue,
       SUM(p.sku_orders) AS orders, MAX(p.target_roi) AS report_target,
       (SELECT t.target_roi FROM gmv_max_target t WHERE t.shop_id = p.shop_id
          AND t.account_id = p.account_id AND t.campaign_id = p.campaign_id
          AND t.valid_from <= p.period_start ORDER BY t.valid_from DESC LIMIT 1)
           AS entered_target,
       EXISTS (SELECT 1 FROM gmv_max_target t WHERE t.shop_id = p.shop_id
          AND t.account_id = p.account_id AND t.campaign_id = p.campaign_id
          AND t.valid_from = p.period_start
          AND EXISTS (SELECT 1 FROM gmv_max_target e WHERE e.shop_id = t.shop_id
                      AND e.account_id = t.account_id AND e.campaign_id = t.campaign_id
                      AND e.valid_from < t.valid_from)) AS target_changed,
       (SELECT p2.target_roi FROM ad_campaign_period p2 WHERE p2.shop_id = p.shop_id
          AND p2.account_id = p.account_id AND p2.campaign_id = p.campaign_id
          AND p2.period_start = p2.period_end AND p2.period_start < p.period_start
          AND p2.target_roi IS NOT NULL ORDER BY p2.period_start DESC LIMIT 1)
           AS previous_report_target,
       COALESCE(f.target_edited, 0) AS target_edited, COALESCE(f.paused, 0) AS paused,
       COALESCE(f.max_delivery, 0) AS max_delivery, COALESCE(f.suspended, 0) AS suspended,
       (SELECT SUM(c.amount_cents) FROM roi_protection_credit c WHERE c.shop_id = p.shop_id
          AND c.account_id = p.account_id AND c.campaign_id = p.campaign_id
          AND c.day = p.period_start) AS received
FROM ad_campaign_period p
LEFT JOIN gmv_max_day_flag f ON f.shop_id = p.shop_id AND f.account_id = p.account_id
  AND f.campaign_id = p.campaign_id AND f.day = p.period_start
WHERE p.shop_id = :shop_id AND p.period_start = p.period_end
  AND (:first_day IS NULL OR p.period_start >= :first_day)
  AND (:last_day IS NULL OR p.period_start <= :last_day)
GROUP BY p.account_id, p.campaign_id, p.period_start
ORDER BY p.period_start, p.campaign_id
"""


@dataclass(frozen=True)
class ProtectionDay:
    """One GMV Max campaign's day under the ROI Protection rules (money in cents)."""

    account_id: str
    campaign_id: str
    campaign_name: str | None
    day: str
    cost: int
    revenue: int
    orders: int | None
    target_roi: float | None
    excluded_because: tuple[str, ...]  # why TikTok's rules leave the day out
    received: int

    @property
    def roi(self) -> float | None:
        return None if not self.cost else self.revenue / self.cost

    @property
    def eligible(self) -> bool:
        return not self.excluded_because

    @property
    def expected_credit(self) -> float:
        """Cost - revenue / (0.9 x target) on an eligible day, else 0 (never negative)."""
        if not self.eligible or not self.target_roi:
            return 0.0
        return max(0.0, self.cost - self.revenue / (PROTECTED_SHARE * self.target_roi))

    @property
    def owed(self) -> float:
        """Expected credit not yet received (0 within one minor unit)."""
        short = self.expected_credit - self.received
        return short if short > 1 else 0.0


def _reasons(row: sqlite3.Row, target: float | None) -> tuple[str, ...]:
    reasons = []
    if target is None:
        reasons.append("no target ROI known")
    if (row["orders"] or 0) <= MIN_ORDERS:
        reasons.append(f"{row['orders'] or 0} orders (more than {MIN_ORDERS} needed)")
    roi = None if not row["cost"] else (row["revenue"] or 0) / row["cost"]
    if target is not None and (roi is None or roi >= PROTECTED_SHARE * target):
        reasons.append("ROI at or above 90% of the target")
    previous = row["previous_report_target"]
    report_changed = (row["entered_target"] is None and row["report_target"] is not None
                      and previous is not None and abs(previous - row["report_target"]) > 1e-9)
    if row["target_edited"] or row["target_changed"] or report_changed:
        reasons.append("target ROI edited that day")
    if row["paused"]:
        reasons.append("paused or deleted that day")
    if row["max_delivery"]:
        reasons.append("Max delivery on")
    if row["suspended"]:
        reasons.append("shop, account or ads suspended")
    return tuple(reasons)


def protection_ledger(conn: sqlite3.Connection, shop_id: int, first_day: str | None = None,
                      last_day: str | None = None) -> list[ProtectionDay]:
    """Every daily GMV Max campaign row of the shop (ad account days, ISO, optionally
    bounded) with its eligibility, expected and received credit (``PROTECTION_RULES``), by
    day then campaign."""
    result = []
    for row in conn.execute(_DAYS_SQL, {"shop_id": shop_id, "first_day": first_day,
                                        "last_day": last_day}):
        target = row["entered_target"] if row["entered_target"] is not None \
            else row["report_target"]
        result.append(ProtectionDay(
            row["account_id"], row["campaign_id"], row["campaign_name"], row["day"],
            row["cost"] or 0, row["revenue"] or 0, row["orders"], target,
            _reasons(row, target), row["received"] or 0))
    return result


def days_owed(ledger: list[ProtectionDay]) -> list[ProtectionDay]:
    """The eligible days whose expected credit has not (all) been received."""
    return [day for day in ledger if day.owed > 0]
