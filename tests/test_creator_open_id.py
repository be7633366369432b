"""Creator Open ID (affiliate APIs 202509): one creator across the API's Open ID and the
exports' handle, so margins join as before (README, Platform changes)."""

from __future__ import annotations

from datetime import date

import pytest

from campaign_core.openapi.client import ApiClient, RetryPolicy
from campaign_core.openapi.credentials import Credentials
from campaign_core.openapi.sync import sync_affiliate_orders, sync_orders
from campaign_core.profit.creator_margin import creator_margins
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.creator_identity import handle_for, learn_identity
from campaign_core.store.creators import upsert_fee
from campaign_core.windows import View, Window
from tests.fake_tiktok_api import FakeTikTokApi, api_order

NOW = 1_795_000_000
SKU, PRODUCT = "1729000000000000011", "1730000000000000099"
OPEN_ID = "-000xG5b0wdYhq8Q2uYyAbJ2ayxnHZAtD3nP"


@pytest.fixture
def fake_api():
    server = FakeTikTokApi().start()
    yield server
    server.stop()


def client_for(server: FakeTikTokApi) -> ApiClient:
    return ApiClient(Credentials.from_mapping(server.credentials()),
                     retry=RetryPolicy(attempts=2, base_delay_s=0.0), clock=lambda: NOW)


def affiliate_order(order_id: str, update: int, **creator) -> dict:
    return {"id": order_id, "status": "COMPLETED", "create_time": update - 600,
            "update_time": update,
            "skus": [{"sku_id": SKU, "product_id": PRODUCT, "quantity": 1,
                      "content_type": "VIDEO", "content_id": "7493990579714164574",
                      "price": {"amount": "10.00", "currency": "USD"},
                      "estimated_paid_commission": {"amount": "1.00", "currency": "USD"},
                      **creator}]}


def margins(db) -> dict[str, tuple[float, float]]:
    """(GMV, fees) in cents by creator key (the handle as every join compares it)."""
    window = Window(View.PERIOD, 1_793_000_000, NOW + 86400, "UTC", date(2026, 10, 26),
                    date(2026, 11, 19), True)
    with read_connection(db) as conn:
        return {m.key: (m.gmv, m.fees) for m in creator_margins(conn, 1, window)}


def test_an_open_id_joins_the_handle_once_a_source_names_both(fake_api, tmp_path) -> None:
    db = tmp_path / "s.db"
    fake_api.orders = [api_order(f"57600000000000000{n}", NOW - 3000 + n, NOW - 4000,
                                 [(SKU, PRODUCT, 10.0, 0, 0)]) for n in (1, 2)]
    assert sync_orders(db, client_for(fake_api), now_utc=NOW).status == "ok"
    with write_transaction(db) as conn:  # a flat fee the seller entered by handle
        upsert_fee(conn, 1, "@Sunny.Days", "2026-11-17", "flat_fee", 500)

    # The 202509 API names the creator by Open ID only: no handle known yet.
    fake_api.affiliate_orders = [affiliate_order("576000000000000001", NOW - 500,
                                                 creator_open_id=OPEN_ID)]
    first = sync_affiliate_orders(db, client_for(fake_api), now_utc=NOW)
    assert first.status == "ok" and "Open ID" in first.message
    before = margins(db)
    assert before[OPEN_ID.casefold()] == (1000, 0)  # listed under the Open ID, not guessed
    assert before["sunny.days"] == (0, 500)  # the fee stands alone: no join yet

    # A later item names both: the mapping is learned and the earlier line follows it.
    fake_api.affiliate_orders.append(affiliate_order(
        "576000000000000002", NOW - 400, creator_open_id=OPEN_ID,
        creator_username="sunny.days"))
    assert sync_affiliate_orders(db, client_for(fake_api), now_utc=NOW + 60).status == "ok"
    joined = margins(db)
    assert joined == {"sunny.days": (2000, 500)}  # one creator: both lines and the fee
    with read_connection(db) as conn:
        assert handle_for(conn, 1, OPEN_ID) == "sunny.days"
        fees = conn.execute("SELECT COUNT(*) FROM creator_fee").fetchone()[0]
        creators = {row[0] for row in conn.execute("SELECT creator FROM affiliate_line")}
    assert fees == 1 and creators == {"sunny.days"}


def test_a_renamed_handle_moves_the_lines_with_it(tmp_path) -> None:
    db = tmp_path / "s.db"
    with write_transaction(db) as conn:
        conn.execute("INSERT INTO shop (shop_id, name, timezone, currency) "
                     "VALUES (1, 'My shop', 'UTC', 'USD')")
        conn.execute("INSERT INTO affiliate_line (shop_id, order_id, sku_id, creator) "
                     "VALUES (1, 'o1', 's1', :open_id)", {"open_id": OPEN_ID})
        assert learn_identity(conn, 1, OPEN_ID, "@first.name", "by hand") == 1
        assert learn_identity(conn, 1, OPEN_ID, "second.name", "by hand") == 1
        with pytest.raises(ValueError):
            learn_identity(conn, 1, OPEN_ID, " ", "by hand")
    with read_connection(db) as conn:
        assert conn.execute("SELECT creator FROM affiliate_line").fetchone()[0] == "second.name"
