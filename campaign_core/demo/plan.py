"""The demo campaign's plan: a few targets beyond GMV, so the plan strip has something to
show, chosen so that on the demo's day 7 some are on track, some at risk, one behind."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from campaign_core.store.plans import set_plan_target

DEMO_PLAN: tuple[tuple[str, Decimal, str], ...] = (
    ("contribution_margin_pct", Decimal(40), "above"),
    ("roas", Decimal(3), "above"),
    ("conversion", Decimal("3.4"), "above"),
    ("ctr", Decimal(4), "above"),
    ("new_buyers", Decimal(8000), "above"),
    ("creator_videos", Decimal(90), "above"),
)


def set_demo_plan(conn: sqlite3.Connection, campaign_id: int) -> None:
    """Store ``DEMO_PLAN`` for the demo campaign (inside the caller's write transaction)."""
    for metric, target, good_if in DEMO_PLAN:
        set_plan_target(conn, campaign_id, metric, target, good_if)
