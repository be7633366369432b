"""``report --currency CODE``: the campaign's core KPIs converted into ``CODE`` (all its
shops together), each shop's own core in its currency, and where the rates came from."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from campaign_core.markets import currency as currency_of
from campaign_core.metrics.catalog import CATALOG, CORE_METRICS, Format
from campaign_core.portfolio.combined import combined_figures, fx_section
from campaign_core.store.campaigns import Campaign
from campaign_core.store.fx_rates import check_currency_code
from campaign_core.windows import View


def _core(values: dict, currency_code: str) -> dict:
    """Core KPIs as the report writes them: money rounded half up to the currency's minor
    unit (None when not convertible), counts as they are; AOV 0 without orders."""
    step = Decimal(1).scaleb(-currency_of(currency_code).minor_units)
    core = {}
    for name in CORE_METRICS:
        value = values.get(name)
        if name == "aov" and value is None and not values.get("orders"):
            value = Decimal(0)
        if CATALOG[name].format is Format.MONEY and value is not None:
            rounded = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
            value = int(rounded) if step == 1 else float(rounded)
        core[name] = value
    return core


def currency_report(conn: sqlite3.Connection, campaign: Campaign, view: View | str,
                    now: datetime, currency: str, day: date | None = None) -> dict:
    """``core`` (in ``currency``; money None when a day could not be converted),
    ``core_currency``, ``shops`` (``{shop, currency, timezone, core}`` each in its own
    currency and windows in its own timezone) and ``fx`` (see ``fx_section``).
    Raises ``ValueError`` for a code that is not three letters."""
    currency = check_currency_code(currency)
    figures = combined_figures(conn, campaign, view, now, currency, day)
    return {
        "core": _core(figures.core(), currency),
        "core_currency": currency,
        "shops": [{"shop": shop.campaign.shop_name, "currency": str(shop.campaign.currency),
                   "timezone": shop.campaign.timezone,
                   "window": {"first_day": shop.window.first_day.isoformat(),
                              "last_day": shop.window.last_day.isoformat()},
                   "core": _core(shop.kpis.as_dict(), str(shop.campaign.currency))}
                  for shop in figures.shops],
        "fx": fx_section(figures),
    }
