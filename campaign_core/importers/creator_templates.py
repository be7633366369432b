"""The creator templates: deals (the pipeline), sample shipments, creator fees, experiments.

TikTok exports none of these, so the Import page offers a template for each (UTF-8 CSV
with a BOM, or the same columns in a sheet). Days are ``YYYY-MM-DD`` (or a spreadsheet date
cell): slash dates are refused, as ``03/04/2026`` is March in the US and April elsewhere.
Money is ``12.50`` or ``$12.50``; rates ``15%`` or ``15``. Creators are TikTok usernames
(a leading ``@`` is dropped).

- **Creator deals** (kind ``creator_deals``): ``Creator``, ``Campaign`` (required),
  ``Outreach``, ``Accepted`` (required columns, may be empty), ``Sample shipped``,
  ``Sample delivered``, ``Brief sent``, ``Content due`` (overrides sample delivered + 14
  days, + 7 with an extension), ``Posted``, ``Cancelled`` (days), ``Extension``
  (yes/no), ``Flat fee``, ``Retainer`` (money, counted on the Accepted day),
  ``Commission rate``, ``Content ID``, ``Notes``. One deal per creator and campaign: a
  later file updates the stages it has columns for.
- **Sample shipments** (``sample_shipments``): ``Creator``, ``SKU ID`` or ``Seller SKU``,
  ``Units``, ``Shipping cost``, ``Shipped day`` (required), ``Campaign``. Keyed by
  creator, SKU and day.
- **Creator fees** (``creator_fees``): ``Creator``, ``Fee type`` (``Flat fee`` or
  ``Retainer``), ``Amount``, ``Day`` (required), ``Campaign``, ``Note``. Keyed by creator,
  day and type.
- **Experiment counts** (``experiment_counts``): ``Experiment``, ``Variant``, ``Day``,
  ``Exposures``, ``Conversions`` (required); the plan, on any row of the experiment:
  ``What varies`` (hook, CTA, offer, creator segment, listing, creator), ``Metric`` (CTR,
  CTOR, conversion), ``Planned split`` (``50/50`` in the order the variants first appear;
  that first variant is the control), ``MDE (pp)`` (the minimum detectable effect as an
  absolute difference in percentage points: ``0.5`` = 0.5 pp), ``Baseline rate`` (%),
  ``Planned looks``. Keyed by experiment, variant and day.
Every import is idempotent: the same file again changes nothing.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from campaign_core.importers.parsed import ParsedFile, RecordCounts
from campaign_core.importers.rows import RowCells, counted_rows
from campaign_core.importers.stock import SkuKeyedFile, SkuRef, read_sku_ref, resolve_sku_ids
from campaign_core.importers.template_files import template_csv
from campaign_core.importers.values import (
    CellError,
    clean,
    is_empty,
    parse_cents,
    parse_count,
    parse_iso_day,
)
from campaign_core.store.creators import (
    DEAL_FIELDS,
    clean_creator,
    ensure_experiment,
    set_experiment_counts,
    upsert_deal,
    upsert_fee,
    upsert_sample,
)

if TYPE_CHECKING:
    from campaign_core.importers.reading import SourceTable

_YES = {"yes", "y", "true", "1", "x", "extended"}
_NO = {"no", "n", "false", "0", ""}
_METRICS = {"ctr": "ctr", "click-through rate": "ctr", "ctor": "ctor",
            "click-to-order rate": "ctor", "conversion": "conversion",
            "conversion rate": "conversion", "cvr": "conversion"}
_VARIES = {"hook": "hook", "cta": "cta", "call to action": "cta", "offer": "offer",
           "creator segment": "creator_segment", "segment": "creator_segment",
           "listing": "listing", "creator": "creator", "other": "other"}

DEAL_TEMPLATE_HEADERS = ("Creator", "Campaign", "Outreach", "Accepted", "Sample shipped",
                         "Sample delivered", "Brief sent", "Content due", "Posted",
                         "Cancelled", "Extension", "Flat fee", "Retainer", "Commission rate",
                         "Content ID", "Notes")
SAMPLE_TEMPLATE_HEADERS = ("Creator", "SKU ID", "Seller SKU", "Units", "Shipping cost",
                           "Shipped day", "Campaign")
FEE_TEMPLATE_HEADERS = ("Creator", "Fee type", "Amount", "Day", "Campaign", "Note")
EXPERIMENT_TEMPLATE_HEADERS = ("Experiment", "Variant", "Day", "Exposures", "Conversions",
                               "What varies", "Metric", "Planned split", "MDE (pp)",
                               "Baseline rate", "Planned looks")


# --- cells -------------------------------------------------------------------------------



def _required_day(raw: object) -> str:
    day = parse_iso_day(raw)
    if day is None:
        raise CellError("day is missing")
    return day


def _creator(raw: object) -> str:
    try:
        return clean_creator(clean(raw))
    except ValueError as error:
        raise CellError("creator username is missing") from error


def _text(raw: object) -> str | None:
    text = clean(raw)
    return None if is_empty(text) else text


def _required_text(raw: object) -> str:
    text = _text(raw)
    if text is None:
        raise CellError("value is missing")
    return text


def _flag(raw: object) -> bool:
    text = clean(raw).lower()
    if text in _YES:
        return True
    if text in _NO or is_empty(text):
        return False
    raise CellError("write yes or no")


def _money(raw: object, money=parse_cents) -> int | None:
    cents = money(raw)
    if cents is not None and cents < 0:
        raise CellError("cannot be negative")
    return cents


def _percent(raw: object) -> float | None:
    """``15%``, ``15`` or ``0.5 pp`` -> 15.0 / 0.5 (percent units)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    text = clean(raw).lower().replace("pp", "").replace("%", "").strip()
    if is_empty(text):
        return None
    try:
        value = float(text)
    except ValueError as error:
        raise CellError("not a percentage") from error
    if not 0 <= value <= 100:
        raise CellError("a percentage between 0 and 100")
    return value


