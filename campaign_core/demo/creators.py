"""The demo's creator files: deals (the pipeline), samples, fees, an income export and
experiment counts, derived from the demo's affiliate lines and imported like a seller's.

- Deals: the 24 creators with the most attributed GMV, plus 6 in outreach only. Stages
  are dated back from each creator's first post: outreach, acceptance, sample shipped and
  delivered, brief; some carry the Posted day, others are matched from their videos. Four
  new creators got a sample and have not posted: two late, one due in two days, one late
  but for the 7-day extension. Two deals were cancelled. Flat fees for a third of the
  deals.
- Samples: one or two units of the creator's best-selling SKU (two SKUs for some), $4-8
  shipping.
- Fees: a monthly retainer for the two best creators.
- Income export (zone UTC-8 in its name): orders delivered at least 2 days before "today"
  settle 2 days after delivery, with the affiliate commission the export paid; one order
  settles on two rows (a commission correction), as real exports do.
- Experiments: a hook test still underpowered, an offer test with a clear winner, a listing
  test whose split broke (sample ratio mismatch), and a creator-vs-creator comparison
  (observational).
"""

from __future__ import annotations

import csv
import random
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.importers.creator_templates import (
    DEAL_TEMPLATE_HEADERS,
    EXPERIMENT_TEMPLATE_HEADERS,
    FEE_TEMPLATE_HEADERS,
    SAMPLE_TEMPLATE_HEADERS,
)
from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.shops import find_shop

DEALS_FILE = "creator_deals.csv"
SAMPLES_FILE = "sample_shipments.csv"
FEES_FILE = "creator_fees.csv"
EXPERIMENTS_FILE = "experiment_counts.csv"
INCOME_HEADERS = ("Order/Adjustment ID", "Transaction type", "Order created time",
                  "Order settled time", "Currency", "Total Revenue",
                  "Subtotal after seller discounts", "Total Fees", "Transaction fee",
                  "TikTok Shop commission fee", "Affiliate commission",
                  "Affiliate Shop Ads commission", "Total settlement amount",
                  "Related order ID")
_CREATOR_TABLES = ("creator_deal", "sample_shipment", "creator_fee", "settlement_line")
_DEALS, _OUTREACH_ONLY = 24, 6
# (creator, days since the sample was delivered, 7-day extension)
_PENDING = (("matte.maya", 20, False), ("blush.bree", 17, False), ("rosy.ren", 12, False),
            ("cleanbeauty.kai", 18, True))
_PROSPECTS = ("dewy.diaries", "serum.sophie", "lashlab.nina", "glowupgabe", "spf.sara",
              "toner.tom")


def import_demo_creators(db_path: Path | str, folder: Path, shop_name: str, timezone: str,
                         campaign_name: str, campaign_start: date, today: date, seed: int,
                         record: Callable[[Path, ImportReport], object]) -> None:
    """Write the demo's creator files into ``folder`` and import them into ``shop_name``;
    ``record(path, report)`` hears each file. Replaces the shop's earlier creator data."""
    with write_transaction(db_path) as conn:
        shop_id = find_shop(conn, shop_name).shop_id
        for table in _CREATOR_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE shop_id = :shop_id",  # noqa: S608
                         {"shop_id": shop_id})
        conn.execute("DELETE FROM experiment_day WHERE experiment_id IN (SELECT experiment_id "
                     "FROM experiment WHERE shop_id = :shop_id)", {"shop_id": shop_id})
        conn.execute("DELETE FROM experiment WHERE shop_id = :shop_id", {"shop_id": shop_id})
    rng = random.Random(seed * 104729 + 11)
    zone = ZoneInfo(timezone)
    with read_connection(db_path) as conn:
        creators = _top_creators(conn, shop_id, zone)
        creators += _advertised_creators(conn, shop_id, {c["creator"] for c in creators})
        settled = _settled_orders(conn, shop_id, zone, today)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    deals, samples = _deals_and_samples(rng, creators, campaign_name, campaign_start, today)
    retainers = [(c["creator"], "Retainer", "400.00", (campaign_start - timedelta(days=19))
                  .isoformat(), "", "November retainer") for c in creators[:2]]
    files = [
        _write_csv(folder / DEALS_FILE, DEAL_TEMPLATE_HEADERS, deals),
        _write_csv(folder / SAMPLES_FILE, SAMPLE_TEMPLATE_HEADERS, samples),
        _write_csv(folder / FEES_FILE, FEE_TEMPLATE_HEADERS, retainers),
        _write_csv(folder / f"income_{today:%Y%m%d}063000(UTC-8).csv", INCOME_HEADERS,
                   _income_rows(rng, settled)),
        _write_csv(folder / EXPERIMENTS_FILE, EXPERIMENT_TEMPLATE_HEADERS,
                   _experiment_rows(rng, campaign_start, today,
                                    [c["creator"] for c in creators[:2]])),
    ]
    for path in files:
        record(path, import_file(db_path, path, shop_name=shop_name, timezone=timezone))


