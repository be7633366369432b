"""Charts: pure functions from core results to ``alt.Chart`` (tested via ``to_dict()``)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from campaign_core.metrics.trend import TrendPoint
from campaign_core.windows import Window

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
PRIMARY = PALETTE[0]


def trend_frame(points: list[TrendPoint]) -> pd.DataFrame:
    return pd.DataFrame({
        "start": [p.bucket_start.replace(tzinfo=None) for p in points],
        "gmv": [float(p.gmv) for p in points],
        "orders": [p.orders for p in points],
    })


def gmv_trend_chart(points: list[TrendPoint], window: Window, currency: str) -> alt.Chart:
    """GMV bars per hour (one-day windows) or per day, with orders in the tooltip."""
    hourly = window.first_day == window.last_day
    frame = trend_frame(points)
    unit = "hour" if hourly else "day"
    axis_format = "%H:%M" if hourly else "%b %d"
    title = f"GMV by {unit}, {window.describe()} ({window.timezone})"
    return (
        alt.Chart(frame, title=title)
        .mark_bar(color=PRIMARY)
        .encode(
            x=alt.X("start:T", title=None, timeUnit="yearmonthdatehours" if hourly else
                    "yearmonthdate", axis=alt.Axis(format=axis_format, labelAngle=0)),
            y=alt.Y("gmv:Q", title=f"GMV ({currency})"),
            tooltip=[alt.Tooltip("start:T", title="From", format="%b %d %H:%M"),
                     alt.Tooltip("gmv:Q", title="GMV", format=",.2f"),
                     alt.Tooltip("orders:Q", title="Orders", format=",")],
        )
        .properties(height=280)
    )
