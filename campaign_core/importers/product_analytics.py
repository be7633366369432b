"""Parse and store Data Compass product analytics exports (one row per product and period).

The export (Seller Center > Data Compass > Product analysis > Export, XLSX or CSV) has
shape traps the reader and this parser absorb:
- preamble rows above the header (title, date range ``2026-05-01 ~ 2026-05-31``, filters)
  and sometimes a grouped super-header (``All``, ``Affiliate``, ``Seller LIVE``...): the
  reader keeps them as ``SourceTable.preamble``; the period is read from there;
- sometimes an English definition row under the header: skipped (``_is_definition_row``);
- values as text (``$205.33``, ``1,204``, ``--`` for no value).

The period: a per-day export has a ``Date`` column, and each row is that day (a cell may
also hold a range, ``2026-05-01 ~ 2026-05-07``); otherwise the whole file covers the
preamble's date range. A file with neither is rejected. A multi-day export is stored as a
fact about its whole period, never spread over days.

Storage (``product_traffic``): one row per (shop, product, period, channel). Channel
``all`` holds the product's totals; ``live``, ``video``, ``affiliate``, ``product_card``
hold the GMV attributed to that channel (and its impressions and clicks when the file has
them, as a grouped header does) and ``shop_tab`` the shop tab's impressions, clicks and
GMV, each only when the file has the column(s). Only the columns the file has
are written, so a narrower export never blanks what a wider one stored; ``--`` is stored
as NULL (no value), never as zero.

Slash dates are month-first (``MM/DD/YYYY``, as US Data Compass writes them) unless a date
of the same file cannot be month-first (``31/05/2026``): then the file is read day-first.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from campaign_core.importers.dates import DateOrderUnknown, range_order, slash_day, slash_order
from campaign_core.importers.parsed import ParsedFile, Problem, RecordCounts
from campaign_core.importers.reading import FileRejected, SourceTable
from campaign_core.importers.rows import RowCells
from campaign_core.importers.values import (
    CellError,
    clean,
    is_empty,
    parse_id,
)
from campaign_core.store.lookup import select_by_ids
from campaign_core.windows import local_midnight_utc

ALL_CHANNELS = "all"
# channel -> {product_traffic column: kind field}. Money columns end in ``_cents``.
CHANNEL_COLUMNS: dict[str, dict[str, str]] = {
    ALL_CHANNELS: {
        "impressions": "impressions", "clicks": "clicks",
        "unique_impressions": "unique_impressions", "unique_clicks": "unique_clicks",
        "add_to_cart_users": "add_to_cart_users", "add_to_cart_count": "add_to_cart_count",
        "orders": "orders", "sku_orders": "sku_orders", "units": "units",
        "gmv_cents": "gmv", "refunds_cents": "refunds", "items_refunded": "items_refunded",
        "customers": "customers",
    },
    "live": {"gmv_cents": "live_gmv", "impressions": "live_impressions",
             "clicks": "live_clicks"},
    "video": {"gmv_cents": "video_gmv", "impressions": "video_impressions",
              "clicks": "video_clicks"},
    "affiliate": {"gmv_cents": "affiliate_gmv", "impressions": "affiliate_impressions",
                  "clicks": "affiliate_clicks"},
    "product_card": {"gmv_cents": "product_card_gmv",
                     "impressions": "product_card_impressions",
                     "clicks": "product_card_clicks"},
    "shop_tab": {"impressions": "shop_tab_impressions", "clicks": "shop_tab_clicks",
                 "gmv_cents": "shop_tab_gmv"},
}
_STORED_COLUMNS = sorted({c for columns in CHANNEL_COLUMNS.values() for c in columns})

_DAY = r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}/\d{1,2}/\d{4})"
_RANGE = re.compile(rf"(?P<start>{_DAY})\s*(?:~|–|—|-|to)\s*(?P<end>{_DAY})", re.IGNORECASE)
_ISO_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_SLASH_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DAY_WITH_TIME = re.compile(rf"^({_DAY})(?:[ T]00:00(?::00)?)?$")
# A summary line some exports end with; it is not a product.
_TOTAL_ROW_WORDS = {"total", "totals", "grand total", "summary"}
_PROGRESS_EVERY = 5000

# (product ID, first day, last day), days as ISO text
TrafficKey = tuple[str, str, str]
Period = tuple[date, date]


@dataclass
class TrafficRecord:
    """One product's facts for one period: channel -> {column: value or None}."""

    file_line: int
    product_id: str
    period_start: str
    period_end: str
    channels: dict[str, dict[str, int | None]]

    @property
    def key(self) -> TrafficKey:
        return (self.product_id, self.period_start, self.period_end)


