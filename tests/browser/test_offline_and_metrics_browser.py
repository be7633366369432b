"""The dashboard works offline: a page load asks nothing of any other host (the page icon
included). ``/_stcore/metrics`` tells a client that has not signed in nothing."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.app_pages import DESKTOP, settle
from tests.browser.conftest import start_app, stop_app
from tests.browser.server_process import password_secrets, start_server
from tests.browser.stream_client import StreamClient

pytestmark = pytest.mark.browser


def test_a_page_load_asks_no_other_host(browser, demo_copy: Path):
    process, url = start_app(demo_copy)
    page = browser.new_page(viewport=DESKTOP)
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if urlparse(request.url).hostname not in (None, "127.0.0.1", "localhost")
            and not request.url.startswith(("data:", "blob:")) else None)
    try:
        page.goto(url)
        settle(page, '[data-testid="stMetric"]')
        page.wait_for_timeout(1_000)  # the favicon is set after the first run
        assert outside == []
    finally:
        page.close()
        stop_app(process)


def test_metrics_tell_a_signed_out_client_nothing(demo_copy: Path, tmp_path: Path):
    password_secrets(tmp_path, "alex", "correct horse battery")
    process, url = start_server(demo_copy, cwd=tmp_path, log=tmp_path / "server.log",
                                flags=["--server.address", "127.0.0.1"],
                                env={"CAMPAIGN_EXPOSED": "1"})
    try:
        with StreamClient(url) as client:
            client.run()
        with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=30) as response:
            text = response.read().decode()
    finally:
        stop_app(process)
    figures = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert figures == [] and "ui.data" not in text