def _choice(table: dict[str, str], what: str) -> Callable[[object], str | None]:
    def read(raw: object) -> str | None:
        text = clean(raw).lower()
        if is_empty(text):
            return None
        if text not in table:
            raise CellError(f"unknown {what}; one of: {', '.join(sorted(set(table)))}")
        return table[text]
    return read


def _split(raw: object) -> str | None:
    text = clean(raw)
    if is_empty(text):
        return None
    parts = re.split(r"\s*[/:]\s*", text.replace("%", ""))
    try:
        shares = [float(part) for part in parts]
    except ValueError as error:
        raise CellError("write the split as 50/50") from error
    if len(shares) < 2 or any(share <= 0 for share in shares):
        raise CellError("a split names two or more positive shares, such as 50/50")
    return "/".join(f"{share:g}" for share in shares)


def _finish(row: RowCells, result: ParsedFile) -> bool:
    """True when the row is readable; otherwise it is quarantined."""
    if row.problems:
        result.quarantined_rows += 1
        result.problems.extend(row.problems)
        return False
    return True


# --- creator deals -----------------------------------------------------------------------

_DEAL_COLUMNS = {  # template field -> deal field
    "outreach": "outreach_day", "accepted": "accepted_day",
    "sample_shipped": "sample_shipped_day", "sample_delivered": "sample_delivered_day",
    "brief_sent": "brief_sent_day", "content_due": "content_due_day", "posted": "posted_day",
    "cancelled": "cancelled_day", "extension": "extension", "flat_fee": "flat_fee_cents",
    "retainer": "retainer_cents", "commission_rate": "commission_rate",
    "content_id": "posted_content_id", "notes": "notes"}
_DEAL_READERS = {"extension": _flag, "flat_fee": _money, "retainer": _money,
                 "commission_rate": _percent, "content_id": _text, "notes": _text}


@dataclass
class ParsedDeals(ParsedFile):
    deals: dict[tuple[str, str], dict] = field(default_factory=dict)


def parse_creator_deals(table: SourceTable, timezone: str,
                        progress: Callable[[int], None] | None = None) -> ParsedDeals:
    """One deal per (creator, campaign), holding only the columns the file has (a later
    row for the same deal wins, with a note)."""
    result = ParsedDeals()
    lines: dict[tuple[str, str], int] = {}
    for line, cells in counted_rows(table, result, progress):
        row = RowCells(line, cells, table.columns)
        creator = row.read("creator", _creator)
        campaign = row.read("campaign", _required_text)
        values = {deal_field: (row.read(name, _money, table.locale.money)
                               if _DEAL_READERS.get(name) is _money
                               else row.read(name, _DEAL_READERS.get(name, parse_iso_day)))
                  for name, deal_field in _DEAL_COLUMNS.items() if row.has(name)}
        if not _finish(row, result):
            continue
        key = (creator, campaign)
        if key in result.deals:
            result.notes.append(f"Lines {lines[key]} and {line} describe the same deal "
                                f"({creator}, {campaign}); the later line was kept.")
        for money in ("flat_fee_cents", "retainer_cents"):
            if money in values and values[money] is None:
                values[money] = 0
        result.deals[key], lines[key] = values, line
    return result


