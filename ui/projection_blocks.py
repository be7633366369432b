"""The projection band on the Overview: the pacing chart with its shaded band, and the text."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import altair as alt
import pandas as pd
import streamlit as st

from campaign_core.forecast.band import BAND_DEFINITION, ProjectionBand, band_text
from campaign_core.forecast.pacing import Pacing
from campaign_core.formatting import d3_format
from ui import charts, data
from ui.charts import COMPARISON_GREY, PALETTE, PRIMARY
from ui.formatting import money, plain
from ui.header import ViewContext

BAND_COLOUR = PALETTE[4]
TARGET_COLOUR = PALETTE[5]


def pacing_frames(days: list[tuple[date, float]], band: ProjectionBand | None,
                  campaign_days: int, now_x: float,
                  target: float | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The chart's data: cumulative GMV by campaign day (x = days done, 1.0 = the end of
    day 1), and the band from now (zero width) to the campaign's end."""
    actual, total = [{"x": 0.0, "gmv": 0.0, "series": "GMV so far"}], 0.0
    for index, (_, cents) in enumerate(days):
        total += cents / 100
        actual.append({"x": min(float(index + 1), now_x), "gmv": total, "series": "GMV so far"})
    frame = pd.DataFrame(actual)
    band_rows = []
    if band is not None:
        high = None if band.high is None else float(band.high)
        centre = None if band.centre is None else float(band.centre)
        band_rows = [{"x": now_x, "low": total, "high": total, "centre": total},
                     {"x": float(campaign_days), "low": float(band.low),
                      "high": high if high is not None else float(band.low),
                      "centre": centre}]
    band_frame = pd.DataFrame(band_rows, columns=["x", "low", "high", "centre"])
    if target is not None:
        band_frame.attrs["target"] = target
    return frame, band_frame


def pacing_chart(frame: pd.DataFrame, band_frame: pd.DataFrame, campaign_days: int,
                 currency: str, target: float | None, level_pct: int) -> alt.Chart:
    """Cumulative GMV so far (line), the band to the end (shaded), its centre (dashed),
    and the target (a rule)."""
    value_format = d3_format("money", currency)
    x = alt.X("x:Q", title="Campaign day", scale=alt.Scale(domain=[0, campaign_days]),
              axis=alt.Axis(tickMinStep=1, format="d"))
    y_title = f"GMV ({currency}), cumulative"
    layers = [alt.Chart(band_frame).mark_area(opacity=0.3, color=BAND_COLOUR).encode(
        x=x, y=alt.Y("low:Q", title=y_title), y2="high:Q",
        tooltip=[alt.Tooltip("low:Q", title="Low", format=value_format),
                 alt.Tooltip("high:Q", title="High", format=value_format)])]
    if band_frame["centre"].notna().all() and len(band_frame):
        layers.append(alt.Chart(band_frame).mark_line(color=COMPARISON_GREY,
                                                      strokeDash=[5, 4]).encode(
            x=x, y=alt.Y("centre:Q", title=y_title)))
    layers.append(alt.Chart(frame).mark_line(point=True, color=PRIMARY).encode(
        x=x, y=alt.Y("gmv:Q", title=y_title, axis=alt.Axis(format=",.0f")),
        tooltip=[alt.Tooltip("x:Q", title="Campaign day", format=".1f"),
                 alt.Tooltip("gmv:Q", title="GMV so far", format=value_format)]))
    if target is not None:
        layers.append(alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(
            color=TARGET_COLOUR, strokeDash=[2, 2]).encode(
            y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target",
                                               format=value_format)]))
    return alt.layer(*layers).properties(
        height=260, title=f"GMV so far and its {level_pct}% projection band")


def show_band(context: ViewContext, pacing: Pacing) -> None:
    """The pacing chart with the band, and the band in words under it."""
    campaign = context.campaign
    band, days = data.projection_band(context.db_path, context.version, campaign,
                                      context.now_minute)
    if not days:
        return
    start = datetime.combine(campaign.start_day, datetime.min.time(),
                             ZoneInfo(campaign.timezone))
    elapsed = (context.now.astimezone(ZoneInfo(campaign.timezone)) - start).total_seconds()
    now_x = max(0.0, min(float(campaign.length_days), elapsed / 86400))
    target = None if pacing.gmv_target is None else float(pacing.gmv_target)
    frame, band_frame = pacing_frames(days, band, campaign.length_days, now_x, target)
    level = band.level_pct if band else 80
    with st.container(border=True, key="projection_band"):
        charts.draw(pacing_chart(frame, band_frame, campaign.length_days,
                                     campaign.currency, target, level), width="stretch")
        if band is not None:
            exact = (f"Exact: low {money(band.low, campaign.currency)}"
                     + ("" if band.high is None else
                        f"; high {money(band.high, campaign.currency)}") + ".")
            st.caption(f"{plain(band_text(band, campaign.currency))}: the range the shop's "
                       "own day-to-day and hour-of-day variation makes likely.",
                       help=f"{BAND_DEFINITION}\n\n{plain(exact)}")
