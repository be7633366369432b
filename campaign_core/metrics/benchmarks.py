"""Benchmarks: the shop's KPIs against peer benchmark values and against peer shops.

Two sources of comparison:
- the **benchmark file** (the Benchmarks template, stored in ``benchmark``): values for the
  shop's category and GMV tier, per day. Like Seller Center, benchmarks exclude real-time
  data (no Today view, no day still in progress), and when a day's benchmark has not been
  imported yet the day before is used instead, and the result says so;
- **peer shops**: other shops of the same category (and currency) in this store, whose core
  KPIs over the same window are averaged.

Difference % = (value - benchmark) / benchmark x 100, rounded to 1 decimal; None ("n/a")
when the benchmark is 0 or missing, never infinity.

A period is compared over the same days on both sides: the complete days of the window
that have a benchmark (first to last such day). When benchmark days are missing in between,
totals are compared as per-day averages (the shop's total over the span / its days against
the benchmark total / the days it covers); each row's ``basis`` says which.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from campaign_core.metrics.catalog import CATALOG, Format
from campaign_core.metrics.core import core_kpis
from campaign_core.store.shops import Shop
from campaign_core.windows import View, Window, local_midnight_utc, period_window

SOURCE_FILE = "benchmark file"
SAME_DAYS = "same days"
PER_DAY = "per-day average"
SOURCE_PEERS = "peer shops"
REAL_TIME_REASON = "Benchmarks exclude real-time data."
# Totals over a period add up day by day; every other metric (ratios such as AOV, rates)
# is the mean of its daily benchmarks.
SUMMABLE_METRICS = frozenset({"gmv", "orders", "sku_orders", "units", "buyers",
                              "tiktok_contribution", "refunds", "net_sales"})
_IMPORT_HINT = ("import a Benchmarks template file (download the template on the Import "
                "page)")
_ONE_DECIMAL = Decimal("0.1")
_CENT = Decimal("0.01")

Number = Decimal | int


@dataclass(frozen=True)
class BenchmarkRow:
    """One metric compared: the shop's ``value`` against ``benchmark``.

    ``benchmark_day`` is the ISO day whose benchmark was used (Daily) or ``first..last`` of
    the days covered (Campaign Period). ``source`` is ``"benchmark file"`` or
    ``"peer shops"``; ``days_covered`` counts the days whose benchmark went into the row;
    ``peers`` is the number of peer shops averaged (0 for the file). ``basis``: "same days"
    (``value`` and ``benchmark`` cover the same days) or "per-day average" (both are per
    day, because the benchmark misses days inside its span).
    """

    metric: str
    value: Number | None
    benchmark: Decimal | None
    difference_pct: Decimal | None
    benchmark_day: str | None
    source: str
    days_covered: int = 0
    peers: int = 0
    basis: str = SAME_DAYS


@dataclass(frozen=True)
class BenchmarkResult:
    """What the benchmark panel shows for one view.

    ``rows``: the file's benchmarks (empty when there is nothing to compare; ``reason``
    then says why). ``peer_rows``: the peer shops' averages (may exist without ``rows``).
    ``message``: a notice to show above the rows when set (the "day before" fallback, or
    a period only partly covered). ``fallback_used``/``fallback_day``: the Daily view used
    the day before's benchmark for at least one metric. ``days_in_window`` and
    ``days_with_benchmark``: how much of the window the file's benchmarks cover.
    """

    view: View
    rows: tuple[BenchmarkRow, ...] = ()
    peer_rows: tuple[BenchmarkRow, ...] = ()
    reason: str | None = None
    message: str | None = None
    fallback_used: bool = False
    fallback_day: date | None = None
    category: str | None = None
    gmv_tier: str | None = None
    days_in_window: int = 0
    days_with_benchmark: int = 0
    peers: int = 0

    @property
    def available(self) -> bool:
        return bool(self.rows or self.peer_rows)

    def by_metric(self) -> dict[str, BenchmarkRow]:
        """One row per metric: the file's benchmark where there is one, else the peers'."""
        chosen = {row.metric: row for row in self.peer_rows}
        chosen.update({row.metric: row for row in self.rows})
        return chosen

    def report_section(self) -> dict[str, dict]:
        """JSON-ready ``{metric: {value, benchmark, difference_pct, benchmark_day, source,
        basis}}`` (numbers as floats or ints, None as null) for the command line's report."""
        return {name: {"value": _json_number(row.value),
                       "benchmark": _json_number(row.benchmark),
                       "difference_pct": _json_number(row.difference_pct),
                       "benchmark_day": row.benchmark_day,
                       "source": row.source, "basis": row.basis}
                for name, row in self.by_metric().items()}


