"""All-or-nothing imports: a fault after any row, or a SIGKILL at any moment, leaves the store
as it was, or (a kill after the commit) with the whole file.

Faults are injected at two seams: while the file is read (the row iterator the parser pulls
from fails after k rows) and while the store is written (the writer's connection fails after
k rows went through ``executemany``, and once more after the last row, just before the
commit). The store already holds an import, so "unchanged" means something.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest

from campaign_core.demo.generator import build_demo_orders
from campaign_core.demo.order_files import OrderSpec, order_rows, write_orders_csv
from campaign_core.importers import handlers, orders_bulk, pipeline
from campaign_core.importers.pipeline import import_file
from campaign_core.store import ensure_store
from tests.conftest import DEMO_TODAY, PROJECT_ROOT, TZ, hand_orders, line

BIG_FILE_LINES = 20_000  # the sampled faults
# The SIGKILL loop: ~2 s per command-line import on a 2-core machine, 1.2 s of it Python
# starting up; big enough that the write transaction spills pages into the WAL.
KILL_FILE_LINES = 5_000
KILLS = 30


class InjectedFault(OSError):
    """The injected failure: an I/O error, as a full disk or a vanished file gives."""


# ---------------------------------------------------------------- what "unchanged" means

@dataclass(frozen=True)
class StoreState:
    digests: dict[str, str]  # table -> digest of all its rows
    data_version: int
    last_import_id: int


def store_state(db: Path) -> StoreState:
    conn = sqlite3.connect(db)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        digests = {table: _table_digest(conn, table) for table in tables}
        version = int(conn.execute(
            "SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])
        last_import = conn.execute("SELECT MAX(import_id) FROM import_log").fetchone()[0]
    finally:
        conn.close()
    return StoreState(digests, version, last_import or 0)


def _table_digest(conn: sqlite3.Connection, table: str, where: str = "") -> str:
    width = len(conn.execute(f"PRAGMA table_info({table})").fetchall())
    order = ", ".join(str(n) for n in range(1, width + 1))
    digest = hashlib.sha256()
    for row in conn.execute(f"SELECT * FROM {table} {where} ORDER BY {order}"):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def failed_import(db: Path, export: Path) -> str:
    """Import ``export`` while a fault is armed; return how the failure surfaced."""
    try:
        report = import_file(db, export, timezone=TZ)
    except InjectedFault:
        return "raised"
    assert not report.ok, f"the import succeeded despite the fault: {report.summary_line()}"
    return "rejected"


def assert_unchanged(db: Path, before: StoreState, outcome: str, where: str) -> None:
    """The store holds what it held ``before``. A failure the pipeline reports as a rejected
    file is logged by design: one "rejected" import_log row (and its data version) is then
    the only difference."""
    assert integrity(db) == "ok", where
    after = store_state(db)
    if outcome == "raised":
        assert after == before, f"{where}: the store changed"
        return
    changed = {t for t in after.digests if after.digests[t] != before.digests[t]}
    assert changed <= {"import_log", "meta"}, f"{where}: {sorted(changed)} changed"
    assert after.data_version == before.data_version + 1, where
    conn = sqlite3.connect(db)
    try:
        kept = _table_digest(conn, "import_log", f"WHERE import_id <= {before.last_import_id}")
        new_rows = conn.execute("SELECT status, rows_stored FROM import_log "
                                "WHERE import_id > ?", (before.last_import_id,)).fetchall()
    finally:
        conn.close()
    assert kept == before.digests["import_log"], f"{where}: earlier import log rows changed"
    assert new_rows == [("rejected", 0)], where


# ---------------------------------------------------------------- the fault seams

def _fail_after(rows: Iterator, limit: int) -> Iterator:
    for number, row in enumerate(rows):
        if number == limit:
            break
        yield row
    raise InjectedFault(f"read error after row {limit} (injected)")


def _raise_injected(*args, **kwargs):
    raise InjectedFault("bulk reader failure (injected)")


def arm_read_fault(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    """Make the file's data rows fail after ``limit`` rows were handed to the parser."""
    real_open_source = pipeline.open_source

    def open_failing(*args, **kwargs):
        table = real_open_source(*args, **kwargs)
        table.rows = _fail_after(table.rows, limit)
        return table

    monkeypatch.setattr(pipeline, "open_source", open_failing)


