"""Product lists: which products are active, in review or suspended.

Two shapes carry the same three facts (product ID, name, listing status):
- the documented template, a CSV or XLSX with the headers ``Product ID``, ``Product name``,
  ``Status`` (see ``product_list_template_csv``);
- a TikTok Shop Open API product search response (``POST /product/202309/products/search``)
  saved as JSON: ``{"code": 0, "data": {"products": [{"id", "title", "status", ...}]}}``.
  The reader flattens its products into the template's three columns
  (``product_search_rows``), so both shapes go through the same parser.

Listing statuses are normalised (``listing_statuses.LISTING_STATUSES``) and the raw value is
kept beside them. An import only adds or updates products, never deletes one: a product missing from
a later list keeps what the store knew about it (a list may be one API page of many).
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from campaign_core.formatting import plural
from campaign_core.importers.parsed import ParsedFile, Problem, RecordCounts
from campaign_core.importers.rows import counted_rows
from campaign_core.importers.values import CellError, clean, is_empty, parse_id
from campaign_core.store.lookup import select_by_ids

if TYPE_CHECKING:  # reading.py imports this module, so only type checkers import it back
    from campaign_core.importers.reading import SourceTable

# The template's headers, first alias of each field of the ``product_list`` kind.
TEMPLATE_HEADERS = ("Product ID", "Product name", "Status")

# Raw status -> normalised, keyed by ``_status_key`` (case-folded, ``_``/``-`` as spaces).
# Open API values (ACTIVATE, SELLER_DEACTIVATED, ...) and Seller Center's English words.
_STATUS_WORDS = {
    "activate": "active", "active": "active", "activated": "active", "live": "active",
    "on sale": "active",
    "draft": "draft",
    "pending": "in_review", "in review": "in_review", "reviewing": "in_review",
    "under review": "in_review", "pending review": "in_review", "auditing": "in_review",
    "failed": "failed", "review failed": "failed", "rejected": "failed",
    "seller deactivated": "suspended", "platform deactivated": "suspended",
    "deactivated": "suspended", "inactive": "suspended", "suspended": "suspended",
    "freeze": "suspended", "frozen": "suspended",
    "deleted": "deleted",
}
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_listing_status(raw: str) -> str:
    """A raw listing status (``ACTIVATE``, ``Under review``, ``FREEZE``...) -> one of
    ``LISTING_STATUSES``; a value the importer does not know is ``"other"``."""
    return _STATUS_WORDS.get(_status_key(raw), "other")


def _status_key(raw: str) -> str:
    return _SEPARATORS.sub(" ", raw).strip().casefold()


def product_list_template_csv() -> bytes:
    """The product list template: a UTF-8 CSV (with BOM, so Excel opens it as UTF-8)
    holding only the header row ``Product ID,Product name,Status``."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(TEMPLATE_HEADERS)
    return buffer.getvalue().encode("utf-8-sig")


def product_search_rows(document: object) -> list[list[object]] | None:
    """The products of an Open API product search response as template rows.

    ``document`` is the parsed JSON. Returns one ``[id, title, status]`` row per element of
    ``data.products`` (in file order, so row ``n`` is product index ``n - 1``), or None when
    the document does not have that shape. Values are passed on as found; the parser
    judges them. A JSON integer ID is turned into text: ``json`` reads integers exactly, so
    its digits are the file's own (a float ID stays a float and is quarantined).
    """
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        return None
    products = document["data"].get("products")
    if not isinstance(products, list):
        return None
    rows = []
    for product in products:
        item = product if isinstance(product, dict) else {}
        product_id = item.get("id")
        if isinstance(product_id, int) and not isinstance(product_id, bool):
            product_id = str(product_id)
        rows.append([product_id, item.get("title"), item.get("status")])
    return rows


@dataclass
class ParsedProducts(ParsedFile):
    # product_id -> {"product_id", "name", "listing_status", "listing_status_raw"}
    products: dict[str, dict] = field(default_factory=dict)


