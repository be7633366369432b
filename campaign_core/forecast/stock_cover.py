"""Stock cover: how many days each SKU's stock lasts at its current sales rate, as of "now".

Rate: the faster of (a) units paid in the 7 whole shop-time days before today / 7, leaving
out of the divisor the days with zero stock where stock history shows them, and (b) units
paid since the campaign start / days elapsed since the start (fractional). A SKU that sold
anything in those windows sells at least 1 unit a day; one that sold nothing has no cover
("no recent sales"). Units are those of paid order lines of non-sample orders.
Stock: the latest stock snapshot at or before now gives available and inbound; a restock
plan adds its quantity to inbound until its expected day has passed (a plan without an
expected day counts until it is removed; one created after now does not count yet).
Days of cover = (available + inbound) / rate, never below 0; stock-out date = now + cover.
Status: out of stock when available <= 0; sells out soon when cover < min(7, days left until
the campaign ends; 7 once it has ended); else ok. Without any snapshot: no stock data.
A day with zero stock: one of the 7 days whose latest snapshot at or before its start and
every snapshot during it show available <= 0; without a snapshot at or before its start a
day counts as in stock, so without stock history no day is left out. If all 7 days had
zero stock, (a) gives no rate.
A product's available is the sum over its SKUs, its days of cover the smallest of its
SKUs', its status the worst of its SKUs' (out of stock > sells out soon > ok > no stock
data).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from campaign_core.rollups.day_skus import day_span
from campaign_core.rollups.windows import HOUR, edge_parts, hour_parts, rollup_span
from campaign_core.store.campaigns import Campaign
from campaign_core.windows import local_midnight_utc

STOCK_COVER_DEFINITION = __doc__.split("\n", 2)[2].strip()

RECENT_DAYS = 7
SELLS_OUT_SOON_DAYS = 7.0
MIN_RATE_PER_DAY = 1.0

OUT_OF_STOCK = "out of stock"
SELLS_OUT_SOON = "sells out soon"
OK = "ok"
NO_STOCK_DATA = "no stock data"
# Worst first: a product takes the first of these that any of its SKUs has.
STATUS_SEVERITY: tuple[str, ...] = (OUT_OF_STOCK, SELLS_OUT_SOON, OK, NO_STOCK_DATA)

LAST_7_DAYS = "last 7 days"
SINCE_CAMPAIGN_START = "since campaign start"
NO_RECENT_SALES = "no recent sales"

# One pass over the order lines for both windows; the lower bound lets the
# (shop_id, paid_utc) index skip everything older than the earlier window.
# Units per SKU in the rate windows. Whole local days come from rollup_day_sku, the other
# whole hours from rollup_hour_sku, the partial hours at the edges (the current hour) from the
# lines, each fact at its day's or hour's start or its paid time;
# the window bounds are local midnights, whole UTC hours in whole-hour zones, so an hour lies
# wholly inside or outside each window (else ``sku_cover`` reads everything from the lines).
_UNITS_SQL = """
WITH facts AS (
    SELECT sku_id, product_id, day_start_utc AS paid_utc, units AS quantity
    FROM rollup_day_sku
    WHERE shop_id = :shop_id AND day_start_utc >= :day_first AND day_start_utc < :day_last
    UNION ALL
""" + hour_parts("""
    SELECT sku_id, product_id, hour_utc AS paid_utc, units AS quantity
    FROM rollup_hour_sku
    WHERE shop_id = :shop_id AND {hours}""") + """
    UNION ALL
""" + edge_parts("""
    SELECT sku_id, product_id, paid_utc, quantity
    FROM order_line
    WHERE shop_id = :shop_id AND is_sample = 0 AND {edge}""", column="paid_utc",
                 start=":lines_start", end=":now_bound") + """
)
SELECT sku_id,
       MAX(product_id) AS product_id,
       COALESCE(SUM(CASE WHEN paid_utc >= :week_start AND paid_utc < :today_start
                         THEN quantity END), 0) AS units_7d,
       COALESCE(SUM(CASE WHEN paid_utc >= :campaign_start AND paid_utc < :now_bound
                         THEN quantity END), 0) AS units_campaign
FROM facts
GROUP BY sku_id
"""

_LATEST_SNAPSHOT_SQL = """
SELECT s.sku_id, s.available, s.inbound, s.as_of_utc
FROM stock_snapshot s
WHERE s.shop_id = :shop_id
  AND s.as_of_utc = (SELECT MAX(p.as_of_utc) FROM stock_snapshot p
                     WHERE p.shop_id = s.shop_id AND p.sku_id = s.sku_id
                       AND p.as_of_utc <= :now_utc)
