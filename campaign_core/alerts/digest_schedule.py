"""When to send each shop's daily digest, and sending it once a day.

A shop's setting (``digest_setting``): the local time to send at (``HH:MM``, shop time), the
channel, enabled. ``send_due_digests`` sends every enabled digest whose time has come today
and that was not sent today yet; the send is logged in the alert log (key
``digest:YYYY-MM-DD``), delivered or with its error, and not retried the same day.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.alerts.checks import current_campaign
from campaign_core.alerts.delivery import Channels, deliver
from campaign_core.alerts.rules import CHANNELS
from campaign_core.digest import build_digest, digest_html, digest_text
from campaign_core.stakeholder.export import campaign_document
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import Campaign
from campaign_core.store.shops import list_shops

DEFAULT_SEND_AT = "08:00"


@dataclass(frozen=True)
class DigestSetting:
    shop_id: int
    send_at: str  # HH:MM shop time
    channel: str
    enabled: bool
    last_sent_day: str | None


def parse_send_at(text: str) -> time:
    """``"08:00"`` -> 08:00. Raises ``ValueError`` for anything else."""
    try:
        return time.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise ValueError(f"{text!r} is not a time of day (HH:MM)") from None


def get_setting(conn: sqlite3.Connection, shop_id: int) -> DigestSetting | None:
    row = conn.execute("SELECT shop_id, send_at, channel, enabled, last_sent_day FROM "
                       "digest_setting WHERE shop_id = :shop_id", {"shop_id": shop_id}).fetchone()
    return DigestSetting(row[0], row[1], row[2], bool(row[3]), row[4]) if row else None


def save_setting(conn: sqlite3.Connection, shop_id: int, *, send_at: str = DEFAULT_SEND_AT,
                 channel: str = "email", enabled: bool = True) -> None:
    """Raises ``ValueError`` for a bad time or channel."""
    parse_send_at(send_at)
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}; channels: {', '.join(CHANNELS)}")
    conn.execute(
        "INSERT INTO digest_setting (shop_id, send_at, channel, enabled) VALUES "
        "(:shop_id, :send_at, :channel, :enabled) ON CONFLICT (shop_id) DO UPDATE SET "
        "send_at = excluded.send_at, channel = excluded.channel, enabled = excluded.enabled",
        {"shop_id": shop_id, "send_at": send_at.strip(), "channel": channel,
         "enabled": int(enabled)})


@dataclass(frozen=True)
class DigestSend:
    shop_id: int
    day: str
    subject: str
    delivered: bool
    error: str | None


Sender = Callable[[Channels, str, str, str, str], str | None]


def _day_report(conn: sqlite3.Connection, campaign: Campaign, day: date,
                now: datetime) -> tuple[str, bytes]:
    """The stakeholder report of the digest's day (Daily view) as a PDF attachment."""
    from campaign_core.stakeholder.pdf import render_pdf  # fpdf: imported when a PDF is due

    document = campaign_document(conn, campaign, "daily", now, day)
    return f"{document.file_stem}.pdf", render_pdf(document)


def send_due_digests(db_path: Path | str, now: datetime | None = None, *,
                     channels: Channels | None = None,
                     sender: Sender | None = None) -> list[DigestSend]:
    """Send the digests due at ``now``; returns what was sent (or tried)."""
    now = now or datetime.now(UTC)
    channels = channels or Channels()
    sender = sender or deliver
    due = []
    with read_connection(db_path) as conn:
        for shop in list_shops(conn):
            setting = get_setting(conn, shop.shop_id)
            local = now.astimezone(ZoneInfo(shop.timezone))
            if setting is None or not setting.enabled \
                    or setting.last_sent_day == local.date().isoformat() \
                    or local.time() < parse_send_at(setting.send_at):
                continue
            campaign = current_campaign(conn, shop.shop_id, now)
            if campaign is not None:
                digest = build_digest(conn, campaign, now)
                attachments = ()
                if channels.digest_attach_pdf and "email" in setting.channel:
                    attachments = (_day_report(conn, campaign, digest.day, now),)
                due.append((setting, local.date().isoformat(), digest, attachments))
    sends = []
    for setting, today, digest, attachments in due:
        message = (channels, setting.channel, digest.subject, digest_text(digest),
                   digest_html(digest))
        error = None if setting.channel == "log" else (
            sender(*message, attachments=attachments) if attachments else sender(*message))
        sends.append(DigestSend(setting.shop_id, today, digest.subject,
                                setting.channel != "log" and error is None, error))
    if sends:
        fired = int(now.timestamp())
        with write_transaction(db_path) as conn:
            for send, (setting, _, _, _) in zip(sends, due, strict=True):
                conn.execute("UPDATE digest_setting SET last_sent_day = :day "
                             "WHERE shop_id = :shop_id", {"day": send.day,
                                                          "shop_id": send.shop_id})
                conn.execute(
                    "INSERT INTO alert_event (rule_id, shop_id, alert_key, fired_utc, "
                    "severity, message, channel, delivered, error) VALUES (NULL, :shop_id, "
                    ":key, :fired, 'info', :message, :channel, :delivered, :error)",
                    {"shop_id": send.shop_id, "key": f"digest:{send.day}", "fired": fired,
                     "message": f"Daily digest sent: {send.subject}",
                     "channel": setting.channel, "delivered": int(send.delivered),
                     "error": send.error})
    return sends
