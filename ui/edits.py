"""The changes pages make to the store, one write transaction each, so pages never hold a
store connection (pages -> ui -> store). Errors from the store (``ValueError`` for a bad
value) reach the page unchanged, to be shown there.

Every write checks the session's access first (campaign_core/security/access.py: viewers
write nothing, staff only in their shops, settings are for admins) and names the session's
user in the audit log, which the store writes in the same transaction as the change.
``AccessDenied`` reaches the page like a ``ValueError``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

from campaign_core.alerts import digest_schedule, rules
from campaign_core.experiments import holdout_store
from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.stakeholder.logo import read_logo
from campaign_core.store import (
    ad_accounts,
    campaigns,
    gmv_max,
    logos,
    plans,
    read_connection,
    shop_score,
    shops,
    write_transaction,
)
from campaign_core.store.campaigns import Campaign
from campaign_core.store.shops import Shop, find_shop
from ui import access


def _shop_name(conn: sqlite3.Connection, shop_id: int | None) -> str | None:
    if shop_id is None:
        return None
    row = conn.execute("SELECT name FROM shop WHERE shop_id = :shop_id",
                       {"shop_id": shop_id}).fetchone()
    return row[0] if row else None


@contextmanager
def writing(db_path: Path, shop_id: int | None) -> Iterator[sqlite3.Connection]:
    """A write transaction for a change of one shop's data, refused (``AccessDenied``,
    nothing written) unless this session may write to that shop."""
    with access.acting() as grant, write_transaction(db_path) as conn:
        grant.require_write(_shop_name(conn, shop_id))
        yield conn


@contextmanager
def _settings(db_path: Path, what: str) -> Iterator[sqlite3.Connection]:
    with access.acting() as grant, write_transaction(db_path) as conn:
        grant.require_admin(what)
        yield conn


def import_upload(db_path: Path, path: Path, *, file_name: str, shop_name: str,
                  timezone: str, now_utc: int, dry_run: bool = False,
                  progress=None) -> ImportReport:
    """Import (or, ``dry_run``, preview) an uploaded file into ``shop_name``, if this
    session may write to that shop; a shop not in the store yet: admins only."""
    grant = access.current()
    with read_connection(db_path) as conn:
        exists = find_shop(conn, shop_name) is not None
    if exists:
        grant.require_write(shop_name)
    else:
        grant.require_admin("import into a new shop")
    with access.acting():
        return import_file(db_path, path, file_name=file_name, shop_name=shop_name,
                           timezone=timezone, dry_run=dry_run, now_utc=now_utc,
                           progress=progress)


def add_alert_rule(db_path: Path, *, kind: str, threshold: float | None, channel: str,
                   shop_id: int | None, cooldown_minutes: int) -> int:
    with _settings(db_path, "change alert rules") as conn:
        return rules.save_rule(conn, kind=kind, threshold=threshold, channel=channel,
                               shop_id=shop_id, cooldown_minutes=cooldown_minutes)


def switch_alert_rule(db_path: Path, rule: rules.AlertRule) -> None:
    """Enable a disabled rule or disable an enabled one, keeping everything else."""
    with _settings(db_path, "change alert rules") as conn:
        rules.save_rule(conn, kind=rule.kind, threshold=rule.threshold, channel=rule.channel,
                        shop_id=rule.shop_id, cooldown_minutes=rule.cooldown_minutes,
                        enabled=not rule.enabled, rule_id=rule.rule_id)


def delete_alert_rule(db_path: Path, rule_id: int) -> None:
    with _settings(db_path, "change alert rules") as conn:
        rules.delete_rule(conn, rule_id)


def save_digest_setting(db_path: Path, shop_id: int, *, send_at: str, channel: str,
                        enabled: bool) -> None:
    with _settings(db_path, "change the daily digest") as conn:
        digest_schedule.save_setting(conn, shop_id, send_at=send_at, channel=channel,
                                     enabled=enabled)


def save_campaign(db_path: Path, *, shop_id: int, name: str, start_day: date, end_day: date,
                  timezone: str | None, gmv_target_cents: int | None,
                  campaign_id: int | None) -> Campaign:
    with access.acting() as grant, write_transaction(db_path) as conn:
        grant.require_write(_shop_name(conn, shop_id))
        if campaign_id is not None:  # moving a campaign also changes the shop it leaves
            grant.require_write(_shop_name(conn, _campaign_shop(conn, campaign_id)))
        return campaigns.save_campaign(
            conn, shop_id=shop_id, name=name, start_day=start_day, end_day=end_day,
            timezone=timezone, gmv_target_cents=gmv_target_cents, campaign_id=campaign_id)


def _campaign_shop(conn: sqlite3.Connection, campaign_id: int) -> int | None:
    row = conn.execute("SELECT shop_id FROM campaign WHERE campaign_id = :id",
                       {"id": campaign_id}).fetchone()
    return row[0] if row else None


def delete_campaign(db_path: Path, campaign_id: int) -> None:
    with access.acting() as grant, write_transaction(db_path) as conn:
        grant.require_write(_shop_name(conn, _campaign_shop(conn, campaign_id)))
        campaigns.delete_campaign(conn, campaign_id)


def update_shop(db_path: Path, shop_id: int, *, name: str, timezone: str, currency: str,
                category: str | None, gmv_tier: str | None) -> Shop:
    with _settings(db_path, "change a shop's settings") as conn:
        return shops.update_shop(conn, shop_id, name=name, timezone=timezone,
                                 currency=currency, category=category, gmv_tier=gmv_tier)


def save_shop_logo(db_path: Path, shop_id: int, data: bytes) -> None:
    """Check the uploaded ``data`` (``read_logo``: a real PNG or JPEG within the limits;
    ``LogoError``, a ``ValueError``, says why not) and store it redrawn as the shop's logo."""
    logo = read_logo(data)
    with _settings(db_path, "change a shop's logo") as conn:
        logos.save_logo(conn, shop_id, logo.png)


