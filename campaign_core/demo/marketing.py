"""The demo's ad reports and traffic template, written in the real layouts and imported
through the real importers.

Numbers follow the demo's own orders (read back from the store), so ads, traffic and the
funnel agree with sales: ad revenue is a share of each hour's GMV, spend follows from a
ROAS that sags mid-campaign, and each day's distinct buyers sit at the bottom of a funnel
whose clicks and reach are drawn around them.

Files:
- ``Glow & Go Beauty TikTok Shop-Campaign Report(<start> to <yesterday>).xlsx``: GMV Max
  campaign report (period in the file name, a totals row, ``$1,234.56`` money);
- ``... Creative Report(<start> to <yesterday>).xlsx``: GMV Max creative/product report;
- ``Ads Manager custom report by hour.csv``: Shop Ads by hour for the campaign so far, with
  an ``Advertiser:`` preamble line (the named ad account);
- ``Ads Manager custom report by day.csv``: Shop Ads By Day for the week before the
  campaign (the baseline days), with TikTok's ``--`` for empty cells;
- ``traffic_by_channel.csv``: the traffic template, per day and channel plus an ``All`` row,
  from two weeks before today until yesterday;
- ``roas_benchmarks.csv``: daily ROAS benchmarks of the shop's category and tier (when the
  shop has them), so the ROAS card has a benchmark to compare with.
"""

from __future__ import annotations

import csv
import random
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.importers.traffic import TEMPLATE_HEADER
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.shops import find_shop
from campaign_core.windows import local_midnight_utc

ADVERTISER = "Glow & Go Ads (7301234567890123)"
TRAFFIC_FILE = "traffic_by_channel.csv"
HOURLY_FILE = "Ads Manager custom report by hour.csv"
DAILY_FILE = "Ads Manager custom report by day.csv"
BENCHMARK_FILE = "roas_benchmarks.csv"
GMV_MAX_CAMPAIGNS = (("GMV Max - Best sellers", "1801000000000000001"),
                     ("GMV Max - New arrivals", "1801000000000000002"),
                     ("LIVE GMV Max - Evening show", "1801000000000000003"))
# The target ROI each GMV Max campaign was set with (GMV Max economics).
CAMPAIGN_TARGETS = {"1801000000000000001": 3.0, "1801000000000000002": 2.5,
                    "1801000000000000003": 2.0}
SHOP_ADS = (("Shop Ads - Retargeting", "1802000000000000001", "1803000000000000001"),
            ("Shop Ads - Prospecting", "1802000000000000002", "1803000000000000002"))
# channel -> (share of impressions, CTR); SKU orders split by the share of clicks
TRAFFIC_CHANNELS = {"LIVE": (0.22, 0.052), "Video": (0.34, 0.031), "Product card": (0.16, 0.045),
                    "Shop tab": (0.08, 0.06), "Affiliate": (0.14, 0.036), "Search": (0.06, 0.07)}
TRAFFIC_DAYS = 14
CREATOR_ACCOUNTS = ("glowwithmia", "skincare.sam", "beautybyleo", "glowandgo.official")


def _money(cents: float) -> str:
    return f"${cents / 100:,.2f}"


def _hourly_gmv(conn: sqlite3.Connection, shop_id: int, start_utc: int,
                end_utc: int) -> dict[int, int]:
    """GMV cents of paid, non-sample lines per UTC hour start."""
    rows = conn.execute(
        "SELECT paid_utc - paid_utc % 3600 AS hour, SUM(gmv_cents) FROM order_line "
        "WHERE shop_id = :shop_id AND is_sample = 0 AND paid_utc >= :start AND paid_utc < :end "
        "GROUP BY hour", {"shop_id": shop_id, "start": start_utc, "end": end_utc})
    return dict(rows.fetchall())


def _roas_of(day_index: int, rng: random.Random) -> float:
    # ROAS sags in the middle of the campaign (more competition for the same shoppers).
    return max(1.2, 3.4 - 0.25 * min(day_index, 8) + rng.uniform(-0.3, 0.3))


