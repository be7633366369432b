"""Several processes on one store file (two app servers and the worker of the team
deployment, on one host): what each must not do twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from campaign_core.store import ensure_store, schema
from campaign_core.store.schema import SCHEMA_VERSION, migrate


class StaleVersionRead(sqlite3.Connection):
    """Its first read of user_version gives ``stale``: the version as this process read
    it before another process, starting at the same moment, migrated the store."""

    stale: int | None = None

    def execute(self, sql, *args):
        if sql == "PRAGMA user_version" and self.stale is not None:
            value, self.stale = self.stale, None
            return super().execute(f"SELECT {int(value)}")
        return super().execute(sql, *args)


def test_a_migration_another_process_applied_meanwhile_is_not_applied_again(
        tmp_path: Path, monkeypatch) -> None:
    db = ensure_store(tmp_path / "campaign.db")  # "the other process" migrated it
    last = SCHEMA_VERSION - 1

    def must_not_run(db) -> None:
        raise AssertionError("applied a migration the store already has")

    migrations = list(schema.MIGRATIONS)
    migrations[last] = must_not_run
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    conn = sqlite3.connect(db, factory=StaleVersionRead, isolation_level=None)
    try:
        conn.stale = last
        assert migrate(conn) == SCHEMA_VERSION
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()


def test_the_first_start_lock_file_sits_beside_the_store(tmp_path: Path) -> None:
    from ui import bootstrap

    db = tmp_path / "campaign.db"
    with bootstrap._first_start_lock(db):
        assert (tmp_path / "campaign.db-first-start.lock").exists()
