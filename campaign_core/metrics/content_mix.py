"""GMV by content type (LIVE / Video / Product card) and by account (own vs affiliate).

Every paid, non-sample order line of the window is placed once, by the first source that
knows it (``CONTENT_MIX_DEFINITION``): the affiliate orders export, the orders export's
Order Channel, an own LIVE running when it was paid; then the GMV the video / LIVE exports
report for content no affiliate order names is moved out of what is still unknown. What no
source can say is reported as "Unattributed", never guessed, and ``unattributed_share_pct``
tells the page how much of the GMV that is.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from campaign_core.metrics.content import AFFILIATE as CONTENT_AFFILIATE
from campaign_core.metrics.content import content_account_sql, content_rows
from campaign_core.metrics.money import cents_to_amount
from campaign_core.rollups.attribution import HANDLE_SQL
from campaign_core.rollups.windows import HOUR, hour_of, rollup_span
from campaign_core.windows import Window

LIVE, VIDEO, PRODUCT_CARD, UNATTRIBUTED = "LIVE", "Video", "Product card", "Unattributed"
OWN, AFFILIATE = "Own", "Affiliate"
CONTENT_TYPES = (LIVE, VIDEO, PRODUCT_CARD, UNATTRIBUTED)  # chart order
ACCOUNTS = (OWN, AFFILIATE, UNATTRIBUTED)

# Order Channel words -> content type, tried in this order on the case-folded value.
_CHANNEL_RULES = (
    (re.compile(r"\blive(stream)?s?\b"), LIVE),
    (re.compile(r"\bvideos?\b"), VIDEO),
    (re.compile(r"product card|shop tab|showcase"), PRODUCT_CARD),
)

CONTENT_MIX_DEFINITION = (
    "GMV (as defined for the core KPIs) of the paid, non-sample order lines of the view, "
    "each placed once by the first source that knows it. 1. The affiliate orders export: a "
    "line it names (same Order ID and SKU ID) is Video, LIVE or Product card by its Content "
    "Type, and Affiliate (Own when the creator is one of the shop's linked accounts). "
    "2. The orders export's Order Channel, when it names LIVE / livestream, video, or "
    "product card / shop tab / showcase. 3. An own LIVE (a linked account's, or one from the "
    "seller's LIVE list) whose export reports no GMV: the shop's own lines paid while it "
    "ran are LIVE. 4. The video / LIVE exports: the GMV they report for content no "
    "affiliate order names (as on the Content page) is moved from the still-unknown GMV of "
    "its account to its type, at most what is unknown. Account of a line the affiliate "
    "export does not name: Affiliate when its order has a Creator Handle; otherwise Own "
    "once an affiliate orders export is imported (or when the order has an Order Channel); "
    "else Unattributed. What is left is shown as content not known: the exports do not say "
    "which video or LIVE sold it. Orders: an order whose lines went through different "
    "content counts in each, so the slices' orders can add up to more than the shop's."
)


@dataclass(frozen=True)
class ContentSlice:
    content_type: str  # one of CONTENT_TYPES
    account: str  # one of ACCOUNTS
    gmv: Decimal  # exact to the cent
    orders: int


_LINKED_SQL = ("EXISTS (SELECT 1 FROM linked_account AS la WHERE la.shop_id = :shop_id "
               "AND la.handle = " + HANDLE_SQL.format(creator="aff_creator") + ")")
# The account of a line (or of a rollup row: ``{linked}`` says whether its creator is linked).
_ACCOUNT_SQL = f"""CASE WHEN aff_kind IS NOT NULL THEN
                     CASE WHEN {{linked}} THEN '{OWN}' ELSE '{AFFILIATE}' END
                WHEN has_handle THEN '{AFFILIATE}'
                WHEN :has_affiliate_export OR channel <> '' THEN '{OWN}'
                ELSE '{UNATTRIBUTED}' END"""
_SOURCE_SQL = ("CASE WHEN aff_kind IS NOT NULL THEN 'affiliate:' || aff_kind "
               "ELSE 'channel:' || channel END")
_OWN_LIVES = f"""
    SELECT c.posted_utc AS live_start, c.ended_utc AS live_end FROM content AS c
    WHERE c.shop_id = :shop_id AND c.kind = 'live' AND c.posted_utc < :end
      AND c.ended_utc > :start AND {content_account_sql("c")} = 'own'
      AND NOT EXISTS (SELECT 1 FROM content_stats AS s WHERE s.shop_id = c.shop_id
                      AND s.content_id = c.content_id AND COALESCE(s.gmv_cents, 0) > 0)
