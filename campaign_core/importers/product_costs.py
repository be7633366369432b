"""Parse and store the product costs template: the unit cost of a SKU from a day on.

Columns: ``SKU ID`` or ``Seller SKU`` (one of the two is required; seller SKUs are resolved
in the classify step, see ``importers.stock``), ``Unit cost`` (money, ``4.20`` or
``$4.20``), ``Currency`` (optional three-letter code; empty: the shop's), ``Valid from``
(optional ``YYYY-MM-DD`` or a spreadsheet date; empty: today in the shop's timezone).
Slash dates are refused: ``03/04/2026`` is March in the US and April elsewhere, and a cost
filed under the wrong month would silently change past profit.

Rows go to ``sku_cost`` keyed by (shop, SKU, valid-from day): re-importing changes nothing;
a changed cost or currency updates that day's cost. Costs of other days are never touched
(see ``store.costs`` for how a cost applies from its day on).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from campaign_core.importers.parsed import RecordCounts
from campaign_core.importers.reading import SourceTable
from campaign_core.importers.rows import RowCells, counted_rows
from campaign_core.importers.stock import (
    SkuKeyedFile,
    SkuRef,
    read_sku_ref,
    resolve_sku_ids,
)
from campaign_core.importers.template_files import template_csv
from campaign_core.importers.values import CellError, clean, is_empty, parse_cents, parse_iso_day
from campaign_core.store.costs import set_unit_cost
from campaign_core.store.shops import DEFAULT_CURRENCY
from campaign_core.windows import local_day_of

COSTS_TEMPLATE_HEADERS = ("SKU ID", "Seller SKU", "Unit cost", "Currency", "Valid from")
_COSTS_EXAMPLES = (
    ("1729000000000000001", "TEE-RED-M", "4.20", "USD", "2026-11-01"),
    ("1729000000000000002", "TEE-BLUE-L", "$4.35", "", ""),
)
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


@dataclass
class CostRow:
    """One readable cost row, its SKU maybe still a seller SKU."""

    file_line: int
    sku: SkuRef
    unit_cost_cents: int
    currency: str | None  # None: the shop's
    valid_from: str  # ISO day


@dataclass
class ParsedCosts(SkuKeyedFile):
    rows: list[CostRow] = field(default_factory=list)


def product_costs_template_csv() -> bytes:
    """The product costs template: ``COSTS_TEMPLATE_HEADERS`` and two example rows (one
    complete; one leaving Currency and Valid from to their defaults), UTF-8 with BOM."""
    return template_csv(COSTS_TEMPLATE_HEADERS, _COSTS_EXAMPLES)


def _today(timezone: str) -> date:
    return local_day_of(int(time.time()), timezone)


def parse_product_costs(table: SourceTable, timezone: str,
                        progress: Callable[[int], None] | None = None) -> ParsedCosts:
    """Read every data row of a product costs ``table``; an empty Valid from is today in
    ``timezone`` (the shop's). Returns the readable rows (a later row for the same SKU key
    and day wins, with a note) and a ``Problem`` per unreadable cell; a row with any is
    quarantined. ``progress`` is called with the number of rows read every 5,000 rows.
    """
    today = _today(timezone).isoformat()
    result = ParsedCosts()
    by_key: dict[tuple[str | None, str | None, str], CostRow] = {}
    for line, cells in counted_rows(table, result, progress):
        row = RowCells(line, cells, table.columns)
        sku = read_sku_ref(row)
        cost = row.read("unit_cost", _unit_cost, table.locale.money)
        currency = row.read("currency", _currency)
        valid_from = row.read("valid_from", parse_iso_day)
        if row.problems:
            result.quarantined_rows += 1
            result.problems.extend(row.problems)
            continue
        cost_row = CostRow(line, sku, cost, currency, valid_from or today)
        key = (sku.sku_id, None if sku.sku_id else sku.seller_sku, cost_row.valid_from)
        if key in by_key:
            result.notes.append(f"Lines {by_key[key].file_line} and {line} give a cost of the "
                                "same SKU from the same day; the later line was kept.")
        by_key[key] = cost_row
    result.rows = list(by_key.values())
    return result


def _unit_cost(raw: object, money=parse_cents) -> int:
    cents = money(raw, required=True)
    if cents < 0:
        raise CellError("a unit cost cannot be negative")
    return cents


def _currency(raw: object) -> str | None:
    text = clean(raw)
    if is_empty(text):
        return None
    if not _CURRENCY.match(text):
        raise CellError("not a currency code (three letters, such as USD)")
    return text.upper()




def classify_product_costs(conn: sqlite3.Connection, shop_id: int, parsed: ParsedCosts,
                           stamp: str | None) -> tuple[RecordCounts, list[dict]]:
    """Resolve seller SKUs (quarantining unknown ones into ``parsed``), give an empty
    currency the shop's, and sort costs into new / updated / unchanged by (SKU, valid-from
    day) for ``shop_id``; writes nothing. ``stamp`` is unused. Returns the counts and the
    costs to write."""
    shop_currency = _shop_currency(conn, shop_id)
    latest: dict[tuple[str, str], dict] = {}
    for row, sku_id in resolve_sku_ids(conn, shop_id, parsed.rows, parsed):
        latest[(sku_id, row.valid_from)] = {
            "sku_id": sku_id, "valid_from": row.valid_from,
            "unit_cost_cents": row.unit_cost_cents,
            "currency": row.currency or shop_currency}
    counts = RecordCounts()
    plan = []
    for cost in latest.values():
        stored = conn.execute(
            "SELECT unit_cost_cents, currency FROM sku_cost WHERE shop_id = :shop_id "
            "AND sku_id = :sku_id AND valid_from = :valid_from",
            {**cost, "shop_id": shop_id}).fetchone()
        if stored is None:
            counts.new += 1
        elif tuple(stored) == (cost["unit_cost_cents"], cost["currency"]):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append(cost)
    return counts, plan


def write_product_costs(conn: sqlite3.Connection, shop_id: int, import_id: int,
                        parsed: ParsedCosts, plan: list[dict]) -> int:
    """Store the planned costs with ``store.costs.set_unit_cost``, stamped with
    ``import_id``; returns how many."""
    for cost in plan:
        set_unit_cost(conn, shop_id, cost["sku_id"], cost["unit_cost_cents"],
                      cost["valid_from"], cost["currency"], import_id=import_id)
    return len(plan)


def _shop_currency(conn: sqlite3.Connection, shop_id: int) -> str:
    row = conn.execute("SELECT currency FROM shop WHERE shop_id = :shop_id",
                       {"shop_id": shop_id}).fetchone()
    # No shop only in a dry run on an empty store, where a new shop gets the default.
    return row[0] if row else DEFAULT_CURRENCY
