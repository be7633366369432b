"""An honest projection: the range a summable metric will likely end in, not one number.

Two sources of variation, both measured on the shop's own history in the store:
- **Hour of day** (the rest of today). For each of the ``REFERENCE_DAYS`` whole days before
  today, the ratio "day's total / its total by this time of day". Today's final total lies
  between today-so-far x two of those ratios: the order statistics that make a
  distribution-free prediction interval for one more day at the stated level (80%:
  with 28 days, the 3rd lowest and 3rd highest ratio). Before ``MIN_SHARE_DONE`` of a
  typical day has passed, the ratios are too wild: the rest of today is then the reference
  days' own remainders instead, scaled to the campaign's level.
- **Day to day** (the days after today). The run rate (mean of the campaign's completed
  days) repeated over the days left, with the spread of the shop's daily totals (relative
  standard deviation of the reference days, or of the campaign days once there are two or
  more, whichever is larger): each day varies (N days: N variances) and the run rate
  itself is known only from the days so far (its error counts N times over).
  The two parts are added as independent normal errors: the band is centre +- z x sd.

On launch day, before a full campaign day exists, nothing tells a launch spike from a new
level: the band is then "no lift after today" (the reference days' mean for each day left)
to "every day like today's high estimate" (no upper end at all before today's ratios are
usable), flagged ``too_early`` so the text says so instead of a point projection. With one
or two completed campaign days the low end still reaches down to "no lift after today".

The functions on plain lists (``day_band``, ``period_band``) serve any summable metric
(GMV, orders, units...): give them the metric's hourly totals per day.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import NormalDist, mean, pstdev
from zoneinfo import ZoneInfo

from campaign_core.formatting import compact_money
from campaign_core.metrics.money import cents_to_amount
from campaign_core.rollups.windows import edge_parts, rollup_span
from campaign_core.store.campaigns import Campaign
from campaign_core.windows import local_midnight_utc

BAND_LEVEL = 0.8
REFERENCE_DAYS = 28
MIN_SHARE_DONE = 0.05
HOURS = 24
MIN_DAYS_FOR_SPREAD = 3
BAND_DEFINITION = __doc__.split("\n", 2)[2].strip()


@dataclass(frozen=True)
class DayBand:
    """Where today's total will likely end (same unit as the inputs)."""

    low: float
    high: float
    centre: float
    from_ratios: bool  # False: early in the day, from the reference days' remainders


@dataclass(frozen=True)
class Band:
    """Where a period's total will likely end: ``low``..``high`` at ``level``."""

    low: float
    high: float | None  # None: no upper end can be named yet (launch day, early hours)
    centre: float | None  # None when too early to name one figure
    level: float
    too_early: bool  # launch day: no completed day of the period yet
    reference_days: int


@dataclass(frozen=True)
class ProjectionBand:
    """The GMV band of a campaign, in the currency (Decimal amounts)."""

    low: Decimal
    high: Decimal | None  # None: no upper end can be named yet
    centre: Decimal | None
    level: float
    too_early: bool
    reference_days: int

    @property
    def level_pct(self) -> int:
        return round(self.level * 100)


def done_by(hours: Sequence[float], hours_elapsed: float) -> float:
    """The total of ``hours`` (24 hourly values) in the first ``hours_elapsed`` hours."""
    whole = int(max(0.0, min(hours_elapsed, HOURS)))
    total = sum(hours[:whole])
    if whole < HOURS:
        total += hours[whole] * (hours_elapsed - whole)
    return total


def _order_statistic_bounds(count: int, level: float) -> tuple[int, int]:
    """0-based positions (lower, upper) in ``count`` sorted values whose range holds one
    more value with probability about ``level``: (upper - lower) / (count + 1) = level."""
    outside = max(1, round((1 - level) / 2 * (count + 1)))
    return outside - 1, count - outside


