"""Build the demo campaign into a store: export files first, then the normal importer.

The demo goes through exactly the path a seller's files take, so what the demo shows is
what the importer does. It lives in its own shop, so a seller's own imports never mix with
it, and building it again replaces the demo shop's data.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.demo.benchmarks import write_demo_benchmarks
from campaign_core.demo.content import import_demo_content
from campaign_core.demo.creators import import_demo_creators
from campaign_core.demo.generator import HISTORY_DAYS, SHOP_TIMEZONE
from campaign_core.demo.gmv_max import import_demo_gmv_max
from campaign_core.demo.marketing import import_demo_marketing
from campaign_core.demo.plan import set_demo_plan
from campaign_core.demo.product_list import write_demo_product_list
from campaign_core.demo.products import write_demo_analytics, write_demo_costs, write_demo_stock
from campaign_core.demo.realtime import add_demo_alerts
from campaign_core.demo.sub_campaigns import write_demo_sub_campaigns
from campaign_core.demo.uk_shop import build_uk_shop
from campaign_core.forecast.pacing import campaign_pacing
from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.rollups import hourly as rollups
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import (
    Campaign,
    delete_campaign,
    list_campaigns,
    save_campaign,
    set_gmv_target,
)
from campaign_core.store.shops import DEMO_SHOP_NAME, find_shop, resolve_shop, update_shop

DEMO_CATEGORY = "Beauty & Personal Care"
DEMO_GMV_TIER = "$50k-$250k / month"
# A demo of a given day (``--today``) is as of mid-afternoon in the shop: the day is busy,
# its evening peak still to come.
DEMO_TIME_OF_DAY = time_of_day(14, 30)


@dataclass
class DemoResult:
    campaign_name: str
    files: list[Path]
    reports: list[ImportReport] = field(default_factory=list)
    orders: int = 0
    seconds: float = 0.0


def demo_folder(db_path: Path | str) -> Path:
    """Demo export files live beside the store: ``data/campaign.db`` -> ``data/demo/``."""
    return Path(db_path).parent / "demo"


def demo_now(*, today: date | None = None, now: datetime | None = None,
             timezone: str = SHOP_TIMEZONE) -> datetime:
    """The demo's "now" in the shop's ``timezone`` (an aware datetime, whole seconds).

    ``now`` (aware; default the clock) is the moment the demo is built for. Without
    ``today``, or when ``today`` is the shop's date at ``now``, the demo runs until ``now``;
    another ``today`` (a reproducible demo of a given day) runs until 14:30 shop time on it.
    The campaign's day 7 is the date of the result, in shop time, never the server's date.
    """
    zone = ZoneInfo(timezone)
    moment = (now or datetime.now(UTC)).astimezone(zone).replace(microsecond=0)
    if today is None or today == moment.date():
        return moment
    return datetime.combine(today, DEMO_TIME_OF_DAY, tzinfo=zone)


def build_demo(db_path: Path | str, *, today: date | None = None, seed: int = 7,
               progress: Callable[[float, str], None] | None = None,
               now: datetime | None = None) -> DemoResult:
    """Write the demo exports and import them into a fresh demo shop with its campaign.

    The demo runs until ``demo_now(today=today, now=now)`` in the shop's time: that day is
    day 7 of 12, and nothing in the store (orders, content, ads, alerts) lies after it.
    Returns the campaign name, files, import reports and the time taken.
    """
    from campaign_core.demo.generator import write_demo_files

    started = time.perf_counter()
    anchor = demo_now(today=today, now=now)
    today, local_now = anchor.date(), anchor.replace(tzinfo=None)
    say = progress or (lambda fraction, text: None)
    say(0.0, "Writing demo export files")
    campaign, files = write_demo_files(demo_folder(db_path), today, seed, now=local_now)
    _reset_demo_shop(db_path, campaign.timezone)
    result = DemoResult(campaign.name, files)
    for index, path in enumerate(files):
        say(0.1 + 0.8 * index / len(files), f"Importing {path.name}")
        result.reports.append(import_file(db_path, path, shop_name=DEMO_SHOP_NAME,
                                          timezone=campaign.timezone))
    with write_transaction(db_path) as conn:
        shop = resolve_shop(conn, DEMO_SHOP_NAME, campaign.timezone)
        update_shop(conn, shop.shop_id, name=shop.name, timezone=shop.timezone,
                    currency=shop.currency, category=DEMO_CATEGORY, gmv_tier=DEMO_GMV_TIER)
        saved = save_campaign(conn, shop_id=shop.shop_id, name=campaign.name,
                              start_day=campaign.start_day, end_day=campaign.end_day)
        set_gmv_target(conn, saved.campaign_id, _believable_target(conn, saved, anchor))
        set_demo_plan(conn, saved.campaign_id)
        result.orders = conn.execute("SELECT COUNT(*) FROM orders WHERE shop_id = :id",
                                     {"id": shop.shop_id}).fetchone()[0]
        best_sellers = _best_selling_skus(conn, shop.shop_id, 40)
        products = [(row[0], row[1]) for row in conn.execute(
            "SELECT product_id, name FROM product WHERE shop_id = :id ORDER BY product_id",
            {"id": shop.shop_id})]
    say(0.92, "Importing sub-campaigns and benchmarks")
    # Benchmarks stop the day before yesterday: yesterday's (the Daily view's default day)
    # is "late", so the demo shows the fallback to the day before.
    benchmarks = write_demo_benchmarks(
        demo_folder(db_path), campaign.start_day - timedelta(days=HISTORY_DAYS),
        today - timedelta(days=1), DEMO_CATEGORY, DEMO_GMV_TIER, seed,
        campaign_start=campaign.start_day, campaign_end=campaign.end_day)
    result.files.append(benchmarks)
    result.reports.append(import_file(db_path, benchmarks, timezone=campaign.timezone))
    product_list = write_demo_product_list(demo_folder(db_path), products, seed)
    result.files.append(product_list)
    result.reports.append(import_file(db_path, product_list, shop_name=DEMO_SHOP_NAME,
                                      timezone=campaign.timezone))
    say(0.96, "Importing product analytics, stock and costs")
    for path in _write_product_files(db_path, campaign, anchor, seed):
        result.files.append(path)
        result.reports.append(import_file(db_path, path, shop_name=DEMO_SHOP_NAME,
                                          timezone=campaign.timezone))
    sub_campaigns = write_demo_sub_campaigns(demo_folder(db_path), campaign.name,
                                             campaign.start_day, campaign.end_day,
                                             best_sellers, seed)
    result.files.append(sub_campaigns)
    result.reports.append(import_file(db_path, sub_campaigns, shop_name=DEMO_SHOP_NAME,
                                      timezone=campaign.timezone))
    import_demo_content(db_path, demo_folder(db_path), DEMO_SHOP_NAME, campaign.timezone,
                        campaign.start_day, today, seed,
                        lambda path, report: (result.files.append(path),
                                              result.reports.append(report)), now=local_now)
    # After content (GMV Max creatives name its videos), before creators (ad spend).
    import_demo_marketing(db_path, demo_folder(db_path), DEMO_SHOP_NAME, campaign.timezone,
                          campaign.start_day, today, seed,
                          lambda path, report: (result.files.append(path),
                                                result.reports.append(report)))
    import_demo_gmv_max(db_path, demo_folder(db_path), DEMO_SHOP_NAME, campaign.timezone,
                        campaign.start_day, seed,
                        lambda path, report: (result.files.append(path),
                                              result.reports.append(report)))
    import_demo_creators(db_path, demo_folder(db_path), DEMO_SHOP_NAME, campaign.timezone,
                         campaign.name, campaign.start_day, today, seed,
                         lambda path, report: (result.files.append(path),
                                               result.reports.append(report)))
    add_demo_alerts(db_path, DEMO_SHOP_NAME, anchor)
    # Last, so the US shop's data is exactly the single-shop demo's.
    say(0.98, "Adding the brand's UK shop and the ECB exchange rates")
    uk_files, uk_reports = build_uk_shop(db_path, demo_folder(db_path), campaign.name, anchor,
                                         seed)
    result.files += uk_files
    result.reports += uk_reports
    say(1.0, "Demo ready")
    result.seconds = time.perf_counter() - started
    return result


def _believable_target(conn: sqlite3.Connection, campaign: Campaign, now: datetime) -> int:
    """A target the demo is on course for at midday of its "today" (rounded to $1,000), so
    the pacing bar has something to say either way as the day goes on; before midday,
    projected from "now" (nothing after it is in the store)."""
    noon = datetime.combine(now.date(), time_of_day(12), tzinfo=ZoneInfo(campaign.timezone))
    projected = campaign_pacing(conn, campaign, min(noon, now)).projected_gmv
    return int(round(float(projected) * 0.98, -3)) * 100


def _write_product_files(db_path: Path | str, campaign, now: datetime,
                         seed: int) -> list[Path]:
    folder = demo_folder(db_path)
    today = now.date()
    with read_connection(db_path) as conn:
        shop_id = find_shop(conn, DEMO_SHOP_NAME).shop_id
        return [write_demo_analytics(folder, conn, shop_id, campaign.timezone, today, seed),
                write_demo_stock(folder, conn, shop_id, campaign.timezone, today, seed,
                                 now=now),
                write_demo_costs(folder, conn, shop_id, campaign.start_day, seed)]


def _best_selling_skus(conn: sqlite3.Connection, shop_id: int, count: int) -> list[str]:
    rows = conn.execute(
        "SELECT sku_id FROM order_line WHERE shop_id = :shop_id AND is_sample = 0 "
        "GROUP BY sku_id ORDER BY SUM(quantity) DESC, sku_id LIMIT :count",
        {"shop_id": shop_id, "count": count})
    return [row[0] for row in rows]


def _reset_demo_shop(db_path: Path | str, timezone: str) -> None:
    with write_transaction(db_path) as conn:
        shop = find_shop(conn, DEMO_SHOP_NAME)
        if shop is None:
            resolve_shop(conn, DEMO_SHOP_NAME, timezone)
            return
        params = {"shop_id": shop.shop_id}
        for campaign in list_campaigns(conn, shop.shop_id):
            delete_campaign(conn, campaign.campaign_id)
        for table in ("order_line", "orders", "sku", "product"):
            conn.execute(f"DELETE FROM {table} WHERE shop_id = :shop_id", params)
        rollups.clear_shop(conn, shop.shop_id)
        conn.execute("UPDATE shop SET timezone = :tz WHERE shop_id = :shop_id",
                     {**params, "tz": timezone})
