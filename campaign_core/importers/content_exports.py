"""Parse and store the video and LIVE exports and the content flags template.

Kinds (headers in ``kinds.py``):
- ``video_data``: the seller's video list (``Video Performance List_*.xlsx``) and the
  Affiliate Center Video Data export, told apart by the Affiliate Center's
  ``Creator video-attributed GMV`` column (alias ``Affiliate video-attributed GMV``). The
  Affiliate Center writes one row per (video, product): GMV, orders, items sold and product
  impressions/clicks are summed over a video's rows, views/likes/comments/shares (repeated
  on each) taken once. Only the seller's list marks a video ``seller_listed`` (own, unless
  an affiliate order names it).
- ``live_list``: the LIVE session list; a session's stats belong to the shop-time day it
  started.
- ``content_flags``: the template for what exports do not carry: LIVE violations (Flag
  ``violation``, a violation type and time) and Key Livestream sessions (Flag ``key live``).
- Open API ``shop_videos`` / ``shop_lives`` performance responses (saved JSON) are
  flattened by ``content_api.api_content_rows`` to the video / LIVE columns (source
  ``api``).

Stats go to ``content_stats`` keyed by (content, period, source); the period is the date
range above the header when the file states one (``2026-11-20 ~ 2026-11-26``), else the
content's lifetime (empty period, counted in a window when the content was posted in it).
Content rows (``content``) keep the first title/creator/post time an export gave, a later
export filling only what is missing, except the seller's own list, which is authoritative.
Re-importing a file changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from campaign_core.importers.dates import DateOrderUnknown, slash_order
from campaign_core.importers.parsed import ParsedFile, RecordCounts
from campaign_core.importers.product_analytics import period_from_preamble
from campaign_core.importers.rows import RowCells, counted_rows
from campaign_core.importers.values import (
    CellError,
    clean,
    is_empty,
    parse_id,
    parse_local_time,
)
from campaign_core.store.content import (
    FLAG_KEY_LIVE,
    FLAG_VIOLATION,
    add_violation,
    set_key_live,
)
from campaign_core.store.lookup import select_by_ids

if TYPE_CHECKING:
    from campaign_core.importers.reading import SourceTable

SOURCE_VIDEO_LIST, SOURCE_AFFILIATE_VIDEO = "video_list", "affiliate_video_data"
SOURCE_LIVE_LIST, SOURCE_API, SOURCE_FLAGS = "live_list", "api", "flags"
STAT_COLUMNS = ("views", "likes", "comments", "shares", "viewers", "product_impressions",
                "product_clicks", "sku_orders", "orders", "units", "gmv_cents")
_ONCE_PER_VIDEO = {"views", "likes", "comments", "shares"}
_VIDEO_STATS = {"views": "views", "likes": "likes", "comments": "comments",
                "shares": "shares", "impressions": "product_impressions",
                "clicks": "product_clicks", "sku_orders": "sku_orders", "units": "units"}
_LIVE_STATS = {"viewers": "viewers", "impressions": "product_impressions",
               "clicks": "product_clicks", "orders": "orders", "units": "units"}
FLAG_TEMPLATE_HEADERS = ("Content ID", "Flag", "Violation type", "Time", "Content type",
                         "Creator", "Title")
_FLAG_EXAMPLES = (
    ("7400000000000000001", "violation", "Misleading price claim", "2026-11-24 20:15",
     "LIVE", "glowandgo", "Black Friday kickoff LIVE"),
    ("7400000000000000002", "key live", "", "", "LIVE", "glowandgo", "Midnight deals LIVE"),
)


@dataclass
class ContentRecord:
    """One video or LIVE as a file describes it, with its stats for one period."""

    file_line: int
    content_id: str
    kind: str
    title: str | None
    creator: str | None
    posted_utc: int | None
    ended_utc: int | None
    period_start: str
    period_end: str
    stats: dict[str, int | None]


@dataclass
class ParsedContent(ParsedFile):
    source: str = SOURCE_VIDEO_LIST
    records: dict[str, ContentRecord] = field(default_factory=dict)


# --- video list / Affiliate Center Video Data -----------------------------------------------


def _source_of(table: SourceTable, seller_source: str) -> str:
    if table.header_line == 0:
        return SOURCE_API
    if table.columns.has("creator_gmv"):
        return SOURCE_AFFILIATE_VIDEO
    return seller_source


def _file_period(table: SourceTable) -> tuple[str, str]:
    period = (period_from_preamble(table.preamble, table.locale.date_order)
              if table.preamble else None)
    return (period[0].isoformat(), period[1].isoformat()) if period else ("", "")


def _text(raw: object) -> str | None:
    text = clean(raw)
    return None if is_empty(text) else text[:500]


# The time fields of the content kinds: their slash dates share one order per file.
_TIME_FIELDS = ("posted", "start", "end", "time")


def _is_definition_row(row: RowCells, id_field: str) -> bool:
    text = clean(row.raw(id_field))
    return not text[:1].isdigit() and len(text.split()) >= 2


def _data_rows(table: SourceTable, result: ParsedFile, id_field: str,
               progress: Callable[[int], None] | None) -> tuple[list[RowCells], str]:
    """The data rows (without a definition row) and the file's slash-date order, read from
    all its time cells first (``dates.slash_order``). Raises ``FileRejected``."""
    rows = []
    first = True
    for line, cells in counted_rows(table, result, progress):
        row = RowCells(line, cells, table.columns)
        if first and _is_definition_row(row, id_field):
            table.skipped.append(f"line {line} (column definitions)")
            result.rows_read -= 1
            first = False
            continue
        first = False
        rows.append(row)
    texts = (clean(row.raw(name)) for row in rows for name in _TIME_FIELDS)
    try:
        return rows, slash_order(texts, table.locale.date_order)
    except DateOrderUnknown as error:
        from campaign_core.importers.reading import FileRejected  # reading imports this module

        raise FileRejected(f"The file's times cannot be read: {error}.") from error


def _time(row: RowCells, name: str, timezone: str, order: str | None = None) -> int | None:
    raw = row.raw(name)
    text = clean(raw)
    if text.isdigit() and len(text) >= 9:  # Open API: Unix seconds
        return int(text)
    local = row.read(name, parse_local_time, timezone, order=order)
    return local.utc if local else None


def _local_day(instant: int, timezone: str) -> str:
    return datetime.fromtimestamp(instant, ZoneInfo(timezone)).date().isoformat()


def parse_video_data(table: SourceTable, timezone: str,
                     progress: Callable[[int], None] | None = None) -> ParsedContent:
    """Read a video list / Affiliate Center Video Data / Open API video table; one record
    per video (rows of the same video summed, see the module docstring)."""
    result = ParsedContent(source=_source_of(table, SOURCE_VIDEO_LIST))
    period_start, period_end = _file_period(table)
    gmv_field = "creator_gmv" if table.columns.has("creator_gmv") else "gmv"
    rows, order = _data_rows(table, result, "video_id", progress)
    for row in rows:
        video_id = row.read("video_id", parse_id)
        stats = {column: row.read(name, table.locale.count) for name, column in _VIDEO_STATS.items()
                 if row.has(name)}
        if row.has(gmv_field):
            stats["gmv_cents"] = row.read(gmv_field, table.locale.money)
        posted = _time(row, "posted", timezone, order)
        if row.problems:
            result.quarantined_rows += 1
            result.problems.extend(row.problems)
            continue
        record = ContentRecord(row.line, video_id, "video", _text(row.raw("title")),
                               _text(row.raw("creator")), posted, None, period_start,
                               period_end, stats)
        _merge_video(result, record)
    _set_span(result)
    return result


def _merge_video(result: ParsedContent, record: ContentRecord) -> None:
    kept = result.records.get(record.content_id)
    if kept is None:
        result.records[record.content_id] = record
        return
    for column, value in record.stats.items():
        if value is None:
            continue
        if column in _ONCE_PER_VIDEO:
            kept.stats[column] = max(kept.stats.get(column) or 0, value)
        else:
            kept.stats[column] = (kept.stats.get(column) or 0) + value
    kept.title = kept.title or record.title
    kept.creator = kept.creator or record.creator
    kept.posted_utc = kept.posted_utc or record.posted_utc


def _set_span(result: ParsedContent) -> None:
    times = [r.posted_utc for r in result.records.values() if r.posted_utc is not None]
    if times:
        result.first_time_utc, result.last_time_utc = min(times), max(times)


# --- LIVE session list ------------------------------------------------------------------------


def parse_live_list(table: SourceTable, timezone: str,
                    progress: Callable[[int], None] | None = None) -> ParsedContent:
    """Read a LIVE session list (or Open API LIVE table): one record per session, its stats
    in the period of the shop-time day it started. A later row of the same session wins."""
    result = ParsedContent(source=_source_of(table, SOURCE_LIVE_LIST))
    rows, order = _data_rows(table, result, "live_id", progress)
    for row in rows:
        live_id = row.read("live_id", parse_id)
        stats = {column: row.read(name, table.locale.count) for name, column in _LIVE_STATS.items()
                 if row.has(name)}
        if row.has("gmv"):
            stats["gmv_cents"] = row.read("gmv", table.locale.money)
        start = _time(row, "start", timezone, order)
        end = _time(row, "end", timezone, order)
        if start is None and not row.problems:
            row.problem("start", "start time is missing")
        if start is not None and end is not None and end < start:
            row.problem("end", "the LIVE ends before it starts")
        if row.problems:
            result.quarantined_rows += 1
            result.problems.extend(row.problems)
            continue
        day = _local_day(start, timezone)
        if live_id in result.records:
            result.notes.append(f"LIVE {live_id} appears twice; the later row was kept.")
        result.records[live_id] = ContentRecord(
            row.line, live_id, "live", _text(row.raw("title")), _text(row.raw("creator")),
            start, end, day, day, stats)
    _set_span(result)
    return result


# --- store: classify and write (videos and LIVEs) ---------------------------------------------


def classify_content(conn: sqlite3.Connection, shop_id: int, parsed: ParsedContent,
                     stamp: str | None) -> tuple[RecordCounts, list[ContentRecord]]:
    """New / updated / unchanged per content item, comparing its content row and its stats
    row for the file's period and source. Writes nothing."""
    ids = sorted(parsed.records)
    contents = {row["content_id"]: row for row in select_by_ids(
        conn, "SELECT * FROM content WHERE shop_id = :shop_id AND content_id IN ({ids})",
        ids, {"shop_id": shop_id})}
    stats = {(row["content_id"], row["period_start"], row["period_end"]): row
             for row in select_by_ids(
                 conn, "SELECT * FROM content_stats WHERE shop_id = :shop_id AND source = "
                       ":source AND content_id IN ({ids})",
                 ids, {"shop_id": shop_id, "source": parsed.source})}
    counts, plan = RecordCounts(), []
    seller = parsed.source in (SOURCE_VIDEO_LIST, SOURCE_LIVE_LIST)
    for content_id, record in parsed.records.items():
        content = contents.get(content_id)
        stored = stats.get((content_id, record.period_start, record.period_end))
        if content is None or stored is None:
            counts.new += 1
            plan.append(record)
            continue
        same_content = (
            (not seller or content["seller_listed"] == 1)
            and all(content[col] == value or value is None for col, value in (
                ("title", record.title), ("creator", record.creator),
                ("posted_utc", record.posted_utc), ("ended_utc", record.ended_utc))))
        same_stats = all(stored[col] == value for col, value in record.stats.items())
        if same_content and same_stats:
            counts.unchanged += 1
        else:
            counts.updated += 1
            plan.append(record)
    return counts, plan


