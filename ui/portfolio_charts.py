"""Charts of figures across shops: GMV per shop and day in the reporting currency, each
bar's hover naming the rate that converted it (``campaign_core.fx``)."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from campaign_core.formatting import MISSING, money
from ui.charts import PALETTE

COLUMNS = ["day", "label", "shop", "value", "gmv_local", "gmv_converted", "rate"]


def gmv_by_shop_frame(rows: list[tuple[str, str, list[tuple[date, int, int | None, str]]]],
                      currency: str) -> pd.DataFrame:
    """Long format from ``(shop, shop currency, [(day, GMV cents, converted cents or None,
    rate text)])``: one row per shop and day; days that could not be converted have no
    value (no bar), their hover says why."""
    records = []
    for shop, shop_currency, days in rows:
        for day, local_cents, converted_cents, rate in days:
            records.append({
                "day": day.isoformat(), "label": f"{day:%b} {day.day}", "shop": shop,
                "value": None if converted_cents is None else converted_cents / 100,
                "gmv_local": money(local_cents / 100, shop_currency),
                "gmv_converted": (MISSING if converted_cents is None
                                  else money(converted_cents / 100, currency)),
                "rate": rate})
    return pd.DataFrame(records, columns=COLUMNS)


def gmv_by_shop_chart(frame: pd.DataFrame, currency: str, title: str) -> alt.Chart:
    """Bars of GMV per day, stacked by shop, in ``currency``; hover: day, shop, GMV in the
    shop's currency and converted, and the rate used."""
    return alt.Chart(frame, title=title).mark_bar().encode(
        x=alt.X("label:N", title=None, sort=alt.SortField("day"),
                axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("sum(value):Q", title=f"GMV ({currency})",
                # Whole units on the axis (the exact amounts are in the tooltip).
                axis=alt.Axis(format=",.0f")),
        color=alt.Color("shop:N", title="Shop", scale=alt.Scale(range=PALETTE),
                        legend=alt.Legend(orient="bottom", labelLimit=320)),
        tooltip=[alt.Tooltip("day:N", title="Shop-local day"), alt.Tooltip("shop:N"),
                 alt.Tooltip("gmv_local:N", title="GMV (shop currency)"),
                 alt.Tooltip("gmv_converted:N", title=f"GMV ({currency})"),
                 alt.Tooltip("rate:N", title="Rate used")],
    ).properties(height=280)
