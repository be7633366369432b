"""The demo's content: an affiliate orders export, a video list, a LIVE session list and a
content flags file, derived from the demo's own orders, plus two linked (own) accounts.

- Affiliate orders (US layout): every paid line of an order with a creator handle from two
  weeks before the campaign on. The top creators each ran one LIVE (3 hours on their best
  day: their lines in it are LIVE lines); every creator posted one or two videos before
  their first sale; the rest of their lines went through a video or, for some, a showcase.
  Commission 10-20%, settled (actual) for delivered orders; some Shop Ads commission and a
  few co-funded bonuses; cancelled orders are Ineligible.
- LIVE list: the shop's own evening LIVE each campaign day (today's in the morning, so it
  is over by the demo's "now") and the creators' LIVEs. An own LIVE sold about half of the
  shop's non-affiliate GMV paid during it.
- Video list: the shop's own videos and the creators' videos, for the campaign days
  before today (the date range above the header).
- Flags: two LIVE violations and two Key Livestream sessions.
"""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.demo.content_files import (
    FLAG_HEADERS,
    LIVE_LIST_HEADERS,
    VIDEO_LIST_HEADERS,
    AffiliateRowSpec,
    write_affiliate_csv,
    write_table_csv,
)
from campaign_core.demo.order_files import format_money, format_time
from campaign_core.demo.sub_campaigns import black_friday
from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.content import add_linked_account
from campaign_core.store.shops import find_shop

LINKED_ACCOUNTS = ("glowandgo", "glowandgo.studio")
AFFILIATE_FILE = "affiliate_orders.csv"
VIDEO_FILE = "Video Performance List_demo.csv"
LIVE_FILE = "live_sessions.csv"
FLAGS_FILE = "content_flags.csv"
_CONTENT_TABLES = ("affiliate_line", "content_stats", "content_violation", "content",
                   "linked_account", "creator_shortlist", "content_ad_shortlist")
_LIVE_CREATORS = 6
_TWO_VIDEO_CREATORS = 20
_SHOWCASE_RATE = 0.08
_SHOP_ADS_RATE = 0.2
_BONUS_RATE = 0.05
_OWN_LIVE_SHARE = 0.5
_VIDEO_TITLES = ("5-minute glow routine", "Black Friday haul", "Honest review: {p}",
                 "Get ready with me", "Why I switched to {p}", "Night routine reset",
                 "3 ways to use {p}", "Unboxing the deal of the year")
# The shop's own LIVEs: the launch, Black Friday and Cyber Monday get their own titles on
# their days; the other days rotate through these.
_LIVE_TITLES = ("Midnight deals LIVE", "Glow week: live demo", "Q&A + flash deals",
                "Skincare clinic LIVE")
_CREATOR_LIVE_TITLES = ("GRWM + my holiday haul", "Skincare Q&A with you",
                        "Unboxing my top picks", "Full-face tutorial, one brand",
                        "Deals I'm buying this week", "Hair routine live")


@dataclass
class _Content:
    content_id: str
    kind: str
    creator: str
    title: str
    posted: datetime  # naive shop time
    ended: datetime | None = None
    gmv_cents: int = 0
    orders: set[str] = field(default_factory=set)
    units: int = 0
    audience: int | None = None  # a creator's usual LIVE viewers (their following)


@dataclass
class _Line:
    order_id: str
    sku_id: str
    product_id: str
    product_name: str
    quantity: int
    gmv_cents: int
    paid: datetime
    creator: str
    cancelled: bool
    delivered: bool


