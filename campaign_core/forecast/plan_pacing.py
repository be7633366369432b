"""Pacing of every planned metric: so far, projected at the end, needed per day, status.

- **GMV** is paced as the target strip paces it (``forecast.pacing``).
- **Sums** (contribution margin, new buyers, content counts) count over the campaign so
  far. Sales-driven sums (margin, new buyers) are projected with GMV's projection: so far x
  projected GMV / GMV so far (the rest of the campaign is assumed to bring the same margin
  and new buyers per unit of GMV as so far). Content counts are projected in proportion to
  time: so far + (so far / days elapsed) x days left, with at least one day elapsed, so the
  first hours of day 1 are not extrapolated to a whole campaign. Needed per day = (target -
  so far) / days left: for "good if above" what each remaining day must add (0 once
  reached), for "good if below" the most each remaining day may add.
- **Ratios** (ROAS, CTR, conversion, margin %) are judged on the period so far (their
  numerator and denominator summed over it), never summed or projected: the projection
  and the needed per day are left empty.

Status, judged on the projection (sums) or the period so far (ratios): on track when it
meets the target on the good side; at risk within 10% of the target (above: at least 90%
of it; below: at most 110%); behind otherwise. Before the start: not started; after the
end: reached or missed, judged on the final value. A metric whose data is missing (no ad
reports for ROAS, no traffic for CTR...) has the status no data.

The band: GMV's projection band (``forecast.band``, 80%) gives GMV a likely range; margin
and new buyers, projected with GMV, take it in proportion (so far x band end / GMV so far);
content counts have none. On launch day, before a full campaign day exists, a sum is judged
against that range, not its one-figure projection (``forecast.pacing.launch_status``): on
track when even the unfavourable end meets the target, behind when even the favourable end
misses it by more than 10%, else too early to tell (content counts: their range is "what
is posted so far" upwards).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from campaign_core.forecast.band import BAND_LEVEL, ProjectionBand, campaign_band
from campaign_core.forecast.pacing import Pacing, campaign_pacing, launch_status
from campaign_core.forecast.plan_actuals import plan_actuals
from campaign_core.formatting import value_text
from campaign_core.metrics.catalog import CATALOG, Format
from campaign_core.plan_targets import RATIO, WITH_SALES, PlanTarget, plan_metric
from campaign_core.store.campaigns import Campaign
from campaign_core.store.plans import campaign_plan
from campaign_core.windows import local_midnight_utc, period_window

AT_RISK_MARGIN = 0.1
PLAN_PACING_DEFINITION = __doc__.strip()
NOT_STARTED, RUNNING, ENDED = "not_started", "running", "ended"

Number = Decimal | float | int


@dataclass(frozen=True)
class PlanPacing:
    metric: str
    label: str
    format: Format
    kind: str  # sum / ratio
    good_if: str  # above / below
    target: Number
    actual: Number | None  # so far; None: no data
    projected: Number | None  # sums only
    needed_per_day: Number | None  # sums only, while the campaign runs
    # on_track / at_risk / behind / reached / missed / not_started / no_data / too_early
    status: str
    estimated: bool = False
    projected_low: Number | None = None  # the band (BAND_LEVEL) of a sum; None: unknown
    projected_high: Number | None = None

    @property
    def colour(self) -> str:
        return {"on_track": "green", "reached": "green", "at_risk": "orange",
                "behind": "red", "missed": "red"}.get(self.status, "gray")

    @property
    def off_target_pct(self) -> float | None:
        """How far the judged value (projection, or so far for a ratio) is on the wrong
        side of the target, in % of the target; 0 when on the good side."""
        value = self.actual if self.kind == RATIO or self.projected is None else self.projected
        if value is None or not self.target:
            return None
        gap = (float(self.target) - float(value)) if self.good_if == "above" \
            else (float(value) - float(self.target))
        return max(0.0, gap / float(self.target) * 100)


def judge(value: Number, target: Number, good_if: str) -> str:
    """on_track / at_risk / behind of ``value`` against ``target`` (see the module doc)."""
    value, target = float(value), float(target)
    if good_if == "above":
        if value >= target:
            return "on_track"
        return "at_risk" if value >= (1 - AT_RISK_MARGIN) * target else "behind"
    if value <= target:
        return "on_track"
    return "at_risk" if value <= (1 + AT_RISK_MARGIN) * target else "behind"


def final_status(value: Number, target: Number, good_if: str) -> str:
    """reached / missed of a finished campaign's ``value``."""
    met = float(value) >= float(target) if good_if == "above" else \
        float(value) <= float(target)
    return "reached" if met else "missed"


