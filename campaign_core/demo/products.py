"""The demo's product data: daily product analytics, stock history and unit costs.

Everything is derived from the demo's own orders (read back from the store), so the
traffic, stock and cost numbers agree with the sales: clicks convert to the orders that
happened, stock runs down with the units sold, and a few best sellers run low on purpose
so the stock alerts have something to say.
"""

from __future__ import annotations

import csv
import random
import sqlite3
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.windows import local_midnight_utc

ANALYTICS_FILE = "product_analytics.csv"
STOCK_FILE = "stock.csv"
COSTS_FILE = "product_costs.csv"
TRAFFIC_DAYS = 14
STOCK_DAYS = 14


def _daily_sales(conn: sqlite3.Connection, shop_id: int, timezone: str, first: date,
                 days: int) -> dict[tuple[str, date], tuple[int, int, int, int]]:
    """(product, day) -> (GMV cents, orders, SKU orders, units) of paid, non-sample lines."""
    sales = {}
    for offset in range(days):
        day = first + timedelta(days=offset)
        rows = conn.execute(
            "SELECT product_id, SUM(gmv_cents), COUNT(DISTINCT order_id), COUNT(*), "
            "SUM(quantity) FROM order_line WHERE shop_id = :shop_id AND is_sample = 0 "
            "AND paid_utc >= :start AND paid_utc < :end AND product_id IS NOT NULL "
            "GROUP BY product_id",
            {"shop_id": shop_id, "start": local_midnight_utc(day, timezone),
             "end": local_midnight_utc(day + timedelta(days=1), timezone)})
        for product_id, gmv, orders, sku_orders, units in rows:
            sales[(product_id, day)] = (gmv, orders, sku_orders, units)
    return sales


def write_demo_analytics(folder: Path, conn: sqlite3.Connection, shop_id: int,
                         timezone: str, today: date, seed: int) -> Path:
    """A per-day Data Compass product export of the 14 days before today, with its
    preamble (date range), as Seller Center writes it."""
    rng = random.Random(seed)
    first = today - timedelta(days=TRAFFIC_DAYS)
    sales = _daily_sales(conn, shop_id, timezone, first, TRAFFIC_DAYS)
    names = dict(conn.execute("SELECT product_id, name FROM product WHERE shop_id = :id",
                              {"id": shop_id}).fetchall())
    path = Path(folder) / ANALYTICS_FILE
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"Date range: {first.isoformat()} ~ "
                         f"{(today - timedelta(days=1)).isoformat()}"])
        writer.writerow(["Product analysis", "All channels"])
        writer.writerow(["Date", "Product ID", "Product Name", "GMV", "Orders", "SKU orders",
                         "Items sold", "Product impressions", "Product clicks",
                         "Add-to-cart users", "Unique product impressions", "Unique clicks"])
        for (product_id, day), (gmv, orders, sku_orders, units) in sorted(sales.items()):
            clicks = max(orders, int(sku_orders / rng.uniform(0.06, 0.12)))
            impressions = int(clicks / rng.uniform(0.025, 0.06))
            writer.writerow([day.isoformat(), product_id, names.get(product_id, ""),
                             f"${gmv / 100:,.2f}", orders, sku_orders, units, impressions,
                             clicks, int(clicks * rng.uniform(0.15, 0.3)),
                             int(impressions * 0.8), int(clicks * 0.85)])
    return path


def write_demo_stock(folder: Path, conn: sqlite3.Connection, shop_id: int, timezone: str,
                     today: date, seed: int, *, now: datetime | None = None) -> Path:
    """Daily stock snapshots of every SKU for two weeks, taken at 06:00 (today's at ``now``
    if that is earlier): stock falls with the units sold; three best sellers run out or
    nearly, one of them already at zero for a day."""
    rng = random.Random(seed)
    first = today - timedelta(days=STOCK_DAYS)
    sku_units = conn.execute(
        "SELECT sku_id, SUM(quantity) FROM order_line WHERE shop_id = :shop_id AND "
        "is_sample = 0 AND paid_utc >= :start GROUP BY sku_id ORDER BY SUM(quantity) DESC, "
        "sku_id", {"shop_id": shop_id, "start": local_midnight_utc(first, timezone)}).fetchall()
    zone = ZoneInfo(timezone)
    path = Path(folder) / STOCK_FILE
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["SKU ID", "Available", "Reserved", "Inbound", "As of"])
        for rank, (sku_id, units) in enumerate(sku_units):
            per_day = max(1, units // STOCK_DAYS)
            # The top three run low on purpose; the rest have weeks of cover.
            days_left = (0.6, 2.5, 5.0)[rank] if rank < 3 else rng.uniform(12, 60)
            for offset in range(STOCK_DAYS + 1):
                day = first + timedelta(days=offset)
                remaining = days_left + (STOCK_DAYS - offset)
                available = max(0, int(per_day * remaining)) if rank else (
                    0 if offset >= STOCK_DAYS - 1 else int(per_day * (remaining - 1.6)))
                as_of = datetime.combine(day, time(6, 0), zone)
                if now is not None and as_of > now:
                    as_of = now
                writer.writerow([sku_id, available, rng.randint(0, 5) if available else 0,
                                 per_day * 10 if rank == 2 else 0,
                                 as_of.strftime("%Y-%m-%d %H:%M:%S")])
    return path


def write_demo_costs(folder: Path, conn: sqlite3.Connection, shop_id: int, campaign_start: date,
                     seed: int) -> Path:
    """Unit costs at 30-45% of each SKU's list price, valid from half a year back; one
    supplier price rise from the campaign's third day shows costs by valid-from day."""
    rng = random.Random(seed)
    prices = conn.execute(
        "SELECT sku_id, MAX(unit_original_price_cents) FROM order_line WHERE shop_id = :id "
        "GROUP BY sku_id ORDER BY sku_id", {"id": shop_id}).fetchall()
    path = Path(folder) / COSTS_FILE
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["SKU ID", "Unit cost", "Currency", "Valid from"])
        for index, (sku_id, price) in enumerate(prices):
            cost = price * rng.uniform(0.3, 0.45) / 100
            writer.writerow([sku_id, f"{cost:.2f}", "USD",
                             (campaign_start - timedelta(days=183)).isoformat()])
            if index == 0:
                writer.writerow([sku_id, f"{cost * 1.15:.2f}", "USD",
                                 (campaign_start + timedelta(days=2)).isoformat()])
    return path
