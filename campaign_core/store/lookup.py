"""Look up many keys at once without exceeding SQLite's limit on bound parameters."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

CHUNK = 500


def select_by_ids(conn: sqlite3.Connection, sql: str, ids: list[str],
                  params: dict[str, object]) -> Iterator[sqlite3.Row]:
    """Run ``sql``, whose ``{ids}`` stands for an ``IN (...)`` list, over ``ids`` in chunks
    of bound parameters; ``params`` are the query's other named parameters."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        names = {f"id{i}": value for i, value in enumerate(chunk)}
        placeholders = ", ".join(f":{name}" for name in names)
        yield from conn.execute(sql.format(ids=placeholders), {**names, **params})
