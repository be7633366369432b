"""Back-test of the projection band: how often did a day end inside the band given for it?

For each past day with enough history before it, at given local hours (noon, 6 pm, 9 pm),
the day's band is computed exactly as the app does (``band.day_band`` on the day's total so
far and the reference days before it: the days before the campaign start for a campaign
day, the days just before it for any other), and compared with the day's final total.
The share of days inside should be close to the band's level.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from campaign_core.forecast.band import BAND_LEVEL, REFERENCE_DAYS, day_band, done_by, hourly_by_day

BACKTEST_HOURS = (12, 18, 21)


@dataclass
class Coverage:
    """Days inside their band, per hour of the check."""

    level: float
    inside: dict[int, int] = field(default_factory=dict)
    checked: dict[int, int] = field(default_factory=dict)

    def share(self, hour: int) -> float | None:
        return self.inside[hour] / self.checked[hour] if self.checked.get(hour) else None

    @property
    def overall(self) -> float | None:
        checked = sum(self.checked.values())
        return sum(self.inside.values()) / checked if checked else None


def backtest(conn: sqlite3.Connection, shop_id: int, timezone: str, first_day: date,
             last_day: date, *, campaign_start: date | None = None,
             hours: tuple[int, ...] = BACKTEST_HOURS,
             level: float = BAND_LEVEL) -> dict[str, Coverage]:
    """Coverage of the day band over the completed days ``first_day``..``last_day``:
    ``{"all": ..., "campaign": ...}`` (campaign days: on or after ``campaign_start``).
    Days without sales or without reference days are skipped."""
    days = hourly_by_day(conn, shop_id, timezone, first_day - timedelta(days=REFERENCE_DAYS),
                         last_day)
    result = {"all": Coverage(level), "campaign": Coverage(level)}
    for coverage in result.values():
        for hour in hours:
            coverage.inside[hour] = coverage.checked[hour] = 0
    for day in sorted(days):
        if day < first_day or sum(days[day]) <= 0:
            continue
        is_campaign = campaign_start is not None and day >= campaign_start
        anchor = campaign_start if is_campaign else day
        reference = [days[d] for d in (anchor - timedelta(days=n)
                                       for n in range(REFERENCE_DAYS, 0, -1))
                     if d in days and sum(days[d]) > 0]
        if len(reference) < REFERENCE_DAYS // 2:
            continue
        total = sum(days[day])
        for hour in hours:
            band = day_band(reference, hour, done_by(days[day], hour), level)
            if band is None:
                continue
            hit = band.low <= total <= band.high
            for key in (("all", "campaign") if is_campaign else ("all",)):
                result[key].checked[hour] += 1
                result[key].inside[hour] += hit
    return result
