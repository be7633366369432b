"""Stock snapshots: the available, reserved and inbound units of each SKU at a moment.

Two shapes carry them, both of kind ``stock`` (table ``stock_snapshot``):
- the stock template (CSV or XLSX, see ``stock_template_csv``): ``SKU ID`` or ``Seller SKU``
  (one of the two columns is required), ``Available``, ``Reserved`` and ``Inbound``
  (optional), ``As of`` (optional local time in the shop's timezone, in any format
  ``values.parse_local_time`` reads; empty: the import time). Source ``"template"``.
- a saved Open API inventory search response (``POST /product/202309/inventory/search``):
  ``{"code": 0, "data": {"inventory": [{"product_id", "skus": [{"id", "seller_sku",
  "total_available_quantity", "total_committed_quantity", "warehouse_inventory": [...],
  ...}]}]}}``. The reader flattens its SKUs into the template's columns
  (``inventory_search_rows``): Available = total available, Reserved = total committed
  (units held for orders not shipped yet), no Inbound; as of the import time. Source
  ``"api"``. A JSON table is told apart by its ``header_line`` of 0 (JSON has no header
  row; every file with one has a header line of 1 or more).

SKU keys (shared with the product costs template): a row names its SKU by ``SKU ID``, or
by ``Seller SKU`` when the SKU ID is empty; a SKU ID wins when both are given. Parsing has no
store, so seller SKUs are resolved to SKU IDs through the ``sku`` table (filled by orders
exports) in the classify step, inside the import's transaction, as sub-campaign names are:
a seller SKU the shop does not know, or that names several SKUs, moves its row to
quarantine there (``resolve_sku_ids``).

A snapshot is keyed by (shop, SKU, as-of instant): re-importing a file with As of times
changes nothing, a changed count updates the snapshot. A file without As of (and an API
response) is a new snapshot at each import, as it is a new observation.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from campaign_core.formatting import plural
from campaign_core.importers.parsed import ParsedFile, Problem, RecordCounts
from campaign_core.importers.rows import RowCells, counted_rows
from campaign_core.importers.template_files import template_csv
from campaign_core.importers.values import (
    clean,
    is_empty,
    parse_count,
    parse_id,
    parse_local_time,
)
from campaign_core.store.lookup import select_by_ids

if TYPE_CHECKING:  # reading.py imports this module, so only type checkers import it back
    from campaign_core.importers.reading import SourceTable

SOURCE_TEMPLATE, SOURCE_API = "template", "api"
STOCK_TEMPLATE_HEADERS = ("SKU ID", "Seller SKU", "Available", "Reserved", "Inbound", "As of")
_STOCK_EXAMPLES = (
    ("1729000000000000001", "TEE-RED-M", "120", "8", "50", "2026-11-20 09:00"),
    ("1729000000000000002", "TEE-BLUE-L", "0", "", "", ""),
)
# The columns an inventory search response is flattened to (a subset of the template's).
INVENTORY_HEADERS = ("SKU ID", "Seller SKU", "Available", "Reserved")


# --- shared by the SKU-keyed templates (stock, product costs) -----------------------------


@dataclass(frozen=True)
class SkuRef:
    """How a row names its SKU: a SKU ID, else a seller SKU to resolve in the store."""

    sku_id: str | None
    seller_sku: str | None
    seller_sku_column: str  # the header as written, quoted when the SKU is unknown


class _SkuKeyedRow(Protocol):
    file_line: int
    sku: SkuRef


_Row = TypeVar("_Row", bound=_SkuKeyedRow)


@dataclass
class SkuKeyedFile(ParsedFile):
    # File lines classify has already moved to quarantine, so a second classify (a dry
    # run retried on an empty store) never counts them twice.
    unresolved: set[int] = field(default_factory=set)


def read_sku_ref(row: RowCells) -> SkuRef | None:
    """The row's SKU key; None (with a problem recorded) when it has none or a bad ID."""
    problems_before = len(row.problems)
    sku_id = row.read("sku_id", parse_id, required=False)
    if len(row.problems) > problems_before:  # a bad SKU ID, already reported
        return None
    seller_sku = _text_key(row.raw("seller_sku"))
    if sku_id is None and seller_sku is None:
        row.problem("sku_id" if row.has("sku_id") else "seller_sku",
                    "SKU ID or Seller SKU is missing")
        return None
    return SkuRef(sku_id, seller_sku, row.header("seller_sku"))