class FailingWrites:
    """Stands in for the writer's connection: lets ``limit`` rows through, then fails."""

    def __init__(self, conn: sqlite3.Connection, limit: float) -> None:
        self._conn, self._limit, self.rows_written = conn, limit, 0

    def executemany(self, sql: str, rows) -> sqlite3.Cursor:
        return self._conn.executemany(sql, self._counted(rows))

    def execute(self, sql: str, parameters=()) -> sqlite3.Cursor:
        self._count_one()
        return self._conn.execute(sql, parameters)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)

    def _counted(self, rows) -> Iterator:
        for row in rows:
            self._count_one()
            yield row

    def _count_one(self) -> None:
        if self.rows_written >= self._limit:
            raise InjectedFault(f"disk I/O error after {self.rows_written} rows written "
                                "(injected)")
        self.rows_written += 1


@dataclass
class WriteFault:
    limit: float = float("inf")
    rows_in_file: int = 0  # set by a run with no limit: every row the file writes
    parsed: object = None  # the first parse, reused (see arm_write_fault)


def arm_write_fault(monkeypatch: pytest.MonkeyPatch, fault: WriteFault,
                    reuse_parse: bool = False) -> None:
    """Fail the orders writer after ``fault.limit`` rows, or after its last row (before the
    commit) when the limit is not reached. With ``reuse_parse`` the file is parsed once and
    the result reused: the writer is under test, and parsing 20k rows per fault costs 2 s.
    The pipeline's classifier only sets the export stamp, equal for equal file names."""
    real = handlers.HANDLERS["orders"]

    def parse(table, zone, progress):
        if not (reuse_parse and fault.parsed is not None):
            fault.parsed = real.parse(table, zone, progress)
        return fault.parsed

    def write(conn, shop_id, import_id, parsed, plan):
        failing = FailingWrites(conn, fault.limit)
        real.write(failing, shop_id, import_id, parsed, plan)
        fault.rows_in_file = max(fault.rows_in_file, failing.rows_written)
        raise InjectedFault(f"failure after all {failing.rows_written} rows, before the "
                            "commit (injected)")

    monkeypatch.setitem(handlers.HANDLERS, "orders", replace(real, parse=parse, write=write))

    class FailingChunkedWriter(pipeline.ChunkedOrderWriter):
        """The same seam for a large file, which is read and written in chunks."""

        def __enter__(self):
            self.conn = self.failing = FailingWrites(self.conn, fault.limit)
            return super().__enter__()

        def __exit__(self, exc_type, exc, traceback):
            super().__exit__(exc_type, exc, traceback)
            fault.rows_in_file = max(fault.rows_in_file, self.failing.rows_written)
            if exc_type is None:
                raise InjectedFault(f"failure after all {self.failing.rows_written} rows, "
                                    "before the commit (injected)")
            return False

    monkeypatch.setattr(pipeline, "ChunkedOrderWriter", FailingChunkedWriter)


# ---------------------------------------------------------------- files

def next_day_orders() -> list[OrderSpec]:
    """Twelve rows: the hand orders a day later (some moved on) and three new orders."""
    orders = hand_orders()
    orders[0].status, orders[0].delivered = "Completed", datetime(2026, 11, 25, 9, 0)
    orders[3].status, orders[3].paid = "Awaiting shipment", datetime(2026, 11, 25, 10, 0)
    orders[4].status, orders[4].delivered = "Delivered", datetime(2026, 11, 25, 11, 0)
    return orders + [
        OrderSpec(f"57600000000000009{n}", "Shipped", datetime(2026, 11, 25, 8, n),
                  datetime(2026, 11, 25, 8, n + 1),
                  [line("04", n + 1, 2500), line("05", 1, 999)][: 1 + n % 2],
                  buyer_username=f"new{n}")
        for n in range(3)
    ] + [OrderSpec("576000000000000099", "Delivered", datetime(2026, 11, 25, 7, 0),
                   datetime(2026, 11, 25, 7, 1),
                   [line("01", 1, 1299), line("02", 2, 1299)], buyer_username="dora")]


