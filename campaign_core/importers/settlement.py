"""Parse and store the settlement ("income") export: what TikTok actually paid and charged.

Seller Center > Finance > Income > Export gives ``income_YYYYMMDDHHMMSS(UTC+N).xlsx``: one
row per settled order, refund or adjustment. Columns (kind ``settlement``): ``Order/
Adjustment ID`` (text, required), ``Transaction type`` (required), ``Total settlement
amount`` (required), and when present ``Order settled time`` and ``Order created time``
(``YYYY/MM/DD``; in UTC when the headers say so, ``Order settled time(UTC)``; else in the
zone the file name carries; the shop's when it carries none),
``Currency``, ``Total Revenue``, ``Subtotal after seller discounts``, ``Refund subtotal
after seller discounts``, ``Total Fees``, ``Transaction fee``, ``TikTok Shop commission
fee``, ``Seller shipping fee``, ``Affiliate commission``, ``Affiliate Shop Ads
commission``, ``GMV Max ad fee``, ``Adjustment amount``, ``Related order ID``. Other
markets' names for these columns (the Indonesian workbook's ``Platform commission fee``,
``Payment Fee``, ``Ajustment amount``; Indonesian headers) are in ``markets/headers.py``.
Amounts keep the export's signs (fees are negative deductions).

The order a row settles is its ``Related order ID``, else its ``Order/Adjustment ID``. The
same ID may appear on two rows and both count, so a row is keyed by its whole content plus
its occurrence among identical rows of the file: re-importing the file, or an overlapping
export, adds nothing; two identical rows in one file are both kept.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from campaign_core.importers.dates import DateOrderUnknown, slash_order
from campaign_core.importers.parsed import ParsedFile, RecordCounts
from campaign_core.importers.rows import RowCells, counted_rows
from campaign_core.importers.values import (
    CellError,
    clean,
    is_empty,
    parse_cents,
    parse_id,
    parse_local_time,
)

if TYPE_CHECKING:
    from campaign_core.importers.reading import SourceTable

# (UTC+8), (UTC-5), (UTC+05:30), (GMT+7) in the file name.
_ZONE_IN_NAME = re.compile(r"\((?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\)", re.I)
_UTC_IN_HEADER = re.compile(r"\(\s*UTC\s*\)", re.I)
_MONEY_FIELDS = (
    "total_revenue", "subtotal_after", "refund_subtotal", "total_fees", "transaction_fee",
    "platform_commission", "seller_shipping_fee", "affiliate_commission",
    "affiliate_shop_ads_commission", "gmv_max_ad_fee", "adjustment", "settlement")
_COLUMNS = {  # field -> column of settlement_line
    "total_revenue": "total_revenue_cents",
    "subtotal_after": "subtotal_after_seller_discounts_cents",
    "refund_subtotal": "refund_subtotal_cents", "total_fees": "total_fees_cents",
    "transaction_fee": "transaction_fee_cents",
    "platform_commission": "platform_commission_cents",
    "seller_shipping_fee": "seller_shipping_fee_cents",
    "affiliate_commission": "affiliate_commission_cents",
    "affiliate_shop_ads_commission": "affiliate_shop_ads_commission_cents",
    "gmv_max_ad_fee": "gmv_max_ad_fee_cents", "adjustment": "adjustment_cents",
    "settlement": "settlement_cents"}


@dataclass
class ParsedSettlement(ParsedFile):
    rows: list[dict] = field(default_factory=list)
    utc_offset_seconds: int | None = None  # from the file name; None: the shop's zone


def zone_offset_from_name(file_name: str) -> int | None:
    """The UTC offset in seconds the income file's name carries (``(UTC+8)`` -> 28800);
    None when the name has none."""
    match = _ZONE_IN_NAME.search(file_name or "")
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    seconds = int(hours) * 3600 + int(minutes or 0) * 60
    return -seconds if sign == "-" else seconds


def _zone_offset(table: SourceTable) -> int | None:
    """The offset times are read with: UTC when the time headers say so (``Order settled
    time(UTC)``, whatever the file name), else the file name's zone, else None."""
    headers = [table.columns.headers.get(name, "") for name in ("settled_time", "created_time")]
    if any(_UTC_IN_HEADER.search(header) for header in headers):
        return 0
    return zone_offset_from_name(table.file_name)


