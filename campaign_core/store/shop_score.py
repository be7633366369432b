"""Shop Performance Score readings (``shop_score``): one per time, entered by the seller
(Overview) or, when a source provides it, recorded by an import. See
``metrics/shop_score.py`` for what they are compared with."""

from __future__ import annotations

import sqlite3
import time


def record_shop_score(conn: sqlite3.Connection, shop_id: int, score: float, source: str,
                      now_utc: int | None = None) -> None:
    """Store a reading (inside the caller's write transaction). Raises ``ValueError`` for a
    score outside the 0-5 scale."""
    if not 0 <= score <= 5:
        raise ValueError(f"A Shop Performance Score is from 0 to 5, not {score:g}.")
    conn.execute(
        "INSERT INTO shop_score (shop_id, recorded_utc, score, source) VALUES "
        "(:shop_id, :at, :score, :source) ON CONFLICT (shop_id, recorded_utc) DO UPDATE "
        "SET score = excluded.score, source = excluded.source",
        {"shop_id": shop_id, "at": int(now_utc if now_utc is not None else time.time()),
         "score": round(float(score), 2), "source": source})
