"""Charts of the Marketing, Traffic and Funnel pages: pure functions returning ``alt.Chart``
(tested through ``to_dict()``), in the app's Okabe-Ito palette."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from campaign_core.formatting import value_text
from campaign_core.metrics.funnel import Funnel
from campaign_core.metrics.marketing import AdHour
from campaign_core.metrics.traffic import ChannelTraffic
from ui.charts import COMPARISON_GREY, PALETTE, with_marks, with_texts

FUNNEL_STEPS = ("Avg. unique reach", "Avg. unique clicks", "Avg. daily customers")


def ad_hours_chart(hours: list[AdHour], currency: str, title: str) -> alt.Chart:
    """Ad spend and ad revenue per hour, two lines; hover shows both values."""
    frame = pd.DataFrame(
        [{"hour": f"{h.hour:02d}:00", "order": h.hour, "series": series, "value": float(v)}
         for h in hours for series, v in (("Ad spend", h.spend), ("Ad revenue", h.revenue))],
        columns=["hour", "order", "series", "value"])
    frame = with_texts(frame, {"value": "money"}, currency)
    return with_marks(alt.Chart(frame, title=title)
            .mark_line(point=True)
            .encode(x=alt.X("hour:N", sort=alt.SortField("order"), title=None,
                            axis=alt.Axis(labelAngle=0, labelOverlap=True)),
                    y=alt.Y("value:Q", title=f"Amount ({currency})"),
                    color=alt.Color("series:N", scale=alt.Scale(
                        domain=["Ad spend", "Ad revenue"], range=[PALETTE[5], PALETTE[0]]),
                        legend=alt.Legend(title=None, orient="top")),
                    tooltip=[alt.Tooltip("hour:N", title="Hour"),
                             alt.Tooltip("series:N", title="Series"),
                             alt.Tooltip("value text:N", title="Amount")])
            .properties(height=300), currency)


def channel_frame(channels: tuple[ChannelTraffic, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"channel": c.label, "share": c.impression_share_pct, "impressions": c.impressions,
          "clicks": c.clicks, "ctr": c.ctr, "sku_orders": c.sku_orders, "ctor": c.ctor}
         for c in channels],
        columns=["channel", "share", "impressions", "clicks", "ctr", "sku_orders", "ctor"])


def channel_share_chart(channels: tuple[ChannelTraffic, ...], title: str,
                        currency: str = "USD") -> alt.Chart:
    """Impression share per channel as horizontal bars, largest first; the tooltip in the
    number marks of the shop whose ``currency`` it is."""
    frame = with_texts(channel_frame(channels), {
        "share": "percent", "impressions": "count", "ctr": "percent", "ctor": "percent"},
        currency)
    return with_marks(alt.Chart(frame, title=title)
            .mark_bar(color=PALETTE[0])
            .encode(y=alt.Y("channel:N", sort="-x", title=None),
                    x=alt.X("share:Q", title="Impression share (%)"),
                    tooltip=[alt.Tooltip("channel:N", title="Channel"),
                             alt.Tooltip("share text:N", title="Share"),
                             alt.Tooltip("impressions text:N", title="Impressions"),
                             alt.Tooltip("ctr text:N", title="CTR"),
                             alt.Tooltip("ctor text:N", title="CTOR")])
            .properties(height=alt.Step(30)), currency)


def share_trend_chart(daily_shares: tuple[tuple[str, str, float], ...],
                      title: str, currency: str = "USD") -> alt.Chart:
    """Impression share of each channel per day, stacked to 100%."""
    # Days as ordinal labels: a temporal axis would place them at UTC midnight.
    frame = pd.DataFrame([{"day": day, "label": _day_label(day), "channel": channel,
                           "share": share}
                          for day, channel, share in daily_shares],
                         columns=["day", "label", "channel", "share"])
    days = sorted(set(frame["day"]))
    frame = with_texts(frame, {"share": "percent"}, currency)
    return with_marks(alt.Chart(frame, title=title)
            .mark_area()
            .encode(x=alt.X("label:O", sort=[_day_label(day) for day in days], title=None,
                            axis=alt.Axis(labelAngle=0, labelOverlap=True)),
                    y=alt.Y("share:Q", title="Impression share (%)", stack="zero"),
                    color=alt.Color("channel:N", scale=alt.Scale(range=PALETTE),
                                    legend=alt.Legend(title=None, orient="top")),
                    tooltip=[alt.Tooltip("label:N", title="Day"),
                             alt.Tooltip("channel:N", title="Channel"),
                             alt.Tooltip("share text:N", title="Share")])
            .properties(height=280), currency)


def _day_label(day: str) -> str:
    return f"{date.fromisoformat(day):%b %d}".replace(" 0", " ")


def funnel_frame(funnel: Funnel, label: str, currency: str = "USD") -> pd.DataFrame:
    values = (funnel.avg_unique_reach, funnel.avg_unique_clicks, funnel.avg_daily_customers)
    rates = (None, funnel.click_rate, funnel.order_rate)
    return pd.DataFrame([{"step": step, "order": index, "value": value, "period": label,
                          "rate": "" if rate is None else
                          f"{value_text('percent', rate, currency)} of the step before"}
                         for index, (step, value, rate) in enumerate(
                             zip(FUNNEL_STEPS, values, rates, strict=True))],
                        columns=["step", "order", "value", "period", "rate"])


def funnel_chart(funnel: Funnel, comparison: Funnel, label: str,
                 compared_with: str, currency: str = "USD") -> alt.Chart:
    """Reach -> clicks -> customers as horizontal bars (log scale: the steps differ by
    orders of magnitude), the comparison period beside each step in grey."""
    frame = pd.concat([funnel_frame(funnel, label, currency),
                       funnel_frame(comparison, f"vs {compared_with}", currency)],
                      ignore_index=True)
    frame = with_texts(frame[frame["value"].notna() & (frame["value"] > 0)],
                       {"value": "count"}, currency)
    periods = [label, f"vs {compared_with}"]
    # Bars on a log scale cannot start at 0: they start at 1 shopper.
    return with_marks(alt.Chart(frame, title=f"Shopper funnel, {label} vs {compared_with}")
            .mark_bar()
            .encode(y=alt.Y("step:N", sort=list(FUNNEL_STEPS), title=None,
                            axis=alt.Axis(labelLimit=200)),
                    yOffset=alt.YOffset("period:N", sort=periods),
                    x=alt.X("value:Q", title="Daily average (log scale)",
                            scale=alt.Scale(type="log", domainMin=1)),
                    x2=alt.datum(1),
                    color=alt.Color("period:N", scale=alt.Scale(
                        domain=periods, range=[PALETTE[0], COMPARISON_GREY]),
                        legend=alt.Legend(title=None, orient="top")),
                    tooltip=[alt.Tooltip("period:N", title="Period"),
                             alt.Tooltip("step:N", title="Step"),
                             alt.Tooltip("value text:N", title="Daily average"),
                             alt.Tooltip("rate:N", title="Step rate")])
            .properties(height=alt.Step(26)), currency)