@dataclass
class ParsedTraffic(ParsedFile):
    """The readable rows of a product analytics export, one per (product, period)."""

    records: dict[TrafficKey, TrafficRecord] = field(default_factory=dict)


@dataclass
class _PendingRow:
    """A row read before the file's slash-date order is known (per-day exports)."""

    line: int
    product_id: str | None
    channels: dict[str, dict[str, int | None]]
    problems: list[Problem]
    date_raw: object = None
    date_column: str = "Date"


# --- periods -----------------------------------------------------------------------------


def period_from_preamble(preamble: Iterable[list[object]],
                         order: str | None = None) -> Period | None:
    """The first date range written above the header, or None when there is none.

    Reads ``2026-05-01 ~ 2026-05-31``, ``Analysis date: 07/11/2026~06/12/2026``,
    ``2026/05/01 to 2026/05/31``, anywhere in a row; spreadsheet date cells count as their
    day. Slash dates follow ``dates.range_order``: the range's own dates, else ``order``
    (the shop's market's). Raises ``FileRejected`` when the range found is not a valid pair
    of days or its order cannot be told.
    """
    for cells in preamble:
        text = " ".join(_cell_text(cell) for cell in cells if cell is not None)
        match = _RANGE.search(text)
        if match is None:
            continue
        try:
            return _range_days(match.group("start"), match.group("end"), order, True)
        except CellError as error:
            raise FileRejected(f"The date range above the header ({match.group(0)!r}) cannot "
                               f"be read: {error}.") from error
    return None


def _cell_text(cell: object) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _range_days(start_text: str, end_text: str, order: str | None,
                own_order: bool = False) -> Period:
    """A range's days; ``own_order``: the range may settle its order itself, else ``order``
    is the file's (already decided)."""
    if own_order:
        order = range_order(start_text, end_text, order)
    start, end = _text_day(start_text, order), _text_day(end_text, order)
    if end < start:
        raise CellError("the range ends before it starts")
    return start, end


def _text_day(text: str, order: str) -> date:
    """``YYYY-MM-DD`` (or ``/`` or ``.``) or a slash date in ``order``; else ``CellError``."""
    try:
        if match := _ISO_DAY.match(text):
            year, month, day = map(int, match.groups())
            return date(year, month, day)
        if _SLASH_DAY.match(text):
            return slash_day(text, order)
    except ValueError as error:
        raise CellError(f"not a valid day ({text!r}: {error})") from error
    raise CellError("not a day (expected YYYY-MM-DD or MM/DD/YYYY)")


def _row_period(raw: object, order: str) -> Period:
    """A ``Date`` cell: a day, a spreadsheet date, or a range; raises ``CellError``."""
    if isinstance(raw, datetime | date):
        day = raw.date() if isinstance(raw, datetime) else raw
        return day, day
    text = clean(raw)
    if is_empty(text):
        raise CellError("date is missing")
    if match := _RANGE.fullmatch(text):
        return _range_days(match.group("start"), match.group("end"), order)
    if match := _DAY_WITH_TIME.match(text):  # "2026-05-01 00:00:00" from a saved sheet
        day = _text_day(match.group(1), order)
        return day, day
    raise CellError("not a day (expected YYYY-MM-DD, MM/DD/YYYY or a range "
                    "YYYY-MM-DD ~ YYYY-MM-DD)")


# --- parsing -----------------------------------------------------------------------------