def _content_upsert_sql(seller: bool) -> str:
    if seller:  # the seller's own list is authoritative for what it states
        keep = ("title = COALESCE(excluded.title, content.title), "
                "creator = COALESCE(excluded.creator, content.creator), "
                "posted_utc = COALESCE(excluded.posted_utc, content.posted_utc), "
                "ended_utc = COALESCE(excluded.ended_utc, content.ended_utc), "
                "seller_listed = 1")
    else:
        keep = ("title = COALESCE(content.title, excluded.title), "
                "creator = COALESCE(content.creator, excluded.creator), "
                "posted_utc = COALESCE(content.posted_utc, excluded.posted_utc), "
                "ended_utc = COALESCE(content.ended_utc, excluded.ended_utc)")
    return ("INSERT INTO content (shop_id, content_id, kind, title, creator, posted_utc, "
            "ended_utc, is_key_live, source, import_id, seller_listed) VALUES (:shop_id, "
            ":content_id, :kind, :title, :creator, :posted_utc, :ended_utc, 0, :source, "
            f":import_id, :seller_listed) ON CONFLICT (shop_id, content_id) DO UPDATE SET {keep}")


_STATS_UPSERT = (
    "INSERT INTO content_stats (shop_id, content_id, period_start, period_end, source, "
    f"import_id, {', '.join(STAT_COLUMNS)}) VALUES (:shop_id, :content_id, :period_start, "
    f":period_end, :source, :import_id, {', '.join(':' + c for c in STAT_COLUMNS)}) "
    "ON CONFLICT (shop_id, content_id, period_start, period_end, source) DO UPDATE SET "
    "import_id = excluded.import_id, "
    + ", ".join(f"{c} = excluded.{c}" for c in STAT_COLUMNS))


