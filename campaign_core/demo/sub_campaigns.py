"""The demo campaign's sub-campaigns, written as a filled-in sub-campaigns template.

Like the demo's orders, they reach the store through the importer a seller's own file
takes. The plan follows a 12-day Black Friday / Cyber Monday campaign: a launch flash sale,
a bundle week on all SKUs, Black Friday doorbusters (day 8), a weekend voucher, a Cyber
Monday LIVE deal (day 11) and a last-chance flash sale; each is called Black Friday,
weekend or Cyber Monday only when its days are (else "Day-8 doorbusters", "Two-day
free-shipping voucher", "Monday / Evening LIVE deal"). In a shorter campaign the ones that
would start after its last day are left out.
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
    key: str  # stable: seeds the plan's SKU draw whatever its name turns out to be
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


def black_friday(year: int) -> date:
    """The day after the fourth Thursday of November (US Thanksgiving)."""
    first = date(year, 11, 1)
    thanksgiving = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thanksgiving + timedelta(days=1)


def _name(plan: _Plan, first: date, last: date) -> str:
    """A plan's name as its days allow: a sub-campaign is called Black Friday, weekend or
    Cyber Monday only when it runs then."""
    if plan.key == "Black Friday doorbusters" and first != black_friday(first.year):
        return f"Day-{plan.start_day} doorbusters"
    if plan.key == "Weekend free-shipping voucher" and not (
            first.weekday() == 5 and last == first + timedelta(days=1)):
        return "Two-day free-shipping voucher"
    if plan.key == "Cyber Monday LIVE deal" and first != (
            black_friday(first.year) + timedelta(days=3)):
        return "Monday LIVE deal" if first.weekday() == 0 else "Evening LIVE deal"
    return plan.key


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
    rng = random.Random(f"{seed}:{plan.key}")
    return sorted(rng.sample(candidates, min(plan.sku_count, len(candidates))))


def _row(plan: _Plan, campaign_name: str, start_day: date, length: int,
         skus: list[str]) -> tuple[str, ...]:
    start = datetime.combine(start_day + timedelta(days=plan.start_day - 1), plan.start_time)
    last_day = start_day + timedelta(days=min(plan.end_day, length) - 1)
    end = (last_day.isoformat() if plan.end_time is None
           else f"{datetime.combine(last_day, plan.end_time):%Y-%m-%d %H:%M}")
    return (campaign_name, _name(plan, start.date(), last_day), plan.kind,
            f"{start:%Y-%m-%d %H:%M}", end, " ".join(skus))