"""

# One row per (where the line's content comes from, account): the few distinct channels
# are mapped to content types in Python. The lines of the ranges in ``:ranges`` (the
# window's partial hours at its edges, and the whole hours the rollup cannot answer).
_MIX_SQL = f"""
WITH lines AS (
    SELECT l.order_id, l.gmv_cents, l.paid_utc, a.content_kind AS aff_kind,
           a.creator AS aff_creator, COALESCE(TRIM(o.order_channel), '') AS channel,
           COALESCE(TRIM(o.creator_handle), '') <> '' AS has_handle
    FROM json_each(:ranges) AS r
    JOIN order_line AS l ON l.shop_id = :shop_id
     AND l.paid_utc >= json_extract(r.value, '$[0]') AND l.paid_utc < json_extract(r.value, '$[1]')
    JOIN orders AS o ON o.shop_id = l.shop_id AND o.order_id = l.order_id
    LEFT JOIN affiliate_line AS a
      ON a.shop_id = l.shop_id AND a.order_id = l.order_id AND a.sku_id = l.sku_id
    WHERE l.is_sample = 0
),
own_lives AS MATERIALIZED ({_OWN_LIVES}),
placed AS (
    SELECT order_id, gmv_cents, paid_utc, aff_kind, channel,
           {_ACCOUNT_SQL.format(linked=_LINKED_SQL)} AS account
    FROM lines
)
SELECT {_SOURCE_SQL} AS source,
       account,
       account = '{OWN}' AND aff_kind IS NULL AND EXISTS (
           SELECT 1 FROM own_lives WHERE paid_utc >= live_start AND paid_utc < live_end
       ) AS in_own_live,
       COUNT(DISTINCT order_id), COALESCE(SUM(gmv_cents), 0)
