"""Traffic by channel for a window: impressions, impression share, clicks, CTR, SKU orders,
CTOR per channel.

Source, in this order of precedence:
1. the traffic-by-channel template (``traffic_channel``), when it has rows for the
   window: day rows whose day is one of the window's days, and hour rows starting inside
   the window for a (day, channel) without a day row. The channels are the template's
   named channels; an ``All``/``Total`` row is left out of the list (it is the funnel's);
2. otherwise the product analytics export (``product_traffic``), periods inside the window
   only (as on the Products page): the shop tab's impressions and clicks, and "Other
   channels" = all products' impressions and clicks minus the shop tab's.
Impression share of a channel = channel impressions / all impressions x 100, where all
impressions = the sum over the listed channels. CTR = clicks / impressions x 100;
CTOR = SKU orders / clicks x 100. Percentages are rounded to 4 decimals; none where the
divisor is 0 or a count is missing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from campaign_core.windows import Window

TRAFFIC_DEFINITION = __doc__.split("\n", 2)[2].strip()
SOURCE_TEMPLATE = "traffic template"
SOURCE_PRODUCT_ANALYTICS = "product analytics"

CHANNEL_LABELS = {"all": "All channels", "live": "LIVE", "video": "Video",
                  "product_card": "Product card", "shop_tab": "Shop tab",
                  "affiliate": "Affiliate", "search": "Search", "ads": "Ads",
                  "other": "Other channels"}

# Day-level values per (day, channel): a day row, else the sum of that day's hour rows
# inside the window. Shared with the funnel.
TEMPLATE_DAYS_SQL = """
WITH rows AS (
    SELECT * FROM traffic_channel
    WHERE shop_id = :shop_id AND day BETWEEN :first_day AND :last_day
)
SELECT day, channel, channel_name, impressions, clicks, unique_reach, unique_clicks,
       sku_orders
FROM rows WHERE hour IS NULL
UNION ALL
SELECT h.day, h.channel, MAX(h.channel_name), SUM(h.impressions), SUM(h.clicks),
       SUM(h.unique_reach), SUM(h.unique_clicks), SUM(h.sku_orders)
FROM rows h
WHERE h.hour IS NOT NULL AND h.start_utc >= :start AND h.start_utc < :end
  AND NOT EXISTS (SELECT 1 FROM rows d WHERE d.hour IS NULL AND d.day = h.day
                  AND d.channel = h.channel)
GROUP BY h.day, h.channel
"""

_TEMPLATE_SQL = f"""
SELECT channel, MAX(channel_name) AS channel_name, SUM(impressions) AS impressions,
       SUM(clicks) AS clicks, SUM(sku_orders) AS sku_orders, COUNT(*) AS days
FROM ({TEMPLATE_DAYS_SQL}) GROUP BY channel ORDER BY channel
"""

_TEMPLATE_BY_DAY_SQL = f"""
SELECT day, channel, impressions FROM ({TEMPLATE_DAYS_SQL})
WHERE channel != 'all' ORDER BY day, channel
"""

_PRODUCT_SQL = """
SELECT channel, SUM(impressions) AS impressions, SUM(clicks) AS clicks,
       SUM(sku_orders) AS sku_orders
FROM product_traffic
WHERE shop_id = :shop_id AND channel IN ('all', 'shop_tab')
  AND period_start >= :first_day AND period_end <= :last_day
GROUP BY channel
"""

_PRODUCT_BY_DAY_SQL = """
SELECT period_start AS day, channel, SUM(impressions) AS impressions
FROM product_traffic
WHERE shop_id = :shop_id AND channel IN ('all', 'shop_tab')
  AND period_start = period_end AND period_start >= :first_day AND period_end <= :last_day
GROUP BY period_start, channel ORDER BY period_start
"""


@dataclass(frozen=True)
class ChannelTraffic:
    channel: str  # normalised key: live, video, product_card, shop_tab, other...
    impressions: int | None
    impression_share_pct: float | None
    clicks: int | None
    ctr: float | None  # %
    sku_orders: int | None
    ctor: float | None  # %
    name: str | None = None  # as the traffic template writes it

    @property
    def label(self) -> str:
        return self.name or channel_label(self.channel)


@dataclass(frozen=True)
class TrafficResult:
    source: str | None  # None: no traffic data for the window
    channels: tuple[ChannelTraffic, ...]
    # (day, channel label, share %) for the trend of shares over the window
    daily_shares: tuple[tuple[str, str, float], ...]


def channel_label(channel: str) -> str:
    """A channel key's label (``product_card`` -> ``Product card``)."""
    return CHANNEL_LABELS.get(channel, channel.replace("_", " ").capitalize())


def pct(part: int | None, whole: int | None) -> float | None:
    """``part / whole x 100`` rounded to 4 decimals; None when missing or dividing by 0."""
    if part is None or not whole:
        return None
    return round(part / whole * 100, 4)


