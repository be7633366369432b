"""Campaigns that span shops: the shops a campaign includes besides its own.

A campaign row belongs to one shop (``campaign.shop_id``: the first shop named), with that
shop's target; ``campaign_shop`` adds more shops, each with its own GMV target in its own
currency. Each shop sees the campaign as a ``Campaign`` of its own (``member_views``): the
same name and days, the shop's id, timezone, currency and target, so every single-shop page
and metric works on it unchanged, and each shop's windows stay in its own timezone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from campaign_core.markets import shop_currency
from campaign_core.store import audit
from campaign_core.store.campaigns import Campaign, list_campaigns, set_gmv_target


def _shop_rows(conn: sqlite3.Connection, campaign_id: int | None) -> list[sqlite3.Row]:
    sql = ("SELECT cs.campaign_id, cs.shop_id, cs.gmv_target_cents, s.name, s.timezone, "
           "s.currency FROM campaign_shop cs JOIN shop s ON s.shop_id = cs.shop_id")
    if campaign_id is not None:
        sql += " WHERE cs.campaign_id = :campaign_id"
    try:
        return conn.execute(sql + " ORDER BY s.name", {"campaign_id": campaign_id}).fetchall()
    except sqlite3.OperationalError:  # a store from before campaigns spanned shops
        return []


def _view(campaign: Campaign, row: sqlite3.Row) -> Campaign:
    return replace(campaign, shop_id=row["shop_id"], shop_name=row["name"],
                   timezone=row["timezone"], gmv_target_cents=row["gmv_target_cents"],
                   currency=shop_currency(row["currency"], row["timezone"]))


def member_views(conn: sqlite3.Connection) -> list[Campaign]:
    """The campaigns as seen by each added shop (not the campaign's own shop)."""
    owners = {c.campaign_id: c for c in list_campaigns(conn)}
    return [_view(owners[row["campaign_id"]], row) for row in _shop_rows(conn, None)
            if row["campaign_id"] in owners]


def campaign_shop_views(conn: sqlite3.Connection, campaign: Campaign) -> list[Campaign]:
    """``campaign`` as each of its shops sees it: its own shop first, then the others by
    name. A single-shop campaign gives ``[campaign]``."""
    return [campaign] + [_view(campaign, row)
                         for row in _shop_rows(conn, campaign.campaign_id)
                         if row["shop_id"] != campaign.shop_id]


def is_multi_shop(conn: sqlite3.Connection, campaign: Campaign) -> bool:
    return len(campaign_shop_views(conn, campaign)) > 1


def set_campaign_shops(conn: sqlite3.Connection, campaign_id: int,
                       shops: list[tuple[int, int | None]]) -> None:
    """Make ``shops`` (``(shop_id, GMV target cents or None)``) the campaign's added shops
    (call in a write transaction); its own shop is never among them. Raises ``ValueError``
    for a negative target."""
    own = conn.execute("SELECT shop_id FROM campaign WHERE campaign_id = :id",
                       {"id": campaign_id}).fetchone()
    if any(target is not None and target < 0 for _shop, target in shops):
        raise ValueError("A GMV target cannot be negative.")
    conn.execute("DELETE FROM campaign_shop WHERE campaign_id = :id", {"id": campaign_id})
    conn.executemany(
        "INSERT INTO campaign_shop (campaign_id, shop_id, gmv_target_cents) "
        "VALUES (:campaign_id, :shop_id, :target)",
        [{"campaign_id": campaign_id, "shop_id": shop_id, "target": target}
         for shop_id, target in dict(shops).items() if own is None or shop_id != own[0]])
    _audit(conn, campaign_id, "shops in the campaign set to "
           + (", ".join(str(shop_id) for shop_id, _ in shops) or "its own shop only"))


def set_shop_target(conn: sqlite3.Connection, campaign_id: int, shop_id: int,
                    target_cents: int | None) -> None:
    """Set an added shop's GMV target (in its currency); ``ValueError`` if negative."""
    if target_cents is not None and target_cents < 0:
        raise ValueError("The GMV target cannot be negative.")
    conn.execute("UPDATE campaign_shop SET gmv_target_cents = :target "
                 "WHERE campaign_id = :campaign_id AND shop_id = :shop_id",
                 {"target": target_cents, "campaign_id": campaign_id, "shop_id": shop_id})
    _audit(conn, campaign_id, f"target of shop {shop_id} "
           + ("cleared" if target_cents is None else f"set to {target_cents} cents"),
           shop_id=shop_id, action="target")


def _audit(conn: sqlite3.Connection, campaign_id: int, detail: str,
           shop_id: int | None = None, action: str = "campaign") -> None:
    """Who changed a campaign's shops or an added shop's target (``store/audit.py``)."""
    row = conn.execute("SELECT shop_id, name FROM campaign WHERE campaign_id = :id",
                       {"id": campaign_id}).fetchone()
    if row is not None:
        audit.record(conn, action, shop_id if shop_id is not None else row[0], row[1], detail)


def set_target_of_shop(conn: sqlite3.Connection, campaign: Campaign,
                       target_cents: int | None) -> None:
    """Set the target of ``campaign`` as its shop sees it: the campaign's own for its own
    shop, the added shop's otherwise. ``ValueError`` if negative."""
    own = conn.execute("SELECT shop_id FROM campaign WHERE campaign_id = :id",
                       {"id": campaign.campaign_id}).fetchone()
    if own is None or own[0] == campaign.shop_id:
        set_gmv_target(conn, campaign.campaign_id, target_cents)
    else:
        set_shop_target(conn, campaign.campaign_id, campaign.shop_id, target_cents)


def delete_campaign_shops(conn: sqlite3.Connection, campaign_id: int) -> None:
    conn.execute("DELETE FROM campaign_shop WHERE campaign_id = :id", {"id": campaign_id})