def write_content(conn: sqlite3.Connection, shop_id: int, import_id: int,
                  parsed: ParsedContent, plan: list[ContentRecord]) -> int:
    """Upsert the planned items into ``content`` and ``content_stats``; returns how many."""
    seller = parsed.source in (SOURCE_VIDEO_LIST, SOURCE_LIVE_LIST)
    content_sql = _content_upsert_sql(seller)
    for record in plan:
        base = {"shop_id": shop_id, "content_id": record.content_id, "import_id": import_id,
                "source": parsed.source}
        conn.execute(content_sql, {**base, "kind": record.kind, "title": record.title,
                                   "creator": record.creator, "posted_utc": record.posted_utc,
                                   "ended_utc": record.ended_utc,
                                   "seller_listed": int(seller)})
        stats = {column: record.stats.get(column) for column in STAT_COLUMNS}
        conn.execute(_STATS_UPSERT, {**base, "period_start": record.period_start,
                                     "period_end": record.period_end, **stats})
    return len(plan)


# --- content flags template ---------------------------------------------------------------------


@dataclass
class FlagRecord:
    file_line: int
    content_id: str
    flag: str  # violation | key_live
    violation_type: str | None
    occurred_utc: int | None
    kind: str
    creator: str | None
    title: str | None


@dataclass
class ParsedFlags(ParsedFile):
    flags: list[FlagRecord] = field(default_factory=list)


