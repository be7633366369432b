"""Content: the LIVE and video rankings, a content item's detail, and content supply.

Definitions (``CONTENT_GMV_DEFINITION``, ``CONTENT_ACCOUNT_DEFINITION``):
- a content item's sales are the order lines the affiliate orders export attributes to it
  (by Order ID and SKU ID), each counted with the order line's GMV, windowed by paid time,
  free samples excluded. An affiliate row whose order line is not in the store counts with
  its own Price x Quantity (Payment Amount when there is no price), windowed by its
  Payment time;
- content that no affiliate row names (the shop's own videos and LIVEs) takes its GMV,
  orders and units from the video / LIVE exports (``content_stats``) whose period lies in
  the window (a row without a period: when the content was posted in the window);
- views, likes, product impressions and clicks always come from those exports.
The own / affiliate rule for a content item is ``content_account_sql``, so every query
that splits content uses the same rule. Aggregation is in SQL; the per-item rows are
merged, filtered and sorted in Python (a campaign has hundreds of items, not millions).
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from campaign_core.metrics.core import core_kpis
from campaign_core.metrics.money import cents_to_amount, ratio_amount
from campaign_core.metrics.sub_campaigns import share_pct
from campaign_core.windows import Window

OWN, AFFILIATE = "own", "affiliate"
VIDEO, LIVE = "video", "live"

CONTENT_ACCOUNT_DEFINITION = (
    "A video or LIVE is the shop's own when its creator is one of the shop's linked "
    "accounts (Settings), or when it comes from the seller's own video list or LIVE list "
    "export and no affiliate order names it; every other content is affiliate. An order "
    "line is affiliate-attributed when the affiliate orders export has a row for its "
    "Order ID and SKU ID; lines without such a row are the shop's own."
)


def content_account_sql(alias: str = "c") -> str:
    """An SQL expression, 'own' or 'affiliate', for the ``content`` row aliased ``alias``
    (see ``CONTENT_ACCOUNT_DEFINITION``). ``alias`` must be a plain identifier."""
    if not alias.isidentifier():
        raise ValueError(f"not an SQL alias: {alias!r}")
    return f"""(CASE
      WHEN EXISTS (SELECT 1 FROM linked_account AS la
                   WHERE la.shop_id = {alias}.shop_id
                     AND la.handle = lower(trim(ltrim(trim(COALESCE({alias}.creator, '')),
                                                      '@'))))
        THEN '{OWN}'
      WHEN COALESCE({alias}.seller_listed, 0) = 1
           AND NOT EXISTS (SELECT 1 FROM affiliate_line AS al
                           WHERE al.shop_id = {alias}.shop_id
                             AND al.content_id = {alias}.content_id)
        THEN '{OWN}'
      ELSE '{AFFILIATE}' END)"""


_SUPPLY_SQL = f"""
SELECT c.kind AS kind, {content_account_sql("c")} AS account, COUNT(*) AS n
FROM content AS c
WHERE c.shop_id = :shop_id AND c.posted_utc >= :start AND c.posted_utc < :end
GROUP BY kind, account
"""


def content_supply(conn: sqlite3.Connection, shop_id: int, window: Window) -> dict[str, int]:
    """Videos and LIVEs of ``shop_id`` posted (LIVE: started) inside ``window``.

    Returns ``{"creator_videos", "creator_lives", "seller_videos", "seller_lives"}``:
    "seller" is own content and "creator" affiliate content, by ``content_account_sql``.
    Content with no post time is not counted (no window can hold it).
    """
    supply = {"creator_videos": 0, "creator_lives": 0, "seller_videos": 0, "seller_lives": 0}
    params = {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc}
    for row in conn.execute(_SUPPLY_SQL, params):
        who = "seller" if row[1] == OWN else "creator"
        what = {"video": "videos", "live": "lives"}.get(row[0])
        if what:
            supply[f"{who}_{what}"] += row[2]
    return supply


CONTENT_GMV_DEFINITION = (
    "Content GMV: the GMV (SKU subtotal before discount minus seller discount) of the order "
    "lines the affiliate orders export attributes to the video or LIVE (same Order ID and "
    "SKU ID), counted by paid time, free samples excluded. An affiliate row whose order is "
    "not imported counts with its Price x Quantity, by its Payment time. Content no "
    "affiliate order names (the shop's own) takes GMV, orders and units from the video / "
    "LIVE exports whose period lies in the window. An order that is also ad-attributed is "
    "counted once here; ad revenue is never added on top. GMV share % = content GMV / the "
    "shop's GMV in the window x 100."
)

# The ranking keys a user may pick (a whitelist: they become sort keys, never SQL text).
SORT_KEYS = ("gmv", "orders", "units", "views", "ctr", "ctor", "gpm")
ACCOUNTS = (OWN, AFFILIATE)
_CENT_RATE = Decimal("0.01")
# When several exports describe one content item, the seller's own list wins.
_STATS_PREFERENCE = ("live_list", "video_list", "api", "affiliate_video_data")


@dataclass(frozen=True)
class ContentRow:
    """One video or LIVE in a window. Money is ``Decimal`` rounded to cents; rates are
    percentages with two decimals; None where the data has no value."""

    content_id: str
    kind: str  # video | live
    title: str | None
    creator: str | None
    account: str  # own | affiliate
    gmv: Decimal
    orders: int
    units: int
    sku_orders: int
    gmv_share_pct: Decimal | None
    commission: Decimal
    views: int | None
    likes: int | None
    impressions: int | None
    clicks: int | None
    ctr: Decimal | None  # clicks / impressions x 100
    ctor: Decimal | None  # SKU orders / clicks x 100
    gpm: Decimal | None  # GMV per 1,000 views
    violations: int
    latest_violation_utc: int | None
    is_key_live: bool
    posted_utc: int | None
    ended_utc: int | None
    gmv_source: str  # "orders" (affiliate-attributed lines) or "export" (content_stats)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


_ATTRIBUTED_CTE = """
WITH attributed AS (
    SELECT a.content_id, a.order_id, a.sku_id, a.commission_cents,
           SUM(l.gmv_cents) AS gmv_cents, SUM(l.quantity) AS units,
           MIN(l.paid_utc) AS paid_utc, a.product_id, a.product_name
    FROM affiliate_line AS a
    JOIN order_line AS l
      ON l.shop_id = a.shop_id AND l.order_id = a.order_id AND l.sku_id = a.sku_id
    WHERE a.shop_id = :shop_id AND a.content_kind IN ('video', 'live')
      AND a.content_id IS NOT NULL {content_filter}
      AND l.paid_utc >= :start AND l.paid_utc < :end AND l.is_sample = 0
    GROUP BY a.content_id, a.order_id, a.sku_id
    UNION ALL
    SELECT a.content_id, a.order_id, a.sku_id, a.commission_cents,
           COALESCE(a.price_cents * a.quantity, a.payment_amount_cents, 0) AS gmv_cents,
           COALESCE(a.quantity, 0) AS units, a.paid_utc, a.product_id, a.product_name
    FROM affiliate_line AS a
    WHERE a.shop_id = :shop_id AND a.content_kind IN ('video', 'live')
      AND a.content_id IS NOT NULL {content_filter}
      AND a.paid_utc >= :start AND a.paid_utc < :end
      AND NOT EXISTS (SELECT 1 FROM order_line AS l
                      WHERE l.shop_id = a.shop_id AND l.order_id = a.order_id
                        AND l.sku_id = a.sku_id)
)
"""

_ATTRIBUTED_SQL = _ATTRIBUTED_CTE.format(content_filter="") + """
SELECT content_id, COALESCE(SUM(gmv_cents), 0) AS gmv_cents,
       COUNT(DISTINCT order_id) AS orders, COALESCE(SUM(units), 0) AS units,
       COUNT(*) AS sku_orders, COALESCE(SUM(commission_cents), 0) AS commission_cents
