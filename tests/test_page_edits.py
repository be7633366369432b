"""The Alerts and Campaigns pages change the store through ui.edits (one write transaction
each): AppTest runs of every change they offer, read back from the store."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from campaign_core.alerts.digest_schedule import get_setting
from campaign_core.alerts.rules import list_rules
from campaign_core.store import read_connection
from campaign_core.store.campaigns import find_campaign, list_campaigns
from campaign_core.store.shops import list_shops
from tests.conftest import PROJECT_ROOT


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    return at.switch_page(page).run()


def test_alert_rules_switch_off_and_delete_and_the_digest_is_set(private_app_env):
    at = open_page("pages/alerts.py")
    with read_connection(private_app_env) as conn:
        first = list_rules(conn)[0]
    at.selectbox(key="alert_rule_pick").set_value(first.rule_id).run()
    at.button(key="alert_rule_toggle").click().run()
    assert not at.exception
    with read_connection(private_app_env) as conn:
        switched = next(r for r in list_rules(conn) if r.rule_id == first.rule_id)
    assert switched.enabled is not first.enabled
    assert (switched.kind, switched.threshold, switched.channel) == \
        (first.kind, first.threshold, first.channel)
    at.selectbox(key="alert_rule_pick").set_value(first.rule_id).run()
    at.button(key="alert_rule_delete").click().run()
    with read_connection(private_app_env) as conn:
        assert first.rule_id not in [r.rule_id for r in list_rules(conn)]
        shop_id = list_campaigns(conn)[0].shop_id
    at.text_input[0].set_value("07:30")
    at.checkbox[0].check()
    at.button(key="FormSubmitter:digest_form-Save digest settings").click().run()
    assert not at.exception
    with read_connection(private_app_env) as conn:
        setting = get_setting(conn, shop_id)
    assert setting.send_at == "07:30" and setting.enabled


def test_campaigns_are_created_and_deleted_and_shops_edited(private_app_env):
    at = open_page("pages/campaigns.py")
    at.text_input[0].set_value("Spring sale")
    at.button(key="FormSubmitter:campaign_form-Save campaign").click().run()
    assert not at.exception
    with read_connection(private_app_env) as conn:
        assert find_campaign(conn, "Spring sale") is not None
    at.selectbox(key="edit_campaign").set_value("Spring sale").run()
    next(b for b in at.button if b.label.startswith("Delete")).click().run()
    with read_connection(private_app_env) as conn:
        assert find_campaign(conn, "Spring sale") is None
    category = next(t for t in at.text_input if t.label == "Category")
    category.set_value("Beauty")
    at.button(key="FormSubmitter:shop_form-Save shop").click().run()
    assert not at.exception
    with read_connection(private_app_env) as conn:
        assert list_shops(conn)[0].category == "Beauty"
