"""Each shop's logo for the stakeholder report (a PNG checked and redrawn by
``campaign_core.stakeholder.logo.read_logo``), one per shop."""

from __future__ import annotations

import sqlite3
import time


def save_logo(conn: sqlite3.Connection, shop_id: int, png: bytes) -> None:
    """Store ``png`` (from ``read_logo``) as ``shop_id``'s logo, replacing any before.
    Raises ``ValueError`` for an unknown shop."""
    if conn.execute("SELECT 1 FROM shop WHERE shop_id = :shop_id",
                    {"shop_id": shop_id}).fetchone() is None:
        raise ValueError(f"No shop with id {shop_id}.")
    conn.execute(
        "INSERT INTO shop_logo (shop_id, png, updated_utc) VALUES (:shop_id, :png, :now) "
        "ON CONFLICT (shop_id) DO UPDATE SET png = excluded.png, "
        "updated_utc = excluded.updated_utc",
        {"shop_id": shop_id, "png": png, "now": int(time.time())})


def delete_logo(conn: sqlite3.Connection, shop_id: int) -> None:
    """Remove ``shop_id``'s logo (nothing happens when it has none)."""
    conn.execute("DELETE FROM shop_logo WHERE shop_id = :shop_id", {"shop_id": shop_id})


def load_logo(conn: sqlite3.Connection, shop_id: int) -> bytes | None:
    """``shop_id``'s logo as PNG bytes, or None when none is set."""
    row = conn.execute("SELECT png FROM shop_logo WHERE shop_id = :shop_id",
                       {"shop_id": shop_id}).fetchone()
    return None if row is None else bytes(row[0])