@pytest.fixture
def small_export(tmp_path: Path) -> tuple[Path, int]:
    rows = [row for order in next_day_orders() for row in order_rows(order)]
    return write_orders_csv(tmp_path / "All order-2026-11-25-12_00.csv", rows), len(rows)


@pytest.fixture(scope="module")
def big_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int]]:
    """Two large exports of demo orders, built once: ~20k lines, and its first ~10k."""
    folder = tmp_path_factory.mktemp("big")
    _, orders = build_demo_orders(DEMO_TODAY, seed=3, scale=0.4)
    rows_by_order = [order_rows(order) for order in orders]
    exports = {}
    for name, wanted in (("big", BIG_FILE_LINES), ("kill", KILL_FILE_LINES)):
        rows: list[dict[str, str]] = []
        for order_lines in rows_by_order:  # whole orders only
            if len(rows) >= wanted:
                break
            rows.extend(order_lines)
        exports[name] = (write_orders_csv(folder / f"All order-{name}.csv", rows), len(rows))
    return exports


# ---------------------------------------------------------------- faults at every row

def test_a_read_fault_after_any_row_leaves_the_store_unchanged(hand_store, small_export,
                                                              monkeypatch):
    export, rows = small_export
    assert rows >= 12
    for limit in range(rows + 1):
        before = store_state(hand_store)
        with monkeypatch.context() as patch:
            arm_read_fault(patch, limit)
            outcome = failed_import(hand_store, export)
        assert_unchanged(hand_store, before, outcome, f"read fault after row {limit}")
    assert import_file(hand_store, export, timezone=TZ).ok  # and the file itself is fine


def test_a_write_fault_after_any_row_written_leaves_the_store_unchanged(hand_store,
                                                                       small_export,
                                                                       monkeypatch):
    export, rows = small_export
    fault = WriteFault()
    with monkeypatch.context() as patch:  # a first run counts the rows the file writes
        arm_write_fault(patch, fault)
        before = store_state(hand_store)
        assert_unchanged(hand_store, before, failed_import(hand_store, export), "count run")
    # Updated orders' old rows deleted, orders and lines inserted, catalog upserted.
    assert fault.rows_in_file > 2 * rows
    for limit in range(fault.rows_in_file + 1):
        before = store_state(hand_store)
        with monkeypatch.context() as patch:
            arm_write_fault(patch, WriteFault(limit))
            outcome = failed_import(hand_store, export)
        assert_unchanged(hand_store, before, outcome, f"write fault after row {limit}")


def test_an_unstorable_value_mid_write_leaves_only_the_logged_rejection(hand_store,
                                                                       small_export,
                                                                       monkeypatch):
    """SQLite refusing a value (here a forced constraint error) is the file's fault: the
    import is rejected (or raises), and nothing of the file is stored."""
    export, _ = small_export
    real = handlers.HANDLERS["orders"]

    def write(conn, shop_id, import_id, parsed, plan):
        written = real.write(conn, shop_id, import_id, parsed, plan)
        conn.execute("INSERT INTO shop (shop_id, name, timezone, currency) "
                     "SELECT shop_id, name, timezone, currency FROM shop LIMIT 1")
        return written

    monkeypatch.setitem(handlers.HANDLERS, "orders", replace(real, write=write))
    before = store_state(hand_store)
    try:
        outcome = failed_import(hand_store, export)
    except sqlite3.IntegrityError:
        outcome = "raised"
    assert_unchanged(hand_store, before, outcome, "constraint error after the last row")


