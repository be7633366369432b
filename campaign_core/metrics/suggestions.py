""""Optimize now": rule-based suggestions for the Marketing page and the report.

Each suggestion states its rule, its numbers and the page where the seller acts. Rules:
- ``roas_below_benchmark``: ROAS of the window below the mean ROAS benchmark (metric
  ``roas`` of the Benchmarks template, the shop's category and tier) of the window's days;
- ``roas_below_one``: without a benchmark, ROAS under 1 (ads return less than they cost);
- ``content_supply_fell``: new creator videos (or creator LIVEs, seller videos, seller
  LIVEs) fell by 30% or more against the comparison window;
- ``ads_on_selling_out``: products advertised in the window (GMV Max creative report rows
  with cost, or on the ad shortlist) that are out of stock or sell out soon (stock cover);
- ``order_rate_fell``: the funnel's order rate fell by 20% or more against the comparison.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from campaign_core.forecast.stock_cover import (
    OUT_OF_STOCK,
    SELLS_OUT_SOON,
    product_cover,
    sku_cover,
)
from campaign_core.formatting import count, percent, ratio
from campaign_core.markets import NumberStyle
from campaign_core.metrics.benchmarks import last_complete_day
from campaign_core.metrics.funnel import Funnel
from campaign_core.store.campaigns import Campaign
from campaign_core.windows import View, Window

SUGGESTIONS_DEFINITION = __doc__.split("\n", 2)[2].strip()
SUPPLY_DROP_PCT = 30.0
ORDER_RATE_DROP_PCT = 20.0
PRODUCTS_PAGE = "pages/products.py"
CONTENT_PAGE = "pages/content.py"
MARKETING_PAGE = "pages/marketing.py"
FUNNEL_PAGE = "pages/funnel.py"

_SUPPLY_LABELS = {"creator_videos": "Creator video", "creator_lives": "Creator LIVE",
                  "seller_videos": "Seller video", "seller_lives": "Seller LIVE"}

_BENCHMARKS_SQL = """
SELECT b.metric, AVG(b.value), SUM(b.value) FROM benchmark b JOIN shop s ON s.shop_id = :shop_id
WHERE b.metric IN (SELECT value FROM json_each(:metrics))
  AND b.category = s.category COLLATE NOCASE AND b.gmv_tier = s.gmv_tier COLLATE NOCASE
  AND b.day BETWEEN :first_day AND :last_day
GROUP BY b.metric
"""
BENCHMARKED = ("roas", "creator_videos", "creator_lives", "seller_videos", "seller_lives")

_ADVERTISED_SQL = """
SELECT DISTINCT product_id FROM ad_creative_period
WHERE shop_id = :shop_id AND cost_cents > 0 AND product_id != ''
  AND period_start <= :last_day AND period_end >= :first_day
UNION SELECT product_id FROM ad_shortlist WHERE shop_id = :shop_id
"""


@dataclass(frozen=True)
class Suggestion:
    rule: str
    text: str  # a plain sentence with its numbers
    page: str  # where the seller acts (a page path)
    page_label: str
    numbers: dict[str, float | int | str | None] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "text": self.text, "numbers": dict(self.numbers),
                "page": self.page}


def marketing_benchmarks(conn: sqlite3.Connection, shop_id: int,
                         window: Window) -> dict[str, float]:
    """Benchmarks of ROAS and content supply (Benchmarks template rows of the shop's
    category and tier) for the window: ROAS the mean of its days' values, content counts
    their sum (a count over several days adds up); none in the Today view (benchmarks
    exclude real-time data). A Daily view without its day's benchmark uses the day
    before's."""
    if window.view is View.TODAY:
        return {}
    first, last = window.first_day, window.last_day
    result = _benchmarks(conn, shop_id, first, last)
    if not result and window.view is View.DAILY:
        # Like Seller Center: when the day's benchmark is late, the day before's is shown.
        result = _benchmarks(conn, shop_id, first - timedelta(days=1), last - timedelta(days=1))
    return result


def _benchmarks(conn: sqlite3.Connection, shop_id: int, first: date,
                last: date) -> dict[str, float]:
    rows = conn.execute(_BENCHMARKS_SQL, {
        "shop_id": shop_id, "metrics": json.dumps(BENCHMARKED),
        "first_day": first.isoformat(), "last_day": last.isoformat()})
    return {metric: round(float(mean if metric == "roas" else total), 2)
            for metric, mean, total in rows if mean is not None}


SUPPLY_BENCHMARKED = ("creator_videos", "creator_lives", "seller_videos", "seller_lives")
_SUPPLY_DAYS_SQL = """
SELECT b.metric, MIN(b.day), MAX(b.day), COUNT(DISTINCT b.day), SUM(b.value)
FROM benchmark b JOIN shop s ON s.shop_id = :shop_id
WHERE b.metric IN (SELECT value FROM json_each(:metrics))
  AND b.category = s.category COLLATE NOCASE AND b.gmv_tier = s.gmv_tier COLLATE NOCASE
  AND b.day BETWEEN :first_day AND :last_day
GROUP BY b.metric
"""