def _text_key(raw: object) -> str | None:
    if isinstance(raw, float) and raw.is_integer():  # a spreadsheet turned "1001" into 1001.0
        raw = int(raw)
    text = clean(raw)
    return None if is_empty(text) else text


def resolve_sku_ids(conn: sqlite3.Connection, shop_id: int, rows: Iterable[_Row],
                    parsed: SkuKeyedFile) -> list[tuple[_Row, str]]:
    """Each row with its SKU ID, in order; a row naming a seller SKU the shop does not
    know, or one shared by several SKUs, is quarantined into ``parsed`` instead (problem on
    the Seller SKU column; ``parsed.quarantined_rows`` raised once per row)."""
    rows = list(rows)
    wanted = sorted({row.sku.seller_sku for row in rows if row.sku.sku_id is None})
    by_seller_sku: dict[str, list[str]] = {}
    for seller_sku, sku_id in select_by_ids(
            conn, "SELECT seller_sku, sku_id FROM sku WHERE shop_id = :shop_id "
                  "AND seller_sku IN ({ids}) ORDER BY sku_id", wanted, {"shop_id": shop_id}):
        by_seller_sku.setdefault(seller_sku, []).append(sku_id)
    resolved = []
    for row in rows:
        if row.sku.sku_id is not None:
            resolved.append((row, row.sku.sku_id))
            continue
        matches = by_seller_sku.get(row.sku.seller_sku, [])
        if len(matches) == 1:
            resolved.append((row, matches[0]))
        else:
            _quarantine_unresolved(parsed, row, matches)
    return resolved


def _quarantine_unresolved(parsed: SkuKeyedFile, row: _SkuKeyedRow, matches: list[str]) -> None:
    if row.file_line in parsed.unresolved:
        return
    seller_sku = row.sku.seller_sku
    if matches:
        reason = (f"the seller SKU {seller_sku!r} names {len(matches)} SKUs "
                  f"({', '.join(matches[:5])}): give the SKU ID instead")
    else:
        reason = (f"no SKU with the seller SKU {seller_sku!r} in this shop: give its SKU ID, "
                  "or import an orders export that sells it first")
    parsed.unresolved.add(row.file_line)
    parsed.quarantined_rows += 1
    parsed.problems.append(Problem(row.file_line, row.sku.seller_sku_column, seller_sku,
                                   reason))


# --- stock -------------------------------------------------------------------------------


def stock_template_csv() -> bytes:
    """The stock template: ``STOCK_TEMPLATE_HEADERS`` and two example rows (one with an
    As of time, one without: stamped with the import time), UTF-8 with BOM."""
    return template_csv(STOCK_TEMPLATE_HEADERS, _STOCK_EXAMPLES)


def inventory_search_rows(document: object) -> list[list[object]] | None:
    """The SKUs of an Open API inventory search response as ``INVENTORY_HEADERS`` rows.

    ``document`` is the parsed JSON. Returns one ``[id, seller_sku, total_available_quantity,
    total_committed_quantity]`` row per element of ``data.inventory[].skus`` in file order
    (row ``n`` is the ``n``-th SKU counting all products), or None when the document does not
    have that shape. A product without a ``skus`` list gives an empty row, so it is
    quarantined rather than silently dropped. Values are passed on as found (a JSON integer
    ID becomes text: ``json`` reads integers exactly); the parser judges them.
    """
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        return None
    inventory = document["data"].get("inventory")
    if not isinstance(inventory, list):
        return None
    rows: list[list[object]] = []
    for product in inventory:
        skus = product.get("skus") if isinstance(product, dict) else None
        if not isinstance(skus, list):
            rows.append([None, None, None, None])
            continue
        for sku in skus:
            item = sku if isinstance(sku, dict) else {}
            rows.append([_json_id(item.get("id")), item.get("seller_sku"),
                         item.get("total_available_quantity"),
                         item.get("total_committed_quantity")])
    return rows


def _json_id(value: object) -> object:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


@dataclass
class StockRow:
    """One readable stock row, its SKU maybe still a seller SKU."""

    file_line: int
    sku: SkuRef
    available: int
    reserved: int | None
    inbound: int | None
    as_of_utc: int
    source: str


@dataclass
class ParsedStock(SkuKeyedFile):
    rows: list[StockRow] = field(default_factory=list)


def _now_utc() -> int:
    return int(time.time())


