"""AppTest of the GMV Max economics section on the demo store, against the report."""

from __future__ import annotations

from datetime import datetime

from streamlit.testing.v1 import AppTest

from campaign_core.report import build_report
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from tests.conftest import DEMO_NOW, PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")


def _page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["view"] = "Campaign Period"
    at.run()
    return at.switch_page(page).run()


def test_marketing_shows_gmv_max_economics_as_the_report_does(app_env):
    with read_connection(app_env) as conn:
        campaign = list_campaigns(conn)[0]
        report = build_report(conn, campaign, "period", datetime.fromisoformat(DEMO_NOW))
    economics = report["ads_economics"]
    assert economics["protection"]["days_owed"]  # the demo's uncredited eligible day
    assert economics["holdouts"] and economics["holdouts"][0]["finished"]
    assert any(row["target_roi"] for row in economics["break_even_roi"])
    at = _page("pages/marketing.py")
    assert not at.exception
    headers = [h.value for h in at.header]
    assert "GMV Max economics" in headers
    subheaders = [s.value for s in at.subheader]
    for name in ("Break-even target ROI", "What if", "What the ads add", "ROI Protection",
                 "Holdouts"):
        assert name in subheaders
    warnings = " ".join(w.value for w in at.warning)
    assert "not credited" in warnings


def test_products_page_shows_the_break_even_table(app_env):
    at = _page("pages/products.py")
    assert not at.exception
    assert "Break-even target ROI" in [s.value for s in at.subheader]