def _sampled_limits(total: int, count: int, seed: int, *, with_end: bool) -> list[int]:
    """``count`` fault points in 0..total: the first, the last (``with_end``), random ones."""
    rng = random.Random(seed)
    ends = {0, total} if with_end else {0}
    limits = set(ends)
    while len(limits) < count:
        limits.add(rng.randrange(1, total))
    return sorted(limits)


def test_faults_at_sampled_rows_of_a_large_file_leave_the_store_unchanged(hand_store,
                                                                         big_exports,
                                                                         monkeypatch):
    export, rows = big_exports["big"]
    tried = Counter()
    # Nothing is written before the file is read to its end, and the small file's test
    # covers every row: three read faults here, the writer gets the samples.
    for limit in _sampled_limits(rows, 3, seed=1, with_end=False):
        before = store_state(hand_store)
        with monkeypatch.context() as patch:
            patch.setattr(orders_bulk, "BULK_MIN_ROWS", 10**9)  # rows come one by one
            arm_read_fault(patch, limit)
            outcome = failed_import(hand_store, export)
        assert_unchanged(hand_store, before, outcome, f"read fault after row {limit}")
        tried["read"] += 1
    # A file this size is read in bulk: a failure there rejects it as well.
    assert rows >= orders_bulk.BULK_MIN_ROWS
    before = store_state(hand_store)
    with monkeypatch.context() as patch:
        patch.setattr(orders_bulk, "_gather", _raise_injected)
        outcome = failed_import(hand_store, export)
    assert_unchanged(hand_store, before, outcome, "fault in the bulk reader")

    fault = WriteFault()
    with monkeypatch.context() as patch:
        arm_write_fault(patch, fault, reuse_parse=True)
        before = store_state(hand_store)
        assert_unchanged(hand_store, before, failed_import(hand_store, export), "count run")
        for limit in _sampled_limits(fault.rows_in_file, 10, seed=2, with_end=True):
            fault.limit = limit
            before = store_state(hand_store)
            outcome = failed_import(hand_store, export)
            assert_unchanged(hand_store, before, outcome, f"write fault after row {limit}")
            tried["write"] += 1
    assert tried == {"read": 3, "write": 10}
    print(f"\nlarge file: {rows:,} lines, {fault.rows_in_file:,} rows written per import; "
          f"faults tried: {dict(tried)}")


# ---------------------------------------------------------------- SIGKILL at random moments

def _counts(db: Path) -> tuple[int, int, int]:
    """(order lines, shops, imports) in one snapshot; opening recovers a killed writer's WAL."""
    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute(
            "SELECT (SELECT COUNT(*) FROM order_line), (SELECT COUNT(*) FROM shop), "
            "(SELECT COUNT(*) FROM import_log)").fetchone())
    finally:
        conn.close()


