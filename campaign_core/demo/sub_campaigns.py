"""The demo campaign's sub-campaigns, written as a filled-in sub-campaigns template.

Like the demo's orders, they reach the store through the importer a seller's own file
takes. The plan follows a 12-day Black Friday / Cyber Monday campaign: a launch flash sale,
a bundle week on all SKUs, Black Friday doorbusters (day 8), a weekend voucher, a Cyber
Monday LIVE deal (day 11) and a last-chance flash sale. In a shorter campaign the ones
that would start after its last day are left out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from campaign_core.importers.sub_campaigns import sub_campaigns_csv

FILE_NAME = "sub_campaigns.csv"


@dataclass(frozen=True)
class _Plan:
    name: str
    kind: str
    start_day: int  # 1 = the campaign's first day
    start_time: time
    end_day: int
    end_time: time | None  # None: through the end of ``end_day`` (written as a bare date)
    sku_count: int  # 0: all SKUs


_PLANS: tuple[_Plan, ...] = (
    _Plan("Launch flash sale", "Flash sale", 1, time(0), 1, time(6), 8),
    _Plan("Bundle week", "Bundle", 2, time(0), 7, None, 0),
    _Plan("Black Friday doorbusters", "Flash sale", 8, time(0), 8, None, 6),
    _Plan("Weekend free-shipping voucher", "Voucher", 9, time(0), 10, None, 0),
    _Plan("Cyber Monday LIVE deal", "LIVE deal", 11, time(19), 11, time(22), 5),
    _Plan("Last-chance flash sale", "Flash sale", 12, time(18), 12, None, 4),
)


def write_demo_sub_campaigns(folder: Path, campaign_name: str, start_day: date,
                             end_day: date, sku_ids: list[str], seed: int) -> Path:
    """Write ``folder/sub_campaigns.csv``: the demo campaign's sub-campaigns in the
    template layout, times in shop time, on SKUs drawn from ``sku_ids`` (real SKU IDs of
    the demo catalog). The same arguments always give the same file.

    Returns the file's path. Raises ``ValueError`` when the campaign ends before it starts.
    """
    if end_day < start_day:
        raise ValueError(f"The campaign ends ({end_day}) before it starts ({start_day}).")
    candidates = sorted(set(sku_ids))
    length = (end_day - start_day).days + 1
    rows = [_row(plan, campaign_name, start_day, length, _pick_skus(seed, candidates, plan))
            for plan in _PLANS if plan.start_day <= length]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    path.write_bytes(sub_campaigns_csv(rows))
    return path


def _pick_skus(seed: int, candidates: list[str], plan: _Plan) -> list[str]:
    # One generator per plan (a string seed is stable across runs, unlike hash()), so a
    # plan's SKUs depend on the seed and its name only, not on the plans before it.
    rng = random.Random(f"{seed}:{plan.name}")
    return sorted(rng.sample(candidates, min(plan.sku_count, len(candidates))))


def _row(plan: _Plan, campaign_name: str, start_day: date, length: int,
         skus: list[str]) -> tuple[str, ...]:
    start = datetime.combine(start_day + timedelta(days=plan.start_day - 1), plan.start_time)
    last_day = start_day + timedelta(days=min(plan.end_day, length) - 1)
    end = (last_day.isoformat() if plan.end_time is None
           else f"{datetime.combine(last_day, plan.end_time):%Y-%m-%d %H:%M}")
    return (campaign_name, plan.name, plan.kind, f"{start:%Y-%m-%d %H:%M}", end, " ".join(skus))
