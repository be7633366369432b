"""The demo's GMV Max economics: four weeks of daily GMV Max campaign reports with a target
ROI, ROI Protection credits received for all but one eligible day, and a finished product
holdout over the same weeks.

The weeks end four weeks before the campaign starts, outside every window the campaign's
views and comparisons read, so the demo's other figures stay as they were. Files:
- ``Glow & Go Beauty TikTok Shop-Campaign Report by day(<first> to <last>).xlsx``: one row
  per campaign and day (``Date``), with ``Target ROI``;
- ``Glow & Go Beauty TikTok Shop-Creative Report(<first> to <last>).xlsx``: the promoted
  products of the holdout's "ads" half over the period (the holdout's ad spend).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from campaign_core.experiments.holdout import assign_arms
from campaign_core.experiments.holdout_store import save_holdout
from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.profit.roi_protection import protection_ledger
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.gmv_max import record_protection_credit
from campaign_core.store.shops import find_shop
from campaign_core.windows import local_midnight_utc

TARGETS = {"1801000000000000001": 3.0, "1801000000000000002": 2.5}
NAMES = {"1801000000000000001": "GMV Max - Best sellers",
         "1801000000000000002": "GMV Max - New arrivals"}
HOLDOUT_NAME = "GMV Max off for half the products"
HOLDOUT_SEED = 11
DAYS = 28


def demo_period(campaign_start: date) -> tuple[date, date]:
    """The four weeks ending four weeks before the campaign starts."""
    last = campaign_start - timedelta(days=29)
    return last - timedelta(days=DAYS - 1), last


def _money(cents: float) -> str:
    return f"${cents / 100:,.2f}"


def _daily_rows(first: date, seed: int) -> list[list]:
    rng = random.Random(seed + 24)
    rows = []
    for offset in range(DAYS):
        day = (first + timedelta(days=offset)).isoformat()
        for campaign_id, target in TARGETS.items():
            cost = rng.uniform(120_00, 260_00)
            roi = target * rng.uniform(0.93, 1.15)
            if offset in (9, 17) and campaign_id.endswith("1"):
                roi = target * 0.78  # two weak days: ROI Protection should credit them
            orders = rng.randint(24, 48)
            revenue = cost * roi
            rows.append([day, NAMES[campaign_id], campaign_id, _money(cost),
                         _money(cost * 0.97), orders, _money(cost / orders), _money(revenue),
                         f"{revenue / cost:.2f}", f"{target:.1f}", "USD"])
    return rows


def _write_daily(folder: Path, first: date, last: date, seed: int) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Campaign Report"
    sheet.append(["Date", "Campaign name", "Campaign ID", "Cost", "Net Cost", "Orders (SKU)",
                  "Cost per order", "Gross revenue", "ROI", "Target ROI", "Currency"])
    for row in _daily_rows(first, seed):
        sheet.append(row)
    path = folder / (f"Glow & Go Beauty TikTok Shop-Campaign Report by day"
                     f"({first.isoformat()} to {last.isoformat()}).xlsx")
    book.save(path)
    return path


def _products(db_path, shop_id: int, timezone: str, first: date, last: date) -> list[str]:
    with read_connection(db_path) as conn:
        return [row[0] for row in conn.execute(
            "SELECT product_id FROM order_line WHERE shop_id = :shop_id AND is_sample = 0 "
            "AND paid_utc >= :start AND paid_utc < :end GROUP BY product_id "
            "ORDER BY SUM(gmv_cents) DESC, product_id LIMIT 24",
            {"shop_id": shop_id, "start": local_midnight_utc(first, timezone),
             "end": local_midnight_utc(last + timedelta(days=1), timezone)})]


def _write_creatives(folder: Path, arms: dict[str, str], first: date, last: date,
                     seed: int) -> Path:
    rng = random.Random(seed + 25)
    book = Workbook()
    sheet = book.active
    sheet.title = "Creative Report"
    sheet.append(["Campaign name", "Campaign ID", "Product ID", "Creative type", "Video ID",
                  "Status", "Cost", "SKU orders", "Gross revenue", "ROI",
                  "Product ad impressions", "Product ad clicks", "Currency"])
    for product, arm in sorted(arms.items()):
        if arm != "ads":
            continue
        cost = rng.uniform(400_00, 900_00)
        revenue = cost * rng.uniform(2.4, 3.4)
        orders = max(1, int(revenue / 3500))
        sheet.append(["GMV Max - Best sellers", "1801000000000000001", product,
                      "Product card", "--", "Delivering", _money(cost), orders,
                      _money(revenue), f"{revenue / cost:.2f}", f"{orders * 60:,}",
                      orders * 20, "USD"])
    path = folder / (f"Glow & Go Beauty TikTok Shop-Creative Report"
                     f"({first.isoformat()} to {last.isoformat()}).xlsx")
    book.save(path)
    return path


def import_demo_gmv_max(db_path: Path | str, folder: Path, shop_name: str, timezone: str,
                        campaign_start: date, seed: int,
                        record: Callable[[Path, ImportReport], None]) -> None:
    """Write and import the demo's GMV Max economics (module docstring); enter the credits
    received for every eligible day but the last, and save the holdout."""
    first, last = demo_period(campaign_start)
    with read_connection(db_path) as conn:
        shop_id = find_shop(conn, shop_name).shop_id
    arms = assign_arms(_products(db_path, shop_id, timezone, first, last), HOLDOUT_SEED)
    for path in (_write_daily(Path(folder), first, last, seed),
                 _write_creatives(Path(folder), arms, first, last, seed)):
        record(path, import_file(db_path, path, shop_name=shop_name, timezone=timezone))
    with write_transaction(db_path) as conn:
        conn.execute("DELETE FROM roi_protection_credit WHERE shop_id = :shop_id",
                     {"shop_id": shop_id})
        conn.execute("DELETE FROM holdout_unit WHERE holdout_id IN (SELECT holdout_id FROM "
                     "holdout WHERE shop_id = :shop_id)", {"shop_id": shop_id})
        conn.execute("DELETE FROM holdout WHERE shop_id = :shop_id", {"shop_id": shop_id})
        eligible = [day for day in protection_ledger(conn, shop_id)
                    if day.expected_credit > 0]
        for day in eligible[:-1]:  # the last eligible day is owed and not credited
            record_protection_credit(conn, shop_id, day.account_id, day.campaign_id, day.day,
                                     round(day.expected_credit))
        if len(set(arms.values())) == 2:
            save_holdout(conn, shop_id, HOLDOUT_NAME, "products", first, last, arms,
                         HOLDOUT_SEED, lift_cents=50_00)
