"""The Overview's alert strip: each "Act on it" opens its page already filtered, in the
same shop, campaign and view."""

from __future__ import annotations

from urllib.parse import parse_qsl

from streamlit.testing.v1 import AppTest

from campaign_core.alerts import stock_alerts
from tests.conftest import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")


def test_stock_alerts_name_the_products_filter_they_need():
    out, soon = stock_alerts({"out_of_stock": 2, "sells_out_soon": 12})
    assert dict(out.filters) == {"product_filter": "Out of stock"}
    assert dict(soon.filters) == {"product_filter": "Selling out"}


def test_act_on_it_opens_products_filtered_in_the_same_view(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "Campaign Period"
    at.run()
    assert not at.exception
    links = [link.proto for link in at.get("page_link") if link.proto.label == "Act on it"]
    assert links
    for link in links:
        params = dict(parse_qsl(link.query_string))
        assert params["product_filter"] in ("Out of stock", "Selling out")
        assert params["view"] == "Campaign Period" and params["campaign"]