def supply_benchmarks_on_their_days(conn: sqlite3.Connection, shop_id: int, window: Window
                                    ) -> tuple[tuple[date, date] | None, dict[str, float]]:
    """Content-supply benchmarks of a period over the days they cover, so the shop's counts
    can be taken over the same days: ((first, last) of the complete days of ``window`` with
    a supply benchmark, {metric: benchmark over those days}). A metric missing some days in
    between is its daily average times the span's days. ``(None, {})`` without any."""
    params = {"shop_id": shop_id, "metrics": json.dumps(SUPPLY_BENCHMARKED),
              "first_day": window.first_day.isoformat(),
              "last_day": last_complete_day(window).isoformat()}
    rows = conn.execute(_SUPPLY_DAYS_SQL, params).fetchall()
    if not rows:
        return None, {}
    first = min(date.fromisoformat(row[1]) for row in rows)
    last = max(date.fromisoformat(row[2]) for row in rows)
    span_days = (last - first).days + 1
    return (first, last), {metric: round(total / days * span_days, 2)
                           for metric, _, _, days, total in rows}


def roas_benchmark(conn: sqlite3.Connection, shop_id: int, window: Window) -> float | None:
    """The mean ROAS benchmark of the window's days, or None."""
    return marketing_benchmarks(conn, shop_id, window).get("roas")


def roas_suggestions(roas: float | None, benchmark: float | None,
                     style: NumberStyle | None = None) -> list[Suggestion]:
    """``style``: the shop's number marks (``2,50`` in Germany); English without one."""
    if roas is None:
        return []
    if benchmark is not None and roas < benchmark:
        return [Suggestion("roas_below_benchmark",
                           f"ROAS {ratio(roas, style)} is below your benchmark "
                           f"{ratio(benchmark, style)}: move "
                           "budget to products that convert and pause weak creatives.",
                           PRODUCTS_PAGE, "Products and ad shortlist",
                           {"roas": roas, "benchmark": benchmark})]
    if benchmark is None and roas < 1:
        return [Suggestion("roas_below_one",
                           f"ROAS {ratio(roas, style)} is under 1: ads return less revenue "
                           "than they "
                           "cost.", PRODUCTS_PAGE, "Products and ad shortlist",
                           {"roas": roas})]
    return []


def supply_suggestions(supply: dict[str, int], before: dict[str, int],
                       compared_with: str, style: NumberStyle | None = None
                       ) -> list[Suggestion]:
    result = []
    for name, label in _SUPPLY_LABELS.items():
        now, then = supply.get(name, 0), before.get(name, 0)
        if not then:
            continue
        change = (now - then) / then * 100
        if change <= -SUPPLY_DROP_PCT:
            result.append(Suggestion(
                "content_supply_fell",
                f"{label} supply fell {percent(abs(change), 0, style)} vs {compared_with} "
                f"({count(then, style)} -> {count(now, style)}): ask creators for new posts "
                "and send samples.",
                CONTENT_PAGE, "Content",
                {"metric": name, "value": now, "comparison": then,
                 "change_pct": round(change, 1)}))
    return result


def selling_out_suggestions(conn: sqlite3.Connection, campaign: Campaign, window: Window,
                            now: datetime) -> list[Suggestion]:
    params = {"shop_id": campaign.shop_id, "first_day": window.first_day.isoformat(),
              "last_day": window.last_day.isoformat()}
    advertised = {row[0] for row in conn.execute(_ADVERTISED_SQL, params)}
    if not advertised:
        return []
    covers = product_cover(sku_cover(conn, campaign.shop_id, campaign, now))
    short = sorted((c for c in covers if c.product_id in advertised
                    and c.status in (OUT_OF_STOCK, SELLS_OUT_SOON)),
                   key=lambda c: (c.days_of_cover or 0, c.product_id))
    if not short:
        return []
    longest = max(c.days_of_cover or 0 for c in short)
    return [Suggestion(
        "ads_on_selling_out",
        f"Ads run on {len(short)} product{'s' if len(short) > 1 else ''} that "
        f"{'sell' if len(short) > 1 else 'sells'} out within {max(1, round(longest))} "
        f"day{'s' if round(longest) > 1 else ''}: restock or pause those ads.",
        PRODUCTS_PAGE, "Products and stock",
        {"products": len(short), "within_days": round(longest, 1),
         "product_ids": ", ".join(c.product_id for c in short[:10])})]


def funnel_suggestions(funnel: Funnel, before: Funnel, compared_with: str,
                       style: NumberStyle | None = None) -> list[Suggestion]:
    now, then = funnel.order_rate, before.order_rate
    if now is None or not then:
        return []
    change = (now - then) / then * 100
    if change > -ORDER_RATE_DROP_PCT:
        return []
    return [Suggestion(
        "order_rate_fell",
        f"Order rate {percent(now, 1, style)} fell {percent(abs(change), 0, style)} vs "
        f"{compared_with} ({percent(then, 1, style)}): "
        "check prices, vouchers and stock of the most clicked products.",
        PRODUCTS_PAGE, "Products and stock",
        {"order_rate": now, "comparison": then, "change_pct": round(change, 1)})]
