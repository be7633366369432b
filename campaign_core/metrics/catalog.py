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

CATALOG: dict[str, Metric] = {metric.name: metric for metric in METRICS}
CORE_METRICS: tuple[str, ...] = tuple(m.name for m in METRICS if m.section == _CORE)


def metric(name: str) -> Metric:
    """The catalog entry for ``name``; raises ``KeyError`` naming the known metrics."""
    try:
        return CATALOG[name]
    except KeyError:
        raise KeyError(f"Unknown metric {name!r}; known: {', '.join(CATALOG)}") from None
