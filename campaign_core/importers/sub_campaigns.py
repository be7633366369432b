"""Parse and store the sub-campaigns template: one sub-campaign of a campaign per row.

Columns: ``Campaign``, ``Sub-campaign``, ``Type`` (optional; free text, empty is "Other"),
``Start``, ``End``, ``SKU IDs`` (separated by spaces, commas or semicolons; empty means all
SKUs). Start and End are local times in the shop's timezone, in any format
``values.parse_local_time`` reads (``2026-11-27 19:00``, ``11/27/2026 07:00:00 PM``...).
A bare date for Start is that day's 00:00; a bare date for End (text, or a spreadsheet
date cell at exactly 00:00) means through the end of that day, so the exclusive bound is
the next local midnight.

Where unknown campaigns are caught (the design choice): parsing has no store connection,
so a row is checked cell by cell there (missing name, unreadable time, end not after
start, bad SKU ID), and its campaign name is resolved in the classify step, which runs
inside the import's write transaction (and in the dry-run preview). A row naming a
campaign the shop does not have is moved to quarantine there: its ``Problem`` (line,
``Campaign`` column, the name, "no campaign named ...; create it first") is appended to
the parsed file's problems, which the pipeline stores in the same transaction after
classify, and ``quarantined_rows`` is raised. So a file is still stored whole or not at all
and every bad row is reported with line, column, value and reason, and no second pass or
new pipeline hook is needed. One caveat: the pipeline copies the row counts into its report
before classify, so it must re-read ``parsed.quarantined_rows`` after classify for its
counts (and the import log's) to include these rows.

Rows are keyed by (campaign, sub-campaign name); a later row with the same key replaces an
earlier one (with a note). Writing upserts each new or changed sub-campaign and replaces its
SKU list; unchanged ones are left alone, so re-importing a file changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from campaign_core.formatting import plural
from campaign_core.importers.parsed import ParsedFile, Problem, RecordCounts
from campaign_core.importers.reading import SourceTable
from campaign_core.importers.rows import counted_rows
from campaign_core.importers.values import CellError, clean, is_empty, parse_id, parse_local_time
from campaign_core.store.sub_campaigns import (
    DEFAULT_KIND,
    SubCampaign,
    find_sub_campaign,
    save_sub_campaign,
)
from campaign_core.windows import local_day_of, local_midnight_utc

TEMPLATE_HEADERS: tuple[str, ...] = ("Campaign", "Sub-campaign", "Type", "Start", "End",
                                     "SKU IDs")
_TEMPLATE_EXAMPLES: tuple[tuple[str, ...], ...] = (
    ("Black Friday 2026", "Launch flash sale", "Flash sale", "2026-11-20 00:00",
     "2026-11-20 06:00", "1729000000000000001 1729000000000000002"),
    ("Black Friday 2026", "Bundle week", "Bundle", "2026-11-21", "2026-11-26", ""),
)
_SKU_SEPARATORS = re.compile(r"[\s,;]+")
_BARE_DATE = re.compile(r"^(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}/\d{1,2}/\d{4})$")


@dataclass
class SubCampaignRow:
    """One readable template row (times already in UTC)."""

    file_line: int
    campaign_name: str
    name: str
    kind: str
    start_utc: int
    end_utc: int
    sku_ids: tuple[str, ...]  # sorted, unique; empty means all SKUs
    campaign_column: str  # the header as written, for a problem found later


@dataclass
class ParsedSubCampaigns(ParsedFile):
    """The readable rows of a sub-campaigns template, one per (campaign, name)."""

    rows: dict[tuple[str, str], SubCampaignRow] = field(default_factory=dict)
    # Keys already moved to quarantine by classify, so a second classify adds nothing twice.
    unresolved: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class _Upsert:
    campaign_id: int
    row: SubCampaignRow


def parse_sub_campaigns(table: SourceTable, timezone: str,
                        progress: Callable[[int], None] | None = None) -> ParsedSubCampaigns:
    """Read every data row of a sub-campaigns template ``table``, times in ``timezone``.

    Returns the readable rows keyed by (campaign name, sub-campaign name), counts, notes and
    a ``Problem`` per unreadable cell (a row with any problem is quarantined whole).
    Campaign names are not checked here: see the module docstring.
    """
    result = ParsedSubCampaigns()
    bare_end_dates = 0
    for line, cells in counted_rows(table, result, progress):
        try:
            row, bare_end = _parse_row(line, _cell_reader(table, cells), table.columns.headers,
                                       timezone)
        except _RowError as error:
            result.quarantined_rows += 1
            result.problems.extend(error.problems)
            continue
        bare_end_dates += bare_end
        _keep_row(result, row)
    if bare_end_dates:
        result.notes.append(f"{plural(bare_end_dates, 'End value')} were dates without a "
                            "time: read as "
                            "through the end of that day.")
    _set_span(result)
    return result


def classify_sub_campaigns(conn: sqlite3.Connection, shop_id: int,
                           parsed: ParsedSubCampaigns) -> tuple[RecordCounts, list[_Upsert]]:
    """Resolve campaign names in ``shop_id``, quarantine rows naming an unknown campaign
    (they are added to ``parsed``), and sort the rest into new / updated / unchanged by
    (campaign, name). Returns the counts and the upserts to write; writes nothing."""
    campaigns = _campaigns_by_name(conn)
    counts = RecordCounts()
    plan: list[_Upsert] = []
    for key, row in parsed.rows.items():
        campaign_id, reason = _resolve_campaign(campaigns, row.campaign_name, shop_id)
        if campaign_id is None:
            _quarantine_row(parsed, key, Problem(row.file_line, row.campaign_column,
                                                 row.campaign_name, reason))
            continue
        stored = find_sub_campaign(conn, campaign_id, row.name)
        if stored is None:
            counts.new += 1
        elif _same_content(stored, row):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append(_Upsert(campaign_id, row))
    return counts, plan


def write_sub_campaigns(conn: sqlite3.Connection, plan: list[_Upsert]) -> int:
    """Upsert the planned sub-campaigns (replacing their SKU lists); returns how many."""
    for upsert in plan:
        row = upsert.row
        save_sub_campaign(conn, campaign_id=upsert.campaign_id, name=row.name, kind=row.kind,
                          start_utc=row.start_utc, end_utc=row.end_utc, sku_ids=row.sku_ids)
    return len(plan)


def sub_campaign_template_csv() -> bytes:
    """The template to download: the header row and two example rows (a timed flash sale
    on two SKUs; a week on all SKUs, its End a bare date), as ``sub_campaigns_csv``."""
    return sub_campaigns_csv(_TEMPLATE_EXAMPLES)


def sub_campaigns_csv(rows: Iterable[Sequence[str]]) -> bytes:
    """A sub-campaigns file in the template layout: ``TEMPLATE_HEADERS`` then ``rows``
    (cells in header order), UTF-8 with BOM (so Excel reads it as UTF-8), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def split_sku_ids(text: str) -> list[str]:
    """``"1 2, 3;4"`` -> ``["1", "2", "3", "4"]``: the SKU IDs of a cell or a text field."""
    return [part for part in _SKU_SEPARATORS.split(text) if part]


