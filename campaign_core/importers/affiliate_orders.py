"""Parse and store the seller-side affiliate orders export (one row per order SKU a creator
sold), table ``affiliate_line``.

Layouts (Affiliate > Affiliate orders > Export): US 30 columns; UK 31, with
``Creator Region`` after ``Creator Username`` and dates written ``DD/MM/YYYY``. Columns are
matched by name, so either layout (and any extra column) reads the same way.

Rules:
- Key: (Order ID, SKU ID). A later row of the same key in one file wins, with a note.
- Content: ``Content Type`` ``Video`` -> video, ``Livestream`` / ``LIVE`` -> live, anything
  else (showcase, product card, link share) -> card. Each video or LIVE named here is added
  to ``content`` (kind and creator) unless a richer export named it already.
- Commission: for each of standard, Shop Ads and co-funded bonus, the actual payment if it
  is over 0, else the estimated one; summed. An ``Ineligible`` line owes 0.
- Times carry no zone: they are read in the shop's timezone. Slash dates are day-first in
  a file with a ``Creator Region`` column (the UK layout) or when a date of the file cannot
  be month-first (``31/05/2026``); otherwise month-first (the US layout). ``AM/PM`` times
  are always the US month-first form.
- A row with a missing or unreadable Order ID, SKU ID, creator, amount, quantity or time,
  or a video / LIVE row without a readable Content ID, is quarantined (file line, column,
  raw value, reason); the rest still import. Rates and "Fully returned" are informational:
  an odd value there is stored as no value.
- Re-importing the same file changes nothing; a changed row (e.g. commission now paid)
  updates the stored line.
"""

from __future__ import annotations

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
    parse_count,
    parse_id,
    parse_local_time,
)
from campaign_core.rollups.hourly import refresh_dirty
from campaign_core.store.lookup import select_by_ids

if TYPE_CHECKING:
    from campaign_core.importers.reading import SourceTable

VIDEO, LIVE, CARD = "video", "live", "card"
SOURCE = "affiliate_orders"
_TIME_FIELDS = ("created_time", "paid_time", "delivered_time", "commission_paid_time")
_TIME_COLUMNS = {"created_time": "created_utc", "paid_time": "paid_utc",
                 "delivered_time": "delivered_utc", "commission_paid_time": "commission_paid_utc"}
