"""Shared parts of the marketing importers (ad reports, traffic by channel).

- ``ReportPeriod`` readers: a row's day (and hour), an export's period from the file name
  (``Campaign Report(2026-11-20 to 2026-11-26).xlsx``) or from the lines above the header;
- the ad account a report belongs to (a column, or a line above the header);
- ``KeyedRows``: parsed rows keyed by their natural key, with a classifier (new / updated /
  unchanged against the store) and a writer (replace by key), so every marketing import is
  idempotent: importing the same file twice changes nothing.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from campaign_core.importers.dates import DateOrderUnknown
from campaign_core.importers.dates import slash_order as file_slash_order
from campaign_core.importers.parsed import ParsedFile, RecordCounts
from campaign_core.importers.product_analytics import period_from_preamble
from campaign_core.importers.reading import FileRejected
from campaign_core.importers.values import CellError, clean, is_empty
from campaign_core.windows import local_midnight_utc

_ISO_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_SLASH_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp][Mm])?\s*$")
_HOUR_ONLY = re.compile(r"^(\d{1,2})(?::00(?::00)?)?(?:\s*-\s*\d{1,2}(?::00)?)?\s*([AaPp][Mm])?$")
_ACCOUNT_LINE = re.compile(
    r"(?:advertiser|ad account|account)(?:\s*(?:name|id))?\s*[:：]\s*(?P<value>.+)$",
    re.IGNORECASE)
_TOTAL_WORDS = ("total", "totals", "grand total", "summary")

Period = tuple[date, date]


# --- days, hours, periods ------------------------------------------------------------------


def slash_order(texts: Iterable[str], fallback: str | None = None) -> str:
    """The file's slash-date order (``dates.slash_order``: its dates, else ``fallback``).
    Raises ``FileRejected`` when it cannot be told."""
    try:
        return file_slash_order(texts, fallback)
    except DateOrderUnknown as error:
        raise FileRejected(f"The report's dates cannot be read: {error}.") from error


def read_day_time(raw: object, order: str = "mdy", *,
                  hourly: bool = False) -> tuple[date, int | None]:
    """A day cell, maybe with a time: ``2026-11-20``, ``11/20/2026``, ``2026-11-20 13:00``,
    ``11/20/2026 01:00 PM`` or a spreadsheet date. Returns (day, hour or None when the cell
    has no time). ``hourly``: a spreadsheet date-time at midnight is hour 0, not a day.
    Raises ``CellError``."""
    if isinstance(raw, datetime):
        has_time = hourly or raw.time() != time(0)
        return raw.date(), (raw.hour if has_time else None)
    if isinstance(raw, date):
        return raw, None
    text = clean(raw)
    if is_empty(text):
        raise CellError("date is missing")
    try:
        if match := _ISO_DAY.match(text):
            year, month, day = map(int, match.groups())
        elif match := _SLASH_DAY.match(text):
            first, second, year = map(int, match.groups())
            month, day = (first, second) if order == "mdy" else (second, first)
        else:
            raise CellError("not a day (expected YYYY-MM-DD or MM/DD/YYYY)")
        result = date(year, month, day)
    except ValueError as error:
        raise CellError(f"not a valid day ({error})") from error
    rest = text[match.end():].strip(" T")
    if not rest:
        return result, None
    time_match = _TIME.match(rest)
    if time_match is None:
        raise CellError("the time after the day cannot be read")
    return result, _hour_of(int(time_match.group(1)), time_match.group(3))


def read_hour(raw: object) -> int:
    """An hour cell: ``13``, ``13:00``, ``13:00-14:00``, ``1 PM``. Raises ``CellError``."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        hour = raw
    elif isinstance(raw, float) and raw.is_integer():
        hour = int(raw)
    elif isinstance(raw, time | datetime):
        hour = raw.hour
    else:
        text = clean(raw)
        match = _HOUR_ONLY.match(text)
        if is_empty(text) or match is None:
            raise CellError("not an hour (expected 0-23 or 13:00)")
        return _hour_of(int(match.group(1)), match.group(2))
    if not 0 <= hour <= 23:
        raise CellError("hour must be 0-23")
    return hour


def _hour_of(hour: int, meridiem: str | None) -> int:
    if meridiem:
        if not 1 <= hour <= 12:
            raise CellError("hour must be 1-12 with AM/PM")
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    if not 0 <= hour <= 23:
        raise CellError("hour must be 0-23")
    return hour


def hour_start_utc(day: date, hour: int | None, timezone: str) -> int:
    """The first instant of ``hour`` of the local ``day`` (midnight when hour is None)."""
    if hour is None:
        return local_midnight_utc(day, timezone)
    local = datetime.combine(day, time(hour), tzinfo=ZoneInfo(timezone))
    return int(local.astimezone(UTC).timestamp())


def report_period(file_name: str, preamble: list[list[object]],
                  order: str | None = None) -> Period | None:
    """An export's period: a date range above the header, else in the file name
    (``...Campaign Report(2026-11-20 to 2026-11-26).xlsx``); None when neither has one.
    Slash dates as ``dates.range_order`` reads them, with ``order`` the market's.
    Raises ``FileRejected`` for a range that is not a valid pair of days."""
    return (period_from_preamble(preamble, order)
            or period_from_preamble([[file_name]], order))


