"""The ``shop_score_near`` alert: the shop's latest Shop Performance Score is close to,
or below, its market's campaign thresholds (``metrics/shop_score.py``), before a breach
takes the shop out of campaigns."""

from __future__ import annotations

import sqlite3

from campaign_core.alerts.checks import Firing
from campaign_core.metrics.shop_score import latest_shop_score


def shop_score_near(conn: sqlite3.Connection, shop_id: int, timezone: str,
                    margin: float) -> list[Firing]:
    """A warning when the score is less than ``margin`` points above the score campaigns
    accept; an error below it, and below the score to stay in a campaign."""
    try:
        reading = latest_shop_score(conn, shop_id, timezone)
    except sqlite3.OperationalError:  # a store without the table
        return []
    if reading is None:
        return []
    status = reading.status(margin)
    if status in ("ok", "no_threshold"):
        return []
    score = f"{reading.score:.2f}"
    if status == "near":
        return [Firing("shop_score:near", "warning",
                       f"Shop Performance Score {score} is within {margin:g} of "
                       f"{reading.register_at:g}, the score campaigns accept: a small drop "
                       "closes campaign registration.")]
    if status == "below_registration":
        return [Firing("shop_score:below_registration", "error",
                       f"Shop Performance Score {score} is below {reading.register_at:g}: "
                       "the shop cannot register for new campaigns; below "
                       f"{reading.stay_at:g} it leaves the ones it is in.")]
    return [Firing("shop_score:below_stay", "error",
                   f"Shop Performance Score {score} is below {reading.stay_at:g}, the score "
                   "needed to stay in a campaign.")]
