"""The campaign report: what ``report`` prints and what pages show, for one view."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from campaign_core.forecast.band import ProjectionBand, campaign_band
from campaign_core.forecast.pacing import Pacing, campaign_pacing
from campaign_core.forecast.plan_pacing import plan_line, plan_pacing, plan_report
from campaign_core.formatting import value_text
from campaign_core.freshness import data_as_of
from campaign_core.markets import currency as currency_of
from campaign_core.markets import shop_currency
from campaign_core.metrics.baseline import Baseline, baseline_comparison
from campaign_core.metrics.benchmarks import benchmark_comparison
from campaign_core.metrics.catalog import CATALOG, CORE_METRICS, Format
from campaign_core.metrics.content import content_report
from campaign_core.metrics.core import core_kpis
from campaign_core.metrics.marketing_section import marketing_report_sections
from campaign_core.metrics.products import product_rows, products_report
from campaign_core.metrics.sub_campaigns import sub_campaign_performance
from campaign_core.metrics.trend import metric_trend
from campaign_core.profit.ads_economics import ads_economics, ads_economics_report
from campaign_core.profit.report import creator_report_sections
from campaign_core.store.campaigns import Campaign
from campaign_core.store.shops import list_shops
from campaign_core.windows import (
    Comparison,
    View,
    Window,
    default_comparison,
    local_day_of,
    resolve_window,
)


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


def _money(value: Decimal | int | float | None, minor_units: int) -> float | int | None:
    """Money rounded half up to the currency's minor unit: a whole number for IDR, VND,
    JPY, KRW (0 minor units), else a float with that many decimals."""
    if value is None:
        return None
    step = Decimal(1).scaleb(-minor_units)
    rounded = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    return int(rounded) if minor_units == 0 else float(rounded)


def report_comparison(window: Window, baseline: Baseline | None) -> Comparison:
    """What the report's trend compares with: the baseline day when one is given."""
    if baseline is not None:
        return Comparison(baseline.window, baseline.day.isoformat())
    return default_comparison(window)


def build_report(conn: sqlite3.Connection, campaign: Campaign, view: View | str,
                 now: datetime, day: date | None = None,
                 baseline_day: date | None = None) -> dict:
    """The report as a JSON-ready dict: campaign, window, ``core`` KPIs, ``target``,
    ``plan`` (each planned metric paced, ``forecast.plan_pacing.plan_report``),
    ``baseline`` (Daily view with a baseline day), ``trend`` and freshness.

    Money values of every section (core KPIs, target, baseline, trend, sub-campaigns,
    products, marketing, content, creators, benchmark) are numbers
    rounded to the currency's minor unit (whole numbers for IDR, VND, JPY, KRW); AOV is 0
    when there are no orders.
    """
    minor = currency_of(campaign.currency).minor_units
    window = campaign_window(campaign, view, now, day)
    baseline = None
    if baseline_day is not None and window.view is View.DAILY:
        baseline = baseline_comparison(conn, campaign.shop_id, window, baseline_day, now)
    comparison = report_comparison(window, baseline)
    kpis = core_kpis(conn, campaign.shop_id, window).as_dict()
    kpis["aov"] = kpis["aov"] if kpis["aov"] is not None else Decimal("0.00")
    freshness = data_as_of(conn, campaign.shop_id, int(now.timestamp()))
    zone = campaign.timezone
    pacing = campaign_pacing(conn, campaign, now)
    band = campaign_band(conn, campaign, now)
    return round_section_money({
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
        "core": _core_section(kpis, minor),
        # The same KPIs over the window the view compares with (the cards' deltas).
        "comparison": {"label": comparison.label,
                       "core": _core_section(core_kpis(conn, campaign.shop_id,
                                                       comparison.window).as_dict(), minor)},
        "target": _target_section(pacing, band, minor),
        # The campaign plan, paced over the campaign so far whatever the view.
        "plan": plan_report(plan_pacing(conn, campaign, now, gmv_pacing=pacing, band=band),
                            minor),
        "baseline": _baseline_section(baseline, minor),
        "trend": _trend_section(conn, campaign.shop_id, window, comparison, minor),
        "benchmark": _benchmark_section(conn, campaign, window, kpis),
        "products": products_report(product_rows(conn, campaign.shop_id, window, campaign,
                                                 now)),
        "sub_campaigns": [
            {"name": row.name, "orders": row.orders, "gmv": _money(row.gmv, minor),
             "units": row.units, "gmv_share_pct": _number(row.gmv_share_pct)}
            for row in sub_campaign_performance(conn, campaign.campaign_id, campaign.shop_id,
                                                window)],
        **marketing_report_sections(conn, campaign, window, comparison, now),
        "content": content_report(conn, campaign.shop_id, window),
        **creator_report_sections(conn, campaign, window, now),  # creators, experiments
        "ads_economics": ads_economics_report(ads_economics(
            conn, campaign.shop_id, window,
            local_day_of(int(now.timestamp()), campaign.timezone))),
        "data_as_of": {
            "latest_paid": _iso(freshness.latest_paid_utc, zone),
            "last_import": _iso(freshness.last_import_utc, zone),
        },
    })


