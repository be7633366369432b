"""TikTok Shop's 2026 order changes through the Open API mapping: replacement and exchange
orders are not new sales, combined orders stay one order each, LIVE room IDs make an order
a LIVE order, subscription orders are sales (README, Platform changes)."""

from __future__ import annotations

from datetime import date

from campaign_core.metrics.content_mix import gmv_by_content
from campaign_core.metrics.core import core_kpis
from campaign_core.openapi.orders_mapping import map_orders
from campaign_core.openapi.store_write import import_parsed_orders
from campaign_core.store import read_connection
from campaign_core.store.order_facts import replacement_counts
from campaign_core.windows import View, Window
from tests.fake_tiktok_api import api_order

PAID = 1_795_000_000
SKU, PRODUCT = "1729000000000000011", "1730000000000000099"
ORIGINAL = "576461413038785752"


def window_all() -> Window:
    return Window(View.PERIOD, 0, 2**40, "UTC", date(2026, 1, 1), date(2026, 12, 31), True)


def store(tmp_path, orders: list[dict]):
    db = tmp_path / "s.db"
    import_parsed_orders(db, map_orders(orders), label="Open API orders sync")
    return db


def kpis(db):
    with read_connection(db) as conn:
        return core_kpis(conn, 1, window_all())


def original_order() -> dict:
    return api_order(ORIGINAL, PAID + 10, PAID, [(SKU, PRODUCT, 10.0, 0, 0)] * 2,
                     status="DELIVERED", user_id="buyer-1")


def test_a_replacement_order_adds_no_gmv_orders_buyers_or_units(tmp_path) -> None:
    replacement = api_order("576461416728782174", PAID + 900, PAID + 800,
                            [(SKU, PRODUCT, 10.0, 0, 0)], user_id="buyer-1")
    replacement.update(is_replacement_order=True, replaced_order_id=ORIGINAL)
    db = store(tmp_path, [original_order(), replacement])
    core = kpis(db)
    assert (core.gmv, core.orders, core.units, core.buyers) == (20, 1, 2, 1)
    with read_connection(db) as conn:
        assert replacement_counts(conn, 1) == {"replacement": 1}
        assert conn.execute("SELECT replaces_order_id FROM order_platform_fact WHERE "
                            "order_id = '576461416728782174'").fetchone()[0] == ORIGINAL


def test_an_exchange_order_adds_no_gmv_orders_buyers_or_units(tmp_path) -> None:
    # The buyer exchanges one unit for another variant through the return journey.
    exchange = api_order("576461416728782175", PAID + 900, PAID + 800,
                         [("1729000000000000012", PRODUCT, 10.0, 0, 0)], user_id="buyer-2")
    exchange.update(is_exchange_order=True, exchange_source_order_id=ORIGINAL)
    db = store(tmp_path, [original_order(), exchange])
    core = kpis(db)
    assert (core.gmv, core.orders, core.units, core.buyers) == (20, 1, 2, 1)
    with read_connection(db) as conn:
        assert replacement_counts(conn, 1) == {"exchange": 1}


def test_the_flag_decides_not_a_filled_source_id(tmp_path) -> None:
    # TikTok's own example response fills replaced_order_id on an order whose flag is false.
    ordinary = api_order("576461416728782176", PAID + 900, PAID + 800,
                         [(SKU, PRODUCT, 10.0, 0, 0)], user_id="buyer-3")
    ordinary.update(is_replacement_order=False, replaced_order_id=ORIGINAL,
                    is_exchange_order=False, exchange_source_order_id=ORIGINAL)
    db = store(tmp_path, [original_order(), ordinary])
    core = kpis(db)
    assert (core.gmv, core.orders, core.units, core.buyers) == (30, 2, 3, 2)


def test_combined_orders_count_once_each(tmp_path) -> None:
    # Automated order combination: one package, one buyer, several orders.
    first = api_order("576461400000000001", PAID + 60, PAID, [(SKU, PRODUCT, 10.0, 0, 0)],
                      user_id="buyer-4")
    second = api_order("576461400000000002", PAID + 120, PAID + 60,
                       [(SKU, PRODUCT, 10.0, 0, 0)] * 3, user_id="buyer-4")
    for order in (first, second):
        order.update(auto_combine_group_id="12345677", split_or_combine_tag="COMBINED",
                     packages=[{"id": "1152321127278713123"}])
    db = store(tmp_path, [first, second])
    core = kpis(db)
    assert (core.gmv, core.orders, core.units, core.buyers) == (40, 2, 4, 1)
    with read_connection(db) as conn:
        groups = conn.execute("SELECT DISTINCT combine_group_id FROM order_platform_fact"
                              ).fetchall()
    assert [tuple(row) for row in groups] == [("12345677",)]


def test_a_room_id_on_every_unit_makes_the_order_live(tmp_path) -> None:
    live = api_order("576461400000000003", PAID + 60, PAID, [(SKU, PRODUCT, 10.0, 0, 0)] * 2)
    for item in live["line_items"]:
        item["room_id"] = "7493990579714164574"
    mixed = api_order("576461400000000004", PAID + 60, PAID, [(SKU, PRODUCT, 5.0, 0, 0)] * 2)
    mixed["line_items"][0]["room_id"] = "7493990579714164574"
    subscription = api_order("576461400000000005", PAID + 60, PAID,
                             [(SKU, PRODUCT, 7.0, 0, 0)])
    subscription["is_subscription_order"] = True
    db = store(tmp_path, [live, mixed, subscription])
    with read_connection(db) as conn:
        channels = dict(conn.execute("SELECT order_id, order_channel FROM orders"))
        slices = {s.content_type: s.gmv for s in gmv_by_content(conn, 1, window_all())}
        facts = dict(conn.execute("SELECT order_id, live_room_ids FROM order_platform_fact"))
        subscribed = conn.execute("SELECT order_id FROM order_platform_fact WHERE "
                                  "is_subscription = 1").fetchall()
    assert channels["576461400000000003"] == "LIVE"
    assert channels["576461400000000004"] is None  # only one unit came from the LIVE
    assert facts["576461400000000004"] == "7493990579714164574"
    assert slices["LIVE"] == 20
    assert [tuple(row) for row in subscribed] == [("576461400000000005",)]
    assert kpis(db).orders == 3  # a subscription order is a sale like any other
