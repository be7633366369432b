"""Card deltas, chart tooltips and table cells of a shop outside the English-marks markets
are written by the one formatter in its market's marks (``1.234,56 €``, ``Rp150.000``,
``+12,5%``); a US shop's stay as they were."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pytest
from pandas.io.formats.style import Styler
from streamlit.testing.v1 import AppTest

from campaign_core.markets import ShopCurrency
from tests.conftest import PROJECT_ROOT
from tests.test_market_display import NOW, eur_store, idr_store  # noqa: F401 - fixtures
from ui.charts import content_mix_chart, sub_campaign_bars
from ui.formatting import delta_text, signed_percent
from ui.marketing_charts import channel_share_chart
from ui.tables import readable

GERMANY = ShopCurrency("EUR", "DE")


def _texts(chart, title: str) -> list[str]:
    spec = chart.to_dict()
    field = next(t["field"] for t in spec["encoding"]["tooltip"]
                 if t.get("title", t["field"]) == title)
    [rows] = spec["datasets"].values()
    return [row[field] for row in rows]


def test_a_change_is_written_in_the_markets_marks():
    assert signed_percent(12.5, GERMANY) == "+12,5%"
    assert signed_percent(-3.0, "IDR") == "-3,0%"
    assert signed_percent(12.5, "USD") == "+12.5%"
    assert delta_text(112.5, 100, "Nov 20", GERMANY) == "+12,5% vs Nov 20"


def _sub_campaigns() -> pd.DataFrame:
    return pd.DataFrame([{"sub-campaign": "Flash", "type": "flash", "runs": "Nov 20",
                          "orders": 1234, "GMV": 1234.56}])


def test_chart_tooltips_show_the_formatters_text():
    german = sub_campaign_bars(_sub_campaigns(), GERMANY)
    assert _texts(german, "GMV") == ["1.234,56\u00a0€"]
    assert _texts(german, "orders") == ["1.234"]
    us = sub_campaign_bars(_sub_campaigns(), "USD")
    assert _texts(us, "GMV") == ["$1,234.56"] and _texts(us, "orders") == ["1,234"]
    mix = pd.DataFrame([{"content type": "LIVE", "account": "Own", "GMV": 150000.0,
                         "orders": 3}])
    assert _texts(content_mix_chart(mix, "IDR"), "GMV") == ["Rp150.000"]


def test_chart_axes_take_the_markets_marks_through_a_vega_locale():
    german = sub_campaign_bars(_sub_campaigns(), GERMANY).to_dict()
    assert german["config"]["locale"]["number"] == {
        "decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", ""]}
    assert "locale" not in sub_campaign_bars(_sub_campaigns(), "USD").to_dict().get(
        "config", {})


def test_traffic_tooltip_percentages_take_the_decimal_comma():
    from campaign_core.metrics.traffic import ChannelTraffic

    channel = ChannelTraffic("video", impressions=12500, impression_share_pct=42.5,
                             clicks=250, ctr=2.0, sku_orders=10, ctor=4.0)
    chart = channel_share_chart((channel,), "Share", "IDR")
    assert _texts(chart, "Share") == ["42,5%"]
    assert _texts(chart, "Impressions") == ["12.500"]


def test_tables_of_a_comma_market_show_its_marks_and_sort_as_numbers():
    frame = pd.DataFrame({"Product": ["Mug", "Tee"], "GMV": [1234.56, 99.5],
                          "Orders": [1200, 3]})
    shown, config = readable(frame, {"GMV": "money", "Orders": "count"}, GERMANY)
    assert isinstance(shown, Styler)
    # The values stay numbers (sorting is numeric); the cells show the formatter's text.
    assert shown.data["GMV"].dtype.kind == "f" and shown.data["Orders"].dtype.kind == "i"
    text = shown.to_string()
    assert "1.234,56\u00a0€" in text and "99,50\u00a0€" in text and "1.200" in text
    # A column format would override the cells' text.
    assert config["GMV"]["type_config"]["format"] is None
    idr, _ = readable(pd.DataFrame({"GMV": [150000.0]}), {"GMV": "money"}, "IDR")
    assert "Rp150.000" in idr.to_string()


def test_tables_of_a_us_shop_are_unchanged():
    frame = pd.DataFrame({"GMV": [1234.56], "Orders": [1200]})
    shown, config = readable(frame, {"GMV": "money", "Orders": "count"}, "USD")
    assert isinstance(shown, pd.DataFrame)
    assert config["GMV"]["type_config"]["format"] == "dollar"
    assert config["Orders"]["type_config"]["format"] == "localized"


def _run(db, monkeypatch, page: str | None = None) -> AppTest:
    import streamlit as st

    monkeypatch.setenv("CAMPAIGN_DB", db)
    monkeypatch.setenv("CAMPAIGN_NOW", NOW)
    st.cache_data.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params["view"] = "Campaign Period"
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def _cards(market: str | None) -> None:
    from decimal import Decimal

    from campaign_core.markets import ShopCurrency
    from campaign_core.metrics.core import CoreKpis
    from ui.cards import kpi_cards

    def kpis(scale: int) -> CoreKpis:
        return CoreKpis(gmv=Decimal(1000 * scale), orders=8 * scale, sku_orders=9 * scale,
                        units=10 * scale, buyers=7 * scale, aov=Decimal(125),
                        tiktok_contribution=Decimal(10 * scale), refunds=Decimal(5 * scale),
                        net_sales=Decimal(995 * scale))

    currency = ShopCurrency("EUR", market) if market else "USD"
    kpi_cards(kpis(9), kpis(8), "Nov 20", currency)


@pytest.mark.parametrize(("market", "delta"), [("DE", "+12,5%"), (None, "+12.5%")])
def test_card_deltas_use_the_markets_decimal_mark(market, delta):
    at = AppTest.from_function(_cards, args=(market,)).run()
    assert not at.exception
    assert at.metric[0].proto.delta == delta  # GMV 9.000 against 8.000


def test_a_page_table_of_an_idr_shop_shows_rupiah_in_its_cells(idr_store, monkeypatch):  # noqa: F811
    from datetime import date

    from campaign_core.store import write_transaction
    from campaign_core.store.creators import upsert_deal

    with write_transaction(idr_store) as conn:  # delivered 2 November: late since the 16th
        upsert_deal(conn, 1, "budi", "11.11", {"sample_delivered_day": date(2026, 11, 2)})
    at = _run(idr_store, monkeypatch, "pages/creators.py")
    shown = []
    for frame in at.dataframe:
        styler = frame.proto.arrow_data.styler
        if styler.display_values:
            table = pa.ipc.open_stream(styler.display_values).read_all().to_pandas()
            shown.extend(str(v) for v in table.to_numpy().ravel())
    assert any(re.fullmatch(r"Rp\d{1,3}(\.\d{3})*", text) for text in shown), shown[:20]
    assert not any(re.fullmatch(r"Rp?\d{1,3}(,\d{3})+(\.\d\d)?", text) for text in shown)


def test_marketing_suggestions_write_the_markets_marks():
    from campaign_core.markets import number_style
    from campaign_core.metrics.suggestions import roas_suggestions, supply_suggestions

    german = number_style(GERMANY)
    [below] = roas_suggestions(1.5, 2.25, german)
    assert below.text.startswith("ROAS 1,50 is below your benchmark 2,25")
    [fell] = supply_suggestions({"creator_videos": 1000}, {"creator_videos": 2500},
                                "Nov 20", german)
    assert "fell 60% vs Nov 20 (2.500 -> 1.000)" in fell.text
    [us] = roas_suggestions(1.5, 2.25)
    assert us.text.startswith("ROAS 1.50 is below your benchmark 2.25")


def test_report_charts_write_axis_numbers_in_the_shops_marks():
    """The stakeholder report's charts (drawn without a browser) take the market's number
    locale: dot thousands for an Indonesian shop, English marks for a US one."""
    from campaign_core.stakeholder.charts import section_chart, trend_chart

    products = [{"name": "Serum", "gmv": 1_250_000.0}, {"name": "Toner", "gmv": 300_000.0}]
    idr = section_chart("products", products, "IDR").spec["config"]["locale"]["number"]
    usd = section_chart("products", products, "USD").spec["config"]["locale"]["number"]
    assert (idr["decimal"], idr["thousands"]) == (",", ".")
    assert (usd["decimal"], usd["thousands"]) == (".", ",")
    report = {"currency": "IDR", "timezone": "Asia/Jakarta",
              "window": {"first_day": "2026-11-20", "last_day": "2026-11-21"},
              "trend": [{"bucket_start": "2026-11-20T00:00:00+07:00", "gmv": 150000.0,
                         "comparison_gmv": None}]}
    trend = trend_chart(report).spec["config"]["locale"]["number"]
    assert trend["thousands"] == "."