def pace_sum(target: Number, good_if: str, so_far: Number, projected: Number,
             days_left: float, phase: str) -> tuple[str, float | None]:
    """(status, needed per remaining day) of a summed metric."""
    if phase == ENDED:
        return final_status(so_far, target, good_if), None
    remaining = max(0.0, float(target) - float(so_far))
    needed = remaining / days_left if days_left > 0 else remaining
    if phase == NOT_STARTED:
        return NOT_STARTED, needed
    return judge(projected, target, good_if), needed


def pace_ratio(target: Number, good_if: str, so_far: Number | None, phase: str) -> str:
    """The status of a ratio metric, judged on its value over the period so far."""
    if phase == NOT_STARTED:
        return NOT_STARTED
    if so_far is None:
        return "no_data"
    if phase == ENDED:
        return final_status(so_far, target, good_if)
    return judge(so_far, target, good_if)


def project_with_time(so_far: Number, days_elapsed: float, days_left: float) -> float:
    """So far + (so far / days elapsed, at least 1) x days left."""
    return float(so_far) + float(so_far) / max(1.0, days_elapsed) * max(0.0, days_left)


def project_with_sales(so_far: Number, gmv_so_far: Number, projected_gmv: Number) -> float:
    """So far x projected GMV / GMV so far; so far alone while there is no GMV."""
    if not gmv_so_far:
        return float(so_far)
    return float(so_far) * float(projected_gmv) / float(gmv_so_far)


def plan_pacing(conn: sqlite3.Connection, campaign: Campaign, now: datetime,
                targets: list[PlanTarget] | None = None,
                gmv_pacing: Pacing | None = None,
                band: ProjectionBand | None | bool = True) -> list[PlanPacing]:
    """Pacing of each of ``targets`` (default: the campaign's stored plan) at ``now``, in
    the plan's order. ``gmv_pacing`` saves a second GMV pacing when the caller has one,
    ``band`` a second GMV band (True: compute it; None: there is none).
    Raises ``sqlite3.Error`` on a store that lacks a section's tables."""
    targets = campaign_plan(conn, campaign) if targets is None else targets
    if not targets:
        return []
    gmv = gmv_pacing or campaign_pacing(conn, campaign, now)
    if band is True:
        band = campaign_band(conn, campaign, now)
    zone = campaign.timezone
    start = local_midnight_utc(campaign.start_day, zone)
    end = local_midnight_utc(campaign.end_day + timedelta(days=1), zone)
    now_utc = int(now.timestamp())
    phase = NOT_STARTED if now_utc < start else ENDED if now_utc >= end else RUNNING
    days_elapsed = max(0.0, (min(now_utc, end) - start) / 86400)
    days_left = max(0.0, (end - max(now_utc, start)) / 86400)
    window = period_window(campaign.start_day, campaign.end_day, zone, now)
    actuals = plan_actuals(conn, campaign, window,
                           [t.metric for t in targets if t.metric != "gmv"])
    launch = (phase == RUNNING
              and now.astimezone(ZoneInfo(zone)).date() == campaign.start_day)
    band = band if isinstance(band, ProjectionBand) else None
    result = []
    for target in targets:
        if target.metric == "gmv":
            result.append(_gmv_row(target, gmv, phase, days_left, band, launch))
            continue
        result.append(_row(target, actuals.get(target.metric), gmv, phase, days_elapsed,
                           days_left, band, launch))
    return result


def _gmv_row(target: PlanTarget, gmv: Pacing, phase: str, days_left: float,
             band: ProjectionBand | None, launch: bool) -> PlanPacing:
    """GMV so far and projected as the target strip has them (``forecast.pacing``)."""
    entry = CATALOG["gmv"]
    status, needed = pace_sum(target.target, "above", gmv.gmv_so_far, gmv.projected_gmv,
                              days_left, phase)
    low, high = (band.low, band.high) if band is not None else (None, None)
    if launch:
        status = launch_status(target.target, gmv.gmv_so_far, low, high)
    return PlanPacing("gmv", entry.label, entry.format, "sum", "above", target.target,
                      gmv.gmv_so_far, gmv.projected_gmv, needed, status,
                      projected_low=low, projected_high=high)