def parse_stock(table: SourceTable, timezone: str,
                progress: Callable[[int], None] | None = None) -> ParsedStock:
    """Read every data row of a stock ``table`` (template, or a flattened API response),
    As of times in ``timezone``. A row without As of is stamped with the time of parsing
    (the import's). Returns the readable rows (a later row for the same SKU key and time
    wins, with a note) and a ``Problem`` per unreadable cell; a row with any is quarantined.
    ``progress`` is called with the number of rows read every 5,000 rows.
    """
    source = SOURCE_API if table.header_line == 0 else SOURCE_TEMPLATE
    now = _now_utc()
    result = ParsedStock()
    by_key: dict[tuple[str | None, str | None, int], StockRow] = {}
    stamped = dst_notes = 0
    for line, cells in counted_rows(table, result, progress):
        row = RowCells(line, cells, table.columns)
        sku = read_sku_ref(row)
        available = row.read("available", parse_count, required=True)
        reserved = row.read("reserved", parse_count)
        inbound = row.read("inbound", parse_count)
        as_of = row.read("as_of", parse_local_time, timezone)
        if row.problems:
            result.quarantined_rows += 1
            result.problems.extend(row.problems)
            continue
        stamped += as_of is None
        dst_notes += bool(as_of and as_of.dst_note)
        stock = StockRow(line, sku, available, reserved, inbound,
                         now if as_of is None else as_of.utc, source)
        key = (sku.sku_id, None if sku.sku_id else sku.seller_sku, stock.as_of_utc)
        if key in by_key:
            result.notes.append(f"Lines {by_key[key].file_line} and {line} give the stock of "
                                "the same SKU at the same time; the later line was kept.")
        by_key[key] = stock
    result.rows = list(by_key.values())
    if stamped and source == SOURCE_TEMPLATE:
        result.notes.append(f"{plural(stamped, 'row')} without As of: stamped with the "
                            "import time.")
    if dst_notes:
        result.notes.append(f"{plural(dst_notes, 'As of time')} fell on a clock change (DST) "
                            "and were "
                            "resolved by the documented rule (see values.parse_local_time).")
    instants = [row.as_of_utc for row in result.rows]
    result.first_time_utc, result.last_time_utc = min(instants, default=None), max(
        instants, default=None)
    return result


def classify_stock(conn: sqlite3.Connection, shop_id: int, parsed: ParsedStock,
                   stamp: str | None) -> tuple[RecordCounts, list[dict]]:
    """Resolve seller SKUs (quarantining unknown ones into ``parsed``) and sort the
    snapshots into new / updated / unchanged by (SKU, as-of time) for ``shop_id``; writes
    nothing. ``stamp`` is unused. Returns the counts and the ``stock_snapshot`` rows to
    upsert (when two rows land on the same SKU and time, the later one)."""
    latest: dict[tuple[str, int], dict] = {}
    for row, sku_id in resolve_sku_ids(conn, shop_id, parsed.rows, parsed):
        latest[(sku_id, row.as_of_utc)] = {
            "shop_id": shop_id, "sku_id": sku_id, "as_of_utc": row.as_of_utc,
            "available": row.available, "reserved": row.reserved, "inbound": row.inbound,
            "source": row.source}
    counts = RecordCounts()
    plan = []
    for snapshot in latest.values():
        stored = conn.execute(
            "SELECT available, reserved, inbound, source FROM stock_snapshot "
            "WHERE shop_id = :shop_id AND sku_id = :sku_id AND as_of_utc = :as_of_utc",
            snapshot).fetchone()
        if stored is None:
            counts.new += 1
        elif tuple(stored) == (snapshot["available"], snapshot["reserved"],
                               snapshot["inbound"], snapshot["source"]):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append(snapshot)
    return counts, plan


def write_stock(conn: sqlite3.Connection, shop_id: int, import_id: int, parsed: ParsedStock,
                plan: list[dict]) -> int:
    """Upsert the planned snapshots, stamped with ``import_id``; returns how many."""
    conn.executemany(
        "INSERT INTO stock_snapshot (shop_id, sku_id, as_of_utc, available, reserved, "
        "inbound, source, import_id) VALUES (:shop_id, :sku_id, :as_of_utc, :available, "
        ":reserved, :inbound, :source, :import_id) "
        "ON CONFLICT (shop_id, sku_id, as_of_utc) DO UPDATE SET "
        "available = excluded.available, reserved = excluded.reserved, "
        "inbound = excluded.inbound, source = excluded.source, import_id = excluded.import_id",
        ({**snapshot, "import_id": import_id} for snapshot in plan))
    return len(plan)
