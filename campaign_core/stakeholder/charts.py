"""The stakeholder report's charts: Vega-Lite specs (via altair) drawn to SVG or PNG by
vl-convert, without a browser.

The palette is the app's (Okabe-Ito, readable with the common colour-vision
deficiencies; ``ui/charts.py``); the comparison series is grey and dashed, as in the app.
Every chart has a title saying what and when.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import altair as alt
import pandas as pd

from campaign_core.markets import number_style, shop_currency

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
COMPARISON_GREY = "#8C8C8C"
WIDTH = 640
TOP_BARS = 10
FONT = "Helvetica, Arial, sans-serif"


@dataclass(frozen=True)
class Chart:
    title: str
    spec: dict  # Vega-Lite


def trend_chart(report: dict) -> Chart | None:
    """GMV per hour (one-day views) or per day, with the comparison (the days the
    report compares with) dashed grey; None when the report has no trend."""
    buckets = report.get("trend") or []
    if not buckets:
        return None
    window = report["window"]
    hourly = window["first_day"] == window["last_day"]
    compared = _comparison_label(buckets, hourly)
    series = ["This view", compared]
    rows = []
    for index, bucket in enumerate(buckets):
        start = datetime.fromisoformat(bucket["bucket_start"])
        when = f"{start:%H}:00" if hourly else f"{start:%b %d}"
        rows.append({"when": when, "order": index, "series": series[0],
                     "gmv": bucket["gmv"]})
        if bucket.get("comparison_gmv") is not None:
            rows.append({"when": when, "order": index, "series": compared,
                         "gmv": bucket["comparison_gmv"]})
    unit = "hour" if hourly else "day"
    title = f"GMV by {unit} ({report['currency']}), this view and {compared} (dashed)"
    chart = (alt.Chart(pd.DataFrame(rows), title=title).mark_line(point=True).encode(
        x=alt.X("when:N", sort=alt.SortField("order"), title=None,
                axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("gmv:Q", title=f"GMV ({report['currency']})"),
        color=alt.Color("series:N", scale=alt.Scale(domain=series,
                                                    range=[PALETTE[0], COMPARISON_GREY]),
                        legend=alt.Legend(title=None, orient="top")),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=series,
                                                              range=[[1, 0], [5, 4]]),
                                  legend=None))
        .properties(width=WIDTH, height=220))
    return Chart(title, _spec(chart, shop_currency(report["currency"], report.get("timezone"))))


def _comparison_label(buckets: list[dict], hourly: bool) -> str:
    starts = [datetime.fromisoformat(b["comparison_start"]) for b in buckets
              if b.get("comparison_start")]
    if not starts:
        return "comparison"
    if hourly or starts[0].date() == starts[-1].date():
        return f"{starts[0]:%b %d}"
    return f"{starts[0]:%b %d} – {starts[-1]:%b %d}"


def section_chart(key: str, value: object, currency: str) -> Chart | None:
    """A bar chart of GMV by row for a section of records that have a name and a GMV
    (products, sub-campaigns, and later sections of the same shape); else None."""
    if not (isinstance(value, list) and value and all(isinstance(r, dict) for r in value)):
        return None
    name_key = next((k for k in ("name", "title", "creator", "account", "channel")
                     if k in value[0]), None)
    if name_key is None or "gmv" not in value[0]:
        return None
    rows = [{"name": str(r.get(name_key) or "")[:48], "gmv": r["gmv"]} for r in value
            if isinstance(r.get("gmv"), int | float) and r["gmv"] > 0]
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: -r["gmv"])[:TOP_BARS]
    what = key.replace("_", "-") if key != "sub_campaigns" else "sub-campaign"
    title = f"GMV by {what.rstrip('s')} ({currency}), top {len(rows)}"
    chart = (alt.Chart(pd.DataFrame(rows), title=title).mark_bar(color=PALETTE[1]).encode(
        y=alt.Y("name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("gmv:Q", title=f"GMV ({currency})"))
        .properties(width=WIDTH - 260, height=alt.Step(20)))
    return Chart(title, _spec(chart, currency))


def _spec(chart: alt.Chart, currency: str) -> dict:
    # Axis numbers in the shop market's marks (1.234,5 in Germany): a Vega number locale.
    style = number_style(currency)
    locale = {"number": {"decimal": style.decimal_mark, "thousands": style.thousands_mark,
                         "grouping": [3], "currency": ["", ""]}}
    spec = chart.configure(font=FONT, locale=locale).configure_view(stroke=None).to_dict()
    spec.pop("$schema", None)
    return spec


def to_svg(spec: dict) -> str:
    """The chart as an SVG document (text kept as text)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


def to_png(spec: dict, scale: float = 2.0) -> bytes:
    """``spec`` drawn as a PNG (the PDF may be laid out more than once: the same chart is
    drawn once)."""
    return _png(json.dumps(spec, sort_keys=True, default=str), scale)


@lru_cache(maxsize=32)
def _png(spec: str, scale: float) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(json.loads(spec), scale=scale)
