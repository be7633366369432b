"""Backups of the store, made while the app runs, and restores from them.

A backup is one self-contained SQLite file named ``campaign-YYYYMMDD-HHMMSS.db`` (local
time; ``-2``, ``-3``... when the name is taken) in ``backups/`` beside the store, unless the
caller names another folder. It is made with SQLite's online backup API from a read-only
connection in a single step: one read transaction, so the copy is exactly the last commit
before it started; in WAL mode neither the dashboard's readers nor the writer wait for it.
The copy is written under a hidden temporary name, switched out of WAL mode, checked with
``PRAGMA integrity_check`` and only then given its final name, so a file with a backup's
name is always a whole, checked backup.

A restore cannot copy pages into the live file: the backup API refuses a destination with
an open transaction, so it cannot run inside ``write_transaction``, and copying outside it
would jump the queue of writers and publish the restored rows under an old data version
(page caches keyed on it would show stale numbers). Instead the backup is copied to a
staging file, checked, migrated to the current schema, and its rows replace the store's
inside one ``write_transaction``: writers queue behind it as behind any import, readers
see the old content or the new, never a mix, and the commit bumps the data version past
every value the live store has had, so every cache refreshes.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from datetime import datetime
from itertools import count
from pathlib import Path

from campaign_core.store.backup_check import check_store_file, limit_time, open_read_only
from campaign_core.store.connection import write_transaction
from campaign_core.store.errors import StoreError
from campaign_core.store.schema import migrate

BACKUP_FOLDER_NAME = "backups"
# Checking and migrating a staged copy: a large store's rollups take a while to rebuild,
# but nothing may hold the restore forever.
RESTORE_SECONDS = 600.0
_BACKUP_NAME = re.compile(r"^campaign-(\d{8})-(\d{6})(?:-(\d+))?\.db$")


def default_backup_dir(db_path: Path | str) -> Path:
    """Where backups of the store at ``db_path`` go unless told otherwise: ``backups/``
    in the store's folder."""
    return Path(db_path).parent / BACKUP_FOLDER_NAME


def backup_store(db_path: Path | str, backup_dir: Path | str | None = None,
                 now: datetime | None = None) -> Path:
    """Copy the store at ``db_path`` to a new, timestamped backup file and return its path.

    ``backup_dir`` is the folder for the copy (created if missing; default
    ``default_backup_dir(db_path)``); ``now`` the time the name carries (default: the local
    clock). An existing file is never overwritten: the name gets a ``-2``, ``-3``... suffix.
    Safe while the app reads and imports: the copy is the last commit before it started.
    Raises ``StoreError`` when there is no store at ``db_path``, when it is not a campaign
    store, or when the copy fails SQLite's integrity check (no backup file is left then).
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise StoreError(f"No store at {db_path}: there is nothing to back up.")
    folder = Path(backup_dir) if backup_dir is not None else default_backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    partial = _new_partial_file(folder)
    try:
        _copy_consistently(db_path, partial)
        _check_integrity(partial, db_path)
        check_store_file(partial, db_path)  # refuses a file that is not a campaign store
        return _publish(partial, folder, (now or datetime.now()).strftime("%Y%m%d-%H%M%S"))
    finally:
        partial.unlink(missing_ok=True)


def list_backups(backup_dir: Path | str) -> list[Path]:
    """The backup files in ``backup_dir``, newest first (by the time in their names).

    Files not named like a backup, and the hidden partial files of a backup in progress,
    are left out. Returns an empty list when the folder does not exist.
    """
    folder = Path(backup_dir)
    if not folder.is_dir():
        return []
    dated = []
    for path in folder.iterdir():
        match = _BACKUP_NAME.match(path.name)
        if match and path.is_file():
            dated.append(((match[1], match[2], int(match[3] or 1)), path))
    return [path for _, path in sorted(dated, reverse=True)]


def restore_store(backup_path: Path | str, db_path: Path | str,
                  backup_dir: Path | str | None = None) -> Path:
    """Replace the content of the store at ``db_path`` with the backup at ``backup_path``.

    The backup is checked first (SQLite's integrity check, a campaign store, a schema
    version this program knows; an older one is migrated on a staging copy, the backup file
    itself is only read). Then, inside the single writer's transaction, the current store
    is backed up (into ``backup_dir``, default ``default_backup_dir(db_path)``) and its
    rows are replaced by the backup's in one commit. A missing store is created first.
    Returns the path of that safety backup: restoring it undoes the restore.
    Raises ``StoreError`` when the backup is missing, damaged, not a campaign store or its
    tables differ from this program's, and ``StoreVersionError`` when it was written by a
    newer version; the store is unchanged then and no safety backup is made.
    """
    backup_path, db_path = Path(backup_path), Path(db_path)
    if not backup_path.is_file():
        raise StoreError(f"No backup file at {backup_path}.")
    if db_path.exists() and db_path.resolve() == backup_path.resolve():
        raise StoreError(f"{backup_path} is the store itself: pick a backup file.")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=db_path.parent) as work:
        staged = Path(work) / "staged.db"
        _stage(backup_path, staged)
        with write_transaction(db_path) as conn:
            _check_same_tables(_tables(conn), staged, backup_path)
            # Inside the transaction nobody else can commit: the safety backup holds
            # exactly what the restore replaces.
            safety = backup_store(db_path, backup_dir)
            _replace_rows(conn, staged)
    return safety


def summarize_store(path: Path | str) -> str:
    """One line saying what a store or backup file holds, e.g.
    ``"schema 2, 1 shop, 6,731 orders, 9,980 order lines, 4 imports"``.

    The file is only read, under a time limit. Raises ``StoreError`` when ``path`` is not
    a campaign store of this program (see ``check_store_file``).
    """
    path = Path(path)
    version = check_store_file(path)
    try:
        conn = open_read_only(path)
        try:
            shops, orders, lines, imports = (
                conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("shop", "orders", "order_line", "import_log"))
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is not a campaign store: {error}") from error
    return (f"schema {version}, {shops:,} shop{'s' * (shops != 1)}, {orders:,} orders, "
            f"{lines:,} order lines, {imports:,} imports")


def check_backup(path: Path | str) -> str | None:
    """Why the file at ``path`` cannot be restored (naming it by its file name), or None
    when it is a backup of this program's store. Read-only and time-limited."""
    try:
        check_store_file(path, Path(path).name)
    except StoreError as error:
        return str(error)
    return None


