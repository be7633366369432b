"""Many viewers at once: websocket clients driven the way a browser drives Streamlit.

Each viewer opens ``/_stcore/stream`` as the browser does (its own XSRF token, the page's
query string), asks for a run of the Overview in the Today view, and then, every time the
app's ``auto_rerun`` message says (the Today view's refresh), asks for a rerun of that
fragment only, as the browser's timer does (``ClientState.fragment_id``,
``is_auto_rerun``). A render is timed from the request to the app's ``script_finished``.

While they watch, an import of the held-back export runs in another process (as the inbox
watcher or the command line would). A reader of the store (read-only, as the pages read
it) polls its data version meanwhile: the moment the version moves is the import's commit
(and a "database is locked" there would be a reader locked out by the import). Each
viewer's KPI cards (GMV, Orders) are read from the metric elements of every render; a
viewer saw the new orders "within one refresh" when a render that finished at most one
refresh interval plus ``RENDER_ALLOWANCE_S`` after the commit shows other GMV and orders
than its last render before the import started (the clock is frozen: only data changes).
"""

from __future__ import annotations

import hashlib
import math
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

LOCKED = "database is locked"
# A render may take this long (target 5's p95) on top of the refresh interval.
RENDER_ALLOWANCE_S = 2.0
# The KPI cards whose values must change when the new orders are in.
WATCHED_FIGURES = ("GMV", "Orders")


@dataclass
class Render:
    sent: float  # monotonic seconds
    seconds: float
    fingerprint: str
    fragment: bool
    errors: list[str]
    figures: dict[str, str] = field(default_factory=dict)  # KPI card label -> value shown

    def shown(self) -> object:
        """What the viewer reads: the watched KPI cards (the whole render's fingerprint when
        it drew none of them)."""
        watched = {k: v for k, v in self.figures.items() if k in WATCHED_FIGURES}
        return watched or self.fingerprint


@dataclass
class Viewer:
    number: int
    renders: list[Render] = field(default_factory=list)
    failure: str | None = None
    interval: float = 10.0  # the refresh interval the app asked for


def watch(url: str, query_string: str, viewers: int, duration_s: float,
          import_command: list[str] | None, import_after_s: float,
          server_pid: int | None = None, cwd: Path | None = None,
          db: Path | None = None) -> dict:
    """Run ``viewers`` clients on ``url`` for ``duration_s`` seconds; after
    ``import_after_s`` seconds run ``import_command`` (into the store ``db``, whose data
    version is polled to time its commit). When the import commits late, the viewers
    watch on until each has refreshed twice after the commit. Returns the measurements."""
    # Shared with the viewers: when the import commits, each watches on until it has asked
    # for two refreshes after the commit.
    shared = {"deadline": time.monotonic() + duration_s, "committed": None,
              "importing": bool(import_command)}
    crowd = [Viewer(number) for number in range(viewers)]
    threads = [threading.Thread(target=_view, args=(url, query_string, viewer, shared),
                                daemon=True) for viewer in crowd]
    sampler = _Sampler(server_pid)
    sampler.start()
    versions = _VersionWatch(db, shared)
    versions.start()
    for thread in threads:
        thread.start()
        time.sleep(0.05)  # browsers do not open in the same millisecond either
    imported: dict = {}
    started = committed = None
    if import_command:
        time.sleep(max(0.0, import_after_s))
        # The check below compares each viewer's refreshes before and after the import:
        # start it once every viewer has finished one refresh (or given up), at most 10 min.
        waited_until = time.monotonic() + 600
        while time.monotonic() < waited_until and not all(
                viewer.failure or any(r.fragment for r in viewer.renders) for viewer in crowd):
            time.sleep(0.5)
        started = time.monotonic()
        versions.import_started = started
        done = subprocess.run(import_command, cwd=cwd, capture_output=True, text=True)
        exited = time.monotonic()
        imported = {"seconds": round(exited - started, 2), "returncode": done.returncode,
                    "output": (done.stdout + done.stderr)[-400:]}
        # The commit as the reader saw it (its data version moved), else the process's exit.
        committed = versions.committed or exited
        imported["commit_seen_by_reader"] = versions.committed is not None
        imported["commit_before_exit_s"] = round(exited - committed, 2)
        shared["committed"] = committed
    for thread in threads:
        thread.join(timeout=max(0.0, shared["deadline"] - time.monotonic()) + 600)
    sampler.stop()
    versions.stop()
    summary = _summary(crowd, imported, started, committed, sampler, duration_s)
    summary["reader_polls"] = versions.polls
    summary["reader_locked"] = versions.locked
    summary["database_locked"] += versions.locked
    summary["errors"] += versions.locked
    return summary


