"""The metric catalog: every metric's name, label, format and definition, defined once.

Pages read labels and help text from here, the command line reads names, and a test checks
that every metric is documented and computed. Definitions follow DESIGN.md word for word
where it gives one; they are a contract with the scripts that call the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Format(StrEnum):
    MONEY = "money"
    COUNT = "count"
    PERCENT = "percent"
    RATIO = "ratio"  # e.g. ROAS 3.25 (revenue per unit of cost)
    DAYS = "days"  # e.g. days of cover 1.4
    DURATION = "duration"  # seconds, shown as "2 h 5 min"


@dataclass(frozen=True)
class Metric:
    name: str  # key in reports and JSON
    label: str  # shown on cards and column headers
    format: Format
    definition: str  # help text
    section: str
    estimated: bool = False  # settles later: shown with "est."
    higher_is_better: bool = True


_CORE = "core"

METRICS: tuple[Metric, ...] = (
    Metric("gmv", "GMV", Format.MONEY,
           "Sum over order lines paid inside the window of SKU subtotal before discount minus "
           "SKU seller discount: what buyers paid for the products plus TikTok's product "
           "subsidy. Counted by paid time; includes lines later cancelled or refunded; "
           "excludes unpaid orders and free sample orders.", _CORE),
    Metric("orders", "Orders", Format.COUNT,
           "Distinct paid orders in the window (free sample orders excluded).", _CORE),
    Metric("sku_orders", "SKU orders", Format.COUNT,
           "Distinct (order, SKU) lines of the paid orders in the window.", _CORE),
    Metric("units", "Units sold", Format.COUNT,
           "Sum of quantities of the paid order lines in the window.", _CORE),
    Metric("buyers", "Buyers", Format.COUNT,
           "Distinct buyers of the paid orders in the window; a buyer is the Buyer Username, "
           "or the Buyer Nickname where the username is blank.", _CORE),
    Metric("aov", "AOV", Format.MONEY,
           "Average order value: GMV / orders.", _CORE),
    Metric("tiktok_contribution", "Est. TikTok contribution", Format.MONEY,
           "Sum of SKU platform discount over the window's paid lines, plus the shipping "
           "fee platform discount once per order. A pre-settlement estimate.", _CORE,
           estimated=True),
    Metric("refunds", "Refunds", Format.MONEY,
           "For a cancelled line its whole GMV; for a line with returned units, returned "
           "units x (line GMV / quantity). Counted in the window of the line's paid time.",
           _CORE, higher_is_better=False),
    Metric("net_sales", "Net sales", Format.MONEY,
           "GMV - refunds.", _CORE),
)

# The products section's own metrics. GMV, units, orders, SKU orders and refunds are the
# core metrics above; days of cover, stock-out date and status are
# explained by ``STOCK_COVER_DEFINITION`` (the catalog has no format for days or dates).
PRODUCT_METRICS: tuple[Metric, ...] = (
    Metric("impressions", "Impressions", Format.COUNT,
           "Product impressions (channel all) summed over the export periods that lie "
           "inside the window; a period that only overlaps the window is left out.",
           "products"),
    Metric("clicks", "Clicks", Format.COUNT,
           "Product clicks (channel all) summed over the export periods inside the window.",
           "products"),
    Metric("ctr", "CTR", Format.PERCENT,
           "Click-through rate: clicks / impressions x 100.", "products"),
    Metric("add_to_cart_rate", "Add-to-cart rate", Format.PERCENT,
           "Add-to-cart users / product page visitors (the export's unique clicks) x 100.",
           "products"),
    Metric("conversion", "Conversion", Format.PERCENT,
           "SKU orders of the window / clicks x 100 (CTOR).", "products"),
    Metric("available", "Available", Format.COUNT,
           "Units available by the latest stock snapshot at or before now, summed over the "
           "product's SKUs.", "products"),
    Metric("unit_cost", "Unit cost", Format.MONEY,
           "The average over the product's SKUs of each SKU's unit cost valid today.",
           "products", higher_is_better=False),
    Metric("gross_margin", "Gross margin", Format.MONEY,
           "GMV - refunds - units x the unit cost of each line's SKU valid on the line's "
           "paid day; unknown when a sold SKU has no cost.", "products"),
)

METRICS = METRICS + PRODUCT_METRICS
# Marketing, Traffic and Funnel (metrics/marketing.py, traffic.py, funnel.py hold the full
# rules; the definitions here are their help text).
_MARKETING, _TRAFFIC, _FUNNEL = "marketing", "traffic", "funnel"
MARKETING_METRICS: tuple[Metric, ...] = (
    Metric("creator_videos", "Creator videos", Format.COUNT,
           "New affiliate creator videos posted in the window (not the shop's own accounts).",
           _MARKETING),
    Metric("creator_lives", "Creator LIVEs", Format.COUNT,
           "New affiliate creator LIVEs started in the window.", _MARKETING),
    Metric("seller_videos", "Seller videos", Format.COUNT,
           "New videos of the shop's own and linked accounts posted in the window.",
           _MARKETING),
    Metric("seller_lives", "Seller LIVEs", Format.COUNT,
           "New LIVEs of the shop's own and linked accounts started in the window.",
           _MARKETING),
    Metric("ad_spend", "Ad spend", Format.MONEY,
           "Cost of the primary ad account's ads in the window, in the ad account's "
           "currency: Ads Manager rows by their day (or hour) in shop time, GMV Max report "
           "rows whose whole period lies inside the window.", _MARKETING,
           higher_is_better=False),
    Metric("ad_revenue", "Ad revenue", Format.MONEY,
           "Gross revenue the primary ad account's ads report for the same rows as ad "
           "spend. An order may also be affiliate-attributed: never add it to creator GMV.",
           _MARKETING),
    Metric("roas", "ROAS", Format.RATIO,
           "Return on ad spend: ad revenue / ad spend of the primary ad account.",
           _MARKETING),
)
TRAFFIC_METRICS: tuple[Metric, ...] = (
    Metric("channel_impressions", "Impressions", Format.COUNT,
           "Impressions of the channel in the window: the traffic template's rows (days "
           "of the window, or hours inside it), else product analytics periods inside the "
           "window.", _TRAFFIC),
    Metric("impression_share_pct", "Impression share", Format.PERCENT,
           "Channel impressions / all impressions x 100 (all = the sum over the channels "
           "listed).", _TRAFFIC),
    Metric("channel_clicks", "Clicks", Format.COUNT,
           "Clicks of the channel in the window, from the same rows as its impressions.",
           _TRAFFIC),
    Metric("channel_ctr", "CTR", Format.PERCENT,
           "Click-through rate of the channel: clicks / impressions x 100.", _TRAFFIC),
    Metric("channel_sku_orders", "SKU orders", Format.COUNT,
           "SKU orders the traffic template attributes to the channel in the window.",
           _TRAFFIC),
    Metric("ctor", "CTOR", Format.PERCENT,
           "Click-to-order rate of the channel: SKU orders / clicks x 100.", _TRAFFIC),
)
FUNNEL_METRICS: tuple[Metric, ...] = (
    Metric("avg_unique_reach", "Avg. unique reach", Format.COUNT,
           "Daily distinct shoppers shown the shop's products, averaged over the window's "
           "days that have traffic data, in whole shoppers (rounded half up).", _FUNNEL),
    Metric("avg_unique_clicks", "Avg. unique clicks", Format.COUNT,
           "Daily distinct shoppers who clicked a product, averaged over the same days, in "
           "whole shoppers (rounded half up).",
           _FUNNEL),
    Metric("avg_daily_customers", "Avg. daily customers", Format.COUNT,
           "Daily distinct buyers of paid, non-sample orders, averaged over the same days "
           "(the window's days when there is no traffic data), in whole buyers (rounded half "
           "up).", _FUNNEL),
    Metric("click_rate", "Click rate", Format.PERCENT,
           "Avg. unique clicks / avg. unique reach x 100.", _FUNNEL),
    Metric("order_rate", "Order rate", Format.PERCENT,
           "Avg. daily customers / avg. unique clicks x 100.", _FUNNEL),
)
METRICS = METRICS + MARKETING_METRICS + TRAFFIC_METRICS + FUNNEL_METRICS

# The content section (LIVE and video rankings, metrics/content.py). Names carry the
# ``content_`` prefix; ``CONTENT_COLUMNS`` maps them to ContentRow fields.
_CONTENT = "content"
CONTENT_METRICS: tuple[Metric, ...] = (
    Metric("content_gmv", "GMV", Format.MONEY,
           "GMV (SKU subtotal before discount minus seller discount) of the order lines the "
           "affiliate orders export attributes to this video or LIVE (same Order ID and SKU "
           "ID), by paid time, free samples excluded; an affiliate row whose order is not "
           "imported counts with its Price x Quantity, by its Payment time. Content no "
           "affiliate order names takes its GMV from the video / LIVE exports.", _CONTENT),
    Metric("content_gmv_share", "GMV contribution", Format.PERCENT,
           "Content GMV / the shop's GMV in the same window x 100.", _CONTENT),
    Metric("content_orders", "Orders", Format.COUNT,
           "Distinct orders among the content's attributed lines in the window.", _CONTENT),
    Metric("content_units", "Units sold", Format.COUNT,
           "Sum of quantities of the content's attributed lines in the window.", _CONTENT),
    Metric("content_commission", "Commission", Format.MONEY,
           "Per attributed line: standard + Shop Ads + co-funded bonus commission, each the "
           "actual payment if over 0, else the estimate; 0 for an Ineligible line. Summed "
           "over the content's lines in the window.", _CONTENT, estimated=True,
           higher_is_better=False),
    Metric("content_views", "Views", Format.COUNT,
           "Video views (LIVE: viewers) from the video / LIVE exports whose period lies in "
           "the window.", _CONTENT),
    Metric("content_likes", "Likes", Format.COUNT,
           "Likes from the video exports whose period lies in the window.", _CONTENT),
    Metric("content_impressions", "Product impressions", Format.COUNT,
           "Product impressions in the content, from its exports.", _CONTENT),
    Metric("content_clicks", "Product clicks", Format.COUNT,
           "Product clicks in the content, from its exports.", _CONTENT),
    Metric("content_ctr", "CTR", Format.PERCENT,
           "Click-through rate of the content: product clicks / product impressions x 100.",
           _CONTENT),
    Metric("content_ctor", "CTOR", Format.PERCENT,
           "Click-to-order rate: SKU orders / product clicks x 100.", _CONTENT),
    Metric("content_gpm", "GPM", Format.MONEY,
           "GMV per 1,000 views: content GMV / views x 1,000.", _CONTENT),
    Metric("content_violations", "Violations", Format.COUNT,
           "Violations recorded for the content (content flags template or flagged in the "
           "app).", _CONTENT, higher_is_better=False),
)
CONTENT_COLUMNS: dict[str, str] = {
    "content_gmv": "gmv", "content_gmv_share": "gmv_share_pct", "content_orders": "orders",
    "content_units": "units", "content_commission": "commission", "content_views": "views",
    "content_likes": "likes", "content_impressions": "impressions",
    "content_clicks": "clicks", "content_ctr": "ctr", "content_ctor": "ctor",
    "content_gpm": "gpm", "content_violations": "violations",
}
METRICS = METRICS + CONTENT_METRICS

# Creators and profit (profit/creator_margin.py, creators/pipeline.py and
# experiments/evaluate.py hold the full rules; these definitions are their help text).
_CREATORS, _EXPERIMENTS = "creators", "experiments"
CREATOR_METRICS: tuple[Metric, ...] = (
    Metric("creator_gmv", "Creator GMV", Format.MONEY,
           "GMV (core definition) of the order lines the affiliate orders export attributes "
           "to the creator, paid in the window; lines of orders not imported count with the "
           "export's Price x Quantity.", _CREATORS),
    Metric("creator_refunds", "Refunds", Format.MONEY,
           "Refunds (core definition) of the creator's attributed lines.", _CREATORS,
           higher_is_better=False),
    Metric("creator_product_cost", "Product cost", Format.MONEY,
           "Units x the unit cost of each line's SKU valid on its local paid day (lines "
           "without a cost count 0).", _CREATORS, higher_is_better=False),
    Metric("creator_commission", "Commission", Format.MONEY,
           "Standard + Shop Ads + co-funded bonus: settled (Affiliate commission + Affiliate "
           "Shop Ads commission of the order's income rows, shared among its attributed "
           "lines) where the income export has the order, else estimated (each part actual "
           "if > 0 else estimated; 0 when Ineligible).", _CREATORS, estimated=True,
           higher_is_better=False),
    Metric("creator_fees", "Fees", Format.MONEY,
           "Flat fees and retainers: creator fees dated in the window plus the fees of deals "
           "accepted in the window.", _CREATORS, higher_is_better=False),
    Metric("creator_sample_cost", "Sample cost", Format.MONEY,
           "Samples shipped in the window: units x the unit cost valid on the shipped day + "
           "shipping cost.", _CREATORS, higher_is_better=False),
    Metric("creator_ad_spend", "Ad spend", Format.MONEY,
           "Cost of GMV Max creative rows whose period lies inside the window and whose "
           "video is the creator's content (else whose TikTok account is the creator).",
           _CREATORS, higher_is_better=False),
    Metric("creator_margin", "Contribution margin", Format.MONEY,
           "Creator-attributed GMV - refunds - product cost - platform fees - commission "
           "(standard + Shop Ads + bonus) - flat fees/retainers - sample cost (product cost "
           "+ shipping) - ad spend on that creator's content. Estimated until settled; "
           "labelled so.", _CREATORS, estimated=True),
    Metric("platform_fees", "Platform fees", Format.MONEY,
           "TikTok's referral and transaction fees: settled from the income export (TikTok "
           "Shop commission fee + Transaction fee of the order, shared among its lines by "
           "GMV), else estimated from the market's fee schedule for the line's local paid "
           "day (rate x (GMV - refunds), plus the refund administration fee on units "
           "returned after shipping where the market has one). Fees unknown where the "
           "market has no known schedule and nothing is settled.", _CREATORS,
           estimated=True, higher_is_better=False),
    Metric("creator_margin_pct", "Margin %", Format.PERCENT,
           "Contribution margin / creator GMV x 100.", _CREATORS, estimated=True),
    Metric("settled_share_pct", "Settled share", Format.PERCENT,
           "GMV of the creator's orders that the income export has settled / creator GMV "
           "x 100; the rest of the margin is an estimate.", _CREATORS),
    Metric("sample_to_post_rate", "Sample-to-post rate", Format.PERCENT,
           "Deals with a sample shipped that posted / deals with a sample shipped x 100 "
           "(cancelled deals left out).", _CREATORS),
    Metric("cost_per_posting_creator", "Cost per posting creator", Format.MONEY,
           "(Commission + fees + sample cost + ad spend) of the window / creators of the "
           "campaign's deals that posted.", _CREATORS, higher_is_better=False),
    Metric("gmv_per_sample", "GMV per sample", Format.MONEY,
           "Creator GMV / sample units shipped in the window (creators who got samples).",
           _CREATORS),
    Metric("margin_per_sample", "Margin per sample", Format.MONEY,
           "Contribution margin / sample units shipped in the window (creators who got "
           "samples).", _CREATORS, estimated=True),
)
EXPERIMENT_METRICS: tuple[Metric, ...] = (
    Metric("experiment_rate", "Rate", Format.PERCENT,
           "Conversions / exposures x 100, with its 95% Wilson score interval.", _EXPERIMENTS),
    Metric("experiment_lift", "Lift", Format.PERCENT,
           "Absolute (variant rate - control rate, percentage points) and relative "
           "((variant - control) / control x 100).", _EXPERIMENTS),
    Metric("experiment_p_value", "p-value", Format.RATIO,
           "Two-proportion z-test with the pooled rate, two-sided, of the leading variant "
           "against the control (fixed-sample: not a stopping rule).", _EXPERIMENTS,
           higher_is_better=False),
    Metric("required_per_arm", "Needed per arm", Format.COUNT,
           "Exposures each arm needs to detect the planned MDE from the baseline rate with "
           "alpha 0.05 (two-sided) and power 0.8.", _EXPERIMENTS),
    Metric("srm_p_value", "SRM p-value", Format.RATIO,
           "Chi-square goodness-of-fit of the exposures against the planned split; below "
           "0.001 the split is broken (sample ratio mismatch).", _EXPERIMENTS),
)
METRICS = METRICS + CREATOR_METRICS + EXPERIMENT_METRICS

# The campaign plan's metrics that no section above defines (forecast/plan_pacing.py
# paces them; the plan's other metrics are the catalog entries of their sections).
_PLAN = "plan"
PLAN_ONLY_METRICS: tuple[Metric, ...] = (
    Metric("new_buyers", "New buyers", Format.COUNT,
           "Buyers whose first paid order (free samples excluded) in the store lies inside "
           "the window: a buyer with an earlier paid order is a returning buyer. New to the "
           "order history imported, so import orders from before the campaign for this to "
           "mean new to the shop.", _PLAN),
    Metric("contribution_margin", "Contribution margin", Format.MONEY,
           "GMV - refunds - product cost (units x the unit cost of each line's SKU valid on "
           "its paid day; lines without a cost count 0) - platform fees (settled from the income "
           "export, else estimated from the market's fee schedule) - creator commission, "
           "flat fees, sample cost and ad spend on creator content: the shop waterfall of "
           "the Creators page. Estimated until settled.", _PLAN, estimated=True),
    Metric("contribution_margin_pct", "Contribution margin %", Format.PERCENT,
           "Contribution margin / GMV x 100 over the same window.", _PLAN, estimated=True),
)
METRICS = METRICS + PLAN_ONLY_METRICS

CATALOG: dict[str, Metric] = {metric.name: metric for metric in METRICS}
CORE_METRICS: tuple[str, ...] = tuple(m.name for m in METRICS if m.section == _CORE)


def metric(name: str) -> Metric:
    """The catalog entry for ``name``; raises ``KeyError`` naming the known metrics."""
    try:
        return CATALOG[name]
    except KeyError:
        raise KeyError(f"Unknown metric {name!r}; known: {', '.join(CATALOG)}") from None
