"""The shop's hour-of-day sales profile: which share of a day's GMV falls in each local hour.

A 10 am projection must know that most of a day's sales come in the evening; the profile
says how much of a typical day is done by a given local time.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from campaign_core.rollups.windows import HOUR, rollup_span
from campaign_core.windows import local_midnight_utc

PROFILE_DAYS = 28
HOURS = 24


@dataclass(frozen=True)
class HourProfile:
    shares: list[float]  # 24 shares of a day's GMV, one per local hour, summing to 1
    daily_average_cents: float  # mean GMV per day over the profile's days


def hour_profile(conn: sqlite3.Connection, shop_id: int, timezone: str,
                 before_day: date, days: int = PROFILE_DAYS) -> HourProfile | None:
    """The GMV profile of the ``days`` whole local days before ``before_day``; None when
    those days hold no GMV at all. Days when the clocks change are left out: their hours
    after the change do not line up with the other days' hours.
    """
    starts = [local_midnight_utc(before_day - timedelta(days=offset), timezone)
              for offset in range(days, -1, -1)]
    spans = [(start, end) for start, end in zip(starts, starts[1:], strict=False)
             if end - start == 24 * 3600]
    if not spans:
        return None
    values = ", ".join(f"(:s{i}, :e{i})" for i in range(len(spans)))
    params: dict[str, int] = {"shop_id": shop_id, "first": starts[0], "last": starts[-1]}
    for i, (start, end) in enumerate(spans):
        params[f"s{i}"], params[f"e{i}"] = start, end
    # The days' hours from rollup_hour when the days start on whole UTC hours and none of
    # their hours is dirty; else from the lines.
    whole = rollup_span(conn, shop_id, starts[0], starts[-1]) == (starts[0], starts[-1]) \
        and all(start % HOUR == 0 for start, _ in spans)
    source = ("rollup_hour l ON l.shop_id = :shop_id AND l.hour_utc >= d.day_start "
              "AND l.hour_utc < d.day_end AND l.hour_utc >= :first AND l.hour_utc < :last"
              if whole else
              "order_line l ON l.shop_id = :shop_id AND l.is_sample = 0 "
              "AND l.paid_utc >= d.day_start AND l.paid_utc < d.day_end "
              "AND l.paid_utc >= :first AND l.paid_utc < :last")
    time = "l.hour_utc" if whole else "l.paid_utc"
    rows = conn.execute(
        f"WITH days(day_start, day_end) AS (VALUES {values}) "
        f"SELECT ({time} - d.day_start) / 3600 AS hour, SUM(l.gmv_cents) AS gmv "
        f"FROM days d JOIN {source} GROUP BY hour", params).fetchall()
    total = sum(row["gmv"] or 0 for row in rows)
    if total <= 0:
        return None
    shares = [0.0] * HOURS
    for row in rows:
        shares[int(row["hour"])] = (row["gmv"] or 0) / total
    return HourProfile(shares, total / len(spans))


def share_done(profile: list[float], hours_elapsed: float) -> float:
    """The share of a typical day's GMV sold in its first ``hours_elapsed`` local hours."""
    whole = int(max(0.0, min(hours_elapsed, HOURS)))
    done = sum(profile[:whole])
    if whole < HOURS:
        done += profile[whole] * (hours_elapsed - whole)
    return min(1.0, done)
