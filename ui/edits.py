"""The changes the Alerts and Campaigns pages make to the store, one write transaction each,
so pages never hold a store connection (pages -> ui -> store). Errors from the store
(``ValueError`` for a bad value) reach the page unchanged, to be shown there."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from campaign_core.alerts import digest_schedule, rules
from campaign_core.experiments import holdout_store
from campaign_core.store import campaigns, gmv_max, shops, write_transaction
from campaign_core.store.campaigns import Campaign
from campaign_core.store.shops import Shop


def add_alert_rule(db_path: Path, *, kind: str, threshold: float | None, channel: str,
                   shop_id: int | None, cooldown_minutes: int) -> int:
    with write_transaction(db_path) as conn:
        return rules.save_rule(conn, kind=kind, threshold=threshold, channel=channel,
                               shop_id=shop_id, cooldown_minutes=cooldown_minutes)


def switch_alert_rule(db_path: Path, rule: rules.AlertRule) -> None:
    """Enable a disabled rule or disable an enabled one, keeping everything else."""
    with write_transaction(db_path) as conn:
        rules.save_rule(conn, kind=rule.kind, threshold=rule.threshold, channel=rule.channel,
                        shop_id=rule.shop_id, cooldown_minutes=rule.cooldown_minutes,
                        enabled=not rule.enabled, rule_id=rule.rule_id)


def delete_alert_rule(db_path: Path, rule_id: int) -> None:
    with write_transaction(db_path) as conn:
        rules.delete_rule(conn, rule_id)


def save_digest_setting(db_path: Path, shop_id: int, *, send_at: str, channel: str,
                        enabled: bool) -> None:
    with write_transaction(db_path) as conn:
        digest_schedule.save_setting(conn, shop_id, send_at=send_at, channel=channel,
                                     enabled=enabled)


def save_campaign(db_path: Path, *, shop_id: int, name: str, start_day: date, end_day: date,
                  timezone: str | None, gmv_target_cents: int | None,
                  campaign_id: int | None) -> Campaign:
    with write_transaction(db_path) as conn:
        return campaigns.save_campaign(
            conn, shop_id=shop_id, name=name, start_day=start_day, end_day=end_day,
            timezone=timezone, gmv_target_cents=gmv_target_cents, campaign_id=campaign_id)


def delete_campaign(db_path: Path, campaign_id: int) -> None:
    with write_transaction(db_path) as conn:
        campaigns.delete_campaign(conn, campaign_id)


def update_shop(db_path: Path, shop_id: int, *, name: str, timezone: str, currency: str,
                category: str | None, gmv_tier: str | None) -> Shop:
    with write_transaction(db_path) as conn:
        return shops.update_shop(conn, shop_id, name=name, timezone=timezone,
                                 currency=currency, category=category, gmv_tier=gmv_tier)


def save_target_roi(db_path: Path, shop_id: int, account_id: str, campaign_id: str,
                    valid_from: date, target_roi: float) -> None:
    with write_transaction(db_path) as conn:
        gmv_max.set_target_roi(conn, shop_id, account_id, campaign_id, valid_from, target_roi)


def save_protection_credit(db_path: Path, shop_id: int, account_id: str, campaign_id: str,
                           day: str, amount_cents: int) -> None:
    with write_transaction(db_path) as conn:
        gmv_max.record_protection_credit(conn, shop_id, account_id, campaign_id, day,
                                         amount_cents)


def save_day_flags(db_path: Path, shop_id: int, account_id: str, campaign_id: str, day: str,
                   **flags: bool) -> None:
    with write_transaction(db_path) as conn:
        gmv_max.set_day_flags(conn, shop_id, account_id, campaign_id, day, **flags)


def save_holdout(db_path: Path, shop_id: int, name: str, start_day: date, end_day: date,
                 assignment: dict[str, str], seed: int, lift_cents: float) -> None:
    with write_transaction(db_path) as conn:
        holdout_store.save_holdout(conn, shop_id, name, "products", start_day, end_day,
                                   assignment, seed, lift_cents)