def is_total_row(*cells: object) -> bool:
    """A summary row some exports end with (``Total``, ``Total of 12 results``)."""
    for cell in cells:
        text = clean(cell).casefold()
        if text and (text in _TOTAL_WORDS or text.startswith("total of")):
            return True
    return False


def account_from_preamble(preamble: list[list[object]]) -> tuple[str, str | None] | None:
    """``Advertiser: Glow Ads (7234567890123456789)`` above the header -> (id, name)."""
    for cells in preamble:
        text = " ".join(clean(c) for c in cells if c is not None and clean(c))
        match = _ACCOUNT_LINE.search(text)
        if match:
            return split_account(match.group("value"))
    return None


def split_account(value: str) -> tuple[str, str | None]:
    """``Glow Ads (7234...)`` -> (``7234...``, ``Glow Ads``); a bare number is an ID; a bare
    name is both."""
    value = value.strip()
    match = re.match(r"^(?P<name>.*?)\s*\((?P<id>\d{6,})\)$", value)
    if match:
        return match.group("id"), match.group("name") or None
    return value, (None if value.isdigit() else value)


# --- keyed rows: classify and write ----------------------------------------------------------


@dataclass(frozen=True)
class KeyedTable:
    """A store table whose rows the writer replaces by ``key`` columns."""

    name: str
    key: tuple[str, ...]  # besides shop_id
    values: tuple[str, ...]


@dataclass
class KeyedRows(ParsedFile):
    """Parsed rows of one file: key tuple -> row (key and value columns)."""

    table: KeyedTable | None = None
    rows: dict[tuple, dict] = field(default_factory=dict)
    lines: dict[tuple, int] = field(default_factory=dict)
    # account_id -> (name, currency): ad accounts the file names, created when missing
    accounts: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    # account_id -> UTC offset in minutes, when the report states its time zone
    account_offsets: dict[str, int] = field(default_factory=dict)

    def keep(self, line: int, row: dict, label: str) -> None:
        key = tuple(row[column] for column in self.table.key)
        earlier = self.lines.get(key)
        if earlier is not None:
            self.notes.append(f"{label} appears on lines {earlier} and {line}; the later row "
                              "was kept.")
        self.rows[key] = row
        self.lines[key] = line


def _where_key(table: KeyedTable) -> str:
    return " AND ".join(["shop_id = :shop_id"]
                        + [f"{column} IS :{column}" for column in table.key])


def classify_keyed(conn: sqlite3.Connection, shop_id: int, parsed: KeyedRows,
                   stamp: str | None) -> tuple[RecordCounts, list[dict]]:
    """Sort the parsed rows into new / updated / unchanged for ``shop_id`` (a row is
    unchanged when the store has its key with equal values); writes nothing. ``stamp`` is
    unused. Returns the counts and the rows to write."""
    table = parsed.table
    counts, plan = RecordCounts(), []
    select = (f"SELECT {', '.join(table.values)} FROM {table.name} "
              f"WHERE {_where_key(table)}")
    for row in parsed.rows.values():
        stored = conn.execute(select, {**row, "shop_id": shop_id}).fetchall()
        if not stored:
            counts.new += 1
        elif len(stored) == 1 and all(stored[0][c] == row.get(c) for c in table.values):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append(row)
    return counts, plan


def write_keyed(conn: sqlite3.Connection, shop_id: int, import_id: int, parsed: KeyedRows,
                plan: list[dict]) -> int:
    """Replace the planned rows by key (inside the caller's transaction) and add the ad
    accounts the file names; returns the rows written."""
    table = parsed.table
    ensure_accounts(conn, shop_id, parsed.accounts)
    for account_id, offset in parsed.account_offsets.items():  # the report states it
        conn.execute("UPDATE ad_account SET utc_offset_minutes = :offset WHERE "
                     "shop_id = :shop_id AND account_id = :account_id",
                     {"offset": offset, "shop_id": shop_id, "account_id": account_id})
    columns = ("shop_id", *table.key, *table.values, "import_id")
    delete = f"DELETE FROM {table.name} WHERE {_where_key(table)}"
    insert = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
              f"VALUES ({', '.join(':' + c for c in columns)})")
    for row in plan:
        values = {column: row.get(column) for column in columns}
        values.update(shop_id=shop_id, import_id=import_id)
        conn.execute(delete, values)
        conn.execute(insert, values)
    return len(plan)


def ensure_accounts(conn: sqlite3.Connection, shop_id: int,
                    accounts: dict[str, tuple[str | None, str | None]]) -> None:
    """Create the ad accounts a file names; fill a name or currency the store lacks."""
    for account_id, (name, currency) in accounts.items():
        conn.execute(
            "INSERT INTO ad_account (shop_id, account_id, name, currency, is_primary) "
            "VALUES (:shop_id, :account_id, :name, :currency, 0) "
            "ON CONFLICT (shop_id, account_id) DO UPDATE SET "
            "name = COALESCE(ad_account.name, excluded.name), "
            "currency = COALESCE(ad_account.currency, excluded.currency)",
            {"shop_id": shop_id, "account_id": account_id, "name": name,
             "currency": currency})


def period_span(parsed: ParsedFile, days: Iterable[date], timezone: str) -> None:
    """Set the file's span (first day 00:00 to the last day's end) for the import log."""
    days = list(days)
    if not days:
        return
    parsed.first_time_utc = local_midnight_utc(min(days), timezone)
    parsed.last_time_utc = local_midnight_utc(max(days) + timedelta(days=1), timezone) - 1