def classify_creator_deals(conn: sqlite3.Connection, shop_id: int, parsed: ParsedDeals,
                           stamp: str | None) -> tuple[RecordCounts, list]:
    counts = RecordCounts()
    plan = []
    for (creator, campaign), values in parsed.deals.items():
        stored = conn.execute(
            f"SELECT {', '.join(DEAL_FIELDS)} FROM creator_deal WHERE shop_id = :shop_id "
            "AND creator = :creator AND campaign = :campaign",
            {"shop_id": shop_id, "creator": creator, "campaign": campaign}).fetchone()
        if stored is None:
            counts.new += 1
        elif all(_same(stored[name], value) for name, value in values.items()):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append((creator, campaign, values))
    return counts, plan


def _same(stored: object, value: object) -> bool:
    if isinstance(value, bool):
        return bool(stored) == value
    return stored == value


def write_creator_deals(conn: sqlite3.Connection, shop_id: int, import_id: int,
                        parsed: ParsedDeals, plan: list) -> int:
    for creator, campaign, values in plan:
        upsert_deal(conn, shop_id, creator, campaign, values, source="template",
                    import_id=import_id)
    return len(plan)


def creator_deals_template_csv() -> bytes:
    return template_csv(DEAL_TEMPLATE_HEADERS, (
        ("glow.with.mia", "Black Friday 2026", "2026-11-02", "2026-11-04", "2026-11-05",
         "2026-11-08", "2026-11-09", "", "2026-11-18", "", "no", "150.00", "", "15%",
         "7301234567890123456", "posted on time"),
        ("skincare.sam", "Black Friday 2026", "2026-11-10", "", "", "", "", "", "", "", "",
         "", "", "", "", "waiting for an answer"),
    ))


# --- sample shipments --------------------------------------------------------------------

@dataclass
class SampleRow:
    file_line: int
    sku: SkuRef
    creator: str
    units: int
    shipping_cost_cents: int
    shipped_day: str
    campaign: str | None


@dataclass
class ParsedSamples(SkuKeyedFile):
    rows: list[SampleRow] = field(default_factory=list)


def _units(raw: object) -> int:
    units = parse_count(raw, required=True)
    if units == 0:
        raise CellError("a sample ships at least one unit")
    return units


def parse_sample_shipments(table: SourceTable, timezone: str,
                           progress: Callable[[int], None] | None = None) -> ParsedSamples:
    result = ParsedSamples()
    for line, cells in counted_rows(table, result, progress):
        row = RowCells(line, cells, table.columns)
        creator = row.read("creator", _creator)
        sku = read_sku_ref(row)
        units = row.read("units", _units)
        cost = row.read("shipping_cost", _money, table.locale.money)
        day = row.read("shipped_day", _required_day)
        campaign = row.read("campaign", _text)
        if _finish(row, result):
            result.rows.append(SampleRow(line, sku, creator, units, cost or 0, day, campaign))
    return result


def classify_sample_shipments(conn: sqlite3.Connection, shop_id: int, parsed: ParsedSamples,
                              stamp: str | None) -> tuple[RecordCounts, list]:
    latest = {}
    for row, sku_id in resolve_sku_ids(conn, shop_id, parsed.rows, parsed):
        latest[(row.creator, sku_id, row.shipped_day)] = row
    counts, plan = RecordCounts(), []
    for (creator, sku_id, day), row in latest.items():
        stored = conn.execute(
            "SELECT units, shipping_cost_cents, campaign FROM sample_shipment WHERE "
            "shop_id = :shop_id AND creator = :creator AND sku_id = :sku AND shipped_day = :day",
            {"shop_id": shop_id, "creator": creator, "sku": sku_id, "day": day}).fetchone()
        if stored is None:
            counts.new += 1
        elif tuple(stored) == (row.units, row.shipping_cost_cents, row.campaign):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append((sku_id, row))
    return counts, plan


