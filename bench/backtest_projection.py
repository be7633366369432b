"""Back-test of the projection band: the share of past days whose final GMV fell inside
the band given for them at noon, 6 pm and 9 pm, on the demo and on the benchmark's data.

    python bench/backtest_projection.py [--lines 200000] [--seed 11] [--work DIR]

The demo store is built as the tests build it (today 2026-11-26, seed 7); the benchmark's
data is the demo scaled up (``bench/dataset.py``) with another seed, so its days' noise is
not the demo's. Prints, per data set: coverage over every day with 28 days of history before
it, and over the campaign days alone (few days: each one moves the share by several points).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.dataset import write_dataset  # noqa: E402
from campaign_core.demo.build import build_demo  # noqa: E402
from campaign_core.demo.generator import HISTORY_DAYS, TODAY_CAMPAIGN_DAY  # noqa: E402
from campaign_core.forecast.backtest import BACKTEST_HOURS, backtest  # noqa: E402
from campaign_core.forecast.band import BAND_LEVEL, REFERENCE_DAYS  # noqa: E402
from campaign_core.importers.pipeline import import_file  # noqa: E402
from campaign_core.store import read_connection  # noqa: E402
from campaign_core.store.shops import find_shop  # noqa: E402

TODAY = date(2026, 11, 26)
TIMEZONE = "America/Los_Angeles"


def _report(name: str, db: Path, shop_name: str | None) -> None:
    start = TODAY - timedelta(days=TODAY_CAMPAIGN_DAY - 1)
    with read_connection(db) as conn:
        shop = find_shop(conn, shop_name) if shop_name else None
        shop_id = shop.shop_id if shop else 1
        first = start - timedelta(days=HISTORY_DAYS - REFERENCE_DAYS)
        result = backtest(conn, shop_id, TIMEZONE, first, TODAY - timedelta(days=1),
                          campaign_start=start)
    print(f"{name}: stated level {BAND_LEVEL:.0%}")
    for key, label in (("all", "every day"), ("campaign", "campaign days")):
        coverage = result[key]
        parts = [f"{hour:02d}:00 {coverage.inside[hour]}/{coverage.checked[hour]} = "
                 f"{coverage.share(hour):.1%}" for hour in BACKTEST_HOURS
                 if coverage.checked[hour]]
        print(f"  {label:14s} " + "; ".join(parts) + f"; overall {coverage.overall:.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="campaign-backtest-"))
    demo_db = work / "demo" / "campaign.db"
    demo_db.parent.mkdir(parents=True, exist_ok=True)
    result = build_demo(demo_db, today=TODAY, seed=7)
    from campaign_core.store.shops import DEMO_SHOP_NAME
    _report(f"Demo ({result.orders:,} orders)", demo_db, DEMO_SHOP_NAME)
    data = write_dataset(work / "exports", args.lines, today=TODAY, seed=args.seed,
                         incremental_files=1)
    bench_db = work / "bench.db"
    for path in [data.full_export, *data.incremental_exports]:
        import_file(bench_db, path, shop_name="Benchmark shop", timezone=TIMEZONE)
    _report(f"Bench data ({data.lines:,} lines, seed {args.seed})", bench_db, "Benchmark shop")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
