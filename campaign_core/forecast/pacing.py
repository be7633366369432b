"""Target and pacing: GMV so far against the campaign's target, and where it will end.

Projection: GMV so far + the rest of today + the run rate for each remaining day.
- Today's full-day GMV is today's GMV so far divided by the share of a typical day done by
  now, from the shop's own hour-of-day profile (28 days before the campaign); before 5% of a
  typical day is done that estimate is too noisy and the run rate stands in for it.
- The run rate is the mean GMV of the campaign's days so far, today counted by its estimate
  (or, early in the first day, the mean day of the 28 days before the campaign).
Status: on track when the projection reaches the target, at risk when it reaches 90% of
it, behind below that; after the campaign: reached or missed. On launch day, before a full
campaign day exists, the first hours cannot tell a launch spike from a new level: the
status is judged against the projection band instead (``forecast.band``): on track when
even its low end reaches the target, behind when even its high end stays under 90% of it,
and otherwise too early to tell.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from campaign_core.forecast.band import campaign_band
from campaign_core.forecast.hour_profile import hour_profile, share_done
from campaign_core.metrics.money import cents_to_amount
from campaign_core.rollups.windows import edge_parts, rollup_span
from campaign_core.store.campaigns import Campaign
from campaign_core.windows import local_midnight_utc, period_window, today_window

AT_RISK_RATIO = 0.9
TOO_EARLY = "too_early"  # launch day: the band cannot tell on track from behind yet
MIN_SHARE_FOR_TODAY_ESTIMATE = 0.05
PACING_DEFINITION = __doc__.split("\n", 2)[2].strip()

# Whole hours from rollup_hour, the partial hours at the window's edges from the lines.
_GMV_SQL = """
SELECT (SELECT COALESCE(SUM(gmv_cents), 0) FROM rollup_hour
        WHERE shop_id = :shop_id AND hour_utc >= :first AND hour_utc < :last) + """ + edge_parts(
    """(SELECT COALESCE(SUM(gmv_cents), 0) FROM order_line
        WHERE shop_id = :shop_id AND is_sample = 0 AND {edge})""", column="paid_utc",
    joiner="+")


@dataclass(frozen=True)
class Pacing:
    gmv_target: Decimal | None
    gmv_so_far: Decimal
    progress_pct: float | None  # GMV so far / target x 100
    time_elapsed_pct: float  # share of the campaign's time that has passed
    projected_gmv: Decimal
    required_per_day: Decimal | None  # GMV per remaining day to reach the target
    days_left: float
    # on_track / at_risk / behind / reached / missed / no_target / not_started / too_early
    status: str
    run_rate_per_day: Decimal
    today_estimate: Decimal | None  # today's full-day GMV estimate, while the campaign runs
    used_hour_profile: bool

    @property
    def colour(self) -> str:
        return {"on_track": "green", "reached": "green", "at_risk": "orange",
                "behind": "red", "missed": "red"}.get(self.status, "gray")  # too early: gray


def _gmv_cents(conn: sqlite3.Connection, shop_id: int, start: int, end: int) -> int:
    first, last = rollup_span(conn, shop_id, start, end)
    return conn.execute(_GMV_SQL, {"shop_id": shop_id, "start": start, "end": end,
                                   "first": first, "last": last}).fetchone()[0]


def campaign_pacing(conn: sqlite3.Connection, campaign: Campaign, now: datetime) -> Pacing:
    """Pacing of ``campaign`` at ``now`` (see the module docstring for the method)."""
    zone = campaign.timezone
    start = local_midnight_utc(campaign.start_day, zone)
    end = local_midnight_utc(campaign.end_day + timedelta(days=1), zone)
    now_utc = int(now.timestamp())
    window = period_window(campaign.start_day, campaign.end_day, zone, now)
    so_far = _gmv_cents(conn, campaign.shop_id, window.start_utc, window.end_utc)
    elapsed_pct = max(0.0, min(100.0, (now_utc - start) / (end - start) * 100))
    target = campaign.gmv_target_cents
    if now_utc < start:
        return _result(campaign, so_far, so_far, 0.0, elapsed_pct, (end - start) / 86400,
                       None, False, "not_started")
    if now_utc >= end:
        status = "no_target" if target is None else ("reached" if so_far >= target else "missed")
        days = max(1, campaign.length_days)
        return _result(campaign, so_far, so_far, so_far / days, 100.0, 0.0, None, False, status)
    today = today_window(now, zone)
    today_so_far = _gmv_cents(conn, campaign.shop_id, today.start_utc, today.end_utc)
    completed_days = (today.first_day - campaign.start_day).days
    completed_gmv = so_far - today_so_far
    profile = hour_profile(conn, campaign.shop_id, zone, campaign.start_day)
    hours_elapsed = (now_utc - today.start_utc) / 3600
    done = share_done(profile.shares, hours_elapsed) if profile else 0.0
    used_profile = done >= MIN_SHARE_FOR_TODAY_ESTIMATE
    if used_profile:
        today_estimate = today_so_far / done
        run_rate = (completed_gmv + today_estimate) / (completed_days + 1)
    else:
        if completed_days:
            run_rate = completed_gmv / completed_days
        elif profile:
            run_rate = profile.daily_average_cents
        else:  # no history at all: extrapolate today's hours
            run_rate = today_so_far / max(hours_elapsed / 24, 1 / 24)
        today_estimate = max(today_so_far, run_rate)
    tomorrow = local_midnight_utc(today.first_day + timedelta(days=1), zone)
    full_days_left = max(0, round((end - tomorrow) / 86400))
    projected = so_far + max(0.0, today_estimate - today_so_far) + run_rate * full_days_left
    days_left = (end - now_utc) / 86400
    status = _status(target, projected)
    if completed_days == 0 and target:
        status = _launch_day_status(conn, campaign, now, target, so_far)
    return _result(campaign, so_far, projected, run_rate, elapsed_pct, days_left,
                   today_estimate, used_profile, status)


def launch_status(target: float, so_far: float, low: float | None, high: float | None,
                  good_if: str = "above", margin: float = 1 - AT_RISK_RATIO) -> str:
    """The status of a summed metric on launch day, judged against its band ``low``..
    ``high`` (None: that end is unknown) and what is already done (``so_far``): on_track
    when even the unfavourable end meets ``target``, behind when even the favourable end
    misses it by more than ``margin`` (a share of the target), else ``too_early``."""
    target = float(target)
    low = max(float(so_far), float(low)) if low is not None else float(so_far)
    if good_if == "above":
        if low >= target:
            return "on_track"
        if high is not None and float(high) < (1 - margin) * target:
            return "behind"
        return TOO_EARLY
    if high is not None and float(high) <= target:
        return "on_track"
    if low > (1 + margin) * target:
        return "behind"
    return TOO_EARLY


def _launch_day_status(conn: sqlite3.Connection, campaign: Campaign, now: datetime,
                       target: int, so_far: int) -> str:
    band = campaign_band(conn, campaign, now)
    if band is None:  # no history to measure on: only what is done so far is known
        return launch_status(target, so_far, None, None)
    return launch_status(target, so_far, float(band.low) * 100,
                         None if band.high is None else float(band.high) * 100)


def _status(target: int | None, projected: float) -> str:
    if target is None:
        return "no_target"
    if target == 0 or projected >= target:
        return "on_track"
    return "at_risk" if projected >= AT_RISK_RATIO * target else "behind"


def _result(campaign: Campaign, so_far: int, projected: float, run_rate: float,
            elapsed_pct: float, days_left: float, today_estimate: float | None,
            used_profile: bool, status: str) -> Pacing:
    target = campaign.gmv_target_cents
    required = None
    if target is not None:
        missing = max(0, target - so_far)
        required = (cents_to_amount(missing / days_left) if days_left > 0 else
                    cents_to_amount(missing))
    return Pacing(
        gmv_target=cents_to_amount(target),
        gmv_so_far=cents_to_amount(so_far),
        progress_pct=None if not target else round(so_far / target * 100, 1),
        time_elapsed_pct=round(elapsed_pct, 1),
        projected_gmv=cents_to_amount(projected),
        required_per_day=required,
        days_left=round(days_left, 2),
        status=status,
        run_rate_per_day=cents_to_amount(run_rate),
        today_estimate=None if today_estimate is None else cents_to_amount(today_estimate),
        used_hour_profile=used_profile,
    )
