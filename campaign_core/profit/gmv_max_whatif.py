"""What-if for a GMV Max campaign: a lower target ROI, or Promotion Days, and what it does to
GMV and margin at the shop's recent conversion.

Promotion Days (TikTok Shop Seller University, "Promotion Days on GMV Max",
seller-th.tiktok.com/university/essay?knowledge_id=6961593850234625): during promotions
the ROI goal is lowered by 10%, 20% or 30% and budgets rise by 50% by default
(customizable). TikTok has since changed the promotional goal to the lower of the input
goal so reduced and the campaign's recent average ROI over a recent period (the period is
cut off in the copy this program's authors could read): the what-if uses the input goal
reduced, an upper bound of the promotional goal.

Model (``WHATIF_RULES``): the delivered ROI moves to the new goal and ad spend scales with
the budget (x 1.5 on Promotion Days, x 1 for a plain target change); ad revenue = spend x
ROI. GMV change = new ad revenue - current ad revenue; margin change = (new revenue x m -
new spend) - (current revenue x m - current spend), with m the contribution margin rate
before ads (``break_even``). Orders = GMV change / recent AOV; clicks needed = orders /
recent conversion (SKU orders / clicks of the GMV Max creative rows). A forecast from
averages, not a promise: ad revenue includes sales that would have come anyway
(``holdout`` measures how many).
"""

from __future__ import annotations

from dataclasses import dataclass

WHATIF_RULES = __doc__.split("Model (``WHATIF_RULES``): ", 1)[1].strip()
PROMOTION_CUTS = (0.10, 0.20, 0.30)
PROMOTION_BUDGET = 1.5


@dataclass(frozen=True)
class WhatIf:
    """Current and projected ad economics for one product or campaign (cents)."""

    target_roi: float
    spend: float
    revenue: float
    margin: float  # ad revenue x m - spend
    gmv_change: float
    margin_change: float
    orders_change: float | None
    clicks_needed: float | None


def what_if(current_spend: float, current_roi: float, margin_rate: float, new_roi: float,
            budget_factor: float = 1.0, aov: float | None = None,
            conversion: float | None = None) -> WhatIf:
    """The projection of ``WHATIF_RULES`` for a new goal ``new_roi``. Raises
    ``ValueError`` for a goal or budget factor that is not positive."""
    if new_roi <= 0 or budget_factor <= 0:
        raise ValueError("the ROI goal and the budget factor must be positive")
    current_revenue = current_spend * current_roi
    spend = current_spend * budget_factor
    revenue = spend * new_roi
    margin = revenue * margin_rate - spend
    gmv_change = revenue - current_revenue
    margin_change = margin - (current_revenue * margin_rate - current_spend)
    orders = None if not aov else gmv_change / aov
    clicks = None if orders is None or not conversion else orders / conversion
    return WhatIf(new_roi, spend, revenue, margin, gmv_change, margin_change, orders, clicks)


def promotion_days(target_roi: float, cut: float) -> float:
    """The promotional ROI goal for a cut of 10%, 20% or 30% (an upper bound: TikTok may
    take the campaign's recent average ROI when lower). Raises ``ValueError`` otherwise."""
    if cut not in PROMOTION_CUTS:
        raise ValueError("Promotion Days lower the ROI goal by 10%, 20% or 30%")
    return target_roi * (1 - cut)
