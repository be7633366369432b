"""End to end in a real browser: an export dropped into the inbox of a running app shows
on the Today view by itself (the app's own watcher imports it; the view's auto-refresh
picks it up). Records the delay from the file landing to the new number on screen."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from campaign_core.demo.build import DEMO_SHOP_NAME
from campaign_core.demo.order_files import OrderSpec
from tests.browser.conftest import ARTIFACTS, _free_port, stop_app, wait_for_app
from tests.conftest import DEMO_NOW, PROJECT_ROOT, line, write_export

REFRESH_SECONDS = 5
ORDERS_VALUE_JS = """() => {
  const card = [...document.querySelectorAll('[data-testid="stMetric"]')].find(
    m => m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() === 'Orders');
  return card ? card.querySelector('[data-testid="stMetricValue"]').innerText : null;
}"""


def start_watching_app(db: Path, inbox: Path) -> tuple[subprocess.Popen, str]:
    import urllib.request

    port = _free_port()
    env = {**os.environ, "CAMPAIGN_DB": str(db), "CAMPAIGN_NOW": DEMO_NOW,
           "CAMPAIGN_INBOX": str(inbox), "CAMPAIGN_REFRESH_SECONDS": str(REFRESH_SECONDS),
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not start within 60 s")


def test_a_file_dropped_into_the_inbox_shows_on_the_today_view(browser, demo_copy: Path,
                                                                tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / DEMO_SHOP_NAME).mkdir(parents=True)
    process, url = start_watching_app(demo_copy, inbox)
    delays = []
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(url)
        wait_for_app(page)
        for run in range(3):
            before = page.evaluate(ORDERS_VALUE_JS)
            paid = datetime(2026, 11, 26, 14, 0 + run)  # before the demo's "now", 14:30
            order = OrderSpec(f"57999999999999{run:04d}", "Shipped", paid, paid,
                              [line("77", 1, 2500)], buyer_username=f"late{run}")
            staged = write_export(tmp_path, [order], name=f"All order-2026-11-26-14_1{run}.csv")
            # The demo shop's own subfolder: a file at the top goes to the user's shop.
            staged.rename(inbox / DEMO_SHOP_NAME / staged.name)
            landed = time.monotonic()
            page.wait_for_function(f"() => ({ORDERS_VALUE_JS})() !== {json.dumps(before)}",
                                   timeout=60_000, polling=100)
            delays.append(time.monotonic() - landed)
        errors = page.query_selector_all('[data-testid="stException"]')
        assert not errors, [e.inner_text()[:500] for e in errors]
        page.close()
    finally:
        stop_app(process)
    assert sorted(p.name for p in (inbox / DEMO_SHOP_NAME / "processed").glob("*.csv")) == [
        f"All order-2026-11-26-14_1{run}.csv" for run in range(3)]
    # The watcher's 2 s poll and 2 s stable wait, then the view's refresh interval.
    assert statistics.median(delays) < 4 + REFRESH_SECONDS + 6, delays
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS.parent / "inbox-to-today-delay.json").write_text(json.dumps(
        {"refresh_seconds": REFRESH_SECONDS, "shop": DEMO_SHOP_NAME,
         "delays_s": [round(d, 2) for d in delays],
         "median_s": round(statistics.median(delays), 2)}, indent=2), encoding="utf-8")