def write_sample_shipments(conn: sqlite3.Connection, shop_id: int, import_id: int,
                           parsed: ParsedSamples, plan: list) -> int:
    for sku_id, row in plan:
        upsert_sample(conn, shop_id, row.creator, sku_id, row.shipped_day, row.units,
                      row.shipping_cost_cents, row.campaign, import_id=import_id)
    return len(plan)


def sample_shipments_template_csv() -> bytes:
    return template_csv(SAMPLE_TEMPLATE_HEADERS, (
        ("glow.with.mia", "1729000000000000001", "", "2", "6.80", "2026-11-05",
         "Black Friday 2026"),
        ("skincare.sam", "", "TEE-BLUE-L", "1", "$4.50", "2026-11-12", ""),
    ))


# --- creator fees ------------------------------------------------------------------------

_FEE_KINDS = {"flat fee": "flat_fee", "flat_fee": "flat_fee", "flat": "flat_fee",
              "fee": "flat_fee", "retainer": "retainer"}


@dataclass
class ParsedFees(ParsedFile):
    fees: dict[tuple[str, str, str], dict] = field(default_factory=dict)


def parse_creator_fees(table: SourceTable, timezone: str,
                       progress: Callable[[int], None] | None = None) -> ParsedFees:
    result = ParsedFees()
    for line, cells in counted_rows(table, result, progress):
        row = RowCells(line, cells, table.columns)
        creator = row.read("creator", _creator)
        kind = row.read("kind", _choice(_FEE_KINDS, "fee type"))
        amount = row.read("amount", _money, table.locale.money)
        day = row.read("day", _required_day)
        if kind is None and not row.problems:
            row.problem("kind", "fee type is missing (Flat fee or Retainer)")
        if amount is None and not row.problems:
            row.problem("amount", "amount is missing")
        campaign, note = row.read("campaign", _text), row.read("note", _text)
        if _finish(row, result):
            result.fees[(creator, day, kind)] = {"amount_cents": amount, "campaign": campaign,
                                                 "note": note}
    return result


def classify_creator_fees(conn: sqlite3.Connection, shop_id: int, parsed: ParsedFees,
                          stamp: str | None) -> tuple[RecordCounts, list]:
    counts, plan = RecordCounts(), []
    for (creator, day, kind), values in parsed.fees.items():
        stored = conn.execute(
            "SELECT amount_cents, campaign, note FROM creator_fee WHERE shop_id = :shop_id "
            "AND creator = :creator AND fee_day = :day AND kind = :kind",
            {"shop_id": shop_id, "creator": creator, "day": day, "kind": kind}).fetchone()
        if stored is None:
            counts.new += 1
        elif tuple(stored) == tuple(values.values()):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        plan.append(((creator, day, kind), values))
    return counts, plan


def write_creator_fees(conn: sqlite3.Connection, shop_id: int, import_id: int,
                       parsed: ParsedFees, plan: list) -> int:
    for (creator, day, kind), values in plan:
        upsert_fee(conn, shop_id, creator, day, kind, values["amount_cents"],
                   values["campaign"], values["note"], import_id=import_id)
    return len(plan)


def creator_fees_template_csv() -> bytes:
    return template_csv(FEE_TEMPLATE_HEADERS, (
        ("glow.with.mia", "Flat fee", "150.00", "2026-11-18", "Black Friday 2026",
         "one video"),
        ("beauty.by.lena", "Retainer", "$500.00", "2026-11-01", "", "November retainer"),
    ))


# --- experiment counts -------------------------------------------------------------------

_PLAN_READERS = {"varies": _choice(_VARIES, "thing that varies"),
                 "metric": _choice(_METRICS, "metric"), "planned_split": _split,
                 "mde": _percent, "baseline_rate": _percent,
                 "planned_looks": lambda raw: parse_count(raw)}
_PLAN_FIELDS = {"varies": "varies", "metric": "metric", "planned_split": "planned_split",
                "mde": "mde_pp", "baseline_rate": "baseline_rate_pct",
                "planned_looks": "planned_looks"}


