"""Shop Performance Score (SPS) against the campaign-eligibility thresholds.

The SPS is a 0-5 rating a shop holds once it delivered 30 orders in 90 days. In the US a
shop needs an SPS of at least 3.5 to be accepted into TikTok Shop campaigns, and must keep
2.5 once accepted (TikTok Shop Seller University, US, "Campaign FAQs", 2025-06-23). Other
markets publish their campaign rules with other measures (e.g. a Store Rating above 3.0 in
Vietnam's "Campaign Qualification Guidelines"): no SPS threshold is documented for them,
so none is assumed.

Readings come from the seller (Overview's operations block) or an import: the Shop
Performance Score APIs (v202606, "Five New APIs Added", 2026-07-21) are for US shops, and
their paths and fields were not readable in the public release notes, so the sync does not
call them yet.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from campaign_core.markets import market_of_timezone

# market -> (score to be accepted into a campaign, score to stay in it)
CAMPAIGN_THRESHOLDS: dict[str, tuple[float, float]] = {"US": (3.5, 2.5)}
DEFAULT_WARNING_MARGIN = 0.2  # points above the registration threshold: "close to it"
STATUSES = ("ok", "near", "below_registration", "below_stay", "no_threshold")


@dataclass(frozen=True)
class ShopScore:
    score: float
    recorded_utc: int
    source: str
    register_at: float | None  # None: no documented threshold for the shop's market
    stay_at: float | None

    def status(self, margin: float = DEFAULT_WARNING_MARGIN) -> str:
        """One of ``STATUSES``: below the score to stay in campaigns, below the score to be
        accepted, within ``margin`` above it, ok; ``no_threshold`` without a threshold."""
        if self.register_at is None or self.stay_at is None:
            return "no_threshold"
        if self.score < self.stay_at:
            return "below_stay"
        if self.score < self.register_at:
            return "below_registration"
        if self.score < self.register_at + margin:
            return "near"
        return "ok"


def campaign_thresholds(timezone: str) -> tuple[float, float] | tuple[None, None]:
    """(register, stay) of the market whose zone ``timezone`` is; (None, None) if none."""
    market = market_of_timezone(timezone)
    return CAMPAIGN_THRESHOLDS.get(market.code if market else "", (None, None))


def latest_shop_score(conn: sqlite3.Connection, shop_id: int,
                      timezone: str) -> ShopScore | None:
    """The shop's newest reading with its market's thresholds; None without readings."""
    row = conn.execute("SELECT score, recorded_utc, source FROM shop_score WHERE "
                       "shop_id = :shop_id ORDER BY recorded_utc DESC LIMIT 1",
                       {"shop_id": shop_id}).fetchone()
    if row is None:
        return None
    register, stay = campaign_thresholds(timezone)
    return ShopScore(float(row[0]), int(row[1]), row[2], register, stay)