def import_demo_content(db_path: Path | str, folder: Path, shop_name: str, timezone: str,
                        campaign_start: date, today: date, seed: int,
                        record: Callable[[Path, ImportReport], object], *,
                        now: datetime | None = None) -> None:
    """Write the demo's content files into ``folder`` and import them into ``shop_name``;
    ``record(path, report)`` hears each file. Replaces the shop's earlier content data and
    marks ``LINKED_ACCOUNTS`` as its own. ``now`` (naive shop time; default the end of
    ``today``) is the demo's now: no content is posted, running or flagged after it."""
    zone = ZoneInfo(timezone)
    now = now or datetime.combine(today, time(23, 59, 59))
    with write_transaction(db_path) as conn:
        shop_id = find_shop(conn, shop_name).shop_id
        for table in _CONTENT_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE shop_id = :shop_id",  # noqa: S608
                         {"shop_id": shop_id})
        for handle in LINKED_ACCOUNTS:
            add_linked_account(conn, shop_id, handle,
                               now_utc=int(now.replace(tzinfo=zone).timestamp()))
    first = datetime.combine(campaign_start - timedelta(days=14), time(0), tzinfo=zone)
    with read_connection(db_path) as conn:
        lines = _affiliate_lines(conn, shop_id, int(first.timestamp()), zone)
        own_lives = _own_lives(conn, shop_id, zone, campaign_start, now)
    rng = random.Random(seed * 7919 + 5)
    creator_contents, specs = _attribute(rng, lines, now)
    own_videos = _own_videos(rng, campaign_start, now, lines)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = [
        write_affiliate_csv(folder / AFFILIATE_FILE, specs),
        _write_videos(folder / VIDEO_FILE, rng, own_videos + [
            c for c in creator_contents if c.kind == "video"],
            (campaign_start, max(campaign_start, today - timedelta(days=1)))),
        _write_lives(folder / LIVE_FILE, rng, own_lives + [
            c for c in creator_contents if c.kind == "live"]),
        _write_flags(folder / FLAGS_FILE, own_lives, creator_contents),
    ]
    for path in files:
        record(path, import_file(db_path, path, shop_name=shop_name, timezone=timezone))


def _affiliate_lines(conn: sqlite3.Connection, shop_id: int, since_utc: int,
                     zone: ZoneInfo) -> list[_Line]:
    rows = conn.execute(
        "SELECT l.order_id, l.sku_id, l.product_id, l.product_name, l.quantity, l.gmv_cents, "
        "l.paid_utc, o.creator_handle, l.is_cancelled, o.delivered_utc IS NOT NULL "
        "FROM order_line AS l JOIN orders AS o ON o.shop_id = l.shop_id "
        "AND o.order_id = l.order_id WHERE l.shop_id = :shop_id AND l.is_sample = 0 "
        "AND l.paid_utc >= :since AND COALESCE(o.creator_handle, '') <> '' "
        "ORDER BY l.paid_utc, l.order_id, l.line_no", {"shop_id": shop_id, "since": since_utc})
    return [_Line(r[0], r[1], r[2] or "", r[3] or "", r[4], r[5],
                  datetime.fromtimestamp(r[6], zone).replace(tzinfo=None), r[7],
                  bool(r[8]), bool(r[9])) for r in rows]


def _own_lives(conn: sqlite3.Connection, shop_id: int, zone: ZoneInfo, start: date,
               now: datetime) -> list[_Content]:
    """One own LIVE per campaign day so far (today's in the morning, if it is over by
    ``now``), selling half the non-affiliate GMV paid in it."""
    lives = []
    day = start
    number = 0
    while day <= now.date():
        begin = datetime.combine(day, time(10 if day == now.date() else 19))
        end = begin + timedelta(hours=3)
        if end > now:
            break
        number += 1
        live = _Content(f"74000000000{number:08d}", "live", LINKED_ACCOUNTS[number % 2],
                        _own_live_title(day, start, number) + f" (day {number})", begin, end)
        row = conn.execute(
            "SELECT COALESCE(SUM(l.gmv_cents), 0), COUNT(DISTINCT l.order_id), "
            "COALESCE(SUM(l.quantity), 0) FROM order_line AS l JOIN orders AS o "
            "ON o.shop_id = l.shop_id AND o.order_id = l.order_id WHERE l.shop_id = :shop_id "
            "AND l.is_sample = 0 AND l.paid_utc >= :start AND l.paid_utc < :end "
            "AND COALESCE(o.creator_handle, '') = ''",
            {"shop_id": shop_id, "start": int(begin.replace(tzinfo=zone).timestamp()),
             "end": int(end.replace(tzinfo=zone).timestamp())}).fetchone()
        live.gmv_cents = int(row[0] * _OWN_LIVE_SHARE)
        live.orders = {str(i) for i in range(int(row[1] * _OWN_LIVE_SHARE))}
        live.units = int(row[2] * _OWN_LIVE_SHARE)
        lives.append(live)
        day += timedelta(days=1)
    return lives


def _own_live_title(day: date, start: date, number: int) -> str:
    friday = black_friday(day.year)
    if day == start:
        return "Launch night deals LIVE"
    if day == friday:
        return "Black Friday mega LIVE"
    if day == friday + timedelta(days=3):
        return "Cyber Monday LIVE"
    return _LIVE_TITLES[number % len(_LIVE_TITLES)]


