"""The alert rule "planned metric behind plan": one firing per planned metric of the running
campaign whose judged value (the projection of a sum, the period so far of a ratio; see
``forecast.plan_pacing``) is more than the threshold % on the wrong side of its target."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from campaign_core.alerts.checks import Firing
from campaign_core.forecast.plan_pacing import PlanPacing, plan_pacing
from campaign_core.formatting import value_text
from campaign_core.plan_targets import RATIO
from campaign_core.store.campaigns import Campaign

# Statuses a rule can act on: a campaign not started, over, or without data has nothing
# left to steer.
_RUNNING = ("on_track", "at_risk", "behind")


def plan_behind(conn: sqlite3.Connection, campaign: Campaign, now: datetime,
                threshold_pct: float) -> list[Firing]:
    """Firings keyed ``plan:<campaign id>:<metric>`` for the metrics behind plan."""
    firings = []
    for pace in plan_pacing(conn, campaign, now):
        off = pace.off_target_pct
        if pace.status not in _RUNNING or off is None or off <= threshold_pct:
            continue
        severity = "error" if pace.status == "behind" else "warning"
        firings.append(Firing(f"plan:{campaign.campaign_id}:{pace.metric}", severity,
                              plan_message(campaign, pace, off)))
    return firings


def plan_message(campaign: Campaign, pace: PlanPacing, off_pct: float) -> str:
    """"Sale: ROAS is 2.52 so far, 37% below the plan's 4.00." (a sum: its projection and
    what each remaining day needs)."""
    def shown(value: object) -> str:
        return value_text(pace.format, value, campaign.currency)

    side = "below" if pace.good_if == "above" else "above"
    if pace.kind == RATIO:
        return (f"{campaign.name}: {pace.label} is {shown(pace.actual)} so far, "
                f"{off_pct:.0f}% {side} the plan's {shown(pace.target)}.")
    need = "needed" if pace.good_if == "above" else "at most"
    return (f"{campaign.name}: {pace.label} is projected at {shown(pace.projected)} "
            f"({shown(pace.actual)} so far), {off_pct:.0f}% {side} the plan's "
            f"{shown(pace.target)}; {shown(pace.needed_per_day)} per day {need} from now on.")
