"""AppTest runs of every page on the demo store, with a frozen clock.

The values on the cards must be the ones the command line reports for the same view.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from campaign_core.metrics.catalog import CATALOG
from campaign_core.report import build_report
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from tests.conftest import DEMO_NOW, PROJECT_ROOT
from ui.formatting import value_text

APP = str(PROJECT_ROOT / "app.py")
PAGES = ["pages/overview.py", "pages/import_data.py", "pages/campaigns.py"]


def start(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def expected_cards(db, view: str, day=None) -> dict[str, str]:
    with read_connection(db) as conn:
        campaign = list_campaigns(conn)[0]
        report = build_report(conn, campaign, view,
                              datetime.fromisoformat(DEMO_NOW).astimezone(UTC), day)
    return {CATALOG[name].label: value_text(CATALOG[name], value, campaign.currency,
                                            compact=True)
            for name, value in report["core"].items()}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app_env, page):
    at = start()
    at.switch_page(page).run()
    assert not at.exception
    assert at.title[0].value


@pytest.mark.parametrize("view", ["today", "daily", "period"])
def test_overview_cards_show_the_reported_kpis(app_env, view):
    label = {"today": "Today", "daily": "Daily", "period": "Campaign Period"}[view]
    at = start({"view": label})
    assert not at.exception
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown == expected_cards(app_env, view)
    assert shown["GMV"] != "$0.00"


def test_daily_view_reads_the_day_from_the_link(app_env):
    at = start({"view": "Daily", "day": "2026-11-21"})
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown == expected_cards(app_env, "daily", date(2026, 11, 21))
    assert "Daily: Nov 21, 2026" in at.caption[0].value


def test_header_shows_campaign_day_timezone_and_freshness(app_env):
    caption = start().caption[0].value
    assert "day 7 of 12" in caption
    assert "times in America/Los_Angeles" in caption
    assert "data as of Nov 26" in caption


def test_demo_data_is_labelled(app_env):
    at = start()
    assert any("demo campaign" in info.value for info in at.info)


def test_cards_carry_the_catalog_definition_as_help(app_env):
    at = start()
    gmv = next(m for m in at.metric if m.label == "GMV")
    assert CATALOG["gmv"].definition in gmv.help


def test_import_page_lists_the_demo_imports(app_env):
    at = start()
    at.switch_page("pages/import_data.py").run()
    assert "Import log" in [s.value for s in at.subheader]
    log = at.dataframe[0].value
    assert set(log["status"]) == {"imported"}
    assert sorted(log["kind"]) == ["benchmarks", "orders", "orders", "orders", "sub_campaigns"]


def test_campaigns_page_shows_the_demo_campaign(app_env):
    at = start()
    at.switch_page("pages/campaigns.py").run()
    table = at.dataframe[0].value
    assert table.loc[0, "campaign"].startswith("Black Friday") and table.loc[0, "days"] == 12
