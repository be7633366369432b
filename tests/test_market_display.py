"""Figures of a shop outside the US shown in its currency and its market's number style.

An IDR shop reads ``Rp879.700`` (dot thousands, no decimals) on the report, the digest, an
alert and the stakeholder report; a German EUR shop reads ``1.057,25 €``; never ``$`` or
``879,700.00``. Stores are built from the market orders files of tests/market_files.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from campaign_core.alerts.checks import pacing_below
from campaign_core.cli import main
from campaign_core.digest import build_digest, digest_text
from campaign_core.report import build_report
from campaign_core.stakeholder import build_document
from campaign_core.stakeholder.html import render_html
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from tests.conftest import PROJECT_ROOT
from tests.market_files import ID_HEADERS, euro, market_rows, rupiah, write_market_csv
from tests.market_files import US_ORDER_HEADERS as HEADERS
from tests.test_market_orders import EU_ORDERS, ID_ORDERS

NOW = "2026-12-02T00:00:00Z"


def _store(tmp_path, orders, money, headers, timezone, target: str) -> str:
    db = tmp_path / "s.db"
    path = write_market_csv(tmp_path / "All order-2026-12-01-09_00.csv",
                            market_rows(orders, money), headers)
    assert main(["import", "--db", str(db), "--timezone", timezone, str(path)]) == 0
    assert main(["campaign", "--db", str(db), "--name", "11.11", "--start", "2026-11-01",
                 "--end", "2026-11-30", "--target-gmv", target]) == 0
    return str(db)


@pytest.fixture
def idr_store(tmp_path):
    return _store(tmp_path, ID_ORDERS, rupiah, ID_HEADERS, "Asia/Jakarta", "5000000")


@pytest.fixture
def eur_store(tmp_path):
    return _store(tmp_path, EU_ORDERS, euro, HEADERS, "Europe/Berlin", "5000")


def _report_text(db, capsys, fmt: str = "text") -> str:
    capsys.readouterr()
    assert main(["report", "--db", db, "--campaign", "11.11", "--view", "period",
                 "--now", NOW, "--format", fmt]) == 0
    return capsys.readouterr().out


def _campaign(conn):
    return list_campaigns(conn)[0]


def test_report_text_of_an_idr_shop_shows_rupiah(idr_store, capsys):
    text = _report_text(idr_store, capsys)
    assert "Rp879.700" in text  # GMV
    assert "Rp300.000" in text  # refunds
    assert "879,700" not in text and "$" not in text


def test_report_text_of_a_german_shop_shows_euros_the_german_way(eur_store, capsys):
    text = _report_text(eur_store, capsys)
    assert "1.057,25\u00a0€" in text
    assert "1,057.25" not in text


def test_digest_of_an_idr_shop_shows_rupiah(idr_store):
    with read_connection(idr_store) as conn:
        # Yesterday in Jakarta is 14 November: order A, 355.000.
        digest = build_digest(conn, _campaign(conn), datetime(2026, 11, 15, 1, tzinfo=UTC))
    text = digest_text(digest)
    assert "GMV Rp355.000" in text
    assert "$" not in text and "355,000" not in text


def test_digest_of_a_german_shop_shows_euros_the_german_way(eur_store):
    with read_connection(eur_store) as conn:
        digest = build_digest(conn, _campaign(conn), datetime(2026, 11, 17, 1, tzinfo=UTC))
    assert "GMV 1.022,25\u00a0€" in digest_text(digest)


@pytest.mark.parametrize(("fixture", "target", "projected_pattern"), [
    ("idr_store", "Rp5.000.000", "Rp"), ("eur_store", "5.000,00\u00a0€", "€")])
def test_an_alert_message_shows_the_shops_currency(request, fixture, target,
                                                   projected_pattern):
    db = request.getfixturevalue(fixture)
    with read_connection(db) as conn:
        [firing] = pacing_below(conn, _campaign(conn), datetime(2026, 11, 20, tzinfo=UTC), 10)
    assert f"the target {target}." in firing.message
    assert projected_pattern in firing.message and "$" not in firing.message
    assert "IDR " not in firing.message and "EUR " not in firing.message


def test_stakeholder_report_of_an_idr_shop_shows_rupiah(idr_store, capsys):
    with read_connection(idr_store) as conn:
        report = build_report(conn, _campaign(conn), "period",
                              datetime.fromisoformat(NOW))
    page = render_html(build_document(report))
    assert "Rp879.700" in page and "Rp300.000" in page
    assert "879,700" not in page and "$879" not in page
    # The report read back from the command line's JSON is shown alike.
    again = render_html(build_document(json.loads(_report_text(idr_store, capsys, "json"))))
    assert "Rp879.700" in again


def test_stakeholder_report_of_a_german_shop_shows_euros_the_german_way(eur_store, capsys):
    report = json.loads(_report_text(eur_store, capsys, "json"))
    page = render_html(build_document(report))
    assert "1.057,25\u00a0€" in page
    assert "1,057.25" not in page


def _overview_cards(db, monkeypatch) -> dict[str, str]:
    import streamlit as st

    monkeypatch.setenv("CAMPAIGN_DB", db)
    monkeypatch.setenv("CAMPAIGN_NOW", NOW)
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
        at.query_params["view"] = "Campaign Period"
        at.run()
        assert not at.exception
        return {metric.label: metric.value for metric in at.metric}
    finally:
        st.cache_data.clear()


def test_overview_of_an_idr_shop_shows_rupiah(idr_store, monkeypatch):
    cards = _overview_cards(idr_store, monkeypatch)
    assert cards["GMV"] == "Rp879,7K"  # Indonesian marks: decimal comma
    assert cards["Refunds"] == "Rp300,0K"
    assert "$" not in " ".join(cards.values())


def test_overview_of_a_german_shop_shows_euros_the_german_way(eur_store, monkeypatch):
    cards = _overview_cards(eur_store, monkeypatch)
    assert cards["GMV"] == "1,1K\u00a0€"
    assert cards["Refunds"] == "35,00\u00a0€"


# --- report --format json: money to the currency's minor unit in every section ----------

def _money_values(value, key: str = "") -> list[tuple[str, object]]:
    """Every (key, number) of ``value`` that the stakeholder report formats as money."""
    from campaign_core.metrics.catalog import Format
    from campaign_core.stakeholder.values import value_format

    if isinstance(value, dict):
        return [found for k, v in value.items() for found in _money_values(v, k)]
    if isinstance(value, list):
        return [found for item in value for found in _money_values(item, key)]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [(key, value)] if value_format(key) is Format.MONEY else []
    return []


def test_report_json_of_an_idr_shop_has_whole_rupiah_in_every_section(idr_store, capsys,
                                                                       tmp_path):
    from campaign_core.importers.pipeline import import_file
    from tests.marketing_files import GMV_MAX_CAMPAIGN_HEADER, campaign_report_name
    from tests.marketing_files import write_csv as write_rows

    ads = write_rows(tmp_path / campaign_report_name("2026-11-01", "2026-11-30", "csv"), [
        GMV_MAX_CAMPAIGN_HEADER,
        ["11.11 GMV Max", "1800000000000000001", "Rp 1.250.000", "Rp 1.200.000", "12",
         "Rp 104.167", "Rp 5.000.000", "4.00", "IDR"]])
    assert import_file(idr_store, ads).status == "imported"
    report = json.loads(_report_text(idr_store, capsys, "json"))
    sections = {key: report[key] for key in ("products", "marketing", "content", "creators",
                                              "benchmark")}
    found = _money_values(sections)
    assert ("gmv", 580_000) in found  # product 11, and the ad spend:
    assert ("ad_spend", 1_250_000) in found
    assert [(key, value) for key, value in found if not isinstance(value, int)] == []


def test_section_money_is_rounded_to_its_currencys_minor_unit():
    from campaign_core.report import round_section_money

    report = {"currency": "IDR",
              "products": [{"gmv": 280000.0, "ctr": 1.25, "units": 2}],
              "content": {"live": [{"gmv": 1234.5, "commission": 10.4, "gmv_share_pct": 2.22}],
                          "video": []},
              "creators": [{"gmv": 6673.5, "refunds": 173.13, "product_cost": 3155.47,
                            "commission": 1241.96, "fees": 100.0, "sample_cost": 22.91,
                            "ad_spend": 2730.78, "margin": -750.75, "margin_pct": -11.25}],
              "benchmark": {"aov": {"value": 175940.4, "benchmark": 38.5,
                                    "difference_pct": 6.8},
                            "orders": {"value": 5, "benchmark": 3204.4}},
              "marketing": {"ad_spend": 24775.44, "ad_revenue": 62357.13, "roas": 2.5169,
                            "ad_currency": "USD"}}
    rounded = round_section_money(report)
    assert rounded["products"] == [{"gmv": 280000, "ctr": 1.25, "units": 2}]
    assert rounded["content"]["live"] == [{"gmv": 1235, "commission": 10,
                                           "gmv_share_pct": 2.22}]
    assert rounded["creators"] == [{"gmv": 6674, "refunds": 173, "product_cost": 3155,
                                    "commission": 1242, "fees": 100, "sample_cost": 23,
                                    "ad_spend": 2731, "margin": -751, "margin_pct": -11.25}]
    assert rounded["benchmark"]["aov"] == {"value": 175940, "benchmark": 39,
                                           "difference_pct": 6.8}
    assert rounded["benchmark"]["orders"] == {"value": 5, "benchmark": 3204.4}
    # Ad figures are in the ad account's currency: dollars keep their cents.
    assert rounded["marketing"]["ad_spend"] == 24775.44
    assert all(type(row["gmv"]) is int for row in rounded["creators"] + rounded["products"])


# --- charts and editors of the pages: the shop's currency, not dollars ---------------------

def _tooltip_texts(chart, title: str) -> list[str]:
    """What the tooltip titled ``title`` shows for each data row of ``chart``."""
    spec = chart.to_dict()
    field = next(t["field"] for t in spec["encoding"]["tooltip"]
                 if t.get("title", t["field"]) == title)
    [rows] = spec["datasets"].values()
    return [row[field] for row in rows]


def test_ad_hours_and_waterfall_tooltips_show_the_shops_money():
    from decimal import Decimal

    from campaign_core.metrics.marketing import AdHour
    from campaign_core.profit.overview import WaterfallStep
    from ui.creator_blocks import waterfall_chart
    from ui.marketing_charts import ad_hours_chart

    hours = [AdHour("2026-11-11", 10, Decimal("150000"), Decimal("450000"))]
    assert _tooltip_texts(ad_hours_chart(hours, "IDR", "Ads"), "Amount") == [
        "Rp150.000", "Rp450.000"]
    assert _tooltip_texts(ad_hours_chart(hours, "USD", "Ads"), "Amount") == [
        "$150,000.00", "$450,000.00"]
    steps = (WaterfallStep("GMV", 87_970_000, True), WaterfallStep("Refunds", -30_000_000,
                                                                    False))
    assert _tooltip_texts(waterfall_chart(steps, "Shop", "IDR"), "Amount") == [
        "Rp879.700", "-Rp300.000"]


def test_deal_editor_and_late_list_are_in_the_shops_currency(idr_store, monkeypatch):
    from datetime import date

    import streamlit as st

    from campaign_core.store import write_transaction
    from campaign_core.store.creators import upsert_deal

    with write_transaction(idr_store) as conn:  # delivered 2 November: late since the 16th
        upsert_deal(conn, 1, "budi", "11.11", {"sample_delivered_day": date(2026, 11, 2)})
    monkeypatch.setenv("CAMPAIGN_DB", idr_store)
    monkeypatch.setenv("CAMPAIGN_NOW", NOW)
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
        at.query_params["view"] = "Campaign Period"
        at.run()
        at.switch_page("pages/creators.py").run()
        assert not at.exception
        editors = [json.loads(frame.proto.columns or "{}") for frame in at.dataframe]
        [columns] = [c for c in editors if "Flat fee" in c]
        [late] = [c for c in editors if "Sample value at stake" in c]
    finally:
        st.cache_data.clear()
    for fee in ("Flat fee", "Retainer"):
        config = columns[fee]
        assert config["type_config"]["format"] != "dollar"
        assert config["type_config"]["min_value"] == 0
        assert "Rp" in config.get("label", "")
    assert late["Sample value at stake"]["type_config"].get("format") != "dollar"


def test_digest_and_alert_percentages_take_the_markets_decimal_mark(idr_store):
    with read_connection(idr_store) as conn:
        campaign = _campaign(conn)
        digest = build_digest(conn, campaign, datetime(2026, 11, 15, 1, tzinfo=UTC))
        [firing] = pacing_below(conn, campaign, datetime(2026, 11, 20, tzinfo=UTC), 10)
    text = digest_text(digest)
    # Daily target 5.000.000 / 30 = 166.667; GMV 355.000 is 113,0% above it.
    assert "Daily target Rp166.667 (+113,0%)" in text
    assert "(+373,3%)" in text  # against 75.000 on 13 November
    assert "113.0%" not in text
    assert "72% below" in firing.message  # whole percentages have no mark to change


def test_a_roas_alert_writes_ad_money_in_the_ad_accounts_currency(idr_store):
    from campaign_core.alerts.checks import roas_below
    from campaign_core.store import write_transaction

    with write_transaction(idr_store) as conn:  # an IDR shop whose ad account bills in USD
        conn.execute("INSERT INTO ad_day (shop_id, account_id, day, row_key, cost_cents, "
                     "gross_revenue_cents, currency) VALUES (1, 'a', '2026-11-19', 'c1', "
                     "123450, 185000, 'USD')")
    with read_connection(idr_store) as conn:
        [firing] = roas_below(conn, _campaign(conn), datetime(2026, 11, 20, 5, tzinfo=UTC), 2)
    assert "(revenue $1,850.00 on $1,234.50 spent)" in firing.message


def test_stakeholder_report_writes_ad_money_in_the_ad_accounts_currency(idr_store, capsys,
                                                                        tmp_path):
    from campaign_core.importers.pipeline import import_file
    from tests.marketing_files import GMV_MAX_CAMPAIGN_HEADER, campaign_report_name
    from tests.marketing_files import write_csv as write_rows

    ads = write_rows(tmp_path / campaign_report_name("2026-11-01", "2026-11-30", "csv"), [
        GMV_MAX_CAMPAIGN_HEADER,
        ["11.11 GMV Max", "1800000000000000002", "$1,234.50", "$1,200.00", "3", "$411.50",
         "$5,000.00", "4.05", "USD"]])
    assert import_file(idr_store, ads).status == "imported"
    report = json.loads(_report_text(idr_store, capsys, "json"))
    assert report["marketing"]["ad_currency"] == "USD"
    assert report["marketing"]["ad_spend"] == 1234.5
    page = render_html(build_document(report))
    assert "$1,234.50" in page
    assert "Rp1.234" not in page and "Rp1.235" not in page


@pytest.mark.parametrize(("market", "shown"), [
    ("DE", "1.057,25\u00a0€"), ("ES", "1.057,25\u00a0€"), ("IT", "1.057,25\u00a0€"),
    ("FR", "1\u202f057,25\u00a0€"), ("IE", "€1,057.25")])
def test_each_euro_market_writes_money_its_own_way(market, shown):
    from campaign_core.formatting import money
    from campaign_core.markets import ShopCurrency

    assert money(1057.25, ShopCurrency("EUR", market)) == shown
    assert money(1057.25, "EUR", market) == shown
