"""A deterministic demo TikTok Shop mega campaign, written as Seller Center order exports.

``build_demo_orders(today, seed)`` makes 180 days of ordinary trading followed by a 12-day
Black Friday / Cyber Monday campaign whose 7th day is ``today``; ``write_demo_files`` writes
the same orders as three overlapping "All order" CSV exports, the way a seller downloads them.
Only ``random.Random(seed)`` is used (no clock, no global random): the same (today, seed)
always gives the same orders and byte-identical files.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.demo.order_files import OrderSpec, order_rows, write_orders_csv
from campaign_core.demo.orders import OrderLife, OrderMaker, cumulative

SHOP_TIMEZONE = "America/Los_Angeles"
HISTORY_DAYS = 180
CAMPAIGN_LENGTH = 12
TODAY_CAMPAIGN_DAY = 7

# Planned orders per campaign day, spiking on launch (day 1), Black Friday (8), Cyber Monday
# (11) and the last day (12). Days after today only serve to project the GMV target.
_CAMPAIGN_DAY_ORDERS = (1350, 780, 640, 600, 620, 680, 720, 1550, 950, 900, 1500, 1250)
_HISTORY_BASE_ORDERS = 160
_WEEKDAY_FACTORS = (0.92, 0.95, 0.97, 1.0, 1.05, 1.12, 1.1)  # Monday first
# Share of orders per local hour: quiet 3-6 am, building through the day, peak 19-22h.
_HOUR_WEIGHTS = (2.4, 1.5, 0.9, 0.5, 0.4, 0.5, 0.9, 1.6, 2.5, 3.3, 3.9, 4.3,
                 4.7, 4.6, 4.4, 4.5, 4.9, 5.4, 6.2, 7.3, 7.9, 7.7, 6.3, 4.1)
_LAUNCH_HOUR_BOOST = {0: 9.0, 1: 3.0}  # shoppers who waited up for the midnight launch
_SEEDING_DAYS = 30  # creators get their samples in the month before a campaign
_EXPORT_DAYS = 90  # Seller Center exports cover at most ~90 days
_EXPORT_OVERLAP_DAYS = 3


@dataclass(frozen=True)
class DemoCampaign:
    """The demo's campaign: days inclusive, in the shop's timezone; target in cents."""

    name: str
    start_day: date
    end_day: date
    timezone: str
    gmv_target_cents: int


def build_demo_orders(today: date, seed: int = 7, *, scale: float = 1.0,
                      now: datetime | None = None) -> tuple[DemoCampaign, list[OrderSpec]]:
    """The demo campaign and every order, as of ``now`` (naive shop time on ``today``;
    default the end of ``today``): no order is created after it, and each shows its state
    at that moment.

    ``today`` is campaign day 7 of 12; 180 days of history come before the campaign start.
    ``scale`` multiplies the daily order volumes (1.0, ~34,000 orders, is the realistic
    default; tests use a tenth to stay fast). Orders are in created-time order, times naive in
    America/Los_Angeles, money in cents. The same arguments always return equal orders.
    Raises ``ValueError`` when ``now`` is not on ``today``.
    """
    as_of = _as_of(today, now)
    campaign, lives = _generate(today, seed, scale, as_of)
    return campaign, [life.snapshot(as_of) for life in lives]


def write_demo_files(folder: Path, today: date, seed: int = 7, *, scale: float = 1.0,
                     now: datetime | None = None) -> tuple[DemoCampaign, list[Path]]:
    """Write the demo orders into ``folder`` as three overlapping "All order" CSV exports.

    Each file covers up to ~90 days by created time and overlaps the next by a few days; an
    order in an overlap appears in both, the earlier file showing it as of that export; the
    latest export is taken at ``now``.
    Arguments as for ``build_demo_orders``; the same arguments give byte-identical files.
    Returns the campaign and the file paths, oldest export first. Creates ``folder``.
    """
    as_of = _as_of(today, now)
    campaign, lives = _generate(today, seed, scale, as_of)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    created_times = [life.base.created for life in lives]
    paths = []
    for export in _plan_exports(seed, campaign.start_day - timedelta(days=HISTORY_DAYS), as_of):
        first = bisect.bisect_left(created_times, export.first_created)
        last = bisect.bisect_right(created_times, export.taken_at)
        rows = []
        for life in reversed(lives[first:last]):  # Seller Center lists the newest order first
            rows.extend(order_rows(life.snapshot(export.taken_at),
                                   money_symbol=export.money_symbol))
        path = folder / f"All order-{export.taken_at:%Y-%m-%d-%H_%M}.csv"
        paths.append(write_orders_csv(path, rows,
                                      with_description_row=export.with_description_row))
    return campaign, paths


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59))


def _as_of(today: date, now: datetime | None) -> datetime:
    if now is None:
        return _end_of(today)
    if now.tzinfo is not None or now.date() != today:
        raise ValueError(f"the demo's now ({now}) must be a naive shop time on {today}")
    return now


def _generate(today: date, seed: int, scale: float,
              as_of: datetime) -> tuple[DemoCampaign, list[OrderLife]]:
    rng = random.Random(seed)
    start_day = today - timedelta(days=TODAY_CAMPAIGN_DAY - 1)
    first_day = start_day - timedelta(days=HISTORY_DAYS)
    clock = ShopClock(SHOP_TIMEZONE, first_day - timedelta(days=1), today + timedelta(days=60))
    # Nothing is paid after "now"; the draws do not depend on it, so an earlier "now" shows
    # the same orders, fewer of them.
    maker = OrderMaker(rng, clock.fix, first_day, as_of)
    hour_weights = cumulative(_HOUR_WEIGHTS)
    launch_weights = cumulative([w * _LAUNCH_HOUR_BOOST.get(hour, 1.0)
                                  for hour, w in enumerate(_HOUR_WEIGHTS)])
    lives = []
    for day, count in _daily_order_counts(rng, first_day, start_day, scale):
        phase = _phase(day, start_day)
        weights = launch_weights if day == start_day else hour_weights
        for created in _created_times(rng, clock, day, count, weights):
            lives.append(maker.make(created, phase))
    target = _gmv_target(lives, start_day)
    lives = [life for life in lives if life.base.created <= as_of]
    campaign = DemoCampaign(
        name=f"Black Friday / Cyber Monday {today.year}", start_day=start_day,
        end_day=start_day + timedelta(days=CAMPAIGN_LENGTH - 1), timezone=SHOP_TIMEZONE,
        gmv_target_cents=target)
    return campaign, lives


class ShopClock:
    """Keeps generated local times unambiguous: each must map to exactly one UTC instant.

    Half a year of history crosses a DST change; local times in the spring-forward gap do not
    exist and those in the fall-back hour exist twice, so both hours are stepped over.
    """

    def __init__(self, timezone: str, first_day: date, last_day: date) -> None:
        zone = ZoneInfo(timezone)
        # Half-open [start, end) spans of bad local hours; there are only a few per year.
        self._bad_spans: list[tuple[datetime, datetime]] = []
        for offset in range((last_day - first_day).days + 1):
            day = first_day + timedelta(days=offset)
            midnight = datetime.combine(day, time(), zone)
            if midnight.utcoffset() == (midnight + timedelta(days=1)).utcoffset():
                continue  # no transition that day: every hour is fine
            for hour in range(24):
                start = datetime.combine(day, time(hour))
                if not is_unambiguous_local(start + timedelta(minutes=30), zone):
                    self._add_bad_hour(start)

    def _add_bad_hour(self, start: datetime) -> None:
        end = start + timedelta(hours=1)
        if self._bad_spans and self._bad_spans[-1][1] == start:
            self._bad_spans[-1] = (self._bad_spans[-1][0], end)
        else:
            self._bad_spans.append((start, end))

    def fix(self, moment: datetime) -> datetime:
        """``moment``, moved to the end of a DST gap or repeated hour if it falls in one."""
        for start, end in self._bad_spans:
            if start <= moment < end:
                return end
        return moment


def is_unambiguous_local(moment: datetime, zone: ZoneInfo) -> bool:
    """True if the naive local ``moment`` exists in ``zone`` and exists only once."""
    aware = moment.replace(tzinfo=zone)
    round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return round_trip == moment and aware.utcoffset() == aware.replace(fold=1).utcoffset()


def _daily_order_counts(rng: random.Random, first_day: date, start_day: date,
                        scale: float) -> list[tuple[date, int]]:
    """Orders per day: history with a weekly rhythm and gentle growth, then campaign days."""
    counts = []
    for offset in range(HISTORY_DAYS):
        day = first_day + timedelta(days=offset)
        trend = 0.88 + 0.18 * offset / HISTORY_DAYS
        expected = (_HISTORY_BASE_ORDERS * trend * _WEEKDAY_FACTORS[day.weekday()]
                    * rng.uniform(0.93, 1.07))
        counts.append((day, round(min(220, max(120, expected)) * scale)))
    for index in range(TODAY_CAMPAIGN_DAY):
        planned = _CAMPAIGN_DAY_ORDERS[index] * rng.uniform(0.95, 1.05)
        counts.append((start_day + timedelta(days=index), round(planned * scale)))
    return counts


def _phase(day: date, start_day: date) -> str:
    if day >= start_day:
        return "campaign"
    return "seeding" if (start_day - day).days <= _SEEDING_DAYS else "history"


def _created_times(rng: random.Random, clock: ShopClock, day: date, count: int,
                   hour_cum_weights: list[float]) -> list[datetime]:
    hours = rng.choices(range(24), cum_weights=hour_cum_weights, k=count)
    midnight = datetime.combine(day, time())
    times = [clock.fix(midnight + timedelta(0, hour * 3600 + int(rng.random() * 3600)))
             for hour in hours]
    return sorted(times)


def _gmv_target(lives: list[OrderLife], start_day: date) -> int:
    """A round target ~5% above the campaign GMV projected from the days so far."""
    campaign_start = datetime.combine(start_day, time())
    so_far = sum(line.unit_price_cents * line.quantity - line.seller_discount_cents
                 for life in lives
                 if life.paid is not None and life.base.created >= campaign_start
                 and not life.is_sample
                 for line in life.base.lines)
    planned_share = (sum(_CAMPAIGN_DAY_ORDERS[:TODAY_CAMPAIGN_DAY])
                     / sum(_CAMPAIGN_DAY_ORDERS))
    projected = so_far / planned_share
    return round(projected * 1.05 / 100_000) * 100_000  # whole thousands of dollars


@dataclass(frozen=True)
class _Export:
    """One "All order" file: orders created from ``first_created`` until ``taken_at``."""

    first_created: datetime
    taken_at: datetime  # rows show each order as it stood at this moment
    money_symbol: str
    with_description_row: bool


def _plan_exports(seed: int, first_day: date, as_of: datetime) -> list[_Export]:
    """Three exports a seller might have taken: two of ~90 days and today's, overlapping.

    The first two were taken on an afternoon at the end of their 90 days; each next export
    starts a few days before the previous one was taken. Today's is taken at ``as_of``.
    """
    # A stream of its own, so the export times never shift the orders.
    rng = random.Random(f"demo-exports-{seed}")
    exports = []
    first_created = datetime.combine(first_day, time())
    for money_symbol, with_description_row in (("", True), ("$", False)):
        taken_day = first_created.date() + timedelta(days=_EXPORT_DAYS - 1)
        taken_at = datetime.combine(taken_day, time(rng.randint(13, 17), rng.randrange(60)))
        exports.append(_Export(first_created, taken_at, money_symbol, with_description_row))
        first_created = datetime.combine(taken_day - timedelta(days=_EXPORT_OVERLAP_DAYS), time())
    exports.append(_Export(first_created, as_of, "", False))
    return exports
