"""AppTest runs of the Marketing, Traffic and Funnel pages on the demo store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from campaign_core.report import build_report
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from tests.conftest import DEMO_NOW, PROJECT_ROOT
from tests.marketing_files import build_marketing_store
from ui.formatting import money, plain

APP = str(PROJECT_ROOT / "app.py")
PAGES = ["pages/marketing.py", "pages/traffic.py", "pages/funnel.py"]
VIEWS = {"today": "Today", "daily": "Daily", "period": "Campaign Period"}


@pytest.fixture(scope="module")
def marketing_store(tmp_path_factory: pytest.TempPathFactory):
    return build_marketing_store(tmp_path_factory.mktemp("marketing_demo"))


@pytest.fixture
def app_env(marketing_store, monkeypatch: pytest.MonkeyPatch):
    import streamlit as st

    monkeypatch.setenv("CAMPAIGN_DB", str(marketing_store))
    monkeypatch.setenv("CAMPAIGN_NOW", DEMO_NOW)
    st.cache_data.clear()
    yield marketing_store
    st.cache_data.clear()


def run_page(page: str, view: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = VIEWS[view]
    at.run()
    return at.switch_page(page).run()


def demo_report(db, view: str) -> dict:
    with read_connection(db) as conn:
        campaign = list_campaigns(conn)[0]
        return build_report(conn, campaign, view,
                            datetime.fromisoformat(DEMO_NOW).astimezone(UTC))


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_in_every_view(app_env, page, view):
    at = run_page(page, view)
    assert not at.exception
    assert at.title[0].value in ("Marketing", "Traffic", "Funnel")


@pytest.mark.parametrize("view", ["daily", "period"])
def test_marketing_cards_show_the_reported_ads(app_env, view):
    report = demo_report(app_env, view)["marketing"]
    at = run_page("pages/marketing.py", view)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Ad spend"] == money(report["ad_spend"], report["ad_currency"])
    assert shown["Ad revenue"] == money(report["ad_revenue"], report["ad_currency"])
    assert shown["ROAS"] == f"{report['roas']:.2f}"
    assert "Creator videos" in shown
    assert all(m.help for m in at.metric)  # every number carries its definition


def test_marketing_suggestions_state_their_numbers(app_env):
    report = demo_report(app_env, "period")["marketing"]
    at = run_page("pages/marketing.py", "period")
    assert not at.exception
    texts = " ".join(md.value for md in at.markdown)
    assert report["suggestions"], "the demo should trigger at least one rule"
    for suggestion in report["suggestions"]:
        assert plain(suggestion["text"]) in texts


def test_traffic_table_lists_the_reported_channels(app_env):
    report = demo_report(app_env, "period")["traffic"]
    at = run_page("pages/traffic.py", "period")
    table = at.dataframe[0].value
    assert len(table) == len(report)
    assert list(table["Impressions"]) == [row["impressions"] for row in report]


def test_funnel_names_the_biggest_drop(app_env):
    at = run_page("pages/funnel.py", "period")
    assert any("Biggest drop-off" in md.value for md in at.markdown)
    shown = {m.label: m.value for m in at.metric}
    funnel = demo_report(app_env, "period")["funnel"]
    assert shown["Avg. daily customers"] == f"{funnel['avg_daily_customers']:,}"
    assert "." not in shown["Avg. unique reach"]  # whole people


def test_today_without_traffic_data_says_what_to_import(app_env):
    at = run_page("pages/traffic.py", "today")
    assert any("traffic by channel template" in info.value for info in at.info)


def test_primary_ad_account_can_be_chosen_on_the_page(marketing_store, tmp_path, monkeypatch):
    import sqlite3

    import streamlit as st

    from campaign_core.importers.pipeline import import_file
    from campaign_core.store.ad_accounts import primary_ad_account
    from tests.marketing_files import ADS_MANAGER_HEADER, write_csv

    db = tmp_path / "campaign.db"
    with sqlite3.connect(marketing_store) as source, sqlite3.connect(db) as target:
        source.backup(target)
    other = write_csv(tmp_path / "other account.csv", [
        ["Advertiser: Second Ads (7309999999999999)"], ADS_MANAGER_HEADER,
        ["2026-11-25", "G", "1802000000000000777", "A", "1803000000000000777", "$1.00", "10",
         "1", "0", "$1.00", "", "", "", "", "USD"]])
    assert import_file(db, other, shop_name="Glow & Go Beauty (demo)").ok
    monkeypatch.setenv("CAMPAIGN_DB", str(db))
    monkeypatch.setenv("CAMPAIGN_NOW", DEMO_NOW)
    st.cache_data.clear()
    at = run_page("pages/marketing.py", "period")
    box = next(s for s in at.selectbox if s.label.startswith("Ad account whose numbers"))
    assert box.value.startswith("Glow & Go Ads")  # the most spend, until chosen
    box.select(next(o for o in box.options if o.startswith("Second Ads"))).run()
    next(b for b in at.button if b.label == "Make primary").click().run()
    assert not at.exception
    with read_connection(db) as conn:
        assert primary_ad_account(conn, 1).name == "Second Ads"
    st.cache_data.clear()