def benchmark_comparison(conn: sqlite3.Connection, shop: Shop, window: Window,
                         kpis: dict[str, Number | None], view: View | str) -> BenchmarkResult:
    """Compare ``kpis`` (the shop's values over ``window``, e.g. ``CoreKpis.as_dict()``)
    with the benchmark file's values for the shop's category and GMV tier, and with peers.

    Today, or a Daily window still in progress: no rows, ``reason`` = "Benchmarks exclude
    real-time data." Daily: the day's benchmark, else the day before's (``fallback_used``,
    ``fallback_day`` and ``message`` say so), else no rows and a ``reason`` naming the file
    to import. Campaign Period: over the complete days with a benchmark (see the module
    docstring), summable metrics are the sum of the daily benchmarks, others the mean, and
    the shop's values are recomputed for those days; ``days_with_benchmark`` of
    ``days_in_window``. Only metrics present in ``kpis`` get a row. Never raises for
    missing data.
    """
    view = View(view)
    days = (window.last_day - window.first_day).days + 1
    if _is_real_time(view, window):
        return BenchmarkResult(view, reason=REAL_TIME_REASON, days_in_window=days)
    peer_rows = tuple(peer_comparison(conn, shop, window, kpis))
    base = dict(view=view, peer_rows=peer_rows, category=shop.category,
                gmv_tier=shop.gmv_tier, days_in_window=days,
                peers=peer_rows[0].peers if peer_rows else 0)
    if not shop.category or not shop.gmv_tier:
        return BenchmarkResult(**base, reason=(
            "Set the shop's category and GMV tier (shop settings) to compare it with "
            "benchmarks."))
    if view is View.DAILY:
        return _daily(conn, shop, window.first_day, kpis, base)
    return _period(conn, shop, window, kpis, base)


def peer_comparison(conn: sqlite3.Connection, shop: Shop, window: Window,
                    kpis: dict[str, Number | None] | None = None) -> list[BenchmarkRow]:
    """The shop's core KPIs against the average of its peers over the same ``window``.

    Peers are the other shops of the store with the same category (any case) and currency;
    a peer without a paid order in the window has no data for it and is left out. A shop
    without a category has no peers. ``kpis`` are the shop's own values (computed with
    ``core_kpis`` when None). Returns one row per metric of ``kpis`` that the peers have
    (source "peer shops", ``peers`` = how many shops were averaged, ``benchmark_day`` the
    window's day or ``first..last``), or [] without peers or for real-time data.
    """
    if not shop.category or _is_real_time(window.view, window):
        return []
    peer_kpis = [k.as_dict() for k in (core_kpis(conn, peer_id, window)
                                       for peer_id in _peer_shop_ids(conn, shop))
                 if k.orders > 0]
    if not peer_kpis:
        return []
    own = kpis if kpis is not None else core_kpis(conn, shop.shop_id, window).as_dict()
    day = _day_span(window.first_day, window.last_day)
    rows = []
    for name in own:
        values = [Decimal(k[name]) for k in peer_kpis if k.get(name) is not None]
        if not values:
            continue
        benchmark = _rounded(name, sum(values) / len(values))
        rows.append(BenchmarkRow(name, own[name], benchmark,
                                 difference_pct(own[name], benchmark), day, SOURCE_PEERS,
                                 days_covered=(window.last_day - window.first_day).days + 1,
                                 peers=len(peer_kpis)))
    return rows


