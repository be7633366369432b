"""The Open API paths and versions the sync calls: only the current ones, none sunset, a
sunset or legacy path refused with its successor named, and HTTPS only."""

from __future__ import annotations

from datetime import date

import pytest

from campaign_core.openapi.client import ApiClient, ApiError, RetryPolicy
from campaign_core.openapi.credentials import Credentials
from campaign_core.openapi.sync import sync_all
from campaign_core.openapi.versions import (
    CALLED,
    EndpointSunset,
    check_base_url,
    check_endpoint,
)
from tests.fake_tiktok_api import FakeTikTokApi, api_order

NOW = 1_795_000_000  # 2026-11-18
SKU, PRODUCT = "1729000000000000011", "1730000000000000099"


@pytest.fixture
def fake_api():
    server = FakeTikTokApi().start()
    yield server
    server.stop()


def client_for(server: FakeTikTokApi, **changes) -> ApiClient:
    credentials = Credentials.from_mapping({**server.credentials(), **changes})
    return ApiClient(credentials, retry=RetryPolicy(attempts=2, base_delay_s=0.0),
                     clock=lambda: NOW)


def test_the_sync_calls_exactly_the_listed_current_versions(fake_api, tmp_path) -> None:
    fake_api.orders = [api_order("576000000000000001", NOW - 60, NOW - 120,
                                 [(SKU, PRODUCT, 10.0, 0, 0)])]
    fake_api.inventory = {PRODUCT: [{"id": SKU, "total_available_quantity": 5}]}
    results = sync_all(tmp_path / "s.db", client_for(fake_api), now_utc=NOW)
    assert [r.status for r in results] == ["ok", "ok", "ok"], [r.message for r in results]
    called = {request["path"] for request in fake_api.requests}
    assert called == {endpoint.path for endpoint in CALLED.values()}
    assert called == {"/order/202309/orders/search", "/affiliate_seller/202509/orders/search",
                      "/product/202309/inventory/search"}
    today = date(2026, 11, 18)
    for endpoint in CALLED.values():
        assert endpoint.version >= "202309"
        check_endpoint(endpoint.path, today)  # raises for anything sunset


def test_get_payments_202309_is_refused_from_its_sunset_naming_202605() -> None:
    check_endpoint("/finance/202309/payments", date(2026, 8, 14))
    with pytest.raises(EndpointSunset, match="/finance/202605/payments"):
        check_endpoint("/finance/202309/payments", date(2026, 8, 15))
    check_endpoint("/finance/202605/payments", date(2026, 12, 1))


def test_legacy_affiliate_and_v1_paths_are_refused_with_their_successor() -> None:
    check_endpoint("/affiliate_seller/202410/orders/search", date(2026, 10, 11))
    with pytest.raises(EndpointSunset, match="202509"):
        check_endpoint("/affiliate_seller/202410/orders/search", date(2026, 10, 12))
    with pytest.raises(EndpointSunset, match="legacy V1"):
        check_endpoint("/api/orders/search", date(2025, 1, 1))
    with pytest.raises(EndpointSunset, match="legacy V1"):
        check_endpoint("/order/202212/orders/search", date(2025, 1, 1))
    with pytest.raises(EndpointSunset, match="202501"):
        check_endpoint("/finance/202309/orders/5764/statement_transactions", date(2025, 7, 1))


def test_a_sunset_path_fails_before_any_request(fake_api) -> None:
    with pytest.raises(ApiError, match="use /finance/202605/payments"):
        client_for(fake_api).call("GET", "/finance/202309/payments")
    assert fake_api.requests == []


def test_the_gateway_is_https_only() -> None:
    check_base_url("https://open-api.tiktokglobalshop.com")
    check_base_url("http://127.0.0.1:8080")  # a local test server or TLS proxy
    with pytest.raises(ValueError, match="HTTPS only since 2026-06-17"):
        check_base_url("http://open-api.tiktokglobalshop.com")


def test_a_plain_http_gateway_fails_the_sync_with_a_message(fake_api, tmp_path) -> None:
    client = client_for(fake_api, base_url="http://open-api.tiktokglobalshop.com")
    results = sync_all(tmp_path / "s.db", client, kinds=("orders",), now_utc=NOW)
    assert results[0].status == "failed"
    assert "https://" in results[0].message
