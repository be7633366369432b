"""Writers and readers for what the seller decides about content: linked (own) accounts,
violation and Key LIVE flags, the creator shortlist ("Re-collaborate") and the content ad
shortlist ("Create ad").

Every writer takes a connection inside ``write_transaction``; readers take any connection.
Handles are stored normalised (trimmed, without ``@``, case-folded) so "@GlowGo" and
"glowgo" are one account.
"""

from __future__ import annotations

import sqlite3
import time

from campaign_core.handles import normalise_handle

FLAG_VIOLATION, FLAG_KEY_LIVE = "violation", "key_live"
SOURCE_APP = "app"


def _now(now_utc: int | None) -> int:
    return int(time.time()) if now_utc is None else int(now_utc)


# --- linked accounts -------------------------------------------------------------------------


def add_linked_account(conn: sqlite3.Connection, shop_id: int, handle: str,
                       now_utc: int | None = None) -> str:
    """Mark ``handle`` as one of the shop's own accounts; returns the stored form.
    Raises ``ValueError`` for an empty handle."""
    stored = normalise_handle(handle)
    if not stored:
        raise ValueError("A linked account needs a handle (e.g. @glowandgo).")
    conn.execute("INSERT INTO linked_account (shop_id, handle, added_utc) VALUES "
                 "(:shop_id, :handle, :added) ON CONFLICT (shop_id, handle) DO NOTHING",
                 {"shop_id": shop_id, "handle": stored, "added": _now(now_utc)})
    return stored


def remove_linked_account(conn: sqlite3.Connection, shop_id: int, handle: str) -> bool:
    """Forget a linked account; True when one was removed."""
    cursor = conn.execute("DELETE FROM linked_account WHERE shop_id = :shop_id AND "
                          "handle = :handle",
                          {"shop_id": shop_id, "handle": normalise_handle(handle)})
    return cursor.rowcount > 0


def linked_accounts(conn: sqlite3.Connection, shop_id: int) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT handle FROM linked_account WHERE shop_id = :shop_id ORDER BY handle",
        {"shop_id": shop_id})]


# --- flags -------------------------------------------------------------------------------------


def ensure_content(conn: sqlite3.Connection, shop_id: int, content_id: str, kind: str,
                   *, creator: str | None = None, title: str | None = None,
                   source: str = SOURCE_APP, import_id: int | None = None) -> None:
    """Add a content row if the store has none for ``content_id`` (a flag may name a LIVE
    no export has shown yet); fill its missing creator and title otherwise."""
    conn.execute(
        "INSERT INTO content (shop_id, content_id, kind, creator, title, source, import_id, "
        "is_key_live, seller_listed) VALUES (:shop_id, :content_id, :kind, :creator, :title, "
        ":source, :import_id, 0, 0) ON CONFLICT (shop_id, content_id) DO UPDATE SET "
        "creator = COALESCE(content.creator, excluded.creator), "
        "title = COALESCE(content.title, excluded.title)",
        {"shop_id": shop_id, "content_id": content_id, "kind": kind, "creator": creator,
         "title": title, "source": source, "import_id": import_id})


def add_violation(conn: sqlite3.Connection, shop_id: int, content_id: str,
                  violation_type: str, occurred_utc: int | None, *, source: str = SOURCE_APP,
                  import_id: int | None = None) -> bool:
    """Record a violation of ``content_id`` (added as a LIVE when unknown). The same
    (content, type, time) is stored once; returns True when it is new."""
    ensure_content(conn, shop_id, content_id, "live", source=source, import_id=import_id)
    violation_type = (violation_type or "").strip() or "Unspecified"
    # The unique index treats NULL times as distinct: a timeless flag is checked here.
    if occurred_utc is None and conn.execute(
            "SELECT 1 FROM content_violation WHERE shop_id = :shop_id AND content_id = :id "
            "AND violation_type = :type AND occurred_utc IS NULL",
            {"shop_id": shop_id, "id": content_id, "type": violation_type}).fetchone():
        return False
    cursor = conn.execute(
        "INSERT INTO content_violation (shop_id, content_id, violation_type, occurred_utc, "
        "source, import_id) VALUES (:shop_id, :content_id, :type, :occurred, :source, "
        ":import_id) ON CONFLICT DO NOTHING",
        {"shop_id": shop_id, "content_id": content_id,
         "type": violation_type, "occurred": occurred_utc,
         "source": source, "import_id": import_id})
    return cursor.rowcount > 0


