"""The Open API connector against a local fake server: signing, pagination, retries,
an expired token, incremental updates, unit-to-line grouping, affiliate orders, inventory."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from campaign_core.metrics.core import core_kpis
from campaign_core.openapi.client import ApiClient, ApiError, RetryPolicy, TokenExpired
from campaign_core.openapi.credentials import Credentials, MissingCredentials, load_credentials
from campaign_core.openapi.orders_mapping import map_orders
from campaign_core.openapi.signing import sign, string_to_sign
from campaign_core.openapi.sync import sync_affiliate_orders, sync_all, sync_orders
from campaign_core.store import read_connection
from campaign_core.store.sync_state import recent_runs
from campaign_core.windows import View, Window
from tests.fake_tiktok_api import FakeTikTokApi, api_order

NOW = 1_795_000_000  # 2026-11-18, a fixed "now" for the incremental windows
SKU_A, SKU_B, PRODUCT = "1729000000000000011", "1729000000000000012", "1730000000000000099"


@pytest.fixture
def fake_api():
    server = FakeTikTokApi().start()
    yield server
    server.stop()


def client_for(server: FakeTikTokApi, token: str | None = None, **options) -> ApiClient:
    credentials = Credentials.from_mapping(server.credentials(*(token,) if token else ()))
    return ApiClient(credentials, retry=RetryPolicy(attempts=4, base_delay_s=0.0),
                     clock=lambda: NOW, **options)


def window_all() -> Window:
    from datetime import date
    return Window(View.PERIOD, 0, 2**40, "UTC", date(2026, 1, 1), date(2026, 12, 31), True)


# --- signing -------------------------------------------------------------------------------


def test_signing_follows_the_documented_steps() -> None:
    params = {"timestamp": "1700000000", "app_key": "abc", "shop_cipher": "C",
              "sign": "old", "access_token": "secret-token", "page_size": "10"}
    text = string_to_sign("S", "/order/202309/orders/search", params, b'{"a":1}')
    # Sorted, sign and access_token left out, body appended, wrapped in the secret.
    assert text == 'S/order/202309/orders/searchapp_keyabcpage_size10shop_cipherC' \
                   'timestamp1700000000{"a":1}S'
    expected = hmac.new(b"S", text.encode(), hashlib.sha256).hexdigest()
    assert sign("S", "/order/202309/orders/search", params, b'{"a":1}') == expected
    assert sign("S", "/x", params, b"") != sign("S", "/x", {**params, "page_size": "11"}, b"")


def test_a_wrongly_signed_request_is_refused(fake_api: FakeTikTokApi) -> None:
    credentials = Credentials.from_mapping({**fake_api.credentials(), "app_secret": "wrong"})
    client = ApiClient(credentials, retry=RetryPolicy(attempts=1), clock=lambda: NOW)
    with pytest.raises(ApiError, match="106001"):
        client.call("POST", "/order/202309/orders/search", body={})


def test_credentials_come_from_secrets_toml_and_are_never_shown(tmp_path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[tiktok_shop]\napp_key = "k"\napp_secret = "very-secret"\n'
                       'access_token = "tok-123"\nshop_cipher = "c"\n', encoding="utf-8")
    credentials = load_credentials(secrets)
    assert credentials.app_key == "k" and credentials.base_url.startswith("https://")
    assert "very-secret" not in repr(credentials) and "tok-123" not in repr(credentials)
    secrets.write_text('[tiktok_shop]\napp_key = "k"\n', encoding="utf-8")
    with pytest.raises(MissingCredentials, match="app_secret, access_token, shop_cipher"):
        load_credentials(secrets)


# --- transport: pagination, retries, expired token ------------------------------------


def test_pages_follow_next_page_token(fake_api: FakeTikTokApi) -> None:
    fake_api.orders = [api_order(f"5770000000000{n:05d}", NOW - 100 + n, NOW - 200,
                                 [(SKU_A, PRODUCT, 10.0, 0, 0)]) for n in range(7)]
    client = client_for(fake_api)
    pages = list(client.pages("POST", "/order/202309/orders/search", "orders",
                              body={"update_time_ge": 0}, page_size=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [r["query"].get("page_token") is not None for r in fake_api.requests] == \
        [False, True, True]
    assert all("access_token" not in r["query"] for r in fake_api.requests)


def test_429_and_5xx_are_retried_with_back_off(fake_api: FakeTikTokApi) -> None:
    fake_api.fail_next = [429, 500, 503]
    waits: list[float] = []
    client = client_for(fake_api, sleep=waits.append)
    data = client.call("POST", "/order/202309/orders/search", body={})
    assert data["orders"] == [] and client.retries == 3
    assert waits[0] == 0.0  # Retry-After: 0 from the 429 is honoured
    assert [r["status"] for r in fake_api.requests] == [429, 500, 503, 200]


def test_retries_give_up_with_a_clear_error(fake_api: FakeTikTokApi) -> None:
    fake_api.fail_next = [500] * 10
    with pytest.raises(ApiError, match="gave up after 4 attempts .*HTTP 500"):
        client_for(fake_api, sleep=lambda s: None).call("POST", "/order/202309/orders/search")


def test_an_expired_token_stops_at_once_without_retrying(fake_api: FakeTikTokApi,
                                                         tmp_path) -> None:
    fake_api.expired = True
    client = client_for(fake_api)
    with pytest.raises(TokenExpired, match="access token is expired"):
        client.call("POST", "/order/202309/orders/search", body={})
    assert len(fake_api.requests) == 1
    results = sync_all(tmp_path / "s.db", client_for(fake_api), now_utc=NOW)
    assert [r.kind for r in results] == ["orders"]  # the other kinds are not tried
    assert results[0].status == "failed" and "token" in results[0].message
    assert "good-token" not in results[0].message
    with read_connection(tmp_path / "s.db") as conn:
        assert recent_runs(conn)[0].status == "failed"


# --- mapping -------------------------------------------------------------------------------


def test_line_items_are_units_grouped_into_sku_lines() -> None:
    order = api_order("577000000000000001", NOW, NOW - 50,
                      [(SKU_A, PRODUCT, 12.99, 1.00, 0.50)] * 3 + [(SKU_B, PRODUCT, 5.0, 0, 0)])
    parsed = map_orders([order])
    lines = parsed.orders["577000000000000001"]["lines"]
    assert [(ln["sku_id"], ln["quantity"]) for ln in lines] == [(SKU_A, 3), (SKU_B, 1)]
    first = lines[0]
    assert first["subtotal_before_cents"] == 3897 and first["seller_discount_cents"] == 300
    assert first["platform_discount_cents"] == 150 and first["gmv_cents"] == 3597
    assert first["unit_original_price_cents"] == 1299 and first["status"] == "awaiting_shipment"


def test_statuses_samples_and_unpaid_orders_map_like_the_export() -> None:
    unpaid = api_order("577000000000000002", NOW, None, [(SKU_A, PRODUCT, 9.0, 0, 0)],
                       status="UNPAID")
    sample = api_order("577000000000000003", NOW, NOW - 9, [(SKU_A, PRODUCT, 9.0, 0, 0)],
                       is_sample=True)
    held = api_order("577000000000000004", NOW, NOW - 9, [(SKU_A, PRODUCT, 9.0, 0, 0)],
                     status="ON_HOLD")
    parsed = map_orders([unpaid, sample, held])
    assert parsed.orders[unpaid["id"]]["paid_utc"] is None
    assert parsed.orders[sample["id"]]["is_sample"] == 1
    assert parsed.orders[held["id"]]["status"] == "awaiting_shipment"
    assert "buyer_message" not in parsed.orders[held["id"]]


def test_an_unreadable_order_is_quarantined_and_the_rest_kept() -> None:
    good = api_order("577000000000000005", NOW, NOW - 9, [(SKU_A, PRODUCT, 9.0, 0, 0)])
    bad = api_order("577000000000000006", NOW, NOW - 9, [(SKU_A, PRODUCT, 9.0, 0, 0)])
    bad["line_items"][0]["original_price"] = "nine dollars"
    parsed = map_orders([good, bad])
    assert list(parsed.orders) == [good["id"]] and parsed.quarantined_rows == 1
    problem = parsed.problems[0]
    assert (problem.file_line, problem.column, problem.raw_value) == (2, "original_price",
                                                                      "nine dollars")


# --- sync into the store -------------------------------------------------------------------


def test_incremental_sync_stores_updates_once(fake_api: FakeTikTokApi, tmp_path) -> None:
    db = tmp_path / "store.db"
    first = api_order("577000000000000010", NOW - 500, NOW - 600,
                      [(SKU_A, PRODUCT, 20.0, 2.0, 1.0)] * 2)
    second = api_order("577000000000000011", NOW - 400, NOW - 450, [(SKU_B, PRODUCT, 8.0, 0, 0)])
    fake_api.orders = [first, second]
    result = sync_orders(db, client_for(fake_api), now_utc=NOW)
    assert result.status == "ok" and result.counts.new == 2 and result.cursor_utc == NOW - 400
    with read_connection(db) as conn:
        kpis = core_kpis(conn, 1, window_all())
        assert (kpis.orders, kpis.units, str(kpis.gmv)) == (2, 3, "44.00")
        log = conn.execute("SELECT kind, status FROM import_log").fetchall()
        assert [tuple(r) for r in log] == [("api_orders", "imported")]
    # Later: the first order is cancelled; the next pull starts at the cursor less the
    # lookback and only the changed order counts as updated.
    first_cancelled = api_order("577000000000000010", NOW + 100, NOW - 600,
                                [(SKU_A, PRODUCT, 20.0, 2.0, 1.0)] * 2, status="CANCELLED")
    fake_api.orders = [first_cancelled, second]
    fake_api.requests.clear()
    again = sync_orders(db, client_for(fake_api), now_utc=NOW + 200, lookback_s=3600)
    assert fake_api.requests[0]["body"]["update_time_ge"] == NOW - 400 - 3600
    assert (again.counts.updated, again.counts.unchanged, again.counts.new) == (1, 1, 0)
    with read_connection(db) as conn:
        kpis = core_kpis(conn, 1, window_all())
        assert str(kpis.refunds) == "36.00" and kpis.orders == 2  # GMV kept, refunded
    unchanged = sync_orders(db, client_for(fake_api), now_utc=NOW + 300)
    assert unchanged.counts.unchanged == 2 and unchanged.counts.updated == 0


def test_affiliate_orders_attach_to_the_stored_order_line(fake_api: FakeTikTokApi,
                                                          tmp_path) -> None:
    db = tmp_path / "store.db"
    fake_api.orders = [api_order("577000000000000020", NOW - 50, NOW - 60,
                                 [(SKU_A, PRODUCT, 30.0, 0, 0)])]
    fake_api.affiliate_orders = [{
        "id": "577000000000000020", "status": "COMPLETED", "update_time": NOW - 40,
        "create_time": NOW - 70, "skus": [{
            "creator_username": "glowgirl", "product_id": PRODUCT, "quantity": 1,
            "content_type": "VIDEO", "content_id": "7493990579714164574",
            "price": {"amount": "30.00", "currency": "USD"},
            "estimated_paid_commission": {"amount": "3.00", "currency": "USD"},
            "actual_paid_commission": {"amount": "0", "currency": "USD"},
            "estimated_paid_shop_ads_commission": {"amount": "1.50", "currency": "USD"}}]},
        {"id": "577000000000000099", "status": "COMPLETED", "update_time": NOW - 30,
         "skus": [{"product_id": PRODUCT, "creator_username": "x"}]}]
    sync_orders(db, client_for(fake_api), now_utc=NOW)
    result = sync_affiliate_orders(db, client_for(fake_api), now_utc=NOW)
    assert result.status == "ok" and "1 item left out" in result.message
    with read_connection(db) as conn:
        row = conn.execute("SELECT sku_id, creator, content_kind, commission_cents, paid_utc "
                           "FROM affiliate_line").fetchone()
    assert tuple(row) == (SKU_A, "glowgirl", "video", 450, NOW - 60)
    again = sync_affiliate_orders(db, client_for(fake_api), now_utc=NOW + 10)
    assert (again.counts.unchanged, again.counts.new) == (1, 0)  # stored once
    with read_connection(db) as conn:
        content = conn.execute("SELECT kind, creator FROM content").fetchall()
    assert [tuple(r) for r in content] == [("video", "glowgirl")]


def test_inventory_sync_goes_through_the_stock_importer(fake_api: FakeTikTokApi,
                                                         tmp_path) -> None:
    db = tmp_path / "store.db"
    fake_api.orders = [api_order("577000000000000030", NOW - 50, NOW - 60,
                                 [(SKU_A, PRODUCT, 30.0, 0, 0)])]
    fake_api.inventory = {PRODUCT: [{"id": SKU_A, "seller_sku": "SKU-011",
                                     "total_available_quantity": 42,
                                     "total_committed_quantity": 3}]}
    results = sync_all(db, client_for(fake_api), now_utc=NOW)
    assert [r.status for r in results] == ["ok", "ok", "ok"], [r.message for r in results]
    with read_connection(db) as conn:
        stock = conn.execute("SELECT sku_id, available, reserved, source FROM "
                             "stock_snapshot").fetchall()
        runs = {r.kind: r.status for r in recent_runs(conn)}
    assert [tuple(r) for r in stock] == [(SKU_A, 42, 3, "api")]
    assert runs == {"orders": "ok", "affiliate_orders": "ok", "inventory": "ok"}


def test_the_sync_command_reads_secrets_and_reports_each_kind(fake_api: FakeTikTokApi,
                                                               tmp_path, capsys) -> None:
    import time

    from campaign_core.cli import main

    recent = int(time.time()) - 100  # the command reads the real clock
    fake_api.orders = [api_order("577000000000000040", recent, recent - 50,
                                 [(SKU_A, PRODUCT, 30.0, 0, 0)])]
    secrets = tmp_path / "secrets.toml"
    lines = [f'{k} = "{v}"' for k, v in fake_api.credentials().items()]
    secrets.write_text("[tiktok_shop]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    code = main(["sync", "--db", str(tmp_path / "s.db"), "--secrets", str(secrets)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines()[0].startswith("sync orders: records=1 pages=1 new=1")
    assert "test-secret" not in out and "good-token" not in out
    fake_api.expired = True
    assert main(["sync", "--db", str(tmp_path / "s.db"), "--secrets", str(secrets)]) == 1
    assert "sync orders: failed: token:" in capsys.readouterr().out


def test_a_sync_counts_as_an_update_for_data_as_of(fake_api: FakeTikTokApi, tmp_path) -> None:
    from campaign_core.freshness import data_as_of

    db = tmp_path / "store.db"
    fake_api.orders = [api_order("577000000000000050", NOW - 50, NOW - 60,
                                 [(SKU_A, PRODUCT, 30.0, 0, 0)])]
    sync_orders(db, client_for(fake_api), now_utc=NOW)
    with read_connection(db) as conn:
        fresh = data_as_of(conn, 1, NOW)
    assert fresh.latest_paid_utc == NOW - 60 and fresh.last_import_utc is not None
    fake_api.orders = []  # nothing new: the sync still counts as "checked just now"
    sync_orders(db, client_for(fake_api), now_utc=NOW + 60)
    with read_connection(db) as conn:
        runs = conn.execute("SELECT COUNT(*) FROM import_log WHERE kind = 'api_orders' "
                            "AND status = 'imported'").fetchone()[0]
    assert runs == 2


def test_an_order_on_hold_synced_counts_in_gmv_by_paid_time_and_awaiting_shipment(
        fake_api: FakeTikTokApi, tmp_path) -> None:
    """ON_HOLD (on for all apps from Q1 2026, issue 25): paid, not yet released for
    shipping; stored as awaiting shipment, in GMV by its paid time."""
    from datetime import date

    from campaign_core.metrics.operations import shop_operations
    db = tmp_path / "store.db"
    held = api_order("577000000000000030", NOW - 50, NOW - 60,
                     [(SKU_A, PRODUCT, 25.0, 0, 0)] * 2, status="ON_HOLD")
    fake_api.orders = [held]
    assert sync_orders(db, client_for(fake_api), now_utc=NOW).status == "ok"
    paid_window = Window(View.PERIOD, NOW - 3600, NOW, "UTC", date(2026, 11, 18),
                         date(2026, 11, 18), True)
    before = Window(View.PERIOD, NOW - 7200, NOW - 3600, "UTC", date(2026, 11, 18),
                    date(2026, 11, 18), True)
    with read_connection(db) as conn:
        kpis = core_kpis(conn, 1, paid_window)
        assert (kpis.orders, kpis.units, str(kpis.gmv)) == (1, 2, "50.00")
        assert core_kpis(conn, 1, before).orders == 0
        ops = shop_operations(conn, 1, paid_window)
    assert (ops.awaiting_shipment, ops.unrecognised_status) == (1, 0)
