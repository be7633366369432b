"""AppTest runs of the Content page on the demo store (frozen clock), and the report's
``content`` section on the same store."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from campaign_core.metrics.catalog import CATALOG, CONTENT_COLUMNS, CONTENT_METRICS
from campaign_core.metrics.content import ContentRow, content_rows
from campaign_core.report import campaign_window
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from campaign_core.store.content import creator_shortlist
from tests.conftest import DEMO_NOW, PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
NOW = datetime.fromisoformat(DEMO_NOW).astimezone(UTC)


def open_content(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at.switch_page("pages/content.py").run()


def shown_ids(at: AppTest, kind: str) -> list[str]:
    """The content IDs the detail picker offers, in ranking order (its labels end in the ID)."""
    return [label.rsplit(" · ", 1)[1] for label in at.selectbox(key=f"content_detail_{kind}")
            .options]


def demo_rows(db, view: str) -> list[ContentRow]:
    with read_connection(db) as conn:
        campaign = list_campaigns(conn)[0]
        return content_rows(conn, campaign.shop_id, campaign_window(campaign, view, NOW))


def test_catalog_columns_name_content_row_fields():
    fields = set(ContentRow.__dataclass_fields__)
    assert set(CONTENT_COLUMNS) == {m.name for m in CONTENT_METRICS}
    assert set(CONTENT_COLUMNS.values()) <= fields


@pytest.mark.parametrize("view", ["Today", "Daily", "Campaign Period"])
def test_content_page_renders_in_every_view(app_env, view):
    at = open_content({"view": view})
    assert not at.exception
    assert at.title[0].value == "Content"


def test_live_module_shows_the_violation_strip_and_ranks_lives(app_env):
    at = open_content({"view": "Campaign Period"})
    assert not at.exception
    assert any("LIVE violation" in error.value for error in at.error)
    lives = [r for r in demo_rows(app_env, "period") if r.kind == "live"]
    shown = shown_ids(at, "live")
    assert shown[0] == lives[0].content_id  # ranked by GMV, the top one first
    assert len(shown) == len(lives)
    assert "GMV" in [m.label for m in at.metric]


def test_own_affiliate_switch_and_search_filter_the_ranking(app_env):
    rows = demo_rows(app_env, "period")
    at = open_content({"view": "Campaign Period", "content_module": "Video"})
    assert not at.exception
    videos = {r.content_id: r for r in rows if r.kind == "video"}
    assert len(shown_ids(at, "video")) == len(videos)
    at.segmented_control(key="content_account_video").set_value("Own accounts").run()
    own = shown_ids(at, "video")
    assert own and all(videos[i].account == "own" for i in own)
    at.segmented_control(key="content_account_video").set_value("Affiliates").run()
    affiliates = shown_ids(at, "video")
    assert affiliates and all(videos[i].account == "affiliate" for i in affiliates)
    assert len(own) + len(affiliates) == len(videos)
    creator = videos[affiliates[0]].creator
    at.text_input(key="content_search_video").input(creator).run()
    assert all(creator in (videos[i].creator or "")
               for i in shown_ids(at, "video"))


def test_quick_filter_key_lives(app_env):
    at = open_content({"view": "Campaign Period"})
    at.pills(key="content_quick_live").set_value(["Key Livestream sessions"]).run()
    assert not at.exception
    options = shown_ids(at, "live")
    rows = {r.content_id: r for r in demo_rows(app_env, "period")}
    assert options and all(rows[i].is_key_live for i in options)


def test_re_collaborate_puts_the_creator_on_the_shortlist(private_app_env):
    at = open_content({"view": "Campaign Period", "content_module": "Video"})
    at.segmented_control(key="content_account_video").set_value("Affiliates").run()
    chosen = at.selectbox(key="content_detail_video").value
    at.button(key="content_recollaborate").click().run()
    assert not at.exception
    with read_connection(private_app_env) as conn:
        campaign = list_campaigns(conn)[0]
        shortlist = creator_shortlist(conn, campaign.shop_id)
    assert [item["content_id"] for item in shortlist] == [chosen]


def test_sub_campaign_module(app_env):
    at = open_content({"view": "Campaign Period", "content_module": "Sub-campaigns"})
    assert not at.exception
    assert "Sub-campaigns" in [s.value for s in at.subheader]


def test_report_command_prints_the_content_section(app_env):
    with read_connection(app_env) as conn:
        name = list_campaigns(conn)[0].name
    output = subprocess.run(
        [sys.executable, "-m", "campaign_core", "report", "--db", str(app_env), "--campaign",
         name, "--view", "period", "--now", DEMO_NOW, "--format", "json"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout
    section = json.loads(output)["content"]
    assert set(section) == {"live", "video"}
    for kind in ("live", "video"):
        items = section[kind]
        assert items and all(item["type"] == kind for item in items)
        assert [i["gmv"] for i in items] == sorted((i["gmv"] for i in items), reverse=True)
        assert set(items[0]) == {"content_id", "type", "title", "creator", "account", "gmv",
                                 "orders", "units", "gmv_share_pct", "commission",
                                 "violations"}
        assert {i["account"] for i in items} == {"own", "affiliate"}
    assert any(i["violations"] for i in section["live"])
    assert CATALOG["content_gmv"].label == "GMV"
