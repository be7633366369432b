"""Connections to the store: one writer at a time, any number of read-only readers.

SQLite allows one writer; several Streamlit sessions importing at once would otherwise see
"database is locked". Writers queue on a process-wide lock and then take SQLite's write lock
with ``BEGIN IMMEDIATE`` (``busy_timeout`` covers writers in other processes, such as the
command line). Readers open the file read-only, so a page can never write, and carry a time
cap so a pathological query cannot hang the app.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from campaign_core.store.errors import StoreError

DEFAULT_DB_PATH = Path("data") / "campaign.db"
BUSY_TIMEOUT_MS = 30_000
DEFAULT_QUERY_SECONDS = 20.0

_WRITE_LOCK = threading.RLock()
_MIGRATED: set[Path] = set()


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.row_factory = sqlite3.Row


def _open_writer(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    _configure(conn)
    conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL is durable across application crashes in WAL mode; only a power cut can
    # lose the last commits, never corrupt the file.
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def ensure_store(path: Path | str) -> Path:
    """Create the store file if needed and bring its schema to the current version.

    Returns the path. Raises ``StoreError`` when the file is not a campaign store or is
    newer than this program.
    """
    from campaign_core.store.schema import migrate

    path = Path(path)
    if path.resolve() in _MIGRATED and path.exists():
        return path
    with _WRITE_LOCK:
        conn = _open_writer(path)
        try:
            migrate(conn)
            _MIGRATED.add(path.resolve())
        except StoreError:
            raise
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path} is not a usable campaign store: {error}") from error
        finally:
            conn.close()
    return path


@contextmanager
def write_transaction(path: Path | str,
                      on_wait: Callable[[], None] | None = None) -> Iterator[sqlite3.Connection]:
    """The single writer: yields a connection inside ``BEGIN IMMEDIATE``.

    Commits when the block ends (and bumps the store's data version, which invalidates
    page caches), rolls back on any exception, so a block is stored whole or not at all.
    Other writers in this process queue on a lock (``on_wait`` is called once when this
    one has to wait, so a progress bar can say so); other processes wait up to the busy
    timeout.
    """
    path = ensure_store(path)
    if not _WRITE_LOCK.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        _WRITE_LOCK.acquire()
    try:
        conn = _open_writer(path)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute(
                    "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'"
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()
    finally:
        _WRITE_LOCK.release()


@contextmanager
def read_connection(path: Path | str,
                    time_limit_s: float = DEFAULT_QUERY_SECONDS) -> Iterator[sqlite3.Connection]:
    """A read-only connection whose queries are cut off after ``time_limit_s`` seconds.

    Raises ``StoreError`` when the store does not exist yet (run ``ensure_store`` or the
    ``demo``/``import`` command first) or when a query runs past the cap.
    """
    path = Path(path)
    if not path.exists():
        raise StoreError(f"No store at {path}: import a file or build the demo first.")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           check_same_thread=False)
    _configure(conn)
    conn.execute("PRAGMA query_only = ON")
    deadline = time.monotonic() + time_limit_s
    # A non-zero return from the progress handler interrupts the running statement.
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        yield conn
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise StoreError(
                f"A query took longer than {time_limit_s:.0f} s and was stopped; "
                "narrow the filters or the date range."
            ) from error
        raise
    finally:
        conn.close()


def data_version(path: Path | str) -> int:
    """A number that grows with every committed write: the key for page caches."""
    with read_connection(path) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0