def _write_csv(path: Path, headers, rows) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def _top_creators(conn: sqlite3.Connection, shop_id: int, zone: ZoneInfo) -> list[dict]:
    rows = conn.execute(
        "SELECT a.creator, SUM(a.payment_amount_cents) AS gmv, "
        "(SELECT MIN(c.posted_utc) FROM content c WHERE c.shop_id = a.shop_id "
        " AND c.creator = a.creator AND c.posted_utc IS NOT NULL) AS first_post, "
        "(SELECT b.sku_id FROM affiliate_line b WHERE b.shop_id = a.shop_id "
        " AND b.creator = a.creator GROUP BY b.sku_id ORDER BY SUM(b.quantity) DESC, b.sku_id "
        " LIMIT 1) AS top_sku, "
        "(SELECT b.sku_id FROM affiliate_line b WHERE b.shop_id = a.shop_id "
        " AND b.creator = a.creator GROUP BY b.sku_id ORDER BY SUM(b.quantity) DESC, b.sku_id "
        " LIMIT 1 OFFSET 1) AS second_sku "
        "FROM affiliate_line a WHERE a.shop_id = :shop_id GROUP BY a.creator "
        "ORDER BY gmv DESC, a.creator LIMIT :limit", {"shop_id": shop_id, "limit": _DEALS})
    return [{"creator": row[0], "top_sku": row[3], "second_sku": row[4],
             "first_post": None if row[2] is None
             else datetime.fromtimestamp(row[2], zone).date()} for row in rows]


def _advertised_creators(conn: sqlite3.Connection, shop_id: int,
                         known: set[str]) -> list[dict]:
    """Creators whose videos the demo's GMV Max creative report promotes (not the shop's
    own accounts): deals with them make their ad spend count against their margin."""
    try:
        rows = conn.execute(
            "SELECT DISTINCT tiktok_account FROM ad_creative_period WHERE shop_id = :shop_id "
            "AND tiktok_account NOT LIKE 'glowandgo%' AND tiktok_account <> '' "
            "AND tiktok_account NOT IN (SELECT handle FROM linked_account "
            "WHERE shop_id = :shop_id) ORDER BY tiktok_account", {"shop_id": shop_id})
        accounts = [row[0] for row in rows if row[0] not in known]
        sku = conn.execute("SELECT sku_id FROM order_line WHERE shop_id = :shop_id "
                           "ORDER BY paid_utc DESC LIMIT 1", {"shop_id": shop_id}).fetchone()
    except sqlite3.OperationalError:  # no marketing tables: no advertised creators
        return []
    return [{"creator": account, "top_sku": sku[0] if sku else "", "second_sku": None,
             "first_post": None} for account in accounts]


