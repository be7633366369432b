"""The daily digest: yesterday's numbers against the daily target and the baseline day,
the top products and content, stock alerts and late creators, as text and as HTML.

Yesterday is the last complete shop-time day; the digest says so and leaves the
incomplete current day out. The daily target is the campaign's GMV target spread evenly
over its days; the baseline is the day before yesterday (the Daily view's default).
Sent once a day at the shop's chosen time (``digest_setting``) to the alert channels.
"""

from __future__ import annotations

import html
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from campaign_core.alerts.checks import late_creators
from campaign_core.forecast.stock_cover import (
    OUT_OF_STOCK,
    SELLS_OUT_SOON,
    product_cover,
    sku_cover,
)
from campaign_core.formatting import money, plural, signed_percent
from campaign_core.markets import number_style
from campaign_core.metrics.baseline import Baseline, baseline_comparison, default_baseline_day
from campaign_core.metrics.core import CoreKpis, core_kpis
from campaign_core.store.campaigns import Campaign
from campaign_core.windows import Window, daily_window, yesterday

TOP_N = 5
EXCLUDES_TODAY = "Figures are for yesterday, a complete day; today is still running and is " \
                 "not included."


@dataclass(frozen=True)
class Digest:
    shop_name: str
    campaign_name: str
    currency: str
    day: date
    window: Window
    kpis: CoreKpis
    target_per_day: Decimal | None
    baseline: Baseline
    top_products: list[tuple[str, Decimal, int]] = field(default_factory=list)
    top_content: list[tuple[str, str, str, Decimal]] = field(default_factory=list)
    stock: list[tuple[str, str, float | None]] = field(default_factory=list)
    late_creators: list[tuple[str, date, int]] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return f"{self.campaign_name}: daily digest for {self.day:%a %b %d}"


def build_digest(conn: sqlite3.Connection, campaign: Campaign, now: datetime) -> Digest:
    """The digest of ``campaign`` for the day before ``now`` (shop time).

    Raises ``sqlite3.Error`` on a store without the order tables."""
    day = yesterday(now, campaign.timezone)
    window = daily_window(day, campaign.timezone, now)
    kpis = core_kpis(conn, campaign.shop_id, window)
    target = (Decimal(campaign.gmv_target_cents) / 100 / campaign.length_days
              if campaign.gmv_target_cents else None)
    baseline = baseline_comparison(conn, campaign.shop_id, window,
                                   default_baseline_day(day), now)
    return Digest(
        campaign.shop_name, campaign.name, campaign.currency, day, window, kpis,
        target.quantize(Decimal("0.01")) if target is not None else None, baseline,
        _top_products(conn, campaign.shop_id, window), _top_content(conn, campaign.shop_id,
                                                                    window),
        _stock(conn, campaign, now),
        late_creators(conn, campaign.shop_id, campaign.name,
                      now.astimezone(ZoneInfo(campaign.timezone)).date(),
                      timezone=campaign.timezone))


def _top_products(conn: sqlite3.Connection, shop_id: int,
                  window: Window) -> list[tuple[str, Decimal, int]]:
    rows = conn.execute(
        "SELECT COALESCE(MAX(p.name), MAX(l.product_name), l.product_id) AS name, "
        "SUM(l.gmv_cents) AS gmv, SUM(l.quantity) AS units FROM order_line l "
        "LEFT JOIN product p ON p.shop_id = l.shop_id AND p.product_id = l.product_id "
        "WHERE l.shop_id = :shop_id AND l.paid_utc >= :start AND l.paid_utc < :end "
        "AND l.is_sample = 0 GROUP BY l.product_id ORDER BY gmv DESC LIMIT :n",
        {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc, "n": TOP_N})
    return [(row[0] or "?", Decimal(row[1]) / 100, row[2]) for row in rows]


