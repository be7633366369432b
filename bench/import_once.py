"""One import in a process of its own, so that its peak memory is the import's alone:
``python -m bench.import_once DB EXPORT SHOP TIMEZONE`` prints one JSON line with the
seconds, CPU seconds, the report's counts and the process's peak resident memory."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main(db: str, export: str, shop: str, timezone: str) -> int:
    from campaign_core.importers.pipeline import import_file

    started, cpu = time.perf_counter(), time.process_time()
    report = import_file(Path(db), Path(export), shop_name=shop, timezone=timezone)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"ok": report.ok, "message": report.message,
                      "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
                      "rows_stored": report.rows_stored,
                      "quarantined": report.rows_quarantined,
                      "new": report.records.new, "peak_rss_mb": round(peak_kb / 1024, 1)}))
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