def parse_product_list(table: SourceTable, timezone: str,
                       progress: Callable[[int], None] | None = None) -> ParsedProducts:
    """Read every data row of a product list ``table`` (template or flattened JSON).

    ``timezone`` is unused (a product list carries no times) but kept for the common
    parser signature. Returns the products by ID; a row without a valid ID or without a
    status is quarantined. When an ID appears twice, the later row wins (with a note).
    ``progress`` is called with the number of rows read every 5,000 rows.
    """
    result = ParsedProducts()
    unknown_statuses: dict[str, int] = {}
    for line, cells in counted_rows(table, result, progress):
        try:
            product = _parse_row(line, cells, table)
        except _RowError as error:
            result.quarantined_rows += 1
            result.problems.extend(error.problems)
            continue
        if product["listing_status"] == "other":
            raw = product["listing_status_raw"]
            unknown_statuses[raw] = unknown_statuses.get(raw, 0) + 1
        if product["product_id"] in result.products:
            result.notes.append(f"Product {product['product_id']} appears twice in the "
                                "file; its later row was kept.")
        result.products[product["product_id"]] = product
    for raw, count in unknown_statuses.items():
        result.notes.append(f"{plural(count, 'product')} with the unknown status {raw!r}: counted "
                            "as 'other' (the raw value is kept).")
    return result


class _RowError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].reason)
        self.problems = problems


def _parse_row(line: int, cells: list[object], table: SourceTable) -> dict:
    columns = table.columns

    def cell(name: str) -> object:
        index = columns.positions.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def problem(name: str, reason: str) -> Problem:
        raw = cell(name)
        return Problem(line, columns.headers.get(name, name), "" if raw is None else str(raw),
                       reason)

    problems = []
    product_id = None
    try:
        product_id = parse_id(cell("product_id"))
    except CellError as error:
        problems.append(problem("product_id", str(error)))
    status_raw = clean(cell("status"))
    if is_empty(status_raw):
        problems.append(problem("status", "listing status is missing"))
    if problems:
        raise _RowError(problems)
    return {"product_id": product_id, "name": clean(cell("name")) or None,
            "listing_status": normalise_listing_status(status_raw),
            "listing_status_raw": status_raw}


# --- store: classify and write ---------------------------------------------------------


_UPSERT_SQL = """
INSERT INTO product (shop_id, product_id, name, listing_status, listing_status_raw,
                     listing_updated_utc)
VALUES (:shop_id, :product_id, :name, :listing_status, :listing_status_raw, :updated_utc)
ON CONFLICT (shop_id, product_id) DO UPDATE SET
    name = COALESCE(excluded.name, product.name),
    listing_status = excluded.listing_status,
    listing_status_raw = excluded.listing_status_raw,
    listing_updated_utc = excluded.listing_updated_utc
"""


def classify_products(conn: sqlite3.Connection, shop_id: int,
                      parsed: ParsedProducts) -> tuple[RecordCounts, list[dict]]:
    """Sort incoming products into new / updated / unchanged for ``shop_id``; writes nothing.

    A product is new when the store lacks its ID (products seen only in orders exist
    already, without a listing status: they are updated); unchanged when its name (an empty
    incoming name keeps the stored one) and raw listing status equal the stored ones.
    Returns the counts and the products to write.
    """
    counts = RecordCounts()
    to_write = []
    stored = _stored_products(conn, shop_id, list(parsed.products))
    for product_id, product in parsed.products.items():
        previous = stored.get(product_id)
        if previous is None:
            counts.new += 1
            to_write.append(product)
            continue
        stored_name, stored_raw = previous
        if (product["name"] or stored_name) == stored_name and \
                product["listing_status_raw"] == stored_raw:
            counts.unchanged += 1
        else:
            counts.updated += 1
            to_write.append(product)
    return counts, to_write


def write_products(conn: sqlite3.Connection, shop_id: int, import_id: int,
                   to_write: list[dict]) -> int:
    """Upsert classified products inside the caller's transaction; return rows written.

    The listing status is stamped with the time the import started (from the import log):
    the moment the store learned it. Products are never deleted.
    """
    row = conn.execute("SELECT started_utc FROM import_log WHERE import_id = :import_id",
                       {"import_id": import_id}).fetchone()
    updated_utc = row[0] if row else None
    conn.executemany(_UPSERT_SQL, ({**product, "shop_id": shop_id, "updated_utc": updated_utc}
                                   for product in to_write))
    return len(to_write)


def _stored_products(conn: sqlite3.Connection, shop_id: int,
                     product_ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    rows = select_by_ids(
        conn, "SELECT product_id, name, listing_status_raw FROM product "
              "WHERE shop_id = :shop_id AND product_id IN ({ids})", product_ids,
        {"shop_id": shop_id})
    return {row[0]: (row[1], row[2]) for row in rows}
