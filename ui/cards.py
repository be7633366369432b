"""KPI cards: value, delta against the comparison, definition as help text."""

from __future__ import annotations

import streamlit as st

from campaign_core.metrics.catalog import CATALOG, CORE_METRICS
from campaign_core.metrics.core import CoreKpis
from ui.formatting import difference_pct, plain, signed_percent, value_text

CARDS_PER_ROW = 5


def kpi_cards(kpis: CoreKpis, previous: CoreKpis, compared_with: str, currency: str) -> None:
    """One card per core metric, in catalog order, ``CARDS_PER_ROW`` to a row (two on a
    phone: ui/style.py)."""
    values, before = kpis.as_dict(), previous.as_dict()
    names = list(CORE_METRICS)
    with st.container(key="cards_kpis"):
        _card_rows(names, values, before, plain(compared_with), currency)


def _card_rows(names: list[str], values: dict, before: dict, against: str,
               currency: str) -> None:
    for row_start in range(0, len(names), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, name in zip(columns, names[row_start:row_start + CARDS_PER_ROW],
                                strict=False):
            metric = CATALOG[name]
            change = difference_pct(values[name], before[name])
            with column:
                st.metric(
                    metric.label,
                    value_text(metric, values[name], currency, compact=True),
                    delta=signed_percent(change, currency) if change is not None else "n/a",
                    delta_arrow="auto" if change is not None else "off",
                    delta_color="normal" if metric.higher_is_better else "inverse",
                    delta_description=f"vs {against}",
                    help=f"{metric.definition}\n\nExact: "
                         f"{value_text(metric, values[name], currency)}; {against}: "
                         f"{value_text(metric, before[name], currency)}.",
                    border=True,
                )
