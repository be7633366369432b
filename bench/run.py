"""The performance benchmark: ``python bench/run.py --lines 1000000``.

Builds a large store from the demo generator (scaled) through the real importer and
measures, in one run on this machine:
 (a) end-to-end import of the orders export, beside ``sqlite3 .import`` of the same file
     and a plain Python ``executemany`` load of it (references);
 (b) incremental imports of ~1,000-line exports into the full store;
 (c) per page, the campaign_core calls it makes (recorded from a real run), cold and warm,
     for the Today, Daily and Campaign Period views;
 (d) the same aggregations in DuckDB over the same rows, where the core call has one;
 (e) AppTest runs of every page, cold (empty cache) and cached;
 (f) in a real ``streamlit run`` app and a headless Chromium: the time from navigation to
     a fully rendered page, the first page after the server starts, then every page in
     every view cold and warm; and the server's peak memory meanwhile;
 (g) 20 viewers on the Today view (websocket clients driven as a browser drives them, the
     view refreshing every 10 s) while an import of 50,000 lines runs.
The import runs in a process of its own, so that its peak memory is measured alone.
``--ten-million`` builds an agency's season instead: ten shops of a million lines each in
one store (each shop's import timed against ``sqlite3 .import`` of its file).
Prints a table of medians and ratios, each target met or missed, and writes
``bench/results/<date>-<cores>core.json``. Not part of the test suite (pytest collects
``tests/`` only).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.dataset import reused_dataset, write_dataset  # noqa: E402

TODAY = date(2026, 11, 26)
NOW = "2026-11-26T22:30:00+00:00"  # mid-afternoon of "today" in Los Angeles
TIMEZONE = "America/Los_Angeles"
SHOP = "Benchmark shop"
VIEWS = {"today": "Today", "daily": "Daily", "period": "Campaign Period"}
# Issue 19's five targets (medians, side by side in one run), then the earlier ones kept.
TARGETS = {"import_vs_sqlite3": 1.5, "import_peak_rss_mb": 1024, "query_ms": 100,
           "query_ms_ten_million": 300, "query_vs_duckdb": 1.0, "browser_warm_s": 1.0,
           "browser_first_s": 3.0, "viewers_p95_s": 2.0, "incremental_s": 1.0,
           "apptest_warm_s": 0.5, "apptest_cold_s": 2.0, "peak_memory_mb": 500}
VIEWERS, VIEWER_REFRESH_S = 20, 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, help="folder for the files and stores "
                                                  "(default: a temporary folder, removed)")
    parser.add_argument("--results", type=Path, default=PROJECT_ROOT / "bench" / "results")
    parser.add_argument("--repeats", type=int, default=3, help="runs per reference timing")
    parser.add_argument("--reuse-exports", action="store_true",
                        help="with --work: reuse the export files of an earlier run there")
    parser.add_argument("--ten-million", action="store_true",
                        help="ten shops of --lines each (default a million: 10M lines) in "
                             "one store; takes long")
    parser.add_argument("--viewers-seconds", type=float, default=300,
                        help="how long the 20 viewers watch the Today view (default 5 min)")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: "
                                                   "references,pages,apptest,browser,viewers")
    parser.add_argument("--db", type=Path, help="with --only: an existing benchmark store "
                                                "(built by an earlier run) to measure")
    parser.add_argument("--only", choices=("pages",), help="with --db: run only this part "
                        "on the store (it is read, never changed)")
    parser.add_argument("--pages", default="", help="with --only pages: comma-separated "
                        "page names (e.g. products,overview); all by default")
    args = parser.parse_args()
    if args.only or args.db:
        if not (args.only and args.db):
            parser.error("--only and --db go together")
        return _only_pages(args)
    skip = set(filter(None, args.skip.split(",")))
    shops = 10 if args.ten_million else 1
    work = args.work or Path(tempfile.mkdtemp(prefix="campaign-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["CAMPAIGN_MAX_IMPORT_MB"] = "100000"  # the scaled export is over the default
    results: dict = {"machine": _machine(), "lines_requested": args.lines,
                     "shops": shops,
                     "started_utc": datetime.now(UTC).isoformat(timespec="seconds"),
                     "targets": TARGETS}
    started = time.perf_counter()
    args.results.mkdir(parents=True, exist_ok=True)
    scale = f"-{shops}shops" if shops > 1 else ""
    out = args.results / f"{date.today():%Y-%m-%d}-{os.cpu_count()}core{scale}.json"

    def save() -> None:  # after every part: a failure late in the run keeps what was measured
        results["total_seconds"] = round(time.perf_counter() - started, 1)
        # The machine may be shared: the load average after each part says how much.
        results.setdefault("load_average", []).append(
            {"after_s": results["total_seconds"], "load_1min": round(os.getloadavg()[0], 1)})
        results["verdicts"] = _verdicts(results)
        shown = {**results, "dataset": {k: v for k, v in results.get("dataset", {}).items()
                                        if k != "folder"}}
        out.write_text(json.dumps(shown, indent=1, default=str) + "\n")

    try:
        db = work / "bench.db"
        db.unlink(missing_ok=True)
        results["dataset"] = _dataset(work, args.lines, args.reuse_exports)
        results["import"] = _import(db, work, results["dataset"], args.repeats,
                                    "references" not in skip)
        save()
        if shops > 1:
            results["more_shops"] = _more_shops(db, results["dataset"], shops,
                                                results["import"])
            save()
        _add_campaign(db)
        results["incremental"] = _incremental(db, results["dataset"])
        save()
        if "pages" not in skip or "apptest" not in skip:
            results["pages"] = _pages(db, skip)
            save()
        if "browser" not in skip and "memory" not in skip:
            try:
                results["memory"] = _memory(db)
            except Exception as error:  # a browser problem must not lose the rest
                results["memory"] = {"error": f"{type(error).__name__}: {error}"[:500]}
            save()
        if "viewers" not in skip and results["dataset"].get("viewer_export"):
            try:
                results["viewers"] = _viewers(db, results["dataset"], args.viewers_seconds)
            except Exception as error:
                results["viewers"] = {"error": f"{type(error).__name__}: {error}"[:500]}
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    save()
    _print(results)
    print(f"\nResults written to {out}")
    return 0


def _only_pages(args) -> int:
    """The pages part alone on an existing store: what ``--only pages --db`` runs. Writes
    ``<date>-<cores>core-pages.json`` beside the other results."""
    db = args.db.resolve()
    if not db.exists():
        raise SystemExit(f"No store at {db}")
    pages = set(filter(None, args.pages.split(",")))
    results: dict = {"machine": _machine(), "only": "pages", "pages_chosen": sorted(pages),
                     "started_utc": datetime.now(UTC).isoformat(timespec="seconds"),
                     "targets": TARGETS}
    started = time.perf_counter()
    results["pages"] = _pages(db, set(filter(None, args.skip.split(","))), pages)
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["load_average"] = [{"after_s": results["total_seconds"],
                                "load_1min": round(os.getloadavg()[0], 1)}]
    results["verdicts"] = _verdicts(results)
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"{date.today():%Y-%m-%d}-{os.cpu_count()}core-pages.json"
    out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    _print(results)
    print(f"\nResults written to {out}")
    return 0


def _machine() -> dict:
    memory_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": round(memory_kb / 2**20, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "system": platform.platform()}


def _dataset(work: Path, lines: int, reuse: bool = False) -> dict:
    data = reused_dataset(work / "exports", TODAY) if reuse else None
    if data is None:
        print(f"Writing the scaled demo export (~{lines:,} lines) ...", flush=True)
        data = write_dataset(work / "exports", lines, today=TODAY)
    print(f"  {data.lines:,} lines, {data.orders:,} orders in {data.seconds:.0f} s", flush=True)
    # Paths stay in memory only: the results file names files, never this machine's folders.
    return {"full_export": data.full_export.name, "lines": data.lines, "orders": data.orders,
            "bytes": data.full_export.stat().st_size, "seconds": round(data.seconds, 1),
            "incremental_exports": [p.name for p in data.incremental_exports],
            "incremental_lines": data.incremental_lines, "folder": data.full_export.parent,
            "viewer_export": data.viewer_export.name if data.viewer_export else None,
            "viewer_lines": data.viewer_lines}


def _import_process(db: Path, export: Path, shop: str) -> dict:
    """One import in a fresh process (``bench/import_once.py``): its figures and peak RSS."""
    done = subprocess.run([sys.executable, "-m", "bench.import_once", str(db), str(export),
                           shop, TIMEZONE], cwd=PROJECT_ROOT, capture_output=True, text=True)
    try:
        measured = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise SystemExit(f"The import failed: {done.stderr[-2000:]}") from None
    if not measured["ok"]:
        raise SystemExit(f"The import failed: {measured['message']}")
    return measured


def _import(db: Path, work: Path, dataset: dict, repeats: int, references: bool) -> dict:
    export = dataset["folder"] / dataset["full_export"]
    lines = dataset["lines"]
    print("Importing the full export (read, parse, validate, store, rollups) ...", flush=True)
    measured = _import_process(db, export, SHOP)
    seconds = measured["seconds"]
    result = {"seconds": seconds, "cpu_seconds": measured["cpu_seconds"],
              "lines_per_s": round(lines / seconds), "rows_stored": measured["rows_stored"],
              "quarantined": measured["quarantined"], "peak_rss_mb": measured["peak_rss_mb"],
              "db_mb": _mb(db), "db_mb_per_million_lines": round(_mb(db) * 1e6 / lines, 1)}
    print(f"  {seconds:.1f} s, {lines / seconds:,.0f} lines/s, peak RSS "
          f"{measured['peak_rss_mb']:,.0f} MB, store {result['db_mb']:,.0f} MB", flush=True)
    if references:
        result["sqlite3_import"] = _sqlite3_cli_import(work, export, lines, repeats)
        result["python_executemany"] = _executemany_import(work, export, lines, repeats)
        reference = result["sqlite3_import"] or result["python_executemany"]
        if reference:
            result["ratio_vs_sqlite3"] = round(seconds / reference["median_s"], 2)
    return result


def _more_shops(db: Path, dataset: dict, shops: int, first: dict) -> dict:
    """Shops 2..``shops`` of an agency's season: the same export imported into each (order
    IDs are per shop), each timed against the ``sqlite3 .import`` median of the file."""
    export = dataset["folder"] / dataset["full_export"]
    reference = (first.get("sqlite3_import") or {}).get("median_s")
    runs = []
    for number in range(2, shops + 1):
        measured = _import_process(db, export, f"{SHOP} {number}")
        measured["ratio_vs_sqlite3"] = (round(measured["seconds"] / reference, 2)
                                        if reference else None)
        runs.append(measured)
        print(f"  shop {number}: {measured['seconds']:.1f} s "
              f"(x{measured['ratio_vs_sqlite3']} sqlite3), peak RSS "
              f"{measured['peak_rss_mb']:,.0f} MB", flush=True)
    lines = dataset["lines"] * shops
    return {"imports": runs, "lines": lines, "db_mb": _mb(db),
            "db_mb_per_million_lines": round(_mb(db) * 1e6 / lines, 1),
            "worst_ratio_vs_sqlite3": max((r["ratio_vs_sqlite3"] or 0 for r in runs),
                                          default=None)}


def _sqlite3_cli_import(work: Path, export: Path, lines: int, repeats: int) -> dict | None:
    cli = shutil.which("sqlite3")
    if cli is None:
        print("  sqlite3 CLI not installed (apt-get install sqlite3): reference skipped")
        return None
    runs = []
    for run in range(repeats):
        target = work / f"reference-cli-{run}.db"
        target.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run([cli, str(target), ".mode csv", f".import '{export}' orders_raw"],
                       check=True, capture_output=True)
        runs.append(time.perf_counter() - started)
        target.unlink(missing_ok=True)
    median = statistics.median(runs)
    print(f"  sqlite3 .import: {median:.1f} s, {lines / median:,.0f} lines/s", flush=True)
    return {"median_s": round(median, 2), "runs_s": [round(r, 2) for r in runs],
            "lines_per_s": round(lines / median)}


def _executemany_import(work: Path, export: Path, lines: int, repeats: int) -> dict:
    """csv.reader + one executemany of the raw text rows in one transaction."""
    runs = []
    for run in range(repeats):
        target = work / f"reference-py-{run}.db"
        target.unlink(missing_ok=True)
        started = time.perf_counter()
        conn = sqlite3.connect(target, isolation_level=None)
        with export.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            conn.execute(f"CREATE TABLE raw ({', '.join(f'c{i}' for i in range(len(header)))})")
            conn.execute("BEGIN")
            conn.executemany(f"INSERT INTO raw VALUES ({', '.join('?' * len(header))})", reader)
            conn.execute("COMMIT")
        conn.close()
        runs.append(time.perf_counter() - started)
        target.unlink(missing_ok=True)
    median = statistics.median(runs)
    print(f"  Python executemany: {median:.1f} s, {lines / median:,.0f} lines/s", flush=True)
    return {"median_s": round(median, 2), "runs_s": [round(r, 2) for r in runs],
            "lines_per_s": round(lines / median)}


def _add_campaign(db: Path) -> None:
    from campaign_core.demo.generator import CAMPAIGN_LENGTH, TODAY_CAMPAIGN_DAY
    from campaign_core.store import write_transaction
    from campaign_core.store.campaigns import save_campaign
    from campaign_core.store.shops import resolve_shop

    start = TODAY - timedelta(days=TODAY_CAMPAIGN_DAY - 1)
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, SHOP, TIMEZONE)
        save_campaign(conn, shop_id=shop.shop_id, name="Black Friday (benchmark)",
                      start_day=start, end_day=start + timedelta(days=CAMPAIGN_LENGTH - 1),
                      gmv_target_cents=50_000_000_00)


def _incremental(db: Path, dataset: dict) -> dict:
    from campaign_core.importers.pipeline import import_file

    runs = []
    for name, lines in zip(dataset["incremental_exports"], dataset["incremental_lines"],
                           strict=True):
        started = time.perf_counter()
        report = import_file(db, dataset["folder"] / name, shop_name=SHOP, timezone=TIMEZONE)
        runs.append(time.perf_counter() - started)
        if not report.ok or report.records.new == 0:
            raise SystemExit(f"The incremental import did not add orders: {report.message}")
        print(f"  incremental import of {lines:,} lines: {runs[-1]:.2f} s", flush=True)
    return {"median_s": round(statistics.median(runs), 3),
            "runs_s": [round(r, 3) for r in runs], "lines": dataset["incremental_lines"]}


def _page_files() -> list[str]:
    return sorted(f"pages/{p.name}" for p in (PROJECT_ROOT / "pages").glob("*.py"))


def _pages(db: Path, skip: set[str], only: set[str] | None = None) -> dict:
    """AppTest runs of every page in every view (cold, then cached) while recording the
    ui.data calls each makes; then those calls timed uncached, beside DuckDB. ``only``: the
    page names (file stems) to run, all when empty."""
    # Outside a server, AppTest logs a "no runtime" warning on every cached call.
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from bench.page_calls import Recorder

    os.environ["CAMPAIGN_DB"] = str(db)
    os.environ["CAMPAIGN_NOW"] = NOW
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    # One unrecorded run first: importing the app's modules is the process's cost, paid once
    # when the server starts, not a page's.
    AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=300).run()
    recorder = Recorder()
    apptest = []
    print("AppTest runs of every page (cold = empty cache, cached) ...", flush=True)
    try:
        for page in _page_files():
            if only and Path(page).stem not in only:
                continue
            for view, label in VIEWS.items():
                recorder.page, recorder.view = Path(page).stem, view
                st.cache_data.clear()
                at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=300)
                at.query_params["view"] = label
                at.switch_page(page)
                started = time.perf_counter()
                at.run()
                cold = time.perf_counter() - started
                warm_runs = []
                for _ in range(3):
                    started = time.perf_counter()
                    at.run()
                    warm_runs.append(time.perf_counter() - started)
                errors = [str(e.value)[:200] for e in at.exception]
                apptest.append({"page": page, "view": view, "cold_s": round(cold, 3),
                                "warm_s": round(statistics.median(warm_runs), 3),
                                "exceptions": errors})
                print(f"  {page:24} {view:7} cold {cold:6.2f} s  cached "
                      f"{statistics.median(warm_runs):6.2f} s"
                      + ("  EXCEPTION" if errors else ""), flush=True)
    finally:
        recorder.restore()
    calls = [] if "pages" in skip else _time_calls(db, recorder)
    return {"apptest": apptest, "calls": calls}


def _time_calls(db: Path, recorder) -> list[dict]:
    from bench.duckdb_reference import DuckReference

    print("Timing each page's campaign_core calls (uncached), beside DuckDB ...", flush=True)
    unique = recorder.unique_calls()
    shop_id = _shop_id(db)
    duck = DuckReference(db, shop_id)
    rows = []
    try:
        for call in unique:
            timing = recorder.time_call(call)
            reference = _duck_timing(duck, call)
            row = {"page": call.page, "view": call.view, "function": call.function,
                   "cold_ms": round(timing.cold_ms, 2), "warm_ms": round(timing.warm_ms, 2)}
            if reference is not None:
                row["duckdb_ms"] = round(reference, 2)
                row["ratio_vs_duckdb"] = round(timing.warm_ms / reference, 2)
            rows.append(row)
    finally:
        duck.close()
    return rows


def _duck_timing(duck, call) -> float | None:
    """The median ms of the DuckDB query answering what ``call`` asks, if there is one."""
    window = next((a for a in call.args if hasattr(a, "start_utc")), None)
    if call.function == "kpis" and window is not None:
        query = lambda: duck.core_kpis(window.start_utc, window.end_utc)  # noqa: E731
    elif call.function == "trend" and window is not None:
        from campaign_core.metrics.trend import _bucket_starts

        hourly = window.first_day == window.last_day
        starts = _bucket_starts(window, hourly)
        query = lambda: duck.trend(window.start_utc, window.end_utc, starts)  # noqa: E731
    elif call.function == "products" and window is not None:
        query = lambda: duck.products(window.start_utc, window.end_utc)  # noqa: E731
    elif call.function == "paid_days":
        query = duck.paid_days
    else:
        return None
    runs = []
    for _ in range(6):
        started = time.perf_counter()
        query()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs[1:])


def _shop_id(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT shop_id FROM shop WHERE name = ?", (SHOP,)).fetchone()[0]
    finally:
        conn.close()


def _start_server(db: Path, **env_extra: str) -> tuple[subprocess.Popen, int, float]:
    """A real ``streamlit run`` of the app on ``db``; the process, its port and the seconds
    until it answered its health check."""
    port = _free_port()
    env = {**os.environ, "CAMPAIGN_DB": str(db), "CAMPAIGN_NOW": NOW,
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **env_extra}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.fileWatcherType", "none"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_health(port)
    except BaseException:
        _stop(process)
        raise
    return process, port, time.perf_counter() - started


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _memory(db: Path) -> dict | None:
    """In a real app and Chromium: the first page after the server starts, then every page
    in every view twice (cold: the server's first time; warm: again), each timed from
    navigation to fully rendered (``bench/browser_times.py``); and the server's peak
    resident memory (VmHWM) meanwhile."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print("Chromium or Playwright missing: browser times and app memory not measured")
        return None
    from bench.browser_times import rendered_seconds

    print("Browser: time to a rendered page, and the server's peak memory ...", flush=True)
    process, port, start_s = _start_server(db)
    loaded = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            first = rendered_seconds(page, f"http://127.0.0.1:{port}/?view=Today")
            print(f"  server up in {start_s:.1f} s; first page (Overview, Today) "
                  f"{first['seconds']:.2f} s", flush=True)
            for visit in ("cold", "warm"):
                for page_file in _page_files():
                    for label in VIEWS.values():
                        url = (f"http://127.0.0.1:{port}/{_url_path(page_file)}"
                               f"?view={label.replace(' ', '+')}")
                        timing = rendered_seconds(page, url)
                        loaded.append({"page": page_file, "view": label, "visit": visit,
                                       **timing})
                        print(f"  {visit} {page_file:24} {label:16} {timing['seconds']:6.2f} s"
                              + ("" if timing["rendered"] else "  NOT RENDERED")
                              + ("  EXCEPTION" if timing["errors"] else ""), flush=True)
            browser.close()
        status = Path(f"/proc/{process.pid}/status").read_text()
        peak_kb = int(next(line.split()[1] for line in status.splitlines()
                           if line.startswith("VmHWM:")))
    finally:
        _stop(process)
    warm = [entry["seconds"] for entry in loaded if entry["visit"] == "warm"]
    print(f"  peak {peak_kb / 1024:.0f} MB over {len(loaded) + 1} page loads; warm median "
          f"{statistics.median(warm):.2f} s, slowest {max(warm):.2f} s", flush=True)
    return {"peak_mb": round(peak_kb / 1024, 1), "server_start_s": round(start_s, 2),
            "first_page": first, "page_loads": loaded,
            "warm_median_s": round(statistics.median(warm), 3)}


def _viewers(db: Path, dataset: dict, seconds: float) -> dict:
    """``VIEWERS`` clients on the Today view refreshing every ``VIEWER_REFRESH_S`` while the
    held-back export (``dataset['viewer_lines']`` lines) is imported by another process."""
    from bench.viewers import import_command, watch

    print(f"{VIEWERS} viewers on the Today view for {seconds:.0f} s while "
          f"{dataset['viewer_lines']:,} lines are imported ...", flush=True)
    process, port, _ = _start_server(db, CAMPAIGN_REFRESH_SECONDS=str(VIEWER_REFRESH_S))
    try:
        command = import_command(db, dataset["folder"] / dataset["viewer_export"], SHOP,
                                 TIMEZONE)
        result = watch(f"http://127.0.0.1:{port}", "view=Today", VIEWERS, seconds, command,
                       import_after_s=min(60.0, seconds / 3), server_pid=process.pid,
                       cwd=PROJECT_ROOT, db=db)
    finally:
        _stop(process)
    result["import_lines"] = dataset["viewer_lines"]
    print(f"  {result['renders']} renders, p95 {result['p95_render_s']} s, errors "
          f"{result['errors']}, locked {result['database_locked']}, saw the new orders "
          f"{result['viewers_seeing_new_orders']}/{VIEWERS} within one refresh "
          f"({result['new_orders_shown_after_commit_s']} s after the commit); import "
          f"{result['import'].get('seconds')} s; server CPU mean "
          f"{result['server_cpu_mean_pct']}%, RSS max {result['server_rss_max_mb']} MB",
          flush=True)
    return result


def _url_path(page_file: str) -> str:
    stem = Path(page_file).stem
    return "" if stem == "overview" else stem


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(port: int, timeout_s: float = 120) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                        timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("The app did not start")


def _mb(path: Path) -> float:
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return round(size / 2**20, 1)


def _verdicts(results: dict) -> list[dict]:
    """Every target: met or missed, with the number. Issue 19's five first (numbered as
    there), then the earlier ones kept."""
    out = []

    def verdict(target: str, value, limit, met: bool) -> None:
        out.append({"target": target, "value": value, "limit": limit, "met": met})

    imported = results.get("import", {})
    if "ratio_vs_sqlite3" in imported:
        verdict("1. import <= 1.5 x sqlite3 .import", imported["ratio_vs_sqlite3"], 1.5,
                imported["ratio_vs_sqlite3"] <= 1.5)
    if "peak_rss_mb" in imported:
        verdict("1. import peak RSS <= 1 GB", f"{imported['peak_rss_mb']} MB", 1024,
                imported["peak_rss_mb"] <= 1024)
    more = results.get("more_shops")
    calls = results.get("pages", {}).get("calls", [])
    if more:
        ratio = more["worst_ratio_vs_sqlite3"]
        verdict("2. 10M: each shop's import <= 1.5 x sqlite3 .import (worst)", ratio, 1.5,
                ratio is not None and ratio <= 1.5)
        verdict("2. 10M: store size on disk per million lines (reported)",
                f"{more['db_mb_per_million_lines']} MB", None, True)
        if calls:
            slowest = max(calls, key=lambda c: c["warm_ms"])
            verdict("2. 10M: every page call < 300 ms warm (slowest)",
                    f"{slowest['warm_ms']} ms ({slowest['page']} {slowest['view']} "
                    f"{slowest['function']})", 300, slowest["warm_ms"] < 300)
    elif imported.get("db_mb_per_million_lines"):
        verdict("2. store size on disk per million lines (reported; 10M not run)",
                f"{imported['db_mb_per_million_lines']} MB", None, True)
    if calls and not more:
        slowest = max(calls, key=lambda c: c["warm_ms"])
        over = sum(c["warm_ms"] >= 100 for c in calls)
        verdict("3. every page call < 100 ms warm (slowest)",
                f"{slowest['warm_ms']} ms ({slowest['page']} {slowest['view']} "
                f"{slowest['function']}); {over} of {len(calls)} over", 100,
                slowest["warm_ms"] < 100)
    compared = [c for c in calls if "ratio_vs_duckdb" in c]
    if compared:
        worst = max(compared, key=lambda c: c["ratio_vs_duckdb"])
        over = sum(c["ratio_vs_duckdb"] > 1.0 for c in compared)
        verdict("3. every page call <= DuckDB (worst ratio)",
                f"{worst['ratio_vs_duckdb']} ({worst['page']} {worst['view']} "
                f"{worst['function']}); {over} of {len(compared)} over", 1.0,
                worst["ratio_vs_duckdb"] <= 1.0)
    memory = results.get("memory") or {}
    warm = [entry for entry in memory.get("page_loads", []) if entry["visit"] == "warm"]
    if warm:
        slowest = max(warm, key=lambda entry: entry["seconds"])
        over = sum(entry["seconds"] >= 1.0 or not entry["rendered"] for entry in warm)
        verdict("4. browser: every page and view rendered < 1 s warm (slowest)",
                f"{slowest['seconds']} s ({slowest['page']} {slowest['view']}); "
                f"{over} of {len(warm)} over; median {memory['warm_median_s']} s", 1.0,
                over == 0)
    if memory.get("first_page"):
        first = memory["first_page"]["seconds"]
        verdict("4. browser: first page after server start < 3 s", f"{first} s", 3.0,
                first < 3.0 and memory["first_page"]["rendered"])
    viewers = results.get("viewers") or {}
    if viewers.get("p95_render_s") is not None:
        verdict(f"5. {viewers['viewers']} viewers: p95 render < 2 s",
                f"{viewers['p95_render_s']} s over {viewers['renders']} renders in "
                f"{viewers['duration_s']:.0f} s", 2.0, viewers["p95_render_s"] < 2.0)
        verdict("5. viewers: no error, no 'database is locked'",
                f"{viewers['errors']} errors, {viewers['database_locked']} locked", 0,
                viewers["errors"] == 0 and viewers["database_locked"] == 0)
        seen = viewers["viewers_seeing_new_orders"]
        refreshed = viewers.get("viewers_refreshed_after_commit")
        verdict("5. viewers: new orders shown within one refresh of the commit",
                f"{seen} of {viewers['viewers']} ({refreshed} refreshed after the commit; "
                f"shown {viewers.get('new_orders_shown_after_commit_s')} s after it; "
                f"import {viewers['import'].get('seconds')} s)", viewers["viewers"],
                seen == viewers["viewers"])
        verdict("5. viewers: server CPU and memory (reported)",
                f"CPU mean {viewers['server_cpu_mean_pct']}% of a core (max "
                f"{viewers['server_cpu_max_pct']}%), RSS max {viewers['server_rss_max_mb']} MB",
                None, True)
    if "incremental" in results:
        value = results["incremental"]["median_s"]
        verdict("incremental 1,000-line import < 1 s", value, 1.0, value < 1.0)
    runs = results.get("pages", {}).get("apptest", [])
    if runs:
        warm_run = max(runs, key=lambda r: r["warm_s"])
        cold = max(runs, key=lambda r: r["cold_s"])
        verdict("AppTest warm < 0.5 s (slowest)",
                f"{warm_run['warm_s']} s ({warm_run['page']} {warm_run['view']})", 0.5,
                warm_run["warm_s"] < 0.5)
        verdict("AppTest cold < 2 s (slowest)",
                f"{cold['cold_s']} s ({cold['page']} {cold['view']})", 2.0, cold["cold_s"] < 2.0)
    if "peak_mb" in memory:
        verdict("app peak memory < 500 MB", memory["peak_mb"], 500, memory["peak_mb"] < 500)
    return out


def _print_import(results: dict) -> None:
    print("\n== Import ==")
    imported = results["import"]
    print(f"ours: {imported['seconds']} s, {imported['lines_per_s']:,} lines/s "
          f"(CPU {imported['cpu_seconds']} s), peak RSS {imported.get('peak_rss_mb')} MB; "
          f"store {imported['db_mb']} MB ({imported.get('db_mb_per_million_lines')} MB per "
          "million lines)")
    for name in ("sqlite3_import", "python_executemany"):
        if imported.get(name):
            print(f"{name}: median {imported[name]['median_s']} s, "
                  f"{imported[name]['lines_per_s']:,} lines/s")
    if "ratio_vs_sqlite3" in imported:
        print(f"ours / sqlite3 .import: {imported['ratio_vs_sqlite3']}")
    print(f"incremental: median {results['incremental']['median_s']} s "
          f"({results['incremental']['runs_s']})")


def _print(results: dict) -> None:
    if results.get("import"):  # not in a pages-only run
        _print_import(results)
    pages = results.get("pages", {})
    if pages.get("calls"):
        print("\n== Page queries (ms; warm = median of 5, uncached) ==")
        print(f"{'page':12} {'view':7} {'call':20} {'cold':>8} {'warm':>8} {'duckdb':>8} "
              f"{'ratio':>6}")
        for c in pages["calls"]:
            print(f"{c['page']:12} {c['view']:7} {c['function']:20} {c['cold_ms']:8.1f} "
                  f"{c['warm_ms']:8.1f} {c.get('duckdb_ms', float('nan')):8.1f} "
                  f"{c.get('ratio_vs_duckdb', float('nan')):6.2f}")
    if pages.get("apptest"):
        print("\n== AppTest (s) ==")
        for r in pages["apptest"]:
            print(f"{r['page']:24} {r['view']:7} cold {r['cold_s']:6.2f} cached "
                  f"{r['warm_s']:6.2f}" + ("  EXCEPTION" if r["exceptions"] else ""))
    if results.get("memory"):
        print(f"\n== App peak memory: {results['memory'].get('peak_mb')} MB "
              f"{results['memory'].get('error', '')}==")
    if results.get("more_shops"):
        more = results["more_shops"]
        print(f"\n== {results['shops']} shops: {more['lines']:,} lines, store {more['db_mb']} MB "
              f"({more['db_mb_per_million_lines']} MB per million lines); worst import "
              f"x{more['worst_ratio_vs_sqlite3']} sqlite3 ==")
    print("\n== Targets ==")
    for v in results["verdicts"]:
        mark = "    " if v["limit"] is None else ("MET " if v["met"] else "MISS")
        print(f"{mark} {v['target']}: {v['value']}")
    loads = [entry["load_1min"] for entry in results.get("load_average", [])]
    print(f"\nTotal {results['total_seconds']} s; load average (1 min) after each part: "
          f"{loads} on {results['machine']['cores']} cores")


if __name__ == "__main__":
    raise SystemExit(main())