# --- parsing -----------------------------------------------------------------------------


class _RowError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].reason)
        self.problems = problems


def _cell_reader(table: SourceTable, cells: list[object]) -> Callable[[str], object]:
    def cell(name: str) -> object:
        index = table.columns.positions.get(name)
        return cells[index] if index is not None and index < len(cells) else None
    return cell


def _parse_row(line: int, cell: Callable[[str], object], headers: dict[str, str],
               timezone: str) -> tuple[SubCampaignRow, bool]:
    """One row, or ``_RowError`` with every problem of the row; also whether End was a
    bare date."""
    problems: list[Problem] = []

    def read(field_name: str, parser: Callable, *args):
        raw = cell(field_name)
        try:
            return parser(raw, *args)
        except CellError as error:
            problems.append(Problem(line, headers.get(field_name, field_name),
                                    "" if raw is None else str(raw), str(error)))
            return None

    campaign_name = read("campaign", _required_text, "campaign name")
    name = read("name", _required_text, "sub-campaign name")
    start = read("start", _start_utc, timezone)
    end_and_bare = read("end", _end_utc, timezone)
    sku_ids = read("sku_ids", _sku_ids)
    if start is not None and end_and_bare is not None and end_and_bare[0] <= start:
        raw_end = cell("end")
        problems.append(Problem(line, headers.get("end", "End"), clean(raw_end),
                                "the sub-campaign must end after it starts"))
    if problems:
        raise _RowError(problems)
    end, bare_end = end_and_bare
    kind = clean(cell("kind"))
    row = SubCampaignRow(line, campaign_name, name, DEFAULT_KIND if is_empty(kind) else kind,
                         start, end, sku_ids, headers.get("campaign", "Campaign"))
    return row, bare_end


