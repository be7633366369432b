"""Behind a reverse proxy, sign-in limits count the browser's address, not the proxy's."""

import pytest

from campaign_core.security.network import client_behind_proxies

DOCKER = "172.16.0.0/12"


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    assert client_behind_proxies("172.18.0.5", "203.0.113.9", None) == "172.18.0.5"
    assert client_behind_proxies("172.18.0.5", "203.0.113.9", "") == "172.18.0.5"


def test_a_trusted_proxy_forwards_the_browser_address() -> None:
    assert client_behind_proxies("172.18.0.5", "203.0.113.9", DOCKER) == "203.0.113.9"


def test_a_browser_cannot_forge_its_way_past_the_proxy() -> None:
    # The browser wrote "10.0.0.1, 198.51.100.7"; Caddy appended the real peer.
    forwarded = "10.0.0.1, 198.51.100.7, 203.0.113.9"
    assert client_behind_proxies("172.18.0.5", forwarded, DOCKER) == "203.0.113.9"


def test_chained_trusted_proxies_are_skipped() -> None:
    assert client_behind_proxies("172.18.0.5", "203.0.113.9, 172.18.0.9",
                                 DOCKER) == "203.0.113.9"


def test_an_untrusted_peer_is_believed_over_its_header() -> None:
    assert client_behind_proxies("198.51.100.7", "203.0.113.9", DOCKER) == "198.51.100.7"


def test_an_unreadable_entry_stops_at_the_last_trusted_hop() -> None:
    assert client_behind_proxies("172.18.0.5", "not-an-ip", DOCKER) == "172.18.0.5"
    assert client_behind_proxies("172.18.0.5", None, DOCKER) == "172.18.0.5"


def test_a_bad_setting_says_what_to_write() -> None:
    with pytest.raises(ValueError, match="CAMPAIGN_TRUSTED_PROXIES: 'docker'"):
        client_behind_proxies("172.18.0.5", "203.0.113.9", "docker")
