"""Whether the dashboard needs a sign-in is decided from what the server listens on."""

from __future__ import annotations

import socket

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from campaign_core.security.network import is_loopback, listening_addresses
from tests.conftest import PROJECT_ROOT
from tests.test_markdown_text import shown as as_typed

APP = str(PROJECT_ROOT / "app.py")


@pytest.mark.parametrize("address", ["localhost", "LOCALHOST", "127.0.0.1", "127.8.9.10",
                                     "::1", "[::1]", "::ffff:127.0.0.1"])
def test_loopback_addresses_are_local(address):
    assert is_loopback(address)


@pytest.mark.parametrize("address", [None, "", " ", "0.0.0.0", "::", "[::]", "10.0.0.5",
                                     "192.168.1.20", "fe80::1", "example.com",
                                     "unix:///tmp/app.sock", "localhost.evil.example"])
def test_every_other_address_is_exposed(address):
    assert not is_loopback(address)


def test_the_process_listening_sockets_are_found():
    with socket.socket() as wildcard, socket.socket() as loopback, socket.socket() as idle:
        wildcard.bind(("0.0.0.0", 0))
        wildcard.listen()
        loopback.bind(("127.0.0.1", 0))
        loopback.listen()
        idle.bind(("0.0.0.0", 0))  # bound, not listening: reaches nobody
        found = listening_addresses()
    if found is None:
        pytest.skip("this platform lists no open files of a process")
    assert found.count("0.0.0.0") == 1 and "127.0.0.1" in found


@pytest.fixture
def bind_address():
    """Set ``server.address`` for AppTest runs; the project's value comes back after."""
    before = st_config.get_option("server.address")

    def set_to(value):
        st_config.set_option("server.address", value)

    yield set_to
    st_config.set_option("server.address", before)


@pytest.mark.parametrize("address", ["", None, "0.0.0.0", "::", "192.168.1.20"])
def test_an_empty_or_wildcard_address_needs_a_sign_in(app_env, monkeypatch, bind_address,
                                                     address):
    monkeypatch.delenv("CAMPAIGN_EXPOSED", raising=False)
    bind_address(address)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.metric and not at.title
    assert "cannot offer a safe sign-in" in as_typed(at.error[0].value)
    if address in ("", None, "0.0.0.0", "::"):
        assert "every network interface" in as_typed(at.error[0].value)
        assert "--server.address=localhost" in as_typed(at.error[0].value)


def test_a_wildcard_listener_in_the_process_needs_a_sign_in(app_env, monkeypatch,
                                                           bind_address):
    """The option says localhost, but something in this process listens everywhere."""
    monkeypatch.delenv("CAMPAIGN_EXPOSED", raising=False)
    bind_address("localhost")
    with socket.socket() as wildcard:
        wildcard.bind(("0.0.0.0", 0))
        wildcard.listen()
        at = AppTest.from_file(APP, default_timeout=60).run()
    if listening_addresses() is None:
        pytest.skip("this platform lists no open files of a process")
    assert not at.metric and "every network interface" in as_typed(at.error[0].value)