def content_flags_template_csv() -> bytes:
    """The content flags template (``FLAG_TEMPLATE_HEADERS`` and two example rows)."""
    from campaign_core.importers.template_files import template_csv

    return template_csv(FLAG_TEMPLATE_HEADERS, _FLAG_EXAMPLES)


def _parse_flag(raw: object) -> str:
    text = clean(raw).casefold()
    if "violation" in text:
        return FLAG_VIOLATION
    if "key" in text:
        return FLAG_KEY_LIVE
    raise CellError("Flag must be 'violation' or 'key live'")


def _parse_kind(raw: object) -> str:
    text = clean(raw).casefold()
    if is_empty(text) or "live" in text:
        return "live"
    if "video" in text:
        return "video"
    raise CellError("Content type must be LIVE or Video")


def parse_content_flags(table: SourceTable, timezone: str,
                        progress: Callable[[int], None] | None = None) -> ParsedFlags:
    """Read the content flags template: one flag per row (times in shop time)."""
    result = ParsedFlags()
    rows, order = _data_rows(table, result, "content_id", progress)
    for row in rows:
        content_id = row.read("content_id", parse_id)
        flag = row.read("flag", _parse_flag)
        kind = row.read("kind", _parse_kind)
        local = row.read("time", parse_local_time, timezone, order=order)
        if row.problems:
            result.quarantined_rows += 1
            result.problems.extend(row.problems)
            continue
        result.flags.append(FlagRecord(row.line, content_id, flag,
                                       _text(row.raw("violation_type")),
                                       local.utc if local else None, kind,
                                       _text(row.raw("creator")), _text(row.raw("title"))))
    times = [f.occurred_utc for f in result.flags if f.occurred_utc is not None]
    if times:
        result.first_time_utc, result.last_time_utc = min(times), max(times)
    return result


def classify_content_flags(conn: sqlite3.Connection, shop_id: int, parsed: ParsedFlags,
                           stamp: str | None) -> tuple[RecordCounts, list[FlagRecord]]:
    """A flag is new unless the store has it already (same content, type and time for a
    violation; the Key LIVE mark for a Key LIVE). Writes nothing."""
    counts, plan = RecordCounts(), []
    for record in parsed.flags:
        if record.flag == FLAG_KEY_LIVE:
            exists = conn.execute(
                "SELECT 1 FROM content WHERE shop_id = :shop_id AND content_id = :id "
                "AND is_key_live = 1", {"shop_id": shop_id, "id": record.content_id}).fetchone()
        else:
            exists = conn.execute(
                "SELECT 1 FROM content_violation WHERE shop_id = :shop_id AND content_id = :id "
                "AND violation_type = :type AND occurred_utc IS :time",
                {"shop_id": shop_id, "id": record.content_id,
                 "type": record.violation_type or "Unspecified",
                 "time": record.occurred_utc}).fetchone()
        if exists:
            counts.unchanged += 1
        else:
            counts.new += 1
            plan.append(record)
    return counts, plan


