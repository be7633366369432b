"""Alert rules: which condition, the threshold the user set, where to send, the cool-down.

Rules belong to a shop and watch its current campaign (the one running now, else the
latest that has started). The kinds, with what their threshold means:
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

CHANNELS = ("log", "slack", "email", "slack+email")
DEFAULT_COOLDOWN_MINUTES = 60


@dataclass(frozen=True)
class RuleKind:
    name: str
    label: str
    threshold_label: str  # what the number means, shown beside the input
    default_threshold: float
    definition: str
    once_per_key: bool = False  # an event (a failed import) is told once, never repeated


RULE_KINDS: dict[str, RuleKind] = {kind.name: kind for kind in (
    RuleKind("pacing_below", "Pacing below target", "% below target", 10,
             "The campaign's projected GMV (see Pacing) is more than X% below its GMV "
             "target."),
    RuleKind("stock_sellout", "Product selling out", "days of cover", 3,
             "A product is out of stock, or its days of cover (see Days of cover) are "
             "fewer than N."),
    RuleKind("creator_overdue", "Creator deliverable overdue", "days overdue", 0,
             "A creator's content is more than N days past its due day (the deal's due day, "
             "else sample delivered + 14 days, + 7 when extended) and not posted."),
    RuleKind("roas_below", "ROAS below", "ROAS", 2,
             "Ads ROAS (ad gross revenue / ad cost) of today so far, else yesterday, from "
             "the Ads Manager reports, is below X."),
    RuleKind("gmv_hour_below", "GMV this hour below baseline", "% below", 30,
             "GMV of the current hour so far is more than X% below GMV of the same minutes "
             "of the baseline day (the day before). Checked from 10 minutes into the hour, "
             "when the baseline hour had GMV."),
    RuleKind("shop_score_near", "Shop Performance Score near the campaign threshold",
             "points above the threshold", 0.2,
             "The shop's latest Shop Performance Score is less than X points above the score "
             "campaigns accept (US: 3.5; a shop must keep 2.5 to stay in one), or below it."),
    RuleKind("plan_behind", "Planned metric behind plan", "% off target", 10,
             "A metric of the campaign plan (margin, ROAS, conversion, CTR, new buyers, "
             "content supply; GMV too) is more than X% on the wrong side of its target: the "
             "projection at the end for a sum, the period so far for a ratio (see the "
             "plan's pacing). The alert names the metric."),
    RuleKind("import_failed", "Import or sync failed", "(no threshold)", 0,
             "A file import (upload, inbox, command line) was rejected, or an Open API sync "
             "failed.", once_per_key=True),
)}


@dataclass(frozen=True)
class AlertRule:
    rule_id: int
    shop_id: int | None
    kind: str
    threshold: float
    channel: str
    cooldown_minutes: int
    enabled: bool

    @property
    def label(self) -> str:
        return RULE_KINDS[self.kind].label


def list_rules(conn: sqlite3.Connection, *, enabled_only: bool = False) -> list[AlertRule]:
    sql = ("SELECT rule_id, shop_id, kind, threshold, channel, cooldown_minutes, enabled "
           "FROM alert_rule" + (" WHERE enabled = 1" if enabled_only else "")
           + " ORDER BY rule_id")
    return [AlertRule(r[0], r[1], r[2], float(r[3] or 0), r[4],
                      int(r[5] if r[5] is not None else DEFAULT_COOLDOWN_MINUTES), bool(r[6]))
            for r in conn.execute(sql).fetchall() if r[2] in RULE_KINDS]


def save_rule(conn: sqlite3.Connection, *, kind: str, threshold: float | None = None,
              channel: str = "log", shop_id: int | None = None,
              cooldown_minutes: int = DEFAULT_COOLDOWN_MINUTES, enabled: bool = True,
              rule_id: int | None = None) -> int:
    """Create a rule (or replace ``rule_id``); returns its ID. Raises ``ValueError`` for an
    unknown kind or channel, or a negative threshold or cool-down."""
    if kind not in RULE_KINDS:
        raise ValueError(f"Unknown alert kind {kind!r}; kinds: {', '.join(RULE_KINDS)}")
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}; channels: {', '.join(CHANNELS)}")
    threshold = RULE_KINDS[kind].default_threshold if threshold is None else float(threshold)
    if threshold < 0 or cooldown_minutes < 0:
        raise ValueError("Thresholds and cool-downs cannot be negative.")
    row = {"rule_id": rule_id, "shop_id": shop_id, "kind": kind, "threshold": threshold,
           "channel": channel, "cooldown": int(cooldown_minutes), "enabled": int(enabled),
           "created": int(time.time())}
    if rule_id is None:
        return conn.execute(
            "INSERT INTO alert_rule (shop_id, kind, threshold, channel, cooldown_minutes, "
            "enabled, created_utc) VALUES (:shop_id, :kind, :threshold, :channel, :cooldown, "
            ":enabled, :created)", row).lastrowid
    conn.execute("UPDATE alert_rule SET shop_id = :shop_id, kind = :kind, "
                 "threshold = :threshold, channel = :channel, cooldown_minutes = :cooldown, "
                 "enabled = :enabled WHERE rule_id = :rule_id", row)
    return rule_id


def delete_rule(conn: sqlite3.Connection, rule_id: int) -> None:
    conn.execute("DELETE FROM alert_rule WHERE rule_id = :rule_id", {"rule_id": rule_id})


def rule_created_utc(conn: sqlite3.Connection, rule_id: int) -> int:
    row = conn.execute("SELECT created_utc FROM alert_rule WHERE rule_id = :rule_id",
                       {"rule_id": rule_id}).fetchone()
    return int(row[0] or 0) if row else 0


if __doc__:  # None under python -OO
    __doc__ += "\n".join(f"- {k.name} ({k.threshold_label}): {k.definition}"
                         for k in RULE_KINDS.values())
