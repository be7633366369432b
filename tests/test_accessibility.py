"""Accessibility basics: KPI deltas are readable without colour (a sign and an arrow, or
"n/a"), and every chart has a title and uses the colour-blind-safe palette."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
from streamlit.testing.v1 import AppTest

from campaign_core.metrics.catalog import CORE_METRICS
from ui.charts import COMPARISON_GREY, PALETTE

SAFE_COLOURS = {colour.lower() for colour in PALETTE + [COMPARISON_GREY]}


def _cards_app() -> None:
    from decimal import Decimal

    from campaign_core.metrics.core import CoreKpis
    from ui.cards import kpi_cards

    now = CoreKpis(Decimal("1200.00"), 30, 40, 50, 25, Decimal("40.00"), Decimal("10.00"),
                   Decimal("50.00"), Decimal("1150.00"))
    before = CoreKpis(Decimal("1000.00"), 30, 0, 60, 20, Decimal("33.33"), Decimal("12.00"),
                      Decimal("40.00"), Decimal("960.00"))
    kpi_cards(now, before, "Nov 25", "USD")


def test_kpi_deltas_carry_a_sign_and_an_arrow_not_only_a_colour():
    at = AppTest.from_function(_cards_app).run()
    assert not at.exception
    assert len(at.metric) == len(CORE_METRICS)
    deltas = {metric.label: metric for metric in at.metric}
    for label, metric in deltas.items():
        text = metric.proto.delta
        # A change reads as a signed number (+20.0% / -16.7%), a missing one as words.
        assert re.fullmatch(r"[+-]\d[\d,]*\.\d%", text) or text == "n/a", (label, text)
        direction = type(metric.proto).MetricDirection.Name(metric.proto.direction)
        if text != "n/a":
            # The arrow points the way of the sign, whatever the colour says.
            assert direction == ("UP" if text.startswith("+") else "DOWN"), (label, direction)
        else:
            assert direction == "NONE"
        # The comparison is named in words beside the delta.
        assert "Nov 25" in metric.proto.delta_description
    assert deltas["GMV"].proto.delta == "+20.0%"
    assert deltas["Units sold"].proto.delta == "-16.7%"
    assert deltas["SKU orders"].proto.delta == "n/a"  # nothing to compare with


def _colours(spec: object) -> set[str]:
    found: set[str] = set()
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("color", "fill", "stroke", "range") and isinstance(value, str):
                found.add(value.lower())
            elif key == "range" and isinstance(value, list):
                found.update(v.lower() for v in value if isinstance(v, str)
                             and v.startswith("#"))
            else:
                found |= _colours(value)
    elif isinstance(spec, list):
        for item in spec:
            found |= _colours(item)
    return {colour for colour in found if colour.startswith("#")}


def test_app_charts_have_titles_and_the_safe_palette():
    from ui import charts

    sub_campaigns = charts.sub_campaign_bars(pd.DataFrame(
        [{"sub-campaign": "Flash", "type": "flash sale", "runs": "Nov 20", "orders": 3,
          "GMV": 120.0}]), "USD")
    mix = charts.content_mix_chart(pd.DataFrame(
        [{"content type": "LIVE", "account": "Own", "GMV": Decimal("10"), "orders": 1}]),
        "USD")
    for chart in (sub_campaigns, mix):
        spec = chart.to_dict()
        title = spec.get("title")
        assert title and (title if isinstance(title, str) else title.get("text"))
        assert _colours(spec) <= SAFE_COLOURS, _colours(spec) - SAFE_COLOURS