def _view(url: str, query_string: str, viewer: Viewer, shared: dict) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.web.server.starlette.starlette_app_utils import (
        generate_xsrf_token_string,
    )
    from websockets.sync.client import connect

    token = generate_xsrf_token_string()
    try:
        with connect(url.replace("http://", "ws://") + "/_stcore/stream",
                     subprotocols=["streamlit", token],
                     additional_headers={"Cookie": f"_streamlit_xsrf={token}", "Origin": url},
                     max_size=None, open_timeout=60) as socket:
            page_hash, fragment, interval = "", "", 0.0

            def render(fragment_id: str = "") -> None:
                nonlocal page_hash, fragment, interval
                state = ClientState(query_string=query_string, page_script_hash=page_hash,
                                    fragment_id=fragment_id, is_auto_rerun=bool(fragment_id))
                sent = time.monotonic()
                socket.send(BackMsg(rerun_script=state).SerializeToString())
                digest, errors, figures = hashlib.sha256(), [], {}
                while True:
                    message = ForwardMsg()
                    message.ParseFromString(socket.recv(timeout=120))
                    kind = message.WhichOneof("type")
                    if kind == "new_session":
                        page_hash = message.new_session.page_script_hash or page_hash
                    elif kind == "auto_rerun":
                        fragment = message.auto_rerun.fragment_id
                        interval = viewer.interval = message.auto_rerun.interval
                    elif kind == "delta":
                        element = message.delta.new_element
                        shown = element.WhichOneof("type")
                        if shown == "exception":
                            errors.append(f"{element.exception.type}: "
                                          f"{element.exception.message}"[:300])
                        elif shown == "metric":
                            figures[element.metric.label] = element.metric.body
                        digest.update(message.delta.SerializeToString())
                    elif kind == "script_finished":
                        viewer.renders.append(Render(sent, time.monotonic() - sent,
                                                     digest.hexdigest(), bool(fragment_id),
                                                     errors, figures))
                        return

            render()
            def watching() -> bool:
                if time.monotonic() + interval < shared["deadline"]:
                    return True
                if not shared["importing"]:
                    return False
                committed = shared["committed"]  # None until the import has committed
                return committed is None or viewer.renders[-1].sent < committed + interval

            while fragment and watching():
                time.sleep(max(0.0, viewer.renders[-1].sent + interval - time.monotonic()))
                render(fragment)
            if not fragment:
                viewer.failure = "the page asked for no refresh (not the Today view?)"
    except Exception as error:  # a viewer's failure is a result, not a crash of the run
        viewer.failure = f"{type(error).__name__}: {error}"[:300]


class _VersionWatch(threading.Thread):
    """A reader of the store, as the pages read it (read-only), polling its data version
    every 0.1 s once the import has started: when the version moves, the import has
    committed. Counts the polls and any "database is locked" it meets."""

    def __init__(self, db: Path | None, shared: dict) -> None:
        super().__init__(daemon=True)
        self.db, self.shared = db, shared
        self.import_started: float | None = None
        self.committed: float | None = None
        self.polls = self.locked = 0
        self._stopped = threading.Event()

    def run(self) -> None:
        if self.db is None:
            return
        import sqlite3

        first = None
        while not self._stopped.wait(0.1):
            if self.import_started is None or self.committed is not None:
                continue
            try:
                conn = sqlite3.connect(f"{Path(self.db).resolve().as_uri()}?mode=ro", uri=True)
                try:
                    version = conn.execute(
                        "SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0]
                finally:
                    conn.close()
            except sqlite3.OperationalError as error:
                self.locked += LOCKED in str(error)
                continue
            self.polls += 1
            if first is None:
                first = version
            elif version != first:
                self.committed = time.monotonic()
                self.shared["committed"] = self.committed

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)