def day_band(reference: Sequence[Sequence[float]], hours_elapsed: float, so_far: float,
             level: float = BAND_LEVEL, scale: float = 1.0) -> DayBand | None:
    """The likely range of today's final total, ``hours_elapsed`` hours into the day with
    ``so_far`` done, from ``reference`` days (each 24 hourly totals). ``scale`` multiplies
    the reference days' remainders when too little of the day has passed for ratios
    (the campaign's level against the reference days'). None without reference days."""
    days = [list(day) for day in reference if sum(day) > 0]
    if not days:
        return None
    totals = [sum(day) for day in days]
    done = [done_by(day, hours_elapsed) for day in days]
    share = sum(done) / sum(totals)
    if hours_elapsed >= HOURS:
        return DayBand(so_far, so_far, so_far, True)
    lower, upper = _order_statistic_bounds(len(days), level)
    if share >= MIN_SHARE_DONE and all(d > 0 for d in done) and so_far > 0:
        ratios = sorted(total / d for total, d in zip(totals, done, strict=True))
        middle = ratios[len(ratios) // 2]
        return DayBand(so_far * ratios[lower], so_far * ratios[upper], so_far * middle, True)
    rest = sorted((total - d) * scale for total, d in zip(totals, done, strict=True))
    return DayBand(so_far + rest[lower], so_far + rest[upper],
                   so_far + rest[len(rest) // 2], False)


def relative_spread(totals: Sequence[float]) -> float:
    """Standard deviation of daily totals over their mean (0 with fewer than two days)."""
    values = [float(t) for t in totals]
    if len(values) < 2 or mean(values) <= 0:
        return 0.0
    return pstdev(values) / mean(values)


def period_band(*, so_far: float, today: DayBand | None, today_so_far: float,
                completed_days: Sequence[float], days_left: int,
                reference: Sequence[Sequence[float]], level: float = BAND_LEVEL) -> Band | None:
    """The likely range of a period's final total (a campaign's), any summable metric.

    ``so_far``: the period's total until now (today's part included, ``today_so_far``);
    ``today``: ``day_band`` of today (None: today not in the period or no reference);
    ``completed_days``: the totals of the period's whole days before today; ``days_left``:
    whole days after today; ``reference``: the hourly totals of the reference days.
    None when there is nothing to measure variation on."""
    reference_totals = [sum(day) for day in reference if sum(day) > 0]
    if today is None and not completed_days:
        return None
    today_low = today.low if today else today_so_far
    today_high = today.high if today else today_so_far
    today_centre = today.centre if today else today_so_far
    known = so_far - today_so_far
    # "No lift after today": every day left like the reference days' mean.
    floor = known + today_low + days_left * (mean(reference_totals) if reference_totals else 0)
    if not completed_days:
        # Launch day: a spike or a new level? From "no lift after today" to "every day
        # like today's high"; no upper end while today's own high is a guess.
        high = (known + today_high + days_left * today_high
                if today is not None and today.from_ratios else None)
        return Band(floor, None if high is None else max(floor, high), None, level, True,
                    len(reference_totals))
    # The run rate counts today's likely total once today's hours can tell it, as the
    # point projection does (forecast/pacing.py): the band is then around that projection,
    # not beside it.
    basis = list(completed_days) + ([today_centre] if today is not None and today.from_ratios
                                    else [])
    run_rate = mean(basis)
    spread = max(relative_spread(reference_totals), relative_spread(completed_days))
    z = NormalDist().inv_cdf(0.5 + level / 2)
    future_var = (days_left * (spread * run_rate) ** 2
                  + days_left ** 2 * (spread * run_rate) ** 2 / len(completed_days))
    today_sd = (today_high - today_low) / (2 * z)
    half = z * math.sqrt(future_var + today_sd ** 2)
    centre = known + today_centre + days_left * run_rate
    low = centre - half
    if len(completed_days) < MIN_DAYS_FOR_SPREAD:
        # One or two campaign days say little about the campaign's own level (a launch
        # spike looks like a new level): the low end reaches down to "no lift".
        low = min(low, floor)
    low = max(so_far, low)
    return Band(low, max(low, centre + half), centre, level, False, len(reference_totals))


# ---- The store: hourly GMV per local day -------------------------------------------------

# GMV of the paid, non-sample lines: whole hours from rollup_hour, the partial hours at the
# edges from the lines (integer cents: the same sums either way).
_GMV_SQL = """
SELECT (SELECT COALESCE(SUM(gmv_cents), 0) FROM rollup_hour
        WHERE shop_id = :shop_id AND hour_utc >= :first AND hour_utc < :last) + """ + edge_parts(
    """(SELECT COALESCE(SUM(gmv_cents), 0) FROM order_line
        WHERE shop_id = :shop_id AND is_sample = 0 AND {edge})""", column="paid_utc",
    joiner="+")
_HOURLY_GMV_SQL = """
SELECT hour_utc / 3600, gmv_cents FROM rollup_hour
WHERE shop_id = :shop_id AND hour_utc >= :first AND hour_utc < :last
UNION ALL
""" + edge_parts("""
SELECT paid_utc / 3600, SUM(gmv_cents) FROM order_line
WHERE shop_id = :shop_id AND is_sample = 0 AND {edge}
GROUP BY 1""", column="paid_utc")


def hourly_by_day(conn: sqlite3.Connection, shop_id: int, timezone: str, first_day: date,
                  last_day: date, until_utc: int | None = None) -> dict[date, list[float]]:
    """GMV cents per local hour of each local day ``first_day``..``last_day`` (24 values;
    paid before ``until_utc`` when given). Days when the clocks change are left out (their
    hours do not line up with the others'). Aggregated in SQL per UTC hour; every market's
    offset is whole hours, so a UTC hour is one local hour."""
    starts = {day: local_midnight_utc(day, timezone)
              for day in _days(first_day, last_day + timedelta(days=1))}
    begin, end = starts[first_day], starts[last_day + timedelta(days=1)]
    if until_utc is not None:
        end = min(end, until_utc)
    params = {"shop_id": shop_id, "start": begin, "end": end}
    params["first"], params["last"] = rollup_span(conn, shop_id, begin, end)
    by_hour: dict[int, int] = {}
    for hour, gmv in conn.execute(_HOURLY_GMV_SQL, params):
        by_hour[hour * 3600] = by_hour.get(hour * 3600, 0) + (gmv or 0)
    result = {}
    for day in _days(first_day, last_day):
        start, stop = starts[day], starts[day + timedelta(days=1)]
        if stop - start != HOURS * 3600:
            continue
        result[day] = [float(by_hour.get(start + h * 3600, 0)) for h in range(HOURS)]
    return result


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def reference_days(conn: sqlite3.Connection, shop_id: int, timezone: str, day: date,
                   count: int = REFERENCE_DAYS) -> list[list[float]]:
    """The hourly GMV of the ``count`` days before ``day`` that held any sales."""
    days = hourly_by_day(conn, shop_id, timezone, day - timedelta(days=count),
                         day - timedelta(days=1))
    return [hours for hours in days.values() if sum(hours) > 0]


def campaign_band(conn: sqlite3.Connection, campaign: Campaign, now: datetime,
                  level: float = BAND_LEVEL) -> ProjectionBand | None:
    """The 80% GMV band of ``campaign`` at ``now`` while it runs; None before its start,
    after its end (the total is then known) or without any history to measure on."""
    zone = campaign.timezone
    now_utc = int(now.timestamp())
    start = local_midnight_utc(campaign.start_day, zone)
    end = local_midnight_utc(campaign.end_day + timedelta(days=1), zone)
    if not start <= now_utc < end:
        return None
    today = datetime.fromtimestamp(now_utc, ZoneInfo(zone)).date()
    today_start = local_midnight_utc(today, zone)
    hours_elapsed = (now_utc - today_start) / 3600
    # Per day, not from hourly_by_day: a campaign day when the clocks change still counts.
    completed = [_gmv_between(conn, campaign.shop_id, local_midnight_utc(day, zone),
                              local_midnight_utc(day + timedelta(days=1), zone))
                 for day in _days(campaign.start_day, today - timedelta(days=1))]
    today_so_far = _gmv_between(conn, campaign.shop_id, today_start, now_utc)
    so_far = _gmv_between(conn, campaign.shop_id, start, now_utc)
    reference = reference_days(conn, campaign.shop_id, zone, campaign.start_day)
    reference_totals = [sum(day) for day in reference]
    scale = (mean(completed) / mean(reference_totals)
             if completed and reference_totals else 1.0)
    today_band = day_band(reference, hours_elapsed, today_so_far, level, scale)
    days_left = (campaign.end_day - today).days
    band = period_band(so_far=so_far, today=today_band, today_so_far=today_so_far,
                       completed_days=completed, days_left=days_left, reference=reference,
                       level=level)
    if band is None:
        return None
    return ProjectionBand(cents_to_amount(band.low),
                          None if band.high is None else cents_to_amount(band.high),
                          None if band.centre is None else cents_to_amount(band.centre),
                          band.level, band.too_early, band.reference_days)


def _gmv_between(conn: sqlite3.Connection, shop_id: int, start: int, end: int) -> float:
    params = {"shop_id": shop_id, "start": start, "end": end}
    params["first"], params["last"] = rollup_span(conn, shop_id, start, end)
    return float(conn.execute(_GMV_SQL, params).fetchone()[0])


def campaign_days_so_far(conn: sqlite3.Connection, campaign: Campaign,
                         now: datetime) -> list[tuple[date, float]]:
    """GMV cents of each campaign day from the start until ``now`` (today's part so far);
    the pacing chart's line. Empty before the start."""
    zone = campaign.timezone
    now_utc = int(now.timestamp())
    last = min(campaign.end_day, datetime.fromtimestamp(now_utc, ZoneInfo(zone)).date())
    result = []
    for day in _days(campaign.start_day, last):
        start = local_midnight_utc(day, zone)
        end = min(now_utc, local_midnight_utc(day + timedelta(days=1), zone))
        result.append((day, _gmv_between(conn, campaign.shop_id, start, end)))
    return result


def band_text(band: ProjectionBand, currency: str) -> str:
    """"projected $350.0K–$390.0K (80% range)"; on launch day, how little is known."""
    low = compact_money(band.low, currency)
    if band.too_early:
        if band.high is None:
            return (f"too early to project: at least {low}; the upper end needs more of "
                    "the first campaign day")
        return (f"too early for one figure: {low}–{compact_money(band.high, currency)} "
                f"({band.level_pct}% range), narrower once day 1 is complete")
    return (f"projected {low}–{compact_money(band.high, currency)} "
            f"({band.level_pct}% range)")
