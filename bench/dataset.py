"""The benchmark's data: the demo campaign scaled up, written as Seller Center order exports.

The demo generator (same shop, catalogue, hour profile, statuses, returns and samples) is
run with its volumes scaled so that the campaign's export holds about ``lines`` order lines.
The newest orders (``incremental_files`` times about ``incremental_lines`` lines, created
last on "today") are held back into further exports, which the benchmark imports one after
the other into the full store: the refreshes a seller downloads during the day. Before those,
``viewer_lines`` more of today's orders are held back into one more export, which the
benchmark imports while 20 viewers watch the Today view.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from campaign_core.demo.generator import build_demo_orders
from campaign_core.demo.order_files import order_rows
from campaign_core.importers.orders_layout import US_ORDER_HEADERS

# Order lines the demo generator makes at scale 1.0 (measured: ~49,500); a first guess only,
# the scale is corrected once from a small run.
_LINES_PER_SCALE = 49_500


@dataclass
class Dataset:
    full_export: Path
    incremental_exports: list[Path]
    lines: int
    incremental_lines: list[int]
    orders: int
    seconds: float
    today: date
    viewer_export: Path | None = None
    viewer_lines: int = 0


def write_dataset(folder: Path, lines: int, *, today: date, seed: int = 7,
                  incremental_lines: int = 1000, incremental_files: int = 3,
                  viewer_lines: int = 50_000) -> Dataset:
    """Write ``All order-<today>-12_00.csv`` (about ``lines`` lines), the incremental
    exports (later stamps, oldest first) and the viewers' export (``-12_50``, about
    ``viewer_lines`` lines) into ``folder``; returns their paths and sizes."""
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    # A small trial run keeps most of its lines in the full export.
    incremental_lines = max(1, min(incremental_lines, lines // (10 * incremental_files)))
    viewer_lines = max(0, min(viewer_lines, lines // 10))
    # The held-back lines come on top, so that the full export holds about ``lines``.
    scale = max(0.01, (lines + viewer_lines + incremental_lines * incremental_files)
                / _LINES_PER_SCALE)
    _, orders = build_demo_orders(today, seed, scale=scale)
    # Hold back the newest orders for the incremental exports (orders are in created order).
    cuts, end = [], len(orders)
    for _ in range(incremental_files):
        start, held_lines = end, 0
        while start > 0 and held_lines < incremental_lines:
            start -= 1
            held_lines += len(orders[start].lines)
        cuts.insert(0, (start, end))
        end = start
    viewer_start, held_lines = end, 0
    while viewer_start > 0 and held_lines < viewer_lines:
        viewer_start -= 1
        held_lines += len(orders[viewer_start].lines)
    viewer = folder / _viewer_name(today)
    viewer_count = _write(viewer, reversed(orders[viewer_start:end])) if viewer_lines else 0
    end = viewer_start
    full = folder / f"All order-{today:%Y-%m-%d}-12_00.csv"
    full_lines = _write(full, reversed(orders[:end]))
    paths, counts = [], []
    for number, (start, stop) in enumerate(cuts, start=1):
        path = folder / f"All order-{today:%Y-%m-%d}-12_{number:02d}.csv"
        counts.append(_write(path, reversed(orders[start:stop])))
        paths.append(path)
    return Dataset(full, paths, full_lines, counts, len(orders),
                   time.perf_counter() - started, today,
                   viewer if viewer_lines else None, viewer_count)


def _viewer_name(today: date) -> str:
    return f"All order-{today:%Y-%m-%d}-12_50.csv"


def reused_dataset(folder: Path, today: date) -> Dataset | None:
    """The exports an earlier run wrote into ``folder``, if they are all there."""
    full = folder / f"All order-{today:%Y-%m-%d}-12_00.csv"
    incremental = sorted(folder.glob(f"All order-{today:%Y-%m-%d}-12_0[1-9].csv"))
    if not full.exists() or not incremental:
        return None
    viewer = folder / _viewer_name(today)
    return Dataset(full, incremental, _data_lines(full), [_data_lines(p) for p in incremental],
                   0, 0.0, today, viewer if viewer.exists() else None,
                   _data_lines(viewer) if viewer.exists() else 0)


def _data_lines(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _write(path: Path, orders) -> int:
    """Stream orders to an export file (newest first, as Seller Center lists them)."""
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(US_ORDER_HEADERS)
        for order in orders:
            for row in order_rows(order, money_symbol="$"):
                writer.writerow([row.get(header, "") for header in US_ORDER_HEADERS])
                written += 1
    return written
