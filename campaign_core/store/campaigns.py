"""Campaigns: a named date range of a shop, with a timezone and an optional GMV target."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from campaign_core.markets import shop_currency
from campaign_core.store import audit
from campaign_core.store.shops import validate_timezone
from campaign_core.store.sub_campaigns import delete_campaign_sub_campaigns


@dataclass(frozen=True)
class Campaign:
    campaign_id: int
    shop_id: int
    shop_name: str
    name: str
    start_day: date
    end_day: date
    timezone: str  # the campaign's own, else its shop's
    gmv_target_cents: int | None
    currency: str

    @property
    def length_days(self) -> int:
        return (self.end_day - self.start_day).days + 1


_SELECT = """
SELECT c.campaign_id, c.shop_id, s.name AS shop_name, c.name, c.start_day, c.end_day,
       COALESCE(c.timezone, s.timezone) AS timezone, c.gmv_target_cents, s.currency
FROM campaign c JOIN shop s ON s.shop_id = c.shop_id
"""


def _row_to_campaign(row: sqlite3.Row) -> Campaign:
    return Campaign(
        campaign_id=row["campaign_id"], shop_id=row["shop_id"], shop_name=row["shop_name"],
        name=row["name"], start_day=date.fromisoformat(row["start_day"]),
        end_day=date.fromisoformat(row["end_day"]), timezone=row["timezone"],
        gmv_target_cents=row["gmv_target_cents"],
        # With the market, so its figures take the market's number marks.
        currency=shop_currency(row["currency"], row["timezone"]),
    )


def list_campaigns(conn: sqlite3.Connection, shop_id: int | None = None) -> list[Campaign]:
    """Campaigns, newest start first; only one shop's when ``shop_id`` is given."""
    sql = _SELECT + (" WHERE c.shop_id = :shop_id" if shop_id is not None else "")
    rows = conn.execute(sql + " ORDER BY c.start_day DESC, c.name", {"shop_id": shop_id})
    return [_row_to_campaign(row) for row in rows.fetchall()]


def find_campaign(conn: sqlite3.Connection, name: str) -> Campaign | None:
    row = conn.execute(_SELECT + " WHERE c.name = :name", {"name": name}).fetchone()
    return _row_to_campaign(row) if row else None


def save_campaign(conn: sqlite3.Connection, *, shop_id: int, name: str, start_day: date,
                  end_day: date, timezone: str | None = None,
                  gmv_target_cents: int | None = None,
                  campaign_id: int | None = None) -> Campaign:
    """Create a campaign, or update the one with this ``campaign_id`` (or this name).

    Call inside a write transaction. Raises ``ValueError`` when the end is before the
    start, the timezone is unknown, the target is negative, or the name is taken by
    another campaign.
    """
    name = name.strip()
    if not name:
        raise ValueError("A campaign needs a name.")
    if end_day < start_day:
        raise ValueError(f"The campaign ends ({end_day}) before it starts ({start_day}).")
    if timezone:
        validate_timezone(timezone)
    if gmv_target_cents is not None and gmv_target_cents < 0:
        raise ValueError("The GMV target cannot be negative.")
    same_name = find_campaign(conn, name)
    if campaign_id is None and same_name is not None:
        campaign_id = same_name.campaign_id
    elif same_name is not None and same_name.campaign_id != campaign_id:
        raise ValueError(f"Another campaign is already called {name!r}.")
    params = {"shop_id": shop_id, "name": name, "start": start_day.isoformat(),
              "end": end_day.isoformat(), "timezone": timezone or None,
              "target": gmv_target_cents, "campaign_id": campaign_id}
    if campaign_id is None:
        conn.execute(
            "INSERT INTO campaign (shop_id, name, start_day, end_day, timezone, gmv_target_cents)"
            " VALUES (:shop_id, :name, :start, :end, :timezone, :target)", params)
    else:
        conn.execute(
            "UPDATE campaign SET shop_id = :shop_id, name = :name, start_day = :start, "
            "end_day = :end, timezone = :timezone, gmv_target_cents = :target "
            "WHERE campaign_id = :campaign_id", params)
    saved = find_campaign(conn, name)
    target = "no target" if gmv_target_cents is None else f"target {gmv_target_cents} cents"
    audit.record(conn, "campaign", shop_id, name,
                 f"{'created' if campaign_id is None else 'updated'}: {start_day} to "
                 f"{end_day}, {target}")
    return saved


def delete_campaign(conn: sqlite3.Connection, campaign_id: int) -> None:
    """Remove a campaign and its sub-campaigns; orders are the shop's and stay."""
    gone = conn.execute("SELECT shop_id, name FROM campaign WHERE campaign_id = :id",
                        {"id": campaign_id}).fetchone()
    delete_campaign_sub_campaigns(conn, campaign_id)
    # The shops a campaign spans (store/campaign_shops.py; absent in an old store).
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'campaign_shop'").fetchone():
        conn.execute("DELETE FROM campaign_shop WHERE campaign_id = :id", {"id": campaign_id})
    conn.execute("DELETE FROM campaign WHERE campaign_id = :id", {"id": campaign_id})
    if gone is not None:
        audit.record(conn, "campaign", gone[0], gone[1], "deleted")


def set_gmv_target(conn: sqlite3.Connection, campaign_id: int, target_cents: int | None) -> None:
    """Set (or clear, with None) a campaign's GMV target; raises ``ValueError`` if negative."""
    if target_cents is not None and target_cents < 0:
        raise ValueError("The GMV target cannot be negative.")
    conn.execute("UPDATE campaign SET gmv_target_cents = :target WHERE campaign_id = :id",
                 {"target": target_cents, "id": campaign_id})
    row = conn.execute("SELECT shop_id, name FROM campaign WHERE campaign_id = :id",
                       {"id": campaign_id}).fetchone()
    if row is not None:
        audit.record(conn, "target", row[0], row[1],
                     "cleared" if target_cents is None else f"set to {target_cents} cents")