def parse_product_analytics(table: SourceTable, timezone: str,
                            progress: Callable[[int], None] | None = None) -> ParsedTraffic:
    """Read every data row of a product analytics export ``table``.

    ``timezone`` (the shop's) only dates the span reported in the import log: periods are
    calendar days. Returns one record per (product, period) (a later duplicate wins, with
    a note) and a ``Problem`` per unreadable cell (its row is quarantined whole).
    ``progress`` is called with the number of rows read every 5,000 rows.
    Raises ``FileRejected`` when the file has no ``Date`` column and no date range above
    the header.
    """
    per_day = table.columns.has("date")
    file_period = None if per_day else _file_period(table)
    result = ParsedTraffic()
    pending: list[_PendingRow] = []
    for row in _rows_after_definitions(table):
        result.rows_read += 1
        if progress and result.rows_read % _PROGRESS_EVERY == 0:
            progress(result.rows_read)
        pending.append(row)
    try:
        order = slash_order((clean(row.date_raw) for row in pending if per_day and
                             isinstance(row.date_raw, str)), table.locale.date_order)
    except DateOrderUnknown as error:
        raise FileRejected(f"The Date column cannot be read: {error}.") from error
    for row in pending:
        period = file_period
        if per_day:
            period = _read_period(row, order)
        if row.problems:
            result.quarantined_rows += 1
            result.problems.extend(row.problems)
            continue
        _keep_record(result, TrafficRecord(row.line, row.product_id, period[0].isoformat(),
                                           period[1].isoformat(), row.channels))
    _set_span(result, timezone)
    return result


def _file_period(table: SourceTable) -> Period:
    period = period_from_preamble(table.preamble, table.locale.date_order)
    if period is None:
        raise FileRejected(
            "The date range is missing: a product analytics export states its period above "
            "the header (e.g. 2026-05-01 ~ 2026-05-31), or has a Date column when exported "
            "per day. Export it again from Data Compass, or add the date range on a line "
            "above the header.")
    return period


def _read_period(row: _PendingRow, order: str) -> Period | None:
    try:
        return _row_period(row.date_raw, order)
    except CellError as error:
        raw = row.date_raw
        row.problems.append(Problem(row.line, row.date_column,
                                    "" if raw is None else _cell_text(raw), str(error)))
        return None


def _rows_after_definitions(table: SourceTable):
    """The data rows as ``_PendingRow``s, without a definition row right under a header
    and without a totals row (both noted in ``table.skipped``)."""
    first_row = True
    for line, cells in table.rows:
        if cells is None:  # a repeated header: another export pasted below
            table.skipped.append(f"line {line} (repeated header)")
            first_row = True
            continue
        row = RowCells(line, cells, table.columns)
        cell = row.raw
        if first_row:
            first_row = False
            if _is_definition_row(cell):
                table.skipped.append(f"line {line} (column definitions)")
                continue
        if clean(cell("product_id")).casefold() in _TOTAL_ROW_WORDS:
            table.skipped.append(f"line {line} (totals row)")
            continue
        yield _parse_row(row, table)


def _is_definition_row(cell: Callable[[str], object]) -> bool:
    """TikTok's English definitions under the header: no product ID, and sentences where
    the numbers belong (``Total number of times your products were shown...``)."""
    product = clean(cell("product_id"))
    if product[:1].isdigit():
        return False
    return any(_is_sentence(clean(cell(name)))
               for name in ("product_id", "impressions", "clicks", "gmv"))


def _is_sentence(text: str) -> bool:
    return len(text.split()) >= 3 and any(ch.isalpha() for ch in text)


def _parse_row(row: RowCells, table: SourceTable) -> _PendingRow:
    read = row.read
    product_id = read("product_id", parse_id)
    channels: dict[str, dict[str, int | None]] = {}
    for channel, columns in CHANNEL_COLUMNS.items():
        present = {column: name for column, name in columns.items()
                   if table.columns.has(name)}
        if present:
            channels[channel] = {
                column: read(name, table.locale.money if column.endswith("_cents")
                             else table.locale.count)
                for column, name in present.items()}
    return _PendingRow(row.line, product_id, channels, row.problems, row.raw("date"),
                       row.header("date"))