def write_content_flags(conn: sqlite3.Connection, shop_id: int, import_id: int,
                        parsed: ParsedFlags, plan: list[FlagRecord]) -> int:
    """Store the planned flags (adding content the store does not know yet)."""
    from campaign_core.store.content import ensure_content

    for record in plan:
        ensure_content(conn, shop_id, record.content_id, record.kind, creator=record.creator,
                       title=record.title, source=SOURCE_FLAGS, import_id=import_id)
        if record.flag == FLAG_KEY_LIVE:
            set_key_live(conn, shop_id, record.content_id, True, source=SOURCE_FLAGS,
                         import_id=import_id)
        else:
            add_violation(conn, shop_id, record.content_id, record.violation_type or "",
                          record.occurred_utc, source=SOURCE_FLAGS, import_id=import_id)
    return len(plan)


# --- Affiliate Center Creator Data ------------------------------------------------------------

_CREATOR_MONEY = {"gmv": "gmv_cents", "video_gmv": "video_gmv_cents",
                  "live_gmv": "live_gmv_cents", "card_gmv": "card_gmv_cents",
                  "refunds": "refunds_cents", "est_commission": "est_commission_cents"}
_CREATOR_COUNTS = {"orders": "orders", "units": "units", "items_refunded": "items_refunded",
                   "videos": "videos", "lives": "lives", "samples_shipped": "samples_shipped",
                   "product_impressions": "product_impressions", "video_views": "video_views",
                   "customers": "customers"}
CREATOR_STAT_COLUMNS = (*_CREATOR_MONEY.values(), *_CREATOR_COUNTS.values())


@dataclass
class ParsedCreators(ParsedFile):
    period: tuple[str, str] = ("", "")
    creators: dict[str, dict[str, int | None]] = field(default_factory=dict)


def parse_creator_data(table: SourceTable, timezone: str,
                       progress: Callable[[int], None] | None = None) -> ParsedCreators:
    """Read a Creator Data export: one record per creator for the file's period (the date
    range above the header, else unstated); a later row of the same creator wins."""
    result = ParsedCreators(period=_file_period(table))
    rows, _ = _data_rows(table, result, "creator", progress)
    for row in rows:
        creator = _text(row.raw("creator"))
        if creator is None:
            row.problem("creator", "creator name is missing")
        values = {column: row.read(name, table.locale.money)
                  for name, column in _CREATOR_MONEY.items()
                  if row.has(name)}
        values.update({column: row.read(name, table.locale.count)
                       for name, column in _CREATOR_COUNTS.items() if row.has(name)})
        if row.problems:
            result.quarantined_rows += 1
            result.problems.extend(row.problems)
            continue
        result.creators[creator] = values
    return result


def classify_creator_data(conn: sqlite3.Connection, shop_id: int, parsed: ParsedCreators,
                          stamp: str | None) -> tuple[RecordCounts, list[str]]:
    """New / updated / unchanged per creator for the file's period; writes nothing."""
    stored = {row["creator"]: row for row in conn.execute(
        "SELECT * FROM creator_stats WHERE shop_id = :shop_id AND period_start = :start "
        "AND period_end = :end",
        {"shop_id": shop_id, "start": parsed.period[0], "end": parsed.period[1]})}
    counts, plan = RecordCounts(), []
    for creator, values in parsed.creators.items():
        previous = stored.get(creator)
        if previous is None:
            counts.new += 1
        elif all(previous[column] == value for column, value in values.items()):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append(creator)
    return counts, plan


_CREATOR_UPSERT = (
    "INSERT INTO creator_stats (shop_id, creator, period_start, period_end, import_id, "
    f"{', '.join(CREATOR_STAT_COLUMNS)}) VALUES (:shop_id, :creator, :period_start, "
    f":period_end, :import_id, {', '.join(':' + c for c in CREATOR_STAT_COLUMNS)}) "
    "ON CONFLICT (shop_id, creator, period_start, period_end) DO UPDATE SET "
    "import_id = excluded.import_id, "
    + ", ".join(f"{c} = excluded.{c}" for c in CREATOR_STAT_COLUMNS))


def write_creator_data(conn: sqlite3.Connection, shop_id: int, import_id: int,
                       parsed: ParsedCreators, plan: list[str]) -> int:
    """Upsert the planned creators' rows into ``creator_stats``; returns how many."""
    conn.executemany(_CREATOR_UPSERT, (
        {"shop_id": shop_id, "creator": creator, "period_start": parsed.period[0],
         "period_end": parsed.period[1], "import_id": import_id,
         **{column: parsed.creators[creator].get(column) for column in CREATOR_STAT_COLUMNS}}
        for creator in plan))
    return len(plan)