_MONEY_FIELDS = {
    "price": "price_cents", "payment_amount": "payment_amount_cents",
    "est_commission_base": "est_commission_base_cents", "est_standard": "est_standard_cents",
    "actual_commission_base": "actual_commission_base_cents",
    "actual_standard": "actual_standard_cents", "est_shop_ads": "est_shop_ads_cents",
    "actual_shop_ads": "actual_shop_ads_cents", "est_bonus": "est_bonus_cents",
    "actual_bonus": "actual_bonus_cents",
}
_TEXT_FIELDS = {"product_name": "product_name", "currency": "currency",
                "order_status": "order_status_raw", "creator_region": "creator_region",
                "content_type": "content_type_raw", "commission_model": "commission_model",
                "platform": "platform"}
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(.*)$")
_AM_PM = re.compile(r"[AaPp]\.?[Mm]\.?\s*$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
# The stored columns, in table order; a line equal to the stored one on all of them is
# unchanged.
LINE_COLUMNS = (
    "order_id", "sku_id", "product_id", "product_name", "creator", "creator_region",
    "content_type_raw", "content_kind", "content_id", "order_status_raw", "is_ineligible",
    "quantity", "price_cents", "payment_amount_cents", "currency", "fully_returned",
    "commission_model", "standard_rate", "shop_ads_rate", *list(_MONEY_FIELDS.values())[2:],
    "commission_cents", "created_utc", "paid_utc", "delivered_utc", "commission_paid_utc",
)


def content_kind_of(content_type: str | None) -> str:
    """``video``, ``live`` or ``card`` for a ``Content Type`` value (export or Open API)."""
    text = (content_type or "").casefold()
    if "video" in text:
        return VIDEO
    if "live" in text:  # Livestream, LIVE, PRE_LIVE
        return LIVE
    return CARD


def line_commission_cents(values: dict[str, int | None], ineligible: bool) -> int:
    """Standard + Shop Ads + co-funded bonus, each the actual payment if > 0 else the
    estimated one (missing = 0); 0 for an ``Ineligible`` line."""
    if ineligible:
        return 0
    total = 0
    for part in ("standard", "shop_ads", "bonus"):
        actual = values.get(f"actual_{part}_cents") or 0
        total += actual if actual > 0 else (values.get(f"est_{part}_cents") or 0)
    return total


@dataclass
class ParsedAffiliateOrders(ParsedFile):
    """The readable rows, one per (Order ID, SKU ID)."""

    lines: dict[tuple[str, str], dict[str, object]] = field(default_factory=dict)
    file_lines: dict[tuple[str, str], int] = field(default_factory=dict)


def parse_affiliate_orders(table: SourceTable, timezone: str,
                           progress: Callable[[int], None] | None = None
                           ) -> ParsedAffiliateOrders:
    """Read every data row of an affiliate orders export ``table``; times in ``timezone``.

    Returns the lines keyed by (order ID, SKU ID), each a dict of ``LINE_COLUMNS``, and a
    ``Problem`` per unreadable cell (its row is quarantined whole).
    """
    result = ParsedAffiliateOrders()
    rows = list(counted_rows(table, result, progress))
    order = _slash_order(table, rows)
    money = table.locale.money
    first_row = True
    for line, cells in rows:
        row = RowCells(line, cells, table.columns)
        if first_row and _is_definition_row(row):
            table.skipped.append(f"line {line} (column definitions)")
            result.rows_read -= 1
            first_row = False
            continue
        first_row = False
        values = _parse_row(row, timezone, order, money)
        if row.problems:
            result.quarantined_rows += 1
            result.problems.extend(row.problems)
            continue
        _keep(result, line, values)
    paid = [v["paid_utc"] for v in result.lines.values() if v["paid_utc"] is not None]
    if paid:
        result.first_time_utc, result.last_time_utc = min(paid), max(paid)
    return result


def _is_definition_row(row: RowCells) -> bool:
    order = clean(row.raw("order_id"))
    return not order[:1].isdigit() and len(order.split()) >= 2


def _slash_order(table: SourceTable, rows: list[tuple[int, list[object]]]) -> str:
    """The file's slash-date order (``dates.slash_order``): its dates, else the UK layout
    (``Creator Region``, DD/MM/YYYY), else the shop's market. Raises ``FileRejected``."""
    fallback = "dmy" if table.columns.has("creator_region") else table.locale.date_order
    texts = (clean(RowCells(line, cells, table.columns).raw(name))
             for line, cells in rows for name in _TIME_FIELDS)
    try:
        return slash_order(texts, fallback)
    except DateOrderUnknown as error:
        from campaign_core.importers.reading import FileRejected  # reading imports this module

        raise FileRejected(f"The order times cannot be read: {error}.") from error


def _time_text(raw: object, order: str) -> object:
    """A slash date rewritten as ISO in the file's order (AM/PM times are left as they are:
    the reader knows them as month-first)."""
    text = clean(raw)
    match = _SLASH_DATE.match(text)
    if not match or _AM_PM.search(text):
        return raw
    first, second, year, rest = match.groups()
    month, day = (first, second) if order == "mdy" else (second, first)
    return f"{year}-{int(month):02d}-{int(day):02d}{rest}"


def _parse_row(row: RowCells, timezone: str, order: str,
               money: Callable = parse_cents) -> dict[str, object]:
    read = row.read
    values: dict[str, object] = {
        "order_id": read("order_id", parse_id),
        "sku_id": read("sku_id", parse_id),
        "product_id": read("product_id", parse_id, required=False),
        "creator": _text(row.raw("creator")),
        "content_id": _lenient(row.raw("content_id"), parse_id, required=False),
        "quantity": read("quantity", parse_count),
    }
    for name, column in _TEXT_FIELDS.items():
        values[column] = _text(row.raw(name))
    for name, column in _MONEY_FIELDS.items():
        values[column] = read(name, money)
    # Informational columns: an odd value there is kept as "no value", never a reason to
    # lose the row's attribution.
    values["standard_rate"] = _lenient(row.raw("standard_rate"), parse_rate_pct)
    values["shop_ads_rate"] = _lenient(row.raw("shop_ads_rate"), parse_rate_pct)
    values["fully_returned"] = _lenient(row.raw("fully_returned"), _parse_yes_no)
    for name, column in _TIME_COLUMNS.items():
        local = read(name, lambda raw: parse_local_time(_time_text(raw, order), timezone))
        values[column] = local.utc if local else None
    if values["creator"] is None:
        row.problem("creator", "creator username is missing")
    values["content_kind"] = content_kind_of(values["content_type_raw"])
    if values["content_kind"] != CARD and values["content_id"] is None:
        # A video or LIVE line must name its content, or it cannot be ranked.
        row.read("content_id", parse_id)
    status = (values["order_status_raw"] or "").casefold()
    values["is_ineligible"] = int(status.startswith("ineligible"))
    values["commission_cents"] = line_commission_cents(values, bool(values["is_ineligible"]))
    return values


def _lenient(raw: object, parser: Callable, **options):
    try:
        return parser(raw, **options)
    except CellError:
        return None


def _text(raw: object) -> str | None:
    text = clean(raw)
    return None if is_empty(text) else text


def parse_rate_pct(raw: object) -> float | None:
    """A rate in percent: ``10%`` -> 10.0, ``15.5`` -> 15.5, ``0.155`` (a fraction) -> 15.5."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        number = float(raw)
        return round(number * 100, 4) if 0 < number < 1 else number
    text = clean(raw)
    if is_empty(text):
        return None
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%").strip().replace(",", ""))
    except ValueError as error:
        raise CellError("not a rate (expected e.g. 10% or 0.1)") from error
    if number != number or number < 0 or number > 10000:  # NaN, negative, absurd
        raise CellError("not a plausible rate")
    if not percent and 0 < number < 1:
        number *= 100
    return round(number, 4)


def _parse_yes_no(raw: object) -> int | None:
    text = clean(raw).casefold()
    if is_empty(text):
        return None
    if text in _YES:
        return 1
    if text in _NO:
        return 0
    raise CellError("expected Yes or No")


def _keep(result: ParsedAffiliateOrders, line: int, values: dict[str, object]) -> None:
    key = (values["order_id"], values["sku_id"])
    if key in result.lines:
        result.notes.append(f"Order {key[0]} SKU {key[1]} appears on lines "
                            f"{result.file_lines[key]} and {line}; the later row was kept.")
    result.lines[key] = values
    result.file_lines[key] = line


# --- store: classify and write ---------------------------------------------------------


def classify_affiliate_orders(conn: sqlite3.Connection, shop_id: int,
                              parsed: ParsedAffiliateOrders, stamp: str | None
                              ) -> tuple[RecordCounts, list[dict[str, object]]]:
    """New / updated / unchanged per (order, SKU) line against the store; writes nothing.
    Returns the counts and the lines to write."""
    counts = RecordCounts()
    stored: dict[tuple[str, str], sqlite3.Row] = {}
    order_ids = sorted({key[0] for key in parsed.lines})
    for row in select_by_ids(conn, "SELECT * FROM affiliate_line WHERE shop_id = :shop_id "
                                   "AND order_id IN ({ids})", order_ids, {"shop_id": shop_id}):
        stored[(row["order_id"], row["sku_id"])] = row
    plan = []
    for key, values in parsed.lines.items():
        previous = stored.get(key)
        if previous is None:
            counts.new += 1
        elif all(previous[column] == values[column] for column in LINE_COLUMNS):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append(values)
    return counts, plan


_UPSERT_LINE = (
    f"INSERT INTO affiliate_line (shop_id, import_id, {', '.join(LINE_COLUMNS)}) "
    f"VALUES (:shop_id, :import_id, {', '.join(':' + c for c in LINE_COLUMNS)}) "
    "ON CONFLICT (shop_id, order_id, sku_id) DO UPDATE SET import_id = excluded.import_id, "
    + ", ".join(f"{c} = excluded.{c}" for c in LINE_COLUMNS[2:])
)
# Richer exports (video list, LIVE list) own the title; here only what is missing is filled.
_UPSERT_CONTENT = (
    "INSERT INTO content (shop_id, content_id, kind, creator, source, import_id, "
    "seller_listed, is_key_live) VALUES (:shop_id, :content_id, :kind, :creator, :source, "
    ":import_id, 0, 0) ON CONFLICT (shop_id, content_id) DO UPDATE SET "
    "creator = COALESCE(content.creator, excluded.creator)"
)


def write_affiliate_orders(conn: sqlite3.Connection, shop_id: int, import_id: int,
                           parsed: ParsedAffiliateOrders, plan: list[dict[str, object]]) -> int:
    """Upsert the planned lines into ``affiliate_line`` (inside the caller's transaction)
    and add the videos and LIVEs they name to ``content``. Returns the lines written."""
    conn.executemany(_UPSERT_LINE, ({"shop_id": shop_id, "import_id": import_id, **values}
                                    for values in plan))
    contents = {}
    for values in parsed.lines.values():
        if values["content_kind"] in (VIDEO, LIVE) and values["content_id"]:
            contents.setdefault(values["content_id"], values)
    conn.executemany(_UPSERT_CONTENT, (
        {"shop_id": shop_id, "content_id": content_id, "kind": values["content_kind"],
         "creator": values["creator"], "source": SOURCE, "import_id": import_id}
        for content_id, values in contents.items()))
    # The lines written marked their orders' hours dirty (triggers): the content mix's
    # rollup of those hours is brought up to date with the rest.
    refresh_dirty(conn, shop_id)
    return len(plan)