def _new_partial_file(folder: Path) -> Path:
    # Hidden and unlike a backup's name, so list_backups never offers a copy in progress.
    handle, name = tempfile.mkstemp(prefix=".campaign-", suffix=".partial", dir=folder)
    os.close(handle)
    return Path(name)


def _copy_consistently(source_path: Path, target_path: Path) -> None:
    """Copy ``source_path`` into the empty file ``target_path`` as one snapshot."""
    try:
        source = open_read_only(source_path, RESTORE_SECONDS)
    except sqlite3.Error as error:
        raise StoreError(f"{source_path} cannot be opened: {error}") from error
    try:
        target = sqlite3.connect(target_path)
        try:
            # pages=-1: the whole file in one step, i.e. in one read transaction.
            source.backup(target, pages=-1)
            # The copied header keeps the store's WAL mode; a backup is a single file.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{source_path} is not a campaign store: {error}") from error
    finally:
        source.close()


def _check_integrity(path: Path, shown_as: Path) -> None:
    conn = open_read_only(path, RESTORE_SECONDS)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{shown_as} is not a campaign store: {error}") from error
    finally:
        conn.close()
    if problems != ["ok"]:
        raise StoreError(f"{shown_as} failed SQLite's integrity check: "
                         f"{'; '.join(problems[:3])}")


def _publish(partial: Path, folder: Path, stamp: str) -> Path:
    """Give the checked copy its backup name, never replacing an existing file."""
    for number in count(1):
        final = folder / (f"campaign-{stamp}.db" if number == 1
                          else f"campaign-{stamp}-{number}.db")
        try:
            # A hard link fails when the name exists, so two backups in the same second
            # (two sessions clicking at once) cannot overwrite each other.
            os.link(partial, final)
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links: claim the name, then fill it
            try:
                final.open("xb").close()
            except FileExistsError:
                continue
            os.replace(partial, final)
        return final
    raise AssertionError("unreachable")  # count() never ends


def _stage(backup_path: Path, staged: Path) -> None:
    """Check, copy and migrate the backup into ``staged``; the backup file is only read."""
    check_store_file(backup_path)  # before any statement runs over its content
    _copy_consistently(backup_path, staged)
    _check_integrity(staged, backup_path)
    check_store_file(staged, backup_path)  # the copy, as the file may have changed since
    conn = sqlite3.connect(staged, isolation_level=None)
    limit_time(conn, RESTORE_SECONDS)
    try:
        migrate(conn)  # an older backup gets the columns this program reads and writes
    except sqlite3.OperationalError as error:
        if "interrupted" not in str(error):
            raise
        raise StoreError(f"Migrating {backup_path} took over {RESTORE_SECONDS:.0f} s; "
                         "it was stopped and the store is unchanged.") from error
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {name: tuple(row[1] for row in conn.execute(f'PRAGMA table_info("{name}")'))
            for name in names}


def _check_same_tables(live: dict[str, tuple[str, ...]], staged: Path,
                       backup_path: Path) -> None:
    conn = sqlite3.connect(staged)
    try:
        backup_tables = _tables(conn)
    finally:
        conn.close()
    if backup_tables != live:
        differing = sorted(set(live.items()) ^ set(backup_tables.items()))
        raise StoreError(f"{backup_path} has other tables than this program's store "
                         f"({', '.join(sorted({name for name, _ in differing}))}); "
                         "it cannot be restored.")


def _replace_rows(conn: sqlite3.Connection, staged: Path) -> None:
    """Inside the caller's transaction, make every table hold the staged copy's rows."""
    live_version = conn.execute(
        "SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0]
    # Tables are emptied and refilled in name order; keys are checked at the commit.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    source = sqlite3.connect(staged)
    try:
        for table, columns in _tables(conn).items():
            names = ", ".join(f'"{column}"' for column in columns)
            conn.execute(f'DELETE FROM "{table}"')
            conn.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})',
                source.execute(f'SELECT {names} FROM "{table}"'))
    finally:
        source.close()
    # The commit adds one: the restored content gets a version the store never had.
    conn.execute("UPDATE meta SET value = :version WHERE key = 'data_version'",
                 {"version": live_version})
