"""Evaluate the enabled rules, hold back repeats within the cool-down, deliver, log.

Called after each import or sync and on the watcher's schedule. Each firing is keyed
(a product, a campaign, an hour, an import); a (rule, key) delivered less than the rule's
cool-down ago is not sent again, and an import failure is told once. Delivery happens
outside the store's write lock (a slow mail server must not hold imports up); the events
are then written to ``alert_event``, the alert log, in one transaction.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from campaign_core.alerts import checks, plan_rule
from campaign_core.alerts.delivery import Channels, deliver
from campaign_core.alerts.rules import RULE_KINDS, AlertRule, list_rules, rule_created_utc
from campaign_core.alerts.shop_score_check import shop_score_near
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.shops import list_shops

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertEvent:
    rule_id: int
    shop_id: int | None
    key: str
    fired_utc: int
    severity: str
    message: str
    channel: str
    delivered: bool
    error: str | None


Sender = Callable[[Channels, str, str, str], str | None]  # -> error text or None


def evaluate_alerts(db_path: Path | str, now: datetime | None = None, *,
                    channels: Channels | None = None, sender: Sender | None = None
                    ) -> list[AlertEvent]:
    """Evaluate every enabled rule at ``now`` (default: the clock); deliver what passes
    the cool-down through ``channels`` and log it. Returns the new events.
    A check that fails (a bug, a store mid-migration) is logged as an event of its rule
    rather than stopping the others."""
    now = now or datetime.now(UTC)
    now_utc = int(now.timestamp())
    channels = channels or Channels()
    sender = sender or (lambda ch, channel, subject, text: deliver(ch, channel, subject, text))
    with read_connection(db_path) as conn:
        pending = list(_pending(conn, now, now_utc))
    events = []
    for rule, shop_id, shop_name, firing in pending:
        subject = f"[{shop_name}] {rule.label}" if shop_name else rule.label
        error = None if rule.channel == "log" else sender(channels, rule.channel, subject,
                                                          firing.message)
        events.append(AlertEvent(rule.rule_id, shop_id, firing.key, now_utc, firing.severity,
                                 firing.message, rule.channel,
                                 rule.channel != "log" and error is None, error))
    if events:
        with write_transaction(db_path) as conn:
            conn.executemany(
                "INSERT INTO alert_event (rule_id, shop_id, alert_key, fired_utc, severity, "
                "message, channel, delivered, error) VALUES (:rule_id, :shop_id, :key, "
                ":fired_utc, :severity, :message, :channel, :delivered, :error)",
                [{**vars(e), "delivered": int(e.delivered)} for e in events])
    return events


def _pending(conn: sqlite3.Connection, now: datetime, now_utc: int):
    shops = {s.shop_id: s for s in list_shops(conn)}
    for rule in list_rules(conn, enabled_only=True):
        targets = [rule.shop_id] if rule.shop_id is not None else list(shops)
        for shop_id in targets:
            shop = shops.get(shop_id)
            try:
                firings = _check(conn, rule, shop_id, now, now_utc)
            except (sqlite3.Error, ArithmeticError, ValueError) as error:
                firings = [checks.Firing(f"check-error:{type(error).__name__}", "error",
                                         f"The {rule.label} check failed: {error}")]
            for firing in firings:
                if not _in_cooldown(conn, rule, firing.key, now_utc):
                    yield rule, shop_id, shop.name if shop else None, firing


def _check(conn: sqlite3.Connection, rule: AlertRule, shop_id: int, now: datetime,
           now_utc: int) -> list[checks.Firing]:
    if rule.kind == "import_failed":
        return checks.import_failed(conn, shop_id, now_utc, rule_created_utc(conn, rule.rule_id))
    if rule.kind == "shop_score_near":  # a shop's standing, with or without a campaign
        shop = conn.execute("SELECT timezone FROM shop WHERE shop_id = :shop_id",
                            {"shop_id": shop_id}).fetchone()
        return shop_score_near(conn, shop_id, shop[0], rule.threshold) if shop else []
    campaign = checks.current_campaign(conn, shop_id, now)
    if campaign is None:
        return []
    check = {"pacing_below": checks.pacing_below, "stock_sellout": checks.stock_sellout,
             "creator_overdue": checks.creator_overdue, "roas_below": checks.roas_below,
             "gmv_hour_below": checks.gmv_hour_below,
             "plan_behind": plan_rule.plan_behind}[rule.kind]
    return check(conn, campaign, now, rule.threshold)


def _in_cooldown(conn: sqlite3.Connection, rule: AlertRule, key: str, now_utc: int) -> bool:
    last = conn.execute(
        "SELECT MAX(fired_utc) FROM alert_event WHERE rule_id = :rule_id AND alert_key = :key",
        {"rule_id": rule.rule_id, "key": key}).fetchone()[0]
    if last is None:
        return False
    if RULE_KINDS[rule.kind].once_per_key:
        return True
    return now_utc - last < rule.cooldown_minutes * 60


def alert_log(conn: sqlite3.Connection, limit: int = 200) -> list[dict]:
    """The newest alert events first, with their rule's kind."""
    rows = conn.execute(
        "SELECT e.event_id, e.fired_utc, e.rule_id, e.shop_id, r.kind, e.severity, e.message, "
        "e.channel, "
        "e.delivered, e.error FROM alert_event e LEFT JOIN alert_rule r USING (rule_id) "
        "ORDER BY e.event_id DESC LIMIT :limit", {"limit": limit}).fetchall()
    return [dict(row) for row in rows]


def evaluate_after_change(db_path: Path | str, channels: Channels | None = None,
                          now: datetime | None = None) -> list[AlertEvent]:
    """``evaluate_alerts`` after an import or a sync: never raises (an alert problem must
    not turn a good import into a failed one); a failure is logged and yields nothing."""
    try:
        return evaluate_alerts(db_path, now, channels=channels)
    except Exception:
        _LOG.exception("Evaluating alerts after a data change failed")
        return []
