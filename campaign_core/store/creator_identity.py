"""One creator across the exports' handle and the affiliate API's Creator Open ID.

Since the 202509 Affiliate APIs ("Creator Open ID for Affiliate APIs", TikTok Shop Partner
Center, 2025-09-08) the API names a creator by a pseudonymous, non-reversible Open ID
instead of the plain creator ID; exports, deals, samples, fees and content name creators by
handle, and every creator join in the store is by handle (``handles.normalise_handle``).

``creator_identity`` maps an Open ID to a handle, learned from whichever source names both
(an API item carrying both ``creator_open_id`` and ``creator_username``, or the seller by
hand). An affiliate line whose item named only an Open ID not yet mapped is stored under
the Open ID; when the mapping is learned, those lines are renamed to the handle, so margins,
the pipeline and content join as before. An Open ID is never shown as if it were a handle
by a guess: until mapped, the creator is listed under the Open ID.
"""

from __future__ import annotations

import sqlite3
import time


def handle_for(conn: sqlite3.Connection, shop_id: int, open_id: str) -> str | None:
    """The handle mapped to ``open_id`` in ``shop_id``, or None."""
    row = conn.execute("SELECT handle FROM creator_identity WHERE shop_id = :shop_id AND "
                       "open_id = :open_id", {"shop_id": shop_id, "open_id": open_id}).fetchone()
    return row[0] if row else None


def learn_identity(conn: sqlite3.Connection, shop_id: int, open_id: str, handle: str,
                   source: str, now_utc: int | None = None) -> int:
    """Record that ``open_id`` is ``handle`` (inside the caller's write transaction) and
    rename the affiliate lines stored under the Open ID; returns the lines renamed.

    Raises ``ValueError`` for an empty Open ID or handle. A handle learned later for the
    same Open ID replaces the earlier one (a creator can change their handle) and the lines
    follow it."""
    open_id, handle = (open_id or "").strip(), (handle or "").strip().lstrip("@").strip()
    if not open_id or not handle:
        raise ValueError("a creator identity needs both an Open ID and a handle")
    previous = handle_for(conn, shop_id, open_id)
    conn.execute(
        "INSERT INTO creator_identity (shop_id, open_id, handle, source, learned_utc) "
        "VALUES (:shop_id, :open_id, :handle, :source, :now) ON CONFLICT (shop_id, open_id) "
        "DO UPDATE SET handle = excluded.handle, source = excluded.source, "
        "learned_utc = excluded.learned_utc",
        {"shop_id": shop_id, "open_id": open_id, "handle": handle, "source": source,
         "now": int(now_utc if now_utc is not None else time.time())})
    names = [open_id] + ([previous] if previous and previous != handle else [])
    renamed = 0
    for name in names:
        renamed += conn.execute(
            "UPDATE affiliate_line SET creator = :handle WHERE shop_id = :shop_id AND "
            "creator = :name", {"handle": handle, "shop_id": shop_id, "name": name}).rowcount
    return renamed
