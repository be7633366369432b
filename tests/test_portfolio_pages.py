"""AppTest of the agency pages on a US + UK store (tests/fx_files.py): the Portfolio page,
the Overview of a campaign that spans shops, and the Campaigns page's currency settings."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from campaign_core.store import read_connection
from campaign_core.store.fx_rates import rates_between, reporting_currency
from tests.conftest import PROJECT_ROOT
from tests.fx_files import LA, LONDON, UK, US, two_shop_store

APP = str(PROJECT_ROOT / "app.py")


@pytest.fixture
def agency_env(tmp_path, monkeypatch):
    import streamlit as st

    db = two_shop_store(tmp_path)
    monkeypatch.setenv("CAMPAIGN_DB", str(db))
    monkeypatch.setenv("CAMPAIGN_NOW", "2026-12-05T12:00:00+00:00")
    st.cache_data.clear()
    yield db
    st.cache_data.clear()


def start(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    # Labels are Markdown, escaped (ui.formatting.plain): compare them as they read.
    return {metric.label.replace("\\", ""): metric.value for metric in at.metric}


def test_portfolio_shows_every_shop_converted_and_in_its_own_currency(agency_env):
    at = start()
    at.switch_page("pages/portfolio.py").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["GMV, all shops (EUR)"] == "€101.97"  # the hand-computed sum
    assert shown["Orders, all shops"] == "5" and shown["Shops"] == "2"
    table = at.dataframe[0].value
    rows = {row["Shop"]: row for row in table.to_dict("records")}
    assert rows[US]["GMV (EUR)"] == pytest.approx(71.98)
    assert rows[UK]["GMV (EUR)"] == pytest.approx(29.98)
    assert rows[US]["GMV (shop currency)"] == "$75.97"
    assert rows[UK]["GMV (shop currency)"] == "£24.99"
    assert rows[US]["Pacing"] == "76.0% of $100.00"  # $75.97 of its $100 target
    assert rows[UK]["Pacing"] == "50.0% of £50.00"
    assert (rows[US]["Timezone"], rows[UK]["Timezone"]) == (LA, LONDON)
    assert rows[US]["Contribution margin"] == "no costs yet"
    assert list(table["Shop"]) == [US, UK]  # sorted by GMV in EUR, highest first
    links = [link.label for link in at.get("page_link")]
    assert f"Overview: {US}" in links and f"Overview: {UK}" in links


def test_portfolio_sorts_by_a_whitelisted_column(agency_env):
    at = start()
    at.switch_page("pages/portfolio.py").run()
    at.selectbox(key="portfolio_sort").set_value("Shop").run()
    at.toggle(key="portfolio_desc").set_value(False).run()
    assert list(at.dataframe[0].value["Shop"]) == [UK, US]


def test_portfolio_date_range_has_no_targets(agency_env):
    at = start()
    at.switch_page("pages/portfolio.py").run()
    at.segmented_control(key="portfolio_mode").set_value("Date range").run()
    at.date_input(key="portfolio_days").set_value((date(2026, 11, 27),
                                                   date(2026, 11, 28))).run()
    assert not at.exception
    rows = {row["Shop"]: row for row in at.dataframe[0].value.to_dict("records")}
    assert rows[US]["GMV (shop currency)"] == "$45.97"  # Fri + Sat in Los Angeles
    assert rows[UK]["GMV (shop currency)"] == "£15.00"  # Fri in London
    assert rows[US]["Pacing"] == "—"


def test_overview_of_a_campaign_spanning_shops_shows_combined_and_per_shop(agency_env):
    at = start({"shop": US, "campaign": "BF", "view": "Campaign Period"})
    assert not at.exception
    shown = metrics(at)
    assert shown["GMV"] == "$75.97"  # the shop's own cards stay as they were
    assert shown["GMV, all shops (EUR)"] == "€101.97"
    assert shown["Orders, all shops"] == "5"
    assert any("All 2 shops in this campaign" in s.value for s in at.subheader)
    zones = next(c.value for c in at.caption if "own timezone" in c.value)
    assert "America/Los\\_Angeles" in zones and "Europe/London" in zones
    breakdown = at.dataframe[0].value
    assert list(breakdown["Shop"]) == [US, UK]
    assert list(breakdown["GMV"]) == ["$75.97", "£24.99"]


def test_the_added_shop_sees_the_campaign_in_its_own_timezone(agency_env):
    at = start({"shop": UK, "campaign": "BF", "view": "Campaign Period"})
    assert not at.exception
    assert metrics(at)["GMV"] == "£24.99"
    assert "times in Europe/London" in at.caption[0].value


def test_overview_says_a_day_without_a_rate_is_not_converted(tmp_path, monkeypatch):
    import streamlit as st

    db = two_shop_store(tmp_path, {date(2026, 11, 23): {"USD": "1.05", "GBP": "0.84"}})
    monkeypatch.setenv("CAMPAIGN_DB", str(db))
    monkeypatch.setenv("CAMPAIGN_NOW", "2026-12-05T12:00:00+00:00")
    st.cache_data.clear()
    at = start({"shop": US, "campaign": "BF", "view": "Campaign Period"})
    assert metrics(at)["GMV, all shops (EUR)"] == "not convertible"
    warning = " ".join(w.value for w in at.warning)
    assert "Dec 1 \\(USD\\)" in warning and "never at 1:1" in warning
    st.cache_data.clear()


def test_campaigns_page_sets_the_reporting_currency_and_a_rate(agency_env):
    at = start()
    at.switch_page("pages/campaigns.py").run()
    currency = next(s for s in at.selectbox if s.label == "Reporting currency")
    currency.set_value("GBP").run()
    assert not at.exception
    with read_connection(agency_env) as conn:
        assert reporting_currency(conn) == "GBP"
    form_inputs = {t.label: t for t in at.text_input}
    form_inputs["Currency (ISO code)"].set_value("MYR")
    form_inputs["Units per 1 EUR"].set_value("4.9012")
    next(b for b in at.button if b.label == "Save rate").click().run()
    assert not at.exception
    with read_connection(agency_env) as conn:
        assert [str(r.per_eur) for r in rates_between(conn, ["MYR"], date(2000, 1, 1),
                                                      date(2100, 1, 1))] == ["4.9012"]


# --- the demo: the brand's UK shop in the same Black Friday campaign ------------------------


def test_demo_campaign_spans_the_us_and_uk_shops_with_ecb_rates(demo_store):
    from datetime import UTC, datetime

    from campaign_core.portfolio.combined import combined_figures, fx_section
    from campaign_core.store.campaign_shops import campaign_shop_views
    from campaign_core.store.campaigns import list_campaigns
    from campaign_core.store.shops import DEMO_SHOP_NAME, DEMO_UK_SHOP_NAME
    from tests.conftest import DEMO_NOW

    now = datetime.fromisoformat(DEMO_NOW).astimezone(UTC)
    with read_connection(demo_store) as conn:
        [campaign] = list_campaigns(conn)  # one campaign, owned by the US shop
        views = campaign_shop_views(conn, campaign)
        figures = combined_figures(conn, campaign, "period", now, "EUR")
    assert [(v.shop_name, v.currency, v.timezone) for v in views] == [
        (DEMO_SHOP_NAME, "USD", LA), (DEMO_UK_SHOP_NAME, "GBP", LONDON)]
    assert views[1].gmv_target_cents and views[1].gmv_target_cents > 0
    assert figures.conversion.complete and figures.money("gmv") > 0
    fx = fx_section(figures)
    assert fx["source"] == "ECB euro foreign exchange reference rates"
    # Nov 21-22, 2026 is a weekend: no ECB rate, Friday's carried forward.
    assert any(r["carried_forward"] and r["day"] == "2026-11-22" for r in fx["rates_used"])


def test_demo_portfolio_page_lists_both_shops(app_env):
    at = start()
    at.switch_page("pages/portfolio.py").run()
    assert not at.exception
    shops = set(at.dataframe[0].value["Shop"])
    assert shops == {"Glow & Go Beauty (demo)", "Glow & Go Beauty UK (demo)"}
    assert metrics(at)["GMV, all shops (EUR)"] != "not convertible"
