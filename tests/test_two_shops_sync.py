"""With several shops in the store (the demo shop beside the user's is the normal state),
an Open API sync lands in the right shop: the one picked in the header for "Sync now",
the one that is not the demo's when none is named."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from campaign_core.openapi.client import ApiClient
from campaign_core.openapi.credentials import Credentials
from campaign_core.openapi.sync import sync_all
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.shops import DEMO_SHOP_NAME, resolve_shop
from tests.conftest import PROJECT_ROOT
from tests.fake_tiktok_api import FakeTikTokApi, api_order

APP = str(PROJECT_ROOT / "app.py")
SKU, PRODUCT = "1729000000000000011", "1730000000000000099"


def add_shops(db, *names: str) -> None:
    with write_transaction(db) as conn:
        for name in names:
            resolve_shop(conn, name, "America/Los_Angeles")


def api_orders_of(db, order_id: str) -> dict[str, int]:
    with read_connection(db) as conn:
        rows = conn.execute("SELECT shop.name, COUNT(*) FROM orders JOIN shop USING (shop_id) "
                            "WHERE order_id = :id GROUP BY shop.name", {"id": order_id})
        return {name: count for name, count in rows}


def recent_order(order_id: str) -> dict:
    recent = int(time.time()) - 300
    return api_order(order_id, recent, recent - 60, [(SKU, PRODUCT, 10.0, 0, 0)])


def test_a_sync_naming_no_shop_goes_to_the_shop_beside_the_demo(tmp_path) -> None:
    db = tmp_path / "s.db"
    add_shops(db, DEMO_SHOP_NAME, "Real shop")
    server = FakeTikTokApi().start()
    try:
        server.orders = [recent_order("577000000000000901")]
        client = ApiClient(Credentials.from_mapping(server.credentials()))
        results = sync_all(db, client, kinds=("orders",))
    finally:
        server.stop()
    assert results[0].status == "ok", results[0].message
    assert api_orders_of(db, "577000000000000901") == {"Real shop": 1}


def test_sync_now_lands_in_the_shop_picked_in_the_header(private_app_env) -> None:
    add_shops(private_app_env, "Real shop", "Second shop")
    server = FakeTikTokApi().start()
    try:
        server.orders = [recent_order("577000000000000902")]
        at = AppTest.from_file(APP, default_timeout=60)
        at.secrets["tiktok_shop"] = server.credentials()
        at.run()
        at.selectbox(key="shop").set_value("Second shop").run()
        at.switch_page("pages/import_data.py").run()
        assert not at.exception
        assert at.selectbox(key="sync_shop").value == "Second shop"
        at.button(key="sync_now").click().run()
        assert not at.exception
    finally:
        server.stop()
    assert api_orders_of(private_app_env, "577000000000000902") == {"Second shop": 1}


def test_with_only_the_demo_shop_synced_data_gets_a_shop_of_its_own(tmp_path) -> None:
    db = tmp_path / "s.db"
    add_shops(db, DEMO_SHOP_NAME)
    server = FakeTikTokApi().start()
    try:
        server.orders = [recent_order("577000000000000903")]
        client = ApiClient(Credentials.from_mapping(server.credentials()))
        results = sync_all(db, client, kinds=("orders",))
    finally:
        server.stop()
    assert results[0].status == "ok", results[0].message
    assert api_orders_of(db, "577000000000000903") == {"My shop": 1}
