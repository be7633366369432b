"""The Open API connector's limits against a hostile fake server: a slow drip, an oversized
page, endless page tokens, a 429 storm, a redirect to another host, a sync killed midway."""

from __future__ import annotations

import threading
import time

import pytest

from campaign_core.openapi.client import ApiClient, ApiError, Limits, RetryPolicy
from campaign_core.openapi.credentials import Credentials
from campaign_core.openapi.sync import sync_all, sync_orders
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.shops import resolve_shop
from campaign_core.store.sync_state import recent_runs, start_run
from tests.fake_tiktok_api import TOKEN, FakeTikTokApi, HeaderRecorder, api_order

NOW = 1_795_000_000
SKU, PRODUCT = "1729000000000000011", "1730000000000000099"
ORDERS_PATH = "/order/202309/orders/search"


@pytest.fixture
def fake_api():
    server = FakeTikTokApi().start()
    yield server
    server.stop()


def client_for(server: FakeTikTokApi, limits: Limits | None = None,
               **options) -> ApiClient:
    credentials = Credentials.from_mapping(server.credentials())
    extra = {"limits": limits} if limits else {}
    return ApiClient(credentials, clock=lambda: NOW, **extra, **options)


def orders(count: int) -> list[dict]:
    return [api_order(f"5770000000{n:08d}", NOW - 1000 + n, NOW - 2000,
                      [(SKU, PRODUCT, 10.0, 0, 0)]) for n in range(count)]


def outcome_within(seconds: float, work):
    """Run ``work`` in a thread; fail when it still runs after ``seconds``. Returns what
    it returned or the exception it raised."""
    box: list = []

    def run() -> None:
        try:
            box.append(work())
        except Exception as error:  # handed back to the test
            box.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return box[0]


def test_a_slow_drip_answer_is_cut_off_at_the_request_limit(fake_api) -> None:
    fake_api.drip_delay_s = 0.05  # a ~200-byte answer takes 10 s, each byte well in time
    client = client_for(fake_api, Limits(request_s=1.0),
                        retry=RetryPolicy(attempts=2, base_delay_s=0.0))
    started = time.monotonic()
    error = outcome_within(8, lambda: client.call("POST", ORDERS_PATH, body={}))
    assert isinstance(error, ApiError) and "longer than 1 s" in str(error)
    assert time.monotonic() - started < 8


def test_a_page_larger_than_asked_for_is_refused_and_nothing_stored(fake_api, tmp_path) -> None:
    fake_api.orders = orders(120)
    fake_api.ignore_page_size = True
    result = sync_orders(tmp_path / "s.db", client_for(fake_api), now_utc=NOW)
    assert result.status == "failed" and "120 items" in result.message
    with read_connection(tmp_path / "s.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0


def test_an_answer_over_the_size_limit_is_refused(fake_api) -> None:
    fake_api.orders = orders(50)
    client = client_for(fake_api, Limits(response_bytes=20_000))
    with pytest.raises(ApiError, match="larger than 20,000 bytes"):
        client.call("POST", ORDERS_PATH, params={"page_size": 50}, body={})


def test_endless_page_tokens_stop_at_the_page_limit_and_keep_what_came(fake_api,
                                                                       tmp_path) -> None:
    fake_api.orders = orders(3)
    fake_api.endless_pages = True
    result = sync_orders(tmp_path / "s.db", client_for(fake_api, Limits(pages=5)),
                         now_utc=NOW)
    assert len(fake_api.requests) == 5
    assert result.status == "ok" and result.counts.new == 3
    assert "stopped after 5 pages" in result.message


def test_a_429_storm_gives_up_within_the_retry_budget(fake_api, tmp_path) -> None:
    fake_api.fail_next = [429] * 10_000
    fake_api.retry_after = "30"
    waits: list[float] = []
    results = sync_all(tmp_path / "s.db", client_for(fake_api, sleep=waits.append),
                       now_utc=NOW)
    statuses = {r.kind: r.status for r in results}
    assert statuses["orders"] == statuses["affiliate_orders"] == "failed"
    assert sum(waits) <= Limits().retry_wait_s
    assert "HTTP 429" in results[0].message and "HTTP 429" in results[1].message


def test_a_redirect_to_another_host_is_not_followed(fake_api) -> None:
    elsewhere = HeaderRecorder()
    try:
        fake_api.redirect_to = elsewhere.url
        with pytest.raises(ApiError, match="redirect"):
            client_for(fake_api).call("POST", ORDERS_PATH, body={})
        assert elsewhere.headers == []
        assert not any(TOKEN in str(h) for h in elsewhere.headers)
    finally:
        elsewhere.stop()


def test_a_sync_killed_midway_is_marked_failed(fake_api, tmp_path) -> None:
    db = tmp_path / "s.db"
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, None, None)
        killed = start_run(conn, "orders", shop.shop_id, now_utc=int(time.time()) - 3 * 3600)
    with read_connection(db) as conn:
        [run] = recent_runs(conn)
    assert run.run_id == killed and run.status == "failed"
    assert "did not finish" in run.message

    sync_orders(db, client_for(fake_api), now_utc=NOW)
    with read_connection(db) as conn:
        status = conn.execute("SELECT status, message FROM sync_run WHERE run_id = :id",
                              {"id": killed}).fetchone()
    assert status[0] == "failed" and "did not finish" in status[1]


def test_an_empty_inventory_answer_says_what_happened(fake_api, tmp_path) -> None:
    db = tmp_path / "s.db"
    empty_store = sync_all(db, client_for(fake_api), kinds=("inventory",), now_utc=NOW)[0]
    assert "no products in the store yet" in empty_store.message

    fake_api.orders = orders(2)
    fake_api.inventory = {}  # the API knows none of the store's products
    results = sync_all(db, client_for(fake_api), kinds=("orders", "inventory"), now_utc=NOW)
    message = results[1].message
    assert "no products in the store yet" not in message
    assert "1 product" in message and "no inventory" in message


def test_requests_go_through_the_proxy_the_environment_names(fake_api, monkeypatch) -> None:
    # The fake answers a proxy's absolute request target as well: it plays the proxy for
    # an API host that does not resolve.
    monkeypatch.setenv("http_proxy", fake_api.base_url)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    credentials = Credentials.from_mapping({**fake_api.credentials(),
                                            "base_url": "http://api.example.invalid"})
    data = ApiClient(credentials, clock=lambda: NOW).call("POST", ORDERS_PATH, body={})
    assert data["orders"] == [] and fake_api.requests[0]["path"] == ORDERS_PATH
