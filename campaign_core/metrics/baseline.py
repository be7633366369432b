"""Baseline comparison (Daily view): a campaign day's GMV against any day of the past six
months, with a state that tells why there is no percentage when there is none."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from campaign_core.metrics.core import core_kpis
from campaign_core.windows import Window, daily_window, local_day_of, local_midnight_utc

MAX_BASELINE_AGE_DAYS = 183
BASELINE_DEFINITION = (
    "Difference % = (campaign day - baseline day) / baseline day x 100. No percentage when "
    "the baseline day has no data (outside the imported exports), is incomplete (not over, "
    "or the exports end during it), or had zero GMV."
)

STATE_TEXT = {
    "ok": "",
    "no_data": "No data for that day: it is outside the exports imported so far.",
    "incomplete": "That day is incomplete (not over yet, or the imported exports end during "
                  "it), so it cannot serve as a baseline.",
    "zero_baseline": "The baseline day had no GMV, so there is no percentage.",
    "out_of_range": "Pick a baseline within the six months before the campaign day.",
}


@dataclass(frozen=True)
class Baseline:
    day: date
    window: Window
    gmv: Decimal | None  # None when there is no usable baseline
    campaign_gmv: Decimal
    difference_pct: float | None
    state: str  # ok / no_data / incomplete / zero_baseline / out_of_range

    @property
    def message(self) -> str:
        return STATE_TEXT[self.state]


def baseline_comparison(conn: sqlite3.Connection, shop_id: int, campaign_day: Window,
                        baseline_day: date, now: datetime) -> Baseline:
    """Compare the GMV of ``campaign_day`` (a Daily window) with ``baseline_day``.

    Raises nothing; the ``state`` says why a comparison has no percentage.
    """
    zone = campaign_day.timezone
    window = daily_window(baseline_day, zone, now)
    campaign_gmv = core_kpis(conn, shop_id, campaign_day).gmv
    age = (campaign_day.first_day - baseline_day).days
    state = _state(conn, shop_id, window, age)
    gmv = core_kpis(conn, shop_id, window).gmv if state in ("ok", "zero_baseline") else None
    if state == "ok" and gmv == 0:
        state = "zero_baseline"
    difference = None
    if state == "ok":
        difference = round(float((campaign_gmv - gmv) / gmv * 100), 1)
    return Baseline(baseline_day, window, gmv, campaign_gmv, difference, state)


def _state(conn: sqlite3.Connection, shop_id: int, window: Window, age_days: int) -> str:
    if age_days < 0 or age_days > MAX_BASELINE_AGE_DAYS:
        return "out_of_range"
    if not window.complete:
        return "incomplete"
    first, last = conn.execute(
        # One subquery per end of the (shop_id, paid_utc) index; both in one SELECT scan it.
        "SELECT (SELECT MIN(paid_utc) FROM orders WHERE shop_id = :shop_id), "
        "(SELECT MAX(paid_utc) FROM orders WHERE shop_id = :shop_id)",
        {"shop_id": shop_id}).fetchone()
    if first is None or window.start_utc > last or window.end_utc <= local_midnight_utc(
            local_day_of(first, window.timezone), window.timezone):
        return "no_data"
    # The newest order inside the day: the exports stop during it, so it is partly covered.
    if last < window.end_utc:
        return "incomplete"
    return "ok"


def default_baseline_day(campaign_day: date) -> date:
    """The day before: what the Daily view compares with until the user picks another."""
    return campaign_day - timedelta(days=1)
