"""The Marketing page's numbers and the report's ``marketing``, ``traffic`` and ``funnel``
sections, from one place so the page and the command line agree."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from campaign_core.markets import number_style
from campaign_core.metrics.content import content_supply
from campaign_core.metrics.funnel import Funnel, funnel_report, shopper_funnel
from campaign_core.metrics.marketing import AdTotals, ad_totals
from campaign_core.metrics.suggestions import (
    Suggestion,
    funnel_suggestions,
    marketing_benchmarks,
    roas_suggestions,
    selling_out_suggestions,
    supply_benchmarks_on_their_days,
    supply_suggestions,
)
from campaign_core.metrics.traffic import traffic_by_channel, traffic_report
from campaign_core.store.campaigns import Campaign
from campaign_core.windows import Comparison, View, Window, local_midnight_utc, period_window


@dataclass(frozen=True)
class MarketingView:
    supply: dict[str, int]
    supply_before: dict[str, int]
    ads: AdTotals
    ads_before: AdTotals
    roas_benchmark: float | None
    benchmarks: dict[str, float]  # metric -> benchmark of the window (ROAS, content supply)
    funnel: Funnel
    funnel_before: Funnel
    suggestions: tuple[Suggestion, ...]
    compared_with: str
    # Campaign Period: the days the content-supply benchmarks cover, and the shop's supply
    # over those same days (what ``benchmarks``' supply values are compared with).
    benchmark_days: tuple[date, date] | None = None
    supply_on_benchmark_days: dict[str, int] = field(default_factory=dict)


def marketing_view(conn: sqlite3.Connection, campaign: Campaign, window: Window,
                   comparison: Comparison, now: datetime) -> MarketingView:
    """Content supply, ads and suggestions of ``window`` and of ``comparison``'s window."""
    shop_id = campaign.shop_id
    supply = content_supply(conn, shop_id, window)
    before = content_supply(conn, shop_id, comparison.window)
    ads = ad_totals(conn, shop_id, window)
    benchmarks = marketing_benchmarks(conn, shop_id, window)
    benchmark = benchmarks.get("roas")
    benchmark_days, on_days = None, {}
    if window.view is View.PERIOD:
        benchmark_days, supply_benchmarks = supply_benchmarks_on_their_days(conn, shop_id,
                                                                           window)
        benchmarks = {**benchmarks, **supply_benchmarks}
        if benchmark_days:
            on_days = content_supply(conn, shop_id, _days_window(window, *benchmark_days))
    funnel = shopper_funnel(conn, shop_id, window)
    funnel_before = shopper_funnel(conn, shop_id, comparison.window)
    marks = number_style(campaign.currency)  # the shop's number marks in the sentences
    suggestions = (roas_suggestions(ads.roas, benchmark, marks)
                   + supply_suggestions(supply, before, comparison.label, marks)
                   + selling_out_suggestions(conn, campaign, window, now)
                   + funnel_suggestions(funnel, funnel_before, comparison.label, marks))
    return MarketingView(supply, before, ads, ad_totals(conn, shop_id, comparison.window),
                         benchmark, benchmarks, funnel, funnel_before, tuple(suggestions),
                         comparison.label, benchmark_days, on_days)


def _days_window(window: Window, first: date, last: date) -> Window:
    end = local_midnight_utc(last + timedelta(days=1), window.timezone)
    return period_window(first, last, window.timezone, datetime.fromtimestamp(end, UTC))


def marketing_section(view: MarketingView) -> dict:
    """The report's ``marketing`` object: content supply counts, ``ad_spend`` and
    ``ad_revenue`` (numbers rounded to cents, in ``ad_currency``; 0 without ad data),
    ``roas`` (a ratio, 4 decimals; null without ad spend), ``ad_account`` and
    ``suggestions`` (rule, text, numbers, page)."""
    ads = view.ads
    return {**view.supply,
            "ad_spend": float(ads.spend or 0),
            "ad_revenue": float(ads.revenue or 0),
            "roas": ads.roas,
            "ad_currency": ads.currency,
            "ad_account": ads.account.label if ads.account else None,
            "ad_periods_left_out": ads.periods_left_out,
            "suggestions": [s.as_dict() for s in view.suggestions]}


def marketing_report_sections(conn: sqlite3.Connection, campaign: Campaign, window: Window,
                    comparison: Comparison, now: datetime) -> dict:
    """``{"marketing": ..., "traffic": [...], "funnel": {...}}`` for ``build_report``."""
    view = marketing_view(conn, campaign, window, comparison, now)
    return {"marketing": marketing_section(view),
            "traffic": traffic_report(traffic_by_channel(conn, campaign.shop_id, window)),
            "funnel": funnel_report(view.funnel)}
