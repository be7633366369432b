"""Measure the real-time numbers the issue asks for (not a test; run it by hand):

    python -m tests.measure_realtime [--runs 5] [--orders 5000]

1. Inbox to dashboard: a watcher service runs in a thread (default poll 2 s, stable 2 s);
   an orders export with one new order paid a minute ago is written into the inbox; the
   query the Today view's cards run (``core_kpis`` over the Today window, on a read-only
   connection) is polled every 50 ms until the order shows. The page itself re-reads on its
   refresh interval (``CAMPAIGN_REFRESH_SECONDS``, 60 by default), which adds up to that
   interval on top.
2. Sync throughput: ``sync_orders`` against the local fake API holding N orders of 2 SKUs
   (3 units) each, 50 orders a page: orders stored per second, end to end.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.demo.order_files import OrderSpec
from campaign_core.inbox.service import WatchOptions, WatchService
from campaign_core.metrics.core import core_kpis
from campaign_core.openapi.client import ApiClient
from campaign_core.openapi.credentials import Credentials
from campaign_core.openapi.sync import sync_orders
from campaign_core.store import read_connection
from campaign_core.windows import today_window
from tests.conftest import TZ, line, write_export
from tests.fake_tiktok_api import FakeTikTokApi, api_order


def today_orders(db: Path) -> int:
    with read_connection(db) as conn:
        return core_kpis(conn, 1, today_window(datetime.now(UTC), TZ)).orders


def inbox_delays(runs: int, poll: float, stable: float) -> list[float]:
    folder = Path(tempfile.mkdtemp())
    db, inbox = folder / "store.db", folder / "inbox"
    service = WatchService(db, inbox, WatchOptions(timezone=TZ, poll_seconds=poll,
                                                   stable_seconds=stable,
                                                   alert_every_s=3600), say=lambda _: None)
    stop = threading.Event()
    threading.Thread(target=service.run, kwargs={"should_stop": stop.is_set},
                     daemon=True).start()
    delays = []
    try:
        for run in range(runs):
            paid = datetime.now(ZoneInfo(TZ)).replace(tzinfo=None) - timedelta(minutes=1)
            order = OrderSpec(f"5790000000000{run:05d}", "Shipped", paid, paid,
                              [line("01", 1, 1999)], buyer_username=f"m{run}")
            before = today_orders(db) if db.exists() else 0
            staging = folder / f"All order-{run}.csv"
            write_export(folder, [order], name=staging.name)
            staging.rename(inbox / staging.name)  # lands whole, as a finished download does
            landed = time.monotonic()
            while not db.exists() or today_orders(db) == before:
                time.sleep(0.05)
            delays.append(time.monotonic() - landed)
            time.sleep(poll)  # the next file lands at a random point of the poll cycle
    finally:
        stop.set()
    return delays


def sync_throughput(orders: int) -> tuple[float, float]:
    server = FakeTikTokApi().start()
    now = int(time.time())
    sku_a, sku_b, product = "1729000000000000011", "1729000000000000012", "1730000000000000099"
    server.orders = [api_order(f"57800000{n:010d}", now - 10_000 + n % 9000, now - 20_000,
                               [(sku_a, product, 12.99, 1.0, 0.5)] * 2
                               + [(sku_b, product, 5.0, 0, 0)]) for n in range(orders)]
    try:
        db = Path(tempfile.mkdtemp()) / "store.db"
        client = ApiClient(Credentials.from_mapping(server.credentials()))
        started = time.monotonic()
        result = sync_orders(db, client, now_utc=now)
        seconds = time.monotonic() - started
        assert result.status == "ok" and result.counts.new == orders, result
        return seconds, orders / seconds
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--poll", type=float, default=2.0)
    parser.add_argument("--stable", type=float, default=2.0)
    args = parser.parse_args()
    delays = inbox_delays(args.runs, args.poll, args.stable)
    print(f"inbox -> Today query (poll {args.poll:g} s, stable {args.stable:g} s): median "
          f"{statistics.median(delays):.2f} s, runs {', '.join(f'{d:.2f}' for d in delays)}")
    seconds, rate = sync_throughput(args.orders)
    print(f"sync of {args.orders:,} orders (3 units, 2 SKU lines each) from the fake API: "
          f"{seconds:.2f} s, {rate:,.0f} orders/s")


if __name__ == "__main__":
    main()