class _Sampler(threading.Thread):
    """The server process's CPU (share of one core) and resident memory, once a second."""

    def __init__(self, pid: int | None) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples = pid, []
        self._stopped = threading.Event()

    def run(self) -> None:
        if self.pid is None:
            return
        ticks = _clock_ticks()
        last = None
        while not self._stopped.wait(1.0):
            try:
                fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
                status = Path(f"/proc/{self.pid}/status").read_text()
            except OSError:
                return
            cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
            rss = int(next(line.split()[1] for line in status.splitlines()
                           if line.startswith("VmRSS:"))) / 1024
            now = time.monotonic()
            if last is not None:
                self.samples.append(((cpu - last[1]) / (now - last[0]), rss))
            last = (now, cpu)

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)


def _clock_ticks() -> int:
    import os

    return os.sysconf("SC_CLK_TCK")


def _summary(crowd: list[Viewer], imported: dict, import_started: float | None,
             committed: float | None, sampler: _Sampler, duration_s: float) -> dict:
    renders = [r for viewer in crowd for r in viewer.renders]
    seconds = sorted(r.seconds for r in renders)
    errors = [e for r in renders for e in r.errors]
    failures = [v.failure for v in crowd if v.failure]
    saw_new = refreshed_after = None
    latencies: list[float] = []
    if import_started is not None and committed is not None:
        saw_new = refreshed_after = 0
        for viewer in crowd:
            before = [r for r in viewer.renders if r.sent + r.seconds <= import_started]
            after = [r for r in viewer.renders if r.sent >= committed]
            refreshed_after += bool(after)
            if not before:
                continue
            # The first render after the commit whose KPI cards differ from the last render
            # finished before the import started (the clock is frozen: only data changes).
            changed = next((r for r in viewer.renders if r.sent + r.seconds > committed
                            and r.shown() != before[-1].shown()), None)
            if changed is None:
                continue
            latency = changed.sent + changed.seconds - committed
            latencies.append(latency)
            saw_new += latency <= viewer.interval + RENDER_ALLOWANCE_S
    cpu = [s[0] for s in sampler.samples]
    rss = [s[1] for s in sampler.samples]
    return {
        "viewers": len(crowd), "duration_s": duration_s, "renders": len(renders),
        "fragment_renders": sum(r.fragment for r in renders),
        "p50_render_s": round(statistics.median(seconds), 3) if seconds else None,
        "p95_render_s": round(_percentile(seconds, 0.95), 3) if seconds else None,
        "max_render_s": round(seconds[-1], 3) if seconds else None,
        # The refreshes apart from each viewer's first render (a whole page, opened by all
        # viewers within a second of the server's start).
        "p95_refresh_s": _rounded_percentile([r.seconds for r in renders if r.fragment]),
        "p95_first_render_s": _rounded_percentile([r.seconds for r in renders
                                                   if not r.fragment]),
        "errors": len(errors) + len(failures), "error_samples": (errors + failures)[:5],
        "database_locked": sum(LOCKED in e for e in errors + failures),
        "import": imported, "viewers_seeing_new_orders": saw_new,
        "viewers_refreshed_after_commit": refreshed_after,
        "new_orders_shown_after_commit_s": {
            "median": round(statistics.median(latencies), 2),
            "max": round(max(latencies), 2)} if latencies else None,
        "server_cpu_mean_pct": round(100 * statistics.mean(cpu), 1) if cpu else None,
        "server_cpu_max_pct": round(100 * max(cpu), 1) if cpu else None,
        "server_rss_max_mb": round(max(rss), 1) if rss else None,
    }


def _rounded_percentile(values: list[float], share: float = 0.95) -> float | None:
    return round(_percentile(sorted(values), share), 3) if values else None


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted ``values``."""
    index = min(len(values) - 1, max(0, math.ceil(share * len(values)) - 1))
    return values[index]


def import_command(db: Path, export: Path, shop: str, timezone: str) -> list[str]:
    """The command line's import of ``export`` into ``db``, in its own process."""
    return [sys.executable, "-m", "campaign_core", "import", "--db", str(db), "--shop", shop,
            "--timezone", timezone, str(export)]