"""

# The snapshots that describe the 7 days: for each SKU the latest one at or before the
# first day's start, and every one after it until today starts.
_HISTORY_SQL = """
SELECT s.sku_id, s.as_of_utc, s.available
FROM stock_snapshot s
WHERE s.shop_id = :shop_id AND s.as_of_utc < :today_start
  AND s.as_of_utc >= COALESCE((SELECT MAX(p.as_of_utc) FROM stock_snapshot p
                               WHERE p.shop_id = s.shop_id AND p.sku_id = s.sku_id
                                 AND p.as_of_utc <= :week_start), :week_start)
ORDER BY s.sku_id, s.as_of_utc
"""

_PLANNED_INBOUND_SQL = """
SELECT sku_id, SUM(quantity) AS quantity
FROM restock_plan
WHERE shop_id = :shop_id
  AND (expected_day IS NULL OR expected_day >= :today)
  AND (created_utc IS NULL OR created_utc <= :now_utc)
GROUP BY sku_id
"""

_CATALOG_SQL = "SELECT sku_id, product_id FROM sku WHERE shop_id = :shop_id"

_KNOWN_SKUS_SQL = """
SELECT sku_id FROM stock_snapshot WHERE shop_id = :shop_id AND as_of_utc <= :now_utc
UNION SELECT sku_id FROM restock_plan WHERE shop_id = :shop_id
"""


@dataclass(frozen=True)
class SkuCover:
    sku_id: str
    product_id: str | None  # None when no catalog row or order line names the product
    available: int | None  # None without a stock snapshot
    inbound: int  # snapshot inbound + restock plans not yet past their expected day
    rate_per_day: float | None  # None: sold nothing in either window
    rate_source: str | None  # "last 7 days" / "since campaign start"; None without a rate
    in_stock_days: int  # the divisor used for (a)
    units_7d: int
    units_campaign: int
    days_of_cover: float | None
    stockout_date: date | None  # shop-time day
    status: str  # out of stock / sells out soon / ok / no stock data
    stock_as_of_utc: int | None  # the snapshot used
    explanation: str  # tooltip: the rate used, its window, the stock's time


@dataclass(frozen=True)
class ProductCover:
    product_id: str | None  # None: one SKU whose product is unknown
    sku_ids: tuple[str, ...]
    available: int | None  # sum over SKUs with stock data; None when none has any
    inbound: int
    days_of_cover: float | None  # smallest of its SKUs'
    stockout_date: date | None  # earliest of its SKUs'
    status: str  # worst of its SKUs'
    explanation: str  # the limiting SKU's explanation


@dataclass(frozen=True)
class _Context:
    """The instants and days every SKU's cover is computed against."""
    zone: str
    now_utc: int
    today: date
    today_start: int
    week_start: int
    campaign_start: int
    campaign_end: int  # exclusive: midnight after the last day

    @property
    def days_elapsed(self) -> float:
        return (self.now_utc - self.campaign_start) / 86400

    @property
    def sells_out_soon_days(self) -> float:
        if self.now_utc >= self.campaign_end:
            return SELLS_OUT_SOON_DAYS
        return min(SELLS_OUT_SOON_DAYS, (self.campaign_end - self.now_utc) / 86400)

    def day_starts(self) -> list[int]:
        """Start of each of the 7 days, then today's start (8 instants)."""
        first = self.today - timedelta(days=RECENT_DAYS)
        return [local_midnight_utc(first + timedelta(days=n), self.zone)
                for n in range(RECENT_DAYS + 1)]


def _context(campaign: Campaign, now: datetime) -> _Context:
    zone = campaign.timezone
    today = now.astimezone(ZoneInfo(zone)).date()
    return _Context(
        zone=zone, now_utc=int(now.timestamp()), today=today,
        today_start=local_midnight_utc(today, zone),
        week_start=local_midnight_utc(today - timedelta(days=RECENT_DAYS), zone),
        campaign_start=local_midnight_utc(campaign.start_day, zone),
        campaign_end=local_midnight_utc(campaign.end_day + timedelta(days=1), zone))