def difference_pct(value: Number | None, benchmark: Number | None) -> Decimal | None:
    """(value - benchmark) / benchmark x 100, half up to 1 decimal; None when either is
    missing or the benchmark is 0 (a percentage of nothing is "n/a", not infinity)."""
    if value is None or benchmark is None or benchmark == 0:
        return None
    change = (Decimal(value) - Decimal(benchmark)) / Decimal(benchmark) * 100
    return change.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


# --- the benchmark file ------------------------------------------------------------------

_DAILY_SQL = """
SELECT metric, day, value
FROM benchmark
WHERE category = :category COLLATE NOCASE AND gmv_tier = :gmv_tier COLLATE NOCASE
  AND day IN (:day, :day_before)
ORDER BY metric, day DESC
"""

_PERIOD_SQL = """
SELECT metric, SUM(value) AS total, AVG(value) AS mean, COUNT(DISTINCT day) AS days,
       MIN(day) AS first_day, MAX(day) AS last_day
FROM benchmark
WHERE category = :category COLLATE NOCASE AND gmv_tier = :gmv_tier COLLATE NOCASE
  AND day BETWEEN :first AND :last
GROUP BY metric
"""

_PERIOD_DAYS_SQL = """
SELECT COUNT(DISTINCT day) FROM benchmark
WHERE category = :category COLLATE NOCASE AND gmv_tier = :gmv_tier COLLATE NOCASE
  AND day BETWEEN :first AND :last
"""


def _daily(conn: sqlite3.Connection, shop: Shop, day: date,
           kpis: dict[str, Number | None], base: dict) -> BenchmarkResult:
    day_before = day - timedelta(days=1)
    params = {"category": shop.category, "gmv_tier": shop.gmv_tier,
              "day": day.isoformat(), "day_before": day_before.isoformat()}
    latest: dict[str, tuple[str, float]] = {}
    for row in conn.execute(_DAILY_SQL, params):
        latest.setdefault(row["metric"], (row["day"], row["value"]))  # the later day first
    rows = tuple(_file_row(name, kpis[name], latest[name][1], latest[name][0], 1)
                 for name in kpis if name in latest)
    if not rows:
        return BenchmarkResult(**base, reason=(
            f"No benchmark for {shop.category} / {shop.gmv_tier} on {_show(day)} or the "
            f"day before: {_IMPORT_HINT}."))
    fallback = any(row.benchmark_day == day_before.isoformat() for row in rows)
    message = (f"No benchmark for {_show(day)} yet: compared with the day before "
               f"({_show(day_before)}).") if fallback else None
    return BenchmarkResult(**base, rows=rows, message=message, fallback_used=fallback,
                           fallback_day=day_before if fallback else None,
                           days_with_benchmark=1)


def _period(conn: sqlite3.Connection, shop: Shop, window: Window,
            kpis: dict[str, Number | None], base: dict) -> BenchmarkResult:
    last = last_complete_day(window)
    params = {"category": shop.category, "gmv_tier": shop.gmv_tier,
              "first": window.first_day.isoformat(), "last": last.isoformat()}
    stats = {row["metric"]: row for row in conn.execute(_PERIOD_SQL, params)
             if row["metric"] in kpis}
    span_kpis: dict[tuple[str, str], dict] = {}
    rows = []
    for name, row in stats.items():
        span = (row["first_day"], row["last_day"])
        if span not in span_kpis:
            span_kpis[span] = _kpis_over(conn, shop.shop_id, window, *span)
        if name in span_kpis[span]:
            rows.append(_period_row(name, span_kpis[span][name], row))
    if not rows:
        return BenchmarkResult(**base, reason=(
            f"No benchmark for {shop.category} / {shop.gmv_tier} between "
            f"{_show(window.first_day)} and {_show(last)} (complete days): {_IMPORT_HINT}."))
    covered = conn.execute(_PERIOD_DAYS_SQL, params).fetchone()[0]
    days = base["days_in_window"]
    message = None
    if covered < days:
        message = (f"Benchmarks cover {covered} of the window's {days} days: the shop is "
                   "compared over the same days only.")
    if any(row.basis == PER_DAY for row in rows):
        message = ((message + " ") if message else "") + (
            "Some days in between have no benchmark, so totals are compared per day.")
    return BenchmarkResult(**base, rows=tuple(rows), message=message,
                           days_with_benchmark=covered)


