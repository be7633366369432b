"""What the seller enters for GMV Max economics: target ROIs, the days TikTok's ROI
Protection rules leave out, and the credits received. Each function runs inside the
caller's write transaction and raises ``ValueError`` for a value it cannot store."""

from __future__ import annotations

import sqlite3
import time
from datetime import date


def _day(value: str | date) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"day {value!r}: write it as YYYY-MM-DD") from None


def set_target_roi(conn: sqlite3.Connection, shop_id: int, account_id: str, campaign_id: str,
                   valid_from: str | date, target_roi: float) -> None:
    """A campaign's target ROI from ``valid_from`` (the ad account's day) on."""
    if not target_roi or target_roi <= 0:
        raise ValueError(f"target ROI {target_roi!r}: a positive number such as 2.5")
    conn.execute(
        "INSERT INTO gmv_max_target (shop_id, account_id, campaign_id, valid_from, "
        "target_roi, source, entered_utc) VALUES (:shop_id, :account, :campaign, :day, "
        ":target, 'entered', :now) ON CONFLICT (shop_id, account_id, campaign_id, valid_from) "
        "DO UPDATE SET target_roi = excluded.target_roi, entered_utc = excluded.entered_utc",
        {"shop_id": shop_id, "account": account_id or "", "campaign": campaign_id,
         "day": _day(valid_from), "target": float(target_roi), "now": int(time.time())})


def set_day_flags(conn: sqlite3.Connection, shop_id: int, account_id: str, campaign_id: str,
                  day: str | date, *, target_edited: bool = False, paused: bool = False,
                  max_delivery: bool = False, suspended: bool = False,
                  note: str | None = None) -> None:
    """What happened to a campaign on ``day`` that its report cannot say."""
    conn.execute(
        "INSERT OR REPLACE INTO gmv_max_day_flag (shop_id, account_id, campaign_id, day, "
        "target_edited, paused, max_delivery, suspended, note) VALUES (:shop_id, :account, "
        ":campaign, :day, :edited, :paused, :max, :suspended, :note)",
        {"shop_id": shop_id, "account": account_id or "", "campaign": campaign_id,
         "day": _day(day), "edited": int(target_edited), "paused": int(paused),
         "max": int(max_delivery), "suspended": int(suspended), "note": note})


def record_protection_credit(conn: sqlite3.Connection, shop_id: int, account_id: str,
                             campaign_id: str, day: str | date, amount_cents: int,
                             note: str | None = None) -> None:
    """An ROI Protection credit received for a campaign's day (entered by hand; replaces
    the one entered before for that day)."""
    if amount_cents < 0:
        raise ValueError("a credit received is not negative")
    conn.execute(
        "INSERT OR REPLACE INTO roi_protection_credit (shop_id, account_id, campaign_id, day, "
        "amount_cents, source, note) VALUES (:shop_id, :account, :campaign, :day, :amount, "
        "'entered', :note)",
        {"shop_id": shop_id, "account": account_id or "", "campaign": campaign_id,
         "day": _day(day), "amount": int(amount_cents), "note": note})
