"""Live demo: new demo orders keep arriving, so the Today view moves during a demo.

Every ``interval`` seconds a few orders, paid at the clock's "now", are written as a small
"All order" export and imported through the normal importer into the demo shop; how many
follows the demo's hour-of-day profile (a Poisson draw, ``PEAK_ORDERS_PER_TICK`` on average
in the busiest hour). Off unless asked for (``demo --live``); it only ever writes to the
demo shop of a store the demo built, and refuses any other store.
"""

from __future__ import annotations

import math
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.demo.build import DEMO_CATEGORY, demo_folder
from campaign_core.demo.generator import _HOUR_WEIGHTS
from campaign_core.demo.order_files import LineSpec, OrderSpec, order_rows, write_orders_csv
from campaign_core.importers.pipeline import import_file
from campaign_core.store import read_connection
from campaign_core.store.shops import DEMO_SHOP_NAME, find_shop

PEAK_ORDERS_PER_TICK = 3.0
DEFAULT_INTERVAL_SECONDS = 5.0
_CATALOGUE_SIZE = 40


class LiveDemoError(RuntimeError):
    """The store is not one the live demo may write to; the message says why."""


@dataclass(frozen=True)
class _Product:
    sku_id: str
    product_id: str
    product_name: str
    unit_price_cents: int


def demo_shop_id(conn: sqlite3.Connection) -> int:
    """The demo shop's id. Raises ``LiveDemoError`` unless the store holds the demo shop as
    the demo builds it (its name and category, and at least one demo campaign)."""
    shop = find_shop(conn, DEMO_SHOP_NAME)
    if shop is None:
        raise LiveDemoError("this store has no demo shop: build it with the demo command "
                            "first; the live demo never writes to a real shop")
    category = conn.execute("SELECT category FROM shop WHERE shop_id = ?",
                            (shop.shop_id,)).fetchone()[0]
    campaigns = conn.execute("SELECT COUNT(*) FROM campaign WHERE shop_id = ?",
                             (shop.shop_id,)).fetchone()[0]
    if category != DEMO_CATEGORY or not campaigns:
        raise LiveDemoError(f"the shop named {DEMO_SHOP_NAME!r} was not built by the demo "
                            "command: the live demo refuses to write to it")
    return shop.shop_id


def _catalogue(conn: sqlite3.Connection, shop_id: int) -> list[_Product]:
    rows = conn.execute(
        "SELECT sku_id, product_id, MAX(product_name) AS name, "
        "MAX(unit_original_price_cents) AS price FROM order_line "
        "WHERE shop_id = :shop_id AND is_sample = 0 AND unit_original_price_cents > 0 "
        "GROUP BY sku_id, product_id ORDER BY SUM(quantity) DESC, sku_id LIMIT :count",
        {"shop_id": shop_id, "count": _CATALOGUE_SIZE}).fetchall()
    return [_Product(row[0], row[1], row[2] or "", row[3]) for row in rows]


def orders_this_tick(rng: random.Random, hour: int,
                     peak: float = PEAK_ORDERS_PER_TICK) -> int:
    """A Poisson draw with mean ``peak`` x the hour's weight / the busiest hour's."""
    mean = peak * _HOUR_WEIGHTS[hour] / max(_HOUR_WEIGHTS)
    # Knuth's method: small means only.
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def add_live_orders(db_path: Path | str, now: datetime, rng: random.Random,
                    count: int | None = None) -> int:
    """Import ``count`` new demo orders paid at ``now`` (aware) into the demo shop (default
    ``orders_this_tick`` for the shop's hour); returns how many were added.

    Raises ``LiveDemoError`` when the store has no demo shop built by the demo."""
    with read_connection(db_path) as conn:
        shop_id = demo_shop_id(conn)
        timezone = conn.execute("SELECT timezone FROM shop WHERE shop_id = ?",
                                (shop_id,)).fetchone()[0]
        products = _catalogue(conn, shop_id)
    local = now.astimezone(ZoneInfo(timezone)).replace(tzinfo=None, microsecond=0)
    if count is None:
        count = orders_this_tick(rng, local.hour)
    if count == 0 or not products:
        return 0
    orders = []
    for _ in range(count):
        chosen = rng.sample(products, k=min(len(products), rng.choice((1, 1, 1, 2))))
        lines = [LineSpec(p.sku_id, p.product_id, p.product_name, rng.choice((1, 1, 2)),
                          p.unit_price_cents) for p in chosen]
        order_id = f"58{int(now.timestamp()):010d}{rng.randrange(10**6):06d}"
        orders.append(OrderSpec(order_id, "Awaiting shipment", local, local, lines,
                                buyer_username=f"live_buyer_{rng.randrange(10**6):06d}"))
    folder = demo_folder(db_path) / "live"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"All order-live-{local:%Y%m%d-%H%M%S}.csv"
    write_orders_csv(path, [row for order in orders for row in order_rows(order)])
    try:
        report = import_file(db_path, path, shop_name=DEMO_SHOP_NAME, timezone=timezone)
    finally:
        path.unlink(missing_ok=True)
    if not report.ok:
        raise LiveDemoError(f"the live orders could not be imported: {report.message}")
    return count


def run_live_demo(db_path: Path | str, *, interval: float = DEFAULT_INTERVAL_SECONDS,
                  seconds: float | None = None, seed: int | None = None,
                  clock: Callable[[], datetime] | None = None,
                  say: Callable[[str], None] = print) -> int:
    """Add live orders every ``interval`` seconds until interrupted (or for ``seconds``);
    returns the orders added. Checks the store first (``LiveDemoError``)."""
    from datetime import UTC

    with read_connection(db_path) as conn:
        demo_shop_id(conn)
    rng = random.Random(seed)
    now = clock or (lambda: datetime.now(UTC))
    started, added = time.monotonic(), 0
    while seconds is None or time.monotonic() - started < seconds:
        moment = now()
        new = add_live_orders(db_path, moment, rng)
        added += new
        if new:
            say(f"{moment:%H:%M:%S} +{new} demo order{'s' if new > 1 else ''} "
                f"({added} since start)")
        time.sleep(interval)
    return added