@dataclass
class ParsedExperiments(ParsedFile):
    # experiment -> {"plan": {...}, "variants": [...], "counts": {(variant, day): (n, k)}}
    experiments: dict[str, dict] = field(default_factory=dict)


def parse_experiment_counts(table: SourceTable, timezone: str,
                            progress: Callable[[int], None] | None = None
                            ) -> ParsedExperiments:
    result = ParsedExperiments()
    for line, cells in counted_rows(table, result, progress):
        row = RowCells(line, cells, table.columns)
        name = row.read("experiment", _required_text)
        variant = row.read("variant", _required_text)
        day = row.read("day", _required_day)
        exposures = row.read("exposures", parse_count, required=True)
        conversions = row.read("conversions", parse_count, required=True)
        if exposures is not None and conversions is not None and conversions > exposures:
            row.problem("conversions", f"more conversions than exposures ({exposures})")
        plan = {_PLAN_FIELDS[name_]: row.read(name_, reader)
                for name_, reader in _PLAN_READERS.items() if row.has(name_)}
        if not _finish(row, result):
            continue
        experiment = result.experiments.setdefault(
            name, {"plan": {}, "variants": [], "counts": {}})
        for key, value in plan.items():
            if value is not None:
                experiment["plan"].setdefault(key, value)
        if variant not in experiment["variants"]:
            experiment["variants"].append(variant)
        experiment["counts"][(variant, day)] = (exposures, conversions)
    return result


def classify_experiment_counts(conn: sqlite3.Connection, shop_id: int,
                               parsed: ParsedExperiments,
                               stamp: str | None) -> tuple[RecordCounts, list]:
    counts = RecordCounts()
    for name, experiment in parsed.experiments.items():
        stored = {}
        row = conn.execute("SELECT experiment_id FROM experiment WHERE shop_id = :shop_id "
                           "AND name = :name", {"shop_id": shop_id, "name": name}).fetchone()
        if row is not None:
            stored = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
                "SELECT variant, day, exposures, conversions FROM experiment_day "
                "WHERE experiment_id = :id", {"id": row[0]})}
        for key, value in experiment["counts"].items():
            if key not in stored:
                counts.new += 1
            elif stored[key] == value:
                counts.unchanged += 1
            else:
                counts.updated += 1
    return counts, list(parsed.experiments.items())


def write_experiment_counts(conn: sqlite3.Connection, shop_id: int, import_id: int,
                            parsed: ParsedExperiments, plan: list) -> int:
    written = 0
    for name, experiment in plan:
        stored = conn.execute("SELECT variants FROM experiment WHERE shop_id = :shop_id AND "
                              "name = :name", {"shop_id": shop_id, "name": name}).fetchone()
        known = stored[0].split("/") if stored and stored[0] else []
        variants = known + [v for v in experiment["variants"] if v not in known]
        experiment_id = ensure_experiment(conn, shop_id, name, {
            **experiment["plan"], "variants": "/".join(variants)})
        written += set_experiment_counts(
            conn, experiment_id, ((variant, day, n, k) for (variant, day), (n, k)
                                  in experiment["counts"].items()), import_id=import_id)
    return written


def experiment_counts_template_csv() -> bytes:
    plan = ("hook", "CTR", "50/50", "0.5", "2.0", "10")
    return template_csv(EXPERIMENT_TEMPLATE_HEADERS, (
        ("Hook: question vs demo", "A", "2026-11-20", "5200", "104", *plan),
        ("Hook: question vs demo", "B", "2026-11-20", "5150", "131", "", "", "", "", "", ""),
    ))


def _settlement_functions() -> tuple:
    from campaign_core.importers.settlement import (
        classify_settlement,
        parse_settlement,
        write_settlement,
    )
    return parse_settlement, classify_settlement, write_settlement


# (parse, classify, write) per kind, registered in importers/handlers.py.
CREATOR_KIND_FUNCTIONS: dict[str, tuple] = {
    "settlement": _settlement_functions(),
    "creator_deals": (parse_creator_deals, classify_creator_deals, write_creator_deals),
    "sample_shipments": (parse_sample_shipments, classify_sample_shipments,
                         write_sample_shipments),
    "creator_fees": (parse_creator_fees, classify_creator_fees, write_creator_fees),
    "experiment_counts": (parse_experiment_counts, classify_experiment_counts,
                          write_experiment_counts),
}
