"""Is a file a store of this program? Asked read-only and under a time limit.

A backup file comes from outside the running store: a hostile or damaged one may not be
SQLite at all, or be SQLite whose ``shop`` is a view that never ends, or carry triggers
that fire during a migration. So before a file is summarised, offered for a restore or
migrated, its header is checked and its schema objects (tables and their columns,
indexes, triggers, views) must be exactly those this program's migrations create for the
file's schema version; every read of it runs under a time limit (SQLite's progress
handler), so no file can hold a thread.
"""

from __future__ import annotations

import sqlite3
import time
from functools import cache
from pathlib import Path

import sqlite_utils

from campaign_core.store.connection import BUSY_TIMEOUT_MS
from campaign_core.store.errors import StoreError, StoreVersionError
from campaign_core.store.schema import MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
INSPECT_SECONDS = 10.0  # reading a backup's schema and counts; a real one takes milliseconds

# (type, name) -> column names (tables only)
Objects = dict[tuple[str, str], tuple[str, ...]]


def open_read_only(path: Path | str, time_limit_s: float = INSPECT_SECONDS) -> sqlite3.Connection:
    """A read-only connection to ``path`` whose statements are interrupted after
    ``time_limit_s`` seconds in all (``sqlite3.OperationalError: interrupted``)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA query_only = ON")
    limit_time(conn, time_limit_s)
    return conn


def limit_time(conn: sqlite3.Connection, seconds: float) -> None:
    """Interrupt every statement of ``conn`` once ``seconds`` have passed from now."""
    deadline = time.monotonic() + seconds
    # A non-zero return from the progress handler interrupts the running statement.
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)


def check_store_file(path: Path | str, shown_as: Path | str | None = None) -> int:
    """Check that ``path`` is a store of this program and return its schema version.

    ``shown_as`` is the name used in messages (default ``path``). Raises ``StoreError``
    saying why the file is not a campaign store of this program (not SQLite, damaged, no
    schema version, other tables, views or triggers than this program's, too slow to
    read), and ``StoreVersionError`` when a newer program wrote it.
    """
    path = Path(path)
    shown_as = shown_as or path
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"{shown_as} cannot be read: {error.strerror}") from error
    if header != SQLITE_HEADER:
        raise _not_ours(shown_as, "it is not an SQLite file")
    try:
        conn = open_read_only(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            found = _objects(conn) if 1 <= version <= SCHEMA_VERSION else {}
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if "interrupted" in str(error):
            raise _not_ours(shown_as, f"reading its schema took over {INSPECT_SECONDS:.0f} s"
                            ) from error
        raise _not_ours(shown_as, str(error)) from error
    if version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"{shown_as} has schema version {version}, newer than this program's "
            f"{SCHEMA_VERSION}: update the dashboard before restoring it.")
    if version < 1:
        raise _not_ours(shown_as, "it has no schema version")
    differences = _differences(expected_objects(version), found)
    if differences:
        raise _not_ours(shown_as, f"at schema version {version} it has {differences}")
    return version


@cache
def expected_objects(version: int) -> Objects:
    """The schema objects this program's migrations create up to ``version``."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db = sqlite_utils.Database(conn)
        for migration in MIGRATIONS[:version]:
            migration(db)
        return _objects(conn)
    finally:
        conn.close()


def _objects(conn: sqlite3.Connection) -> Objects:
    rows = conn.execute("SELECT type, name FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall()
    return {(kind, name): tuple(column for (column,) in conn.execute(
                "SELECT name FROM pragma_table_info(:name)", {"name": name}))
            if kind == "table" else ()
            for kind, name in rows}


def _differences(expected: Objects, found: Objects) -> str:
    """What ``found`` has that ``expected`` lacks and the reverse, in a few words."""
    parts = [f"a {kind} {name!r} this program does not make"
             for kind, name in sorted(set(found) - set(expected))]
    parts += [f"no {kind} {name!r}" for kind, name in sorted(set(expected) - set(found))]
    parts += [f"other columns in table {name!r}" for (kind, name) in sorted(expected)
              if (kind, name) in found and found[kind, name] != expected[kind, name]]
    if len(parts) > 4:
        parts = parts[:4] + [f"{len(parts) - 4} more differences"]
    return "; ".join(parts)


def _not_ours(shown_as: Path | str, reason: str) -> StoreError:
    return StoreError(f"{shown_as} is not a campaign store of this program: {reason}.")