def remove_violations(conn: sqlite3.Connection, shop_id: int, content_id: str) -> int:
    """Clear every violation of ``content_id`` (a flag set by mistake); returns how many."""
    return conn.execute("DELETE FROM content_violation WHERE shop_id = :shop_id AND "
                        "content_id = :content_id",
                        {"shop_id": shop_id, "content_id": content_id}).rowcount


def set_key_live(conn: sqlite3.Connection, shop_id: int, content_id: str,
                 is_key: bool = True, *, source: str = SOURCE_APP,
                 import_id: int | None = None) -> None:
    """Flag (or unflag) ``content_id`` as a Key Livestream session."""
    ensure_content(conn, shop_id, content_id, "live", source=source, import_id=import_id)
    conn.execute("UPDATE content SET is_key_live = :flag WHERE shop_id = :shop_id AND "
                 "content_id = :content_id",
                 {"flag": int(is_key), "shop_id": shop_id, "content_id": content_id})


# --- shortlists --------------------------------------------------------------------------------


def add_to_creator_shortlist(conn: sqlite3.Connection, shop_id: int, creator: str,
                             content_id: str | None = None, note: str = "",
                             now_utc: int | None = None) -> bool:
    """Put ``creator`` on the creator shortlist ("Re-collaborate"), remembering the content
    that earned it. A creator already listed keeps the first entry; returns True when new.
    Raises ``ValueError`` for an empty creator."""
    creator = (creator or "").strip()
    if not creator:
        raise ValueError("The content has no creator to shortlist.")
    cursor = conn.execute(
        "INSERT INTO creator_shortlist (shop_id, creator, added_utc, content_id, note) "
        "VALUES (:shop_id, :creator, :added, :content_id, :note) "
        "ON CONFLICT (shop_id, creator) DO NOTHING",
        {"shop_id": shop_id, "creator": creator, "added": _now(now_utc),
         "content_id": content_id, "note": note})
    return cursor.rowcount > 0


def creator_shortlist(conn: sqlite3.Connection, shop_id: int) -> list[dict[str, object]]:
    """The shortlist, newest first: ``{creator, added_utc, content_id, note}`` each."""
    return [dict(row) for row in conn.execute(
        "SELECT creator, added_utc, content_id, note FROM creator_shortlist "
        "WHERE shop_id = :shop_id ORDER BY added_utc DESC, creator", {"shop_id": shop_id})]


def add_to_content_ad_shortlist(conn: sqlite3.Connection, shop_id: int, content_id: str,
                                note: str = "", now_utc: int | None = None) -> bool:
    """Put ``content_id`` on the content ad shortlist ("Create ad"); True when new."""
    cursor = conn.execute(
        "INSERT INTO content_ad_shortlist (shop_id, content_id, added_utc, note) "
        "VALUES (:shop_id, :content_id, :added, :note) "
        "ON CONFLICT (shop_id, content_id) DO NOTHING",
        {"shop_id": shop_id, "content_id": content_id, "added": _now(now_utc), "note": note})
    return cursor.rowcount > 0


def content_ad_shortlist(conn: sqlite3.Connection, shop_id: int) -> list[dict[str, object]]:
    """The content ad shortlist, newest first: ``{content_id, kind, title, creator,
    added_utc, note}`` each (kind, title, creator None for content the store lacks)."""
    return [dict(row) for row in conn.execute(
        "SELECT s.content_id, c.kind, c.title, c.creator, s.added_utc, s.note "
        "FROM content_ad_shortlist AS s LEFT JOIN content AS c "
        "ON c.shop_id = s.shop_id AND c.content_id = s.content_id "
        "WHERE s.shop_id = :shop_id ORDER BY s.added_utc DESC, s.content_id",
        {"shop_id": shop_id})]


def remove_from_shortlist(conn: sqlite3.Connection, shop_id: int, *, creator: str | None = None,
                          content_id: str | None = None) -> int:
    """Remove a creator from the creator shortlist or content from the ad shortlist."""
    if creator is not None:
        return conn.execute("DELETE FROM creator_shortlist WHERE shop_id = :shop_id AND "
                            "creator = :creator",
                            {"shop_id": shop_id, "creator": creator}).rowcount
    return conn.execute("DELETE FROM content_ad_shortlist WHERE shop_id = :shop_id AND "
                        "content_id = :content_id",
                        {"shop_id": shop_id, "content_id": content_id}).rowcount
