"""Several sessions at once: imports queue behind the single writer, readers keep answering.

Streamlit runs each session in a thread of one process, so sessions are threads here; the
command line is another process, which waits on SQLite's busy timeout instead.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from campaign_core.demo.generator import build_demo_orders
from campaign_core.demo.order_files import order_rows, write_orders_csv
from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.metrics.core import core_kpis
from campaign_core.store import data_version, read_connection, write_transaction
from campaign_core.windows import period_window
from tests.conftest import DEMO_TODAY, PROJECT_ROOT, TZ

WRITERS = 5
READERS = 5
YEAR = period_window(date(2026, 1, 1), date(2026, 12, 31), TZ, datetime(2027, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class Export:
    path: Path
    order_ids: frozenset[str]
    lines: int


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> list[Export]:
    """``WRITERS + 1`` exports of ~2,500 lines each, no order ID in two of them."""
    folder = tmp_path_factory.mktemp("sessions")
    _, orders = build_demo_orders(DEMO_TODAY, seed=5, scale=0.05)
    made = []
    for number in range(WRITERS + 1):
        # Other leading digits: the same orders under IDs no other file (or hand order) has.
        renamed = [replace(order, order_id=str(int(order.order_id) + (number + 1) * 10**16))
                   for order in orders]
        rows = [row for order in renamed for row in order_rows(order)]
        path = write_orders_csv(folder / f"All order-session{number}.csv", rows)
        made.append(Export(path, frozenset(o.order_id for o in renamed), len(rows)))
    return made


@dataclass
class ReaderLog:
    answers: list[tuple[float, int, Decimal]] = field(default_factory=list)  # (end, version, GMV)


def read_until(db: Path, stop: threading.Event, log: ReaderLog) -> None:
    """A dashboard session: KPIs and the cache key, again and again."""
    while not stop.is_set():
        version = data_version(db)
        with read_connection(db) as conn:
            gmv = core_kpis(conn, 1, YEAR).gmv
        log.answers.append((time.monotonic(), version, gmv))


def collecting(errors: list[BaseException], work, *args) -> threading.Thread:
    def run() -> None:
        try:
            work(*args)
        except BaseException as error:  # collected: a failing session must fail the test
            errors.append(error)

    return threading.Thread(target=run)


def stored_lines(db: Path, order_ids: frozenset[str]) -> int:
    with read_connection(db) as conn:
        stored = {row[0]: row[1] for row in conn.execute(
            "SELECT order_id, COUNT(*) FROM order_line GROUP BY order_id")}
    assert order_ids <= stored.keys()
    return sum(stored[order_id] for order_id in order_ids)


@pytest.mark.slow
def test_five_imports_and_five_readers_at_once(hand_store, exports):
    errors: list[BaseException] = []
    reports: dict[int, ImportReport] = {}
    progress: dict[int, list[tuple[float, str]]] = {n: [] for n in range(WRITERS)}
    writing: list[tuple[float, float]] = []  # (start, end) of each import
    stop = threading.Event()
    readers = [ReaderLog() for _ in range(READERS)]

    def import_session(number: int) -> None:
        started = time.monotonic()
        reports[number] = import_file(
            hand_store, exports[number].path, timezone=TZ,
            progress=lambda fraction, text: progress[number].append((fraction, text)))
        writing.append((started, time.monotonic()))

    version_before = data_version(hand_store)
    reader_threads = [collecting(errors, read_until, hand_store, stop, log) for log in readers]
    writer_threads = [collecting(errors, import_session, n) for n in range(WRITERS)]
    started = time.monotonic()
    for thread in reader_threads + writer_threads:
        thread.start()
    for thread in writer_threads:
        thread.join()
    writers_done = time.monotonic()
    stop.set()
    for thread in reader_threads:
        thread.join()

    assert errors == []  # no "database is locked", no other failure, in any session
    assert all(report.ok for report in reports.values()), [r.message for r in reports.values()]
    assert data_version(hand_store) == version_before + WRITERS  # one commit per import
    for number in range(WRITERS):
        assert stored_lines(hand_store, exports[number].order_ids) == exports[number].lines
        assert progress[number][-1] == (1.0, "Done")
        fractions = [fraction for fraction, _ in progress[number]]
        assert fractions == sorted(fractions)

    busy_from = min(start for start, _ in writing)
    reads_while_writing = [sum(busy_from <= end <= writers_done for end, _, _ in log.answers)
                           for log in readers]
    longest_wait = max(_longest_gap(log, busy_from, writers_done) for log in readers)
    for log in readers:
        versions = [version for _, version, _ in log.answers]
        gmvs = [gmv for _, _, gmv in log.answers]
        assert versions == sorted(versions) and gmvs == sorted(gmvs)  # commits only add
    assert min(reads_while_writing) >= 3, reads_while_writing
    assert longest_wait < 5.0
    told_to_wait = sum(any("wait" in text.lower() for _, text in progress[n])
                       for n in range(WRITERS))
    print(f"\n{WRITERS} imports of ~{exports[0].lines:,} lines with {READERS} readers: "
          f"{writers_done - started:.1f} s; reads per reader while importing "
          f"{reads_while_writing}; longest wait for an answer {longest_wait:.2f} s; "
          f"data version {version_before} -> {data_version(hand_store)}; "
          f"{told_to_wait} imports' progress said they waited for another")


def _longest_gap(log: ReaderLog, start: float, end: float) -> float:
    moments = [start] + [moment for moment, _, _ in log.answers if start <= moment <= end]
    return max(b - a for a, b in zip(moments, moments[1:] + [end], strict=True))


@pytest.mark.slow
def test_a_command_line_import_waits_for_the_app_writer_instead_of_failing(hand_store,
                                                                          exports):
    """The app holds the write lock (a long import) while the command line, another process,
    wants it, and a second session queues too: all three finish, nothing is lost."""
    cli_export, session_export = exports[WRITERS], exports[0]
    errors: list[BaseException] = []
    hold_seconds = 3.0  # the command line needs ~1.5 s to reach its write
    with write_transaction(hand_store):
        child = subprocess.Popen(
            [sys.executable, "-m", "campaign_core", "import", "--db", str(hand_store),
             "--timezone", TZ, str(cli_export.path)],
            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        session = collecting(errors, import_file, hand_store, session_export.path)
        session.start()
        time.sleep(hold_seconds)
        assert child.poll() is None, "the command line ended while the app held the lock"
    released = time.monotonic()
    out, err = child.communicate(timeout=60)
    waited_after_release = time.monotonic() - released
    session.join()

    assert child.returncode == 0, err
    assert "database is locked" not in out + err
    assert errors == []
    for export in (cli_export, session_export):
        assert stored_lines(hand_store, export.order_ids) == export.lines
    print(f"\ncommand line finished {waited_after_release:.2f} s after the app released "
          f"the write lock it held for {hold_seconds:.0f} s")


UI_SOURCES = sorted([*PROJECT_ROOT.glob("pages/*.py"), *PROJECT_ROOT.glob("ui/*.py"),
                     PROJECT_ROOT / "app.py"])


def _called_name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


@pytest.mark.parametrize("source", UI_SOURCES, ids=lambda path: path.name)
def test_pages_hold_a_write_connection_only_inside_a_with_block(source):
    """Pages read through read-only connections; a write (saving a campaign, an import)
    takes the single writer for one ``with`` block, never keeps a connection."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    in_with = {id(item.context_expr) for node in ast.walk(tree)
               if isinstance(node, ast.With | ast.AsyncWith) for item in node.items}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        assert name not in {"connect", "_open_writer"}, \
            f"{source.name}:{node.lineno} opens a connection itself"
        if name == "write_transaction":
            assert id(node) in in_with, \
                f"{source.name}:{node.lineno} takes the writer outside a with block"
