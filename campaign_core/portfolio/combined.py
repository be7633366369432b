"""The figures of a campaign that spans shops: each shop's in its own currency and
timezone, and the combined ones converted into the reporting currency, day by day.

Counts (orders, SKU orders, units, buyers) add up as they are (a buyer of two shops is two
shop customers); money is converted per shop-local day at that day's rate
(``campaign_core.fx``; rounding rule there) and is not given (None) when some day with
money has no rate within 7 days: ``fx_section`` lists such days.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from campaign_core.fx import Conversion, DayAmounts, RateBook, convert_days, round_cents
from campaign_core.metrics.core import CoreKpis, core_kpis
from campaign_core.portfolio.daily import daily_money
from campaign_core.store.campaign_shops import campaign_shop_views
from campaign_core.store.campaigns import Campaign
from campaign_core.windows import View, Window, resolve_window

COUNT_KEYS = ("orders", "sku_orders", "units", "buyers")


@dataclass(frozen=True)
class ShopFigures:
    """One shop of the campaign: ``campaign`` as the shop sees it (its id, timezone,
    currency, target), its window, core KPIs in its currency, and its money converted."""

    campaign: Campaign
    window: Window
    kpis: CoreKpis
    days: tuple[DayAmounts, ...]
    conversion: Conversion

    def converted(self, name: str) -> Decimal | None:
        cents = self.conversion.cents(name)
        return None if cents is None else Decimal(cents) / 100


@dataclass(frozen=True)
class CombinedFigures:
    currency: str
    shops: tuple[ShopFigures, ...]
    conversion: Conversion

    def count(self, name: str) -> int:
        return sum(getattr(shop.kpis, name) for shop in self.shops)

    def money(self, name: str) -> Decimal | None:
        """A combined money figure in the reporting currency; None when not convertible."""
        if not self.conversion.complete:
            return None
        totals = self.conversion.totals
        if name == "net_sales":
            exact = totals.get("gmv", Fraction(0)) - totals.get("refunds", Fraction(0))
        elif name == "aov":
            orders = self.count("orders")
            if not orders:
                return None
            exact = totals.get("gmv", Fraction(0)) / orders
        else:
            exact = totals.get(name, Fraction(0))
        return Decimal(round_cents(exact)) / 100

    def money_cents(self, name: str) -> int | None:
        value = self.money(name)
        return None if value is None else int(value * 100)

    def core(self) -> dict[str, Decimal | int | None]:
        """The core KPIs (the report's ``core`` keys) in the reporting currency."""
        return {"gmv": self.money("gmv"), **{k: self.count(k) for k in COUNT_KEYS[:3]},
                "buyers": self.count("buyers"), "aov": self.money("aov"),
                "tiktok_contribution": self.money("tiktok_contribution"),
                "refunds": self.money("refunds"), "net_sales": self.money("net_sales")}


def shop_window(campaign: Campaign, view: View | str, now: datetime,
                day: date | None = None) -> Window:
    """The window of ``view`` for one shop's view of a campaign, in the shop's timezone."""
    return resolve_window(view, start_day=campaign.start_day, end_day=campaign.end_day,
                          timezone=campaign.timezone, now=now, day=day)


def combined_figures(conn: sqlite3.Connection, campaign: Campaign, view: View | str,
                     now: datetime, currency: str, day: date | None = None,
                     shop_ids: set[int] | None = None) -> CombinedFigures:
    """Every shop of ``campaign`` (``shop_ids`` limits them: the shops the reader may see)
    over ``view`` in each shop's own timezone, converted into ``currency``."""
    views = [v for v in campaign_shop_views(conn, campaign)
             if shop_ids is None or v.shop_id in shop_ids]
    windows = [shop_window(v, view, now, day) for v in views]
    if not windows:
        return CombinedFigures(currency, (), Conversion(currency))
    book = RateBook.load(conn, {str(v.currency) for v in views} | {currency},
                         min(w.first_day for w in windows), max(w.last_day for w in windows))
    shops, total = [], Conversion(currency)
    for shop_view, window in zip(views, windows, strict=True):
        days = daily_money(conn, shop_view.shop_id, window)
        conversion = convert_days(days, str(shop_view.currency), currency, book)
        total.merge(conversion)
        shops.append(ShopFigures(shop_view, window, core_kpis(conn, shop_view.shop_id, window),
                                 tuple(days), conversion))
    return CombinedFigures(currency, tuple(shops), total)


def fx_section(figures: CombinedFigures) -> dict:
    """The report's ``fx``: ``source`` (where the rates came from), ``rates_used`` (one per
    currency and day: the rate, its day, carried forward or not) and
    ``days_without_rate`` (shop, currency and day of money that could not be converted)."""
    used = sorted({rate for shop in figures.shops for rate in shop.conversion.rates_used},
                  key=lambda r: (r.currency, r.day))
    sources = sorted({rate.source for rate in used})
    missing = [{"shop": shop.campaign.shop_name, "currency": currency, "day": day.isoformat()}
               for shop in figures.shops for day, currency in shop.conversion.days_without_rate]
    return {"source": " + ".join(sources) if sources else None,
            "currency": figures.currency,
            "rates_used": [rate.as_dict() for rate in used],
            "days_without_rate": missing}
