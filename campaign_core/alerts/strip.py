"""The alerts strip: what needs attention now, each with the page where the user acts.

Each section adds its alerts here as its data lands (stock, LIVE violations, late creator
posts); an alert is shown only when the data behind it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign_core.forecast.pacing import Pacing
from campaign_core.formatting import compact_money, plural


@dataclass(frozen=True)
class Alert:
    kind: str  # pacing, stock, violation, creator
    severity: str  # warning / error
    message: str
    page: str  # the page script where the user acts, e.g. "pages/campaigns.py"
    # The page's filters to open it with, as (query parameter, value) pairs.
    filters: tuple[tuple[str, str], ...] = ()


def pacing_alerts(pacing: Pacing, currency: str = "USD") -> list[Alert]:
    """An alert when the projection misses the target (at risk: within 10%; behind);
    amounts in ``currency``, compact (``$347K``)."""
    if pacing.status not in ("at_risk", "behind"):
        return []
    short = pacing.gmv_target - pacing.projected_gmv
    severity = "error" if pacing.status == "behind" else "warning"
    return [Alert("pacing", severity,
                  f"Projected GMV {compact_money(pacing.projected_gmv, currency)} is "
                  f"{compact_money(short, currency)} short of the target "
                  f"{compact_money(pacing.gmv_target, currency)}: "
                  f"{compact_money(pacing.required_per_day, currency)} per day is needed "
                  "from now on.",
                  "pages/overview.py")]


def stock_alerts(counts: dict[str, int]) -> list[Alert]:
    """Products out of stock or selling out within the alert window (where stock data
    exists); ``counts`` as ``forecast.stock_cover.stock_alert_counts`` returns them."""
    alerts = []
    if counts.get("out_of_stock"):
        alerts.append(Alert("stock", "error",
                            f"{plural(counts['out_of_stock'], 'product')} out of stock.",
                            "pages/products.py", (("product_filter", "Out of stock"),)))
    soon = counts.get("sells_out_soon") or 0
    if soon:
        alerts.append(Alert("stock", "warning",
                            f"{plural(soon, 'product')} sell{'s' if soon == 1 else ''} out "
                            "soon (within 7 days or the rest of the campaign).",
                            "pages/products.py", (("product_filter", "Selling out"),)))
    return alerts
