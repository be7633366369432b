"""Shareable views: a link's query parameters reproduce the sender's selection (campaign,
view, day, page filters), and the link the app offers carries all of them."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from tests.conftest import PROJECT_ROOT
from ui import share
from ui.header import SELECTION_KEY

APP = str(PROJECT_ROOT / "app.py")


def start(query: dict[str, str], page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception
    return at


def offered_link(at: AppTest) -> str:
    """The link shown in the header's Report popover."""
    links = [code.value for code in at.code if "view=" in code.value]
    assert len(links) == 1
    return links[0]


@pytest.fixture
def demo_names(app_env):
    with read_connection(app_env) as conn:
        campaign = list_campaigns(conn)[0]
    return campaign.shop_name, campaign.name


def test_a_link_reproduces_campaign_view_and_day(demo_names):
    shop, campaign = demo_names
    at = start({"shop": shop, "campaign": campaign, "view": "Daily", "day": "2026-11-22"})
    selection = at.session_state[SELECTION_KEY]
    assert (selection.shop.name, selection.campaign.name) == (shop, campaign)
    assert selection.view.label == "Daily" and selection.day == date(2026, 11, 22)
    assert any("Daily: Nov 22, 2026" in caption.value for caption in at.caption)


def test_the_offered_link_writes_the_selection_out_in_full(demo_names):
    shop, campaign = demo_names
    at = start({"view": "Daily"})  # the day is the default (yesterday): not in the URL
    params = dict(parse_qsl(urlsplit(offered_link(at)).query))
    assert params == {"shop": shop, "campaign": campaign, "view": "Daily",
                      "day": "2026-11-25"}


def test_opening_the_offered_link_shows_the_same_view(demo_names):
    # A bound widget writes its option's label into the URL.
    first = start({"view": "Campaign Period", "trend_metric": "Orders"})
    link = offered_link(first)
    again = start(dict(parse_qsl(urlsplit(link).query)))
    before, after = first.session_state[SELECTION_KEY], again.session_state[SELECTION_KEY]
    assert (after.campaign, after.view, after.day) == (before.campaign, before.view,
                                                       before.day)
    assert [m.value for m in again.metric] == [m.value for m in first.metric]
    assert again.session_state["trend_metric"] == "orders"


def test_page_filters_come_from_the_link(app_env):
    at = start({"view": "Campaign Period", "product_filter": "Selling out"},
               page="pages/products.py")
    assert at.session_state["product_filter"] == "Selling out"
    link = offered_link(at)
    assert "product_filter=Selling+out" in link


def test_link_params_keep_page_filters_and_replace_header_ones(demo_names):
    shop, campaign = demo_names
    at = start({"view": "Daily", "day": "2026-11-21"})
    selection = at.session_state[SELECTION_KEY]
    params = share.link_params(selection, {"view": "Today", "product_filter": "Out of stock"})
    assert params == {"product_filter": "Out of stock", "shop": shop, "campaign": campaign,
                      "view": "Daily", "day": "2026-11-21"}


def test_url_bound_binds_to_query_params_and_to_links():
    assert share.url_bound("some_filter") == {"key": "some_filter", "bind": "query-params"}
    assert "some_filter" in share.PAGE_FILTERS


def link_query(at: AppTest) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(offered_link(at)).query))


def test_a_filter_clicked_on_the_page_is_in_the_offered_link(app_env):
    # st.query_params of the page's later runs does not follow a click: the link must.
    at = start({"view": "Campaign Period"}, page="pages/products.py")
    at.segmented_control(key="product_filter").set_value("Selling out").run()
    assert link_query(at)["product_filter"] == "Selling out"


def test_the_trend_metric_is_written_as_the_url_writes_it(app_env):
    at = start({"view": "Campaign Period"})
    at.segmented_control(key="trend_metric").set_value("orders").run()
    assert link_query(at)["trend_metric"] == "Orders"


def test_a_filter_of_another_page_stays_out_of_the_link(app_env):
    at = start({"view": "Campaign Period"})
    at.segmented_control(key="trend_metric").set_value("orders").run()
    at.switch_page("pages/products.py").run()
    at.run()
    assert "trend_metric" not in link_query(at)


@pytest.mark.parametrize("module", ["Video", "Sub-campaigns"])
def test_the_content_section_is_in_the_offered_link(app_env, module):
    at = start({"view": "Campaign Period"}, page="pages/content.py")
    at.segmented_control(key="content_module").set_value(module).run()
    assert not at.exception
    assert link_query(at)["content_module"] == module


@pytest.mark.parametrize("tab", ["Pipeline", "Experiments"])
def test_the_creators_tab_comes_from_the_link_and_goes_into_it(app_env, tab):
    at = start({"view": "Campaign Period", "creators_tab": tab}, page="pages/creators.py")
    assert at.session_state["creators_tab"] == tab
    assert link_query(at)["creators_tab"] == tab