def last_complete_day(window: Window) -> date:
    """The window's last day if it has ended, else the day before: benchmarks are never
    compared with a day still in progress."""
    end_of_last = local_midnight_utc(window.last_day + timedelta(days=1), window.timezone)
    return window.last_day if window.end_utc >= end_of_last else (
        window.last_day - timedelta(days=1))


def _kpis_over(conn: sqlite3.Connection, shop_id: int, window: Window, first: str,
               last: str) -> dict[str, Number | None]:
    end = local_midnight_utc(date.fromisoformat(last) + timedelta(days=1), window.timezone)
    span = period_window(date.fromisoformat(first), date.fromisoformat(last),
                         window.timezone, datetime.fromtimestamp(end, UTC))
    return core_kpis(conn, shop_id, span).as_dict()


def _period_row(metric: str, value: Number | None, stats: sqlite3.Row) -> BenchmarkRow:
    span = _day_span(stats["first_day"], stats["last_day"])
    span_days = (date.fromisoformat(stats["last_day"])
                 - date.fromisoformat(stats["first_day"])).days + 1
    if metric not in SUMMABLE_METRICS or stats["days"] == span_days:
        return _file_row(metric, value, _period_value(metric, stats), span, stats["days"])
    per_day = None if value is None else _rounded(metric, Decimal(value) / span_days)
    row = _file_row(metric, per_day, stats["total"] / stats["days"], span, stats["days"])
    return BenchmarkRow(**{**row.__dict__, "basis": PER_DAY})


def _period_value(metric: str, stats: sqlite3.Row) -> float:
    return stats["total"] if metric in SUMMABLE_METRICS else stats["mean"]


def _file_row(metric: str, value: Number | None, benchmark: float, day: str,
              days_covered: int) -> BenchmarkRow:
    shown = _rounded(metric, Decimal(str(benchmark)))
    return BenchmarkRow(metric, value, shown, difference_pct(value, shown), day,
                        SOURCE_FILE, days_covered=days_covered)


# --- helpers -----------------------------------------------------------------------------

def _is_real_time(view: View, window: Window) -> bool:
    # A Daily window that has not ended is today's data: as real-time as the Today view.
    return view is View.TODAY or (view is View.DAILY and not window.complete)


def _peer_shop_ids(conn: sqlite3.Connection, shop: Shop) -> list[int]:
    rows = conn.execute(
        "SELECT shop_id FROM shop WHERE shop_id != :shop_id "
        "AND category = :category COLLATE NOCASE AND currency = :currency ORDER BY shop_id",
        {"shop_id": shop.shop_id, "category": shop.category.strip(),
         "currency": shop.currency})
    return [row[0] for row in rows]


def _rounded(metric: str, amount: Decimal) -> Decimal:
    """Money and rates to cents; counts to a tenth (an average of peers' orders may be
    120.5), shown whole when they are whole."""
    entry = CATALOG.get(metric)
    if entry is None or entry.format is not Format.COUNT:
        return amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    tenth = amount.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return tenth.quantize(Decimal(1)) if tenth == tenth.to_integral_value() else tenth


def _day_span(first: date | str, last: date | str) -> str:
    first, last = str(first), str(last)
    return first if first == last else f"{first}..{last}"


def _show(day: date) -> str:
    return f"{day:%b %d, %Y}".replace(" 0", " ")


def _json_number(value: Number | None) -> float | int | None:
    return float(value) if isinstance(value, Decimal) else value
