"""What sellers decide on the Products page: restock plans and the ad shortlist."""

from __future__ import annotations

import sqlite3
import time
from datetime import date


def add_restock_plan(conn: sqlite3.Connection, shop_id: int, sku_id: str, quantity: int,
                     expected_day: date | None, note: str = "") -> int:
    """Record stock on its way (call in a write transaction); returns the plan's ID.
    Raises ``ValueError`` for a quantity below 1."""
    if quantity < 1:
        raise ValueError("Add at least 1 unit.")
    cursor = conn.execute(
        "INSERT INTO restock_plan (shop_id, sku_id, quantity, expected_day, created_utc, note) "
        "VALUES (:shop_id, :sku_id, :quantity, :day, :now, :note)",
        {"shop_id": shop_id, "sku_id": sku_id, "quantity": quantity,
         "day": expected_day.isoformat() if expected_day else None, "now": int(time.time()),
         "note": note.strip() or None})
    return cursor.lastrowid


def restock_plans(conn: sqlite3.Connection, shop_id: int) -> list[sqlite3.Row]:
    """Every restock plan of a shop, newest expected day first (product and SKU named)."""
    return conn.execute(
        "SELECT r.plan_id, r.sku_id, s.seller_sku, s.product_name, r.quantity, "
        "r.expected_day, r.note FROM restock_plan r LEFT JOIN sku s "
        "ON s.shop_id = r.shop_id AND s.sku_id = r.sku_id WHERE r.shop_id = :shop_id "
        "ORDER BY r.expected_day DESC, r.plan_id DESC", {"shop_id": shop_id}).fetchall()


def add_to_ad_shortlist(conn: sqlite3.Connection, shop_id: int, product_id: str,
                        note: str = "") -> None:
    """Put a product on the ad shortlist (again: its note is updated)."""
    conn.execute(
        "INSERT INTO ad_shortlist (shop_id, product_id, added_utc, note) "
        "VALUES (:shop_id, :product_id, :now, :note) ON CONFLICT (shop_id, product_id) "
        "DO UPDATE SET note = excluded.note",
        {"shop_id": shop_id, "product_id": product_id, "now": int(time.time()),
         "note": note.strip() or None})


def remove_from_ad_shortlist(conn: sqlite3.Connection, shop_id: int, product_id: str) -> None:
    conn.execute("DELETE FROM ad_shortlist WHERE shop_id = :shop_id AND product_id = :pid",
                 {"shop_id": shop_id, "pid": product_id})


def ad_shortlist(conn: sqlite3.Connection, shop_id: int) -> list[str]:
    """Product IDs on the shop's ad shortlist, in the order they were added."""
    rows = conn.execute("SELECT product_id FROM ad_shortlist WHERE shop_id = :shop_id "
                        "ORDER BY added_utc, product_id", {"shop_id": shop_id})
    return [row[0] for row in rows]