def _required_text(raw: object, what: str) -> str:
    text = clean(raw)
    if is_empty(text):
        raise CellError(f"{what} is missing")
    return text


def _start_utc(raw: object, timezone: str) -> int:
    return parse_local_time(raw, timezone, required=True).utc


def _end_utc(raw: object, timezone: str) -> tuple[int, bool]:
    """The exclusive end instant, and whether the cell was a bare date (then: the next
    local midnight, so the whole day is inside)."""
    instant = parse_local_time(raw, timezone, required=True).utc
    if not _is_bare_date(raw):
        return instant, False
    next_day = local_day_of(instant, timezone) + timedelta(days=1)
    return local_midnight_utc(next_day, timezone), True


def _is_bare_date(raw: object) -> bool:
    if isinstance(raw, datetime):
        # A spreadsheet date cell comes back as a datetime at 00:00; a typed date is far
        # more likely than an end meant as "the instant this day starts".
        return raw.hour == raw.minute == raw.second == raw.microsecond == 0
    if isinstance(raw, date):
        return True
    return bool(_BARE_DATE.match(clean(raw)))


def _sku_ids(raw: object) -> tuple[str, ...]:
    if raw is not None and not isinstance(raw, str):  # a spreadsheet number: one ID
        sku = parse_id(raw, required=False)
        return (sku,) if sku else ()
    text = clean(raw)
    if is_empty(text):
        return ()
    skus = set()
    for part in split_sku_ids(text):
        try:
            skus.add(parse_id(part))
        except CellError as error:
            raise CellError(f"{part!r}: {error} (separate SKU IDs with spaces, commas or "
                            "semicolons)") from error
    return tuple(sorted(skus))


def _keep_row(result: ParsedSubCampaigns, row: SubCampaignRow) -> None:
    key = (row.campaign_name, row.name)
    earlier = result.rows.pop(key, None)
    if earlier is not None:
        result.notes.append(f"Sub-campaign {row.name!r} of {row.campaign_name!r} appears on "
                            f"lines {earlier.file_line} and {row.file_line}; the later row "
                            "was kept.")
    result.rows[key] = row


def _set_span(result: ParsedSubCampaigns) -> None:
    rows = result.rows.values()
    result.first_time_utc = min((row.start_utc for row in rows), default=None)
    result.last_time_utc = max((row.end_utc for row in rows), default=None)


# --- classifying -------------------------------------------------------------------------


def _campaigns_by_name(conn: sqlite3.Connection) -> dict[str, tuple[int, int, str]]:
    """Campaign name -> (campaign ID, shop ID, shop name); names are unique per store."""
    rows = conn.execute("SELECT c.name, c.campaign_id, c.shop_id, s.name AS shop_name "
                        "FROM campaign c JOIN shop s ON s.shop_id = c.shop_id")
    return {row["name"]: (row["campaign_id"], row["shop_id"], row["shop_name"]) for row in rows}


def _resolve_campaign(campaigns: dict[str, tuple[int, int, str]], name: str,
                      shop_id: int) -> tuple[int | None, str]:
    """The campaign's ID in this shop, or None and the reason to show."""
    found = campaigns.get(name)
    if found is None:
        return None, f"no campaign named {name!r}; create it first"
    campaign_id, campaign_shop_id, shop_name = found
    if campaign_shop_id != shop_id:
        # Its times were read in this shop's timezone: storing it there would be wrong.
        return None, (f"the campaign {name!r} belongs to the shop {shop_name!r}; import the "
                      "file for that shop")
    return campaign_id, ""


def _quarantine_row(parsed: ParsedSubCampaigns, key: tuple[str, str], problem: Problem) -> None:
    if key in parsed.unresolved:
        return
    parsed.unresolved.add(key)
    parsed.quarantined_rows += 1
    parsed.problems.append(problem)


def _same_content(stored: SubCampaign, row: SubCampaignRow) -> bool:
    return (stored.kind, stored.start_utc, stored.end_utc, stored.sku_ids) == (
        row.kind, row.start_utc, row.end_utc, row.sku_ids)