def remove_shop_logo(db_path: Path, shop_id: int) -> None:
    with _settings(db_path, "change a shop's logo") as conn:
        logos.delete_logo(conn, shop_id)


def set_reporting_currency(db_path: Path, code: str) -> str:
    from campaign_core.store.fx_rates import set_reporting_currency as write_setting

    with _settings(db_path, "change the reporting currency") as conn:
        return write_setting(conn, code)


def set_rate_for_period(db_path: Path, currency: str, first_day: date, last_day: date,
                        per_eur: str) -> int:
    from campaign_core.store.fx_rates import set_rate_for_period as write_rates

    with _settings(db_path, "enter exchange rates") as conn:
        return write_rates(conn, currency, first_day, last_day, per_eur)


def set_campaign_shops(db_path: Path, campaign_id: int,
                       shops: list[tuple[int, int | None]]) -> None:
    """The shops a campaign spans besides its own, each with its GMV target (cents); refused
    (``AccessDenied``, nothing written) unless this session may write to every shop named."""
    from campaign_core.store.campaign_shops import set_campaign_shops as write_shops

    with access.acting() as grant, write_transaction(db_path) as conn:
        own = conn.execute("SELECT shop_id FROM campaign WHERE campaign_id = :id",
                           {"id": campaign_id}).fetchone()
        for shop_id in [own[0] if own else None] + [shop_id for shop_id, _ in shops]:
            grant.require_write(_shop_name(conn, shop_id))
        write_shops(conn, campaign_id, shops)


def record_shop_score(db_path: Path, shop_id: int, score: float) -> None:
    """A Shop Performance Score the seller read in Seller Center, recorded now."""
    with writing(db_path, shop_id) as conn:
        shop_score.record_shop_score(conn, shop_id, score, "entered by hand")


def set_ad_account_time_zone(db_path: Path, shop_id: int, account_id: str,
                             offset_minutes: int | None) -> None:
    """The ad account's UTC offset (None: read its reports in the shop's timezone)."""
    with writing(db_path, shop_id) as conn:
        ad_accounts.set_ad_account_offset(conn, shop_id, account_id, offset_minutes)


def save_plan(db_path: Path, campaign_id: int,
              targets: dict[str, tuple[Decimal | None, str]]) -> None:
    """Set each metric's (target or None to clear it, good if) in one transaction."""
    with access.acting() as grant, write_transaction(db_path) as conn:
        own = conn.execute("SELECT shop_id FROM campaign WHERE campaign_id = :id",
                           {"id": campaign_id}).fetchone()
        grant.require_write(_shop_name(conn, own[0] if own else None))
        for metric, (target, good_if) in targets.items():
            plans.set_plan_target(conn, campaign_id, metric, target, good_if)


def save_target_roi(db_path: Path, shop_id: int, account_id: str, campaign_id: str,
                    valid_from: date, target_roi: float) -> None:
    with writing(db_path, shop_id) as conn:
        gmv_max.set_target_roi(conn, shop_id, account_id, campaign_id, valid_from, target_roi)


def save_protection_credit(db_path: Path, shop_id: int, account_id: str, campaign_id: str,
                           day: str, amount_cents: int) -> None:
    with writing(db_path, shop_id) as conn:
        gmv_max.record_protection_credit(conn, shop_id, account_id, campaign_id, day,
                                         amount_cents)


def save_day_flags(db_path: Path, shop_id: int, account_id: str, campaign_id: str, day: str,
                   **flags: bool) -> None:
    with writing(db_path, shop_id) as conn:
        gmv_max.set_day_flags(conn, shop_id, account_id, campaign_id, day, **flags)


def save_holdout(db_path: Path, shop_id: int, name: str, start_day: date, end_day: date,
                 assignment: dict[str, str], seed: int, lift_cents: float) -> None:
    with writing(db_path, shop_id) as conn:
        holdout_store.save_holdout(conn, shop_id, name, "products", start_day, end_day,
                                   assignment, seed, lift_cents)
