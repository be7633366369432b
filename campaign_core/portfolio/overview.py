"""The Portfolio page's figures: every shop the reader may see, side by side, over a
campaign's days or a date range (each shop's days in its own timezone).

Per shop: GMV in its currency and in the reporting currency (converted day by day,
``campaign_core.fx``), pacing against its target in the chosen campaign, orders, buyers,
refunds, contribution margin where unit costs are known, stock and content alerts, and
its GMV per day for the chart. Aggregation is SQL per shop; conversion is here.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from campaign_core.forecast.pacing import Pacing, campaign_pacing
from campaign_core.forecast.stock_cover import product_cover, sku_cover, stock_alert_counts
from campaign_core.fx import Conversion, DayAmounts, RateBook, convert_days, round_cents
from campaign_core.markets import shop_currency
from campaign_core.metrics.content import live_violation_summary
from campaign_core.metrics.core import CoreKpis, core_kpis
from campaign_core.portfolio.daily import daily_money
from campaign_core.profit.creator_margin import creator_margins, total_margin
from campaign_core.profit.overview import shop_waterfall
from campaign_core.store.campaign_shops import campaign_shop_views
from campaign_core.store.campaigns import Campaign
from campaign_core.store.shops import Shop
from campaign_core.windows import period_window

# What the table may be sorted by (a user's choice is looked up here, never used as is).
SORT_KEYS = {
    "GMV (reporting currency)": "gmv_converted",
    "Pacing (% of target)": "progress_pct",
    "Orders": "orders",
    "Buyers": "buyers",
    "Refunds (reporting currency)": "refunds_converted",
    "Shop": "shop_name",
}


@dataclass(frozen=True)
class ShopRow:
    shop: Shop
    campaign: Campaign  # the shop's view of the campaign, or of the date range
    in_campaign: bool  # False: the shop is not part of the chosen campaign
    kpis: CoreKpis
    days: tuple[DayAmounts, ...]
    conversion: Conversion
    pacing: Pacing | None  # None without a campaign (a date range) or outside it
    margin: Decimal | None  # contribution margin in the shop's currency; None: no costs
    out_of_stock: int
    sells_out_soon: int
    live_violations: int

    @property
    def shop_name(self) -> str:
        return self.shop.name

    @property
    def gmv_converted(self) -> Decimal | None:
        cents = self.conversion.cents("gmv")
        return None if cents is None else Decimal(cents) / 100

    @property
    def refunds_converted(self) -> Decimal | None:
        cents = self.conversion.cents("refunds")
        return None if cents is None else Decimal(cents) / 100

    @property
    def progress_pct(self) -> float | None:
        return self.pacing.progress_pct if self.pacing else None

    @property
    def orders(self) -> int:
        return self.kpis.orders

    @property
    def buyers(self) -> int:
        return self.kpis.buyers


@dataclass(frozen=True)
class Portfolio:
    currency: str
    first_day: date
    last_day: date
    rows: tuple[ShopRow, ...]

    @property
    def total_converted_cents(self) -> int | None:
        """Every shop's GMV in the reporting currency (exact sum, rounded once)."""
        if any(not row.conversion.complete for row in self.rows):
            return None
        return round_cents(sum((row.conversion.totals.get("gmv", 0) for row in self.rows), 0))

    def sorted_rows(self, sort_label: str, descending: bool = True) -> list[ShopRow]:
        """Rows sorted by a label of ``SORT_KEYS`` (unknown labels: by GMV); rows whose
        value is not known go last."""
        key = SORT_KEYS.get(sort_label, "gmv_converted")
        known = [r for r in self.rows if getattr(r, key) is not None]
        unknown = [r for r in self.rows if getattr(r, key) is None]
        return sorted(known, key=lambda r: getattr(r, key), reverse=descending) + unknown


def _range_campaign(shop: Shop, first_day: date, last_day: date) -> Campaign:
    """A date range seen as a campaign of ``shop`` (no target): what the stock rules and
    windows need."""
    return Campaign(0, shop.shop_id, shop.name, "date range", first_day, last_day,
                    shop.timezone, None, shop_currency(shop.currency, shop.timezone))


def _margin(conn: sqlite3.Connection, shop_id: int, window) -> Decimal | None:
    has_costs = conn.execute("SELECT 1 FROM sku_cost WHERE shop_id = :shop_id LIMIT 1",
                             {"shop_id": shop_id}).fetchone()
    if not has_costs:
        return None
    steps = shop_waterfall(conn, shop_id, window, total_margin(creator_margins(conn, shop_id,
                                                                               window)))
    return Decimal(str(steps[-1].cents)) / 100


def portfolio(conn: sqlite3.Connection, shops: list[Shop], now: datetime, currency: str, *,
              campaign: Campaign | None = None, first_day: date | None = None,
              last_day: date | None = None) -> Portfolio:
    """The Portfolio of ``shops`` over ``campaign``'s days, else ``first_day``..``last_day``
    (each shop's local days, until ``now``), money converted into ``currency``.
    Raises ``ValueError`` when neither a campaign nor both days are given."""
    if campaign is not None:
        first_day, last_day = campaign.start_day, campaign.end_day
        members = {v.shop_id: v for v in campaign_shop_views(conn, campaign)}
    elif first_day is None or last_day is None or last_day < first_day:
        raise ValueError("Choose a campaign or a date range (first day on or before last).")
    else:
        members = {}
    book = RateBook.load(conn, {s.currency for s in shops} | {currency}, first_day, last_day)
    rows = []
    for shop in shops:
        view = members.get(shop.shop_id) or _range_campaign(shop, first_day, last_day)
        window = period_window(first_day, last_day, view.timezone, now)
        days = daily_money(conn, shop.shop_id, window)
        pacing = campaign_pacing(conn, view, now) if shop.shop_id in members else None
        alerts = stock_alert_counts(product_cover(sku_cover(conn, shop.shop_id, view, now)))
        rows.append(ShopRow(
            shop, view, shop.shop_id in members, core_kpis(conn, shop.shop_id, window),
            tuple(days), convert_days(days, shop.currency, currency, book), pacing,
            _margin(conn, shop.shop_id, window), alerts["out_of_stock"],
            alerts["sells_out_soon"], live_violation_summary(conn, shop.shop_id).count))
    return Portfolio(currency, first_day, last_day, tuple(rows))