def _attribute(rng: random.Random, lines: list[_Line], now: datetime
               ) -> tuple[list[_Content], list[AffiliateRowSpec]]:
    by_creator: dict[str, list[_Line]] = defaultdict(list)
    for line in lines:
        by_creator[line.creator].append(line)
    ranked = sorted(by_creator, key=lambda c: (-sum(x.gmv_cents for x in by_creator[c]), c))
    contents: list[_Content] = []
    specs: list[AffiliateRowSpec] = []
    for rank, creator in enumerate(ranked):
        own_lines = by_creator[creator]
        live = _creator_live(rank, creator, own_lines, now) if rank < _LIVE_CREATORS \
            else None
        videos = _creator_videos(rng, rank, creator, own_lines)
        contents.extend(([live] if live else []) + videos)
        rate = rng.choice((10, 12, 15, 18, 20))
        for line in own_lines:
            content = _content_for(rng, line, live, videos)
            specs.append(_spec(rng, line, content, rate))
            if content:
                content.gmv_cents += line.gmv_cents
                content.orders.add(line.order_id)
                content.units += line.quantity
    return contents, specs


def _creator_live(rank: int, creator: str, lines: list[_Line], now: datetime) -> _Content:
    per_day: dict[date, int] = defaultdict(int)
    for line in lines:
        per_day[line.paid.date()] += line.gmv_cents
    best_day = max(sorted(per_day), key=lambda d: per_day[d])
    hours = sorted(line.paid.hour for line in lines if line.paid.date() == best_day)
    begin = datetime.combine(best_day, time(max(0, hours[len(hours) // 2] - 1)))
    # Creators reach audiences of their own size (800 to 40,000 viewers), from a stream of
    # their own so the rest of the demo is drawn as before.
    audience = int(10 ** random.Random(f"live-audience:{creator}").uniform(2.9, 4.6))
    # A LIVE still running at "now" is shown as it stands: ended so far at now.
    return _Content(f"74100000000{rank + 1:08d}", "live", creator,
                    f"{creator}: {_CREATOR_LIVE_TITLES[rank % len(_CREATOR_LIVE_TITLES)]}",
                    min(begin, now), min(begin + timedelta(hours=3), now), audience=audience)


def _creator_videos(rng: random.Random, rank: int, creator: str,
                    lines: list[_Line]) -> list[_Content]:
    count = 2 if rank < _TWO_VIDEO_CREATORS else 1
    first_sale = lines[0].paid
    videos = []
    for index in range(count):
        posted = first_sale - timedelta(hours=rng.randint(2, 48)) if index == 0 else \
            lines[len(lines) // 2].paid - timedelta(hours=rng.randint(1, 12))
        title = rng.choice(_VIDEO_TITLES).format(p=(lines[0].product_name or "it")[:40])
        videos.append(_Content(f"73{rank + 1:09d}{index:08d}", "video", creator, title,
                               posted.replace(microsecond=0)))
    return videos


def _content_for(rng: random.Random, line: _Line, live: _Content | None,
                 videos: list[_Content]) -> _Content | None:
    if live and live.posted <= line.paid < live.ended:
        return live
    if rng.random() < _SHOWCASE_RATE:
        return None
    posted = [video for video in videos if video.posted <= line.paid]
    return rng.choice(posted) if posted else videos[0]


def _spec(rng: random.Random, line: _Line, content: _Content | None,
          rate: int) -> AffiliateRowSpec:
    estimate = round(line.gmv_cents * rate / 100)
    shop_ads = round(line.gmv_cents * 0.05) if rng.random() < _SHOP_ADS_RATE else 0
    bonus = round(line.gmv_cents * 0.03) if rng.random() < _BONUS_RATE else 0
    settled = line.delivered and not line.cancelled
    return AffiliateRowSpec(
        order_id=line.order_id, sku_id=line.sku_id, product_id=line.product_id,
        product_name=line.product_name, creator=line.creator,
        content_kind=content.kind if content else "card",
        content_id=content.content_id if content else "",
        price_cents=round(line.gmv_cents / max(1, line.quantity)), quantity=line.quantity,
        paid=line.paid, status="Ineligible" if line.cancelled else (
            "Completed" if settled else "Pending"),
        commission_rate_pct=rate, est_standard_cents=estimate,
        actual_standard_cents=estimate if settled else 0, est_shop_ads_cents=shop_ads,
        actual_shop_ads_cents=shop_ads if settled else 0, est_bonus_cents=bonus,
        actual_bonus_cents=bonus if settled else 0)


def _own_videos(rng: random.Random, start: date, now: datetime,
                lines: list[_Line]) -> list[_Content]:
    videos = []
    today = now.date()
    for index in range(8):
        day = start + timedelta(days=rng.randint(-6, (today - start).days))
        posted = datetime.combine(day, time(rng.randint(7, 21), rng.choice((0, 15, 30, 45))))
        if day == today:
            # Posted this morning, or an hour ago if the morning has not come yet.
            posted = min(datetime.combine(day, time(8, 30)), now - timedelta(hours=1))
        video = _Content(f"73900000000{index + 1:08d}", "video", LINKED_ACCOUNTS[index % 2],
                         rng.choice(_VIDEO_TITLES).format(p="our best seller"), posted)
        video.gmv_cents = rng.randint(150_00, 1_800_00)
        video.orders = {str(i) for i in range(video.gmv_cents // 3_200)}
        video.units = int(len(video.orders) * 1.4)
        videos.append(video)
    return videos


def _write_videos(path: Path, rng: random.Random, videos: list[_Content],
                  period: tuple[date, date]) -> Path:
    """The video list for ``period`` (stated above the header, as Seller Center does)."""
    rows = []
    for video in videos:
        sku_orders = max(len(video.orders), 1)
        clicks = int(sku_orders / rng.uniform(0.05, 0.12))
        impressions = int(clicks / rng.uniform(0.03, 0.08))
        views = int(impressions * rng.uniform(2.5, 6))
        rows.append({"Video ID": video.content_id + "\t", "Creator": video.creator,
                     "Video title": video.title, "Post time": format_time(video.posted),
                     "Video views": f"{views:,}", "Likes": str(int(views * 0.06)),
                     "Comments": str(int(views * 0.004)), "Shares": str(int(views * 0.002)),
                     "Product impressions": str(impressions), "Product clicks": str(clicks),
                     "SKU orders": str(len(video.orders)),
                     "Video-attributed GMV": format_money(video.gmv_cents, "$")})
    return write_table_csv(path, VIDEO_LIST_HEADERS, rows, preamble=[
        [f"Date range: {period[0].isoformat()} ~ {period[1].isoformat()}"]])


def _write_lives(path: Path, rng: random.Random, lives: list[_Content]) -> Path:
    rows = []
    for live in lives:
        orders = len(live.orders)
        per_order = rng.randint(25, 40)
        viewers = max(live.audience or 200, orders * per_order)
        impressions = int(viewers * rng.uniform(1.8, 2.6))
        rows.append({"LIVE ID": live.content_id + "\t", "LIVE title": live.title,
                     "Creator": live.creator, "Start time": format_time(live.posted),
                     "End time": format_time(live.ended),
                     "GMV": format_money(live.gmv_cents, "$"), "Items sold": str(live.units),
                     "Orders": str(orders), "Viewers": f"{viewers:,}",
                     "Product impressions": str(impressions),
                     "Product clicks": str(int(impressions * rng.uniform(0.04, 0.08)))})
    return write_table_csv(path, LIVE_LIST_HEADERS, rows)


def _write_flags(path: Path, own_lives: list[_Content], creator_contents: list[_Content]
                 ) -> Path:
    creator_lives = [c for c in creator_contents if c.kind == "live"]
    rows = []
    if len(own_lives) >= 2:
        yesterday = own_lives[-2]
        rows.append({"Content ID": yesterday.content_id, "Flag": "violation",
                     "Violation type": "Misleading price claim",
                     "Time": format_time(yesterday.posted + timedelta(minutes=47)),
                     "Content type": "LIVE"})
    if creator_lives:
        rows.append({"Content ID": creator_lives[-1].content_id, "Flag": "violation",
                     "Violation type": "Off-platform link shown",
                     "Time": format_time(min(creator_lives[-1].posted + timedelta(minutes=20),
                                             creator_lives[-1].ended)),
                     "Content type": "LIVE"})
        rows.append({"Content ID": creator_lives[0].content_id, "Flag": "key live",
                     "Content type": "LIVE"})
    if own_lives:
        rows.append({"Content ID": own_lives[-1].content_id, "Flag": "key live",
                     "Content type": "LIVE"})
    return write_table_csv(path, FLAG_HEADERS, rows)
