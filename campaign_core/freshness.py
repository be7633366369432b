"""How fresh the data is: the newest paid order and the newest import."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Freshness:
    latest_paid_utc: int | None  # newest paid time not after "now"
    last_import_utc: int | None

    def age_seconds(self, now_utc: int) -> int | None:
        return None if self.latest_paid_utc is None else max(0, now_utc - self.latest_paid_utc)


def data_as_of(conn: sqlite3.Connection, shop_id: int, now_utc: int) -> Freshness:
    """Newest paid time at or before ``now_utc`` and the last successful import of a shop."""
    paid = conn.execute(
        "SELECT MAX(paid_utc) FROM orders WHERE shop_id = :shop_id AND paid_utc <= :now",
        {"shop_id": shop_id, "now": now_utc}).fetchone()[0]
    imported = conn.execute(
        "SELECT MAX(finished_utc) FROM import_log WHERE shop_id = :shop_id "
        "AND status = 'imported'", {"shop_id": shop_id}).fetchone()[0]
    return Freshness(paid, imported)
