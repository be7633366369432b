"""A pytest plugin that runs every read query of the store on PostgreSQL too, and reports.

Scouting for the PostgreSQL engine (docs/postgresql.md): it changes no query. While the
tests run on SQLite as usual, each statement that a read-only store connection
(``campaign_core.store.connection.read_connection``) runs is also run on a PostgreSQL copy
of the same store, translated only mechanically (``:name`` -> ``%(name)s``, ``?`` -> ``%s``,
``%`` -> ``%%``), and the two results are compared. The copy is made with COPY, once per
store file and data version, into a schema of its own.

    CAMPAIGN_SHADOW_DATABASE_URL=postgresql://... PYTHONPATH=scripts \\
        python -m pytest -p postgres_shadow tests/test_pages.py

writes ``postgres-shadow.json`` (or $CAMPAIGN_SHADOW_REPORT) and prints totals: distinct
statements that matched, that matched only once Decimal was read as a number, whose rows
came in another order, whose rows differed, and that PostgreSQL refused (by error class).
Needs psycopg 3; the tests' own results are not affected by what PostgreSQL does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import types
from collections import Counter
from decimal import Decimal
from pathlib import Path

import psycopg

from campaign_core.store import connection as store_connection
from campaign_core.store.engines.postgres_ddl import create_schema, sqlite_schema

_REAL_CONNECT = sqlite3.connect
_PG: psycopg.Connection | None = None
_COPIED: dict[tuple[str, int], str | None] = {}
_COPY_ERRORS: list[str] = []
_RESULTS: dict[str, dict] = {}
_READ = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)


def translate(sql: str) -> str:
    """``:name`` -> ``%(name)s`` and ``?`` -> ``%s`` outside quotes, every ``%`` doubled."""
    out, i, quote = [], 0, None
    while i < len(sql):
        ch = sql[i]
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
            i += 1
            continue
        if ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "%":
            out.append("%%")
        elif ch == "?":
            out.append("%s")
        elif ch == ":" and i + 1 < len(sql) and (sql[i + 1].isalpha() or sql[i + 1] == "_") \
                and (i == 0 or sql[i - 1] != ":"):
            match = re.match(r"[A-Za-z_]\w*", sql[i + 1:])
            out.append(f"%({match.group(0)})s")
            i += 1 + len(match.group(0))
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _pg() -> psycopg.Connection:
    global _PG
    if _PG is None:
        _PG = psycopg.connect(os.environ["CAMPAIGN_SHADOW_DATABASE_URL"], autocommit=True)
    return _PG


def _copy_store(path: str, version: int) -> str | None:
    """The name of a PostgreSQL schema holding the SQLite store at ``path`` as it is now, or
    None when it could not be copied (the reason is kept for the report)."""
    key = (path, version)
    if key not in _COPIED:
        try:
            _COPIED[key] = _copy(path, version)
        except Exception as error:  # a row PostgreSQL refuses, or a value it cannot adapt
            _COPY_ERRORS.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
            _COPIED[key] = None
    return _COPIED[key]


def _copy(path: str, version: int) -> str:
    schema = "shadow_" + hashlib.sha1(f"{path}:{version}".encode()).hexdigest()[:16]
    source = _REAL_CONNECT(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    # A connection of its own: a failed copy never leaves the shadow connection in a
    # failed transaction.
    pg = psycopg.connect(os.environ["CAMPAIGN_SHADOW_DATABASE_URL"])
    try:
        pg.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        pg.execute(f"CREATE SCHEMA {schema}")
        pg.execute(f"SET search_path TO {schema}")
        pg.commit()
        create_schema(pg)
        # The rows are the store's as they are: no trigger or foreign key check again.
        pg.execute("SET session_replication_role = replica")
        pg.execute("DELETE FROM meta")
        have = {row[0] for row in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        objects, _ = sqlite_schema()
        with pg.cursor() as cur:
            for obj in objects:
                if obj.kind != "table" or obj.name not in have:
                    continue  # a store wound back to an older schema lacks later tables
                rows = source.execute(f'SELECT * FROM "{obj.name}"')
                columns = ", ".join(f'"{d[0]}"' for d in rows.description)
                with cur.copy(f'COPY "{obj.name}" ({columns}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
        pg.commit()
    finally:
        pg.close()
        source.close()
    return schema


def _norm(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 6)
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    return value


def _has_decimal(rows) -> bool:
    return any(isinstance(v, Decimal) for row in rows for v in row)


def _key(row):
    return tuple((v is None, str(type(v)), str(v)) for v in row)


def _record(sql: str, outcome: str, detail: str = "") -> None:
    text = " ".join(sql.split())
    entry = _RESULTS.setdefault(text, {"outcome": outcome, "detail": detail, "runs": 0})
    entry["runs"] += 1
    # A statement that failed once is reported as failed (worst outcome wins).
    order = ["ok", "decimal", "order", "mismatch", "error"]
    if order.index(outcome) > order.index(entry["outcome"]):
        entry["outcome"], entry["detail"] = outcome, detail


class ShadowConnection(sqlite3.Connection):
    """A read-only SQLite connection whose reads are repeated on PostgreSQL."""

    shadow_path = ""

    def execute(self, sql, params=(), /):
        if _READ.match(sql):
            try:
                self._shadow(sql, params)
            except Exception as error:  # the tests' own results must not depend on it
                _record(sql, "error", f"plugin {type(error).__name__}: {error}")
        return super().execute(sql, params)

    def _shadow(self, sql, params) -> None:
        factory = self.row_factory
        self.row_factory = None
        try:
            expected = super().execute(sql, params).fetchall()
            version = super().execute(
                "SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        finally:
            self.row_factory = factory
        schema = _copy_store(self.shadow_path, int(version[0]) if version else 0)
        if schema is None:
            return
        pg = _pg()
        try:
            pg.execute(f"SET search_path TO {schema}")
            got = pg.execute(translate(sql), params if params else None).fetchall()
        except psycopg.Error as error:
            message = str(error).splitlines()[0] if str(error) else ""
            _record(sql, "error", f"{type(error).__name__}: {message}")
            return
        want = [tuple(_norm(v) for v in row) for row in expected]
        have = [tuple(_norm(v) for v in row) for row in got]
        if want == have:
            _record(sql, "decimal" if _has_decimal(got) else "ok")
        elif sorted(want, key=_key) == sorted(have, key=_key):
            ordered = re.search(r"\bORDER\s+BY\b", sql, re.IGNORECASE)
            _record(sql, "order" if ordered else ("decimal" if _has_decimal(got) else "ok"))
        else:
            first = next((i for i, (a, b) in enumerate(zip(want, have, strict=False))
                          if a != b), min(len(want), len(have)))
            _record(sql, "mismatch", f"{len(want)} rows vs {len(have)}; row {first}: "
                    f"{want[first:first + 1]} vs {have[first:first + 1]}")


def _connect(database, *args, **kwargs):
    if isinstance(database, str) and "mode=ro" in database and "factory" not in kwargs:
        conn = _REAL_CONNECT(database, *args, factory=ShadowConnection, **kwargs)
        path = database.split("?", 1)[0].removeprefix("file://")
        conn.shadow_path = path
        return conn
    return _REAL_CONNECT(database, *args, **kwargs)


def pytest_configure(config) -> None:
    shim = types.ModuleType("sqlite3_shadow")
    shim.__dict__.update(sqlite3.__dict__)
    shim.connect = _connect
    store_connection.sqlite3 = shim


def pytest_sessionfinish(session, exitstatus) -> None:
    counts = Counter(entry["outcome"] for entry in _RESULTS.values())
    errors = Counter(entry["detail"].split(":")[0] for entry in _RESULTS.values()
                     if entry["outcome"] == "error")
    report = Path(os.environ.get("CAMPAIGN_SHADOW_REPORT", "postgres-shadow.json"))
    report.write_text(json.dumps({"counts": counts, "errors": errors,
                                  "copy_errors": _COPY_ERRORS, "statements": _RESULTS},
                                 indent=1, default=str))
    print(f"\npostgres shadow: {len(_RESULTS)} distinct read statements: {dict(counts)}; "
          f"errors by class: {dict(errors)}; stores copied: {len(_COPIED)}, not copied: "
          f"{len(_COPY_ERRORS)} {sorted(set(_COPY_ERRORS))[:5]}; report: {report}")
    if _PG is not None:
        for schema in {s for s in _COPIED.values() if s}:
            _PG.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        _PG.close()