def _deals_and_samples(rng: random.Random, creators: list[dict], campaign: str,
                       campaign_start: date, today: date) -> tuple[list, list]:
    deals, samples = [], []
    for rank, creator in enumerate(creators):
        name = creator["creator"]
        posted = creator["first_post"] or campaign_start
        delivered = posted - timedelta(days=rng.randint(3, 10))
        shipped = delivered - timedelta(days=rng.randint(2, 4))
        cancelled = rank in (14, 22)
        # Half the posts are left for the app to match from the creator's videos.
        posted_text = "" if cancelled or rank % 2 else posted.isoformat()
        fee = f"{rng.choice((50, 75, 100, 150))}.00" if rank % 3 == 0 else ""
        deals.append(_deal(rng, name, campaign, shipped, delivered, posted_text,
                           (delivered + timedelta(days=2)).isoformat() if cancelled else "",
                           False, fee, rank % 4 != 0))
        samples.append(_sample(rng, name, creator["top_sku"], shipped, campaign))
        if creator["second_sku"] and rank % 4 == 1:
            samples.append((name, creator["second_sku"], "", "1", "0.00", shipped.isoformat(),
                            campaign))
    # Sampled, not posted: two late, one due in two days, one with the 7-day extension.
    skus = [c["top_sku"] for c in creators] or [""]
    for index, (name, days_since_delivery, extended) in enumerate(_PENDING):
        delivered = today - timedelta(days=days_since_delivery)
        shipped = delivered - timedelta(days=3)
        deals.append(_deal(rng, name, campaign, shipped, delivered, "", "", extended, "",
                           True))
        samples.append(_sample(rng, name, skus[index % len(skus)], shipped, campaign))
    for index, prospect in enumerate(_PROSPECTS[:_OUTREACH_ONLY]):
        day = today - timedelta(days=index + 1)
        accepted = (day + timedelta(days=1)).isoformat() if index % 3 == 0 else ""
        deals.append((prospect, campaign, day.isoformat(), accepted, "", "", "", "", "", "",
                      "", "", "", "", "", "new prospect"))
    return deals, samples


def _deal(rng: random.Random, name: str, campaign: str, shipped: date, delivered: date,
          posted: str, cancelled: str, extended: bool, fee: str, brief: bool) -> tuple:
    accepted = shipped - timedelta(days=rng.randint(1, 3))
    outreach = accepted - timedelta(days=rng.randint(1, 6))
    return (name, campaign, outreach.isoformat(), accepted.isoformat(), shipped.isoformat(),
            delivered.isoformat(), (delivered + timedelta(days=1)).isoformat() if brief
            else "", "", posted, cancelled, "yes" if extended else "no", fee, "",
            f"{rng.choice((10, 12, 15))}%", "", "demo deal")


def _sample(rng: random.Random, name: str, sku: str, shipped: date, campaign: str) -> tuple:
    return (name, sku, "", str(rng.choice((1, 1, 2))), rng.choice(("4.20", "5.60", "6.80",
                                                                   "7.90")),
            shipped.isoformat(), campaign)


def _settled_orders(conn: sqlite3.Connection, shop_id: int, zone: ZoneInfo,
                    today: date) -> list[dict]:
    cutoff = datetime.combine(today - timedelta(days=2), datetime.min.time(), tzinfo=zone)
    # Grouped once, then joined: a correlated subquery per order scans order_line.
    rows = conn.execute(
        "WITH lines AS (SELECT order_id, SUM(gmv_cents) AS gmv FROM order_line "
        " WHERE shop_id = :shop_id AND paid_utc >= :since GROUP BY order_id), "
        "paid AS (SELECT order_id, "
        " SUM(COALESCE(NULLIF(actual_standard_cents, 0), est_standard_cents, 0)) AS commission,"
        " SUM(COALESCE(NULLIF(actual_shop_ads_cents, 0), est_shop_ads_cents, 0)) AS shop_ads "
        " FROM affiliate_line WHERE shop_id = :shop_id AND is_ineligible = 0 "
        " GROUP BY order_id) "
        "SELECT o.order_id, o.created_utc, o.delivered_utc, lines.gmv, paid.commission, "
        "paid.shop_ads FROM orders o JOIN lines ON lines.order_id = o.order_id "
        "LEFT JOIN paid ON paid.order_id = o.order_id "
        "WHERE o.shop_id = :shop_id AND o.is_sample = 0 AND o.delivered_utc IS NOT NULL "
        "AND o.delivered_utc < :cutoff AND o.paid_utc >= :since ORDER BY o.order_id",
        {"shop_id": shop_id, "cutoff": int(cutoff.timestamp()),
         "since": int(cutoff.timestamp()) - 40 * 86400})
    return [dict(row) for row in rows]


