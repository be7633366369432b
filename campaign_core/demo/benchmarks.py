"""Demo peer benchmarks, written as a filled-in Benchmarks template.

Peers sell a bit less than the demo shop (GMV ~70-90% of its typical day) and get the same
campaign uplift. The last day of the range is left out on purpose: benchmarks arrive a day
late, so the demo's Daily view shows the "day before" fallback. Only ``random.Random(seed)``
is used: the same arguments always write the same bytes.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from campaign_core.importers.kinds import BENCHMARKS
from campaign_core.importers.template_files import template_csv

FILE_NAME = "benchmarks.csv"
DEMO_METRICS = ("gmv", "orders", "aov", "buyers", "units", "refunds")

# The demo shop sells ~150-160 orders on an ordinary day at ~$43 (~$39.5 in the campaign,
# with its deeper discounts); its peers sell ~85% of the orders at a slightly lower basket.
_PEER_ORDERS = 150 * 0.85
_PEER_AOV = {"ordinary": 41.0, "campaign": 37.5}
_UNITS_PER_ORDER = {"ordinary": (1.85, 2.0), "campaign": (2.0, 2.2)}
_WEEKDAY_FACTORS = (0.92, 0.95, 0.97, 1.0, 1.05, 1.12, 1.1)  # Monday first, as the demo shop
# Campaign day orders / an ordinary day's, day by day: launch, Black Friday (8), Cyber Monday
# (11) and the last day spike, as in the demo shop's campaign (generator.py).
_CAMPAIGN_UPLIFT = (8.4, 4.9, 4.0, 3.75, 3.9, 4.25, 4.5, 9.7, 5.9, 5.6, 9.4, 7.8)
_LATER_CAMPAIGN_UPLIFT = 4.0  # days of a longer campaign beyond the profile


def write_demo_benchmarks(folder: Path, first_day: date, last_day: date, category: str,
                          gmv_tier: str, seed: int, *, campaign_start: date | None = None,
                          campaign_end: date | None = None) -> Path:
    """Write ``folder/benchmarks.csv``: daily peer values of ``DEMO_METRICS`` for
    ``category`` and ``gmv_tier``, every day from ``first_day`` to the day before
    ``last_day`` (``last_day`` itself is missing, so pass the Daily view's default day,
    yesterday, to show the fallback). Days from ``campaign_start`` to ``campaign_end``
    get the campaign uplift; without them every day is ordinary.

    Returns the file's path; creates ``folder``. Raises ``ValueError`` when ``last_day`` is
    before ``first_day``.
    """
    if last_day < first_day:
        raise ValueError("last_day is before first_day.")
    rng = random.Random(seed)
    rows = []
    for offset in range((last_day - first_day).days):
        day = first_day + timedelta(days=offset)
        campaign_day = _campaign_day(day, campaign_start, campaign_end)
        values = _peer_day(rng, day, campaign_day)
        rows.extend((day.isoformat(), metric, category, gmv_tier, values[metric])
                    for metric in DEMO_METRICS)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    header = [aliases[0] for aliases in BENCHMARKS.fields.values()]
    path.write_bytes(template_csv(header, rows))
    return path


def _campaign_day(day: date, start: date | None, end: date | None) -> int | None:
    """0 for the campaign's first day, 1 for the second...; None outside the campaign."""
    if start is None or day < start or (end is not None and day > end):
        return None
    return (day - start).days


def _peer_day(rng: random.Random, day: date, campaign_day: int | None) -> dict[str, str]:
    phase = "ordinary" if campaign_day is None else "campaign"
    if campaign_day is None:
        uplift = _WEEKDAY_FACTORS[day.weekday()]
    elif campaign_day < len(_CAMPAIGN_UPLIFT):
        uplift = _CAMPAIGN_UPLIFT[campaign_day]
    else:
        uplift = _LATER_CAMPAIGN_UPLIFT
    orders = max(1, round(_PEER_ORDERS * uplift * rng.uniform(0.9, 1.1)))
    gmv = _cents(orders * _PEER_AOV[phase] * rng.uniform(0.95, 1.05))
    return {
        "gmv": str(gmv),
        "orders": str(orders),
        "aov": str(_cents(gmv / orders)),
        "buyers": str(round(orders * rng.uniform(0.92, 0.97))),
        "units": str(round(orders * rng.uniform(*_UNITS_PER_ORDER[phase]))),
        "refunds": str(_cents(gmv * Decimal(str(rng.uniform(0.04, 0.07))))),
    }


def _cents(amount: float | Decimal) -> Decimal:
    return Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
