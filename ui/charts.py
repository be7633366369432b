"""Charts: pure functions from core results to ``alt.Chart`` (tested via ``to_dict()``),
and ``draw``, which every page uses to show one.

One palette for the whole app (Okabe-Ito, readable with the common colour-vision
deficiencies); the comparison series is always grey and dashed.
"""

from __future__ import annotations

import functools

import altair as alt
import pandas as pd
import streamlit as st

from campaign_core.formatting import value_text
from campaign_core.markets import number_style
from campaign_core.metrics.catalog import CATALOG, Format
from campaign_core.metrics.trend import TrendBucket
from campaign_core.windows import Window

# Altair checks every part of a chart against the Vega-Lite schema as it is made ("debug
# mode") and the whole spec again when it is turned into a dict: together more time than
# building and sending the chart (tens of ms a chart, on every run, and the Today view
# re-runs for every viewer every few seconds). The charts are made by code the tests run,
# and the tests' ``to_dict()`` still checks the whole spec.
alt.utils.schemapi.disable_debug_mode()


def draw(chart: alt.TopLevelMixin, where=None, **options) -> None:
    """``st.altair_chart(chart, **options)`` in ``where`` (a column or container; default
    the page), without the schema check of the whole spec (see above)."""
    # Streamlit calls ``chart.to_dict()``; this chart's answers with validate=False.
    object.__setattr__(chart, "to_dict",
                       functools.partial(type(chart).to_dict, chart, validate=False))
    (where or st).altair_chart(chart, **options)


PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
PRIMARY = PALETTE[0]
COMPARISON_GREY = "#8C8C8C"


def with_texts(frame: pd.DataFrame, kinds: dict[str, str], currency: str) -> pd.DataFrame:
    """``frame`` with a ``"<column> text"`` column beside each of ``kinds``' columns: its
    values written by the product's formatter in the shop's currency and number marks
    (``1.234,56 €``, ``Rp150.000``), for tooltips. Vega's own number formats know only
    English marks and no currency symbol."""
    shown = frame.copy()
    for column, kind in kinds.items():
        shown[f"{column} text"] = [value_text(kind, value, currency)
                                   for value in frame[column]]
    return shown


def with_marks(chart: alt.Chart, currency: str) -> alt.Chart:
    """``chart`` whose axis numbers use the number marks of the shop's market (a Vega
    number locale), when they are not English ones (``1.234,5`` in Germany)."""
    style = number_style(currency)
    if (style.decimal_mark, style.thousands_mark) == (".", ","):
        return chart
    return chart.configure(locale={"number": {
        "decimal": style.decimal_mark, "thousands": style.thousands_mark,
        "grouping": [3], "currency": ["", ""]}})


def trend_frame(buckets: list[TrendBucket], metric: str, window: Window,
                compared_with: str, currency: str = "USD") -> pd.DataFrame:
    """Long format: one row per bucket and series (the view, the comparison), each value
    also as the formatter writes it (``value text``, for the tooltip)."""
    hourly = window.first_day == window.last_day
    rows = []
    for bucket in buckets:
        label = (f"{bucket.start:%H}:00" if hourly
                 else f"Day {bucket.index + 1}" if window.view.value == "period"
                 else f"{bucket.start:%b %d}")
        rows.append({"bucket": label, "order": bucket.index, "series": window.view.label,
                     "value": _number(bucket.values.get(metric)),
                     "when": f"{bucket.start:%b %d %H:%M}" if hourly else f"{bucket.start:%b %d}"})
        if bucket.comparison_start is not None:
            start = bucket.comparison_start
            rows.append({"bucket": label, "order": bucket.index,
                         "series": f"vs {compared_with}",
                         "value": _number(bucket.comparison.get(metric)),
                         "when": f"{start:%b %d %H:%M}" if hourly else f"{start:%b %d}"})
    frame = pd.DataFrame(rows, columns=["bucket", "order", "series", "value", "when"])
    return with_texts(frame, {"value": CATALOG[metric].format}, currency)