def write_ads_hourly(folder: Path, conn: sqlite3.Connection, shop_id: int, timezone: str,
                     start: date, today: date, seed: int) -> Path:
    """Ads Manager custom report by hour, campaign start through today."""
    rng = random.Random(seed + 61)
    zone = ZoneInfo(timezone)
    gmv = _hourly_gmv(conn, shop_id, local_midnight_utc(start, timezone),
                      local_midnight_utc(today + timedelta(days=1), timezone))
    path = Path(folder) / HOURLY_FILE
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"Advertiser: {ADVERTISER}"])
        writer.writerow(["By Hour", "Campaign name", "Campaign ID", "Ad group name",
                         "Ad group ID", "Cost", "Impressions", "Clicks (destination)",
                         "Purchases (Shop)", "Gross revenue (Shop)", "Currency"])
        for hour_start in sorted(gmv):
            local = datetime.fromtimestamp(hour_start, zone)
            day_index = (local.date() - start).days
            for share, (name, campaign_id, group_id) in zip((0.14, 0.09), SHOP_ADS,
                                                            strict=True):
                revenue = gmv[hour_start] * share * rng.uniform(0.7, 1.3)
                cost = revenue / _roas_of(day_index, rng) * (1.25 if share < 0.1 else 1.0)
                clicks = int(cost / 100 / rng.uniform(0.35, 0.6))
                writer.writerow([local.strftime("%Y-%m-%d %H:00"), name, campaign_id,
                                 f"{name} - group", group_id, _money(cost),
                                 f"{int(clicks / rng.uniform(0.012, 0.02)):,}", clicks,
                                 max(0, int(revenue / 2800)), _money(revenue), "USD"])
    return path


def write_ads_daily(folder: Path, conn: sqlite3.Connection, shop_id: int, timezone: str,
                    start: date, seed: int) -> Path:
    """Ads Manager custom report By Day for the 7 days before the campaign."""
    rng = random.Random(seed + 62)
    path = Path(folder) / DAILY_FILE
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["By Day", "Ad group name", "Ad group ID", "Cost", "Impressions",
                         "Clicks (destination)", "Purchases (Shop)", "Gross revenue (Shop)",
                         "Adds to cart (Shop)", "Currency"])
        for offset in range(7, 0, -1):
            day = start - timedelta(days=offset)
            day_gmv = sum(_hourly_gmv(conn, shop_id, local_midnight_utc(day, timezone),
                                      local_midnight_utc(day + timedelta(days=1),
                                                         timezone)).values())
            for share, (name, _, group_id) in zip((0.12, 0.08), SHOP_ADS, strict=True):
                revenue = day_gmv * share
                cost = revenue / rng.uniform(3.0, 3.8)
                writer.writerow([day.isoformat(), f"{name} - group", group_id, _money(cost),
                                 f"{int(cost / 2):,}", int(cost / 60),
                                 int(revenue / 2800), _money(revenue), "--", "USD"])
        writer.writerow(["Total of 14 results", "", "", "", "", "", "", "", "", ""])
    return path


