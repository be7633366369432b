"""AppTest runs of the Creators and profit page on the demo store, and its editor's diff."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
from streamlit.testing.v1 import AppTest

from campaign_core.report import build_report
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from tests.conftest import DEMO_NOW, PROJECT_ROOT
from ui.creator_blocks import deal_changes, waterfall_frame
from ui.formatting import money

APP = str(PROJECT_ROOT / "app.py")


def creators_page(view: str = "Campaign Period") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["view"] = view
    at.run()
    return at.switch_page("pages/creators.py").run()


def period_report(db) -> dict:
    with read_connection(db) as conn:
        campaign = list_campaigns(conn)[0]
        return build_report(conn, campaign, "period",
                            datetime.fromisoformat(DEMO_NOW).astimezone(UTC))


def test_page_shows_profit_pipeline_and_experiments_as_the_report_does(app_env):
    at = creators_page()
    assert not at.exception
    assert at.title[0].value == "Creators and profit"
    report = period_report(app_env)
    metrics = {m.label: m.value for m in at.metric}
    gmv = sum(row["gmv"] for row in report["creators"])
    assert metrics["Creator GMV"] == money(round(gmv, 2))
    assert "Contribution margin (est.)" in metrics  # not all settled: labelled estimated
    stages = {"Late", "Posted", "Outreach"}
    for stage in stages:
        expected = sum(row["stage_counts"][stage.lower()] for row in report["creators"])
        assert metrics[stage] == str(expected)
    assert int(metrics["Late"]) >= 1
    table = at.dataframe[0].value
    assert list(table["Creator"][:3]) == [row["creator"] for row in report["creators"][:3]]
    decisions = {e["name"]: e["decision"] for e in report["experiments"]}
    assert "B better" in decisions.values() and "underpowered" in decisions.values()
    # The result in words first, the statistics in an expander below it.
    said = [box.value.replace("\\", "") for box in [*at.success, *at.info]]
    assert any(text.endswith("enough data to be sure.") for text in said)
    assert any(text.startswith("Too early to tell") for text in said)
    statistics = [e for e in at.expander if e.label.startswith("The statistics")]
    assert statistics and any("valid for daily checking" in m.value.replace("\\", "")
                              for e in statistics for m in e.markdown)
    assert any("Observational" in c.value for c in at.caption)


def test_metrics_carry_their_definitions(app_env):
    at = creators_page()
    margin = next(m for m in at.metric if m.label.startswith("Contribution margin"))
    assert "Creator-attributed GMV - refunds" in margin.help


def test_today_view_renders(app_env):
    at = creators_page("Today")
    assert not at.exception


def test_deal_editor_diff_finds_edits_new_rows_and_removals():
    before = pd.DataFrame([
        {"deal_id": 1, "Creator": "mia", "Posted": None, "Extension": False,
         "Flat fee": 0.0, "Retainer": 0.0, "Notes": ""},
        {"deal_id": 2, "Creator": "sam", "Posted": None, "Extension": False,
         "Flat fee": 10.0, "Retainer": 0.0, "Notes": ""},
    ])
    after = pd.DataFrame([
        {"deal_id": 1, "Creator": "mia", "Posted": date(2026, 11, 25), "Extension": True,
         "Flat fee": 0.0, "Retainer": 0.0, "Notes": ""},
        {"deal_id": None, "Creator": "new_nia", "Posted": None, "Extension": False,
         "Flat fee": 25.5, "Retainer": None, "Notes": "hi"},
    ])
    upserts, removed = deal_changes(before, after)
    assert removed == [2]
    assert upserts[0] == (1, "mia", {"posted_day": date(2026, 11, 25), "extension": True})
    new = upserts[1]
    assert new[0] is None and new[1] == "new_nia"
    assert new[2]["flat_fee_cents"] == 2550 and new[2]["notes"] == "hi"


def test_waterfall_bars_run_from_gmv_down_to_margin():
    from campaign_core.profit.creator_margin import CreatorMargin
    from campaign_core.profit.overview import creator_waterfall

    frame = waterfall_frame(creator_waterfall(CreatorMargin(
        "x", "x", gmv=10000, refunds=1000, product_cost=3000, commission=1000, fees=500)))
    rows = frame.set_index("step")
    assert (rows.loc["GMV", "start"], rows.loc["GMV", "end"]) == (0, 100)
    assert (rows.loc["Refunds", "start"], rows.loc["Refunds", "end"]) == (100, 90)
    assert (rows.loc["Net sales", "end"], rows.loc["Margin", "end"]) == (90, 45)
    assert rows.loc["Fees", "end"] == 45


def test_charts_are_altair_specs_with_the_data():
    from campaign_core.experiments.evaluate import evaluate
    from campaign_core.profit.creator_margin import CreatorMargin
    from campaign_core.profit.overview import creator_waterfall
    from ui.creator_blocks import rate_chart, waterfall_chart

    spec = waterfall_chart(creator_waterfall(CreatorMargin("x", "x", gmv=500)), "t").to_dict()
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["y2"]["field"] == "end"
    result = evaluate({"name": "t", "variants": "A/B"},
                      [("A", "2026-11-20", 100, 5), ("B", "2026-11-20", 100, 9)])
    layers = rate_chart(result).to_dict()["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rule", "point"]