def sales_band(so_far: Number, gmv_so_far: Number,
               band: ProjectionBand | None) -> tuple[float | None, float | None]:
    """A sales-driven sum's band: so far x each end of GMV's band / GMV so far (None
    without a band, GMV so far, or that end)."""
    if band is None or not gmv_so_far:
        return None, None
    scale = float(so_far) / float(gmv_so_far)
    return (float(band.low) * scale,
            None if band.high is None else float(band.high) * scale)


def _row(target: PlanTarget, actual: Number | None, gmv: Pacing, phase: str,
         days_elapsed: float, days_left: float, band: ProjectionBand | None = None,
         launch: bool = False) -> PlanPacing:
    spec = plan_metric(target.metric)
    entry = CATALOG[spec.name]
    common = {"metric": spec.name, "label": entry.label, "format": entry.format,
              "kind": spec.kind, "good_if": target.good_if, "target": target.target,
              "estimated": entry.estimated}
    if spec.kind == RATIO:
        return PlanPacing(**common, actual=actual, projected=None, needed_per_day=None,
                          status=pace_ratio(target.target, target.good_if, actual, phase))
    if actual is None:
        return PlanPacing(**common, actual=None, projected=None, needed_per_day=None,
                          status=NOT_STARTED if phase == NOT_STARTED else "no_data")
    if phase != RUNNING:
        projected: float = float(actual)
    elif spec.projection == WITH_SALES:
        projected = project_with_sales(actual, gmv.gmv_so_far, gmv.projected_gmv)
    else:
        projected = project_with_time(actual, days_elapsed, days_left)
    status, needed = pace_sum(target.target, target.good_if, actual, projected, days_left,
                              phase)
    low = high = None
    if phase == RUNNING and spec.projection == WITH_SALES:
        low, high = sales_band(actual, gmv.gmv_so_far, band)
    if launch:  # counts only grow: what is posted so far is the low end
        status = launch_status(target.target, actual, low, high, target.good_if)
    return PlanPacing(**common, actual=actual, projected=projected, needed_per_day=needed,
                      status=status, projected_low=low, projected_high=high)


def _rounded(value: Number | None, money_digits: int | None) -> float | int | None:
    if value is None:
        return None
    if money_digits is not None:
        step = Decimal(1).scaleb(-money_digits)
        amount = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
        return int(amount) if money_digits == 0 else float(amount)
    if isinstance(value, int):
        return value
    return round(float(value), 4)


def plan_report(pacings: list[PlanPacing], minor_units: int = 2) -> list[dict]:
    """The report's ``plan``: per planned metric ``metric, label, good_if, target, actual,
    projected, status, needed_per_day``, and the band ``projected_low, projected_high,
    band_level`` (null when unknown) (money rounded half up to the currency's
    ``minor_units``; other numbers to 4 decimals; ratios have no projection or need)."""
    rows = []
    for pace in pacings:
        digits = minor_units if pace.format is Format.MONEY else None
        rows.append({"metric": pace.metric, "label": pace.label, "kind": pace.kind,
                     "good_if": pace.good_if, "target": _rounded(pace.target, digits),
                     "actual": _rounded(pace.actual, digits),
                     "projected": _rounded(pace.projected, digits),
                     "status": pace.status,
                     "needed_per_day": _rounded(pace.needed_per_day, digits),
                     "projected_low": _rounded(pace.projected_low, digits),
                     "projected_high": _rounded(pace.projected_high, digits),
                     "band_level": (BAND_LEVEL if pace.projected_low is not None
                                    or pace.projected_high is not None else None)})
    return rows


def plan_line(row: dict, currency: str) -> str:
    """One ``plan_report`` row as a line of the text report: "  Plan ROAS: 2.52 so far,
    target >= 3.00, behind"."""
    kind = CATALOG[row["metric"]].format
    sign = ">=" if row["good_if"] == "above" else "<="
    parts = [f"{value_text(kind, row['actual'], currency)} so far"]
    if row["projected"] is not None:
        parts.append(f"projected {value_text(kind, row['projected'], currency)}")
    parts.append(f"target {sign} {value_text(kind, row['target'], currency)}")
    status = row["status"].replace("_", " ")
    return f"  Plan {row['label']}: {', '.join(parts)}, {status}"