# Money keys of the sections other modules build: in the shop's currency, except the
# marketing section's ad figures, which are in the ad account's (``ad_currency``).
_SECTION_MONEY_KEYS = {
    "products": frozenset({"gmv"}),
    "content": frozenset({"gmv", "commission"}),
    "creators": frozenset({"gmv", "refunds", "product_cost", "commission", "fees",
                           "sample_cost", "ad_spend", "margin", "platform_fees"}),
    "ads_economics": frozenset({"platform_fees", "shop_gmv", "ad_revenue",
                                "ad_revenue_in_gmv", "affiliate_gmv", "ad_cost",
                                "expected_credit", "received", "owed", "owed_total",
                                "incremental_gmv", "incremental_gmv_low",
                                "incremental_gmv_high", "ad_spend"}),
    "marketing": frozenset({"ad_spend", "ad_revenue"}),
}


def round_section_money(report: dict) -> dict:
    """``report`` with the money of its products, content, creators, marketing and
    benchmark sections rounded half up to the currency's minor unit (whole numbers for
    IDR, VND, JPY, KRW), as the core KPIs are; other numbers as they were. Returns the
    same dict, changed in place."""
    minor = currency_of(report.get("currency")).minor_units
    for section, keys in _SECTION_MONEY_KEYS.items():
        if section not in report:
            continue
        digits = minor
        if section == "marketing" and isinstance(report[section], dict):
            ad_currency = report[section].get("ad_currency")
            digits = currency_of(ad_currency).minor_units if ad_currency else minor
        report[section] = _rounded(report[section], keys, digits)
    for name, entry in (report.get("benchmark") or {}).items():
        metric = CATALOG.get(name)
        if isinstance(entry, dict) and metric is not None and metric.format is Format.MONEY:
            for key in ("value", "benchmark"):
                if isinstance(entry.get(key), int | float):
                    entry[key] = _money(entry[key], minor)
    return report


def _rounded(value: object, keys: frozenset[str], minor_units: int) -> object:
    if isinstance(value, dict):
        return {key: (_money(item, minor_units) if key in keys and _is_amount(item)
                      else _rounded(item, keys, minor_units)) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item, keys, minor_units) for item in value]
    return value


def _is_amount(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _core_section(kpis: dict, minor: int) -> dict:
    return {name: (_money(kpis[name], minor) if CATALOG[name].format is Format.MONEY
                   else _number(kpis[name])) for name in CORE_METRICS}


def _target_section(pacing: Pacing, band: ProjectionBand | None, minor: int) -> dict:
    """GMV pacing, with its band (``projected_low``/``projected_high`` at ``band_level``;
    null when unknown: before the start, after the end, no history, launch day's upper
    end)."""
    return {"gmv_target": _money(pacing.gmv_target, minor),
            "progress_pct": pacing.progress_pct,
            "projected_gmv": _money(pacing.projected_gmv, minor),
            "required_per_day": _money(pacing.required_per_day, minor),
            "status": pacing.status, "gmv_so_far": _money(pacing.gmv_so_far, minor),
            "time_elapsed_pct": pacing.time_elapsed_pct,
            "projected_low": None if band is None else _money(band.low, minor),
            "projected_high": None if band is None else _money(band.high, minor),
            "band_level": None if band is None else band.level}


def _baseline_section(baseline: Baseline | None, minor: int) -> dict | None:
    if baseline is None:
        return None
    return {"day": baseline.day.isoformat(), "gmv": _money(baseline.gmv, minor),
            "campaign_gmv": _money(baseline.campaign_gmv, minor),
            "difference_pct": baseline.difference_pct, "state": baseline.state}


def _benchmark_section(conn: sqlite3.Connection, campaign: Campaign, window: Window,
                       kpis: dict) -> dict:
    shop = next(s for s in list_shops(conn) if s.shop_id == campaign.shop_id)
    return benchmark_comparison(conn, shop, window, kpis, window.view).report_section()


def _trend_section(conn: sqlite3.Connection, shop_id: int, window: Window,
                   comparison: Comparison, minor: int) -> list[dict]:
    buckets = metric_trend(conn, shop_id, window, comparison.window)
    return [{"bucket_start": bucket.start.isoformat(),
             "gmv": _money(bucket.values["gmv"], minor),
             "comparison_gmv": _money(bucket.comparison.get("gmv"), minor),
             "comparison_start": bucket.comparison_start.isoformat()}
            for bucket in buckets if bucket.values["gmv"] is not None]


def report_as_text(report: dict) -> str:
    """A plain-text rendering of ``build_report`` for the terminal."""
    window = report["window"]
    currency = shop_currency(report["currency"], report["timezone"])
    lines = [
        f"{report['campaign']} ({report['shop']}) - {View(report['view']).label}",
        f"Window: {window['start']} to {window['end']} ({report['timezone']})"
        + ("" if window["complete"] else ", in progress"),
    ]
    for name, value in report["core"].items():
        metric = CATALOG[name]
        shown = value_text(metric.format, value, currency)
        lines.append(f"  {metric.label:<26} {shown}")
    for row in report.get("plan") or []:
        lines.append(plan_line(row, currency))
    lines.append(f"Data as of: {report['data_as_of']['latest_paid'] or 'no orders yet'}")
    return "\n".join(lines)