FROM attributed GROUP BY content_id
"""

_STATS_SQL = """
SELECT s.content_id, s.source, SUM(s.views) AS views, SUM(s.viewers) AS viewers,
       SUM(s.likes) AS likes, SUM(s.product_impressions) AS impressions,
       SUM(s.product_clicks) AS clicks, SUM(s.sku_orders) AS sku_orders,
       SUM(s.orders) AS orders, SUM(s.units) AS units, SUM(s.gmv_cents) AS gmv_cents
FROM content_stats AS s
JOIN content AS c ON c.shop_id = s.shop_id AND c.content_id = s.content_id
WHERE s.shop_id = :shop_id
  AND ((s.period_start <> '' AND s.period_start >= :first_day AND s.period_end <= :last_day)
       OR (s.period_start = '' AND c.posted_utc >= :start AND c.posted_utc < :end))
GROUP BY s.content_id, s.source
"""

_CONTENT_SQL = f"""
SELECT c.content_id, c.kind, c.title, c.creator, c.posted_utc, c.ended_utc,
       COALESCE(c.is_key_live, 0) AS is_key_live, {content_account_sql("c")} AS account,
       EXISTS (SELECT 1 FROM affiliate_line AS a WHERE a.shop_id = c.shop_id
               AND a.content_id = c.content_id) AS has_affiliate_lines,
       (SELECT COUNT(*) FROM content_violation AS v WHERE v.shop_id = c.shop_id
        AND v.content_id = c.content_id) AS violations,
       (SELECT MAX(v.occurred_utc) FROM content_violation AS v WHERE v.shop_id = c.shop_id
        AND v.content_id = c.content_id) AS latest_violation_utc
