"""The Marketing, Traffic and Funnel charts as Vega-Lite specs (``to_dict()``)."""

from __future__ import annotations

from decimal import Decimal

from campaign_core.metrics.funnel import Funnel, FunnelDay
from campaign_core.metrics.marketing import AdHour
from campaign_core.metrics.traffic import ChannelTraffic
from ui import marketing_charts
from ui.charts import COMPARISON_GREY, PALETTE


def test_ad_hours_chart_has_spend_and_revenue_per_hour():
    spec = marketing_charts.ad_hours_chart(
        [AdHour("2026-11-20", 9, Decimal("1.50"), Decimal("4.00"))], "USD", "t").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert {(r["hour"], r["series"], r["value"]) for r in rows} == {
        ("09:00", "Ad spend", 1.5), ("09:00", "Ad revenue", 4.0)}
    assert spec["encoding"]["y"]["title"] == "Amount (USD)"


def test_channel_share_chart_sorts_by_share():
    channel = ChannelTraffic("live", 100, 25.0, 10, 10.0, 1, 10.0)
    spec = marketing_charts.channel_share_chart((channel,), "t").to_dict()
    assert spec["encoding"]["y"]["sort"] == "-x"
    assert spec["mark"]["color"] == PALETTE[0]


def test_funnel_chart_compares_in_grey_on_a_log_scale_from_one():
    now = Funnel("t", (FunnelDay("2026-11-20", 1000, 100, 5),))
    before = Funnel("t", (FunnelDay("2026-11-19", 800, 90, 6),))
    spec = marketing_charts.funnel_chart(now, before, "Daily", "Nov 19").to_dict()
    assert spec["encoding"]["x"]["scale"] == {"type": "log", "domainMin": 1}
    assert spec["encoding"]["x2"] == {"datum": 1}
    assert spec["encoding"]["color"]["scale"]["range"] == [PALETTE[0], COMPARISON_GREY]
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 6


def test_share_trend_labels_days_in_order():
    spec = marketing_charts.share_trend_chart(
        (("2026-11-21", "live", 40.0), ("2026-11-20", "live", 50.0)), "t").to_dict()
    assert spec["encoding"]["x"]["sort"] == ["Nov 20", "Nov 21"]