def _number(value) -> float | None:
    return None if value is None else float(value)


def trend_chart(buckets: list[TrendBucket], metric: str, window: Window, compared_with: str,
                currency: str) -> alt.Chart:
    """The metric per hour or day, with the comparison dashed grey; hover shows both."""
    entry = CATALOG[metric]
    frame = trend_frame(buckets, metric, window, compared_with, currency)
    unit = "hour" if window.first_day == window.last_day else "day"
    axis_title = f"{entry.label} ({currency})" if entry.format is Format.MONEY else entry.label
    series = [window.view.label, f"vs {compared_with}"]
    x = alt.X("bucket:N", sort=alt.SortField("order"), title=None,
              axis=alt.Axis(labelAngle=0, labelOverlap=True))
    base = alt.Chart(frame, title=f"{entry.label} by {unit}, {window.describe()} "
                                  f"vs {compared_with}")
    lines = base.mark_line(point=True).encode(
        x=x,
        y=alt.Y("value:Q", title=axis_title),
        color=alt.Color("series:N", scale=alt.Scale(domain=series,
                                                    range=[PRIMARY, COMPARISON_GREY]),
                        legend=alt.Legend(title=None, orient="top")),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=series,
                                                              range=[[1, 0], [5, 4]]),
                                  legend=None),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("when:N", title="When"),
                 alt.Tooltip("value text:N", title=entry.label)],
    )
    return with_marks(lines.properties(height=300), currency)



def sub_campaign_bars(table: pd.DataFrame, currency: str) -> alt.Chart:
    """GMV per sub-campaign, largest first, orders in the tooltip."""
    table = with_texts(table, {"orders": "count", "GMV": "money"}, currency)
    return with_marks(alt.Chart(table, title="GMV by sub-campaign")
            .mark_bar(color=PALETTE[1])
            .encode(y=alt.Y("sub-campaign:N", sort="-x", title=None),
                    x=alt.X("GMV:Q", title=f"GMV ({currency})"),
                    tooltip=[alt.Tooltip("sub-campaign:N"), alt.Tooltip("type:N"),
                             alt.Tooltip("runs:N"),
                             alt.Tooltip("orders text:N", title="orders"),
                             alt.Tooltip("GMV text:N", title="GMV")])
            .properties(height=alt.Step(28)), currency)


def content_mix_chart(frame: pd.DataFrame, currency: str) -> alt.Chart:
    """GMV by content type, stacked by account (own / affiliate); the GMV whose content is
    not known is one grey bar, its account split in the tooltip only."""
    unknown = "Content not known"
    frame = frame.assign(**{
        "content type": frame["content type"].replace({"Unattributed": unknown}),
        "account": frame["account"].replace({"Unattributed": "not known"})})
    frame["colour"] = frame["account"].where(frame["content type"] != unknown, unknown)
    colours = ["Own", "Affiliate", unknown]
    frame = with_texts(frame, {"GMV": "money", "orders": "count"}, currency)
    return with_marks(alt.Chart(frame, title="GMV by content type and account")
            .mark_bar()
            .encode(y=alt.Y("content type:N", title=None,
                            sort=["LIVE", "Video", "Product card", unknown]),
                    x=alt.X("GMV:Q", title=f"GMV ({currency})", stack="zero"),
                    color=alt.Color("colour:N", title=None, scale=alt.Scale(
                        domain=colours, range=[PALETTE[0], PALETTE[1], COMPARISON_GREY]),
                        legend=alt.Legend(title=None, orient="top")),
                    tooltip=[alt.Tooltip("content type:N"), alt.Tooltip("account:N"),
                             alt.Tooltip("GMV text:N", title="GMV"),
                             alt.Tooltip("orders text:N", title="orders")])
            .properties(height=alt.Step(36)), currency)