FROM content AS c
WHERE c.shop_id = :shop_id
"""

_POSTED_SQL = """
SELECT content_id FROM content
WHERE shop_id = :shop_id AND posted_utc >= :start AND posted_utc < :end
"""


def _params(shop_id: int, window: Window) -> dict[str, object]:
    return {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc,
            "first_day": window.first_day.isoformat(), "last_day": window.last_day.isoformat()}


def _rate(numerator: int | None, denominator: int | None, scale: int = 100) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(
        _CENT_RATE, rounding=ROUND_HALF_UP)


def _preferred_stats(rows: list[sqlite3.Row]) -> dict[str, sqlite3.Row]:
    best: dict[str, sqlite3.Row] = {}
    rank = {source: index for index, source in enumerate(_STATS_PREFERENCE)}
    for row in rows:
        kept = best.get(row["content_id"])
        if kept is None or rank.get(row["source"], 99) < rank.get(kept["source"], 99):
            best[row["content_id"]] = row
    return best


def content_rows(conn: sqlite3.Connection, shop_id: int, window: Window) -> list[ContentRow]:
    """Every video and LIVE of ``shop_id`` with sales, export stats or a post time in
    ``window`` (definitions: ``CONTENT_GMV_DEFINITION``, ``CONTENT_ACCOUNT_DEFINITION``),
    sorted by GMV descending, then content ID. An empty list when there is none.
    """
    params = _params(shop_id, window)
    attributed = {row["content_id"]: row for row in conn.execute(_ATTRIBUTED_SQL, params)}
    stats = _preferred_stats(conn.execute(_STATS_SQL, params).fetchall())
    posted = {row[0] for row in conn.execute(_POSTED_SQL, params)}
    wanted = set(attributed) | set(stats) | posted
    if not wanted:
        return []
    shop_gmv_cents = int(core_kpis(conn, shop_id, window).gmv * 100)
    rows = []
    for content in conn.execute(_CONTENT_SQL, params):
        if content["content_id"] in wanted:
            rows.append(_content_row(content, attributed.get(content["content_id"]),
                                     stats.get(content["content_id"]), shop_gmv_cents))
    return sort_content(rows, "gmv")


def _content_row(content: sqlite3.Row, sales: sqlite3.Row | None, stats: sqlite3.Row | None,
                 shop_gmv_cents: int) -> ContentRow:
    from_orders = bool(content["has_affiliate_lines"])
    if from_orders:
        gmv_cents = sales["gmv_cents"] if sales else 0
        orders = sales["orders"] if sales else 0
        units = sales["units"] if sales else 0
        sku_orders = sales["sku_orders"] if sales else 0
    else:
        gmv_cents = (stats["gmv_cents"] or 0) if stats else 0
        orders = (stats["orders"] or stats["sku_orders"] or 0) if stats else 0
        units = (stats["units"] or 0) if stats else 0
        sku_orders = (stats["sku_orders"] or stats["orders"] or 0) if stats else 0
    views = None
    if stats:
        views = stats["views"] if stats["views"] is not None else stats["viewers"]
    clicks = stats["clicks"] if stats else None
    export_sku_orders = sku_orders
    if stats and stats["sku_orders"] is not None:
        export_sku_orders = stats["sku_orders"]
    return ContentRow(
        content_id=content["content_id"], kind=content["kind"], title=content["title"],
        creator=content["creator"], account=content["account"],
        gmv=cents_to_amount(gmv_cents), orders=orders, units=units, sku_orders=sku_orders,
        # Two decimals: a single video is often well under 1% of the shop.
        gmv_share_pct=share_pct(gmv_cents, shop_gmv_cents, places=2),
        commission=cents_to_amount(sales["commission_cents"] if sales else 0),
        views=views, likes=stats["likes"] if stats else None,
        impressions=stats["impressions"] if stats else None, clicks=clicks,
        ctr=_rate(clicks, stats["impressions"] if stats else None),
        ctor=_rate(export_sku_orders if clicks else None, clicks),
        gpm=ratio_amount(gmv_cents * 1000, views) if views else None,
        violations=content["violations"], latest_violation_utc=content["latest_violation_utc"],
        is_key_live=bool(content["is_key_live"]), posted_utc=content["posted_utc"],
        ended_utc=content["ended_utc"], gmv_source="orders" if from_orders else "export")


def sort_content(rows: list[ContentRow], key: str) -> list[ContentRow]:
    """``rows`` ranked by ``key`` (one of ``SORT_KEYS``) descending, missing values last,
    ties by GMV then content ID. Raises ``ValueError`` for another key."""
    if key not in SORT_KEYS:
        raise ValueError(f"Cannot rank content by {key!r}; choose one of {', '.join(SORT_KEYS)}")

    def rank(row: ContentRow):
        value = getattr(row, key)
        return (value is None, -(value or 0), -row.gmv, row.content_id)

    return sorted(rows, key=rank)


def filter_content(rows: list[ContentRow], *, kind: str | None = None,
                   account: str | None = None, search: str = "",
                   with_violations: bool = False, key_live_only: bool = False
                   ) -> list[ContentRow]:
    """The rows of ``kind`` (video / live) and ``account`` (own / affiliate; None: both)
    whose title, creator or ID contains ``search`` (case-insensitive), optionally only
    those with violations or flagged Key Livestream sessions."""
    needle = search.strip().casefold()
    kept = []
    for row in rows:
        if kind and row.kind != kind or account and row.account != account:
            continue
        if with_violations and not row.violations or key_live_only and not row.is_key_live:
            continue
        if needle and not any(needle in (text or "").casefold()
                              for text in (row.title, row.creator, row.content_id)):
            continue
        kept.append(row)
    return kept


def content_report(conn: sqlite3.Connection, shop_id: int, window: Window) -> dict:
    """The report's ``content`` section: ``{"live": [...], "video": [...]}``, each item
    ``{content_id, type, title, creator, account, gmv, orders, units, gmv_share_pct,
    commission, violations}`` sorted by GMV descending; money as numbers rounded to cents."""
    section: dict[str, list[dict]] = {"live": [], "video": []}
    for row in content_rows(conn, shop_id, window):
        if row.kind not in section:
            continue
        section[row.kind].append({
            "content_id": row.content_id, "type": row.kind, "title": row.title,
            "creator": row.creator, "account": row.account, "gmv": float(row.gmv),
            "orders": row.orders, "units": row.units,
            "gmv_share_pct": None if row.gmv_share_pct is None else float(row.gmv_share_pct),
            "commission": float(row.commission), "violations": row.violations})
    return section


# --- violations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ViolationSummary:
    count: int  # violations of LIVEs recorded in the store (all time)
    lives: int  # LIVEs with at least one
    latest_content_id: str | None
    latest_type: str | None
    latest_utc: int | None


def live_violation_summary(conn: sqlite3.Connection, shop_id: int) -> ViolationSummary:
    """How many LIVE violations the store holds, and the latest one (by its time)."""
    row = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT v.content_id) FROM content_violation AS v "
        "JOIN content AS c ON c.shop_id = v.shop_id AND c.content_id = v.content_id "
        "WHERE v.shop_id = :shop_id AND c.kind = 'live'", {"shop_id": shop_id}).fetchone()
    latest = conn.execute(
        "SELECT v.content_id, v.violation_type, v.occurred_utc FROM content_violation AS v "
        "JOIN content AS c ON c.shop_id = v.shop_id AND c.content_id = v.content_id "
        "WHERE v.shop_id = :shop_id AND c.kind = 'live' "
        "ORDER BY v.occurred_utc IS NULL, v.occurred_utc DESC, v.violation_id DESC LIMIT 1",
        {"shop_id": shop_id}).fetchone()
    return ViolationSummary(row[0], row[1], *(tuple(latest) if latest else (None, None, None)))


# --- detail ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HourPoint:
    hour_start_utc: int
    label: str  # local "Nov 26 14:00"
    gmv: Decimal
    orders: int


@dataclass(frozen=True)
class ProductSold:
    product_id: str | None
    product_name: str | None
    gmv: Decimal
    orders: int
    units: int


@dataclass(frozen=True)
class ContentDetail:
    row: ContentRow
    hourly: list[HourPoint]
    products: list[ProductSold]
    live_hours: float | None  # LIVE duration in hours, when start and end are known
    gmv_per_live_hour: Decimal | None
    # "attributed": hourly and products come from the item's attributed lines;
    # "during_live": an own LIVE no order names: the shop's own (non-affiliate) sales paid
    # while it ran, which the LIVE may or may not have caused.
    basis: str = "attributed"
    # GMV Max revenue and cost of ads that promoted this video in the window: the same
    # orders may be counted there too, so it overlaps the content GMV and is never added.
    ad_revenue: Decimal | None = None
    ad_cost: Decimal | None = None


# The shop's own lines (no affiliate row) paid while an own LIVE ran, inside the window.
_DURING_LIVE_CTE = """
WITH attributed AS (
    SELECT l.order_id, l.sku_id, l.gmv_cents, l.quantity AS units, l.paid_utc,
           l.product_id, l.product_name
    FROM order_line AS l
    WHERE l.shop_id = :shop_id AND l.is_sample = 0
      AND l.paid_utc >= MAX(:start, :live_start) AND l.paid_utc < MIN(:end, :live_end)
      AND NOT EXISTS (SELECT 1 FROM affiliate_line AS a WHERE a.shop_id = l.shop_id
                      AND a.order_id = l.order_id AND a.sku_id = l.sku_id)
)
"""


def content_detail(conn: sqlite3.Connection, shop_id: int, window: Window,
                   content_id: str) -> ContentDetail | None:
    """One item's row plus its hourly GMV and orders (shop-time hours, from its attributed
    lines), the products sold through it, and for a LIVE its duration and GMV per LIVE hour.
    An own LIVE that no affiliate order names shows instead the shop's own sales paid while
    it ran (``basis`` "during_live"). None when the item has nothing in ``window``."""
    row = next((r for r in content_rows(conn, shop_id, window) if r.content_id == content_id),
               None)
    if row is None:
        return None
    params = {**_params(shop_id, window), "content_id": content_id,
              "live_start": row.posted_utc, "live_end": row.ended_utc}
    cte = _ATTRIBUTED_CTE.format(content_filter="AND a.content_id = :content_id")
    basis = "attributed"
    if row.gmv_source == "export" and row.kind == LIVE and row.posted_utc and row.ended_utc:
        cte, basis = _DURING_LIVE_CTE, "during_live"
    zone = ZoneInfo(window.timezone)
    hourly = []
    for hour, gmv_cents, orders in conn.execute(
            cte + "SELECT (paid_utc / 3600) * 3600 AS hour, SUM(gmv_cents), "
                  "COUNT(DISTINCT order_id) FROM attributed GROUP BY hour ORDER BY hour",
            params):
        label = datetime.fromtimestamp(hour, zone).strftime("%b %d %H:%M").replace(" 0", " ")
        hourly.append(HourPoint(hour, label, cents_to_amount(gmv_cents), orders))
    products = [ProductSold(product_id, name, cents_to_amount(gmv_cents), orders, units)
                for product_id, name, gmv_cents, orders, units in conn.execute(
                    cte + "SELECT product_id, MAX(product_name), SUM(gmv_cents), "
                          "COUNT(DISTINCT order_id), SUM(units) FROM attributed "
                          "GROUP BY product_id ORDER BY SUM(gmv_cents) DESC", params)]
    live_hours = gmv_per_hour = None
    if row.kind == LIVE and row.posted_utc and row.ended_utc and row.ended_utc > row.posted_utc:
        live_hours = round((row.ended_utc - row.posted_utc) / 3600, 2)
        gmv_per_hour = (row.gmv / Decimal(str(live_hours))).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
    ad_revenue, ad_cost = _ad_overlap(conn, params)
    return ContentDetail(row, hourly, products, live_hours, gmv_per_hour, basis, ad_revenue,
                         ad_cost)


def _ad_overlap(conn: sqlite3.Connection,
                params: dict[str, object]) -> tuple[Decimal | None, Decimal | None]:
    """GMV Max creative revenue and cost for the content (as a video ID) over the report
    periods inside the window; (None, None) when no ad promoted it."""
    try:
        revenue, cost = conn.execute(
            "SELECT SUM(gross_revenue_cents), SUM(cost_cents) FROM ad_creative_period "
            "WHERE shop_id = :shop_id AND video_id = :content_id "
            "AND period_start >= :first_day AND period_end <= :last_day", params).fetchone()
    except sqlite3.OperationalError:  # a store without the marketing tables
        return None, None
    return cents_to_amount(revenue), cents_to_amount(cost)

