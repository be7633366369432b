"""Parse and store the peer benchmarks template: one benchmark value per row.

A row is (day, metric, category, GMV tier, value): what similar shops achieved that day, as
Seller Center shows it or as the seller keeps it. Benchmarks are store-wide, not per shop:
a shop uses the rows of its own category and GMV tier. Rows that cannot be read become
``Problem``s (file line, column, raw value, reason) and are left out.

Category and tier are matched case-insensitively (``beauty`` updates ``Beauty``), and the
spelling already stored is kept, so a re-import never creates a second row for the same key.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from campaign_core.formatting import plural
from campaign_core.importers.parsed import ParsedFile, Problem, RecordCounts
from campaign_core.importers.reading import SourceTable
from campaign_core.importers.rows import counted_rows
from campaign_core.importers.values import CellError, clean, is_empty, parse_local_time
from campaign_core.metrics.catalog import CATALOG

_SPACES = re.compile(r"\s+")
# An optional sign, an optional currency word or sign (``$``, ``MXN``), then the digits.
_NUMBER = re.compile(
    r"^(?P<minus>-)?\s*(?:[^\d\s\-.,%]{1,4}\s?)?(?P<inner_minus>-)?(?P<digits>\d[\d.,]*|\.\d+)$")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")

# The table's natural key: (day, metric, category, GMV tier).
BenchmarkKey = tuple[str, str, str, str]


@dataclass
class ParsedBenchmarks(ParsedFile):
    """The readable rows of a benchmarks file, one per key (a later duplicate wins).

    Each row is a dict with ``day`` (ISO date), ``metric`` (catalog name), ``category``,
    ``gmv_tier`` and ``value`` (float; a percent is stored as its number, 4.11 for 4.11%).
    """

    rows: list[dict] = field(default_factory=list)


def metric_name(raw: str) -> str | None:
    """The catalog name for a metric written as its name or its label, any case; else None."""
    wanted = _normalise(raw)
    for metric in CATALOG.values():
        if wanted in (_normalise(metric.name), _normalise(metric.label)):
            return metric.name
    return None


def accepted_metrics_text() -> str:
    """``gmv (GMV), orders (Orders), ...``: what the Metric column accepts."""
    return ", ".join(f"{metric.name} ({metric.label})" for metric in CATALOG.values())


def parse_number(raw: object) -> Decimal | None:
    """A benchmark value: ``1234.5``, ``$1,234.50``, ``MXN 3,121.71``, ``4.11%`` (-> 4.11).

    Returns None for an empty cell (``""``, ``--``, ``-``); raises ``CellError`` for text
    that is not a number. The last of ``,`` and ``.`` is the decimal separator when both
    appear; a lone ``,`` is a thousands separator only in the ``1,234,567`` shape.
    """
    if isinstance(raw, bool):
        raise CellError("not a number")
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = clean(raw)
    if is_empty(text):
        return None
    text = text.removesuffix("%").rstrip()
    match = _NUMBER.match(text)
    if not match:
        raise CellError("not a number (expected e.g. 1234.50, $1,234.50 or 4.11%)")
    number = _decimal(match.group("digits"))
    return -number if match.group("minus") or match.group("inner_minus") else number


def _decimal(digits: str) -> Decimal:
    if "," in digits and "." in digits:
        if digits.rfind(",") > digits.rfind("."):  # 1.234,50
            digits = digits.replace(".", "").replace(",", ".")
        else:  # 1,234.50
            digits = digits.replace(",", "")
    elif "," in digits:
        digits = digits.replace(",", "") if _THOUSANDS.fullmatch(digits) else (
            digits.replace(",", "."))
    try:
        return Decimal(digits)
    except InvalidOperation as error:
        raise CellError("not a number (expected e.g. 1234.50, $1,234.50 or 4.11%)") from error


def parse_day(raw: object) -> date:
    """A calendar day: ``YYYY-MM-DD``, ``MM/DD/YYYY``, ``DD/MM/YYYY`` or a spreadsheet date.

    Raises ``CellError`` for a missing or unreadable day. A time of day, if any, is ignored.
    """
    if not isinstance(raw, datetime | date) and is_empty(clean(raw)):
        raise CellError("day is missing")
    try:
        # A day has no zone: read it as UTC so no DST rule can move it to another date.
        moment = parse_local_time(raw, "UTC", required=True)
    except CellError as error:
        raise CellError("not a valid day (expected YYYY-MM-DD, MM/DD/YYYY or "
                        "DD/MM/YYYY)") from error
    return datetime.fromtimestamp(moment.utc, UTC).date()


def parse_benchmarks(table: SourceTable, timezone: str,
                     progress: Callable[[int], None] | None = None) -> ParsedBenchmarks:
    """Read every data row of a benchmarks ``table``.

    ``timezone`` is unused (a benchmark day is a calendar day, not an instant); it is there
    because every kind's parser takes it. ``progress`` is called every 5,000 rows.
    Returns the rows, counts, notes and the problems of quarantined rows.
    """
    result = ParsedBenchmarks()
    by_key: dict[BenchmarkKey, dict] = {}
    duplicates = 0
    for line, cells in counted_rows(table, result, progress):
        row, problems = _parse_row(line, cells, table)
        if problems:
            result.quarantined_rows += 1
            result.problems.extend(problems)
            continue
        key = matching_key(row)
        duplicates += key in by_key
        by_key.pop(key, None)  # re-insert, so the file's order follows the later row
        by_key[key] = row
    result.rows = list(by_key.values())
    if duplicates:
        result.notes.append(f"{plural(duplicates, 'row')} repeat a day, metric, category and tier "
                            "of an earlier row; the later value was kept.")
    return result


def matching_key(row: dict) -> BenchmarkKey:
    """The key two rows share when they are the same benchmark (category/tier any case)."""
    return (row["day"], row["metric"], row["category"].casefold(), row["gmv_tier"].casefold())


def _parse_row(line: int, cells: list[object],
               table: SourceTable) -> tuple[dict, list[Problem]]:
    columns = table.columns
    problems: list[Problem] = []

    def raw(name: str) -> object:
        index = columns.positions.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def problem(name: str, reason: str) -> None:
        value = raw(name)
        problems.append(Problem(line, columns.headers.get(name, name),
                                "" if value is None else str(value), reason))

    row: dict = {}
    try:
        row["day"] = parse_day(raw("day")).isoformat()
    except CellError as error:
        problem("day", str(error))
    metric_text = clean(raw("metric"))
    row["metric"] = metric_name(metric_text)
    if row["metric"] is None:
        what = "metric is missing" if is_empty(metric_text) else "unknown metric"
        problem("metric", f"{what}; accepted: {accepted_metrics_text()}")
    for name, label in (("category", "category"), ("gmv_tier", "GMV tier")):
        row[name] = _SPACES.sub(" ", clean(raw(name)))
        if is_empty(row[name]):
            problem(name, f"{label} is missing")
    try:
        value = parse_number(raw("value"))
        if value is None:
            problem("value", "value is missing")
        elif value < 0:
            problem("value", "a benchmark value cannot be negative")
        else:
            row["value"] = float(value)
    except CellError as error:
        problem("value", str(error))
    return row, problems


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", text.replace("_", " ")).strip().casefold()


# --- store -------------------------------------------------------------------------------

def _stored_row(conn: sqlite3.Connection, row: dict) -> sqlite3.Row | None:
    # NOCASE: the stored spelling of category and tier may differ in case from the file's.
    return conn.execute(
        "SELECT category, gmv_tier, value FROM benchmark "
        "WHERE day = :day AND metric = :metric AND category = :category COLLATE NOCASE "
        "AND gmv_tier = :gmv_tier COLLATE NOCASE",
        row).fetchone()


def classify_benchmarks(conn: sqlite3.Connection, shop_id: int, parsed: ParsedBenchmarks,
                        stamp: str | None) -> tuple[RecordCounts, list[dict]]:
    """Sort incoming benchmark values into new / updated (value changed) / unchanged.

    Nothing is written. ``shop_id`` and ``stamp`` are ignored: benchmarks are store-wide and
    a later file always wins. Returns the counts and the rows to upsert (new and changed
    ones, carrying the stored spelling of category and tier).
    """
    counts = RecordCounts()
    to_write = []
    for row in parsed.rows:
        stored = _stored_row(conn, row)
        if stored is None:
            counts.new += 1
            to_write.append(row)
        elif stored["value"] == row["value"]:
            counts.unchanged += 1
        else:
            counts.updated += 1
            to_write.append({**row, "category": stored["category"],
                             "gmv_tier": stored["gmv_tier"]})
    return counts, to_write


def write_benchmarks(conn: sqlite3.Connection, shop_id: int, import_id: int,
                     parsed: ParsedBenchmarks, plan: list[dict]) -> int:
    """Upsert the rows ``classify_benchmarks`` planned, stamped with ``import_id``.

    ``shop_id`` is ignored (benchmarks are store-wide). Returns the number of rows written.
    """
    conn.executemany(
        "INSERT INTO benchmark (day, metric, category, gmv_tier, value, import_id) "
        "VALUES (:day, :metric, :category, :gmv_tier, :value, :import_id) "
        "ON CONFLICT (day, metric, category, gmv_tier) "
        "DO UPDATE SET value = excluded.value, import_id = excluded.import_id",
        ({**row, "import_id": import_id} for row in plan))
    return len(plan)