def _someone_is_writing(db: Path) -> bool:
    """Whether a write transaction is open on the store, asked without waiting (the probe
    holds the write lock for microseconds at most, never while the child is killed)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # "database is locked": the writer's lock is taken
        return True
    finally:
        probe.close()


def _wal_bytes(db: Path) -> int:
    """Size of the WAL file: the frames a killed writer left (a check's close removes it)."""
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def _start_cli_import(db: Path, export: Path, shop: str) -> subprocess.Popen:
    # Each attempt imports into its own shop, so a committed import adds all its lines.
    return subprocess.Popen(
        [sys.executable, "-m", "campaign_core", "import", "--db", str(db), "--shop", shop,
         str(export)],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass(frozen=True)
class Timeline:
    """Seconds from the start of a command-line import."""

    write_start: float  # the write transaction began
    write_end: float  # it committed
    total: float  # the process exited


def _measure_import(db: Path, export: Path, shop: str) -> Timeline:
    """Run a whole import, polling every 5 ms whether its write transaction is open."""
    started = time.monotonic()
    child = _start_cli_import(db, export, shop)
    write_start = write_end = None
    while child.poll() is None:
        writing, moment = _someone_is_writing(db), time.monotonic() - started
        if writing and write_start is None:
            write_start = moment
        if not writing and write_start is not None and write_end is None:
            write_end = moment
        time.sleep(0.005)
    total = time.monotonic() - started
    assert child.returncode == 0
    assert write_start is not None, "the import's write transaction was not seen"
    return Timeline(write_start, write_end or total, total)


@dataclass(frozen=True)
class Kill:
    after_write_start: bool  # the delay counts from the moment the write transaction opened
    delay: float


def _kill_plan(rng: random.Random, timeline: Timeline) -> list[Kill]:
    """Half the kills anywhere in the run (start-up and parsing included), half in the write
    transaction and the moments after its commit, where a kill could tear a write. Those
    are timed from the transaction's start as seen in the child (the machine's load moves
    it); each half is stratified, one moment per equal slice, so they really spread."""
    def spread(count: int, end: float) -> list[float]:
        return [(slot + rng.random()) * end / count for slot in range(count)]

    write_span = 1.5 * (timeline.write_end - timeline.write_start)  # and half as long after
    plan = ([Kill(False, delay) for delay in spread(KILLS // 2, timeline.total)]
            + [Kill(True, delay) for delay in spread(KILLS - KILLS // 2, write_span)])
    rng.shuffle(plan)
    return plan


def _wait_for_write_start(db: Path, child: subprocess.Popen) -> None:
    while child.poll() is None and not _someone_is_writing(db):
        time.sleep(0.003)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_sigkill_at_random_moments_leaves_the_old_store_or_the_whole_file(tmp_path,
                                                                          big_exports):
    export, file_lines = big_exports["kill"]
    db = ensure_store(tmp_path / "store.db")
    timeline = _measure_import(db, export, "Measured")  # the store now holds one import
    assert _counts(db) == (file_lines, 1, 1)

    outcomes: Counter[str] = Counter()
    for attempt, kill in enumerate(_kill_plan(random.Random(20261126), timeline)):
        lines, shops, imports = _counts(db)
        child = _start_cli_import(db, export, f"Kill {attempt}")
        if kill.after_write_start:
            _wait_for_write_start(db, child)
        time.sleep(kill.delay)
        writing = _someone_is_writing(db)
        exited = child.poll() is not None
        if not exited:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        wal_bytes = _wal_bytes(db)
        where = f"attempt {attempt}: {kill}, {timeline}"
        assert integrity(db) == "ok", where
        now_lines, now_shops, now_imports = _counts(db)
        assert now_lines in (lines, lines + file_lines), where
        committed = now_lines != lines
        # The shop, the lines and the log entry are one transaction: all there or none.
        assert (now_shops, now_imports) == (shops + committed, imports + committed), where
        outcomes[_outcome(exited, committed, writing)] += 1
        outcomes[TORN_WAL] += bool(writing and not committed and wal_bytes)

    summary = (f"{KILLS} SIGKILLs during a {file_lines:,}-line command-line import "
               f"(measured: write transaction {timeline.write_start:.2f}-"
               f"{timeline.write_end:.2f} s of {timeline.total:.2f} s): "
               + ", ".join(f"{outcomes[name]} {name}" for name in OUTCOMES))
    print("\n" + summary)


BEFORE_WRITE = "killed before the write transaction"
IN_WRITE = "killed inside it"
TORN_WAL = "of which left uncommitted frames in the WAL"
AFTER_COMMIT = "killed after the commit"
EXITED = "finished before the kill"
OUTCOMES = (BEFORE_WRITE, IN_WRITE, TORN_WAL, AFTER_COMMIT, EXITED)


def _outcome(exited: bool, committed: bool, writing: bool) -> str:
    if exited:
        return EXITED
    if committed:
        return AFTER_COMMIT
    return IN_WRITE if writing else BEFORE_WRITE
