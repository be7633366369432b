"""The alerts strip: what needs attention now, each with the page where the user acts.

Each section adds its alerts here as its data lands (stock, LIVE violations, late creator
posts); an alert is shown only when the data behind it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign_core.forecast.pacing import Pacing


@dataclass(frozen=True)
class Alert:
    kind: str  # pacing, stock, violation, creator
    severity: str  # warning / error
    message: str
    page: str  # the page script where the user acts, e.g. "pages/campaigns.py"
    # The page's filters to open it with, as (query parameter, value) pairs.
    filters: tuple[tuple[str, str], ...] = ()


def pacing_alerts(pacing: Pacing) -> list[Alert]:
    """An alert when the projection misses the target (at risk: within 10%; behind)."""
    if pacing.status not in ("at_risk", "behind"):
        return []
    short = pacing.gmv_target - pacing.projected_gmv
    severity = "error" if pacing.status == "behind" else "warning"
    return [Alert("pacing", severity,
                  f"Projected GMV {pacing.projected_gmv:,.0f} is {short:,.0f} short of the "
                  f"target {pacing.gmv_target:,.0f}: "
                  f"{pacing.required_per_day:,.0f} per day is needed from now on.",
                  "pages/overview.py")]


def stock_alerts(counts: dict[str, int]) -> list[Alert]:
    """Products out of stock or selling out within the alert window (where stock data
    exists); ``counts`` as ``forecast.stock_cover.stock_alert_counts`` returns them."""
    alerts = []
    if counts.get("out_of_stock"):
        alerts.append(Alert("stock", "error",
                            f"{counts['out_of_stock']} product(s) out of stock.",
                            "pages/products.py", (("product_filter", "Out of stock"),)))
    if counts.get("sells_out_soon"):
        alerts.append(Alert("stock", "warning",
                            f"{counts['sells_out_soon']} product(s) sell out soon (within 7 "
                            "days or the rest of the campaign).", "pages/products.py",
                            (("product_filter", "Selling out"),)))
    return alerts