def parse_settlement(table: SourceTable, timezone: str,
                     progress: Callable[[int], None] | None = None) -> ParsedSettlement:
    """Read every row of an income export. Times are read in UTC when their headers say
    ``(UTC)``, else in the zone of the file name (``(UTC+N)``), else in ``timezone`` (the
    shop's, with a note). Returns rows as dicts
    of ``settlement_line`` columns (``row_key`` included); a row with an unreadable cell is
    quarantined with its line, column, value and reason."""
    result = ParsedSettlement(utc_offset_seconds=_zone_offset(table))
    if result.utc_offset_seconds is None:
        result.notes.append(f"The file name carries no zone such as (UTC+8): times were "
                            f"read in the shop's timezone {timezone}.")
    seen: dict[str, int] = {}
    rows = [RowCells(line, cells, table.columns)
            for line, cells in counted_rows(table, result, progress)]
    order = _slash_order(table, rows)
    for row in rows:
        record = _read_row(row, timezone, result.utc_offset_seconds, table.locale.money,
                           order)
        if row.problems:
            result.quarantined_rows += 1
            result.problems.extend(row.problems)
            continue
        fingerprint = _fingerprint(record)
        seen[fingerprint] = seen.get(fingerprint, 0) + 1
        record["row_key"] = f"{fingerprint}#{seen[fingerprint]}"
        result.rows.append(record)
        _extend_span(result, record["settled_utc"])
    return result


def _extend_span(result: ParsedFile, instant: int | None) -> None:
    if instant is None:
        return
    if result.first_time_utc is None or instant < result.first_time_utc:
        result.first_time_utc = instant
    if result.last_time_utc is None or instant > result.last_time_utc:
        result.last_time_utc = instant


def _slash_order(table: SourceTable, rows: list[RowCells]) -> str:
    """The order of the file's slash dates (``dates.slash_order``: its time cells, else the
    shop's market); ``YYYY/MM/DD`` dates need none. Raises ``FileRejected``."""
    texts = (clean(row.raw(name)) for row in rows for name in ("settled_time", "created_time"))
    try:
        return slash_order(texts, table.locale.date_order)
    except DateOrderUnknown as error:
        from campaign_core.importers.reading import FileRejected  # reading imports this module

        raise FileRejected(f"The income export's dates cannot be read: {error}.") from error


def _read_row(row: RowCells, timezone: str, offset: int | None,
              money: Callable = parse_cents, order: str | None = None) -> dict:
    statement_id = row.read("statement_id", parse_id)
    related = row.read("related_order_id", parse_id, required=False)
    record = {
        "statement_id": statement_id, "related_order_id": related,
        "order_id": related or statement_id,
        "transaction_type": row.read("transaction_type", _required_text),
        "currency": _optional_text(row.raw("currency")),
        "settled_utc": row.read("settled_time", _instant, timezone, offset, order),
        "order_created_utc": row.read("created_time", _instant, timezone, offset, order),
    }
    for name in _MONEY_FIELDS:
        record[_COLUMNS[name]] = row.read(name, money, required=name == "settlement")
    return record


def _optional_text(raw: object) -> str | None:
    text = clean(raw)
    return None if is_empty(text) else text.upper()


def _required_text(raw: object) -> str:
    text = clean(raw)
    if is_empty(text):
        raise CellError("transaction type is missing")
    return text


def _instant(raw: object, timezone: str, offset: int | None,
             order: str | None = None) -> int | None:
    if offset is None:
        local = parse_local_time(raw, timezone, order=order)
        return None if local is None else local.utc
    as_utc = parse_local_time(raw, "UTC", order=order)
    return None if as_utc is None else as_utc.utc - offset


def _fingerprint(record: dict) -> str:
    text = "\x1f".join("" if record[key] is None else str(record[key])
                       for key in sorted(record))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def classify_settlement(conn: sqlite3.Connection, shop_id: int, parsed: ParsedSettlement,
                        stamp: str | None) -> tuple[RecordCounts, list[dict]]:
    """Rows new to ``shop_id`` (by row key) are planned; stored ones count as unchanged.
    Writes nothing; ``stamp`` is unused."""
    counts = RecordCounts()
    plan = []
    for record in parsed.rows:
        stored = conn.execute(
            "SELECT 1 FROM settlement_line WHERE shop_id = :shop_id AND row_key = :row_key",
            {"shop_id": shop_id, "row_key": record["row_key"]}).fetchone()
        if stored:
            counts.unchanged += 1
        else:
            counts.new += 1
            plan.append(record)
    return counts, plan


def write_settlement(conn: sqlite3.Connection, shop_id: int, import_id: int,
                     parsed: ParsedSettlement, plan: list[dict]) -> int:
    """Insert the planned rows into ``settlement_line``; returns how many."""
    if not plan:
        return 0
    columns = list(plan[0])
    sql = (f"INSERT OR IGNORE INTO settlement_line (shop_id, import_id, {', '.join(columns)}) "
           f"VALUES (:shop_id, :import_id, {', '.join(':' + c for c in columns)})")
    conn.executemany(sql, ({**record, "shop_id": shop_id, "import_id": import_id}
                           for record in plan))
    return len(plan)