def _gmv_max_rows(conn: sqlite3.Connection, shop_id: int, timezone: str, start: date,
                  last: date, seed: int) -> list[dict]:
    """Per GMV Max campaign and product: cost, revenue, SKU orders over the period."""
    rng = random.Random(seed + 63)
    products = conn.execute(
        "SELECT product_id, SUM(gmv_cents), COUNT(*) FROM order_line WHERE shop_id = :shop_id "
        "AND is_sample = 0 AND paid_utc >= :start AND paid_utc < :end GROUP BY product_id "
        "ORDER BY SUM(gmv_cents) DESC, product_id LIMIT 9",
        {"shop_id": shop_id, "start": local_midnight_utc(start, timezone),
         "end": local_midnight_utc(last + timedelta(days=1), timezone)}).fetchall()
    # The demo content's videos (when the content demo ran first), with their creators, so
    # ad spend can be followed to a creator's content.
    videos = [(row[0], row[1]) for row in conn.execute(
        "SELECT content_id, creator FROM content WHERE shop_id = :shop_id AND kind = 'video' "
        "AND creator IS NOT NULL ORDER BY content_id LIMIT 18", {"shop_id": shop_id})]
    rows = []
    for index, (product_id, gmv, sku_orders) in enumerate(products):
        name, campaign_id = GMV_MAX_CAMPAIGNS[index % len(GMV_MAX_CAMPAIGNS)]
        for creative in range(2):
            revenue = gmv * rng.uniform(0.08, 0.14)
            video_id, account = (videos[(2 * index + creative) % len(videos)] if videos
                                 else (f"74{index:02d}{creative}0000000000{seed:04d}",
                                       CREATOR_ACCOUNTS[(index + creative)
                                                        % len(CREATOR_ACCOUNTS)]))
            is_live = name.startswith("LIVE")
            rows.append({
                "campaign": name, "campaign_id": campaign_id, "product_id": product_id,
                "creative_type": "LIVE" if is_live else ("Video" if creative == 0
                                                         else "Product card"),
                "video_id": "" if (creative == 1 and not is_live) else video_id,
                "account": account,
                "revenue": revenue, "cost": revenue / rng.uniform(2.0, 4.2),
                "sku_orders": max(1, int(sku_orders * rng.uniform(0.05, 0.12))),
                "impressions": int(revenue / 100 * rng.uniform(40, 80))})
    return rows


def write_gmv_max_reports(folder: Path, rows: list[dict], start: date,
                          last: date) -> list[Path]:
    """The GMV Max campaign and creative reports (XLSX, period in the file name)."""
    period = f"({start.isoformat()} to {last.isoformat()})"
    campaigns: dict[str, list[float]] = {}
    for row in rows:
        totals = campaigns.setdefault(row["campaign_id"], [0.0, 0.0, 0, row["campaign"]])
        totals[0] += row["cost"]
        totals[1] += row["revenue"]
        totals[2] += row["sku_orders"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Campaign Report"
    sheet.append(["Campaign name", "Campaign ID", "Cost", "Net Cost", "Orders (SKU)",
                  "Cost per order", "Gross revenue", "ROI", "Target ROI", "Currency"])
    for campaign_id, (cost, revenue, orders, name) in sorted(campaigns.items()):
        sheet.append([name, campaign_id, _money(cost), _money(cost * 0.97), orders,
                      _money(cost / max(orders, 1)), _money(revenue),
                      f"{revenue / cost:.2f}", f"{CAMPAIGN_TARGETS[campaign_id]:.1f}", "USD"])
    campaign_path = Path(folder) / f"Glow & Go Beauty TikTok Shop-Campaign Report{period}.xlsx"
    book.save(campaign_path)
    book = Workbook()
    sheet = book.active
    sheet.title = "Creative Report"
    sheet.append(["Campaign name", "Campaign ID", "Product ID", "Creative type", "Video title",
                  "Video ID", "TikTok account", "Status", "Authorization type", "Cost",
                  "SKU orders", "Cost per order", "Gross revenue", "ROI",
                  "Product ad impressions", "Product ad clicks", "Product ad click rate",
                  "Currency"])
    for row in rows:
        clicks = int(row["impressions"] * 0.018)
        sheet.append([row["campaign"], row["campaign_id"], row["product_id"],
                      row["creative_type"], "" if not row["video_id"] else "Glow routine",
                      row["video_id"] or "--", row["account"], "Delivering", "Authorized",
                      _money(row["cost"]), row["sku_orders"],
                      _money(row["cost"] / row["sku_orders"]), _money(row["revenue"]),
                      f"{row['revenue'] / row['cost']:.2f}", f"{row['impressions']:,}",
                      clicks, "1.80%", "USD"])
    creative_path = Path(folder) / f"Glow & Go Beauty TikTok Shop-Creative Report{period}.xlsx"
    book.save(creative_path)
    return [campaign_path, creative_path]


def write_traffic_template(folder: Path, conn: sqlite3.Connection, shop_id: int,
                           timezone: str, start: date, today: date, seed: int) -> Path:
    """The traffic template for the 14 days before today, built around each day's buyers."""
    rng = random.Random(seed + 64)
    path = Path(folder) / TRAFFIC_FILE
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TEMPLATE_HEADER)
        for offset in range(TRAFFIC_DAYS, 0, -1):
            day = today - timedelta(days=offset)
            buyers, sku_orders = conn.execute(
                "SELECT COUNT(DISTINCT buyer_key), COUNT(DISTINCT order_id || sku_id) "
                "FROM order_line WHERE shop_id = :shop_id AND is_sample = 0 "
                "AND paid_utc >= :start AND paid_utc < :end",
                {"shop_id": shop_id, "start": local_midnight_utc(day, timezone),
                 "end": local_midnight_utc(day + timedelta(days=1), timezone)}).fetchone()
            # Campaign traffic grows faster than buyers: the order rate sags, which the
            # "Optimize now" order-rate rule points out.
            order_rate = rng.uniform(0.035, 0.05) if day >= start else rng.uniform(0.06, 0.08)
            unique_clicks = int(max(buyers, 1) / order_rate)
            reach = int(unique_clicks / rng.uniform(0.035, 0.05))
            total_impressions = int(reach * rng.uniform(1.6, 2.1))
            for channel, (share, ctr) in TRAFFIC_CHANNELS.items():
                impressions = int(total_impressions * share * rng.uniform(0.85, 1.15))
                clicks = int(impressions * ctr * rng.uniform(0.85, 1.15))
                writer.writerow([day.isoformat(), "", channel, f"{impressions:,}", clicks,
                                 int(reach * share), int(unique_clicks * share),
                                 int(sku_orders * share * rng.uniform(0.8, 1.2))])
            writer.writerow([day.isoformat(), "", "All", f"{total_impressions:,}", "--",
                             reach, unique_clicks, sku_orders])
    return path