FROM placed
GROUP BY 1, 2, 3
"""
# The same from the whole hours of rollup_hour_attribution outside ``:skipped`` (hours of
# own LIVEs, and hours with an order the rollup counts once per creator); its rows are
# never in an own LIVE.
_ROLLUP_MIX_SQL = f"""
SELECT source, account, 0 AS in_own_live, SUM(orders), SUM(gmv_cents) FROM (
    SELECT {_SOURCE_SQL} AS source,
           {_ACCOUNT_SQL.format(linked=_LINKED_SQL.replace(HANDLE_SQL.format(
               creator="aff_creator"), "r.aff_handle"))} AS account,
           orders, gmv_cents
    FROM rollup_hour_attribution AS r
    WHERE r.shop_id = :shop_id AND r.hour_utc >= :first AND r.hour_utc < :last
      AND r.hour_utc NOT IN (SELECT value FROM json_each(:skipped))
)
GROUP BY 1, 2
"""
_MIXED_HOURS_SQL = """
SELECT DISTINCT hour_utc FROM rollup_hour_attribution
WHERE shop_id = :shop_id AND hour_utc >= :first AND hour_utc < :last AND mixed = 1
"""
_AFFILIATE_KINDS = {"affiliate:video": VIDEO, "affiliate:live": LIVE}


def content_type_of_channel(channel: str | None) -> str:
    """The content type an ``Order Channel`` value names (see ``CONTENT_MIX_DEFINITION``);
    ``UNATTRIBUTED`` when it names none."""
    text = (channel or "").casefold()
    for pattern, content_type in _CHANNEL_RULES:
        if pattern.search(text):
            return content_type
    return UNATTRIBUTED


def account_of(has_creator: bool, channel: str | None) -> str:
    """Own / Affiliate / Unattributed from an order's creator handle and channel, for a
    shop without an affiliate orders export."""
    if has_creator:
        return AFFILIATE
    return OWN if (channel or "").strip() else UNATTRIBUTED


def gmv_by_content(conn: sqlite3.Connection, shop_id: int, window: Window) -> list[ContentSlice]:
    """GMV and orders of ``shop_id`` over ``window`` per (content type, account), by the
    rules of ``CONTENT_MIX_DEFINITION``.

    GMV is the core KPIs' (paid, non-sample lines by paid time) and every line falls in
    exactly one slice, so the slices' GMV adds up to the core GMV to the cent. Returns only
    slices with GMV or orders, ordered by ``CONTENT_TYPES`` then ``ACCOUNTS``; an empty list
    when the window has no orders.
    """
    params = {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc,
              "has_affiliate_export": _has_affiliate_export(conn, shop_id)}
    params["first"], params["last"] = rollup_span(conn, shop_id, window.start_utc,
                                                  window.end_utc)
    skipped = _hours_from_lines(conn, params)
    params["skipped"] = json.dumps(skipped)
    params["ranges"] = json.dumps(
        [(window.start_utc, params["first"]), (params["last"], window.end_utc)]
        + [(hour, hour + HOUR) for hour in skipped])
    totals: dict[tuple[str, str], list[int]] = {}
    rows = [*conn.execute(_ROLLUP_MIX_SQL, params), *conn.execute(_MIX_SQL, params)]
    for source, account, in_own_live, orders, gmv_cents in rows:
        content_type = _content_type(source, bool(in_own_live))
        total = totals.setdefault((content_type, account), [0, 0])
        total[0] += orders
        total[1] += gmv_cents
    if any(content_type == UNATTRIBUTED for content_type, _ in totals):
        _move_export_gmv(conn, shop_id, window, totals)
    return [ContentSlice(content_type, account, cents_to_amount(gmv_cents), orders)
            for (content_type, account), (orders, gmv_cents)
            in sorted(totals.items(), key=lambda item: _slice_rank(*item[0]))
            if orders or gmv_cents]


def _hours_from_lines(conn: sqlite3.Connection, params: dict) -> list[int]:
    """The whole hours of ``[:first, :last)`` the rollup cannot answer: those an own LIVE
    overlaps (its lines' placement depends on their paid time) and those with an order whose
    lines of one content kind name different creators."""
    hours = {row[0] for row in conn.execute(_MIXED_HOURS_SQL, params)}
    for live_start, live_end in conn.execute(_OWN_LIVES, params):
        hour = max(hour_of(live_start), params["first"])
        while hour < min(live_end, params["last"]):
            hours.add(hour)
            hour += HOUR
    return sorted(hours)


def _content_type(source: str, in_own_live: bool) -> str:
    if source.startswith("affiliate:"):
        return _AFFILIATE_KINDS.get(source, PRODUCT_CARD)
    named = content_type_of_channel(source.removeprefix("channel:"))
    if named == UNATTRIBUTED and in_own_live:
        return LIVE
    return named


def _has_affiliate_export(conn: sqlite3.Connection, shop_id: int) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM affiliate_line WHERE shop_id = :shop_id)",
                        {"shop_id": shop_id}).fetchone()[0] == 1


def _move_export_gmv(conn: sqlite3.Connection, shop_id: int, window: Window,
                     totals: dict[tuple[str, str], list[int]]) -> None:
    """Move the GMV (and orders) the video / LIVE exports report for content no affiliate
    order names from its account's unknown slice to its content type, at most what the
    unknown slice holds (an export cannot claim more than the unexplained sales)."""
    reported: dict[tuple[str, str], list[int]] = {}
    for row in content_rows(conn, shop_id, window):
        if row.gmv_source != "export" or row.gmv <= 0:
            continue
        key = (LIVE if row.kind == "live" else VIDEO,
               AFFILIATE if row.account == CONTENT_AFFILIATE else OWN)
        part = reported.setdefault(key, [0, 0])
        part[0] += row.orders
        part[1] += int(row.gmv * 100)
    for (content_type, account), (orders, gmv_cents) in sorted(reported.items()):
        unknown = totals.get((UNATTRIBUTED, account))
        if not unknown:
            continue
        moved_gmv = min(gmv_cents, unknown[1])
        moved_orders = min(orders, unknown[0])
        unknown[1] -= moved_gmv
        # GMV still unknown belongs to at least one order.
        unknown[0] = max(unknown[0] - moved_orders, 1 if unknown[1] else 0)
        target = totals.setdefault((content_type, account), [0, 0])
        target[0] += moved_orders
        target[1] += moved_gmv


def _slice_rank(content_type: str, account: str) -> tuple[int, int]:
    return CONTENT_TYPES.index(content_type), ACCOUNTS.index(account)


def unattributed_share_pct(slices: list[ContentSlice], *,
                           axis: str = "content_type") -> Decimal | None:
    """The share of GMV, in percent (one decimal, half up), whose ``axis``
    ("content_type" or "account") is Unattributed; None when the slices hold no GMV.

    Raises ``ValueError`` for another axis.
    """
    if axis not in ("content_type", "account"):
        raise ValueError(f"axis must be 'content_type' or 'account', not {axis!r}")
    total = sum((s.gmv for s in slices), Decimal(0))
    if total == 0:
        return None
    unattributed = sum((s.gmv for s in slices if getattr(s, axis) == UNATTRIBUTED), Decimal(0))
    return (unattributed * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
