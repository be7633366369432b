"""The plan on the pages (AppTest): the Overview's plan strip on the demo's plan, the
Campaigns page's plan editor writing through ui.edits, and a section page's planned
metrics."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from streamlit.testing.v1 import AppTest

from campaign_core.demo.plan import DEMO_PLAN
from campaign_core.forecast.plan_pacing import plan_pacing
from campaign_core.plan_targets import PlanTarget
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from campaign_core.store.plans import campaign_plan
from tests.conftest import DEMO_NOW, PROJECT_ROOT
from ui.plan_blocks import STATUS_TEXT, detail_text

APP = str(PROJECT_ROOT / "app.py")


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at.switch_page(page).run()


def demo_paces(db) -> tuple[str, dict]:
    with read_connection(db) as conn:
        campaign = list_campaigns(conn)[0]
        paces = plan_pacing(conn, campaign, datetime.fromisoformat(DEMO_NOW).astimezone(UTC))
    return campaign.currency, {p.metric: p for p in paces}


def texts_of(at: AppTest) -> list[str]:
    return [m.value.replace("\\", "") for m in at.markdown] + \
        [c.value.replace("\\", "") for c in at.caption]


def test_the_overview_plan_strip_shows_each_planned_metric(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    currency, paces = demo_paces(app_env)
    assert set(paces) == {"gmv"} | {metric for metric, _t, _g in DEMO_PLAN}
    texts = texts_of(at)
    assert any(t.startswith("**Campaign plan** · 6 targets") for t in texts)
    for metric, pace in paces.items():
        if metric == "gmv":
            continue
        assert any(t.startswith(f"**{pace.label}") and STATUS_TEXT[pace.status] in t
                   for t in texts), metric
        assert detail_text(pace, currency).replace("\\", "") in texts, metric
    # The demo's plan has a metric on each side: one behind, one on track at least.
    assert {"behind", "on_track"} <= {p.status for p in paces.values()}


def test_the_plan_editor_saves_and_clears_targets(private_app_env):
    at = open_page("pages/campaigns.py")
    with read_connection(private_app_env) as conn:
        campaign = list_campaigns(conn)[0]
    at.selectbox(key="edit_campaign").set_value(campaign.name).run()
    assert not at.exception
    assert at.number_input(key="plan_roas").value == 3.0  # the demo's plan, read back
    at.number_input(key="plan_roas").set_value(2.5)
    at.number_input(key="plan_new_buyers").set_value(0)  # 0: no target
    at.number_input(key="plan_seller_lives").set_value(12)
    at.selectbox(key="plan_contribution_margin_pct_good_if").set_value("below")
    at.button(key=f"FormSubmitter:plan_form_{campaign.campaign_id}-Save plan").click().run()
    assert not at.exception
    with read_connection(private_app_env) as conn:
        plan = {t.metric: t for t in campaign_plan(conn, list_campaigns(conn)[0])}
    assert plan["roas"] == PlanTarget("roas", Decimal("2.5"), "above")
    assert "new_buyers" not in plan
    assert plan["seller_lives"] == PlanTarget("seller_lives", Decimal(12), "above")
    assert plan["contribution_margin_pct"].good_if == "below"
    assert plan["gmv"].target * 100 == campaign.gmv_target_cents  # GMV left as it was


def test_marketing_shows_its_planned_metrics_against_target(app_env):
    at = open_page("pages/marketing.py")
    assert not at.exception
    texts = texts_of(at)
    assert "**Against the campaign plan** (campaign so far)" in texts
    assert any(t.startswith("**ROAS**") for t in texts)
    assert any(t.startswith("**Creator videos**") for t in texts)
    assert not any(t.startswith("**CTR**") for t in texts)  # Traffic's, not Marketing's


def test_traffic_funnel_and_creators_show_their_planned_metrics(app_env):
    for page, label in (("pages/traffic.py", "**CTR**"), ("pages/funnel.py", "**New buyers**"),
                        ("pages/creators.py", "**Contribution margin % (est.)**")):
        at = open_page(page)
        assert not at.exception, page
        assert any(t.startswith(label) for t in texts_of(at)), page


def test_without_a_plan_the_strip_links_to_the_campaigns_page(private_app_env):
    from campaign_core.store import write_transaction
    from campaign_core.store.plans import set_plan_target

    with write_transaction(private_app_env) as conn:
        campaign_id = list_campaigns(conn)[0].campaign_id
        for metric, _target, _good_if in DEMO_PLAN:
            set_plan_target(conn, campaign_id, metric, None)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not any(t.startswith("**Campaign plan**") for t in texts_of(at))
    links = [link.proto.label for link in at.get("page_link")]
    assert any(label.startswith("Plan more than GMV") for label in links)