def write_roas_benchmarks(folder: Path, category: str | None, tier: str | None,
                          first: date, last: date, seed: int) -> Path | None:
    """Daily ROAS benchmarks (Benchmarks template) for the shop's peer group."""
    if not category or not tier:
        return None
    rng = random.Random(seed + 65)
    path = Path(folder) / BENCHMARK_FILE
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Day", "Metric", "Category", "GMV tier", "Value"])
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            writer.writerow([day.isoformat(), "roas", category, tier,
                             f"{rng.uniform(2.7, 3.2):.2f}"])
    return path


def import_demo_marketing(db_path: Path | str, folder: Path, shop_name: str, timezone: str,
                          start: date, today: date, seed: int,
                          record: Callable[[Path, ImportReport], None]) -> None:
    """Write the demo's ad reports and traffic template into ``folder`` and import them
    into the shop ``shop_name``; ``record(path, report)`` hears each file."""
    with write_transaction(db_path) as conn:  # a rebuilt demo starts from no ad data
        shop_id = find_shop(conn, shop_name).shop_id
        for table in ("ad_day", "ad_campaign_period", "ad_creative_period",
                      "traffic_channel", "ad_account"):
            conn.execute(f"DELETE FROM {table} WHERE shop_id = :shop_id", {"shop_id": shop_id})
    with read_connection(db_path) as conn:
        last = today - timedelta(days=1)
        paths = [write_ads_daily(folder, conn, shop_id, timezone, start, seed),
                 write_ads_hourly(folder, conn, shop_id, timezone, start, today, seed),
                 *write_gmv_max_reports(folder, _gmv_max_rows(conn, shop_id, timezone, start,
                                                              last, seed), start, last),
                 write_traffic_template(folder, conn, shop_id, timezone, start, today, seed)]
        shop = conn.execute("SELECT category, gmv_tier FROM shop WHERE shop_id = :shop_id",
                            {"shop_id": shop_id}).fetchone()
        # Benchmarks stop the day before yesterday, as the demo's other benchmarks do.
        benchmarks = write_roas_benchmarks(folder, shop[0], shop[1],
                                           start - timedelta(days=14),
                                           today - timedelta(days=2), seed)
        paths += [benchmarks] if benchmarks else []
    for path in paths:
        record(path, import_file(db_path, path, shop_name=shop_name, timezone=timezone))