def _income_rows(rng: random.Random, orders: list[dict]) -> list[tuple]:
    def money(cents: int) -> str:
        return f"{cents / 100:.2f}"

    utc8 = ZoneInfo("Etc/GMT+8")  # the file name's (UTC-8)
    rows = []
    for index, order in enumerate(orders):
        gmv = order["gmv"] or 0
        commission = order["commission"] or 0
        shop_ads = order["shop_ads"] or 0
        transaction_fee = round(gmv * 0.03)
        platform_fee = round(gmv * 0.06)
        fees = transaction_fee + platform_fee + commission + shop_ads
        settled = datetime.fromtimestamp(order["delivered_utc"], utc8) + timedelta(days=2)
        created = datetime.fromtimestamp(order["created_utc"], utc8)
        rows.append((order["order_id"], "Order", f"{created:%Y/%m/%d}", f"{settled:%Y/%m/%d}",
                     "USD", money(gmv), money(gmv), money(-fees), money(-transaction_fee),
                     money(-platform_fee), money(-commission), money(-shop_ads),
                     money(gmv - fees), ""))
        if index == 3 and commission:  # a correction on a second row of the same ID
            correction = max(1, round(commission * 0.1))
            rows.append((order["order_id"], "Order", f"{created:%Y/%m/%d}",
                         f"{settled:%Y/%m/%d}", "USD", "0.00", "0.00", money(-correction),
                         "0.00", "0.00", money(-correction), "0.00", money(-correction), ""))
    del rng
    return rows


def _experiment_rows(rng: random.Random, start: date, today: date,
                     creators: list[str]) -> list[tuple]:
    rows = []
    tests = [
        # (name, varies, metric, split, mde, baseline, looks, first day, rates, daily n)
        ("Hook: question vs product demo", "hook", "CTR", "50/50", "0.6", "3.0", "12",
         start, {"A": 0.030, "B": 0.033}, 900),
        ("Offer: bundle vs 15% off", "offer", "conversion", "50/50", "1.0", "4.0", "10",
         start - timedelta(days=3), {"A": 0.040, "B": 0.058}, 700),
    ]
    # The new image's arm got fewer visitors than planned: a sample ratio mismatch.
    tests.append(("Listing: new main image", "listing", "CTR", "50/50", "0.5", "3.0", "12",
                  start + timedelta(days=2), {"A": 0.030, "B (new image)": 0.034}, 800))
    if len(creators) == 2:
        tests.append((f"Creator: {creators[0]} vs {creators[1]}", "creator", "CTOR", "50/50",
                      "", "", "", start, {creators[0]: 0.050, creators[1]: 0.044}, 400))
    for name, varies, metric, split, mde, baseline, looks, first, rates, daily in tests:
        day = first
        while day < today:
            for index, (variant, rate) in enumerate(rates.items()):
                exposures = daily + rng.randint(-40, 40)
                if variant == "B (new image)":
                    exposures = exposures * 85 // 100
                conversions = sum(rng.random() < rate for _ in range(exposures))
                plan = (varies, metric, split, mde, baseline, looks) \
                    if index == 0 and day == first else ("",) * 6
                rows.append((name, variant, day.isoformat(), str(exposures), str(conversions),
                             *plan))
            day += timedelta(days=1)
    return rows
