"""GMV by content type (LIVE / Video / Product card) and by account (own vs affiliate).

With today's data the only sources are two columns of the orders export: ``Creator Handle``
and ``Order Channel``. The rule is ``CONTENT_MIX_DEFINITION``; what the data cannot say is
reported as "Unattributed", never guessed, and ``unattributed_share_pct`` tells the page how
much of the GMV that is.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from campaign_core.metrics.money import cents_to_amount
from campaign_core.rollups.order_kinds import CHANNEL_SQL, HAS_CREATOR_SQL
from campaign_core.rollups.windows import edge_parts, rollup_span
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
    "GMV (as defined for the core KPIs) of the paid, non-sample orders of the view, split by "
    "content type and account using the orders export. Account: an order with a Creator "
    "Handle is Affiliate; one without a handle but with an Order Channel is Own; one with "
    "neither is Unattributed (the 2024 export layout has neither column, so the two cannot "
    "be told apart). A sale through the shop's own linked creator account that carries a "
    "handle counts as Affiliate. Content type comes from the Order Channel: a channel "
    "naming LIVE or livestream is LIVE, one naming video is Video, one naming product card, "
    "shop tab or showcase is Product card; any other channel (e.g. 'TikTok') or none is "
    "Unattributed, because the orders export does not say which content sold. The "
    "affiliate orders export (imported in a later version) will attribute affiliate content "
    "exactly, by its Content Type and Content ID."
)


@dataclass(frozen=True)
class ContentSlice:
    content_type: str  # one of CONTENT_TYPES
    account: str  # one of ACCOUNTS
    gmv: Decimal  # exact to the cent
    orders: int


# Whole hours from rollup_hour_order_kind, the partial hours at the window's edges from the
# lines and their orders.
_MIX_SQL = """
SELECT has_creator, channel, orders, gmv_cents FROM rollup_hour_order_kind
WHERE shop_id = :shop_id AND hour_utc >= :first AND hour_utc < :last
UNION ALL
""" + edge_parts(f"""
SELECT {HAS_CREATOR_SQL}, {CHANNEL_SQL}, COUNT(DISTINCT l.order_id),
       COALESCE(SUM(l.gmv_cents), 0)
FROM order_line AS l
JOIN orders AS o ON o.shop_id = l.shop_id AND o.order_id = l.order_id
WHERE l.shop_id = :shop_id AND {{edge}} AND l.is_sample = 0
GROUP BY 1, 2""")


def content_type_of_channel(channel: str | None) -> str:
    """The content type an ``Order Channel`` value names (see ``CONTENT_MIX_DEFINITION``);
    ``UNATTRIBUTED`` when it names none."""
    text = (channel or "").casefold()
    for pattern, content_type in _CHANNEL_RULES:
        if pattern.search(text):
            return content_type
    return UNATTRIBUTED


def account_of(has_creator: bool, channel: str | None) -> str:
    """Own / Affiliate / Unattributed from an order's creator handle and channel."""
    if has_creator:
        return AFFILIATE
    return OWN if (channel or "").strip() else UNATTRIBUTED


def gmv_by_content(conn: sqlite3.Connection, shop_id: int, window: Window) -> list[ContentSlice]:
    """GMV and orders of ``shop_id`` over ``window`` per (content type, account).

    Orders and GMV are the core KPIs' (paid, non-sample orders by paid time), and every
    order falls in exactly one slice, so the slices add up to the core GMV and orders.
    Returns only slices with orders, ordered by ``CONTENT_TYPES`` then ``ACCOUNTS``; an
    empty list when the window has no orders.
    """
    params = {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc}
    params["first"], params["last"] = rollup_span(conn, shop_id, window.start_utc,
                                                  window.end_utc)
    totals: dict[tuple[str, str], list[int]] = {}
    for has_creator, channel, orders, gmv_cents in conn.execute(_MIX_SQL, params):
        # Several raw channels can name the same content type: add their orders and GMV.
        key = (content_type_of_channel(channel), account_of(bool(has_creator), channel))
        total = totals.setdefault(key, [0, 0])
        total[0] += orders
        total[1] += gmv_cents
    return [ContentSlice(content_type, account, cents_to_amount(gmv_cents), orders)
            for (content_type, account), (orders, gmv_cents)
            in sorted(totals.items(), key=lambda item: _slice_rank(*item[0]))]


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
