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
CATALOG: dict[str, Metric] = {metric.name: metric for metric in METRICS}
CORE_METRICS: tuple[str, ...] = tuple(m.name for m in METRICS if m.section == _CORE)


def metric(name: str) -> Metric:
    """The catalog entry for ``name``; raises ``KeyError`` naming the known metrics."""
    try:
        return CATALOG[name]
    except KeyError:
        raise KeyError(f"Unknown metric {name!r}; known: {', '.join(CATALOG)}") from None
