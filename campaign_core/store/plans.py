"""Stored plan targets of a campaign: one row per (campaign, metric) beyond GMV.

GMV's target is ``campaign.gmv_target_cents`` (``store.campaigns``), never a row here.
Which metrics may be planned, and in which unit, is ``forecast.plan``'s business: this
module keeps the rows as given (money in integer hundredths, anything else as a number).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal

from campaign_core.plan_targets import GOOD_IF, PLAN_METRICS, PlanTarget, plan_metric
from campaign_core.store import audit
from campaign_core.store.campaigns import Campaign, set_gmv_target


@dataclass(frozen=True)
class PlanRow:
    metric: str
    target_cents: int | None  # money targets
    target_value: float | None  # every other target, in the metric's unit
    good_if: str  # above / below


def plan_rows(conn: sqlite3.Connection, campaign_id: int) -> list[PlanRow]:
    """The campaign's stored targets, by metric name."""
    rows = conn.execute(
        "SELECT metric, target_cents, target_value, good_if FROM campaign_plan_target "
        "WHERE campaign_id = :campaign_id ORDER BY metric", {"campaign_id": campaign_id})
    return [PlanRow(row[0], row[1], row[2], row[3]) for row in rows.fetchall()]


def save_plan_row(conn: sqlite3.Connection, campaign_id: int, row: PlanRow) -> None:
    """Insert or replace one target; call inside a write transaction. Raises ``ValueError``
    for a direction other than above / below or a row with both or neither value."""
    if row.good_if not in GOOD_IF:
        raise ValueError(f"'Good if' must be above or below, not {row.good_if!r}.")
    if (row.target_cents is None) == (row.target_value is None):
        raise ValueError(f"The target of {row.metric} needs exactly one value.")
    conn.execute(
        "INSERT INTO campaign_plan_target (campaign_id, metric, target_cents, target_value, "
        "good_if) VALUES (:campaign_id, :metric, :cents, :value, :good_if) "
        "ON CONFLICT (campaign_id, metric) DO UPDATE SET target_cents = excluded.target_cents, "
        "target_value = excluded.target_value, good_if = excluded.good_if",
        {"campaign_id": campaign_id, "metric": row.metric, "cents": row.target_cents,
         "value": row.target_value, "good_if": row.good_if})


def delete_plan_row(conn: sqlite3.Connection, campaign_id: int, metric: str) -> None:
    conn.execute("DELETE FROM campaign_plan_target WHERE campaign_id = :campaign_id "
                 "AND metric = :metric", {"campaign_id": campaign_id, "metric": metric})


def campaign_plan(conn: sqlite3.Connection, campaign: Campaign) -> list[PlanTarget]:
    """The campaign's targets in the plan's order (GMV first, from the campaign itself);
    metrics without a target are left out."""
    stored = {row.metric: row for row in plan_rows(conn, campaign.campaign_id)}
    targets = []
    for entry in PLAN_METRICS:
        if entry.name == "gmv":
            if campaign.gmv_target_cents is not None:
                targets.append(PlanTarget("gmv", Decimal(campaign.gmv_target_cents) / 100,
                                          "above"))
            continue
        row = stored.get(entry.name)
        if row is None:
            continue
        value = (Decimal(row.target_cents) / 100 if row.target_cents is not None
                 else Decimal(str(row.target_value)))
        targets.append(PlanTarget(entry.name, value, row.good_if))
    return targets


def set_plan_target(conn: sqlite3.Connection, campaign_id: int, metric: str,
                    target: Decimal | None, good_if: str = "above") -> None:
    """Set (or clear, with None) one target of the campaign's plan; call inside a write
    transaction. GMV's target is the campaign's own GMV target, always good above.
    Raises ``ValueError`` for an unknown metric, a negative target, GMV "below", or an
    unknown direction."""
    entry = plan_metric(metric)
    if target is not None and target < 0:
        raise ValueError(f"The target of {entry.name} cannot be negative.")
    if entry.name == "gmv":
        if good_if != "above":
            raise ValueError("GMV is planned as a floor: its target is good above.")
        set_gmv_target(conn, campaign_id, None if target is None
                       else int((target * 100).to_integral_value()))
        return
    row = conn.execute("SELECT shop_id, name FROM campaign WHERE campaign_id = :id",
                       {"id": campaign_id}).fetchone()
    if row is not None:  # who changed the plan (store/audit.py), in the same transaction
        audit.record(conn, "target", row[0], row[1],
                     f"plan {entry.name} " + ("cleared" if target is None
                                              else f"set to {target} (good if {good_if})"))
    if target is None:
        delete_plan_row(conn, campaign_id, entry.name)
        return
    cents = int((target * 100).to_integral_value()) if entry.is_money else None
    save_plan_row(conn, campaign_id, PlanRow(
        entry.name, cents, None if entry.is_money else float(target), good_if))