def _keep_record(result: ParsedTraffic, record: TrafficRecord) -> None:
    earlier = result.records.pop(record.key, None)
    if earlier is not None:
        result.notes.append(f"Product {record.product_id} for {record.period_start} to "
                            f"{record.period_end} appears on lines {earlier.file_line} and "
                            f"{record.file_line}; the later row was kept.")
    result.records[record.key] = record


def _set_span(result: ParsedTraffic, timezone: str) -> None:
    """The file's span as instants, for the import log: first day 00:00 to the last
    day's end, in the shop's zone."""
    if not result.records:
        return
    first = min(date.fromisoformat(r.period_start) for r in result.records.values())
    last = max(date.fromisoformat(r.period_end) for r in result.records.values())
    result.first_time_utc = local_midnight_utc(first, timezone)
    result.last_time_utc = local_midnight_utc(last + timedelta(days=1), timezone) - 1


# --- store: classify and write ---------------------------------------------------------


def classify_product_analytics(conn: sqlite3.Connection, shop_id: int, parsed: ParsedTraffic,
                               stamp: str | None) -> tuple[RecordCounts, list[TrafficRecord]]:
    """Sort incoming (product, period) records into new / updated / unchanged for
    ``shop_id``; writes nothing. ``stamp`` is unused (analytics exports carry none).

    A record is new when the store has no row of its product and period, unchanged when
    every channel row it carries equals the stored one on the columns the file has, else
    updated. Returns the counts and the records to write.
    """
    counts = RecordCounts()
    plan: list[TrafficRecord] = []
    stored = _stored_rows(conn, shop_id, sorted({key[0] for key in parsed.records}))
    for key, record in parsed.records.items():
        previous = {channel: stored.get((*key, channel)) for channel in record.channels}
        if all(row is None for row in previous.values()):
            counts.new += 1
        elif _same_as_stored(record, previous):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append(record)
    return counts, plan


def _same_as_stored(record: TrafficRecord,
                    previous: dict[str, sqlite3.Row | None]) -> bool:
    for channel, values in record.channels.items():
        row = previous[channel]
        if row is None or any(row[column] != value for column, value in values.items()):
            return False
    return True


def write_product_analytics(conn: sqlite3.Connection, shop_id: int, import_id: int,
                            parsed: ParsedTraffic, plan: list[TrafficRecord]) -> int:
    """Upsert the planned records' channel rows into ``product_traffic`` (inside the
    caller's transaction), stamped with ``import_id``; only the columns the file has are
    set. Returns the number of rows written."""
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    for record in plan:
        for channel, values in record.channels.items():
            row = {"shop_id": shop_id, "product_id": record.product_id,
                   "period_start": record.period_start, "period_end": record.period_end,
                   "channel": channel, "import_id": import_id, **values}
            by_columns.setdefault(tuple(values), []).append(row)
    written = 0
    for columns, rows in by_columns.items():
        conn.executemany(_upsert_sql(columns), rows)
        written += len(rows)
    return written


def _upsert_sql(columns: tuple[str, ...]) -> str:
    # Column names come from CHANNEL_COLUMNS, never from the file; checked all the same,
    # as they are put into the SQL text.
    if not set(columns) <= set(_STORED_COLUMNS):
        raise ValueError(f"not product_traffic columns: {columns}")
    names = ("shop_id", "product_id", "period_start", "period_end", "channel", "import_id",
             *columns)
    updates = ", ".join(f"{name} = excluded.{name}" for name in ("import_id", *columns))
    return (f"INSERT INTO product_traffic ({', '.join(names)}) "
            f"VALUES ({', '.join(':' + name for name in names)}) "
            "ON CONFLICT (shop_id, product_id, period_start, period_end, channel) "
            f"DO UPDATE SET {updates}")


def _stored_rows(conn: sqlite3.Connection, shop_id: int,
                 product_ids: list[str]) -> dict[tuple[str, str, str, str], sqlite3.Row]:
    rows = select_by_ids(
        conn, "SELECT * FROM product_traffic WHERE shop_id = :shop_id "
              "AND product_id IN ({ids})", product_ids, {"shop_id": shop_id})
    return {(row["product_id"], row["period_start"], row["period_end"], row["channel"]): row
            for row in rows}
