"""Many viewers at once: websocket clients driven the way a browser drives Streamlit.

Each viewer opens ``/_stcore/stream`` as the browser does (its own XSRF token, the page's
query string), asks for a run of the Overview in the Today view, and then, every time the
app's ``auto_rerun`` message says (the Today view's refresh), asks for a rerun of that
fragment only, as the browser's timer does (``ClientState.fragment_id``,
``is_auto_rerun``). A render is timed from the request to the app's ``script_finished``.

While they watch, an import of the held-back export runs in another process (as the inbox
watcher or the command line would). Each viewer's first refresh asked for after the
import's commit must show something else than before it: the new orders.
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


@dataclass
class Render:
    sent: float  # monotonic seconds
    seconds: float
    fingerprint: str
    fragment: bool
    errors: list[str]


@dataclass
class Viewer:
    number: int
    renders: list[Render] = field(default_factory=list)
    failure: str | None = None


def watch(url: str, query_string: str, viewers: int, duration_s: float,
          import_command: list[str] | None, import_after_s: float,
          server_pid: int | None = None, cwd: Path | None = None) -> dict:
    """Run ``viewers`` clients on ``url`` for ``duration_s`` seconds; after
    ``import_after_s`` seconds run ``import_command``. When the import commits late, the
    viewers watch on until each has asked for a refresh after the commit. Returns the
    measurements."""
    # Shared with the viewers: when the import commits, each watches on until it has asked
    # for a refresh after the commit.
    shared = {"deadline": time.monotonic() + duration_s, "committed": None}
    crowd = [Viewer(number) for number in range(viewers)]
    threads = [threading.Thread(target=_view, args=(url, query_string, viewer, shared),
                                daemon=True) for viewer in crowd]
    sampler = _Sampler(server_pid)
    sampler.start()
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
        done = subprocess.run(import_command, cwd=cwd, capture_output=True, text=True)
        imported = {"seconds": round(time.monotonic() - started, 2),
                    "returncode": done.returncode,
                    "output": (done.stdout + done.stderr)[-400:]}
        committed = time.monotonic()  # the import's process has committed and exited
        shared["committed"] = committed
    for thread in threads:
        thread.join(timeout=max(0.0, shared["deadline"] - time.monotonic()) + 600)
    sampler.stop()
    return _summary(crowd, imported, started, committed, sampler, duration_s)


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
                digest, errors = hashlib.sha256(), []
                while True:
                    message = ForwardMsg()
                    message.ParseFromString(socket.recv(timeout=120))
                    kind = message.WhichOneof("type")
                    if kind == "new_session":
                        page_hash = message.new_session.page_script_hash or page_hash
                    elif kind == "auto_rerun":
                        fragment = message.auto_rerun.fragment_id
                        interval = message.auto_rerun.interval
                    elif kind == "delta":
                        element = message.delta.new_element
                        if element.WhichOneof("type") == "exception":
                            errors.append(f"{element.exception.type}: "
                                          f"{element.exception.message}"[:300])
                        digest.update(message.delta.SerializeToString())
                    elif kind == "script_finished":
                        viewer.renders.append(Render(sent, time.monotonic() - sent,
                                                     digest.hexdigest(), bool(fragment_id),
                                                     errors))
                        return

            render()
            def watching() -> bool:
                if time.monotonic() + interval < shared["deadline"]:
                    return True
                committed = shared["committed"]  # None until the import has committed
                return committed is None or viewer.renders[-1].sent < committed

            while fragment and watching():
                time.sleep(max(0.0, viewer.renders[-1].sent + interval - time.monotonic()))
                render(fragment)
            if not fragment:
                viewer.failure = "the page asked for no refresh (not the Today view?)"
    except Exception as error:  # a viewer's failure is a result, not a crash of the run
        viewer.failure = f"{type(error).__name__}: {error}"[:300]


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
    if import_started is not None and committed is not None:
        saw_new = refreshed_after = 0
        for viewer in crowd:
            before = [r for r in viewer.renders
                      if r.fragment and r.sent + r.seconds <= import_started]
            after = [r for r in viewer.renders if r.fragment and r.sent >= committed]
            refreshed_after += bool(after)
            # The first refresh asked for after the commit differs from the last refresh
            # finished before the import started (the clock is frozen: only data changes).
            if before and after and after[0].fingerprint != before[-1].fingerprint:
                saw_new += 1
    cpu = [s[0] for s in sampler.samples]
    rss = [s[1] for s in sampler.samples]
    return {
        "viewers": len(crowd), "duration_s": duration_s, "renders": len(renders),
        "fragment_renders": sum(r.fragment for r in renders),
        "p50_render_s": round(statistics.median(seconds), 3) if seconds else None,
        "p95_render_s": round(_percentile(seconds, 0.95), 3) if seconds else None,
        "max_render_s": round(seconds[-1], 3) if seconds else None,
        "errors": len(errors) + len(failures), "error_samples": (errors + failures)[:5],
        "database_locked": sum(LOCKED in e for e in errors + failures),
        "import": imported, "viewers_seeing_new_orders": saw_new,
        "viewers_refreshed_after_commit": refreshed_after,
        "server_cpu_mean_pct": round(100 * statistics.mean(cpu), 1) if cpu else None,
        "server_cpu_max_pct": round(100 * max(cpu), 1) if cpu else None,
        "server_rss_max_mb": round(max(rss), 1) if rss else None,
    }


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted ``values``."""
    index = min(len(values) - 1, max(0, math.ceil(share * len(values)) - 1))
    return values[index]


def import_command(db: Path, export: Path, shop: str, timezone: str) -> list[str]:
    """The command line's import of ``export`` into ``db``, in its own process."""
    return [sys.executable, "-m", "campaign_core", "import", "--db", str(db), "--shop", shop,
            "--timezone", timezone, str(export)]
