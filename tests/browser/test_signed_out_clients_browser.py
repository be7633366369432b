"""A signed-out websocket client (self-issued XSRF cookie, no browser) may not use the
server: no upload is stored, no cache is cleared. On this machine (no sign-in needed) the
same client may upload, so the guard does not break the Import page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser.conftest import stop_app
from tests.browser.server_process import password_secrets, start_server
from tests.browser.stream_client import StreamClient

pytestmark = pytest.mark.browser

CSV = b"Order ID,Order Status\n576000000000000001,Delivered\n" * 1000


def test_a_signed_out_client_cannot_upload_or_clear_caches(demo_copy: Path, tmp_path: Path):
    password_secrets(tmp_path, "alex", "correct horse battery")
    log = tmp_path / "server.log"
    process, url = start_server(demo_copy, cwd=tmp_path, log=log,
                                flags=["--server.address", "127.0.0.1"],
                                env={"CAMPAIGN_EXPOSED": "1"})
    try:
        with StreamClient(url) as client:
            client.run()
            assert client.session_id and any("Sign in" in text for text in client.texts)
            assert client.upload(CSV) >= 400
            client.clear_cache()
            time.sleep(1)  # the message is handled on the server's loop
    finally:
        stop_app(process)
    logged = log.read_text()
    assert "Refused an upload from a session that has not signed in" in logged
    assert "Ignored a request to clear the caches" in logged


def test_on_this_machine_the_same_client_may_upload(demo_copy: Path, tmp_path: Path):
    process, url = start_server(demo_copy, cwd=tmp_path, log=tmp_path / "server.log",
                                flags=["--server.address", "127.0.0.1"])
    try:
        with StreamClient(url) as client:
            client.run(timeout=120)
            assert client.upload(CSV) == 204
    finally:
        stop_app(process)
