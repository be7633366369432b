"""GMV Max economics for one view, from one call: platform fees, break-even ROI per product,
what the ads add, the ROI Protection days owed and the holdouts. The pages and the
``report`` command's ``ads_economics`` object read it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from campaign_core.experiments.holdout_store import holdout_results
from campaign_core.metrics.money import cents_to_amount
from campaign_core.profit.ads_overlap import AdsOverlap, OverlapTotal, ads_overlap
from campaign_core.profit.break_even import BreakEven, break_even_by_product
from campaign_core.profit.platform_fees import (
    PlatformFees,
    shop_market_code,
    shop_platform_fees,
)
from campaign_core.profit.roi_protection import ProtectionDay, days_owed, protection_ledger
from campaign_core.windows import Window


@dataclass(frozen=True)
class AdsEconomics:
    market: str | None
    fees: PlatformFees
    break_even: tuple[BreakEven, ...]
    overlap: tuple[AdsOverlap, ...]
    overlap_total: OverlapTotal
    ledger: tuple[ProtectionDay, ...]
    holdouts: tuple

    @property
    def owed(self) -> list[ProtectionDay]:
        return days_owed(list(self.ledger))

    @property
    def flagged(self) -> list[BreakEven]:
        return [row for row in self.break_even if row.target_below_break_even]


def ads_economics(conn: sqlite3.Connection, shop_id: int, window: Window,
                  today: date) -> AdsEconomics:
    """Everything GMV Max economics shows for ``window`` (holdouts as of ``today``, the
    ROI Protection ledger over the whole stored history)."""
    market = shop_market_code(conn, shop_id)
    rows, total = ads_overlap(conn, shop_id, window)
    return AdsEconomics(
        market, shop_platform_fees(conn, shop_id, window, market),
        tuple(break_even_by_product(conn, shop_id, window)), tuple(rows), total,
        tuple(protection_ledger(conn, shop_id)),
        tuple(holdout_results(conn, shop_id, window.timezone, today)))


def _money(cents: float | None):
    return None if cents is None else float(cents_to_amount(cents))


def _ratio(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def ads_economics_report(economics: AdsEconomics) -> dict:
    """The ``ads_economics`` object of the report: ``fees`` (market, platform_fees, status,
    rate_pct), ``break_even_roi`` (per product: product_id, name, break_even_roi,
    margin_rate_pct, target_roi, current_roi, margin_per_ad_dollar, target_below_break_even,
    fees_status), ``what_ads_add`` (per promoted product shop_gmv, ad_revenue,
    ad_revenue_in_gmv, affiliate_gmv, ad_cost, and a ``total`` whose every figure is part
    of its shop_gmv), ``protection`` (``days_owed`` with campaign, day, expected_credit,
    received, owed; ``owed_total``; ``eligible_days``) and ``holdouts`` (per holdout:
    incremental GMV and per ad dollar with 95% interval). Money in the shop's currency."""
    fees = economics.fees
    total = economics.overlap_total
    owed = economics.owed
    return {
        "fees": {"market": economics.market, "platform_fees": _money(fees.fees),
                 "status": fees.status, "rate_pct": fees.rate_pct},
        "break_even_roi": [{
            "product_id": row.key, "name": row.name,
            "break_even_roi": _ratio(row.break_even_roi),
            "margin_rate_pct": None if row.margin_rate is None
            else round(100 * row.margin_rate, 2),
            "target_roi": _ratio(row.target_roi), "current_roi": _ratio(row.current_roi),
            "margin_per_ad_dollar": _ratio(row.margin_per_ad_dollar()),
            "target_below_break_even": row.target_below_break_even,
            "fees_status": row.fees_status,
        } for row in economics.break_even],
        "what_ads_add": {
            "products": [{
                "product_id": row.product_id, "name": row.name,
                "shop_gmv": _money(row.shop_gmv), "ad_revenue": _money(row.ad_revenue),
                "ad_revenue_in_gmv": _money(row.ad_revenue_in_gmv),
                "affiliate_gmv": _money(row.affiliate_gmv), "ad_cost": _money(row.ad_cost),
            } for row in economics.overlap],
            "total": {"shop_gmv": _money(total.shop_gmv),
                      "ad_revenue_in_gmv": _money(total.ad_revenue_in_gmv),
                      "affiliate_gmv": _money(total.affiliate_gmv),
                      "ad_cost": _money(total.ad_cost)},
        },
        "protection": {
            "days_owed": [{"campaign_id": day.campaign_id, "campaign": day.campaign_name,
                           "day": day.day, "expected_credit": _money(day.expected_credit),
                           "received": _money(day.received), "owed": _money(day.owed)}
                          for day in owed],
            "owed_total": _money(sum(day.owed for day in owed)),
            "eligible_days": sum(1 for day in economics.ledger if day.eligible),
        },
        "holdouts": [_holdout(result) for result in economics.holdouts],
    }


def _holdout(result) -> dict:
    gmv, low, high = result.incremental_gmv
    per, per_low, per_high = result.per_ad_dollar()
    margin, margin_low, margin_high = result.margin_per_ad_dollar()
    return {"name": result.name, "design": result.design, "start_day": result.start_day,
            "end_day": result.end_day, "finished": result.finished, "days": result.days,
            "incremental_gmv": _money(gmv), "incremental_gmv_low": _money(low),
            "incremental_gmv_high": _money(high), "ad_spend": _money(result.ad_spend),
            "gmv_per_ad_dollar": _ratio(per), "gmv_per_ad_dollar_low": _ratio(per_low),
            "gmv_per_ad_dollar_high": _ratio(per_high),
            "margin_per_ad_dollar": _ratio(margin),
            "margin_per_ad_dollar_low": _ratio(margin_low),
            "margin_per_ad_dollar_high": _ratio(margin_high),
            "sequential_boundary": _ratio(result.boundary), "decided": result.decided}
