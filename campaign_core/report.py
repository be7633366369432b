"""The campaign report: what ``report`` prints and what pages show, for one view."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from campaign_core.freshness import data_as_of
from campaign_core.metrics.catalog import CATALOG, CORE_METRICS, Format
from campaign_core.metrics.core import core_kpis
from campaign_core.store.campaigns import Campaign
from campaign_core.windows import View, Window, resolve_window


def campaign_window(campaign: Campaign, view: View | str, now: datetime,
                    day: date | None = None) -> Window:
    """The window of ``view`` for ``campaign`` in its timezone."""
    return resolve_window(view, start_day=campaign.start_day, end_day=campaign.end_day,
                          timezone=campaign.timezone, now=now, day=day)


def _iso(instant: int | None, timezone: str) -> str | None:
    if instant is None:
        return None
    return datetime.fromtimestamp(instant, ZoneInfo(timezone)).isoformat()


def _number(value: Decimal | int | None) -> float | int | None:
    return float(value) if isinstance(value, Decimal) else value


def build_report(conn: sqlite3.Connection, campaign: Campaign, view: View | str,
                 now: datetime, day: date | None = None) -> dict:
    """The report as a JSON-ready dict: campaign, window, ``core`` KPIs and freshness.

    Money values are numbers rounded to cents; AOV is 0 when there are no orders.
    """
    window = campaign_window(campaign, view, now, day)
    kpis = core_kpis(conn, campaign.shop_id, window).as_dict()
    kpis["aov"] = kpis["aov"] if kpis["aov"] is not None else Decimal("0.00")
    freshness = data_as_of(conn, campaign.shop_id, int(now.timestamp()))
    zone = campaign.timezone
    return {
        "campaign": campaign.name,
        "shop": campaign.shop_name,
        "currency": campaign.currency,
        "timezone": zone,
        "view": window.view.value,
        "window": {
            "start": _iso(window.start_utc, zone),
            "end": _iso(window.end_utc, zone),
            "first_day": window.first_day.isoformat(),
            "last_day": window.last_day.isoformat(),
            "complete": window.complete,
        },
        "now": now.astimezone(ZoneInfo(zone)).isoformat(),
        "core": {name: _number(kpis[name]) for name in CORE_METRICS},
        "data_as_of": {
            "latest_paid": _iso(freshness.latest_paid_utc, zone),
            "last_import": _iso(freshness.last_import_utc, zone),
        },
    }


def report_as_text(report: dict) -> str:
    """A plain-text rendering of ``build_report`` for the terminal."""
    window = report["window"]
    lines = [
        f"{report['campaign']} ({report['shop']}) - {View(report['view']).label}",
        f"Window: {window['start']} to {window['end']} ({report['timezone']})"
        + ("" if window["complete"] else ", in progress"),
    ]
    for name, value in report["core"].items():
        metric = CATALOG[name]
        if metric.format is Format.MONEY:
            shown = f"{value:,.2f} {report['currency']}"
        else:
            shown = f"{value:,}"
        lines.append(f"  {metric.label:<26} {shown}")
    lines.append(f"Data as of: {report['data_as_of']['latest_paid'] or 'no orders yet'}")
    return "\n".join(lines)