def _top_content(conn: sqlite3.Connection, shop_id: int,
                 window: Window) -> list[tuple[str, str, str, Decimal]]:
    """(kind, content ID, creator, content GMV) of attributed lines paid in the window."""
    try:
        rows = conn.execute(
            "SELECT a.content_kind, COALESCE(a.content_id, ''), MAX(a.creator), "
            "SUM(l.gmv_cents) AS gmv FROM affiliate_line a JOIN order_line l "
            "ON l.shop_id = a.shop_id AND l.order_id = a.order_id AND l.sku_id = a.sku_id "
            "WHERE a.shop_id = :shop_id AND l.paid_utc >= :start AND l.paid_utc < :end "
            "AND l.is_sample = 0 GROUP BY a.content_kind, a.content_id "
            "ORDER BY gmv DESC LIMIT :n",
            {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc,
             "n": TOP_N}).fetchall()
    except sqlite3.OperationalError:
        return []
    return [(row[0] or "card", row[1], row[2] or "", Decimal(row[3]) / 100) for row in rows]


def _stock(conn: sqlite3.Connection, campaign: Campaign,
           now: datetime) -> list[tuple[str, str, float | None]]:
    covers = product_cover(sku_cover(conn, campaign.shop_id, campaign, now))
    names = dict(conn.execute("SELECT product_id, name FROM product WHERE shop_id = :shop_id",
                              {"shop_id": campaign.shop_id}).fetchall())
    return [(names.get(p.product_id) or p.product_id or p.sku_ids[0], p.status,
             p.days_of_cover) for p in covers if p.status in (OUT_OF_STOCK, SELLS_OUT_SOON)]


def _money(value: Decimal | None, currency: str) -> str:
    return money(value, currency)


def _vs(value: Decimal, other: Decimal | None, currency: str) -> str:
    if not other:
        return "n/a"
    return signed_percent((value - other) / other * 100, number_style(currency))


def _sections(d: Digest) -> list[tuple[str, list[str]]]:
    k, cur = d.kpis, d.currency
    target = (f"{_money(d.target_per_day, cur)} ({_vs(k.gmv, d.target_per_day, cur)})"
              if d.target_per_day is not None else "no target set")
    baseline = (f"{_money(d.baseline.gmv, cur)} on {d.baseline.day:%b %d} "
                f"({signed_percent(d.baseline.difference_pct, number_style(cur))})"
                if d.baseline.difference_pct is not None else d.baseline.message or "n/a")
    core = [f"GMV {_money(k.gmv, cur)} · orders {k.orders:,} · units {k.units:,} · "
            f"buyers {k.buyers:,} · AOV {_money(k.aov, cur)}",
            f"Refunds {_money(k.refunds, cur)} · net sales {_money(k.net_sales, cur)} · "
            f"est. TikTok contribution {_money(k.tiktok_contribution, cur)}",
            f"Daily target {target}", f"Baseline {baseline}"]
    sections = [("Yesterday", core)]
    sections.append(("Top products", [f"{name}: {_money(gmv, cur)} ({units:,} units)"
                                      for name, gmv, units in d.top_products]
                     or ["No sales yesterday."]))
    if d.top_content:
        sections.append(("Top content", [
            f"{kind} {cid or '(product card)'} by {creator or 'own account'}: "
            f"{_money(gmv, cur)}" for kind, cid, creator, gmv in d.top_content]))
    sections.append(("Stock", [f"{name}: {status}" + (f", {cover:.1f} days of cover"
                                                      if cover is not None else "")
                               for name, status, cover in d.stock] or ["No stock alerts."]))
    if d.late_creators:
        sections.append(("Late creators", [f"{creator}: due {due:%b %d}, {plural(late, 'day')} late"
                                           for creator, due, late in d.late_creators]))
    return sections


def digest_text(d: Digest) -> str:
    """Plain text (Slack, the mail's text part, the command line)."""
    lines = [f"{d.shop_name} · {d.campaign_name} · {d.day:%A %b %d, %Y}", EXCLUDES_TODAY]
    for title, items in _sections(d):
        lines += ["", title] + [f"- {item}" for item in items]
    return "\n".join(lines)


def digest_html(d: Digest) -> str:
    """HTML for the mail; every piece of data is escaped."""
    parts = [f"<h2>{html.escape(d.shop_name)} · {html.escape(d.campaign_name)} · "
             f"{d.day:%A %b %d, %Y}</h2>", f"<p><em>{html.escape(EXCLUDES_TODAY)}</em></p>"]
    for title, items in _sections(d):
        parts.append(f"<h3>{html.escape(title)}</h3><ul>"
                     + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>")
    return "\n".join(parts)