def sku_cover(conn: sqlite3.Connection, shop_id: int, campaign: Campaign,
              now: datetime) -> list[SkuCover]:
    """Days of cover and stock status of every SKU of ``shop_id`` as of ``now``.

    ``campaign`` gives the shop-time timezone, the start of rate (b) and the end that caps
    the sells-out-soon threshold; ``now`` must be timezone-aware. Lists every SKU in the
    catalog, with a snapshot or restock plan, or sold in the rate windows, sorted by SKU
    ID. Rules: ``STOCK_COVER_DEFINITION``. Raises ``sqlite3.Error`` on a store without
    the v3 tables.
    """
    ctx = _context(campaign, now)
    params = {"shop_id": shop_id, "now_utc": ctx.now_utc, "now_bound": ctx.now_utc + 1,
              "today": ctx.today.isoformat(), "today_start": ctx.today_start,
              "week_start": ctx.week_start, "campaign_start": ctx.campaign_start,
              "lines_start": min(ctx.week_start, ctx.campaign_start)}
    params["first"], params["last"] = rollup_span(conn, shop_id, params["lines_start"],
                                                  params["now_bound"])
    if any(bound % HOUR for bound in (ctx.week_start, ctx.today_start, ctx.campaign_start)):
        params["first"] = params["last"] = params["now_bound"]  # midnights inside hours
    # Whole days (the rate windows' past days) from the day rollup: bounds are local midnights.
    params["day_first"], params["day_last"] = day_span(conn, shop_id, params["first"],
                                                       params["last"], ctx.zone)
    units = {row["sku_id"]: row for row in conn.execute(_UNITS_SQL, params)}
    snapshots = {row["sku_id"]: row for row in conn.execute(_LATEST_SNAPSHOT_SQL, params)}
    planned = {row["sku_id"]: row["quantity"] or 0
               for row in conn.execute(_PLANNED_INBOUND_SQL, params)}
    zero_days = _zero_stock_days(conn.execute(_HISTORY_SQL, params).fetchall(),
                                 ctx.day_starts())
    products = {row["sku_id"]: row["product_id"] for row in conn.execute(_CATALOG_SQL, params)}
    known = set(products) | set(units) | {row[0] for row in conn.execute(_KNOWN_SKUS_SQL, params)}
    covers = []
    for sku_id in sorted(known):
        sold = units.get(sku_id)
        product_id = products.get(sku_id) or (sold["product_id"] if sold else None)
        covers.append(_cover_of(
            ctx, sku_id, product_id, snapshots.get(sku_id), planned.get(sku_id, 0),
            sold["units_7d"] if sold else 0, sold["units_campaign"] if sold else 0,
            RECENT_DAYS - zero_days.get(sku_id, 0)))
    return covers


def _zero_stock_days(history: Iterable[sqlite3.Row], day_starts: list[int]) -> dict[str, int]:
    """Per SKU, how many of the days (``day_starts[i]`` to ``day_starts[i + 1]``) had
    available <= 0 from start to end by the snapshots in ``history`` (sorted by SKU, time)."""
    by_sku: dict[str, list[tuple[int, int | None]]] = {}
    for row in history:
        by_sku.setdefault(row["sku_id"], []).append((row["as_of_utc"], row["available"]))
    counts = {}
    for sku_id, snapshots in by_sku.items():
        counts[sku_id] = sum(
            _zero_all_day(snapshots, start, end)
            for start, end in zip(day_starts, day_starts[1:], strict=False))
    return counts


def _zero_all_day(snapshots: list[tuple[int, int | None]], start: int, end: int) -> bool:
    before = [available for as_of, available in snapshots if as_of <= start]
    if not before:  # the stock at the day's start is unknown: assume it was in stock
        return False
    during = [available for as_of, available in snapshots if start < as_of < end]
    return all(available is not None and available <= 0 for available in [before[-1], *during])


def _cover_of(ctx: _Context, sku_id: str, product_id: str | None, snapshot: sqlite3.Row | None,
              planned_inbound: int, units_7d: int, units_campaign: int,
              in_stock_days: int) -> SkuCover:
    rate, source, floored = _rate(ctx, units_7d, units_campaign, in_stock_days)
    available = None if snapshot is None else (snapshot["available"] or 0)
    inbound = (0 if snapshot is None else (snapshot["inbound"] or 0)) + planned_inbound
    cover = None
    if available is not None and rate is not None:
        cover = max(0.0, (available + inbound) / rate)
    stockout = None
    if cover is not None:
        moment = datetime.fromtimestamp(ctx.now_utc, ZoneInfo(ctx.zone)) + timedelta(days=cover)
        stockout = moment.date()
    status = _status(ctx, available, cover)
    return SkuCover(
        sku_id=sku_id, product_id=product_id, available=available, inbound=inbound,
        rate_per_day=rate, rate_source=source, in_stock_days=in_stock_days,
        units_7d=units_7d, units_campaign=units_campaign, days_of_cover=cover,
        stockout_date=stockout, status=status,
        stock_as_of_utc=None if snapshot is None else snapshot["as_of_utc"],
        explanation=_explain(ctx, snapshot, planned_inbound, units_7d, units_campaign,
                             in_stock_days, (rate, source, floored), cover, stockout))


