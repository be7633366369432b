"""Replay: the whole dashboard as it was at a past moment of a campaign.

A replay is a copy of the store as of an instant ("as of"), read by the same pages and the
same code with "now" set to that instant. The copy leaves out:
- every row written by an import that started after the instant (``import_log``'s
  ``started_utc``; an order counts from the import that first brought it in,
  ``orders.first_import_id``), with that import's log and quarantine rows; imports of the
  demo shop are kept (its files were all generated at once, standing for exports taken over
  the campaign) and so are shop-less imports (benchmarks: the market's, read by day);
- what happened after the instant in any shop: orders paid (or, unpaid, created) after it
  with their lines, affiliate lines created, settlements settled, stock snapshots taken,
  content posted, violations, hourly ad and traffic rows starting, alerts fired and API
  sync runs started after it.
Rollups are rebuilt from what is left. What the store does not keep cannot be replayed: an
order rewritten by a later import shows its later status (shipped, cancelled, refunded); a
campaign's target and plan, alert rules and creator workflow edits are as they are now.

Copies are cached beside the store (``.replay/``), keyed by the store's data version and the
instant, so stepping back and forth re-uses them; the oldest beyond ``KEEP_COPIES`` go.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.rollups.hourly import rebuild_shop
from campaign_core.store import data_version, read_connection
from campaign_core.store.campaigns import Campaign
from campaign_core.store.shops import DEMO_SHOP_NAME
from campaign_core.windows import local_midnight_utc

REPLAY_FOLDER = ".replay"
KEEP_COPIES = 48
STEP_SECONDS = 3600  # the slider's and the play button's step: one hour

# (table, instant column): rows whose instant lies after the replayed moment are left out.
_EVENT_TIMES = (
    ("affiliate_line", "created_utc"), ("settlement_line", "settled_utc"),
    ("stock_snapshot", "as_of_utc"), ("content", "posted_utc"),
    ("content_violation", "occurred_utc"), ("ad_day", "start_utc"),
    ("traffic_channel", "start_utc"), ("alert_event", "fired_utc"),
    ("sync_run", "started_utc"),
)


class ReplayError(ValueError):
    """An as-of instant that cannot be replayed; the message says why."""


def replay_bounds(campaign: Campaign, now: datetime) -> tuple[int, int]:
    """The instants a replay of ``campaign`` may show (Unix seconds): from its start until
    the earlier of now and its end."""
    start = local_midnight_utc(campaign.start_day, campaign.timezone)
    end = local_midnight_utc(campaign.end_day + timedelta(days=1), campaign.timezone)
    return start, max(start, min(int(now.timestamp()), end))


def parse_as_of(text: str, campaign: Campaign, now: datetime) -> datetime:
    """The instant ``text`` names (ISO-8601; without an offset, in the campaign's timezone),
    checked to lie within ``replay_bounds``. Returns an aware UTC datetime.

    Raises ``ReplayError`` for text that is not a date and time, or a moment outside the
    campaign so far."""
    try:
        moment = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise ReplayError(f"as_of {text!r} is not a date and time "
                          "(YYYY-MM-DDTHH:MM, in the shop's time)") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(campaign.timezone))
    first, last = replay_bounds(campaign, now)
    instant = int(moment.timestamp())
    if instant < first:
        raise ReplayError(f"as_of {text!r} is before the campaign starts "
                          f"({campaign.start_day:%Y-%m-%d})")
    if instant > last:
        raise ReplayError(f"as_of {text!r} is after "
                          + ("now" if last == int(now.timestamp()) else "the campaign's end"))
    return datetime.fromtimestamp(instant, UTC)


def as_of_text(moment: datetime, timezone: str) -> str:
    """The ``as_of`` parameter for ``moment``: shop time to the minute, ``2026-11-24T18:00``."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M")


def replay_store(source: Path | str, as_of: datetime) -> Path:
    """A store as of ``as_of`` (see the module docstring): built once per data version of
    ``source`` and instant, then re-used. Returns its path (read it like any store).

    Raises ``StoreError`` when ``source`` does not exist."""
    source = Path(source)
    version = data_version(source)
    instant = int(as_of.timestamp())
    key = hashlib.sha256(f"{source.resolve()}|{version}|{instant}".encode()).hexdigest()[:20]
    folder = source.parent / REPLAY_FOLDER
    target = folder / f"{key}.db"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{key}.{os.getpid()}.partial"
    build_replay(source, instant, partial)
    partial.chmod(0o444)  # a replay is read only: an edit made while replaying fails loudly
    partial.replace(target)
    _prune(folder)
    return target


def build_replay(source: Path | str, as_of_utc: int, target: Path | str) -> None:
    """Write the store ``source`` as of ``as_of_utc`` into a new file ``target``."""
    target = Path(target)
    target.unlink(missing_ok=True)
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        with read_connection(source) as conn:
            conn.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.execute("BEGIN")
        _prune_rows(copy, as_of_utc)
        for (shop_id,) in copy.execute("SELECT shop_id FROM shop").fetchall():
            rebuild_shop(copy, shop_id)
        copy.execute("COMMIT")
    finally:
        copy.close()


def _prune_rows(conn: sqlite3.Connection, as_of_utc: int) -> None:
    params = {"as_of": as_of_utc, "demo": DEMO_SHOP_NAME}
    conn.execute(
        "CREATE TEMP TABLE late_import AS SELECT import_id FROM import_log "
        "WHERE started_utc > :as_of AND shop_id IS NOT NULL "
        "AND shop_id NOT IN (SELECT shop_id FROM shop WHERE name = :demo)", params)
    late = "IN (SELECT import_id FROM late_import)"
    conn.execute(
        "CREATE TEMP TABLE late_order AS SELECT shop_id, order_id FROM orders "
        f"WHERE COALESCE(first_import_id, import_id) {late} "
        "OR COALESCE(paid_utc, created_utc) > :as_of", params)
    conn.execute("DELETE FROM order_line WHERE (shop_id, order_id) IN "
                 "(SELECT shop_id, order_id FROM late_order)")
    conn.execute("DELETE FROM orders WHERE (shop_id, order_id) IN "
                 "(SELECT shop_id, order_id FROM late_order)")
    tables = [row[0] for row in conn.execute(
        "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c "
        "WHERE m.type = 'table' AND c.name = 'import_id' "
        "AND m.name NOT IN ('orders', 'import_log', 'quarantine')")]
    for table in tables:
        conn.execute(f'DELETE FROM "{table}" WHERE import_id {late}')
    for table, column in _EVENT_TIMES:
        conn.execute(f'DELETE FROM "{table}" WHERE "{column}" > :as_of', params)
    conn.execute(f"DELETE FROM quarantine WHERE import_id {late}")
    conn.execute(f"DELETE FROM import_log WHERE import_id {late}")
    conn.execute("DROP TABLE late_import")
    conn.execute("DROP TABLE late_order")


def _prune(folder: Path) -> None:
    copies = sorted(folder.glob("*.db"), key=lambda path: path.stat().st_mtime)
    for old in copies[:-KEEP_COPIES]:
        old.unlink(missing_ok=True)
