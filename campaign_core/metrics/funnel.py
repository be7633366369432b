"""The shopper funnel of a window: avg. unique reach -> avg. unique clicks -> avg. daily
customers, with step rates.

Each step is a daily distinct count averaged over the counted days. The counted days are
the window's days that have traffic data (so every step is averaged over the same days);
when the window has no traffic data at all, the window's days (today counts while in
progress) and only customers are shown.
- Daily unique reach / unique clicks: from the traffic template, the day's ``All`` row (a
  day row, else the sum of its hour rows inside the window), else the sum over its
  channels; without template rows in the window, from per-day product analytics rows
  (channel all): unique product impressions and unique clicks summed over products. Both
  sums count a shopper once per channel or product, so they are upper bounds.
- Daily customers: distinct buyers (Buyer Username, else Buyer Nickname) with a paid,
  non-sample order line in that shop-time day (inside the window).
click_rate = avg. unique clicks / avg. unique reach x 100; order_rate = avg. daily
customers / avg. unique clicks x 100 (percentages, 4 decimals; none when a divisor is 0),
from the exact totals. The averages are of people, so they are shown as whole people
(rounded half up: 1,500.5 -> 1,501).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from campaign_core.metrics.traffic import TEMPLATE_DAYS_SQL, pct, window_params
from campaign_core.rollups.day_buyers import buyers_by_day
from campaign_core.windows import Window, local_midnight_utc

FUNNEL_DEFINITION = __doc__.split("\n", 2)[2].strip()
SOURCE_TEMPLATE = "traffic template"
SOURCE_PRODUCT_ANALYTICS = "product analytics"

_TEMPLATE_FUNNEL_SQL = f"""
SELECT day,
       MAX(CASE WHEN channel = 'all' THEN unique_reach END) AS all_reach,
       MAX(CASE WHEN channel = 'all' THEN unique_clicks END) AS all_clicks,
       SUM(CASE WHEN channel != 'all' THEN unique_reach END) AS sum_reach,
       SUM(CASE WHEN channel != 'all' THEN unique_clicks END) AS sum_clicks
FROM ({TEMPLATE_DAYS_SQL}) GROUP BY day ORDER BY day
"""

_PRODUCT_FUNNEL_SQL = """
SELECT period_start AS day, SUM(unique_impressions) AS reach, SUM(unique_clicks) AS clicks
FROM product_traffic
WHERE shop_id = :shop_id AND channel = 'all' AND period_start = period_end
  AND period_start >= :first_day AND period_end <= :last_day
GROUP BY period_start ORDER BY period_start
"""

@dataclass(frozen=True)
class FunnelDay:
    day: str
    unique_reach: int | None
    unique_clicks: int | None
    customers: int


@dataclass(frozen=True)
class Funnel:
    source: str | None  # None: no traffic data in the window
    days: tuple[FunnelDay, ...]

    def _average(self, name: str) -> int | None:
        # People are counted whole: the average is rounded half up to a whole person.
        values = [getattr(day, name) for day in self.days]
        if not values or any(v is None for v in values):
            return None
        return (2 * sum(values) + len(values)) // (2 * len(values))

    @property
    def avg_unique_reach(self) -> int | None:
        return self._average("unique_reach")

    @property
    def avg_unique_clicks(self) -> int | None:
        return self._average("unique_clicks")

    @property
    def avg_daily_customers(self) -> int | None:
        return self._average("customers")

    @property
    def click_rate(self) -> float | None:
        return _rate(self._exact("unique_clicks"), self._exact("unique_reach"))

    @property
    def order_rate(self) -> float | None:
        return _rate(self._exact("customers"), self._exact("unique_clicks"))

    def _exact(self, name: str) -> float | None:
        # Rates from the unrounded averages (same days, so totals give the same ratio).
        values = [getattr(day, name) for day in self.days]
        return None if not values or any(v is None for v in values) else sum(values)

    def biggest_drop(self) -> tuple[str, float] | None:
        """The step that loses the most shoppers: ("reach to clicks", rate %) or
        ("clicks to customers", rate %); None without both rates."""
        steps = [("reach to clicks", self.click_rate),
                 ("clicks to customers", self.order_rate)]
        known = [(name, rate) for name, rate in steps if rate is not None]
        if len(known) < 2:
            return None
        return min(known, key=lambda step: step[1])


def _rate(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return pct(part, whole)


def shopper_funnel(conn: sqlite3.Connection, shop_id: int, window: Window) -> Funnel:
    """The funnel of ``window`` by the rules in the module docstring."""
    params = window_params(shop_id, window)
    template = conn.execute(_TEMPLATE_FUNNEL_SQL, params).fetchall()
    if template:
        traffic = {row["day"]: (_first(row["all_reach"], row["sum_reach"]),
                                _first(row["all_clicks"], row["sum_clicks"]))
                   for row in template}
        source = SOURCE_TEMPLATE
    else:
        traffic = {row["day"]: (row["reach"], row["clicks"])
                   for row in conn.execute(_PRODUCT_FUNNEL_SQL, params)}
        source = SOURCE_PRODUCT_ANALYTICS if traffic else None
    days = sorted(traffic) if traffic else [d.isoformat() for d in _window_days(window)]
    customers = _daily_customers(conn, shop_id, window, days)
    return Funnel(source, tuple(
        FunnelDay(day, *(traffic.get(day, (None, None))), customers.get(day, 0))
        for day in days))


def _first(preferred: int | None, fallback: int | None) -> int | None:
    return preferred if preferred is not None else fallback


def _window_days(window: Window) -> list[date]:
    count = (window.last_day - window.first_day).days + 1
    return [window.first_day + timedelta(days=offset) for offset in range(count)]


def _daily_customers(conn: sqlite3.Connection, shop_id: int, window: Window,
                     days: list[str]) -> dict[str, int]:
    bounds = []
    for day_text in days:
        day = date.fromisoformat(day_text)
        start = max(window.start_utc, local_midnight_utc(day, window.timezone))
        end = min(window.end_utc, local_midnight_utc(day + timedelta(days=1), window.timezone))
        bounds.append((day_text, start, end))
    return buyers_by_day(conn, shop_id, bounds)


def funnel_report(funnel: Funnel) -> dict:
    """The command line's ``funnel`` object: ``avg_unique_reach``, ``avg_unique_clicks``,
    ``avg_daily_customers`` (whole people, rounded half up), ``click_rate`` and
    ``order_rate`` (percentages, 4 decimals), plus ``days`` (how many days were averaged)
    and ``source``."""
    return {"avg_unique_reach": funnel.avg_unique_reach,
            "avg_unique_clicks": funnel.avg_unique_clicks,
            "avg_daily_customers": funnel.avg_daily_customers,
            "click_rate": funnel.click_rate, "order_rate": funnel.order_rate,
            "days": len(funnel.days), "source": funnel.source}