def _rate(ctx: _Context, units_7d: int, units_campaign: int,
          in_stock_days: int) -> tuple[float | None, str | None, bool]:
    """The faster of the two rates, at least 1 a day, its source, and whether the floor
    applied; (None, None, False) when nothing sold in either window."""
    if units_7d <= 0 and units_campaign <= 0:
        return None, None, False
    recent = units_7d / in_stock_days if in_stock_days > 0 else None
    since_start = units_campaign / ctx.days_elapsed if ctx.days_elapsed > 0 else None
    if since_start is not None and (recent is None or since_start > recent):
        faster, source = since_start, SINCE_CAMPAIGN_START
    else:
        faster, source = recent or 0.0, LAST_7_DAYS
    return max(faster, MIN_RATE_PER_DAY), source, faster < MIN_RATE_PER_DAY


def _status(ctx: _Context, available: int | None, cover: float | None) -> str:
    if available is None:
        return NO_STOCK_DATA
    if available <= 0:
        return OUT_OF_STOCK
    if cover is not None and cover < ctx.sells_out_soon_days:
        return SELLS_OUT_SOON
    return OK


def _explain(ctx: _Context, snapshot: sqlite3.Row | None, planned_inbound: int,
             units_7d: int, units_campaign: int, in_stock_days: int,
             rate_used: tuple[float | None, str | None, bool], cover: float | None,
             stockout: date | None) -> str:
    rate, source, floored = rate_used
    if rate is None:
        sales = ("No recent sales: nothing sold in the 7 days before today or since the "
                 "campaign start, so no days of cover.")
    else:
        floor = " (the floor of 1 unit/day for a SKU that sells)" if floored else ""
        since_start = (f"{units_campaign} units / {ctx.days_elapsed:.1f} days"
                       if ctx.days_elapsed > 0 else "not started")
        sales = (f"Sells {rate:.1f} units/day{floor}, the faster of: last 7 days "
                 f"{units_7d} units / {in_stock_days} in-stock days; since campaign start "
                 f"{since_start}. Rate used: {source}.")
    if snapshot is None:
        return f"{sales} No stock data: no stock snapshot at or before now."
    local = datetime.fromtimestamp(snapshot["as_of_utc"], ZoneInfo(ctx.zone))
    stock = (f"Stock as of {local:%b %d %H:%M}: {snapshot['available'] or 0} available, "
             f"{snapshot['inbound'] or 0} inbound")
    if planned_inbound:
        stock += f", {planned_inbound} planned inbound"
    stock += "."
    if cover is None:
        return f"{sales} {stock}"
    if (snapshot["available"] or 0) <= 0:
        return f"{sales} {stock} Out of stock now; the inbound covers {cover:.1f} days."
    return f"{sales} {stock} Covers {cover:.1f} days: sells out around {stockout:%b %d, %Y}."


def product_cover(sku_covers: Iterable[SkuCover]) -> list[ProductCover]:
    """Per product: available = sum of its SKUs' (those with stock data), days of cover =
    the smallest, stock-out date = the earliest, status = the worst (out of stock > sells
    out soon > ok > no stock data). A SKU whose product is unknown is a product of its own
    with product_id None. Sorted worst status first, then shortest cover, then product ID.
    """
    groups: dict[tuple[str, str], list[SkuCover]] = {}
    for cover in sku_covers:
        key = ("p", cover.product_id) if cover.product_id else ("s", cover.sku_id)
        groups.setdefault(key, []).append(cover)
    products = [_aggregate(covers) for covers in groups.values()]
    return sorted(products, key=lambda p: (STATUS_SEVERITY.index(p.status),
                                           _cover_sort_key(p.days_of_cover),
                                           p.product_id or "", p.sku_ids))


def _aggregate(covers: list[SkuCover]) -> ProductCover:
    with_stock = [c.available for c in covers if c.available is not None]
    with_cover = [c for c in covers if c.days_of_cover is not None]
    limiting = min(covers, key=lambda c: (STATUS_SEVERITY.index(c.status),
                                          _cover_sort_key(c.days_of_cover)))
    return ProductCover(
        product_id=covers[0].product_id,
        sku_ids=tuple(c.sku_id for c in covers),
        available=sum(with_stock) if with_stock else None,
        inbound=sum(c.inbound for c in covers),
        days_of_cover=min((c.days_of_cover for c in with_cover), default=None),
        stockout_date=min((c.stockout_date for c in with_cover), default=None),
        status=limiting.status,
        explanation=limiting.explanation)


def _cover_sort_key(days: float | None) -> float:
    return float("inf") if days is None else days


def stock_alert_counts(product_covers: Iterable[ProductCover]) -> dict[str, int]:
    """How many products are out of stock and how many sell out soon, for the overview's
    alerts: ``{"out_of_stock": n, "sells_out_soon": m}``."""
    statuses = [p.status for p in product_covers]
    return {"out_of_stock": statuses.count(OUT_OF_STOCK),
            "sells_out_soon": statuses.count(SELLS_OUT_SOON)}