def window_params(shop_id: int, window: Window) -> dict:
    return {"shop_id": shop_id, "first_day": window.first_day.isoformat(),
            "last_day": window.last_day.isoformat(), "start": window.start_utc,
            "end": window.end_utc}


def traffic_by_channel(conn: sqlite3.Connection, shop_id: int, window: Window) -> TrafficResult:
    """Per channel traffic of ``window`` by the rules in the module docstring."""
    params = window_params(shop_id, window)
    rows = conn.execute(_TEMPLATE_SQL, params).fetchall()
    if rows:
        named = [r for r in rows if r["channel"] != "all"] or rows
        values = [(r["channel"], r["impressions"], r["clicks"], r["sku_orders"],
                   r["channel_name"]) for r in named]
        names = {r["channel"]: r["channel_name"] or channel_label(r["channel"]) for r in rows}
        daily = _daily_shares((day, names.get(key, key), impressions) for day, key, impressions
                              in conn.execute(_TEMPLATE_BY_DAY_SQL, params))
        return TrafficResult(SOURCE_TEMPLATE, _channels(values), daily)
    by_channel = {r["channel"]: r for r in conn.execute(_PRODUCT_SQL, params)}
    total = by_channel.get("all")
    if total is None or total["impressions"] is None:
        return TrafficResult(None, (), ())
    values = []
    shop_tab = by_channel.get("shop_tab")
    if shop_tab is not None and shop_tab["impressions"] is not None:
        values.append(("shop_tab", shop_tab["impressions"], shop_tab["clicks"], None))
        values.append(("other", total["impressions"] - shop_tab["impressions"],
                       _minus(total["clicks"], shop_tab["clicks"]), None))
    else:
        values.append(("all", total["impressions"], total["clicks"], total["sku_orders"]))
    daily_rows = conn.execute(_PRODUCT_BY_DAY_SQL, params).fetchall()
    return TrafficResult(SOURCE_PRODUCT_ANALYTICS, _channels(values),
                         _daily_shares((day, channel_label(key), impressions)
                                       for day, key, impressions in _product_daily(daily_rows)))


def _minus(whole: int | None, part: int | None) -> int | None:
    return None if whole is None or part is None else whole - part


def _channels(values: list[tuple]) -> tuple[ChannelTraffic, ...]:
    """(key, impressions, clicks, SKU orders[, name as written]) -> channels, largest first."""
    total = sum(v[1] or 0 for v in values)
    channels = [ChannelTraffic(channel, impressions, pct(impressions, total), clicks,
                               pct(clicks, impressions), sku_orders, pct(sku_orders, clicks),
                               name or channel_label(channel))
                for channel, impressions, clicks, sku_orders, *rest in values
                for name in [rest[0] if rest else None]]
    return tuple(sorted(channels, key=lambda c: (-(c.impressions or 0), c.channel)))


def _product_daily(rows: list[sqlite3.Row]) -> list[tuple[str, str, int | None]]:
    """Per day: shop tab and other channels (all - shop tab), like ``traffic_by_channel``."""
    by_day: dict[str, dict[str, int | None]] = {}
    for row in rows:
        by_day.setdefault(row["day"], {})[row["channel"]] = row["impressions"]
    result = []
    for day, channels in sorted(by_day.items()):
        if channels.get("shop_tab") is not None and channels.get("all") is not None:
            result += [(day, "shop_tab", channels["shop_tab"]),
                       (day, "other", channels["all"] - channels["shop_tab"])]
        else:
            result.append((day, "all", channels.get("all")))
    return result


def _daily_shares(rows) -> tuple[tuple[str, str, float], ...]:
    by_day: dict[str, list[tuple[str, int]]] = {}
    for day, channel, impressions in rows:
        by_day.setdefault(day, []).append((channel, impressions or 0))
    shares = []
    for day, channels in sorted(by_day.items()):
        total = sum(value for _, value in channels)
        shares += [(day, channel, pct(value, total)) for channel, value in channels if total]
    return tuple(shares)


def traffic_report(result: TrafficResult) -> list[dict]:
    """The command line's ``traffic`` list: per channel ``channel`` (as the traffic template
    writes it, e.g. ``LIVE``; ``Shop tab`` / ``Other channels`` from product analytics),
    ``channel_key`` (normalised: ``live``), ``impressions, impression_share_pct, clicks,
    ctr, sku_orders, ctor``; ``ctr`` and ``ctor`` are percentages (like ``ctr`` of the
    products section), all rounded to 4 decimals."""
    return [{"channel": c.label, "channel_key": c.channel, "impressions": c.impressions,
             "impression_share_pct": c.impression_share_pct, "clicks": c.clicks,
             "ctr": c.ctr, "sku_orders": c.sku_orders, "ctor": c.ctor}
            for c in result.channels]
