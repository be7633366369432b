"""Parse Seller Center "All order" exports into order records (rows of ``orders``/``order_line``).

One export row is one SKU line. Order-level money repeats on every line of an order, so it
is taken once, from the order's first line. Rows that cannot be read become ``Problem``s
(file line, column, raw value, reason) and are left out; nothing is turned into a silent
NULL or zero. Orders' lines are contiguous in a real export; when an order's lines appear
again later in the same file (two exports pasted together), the later run replaces the
earlier one, as a later export would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from campaign_core.formatting import plural
from campaign_core.importers.dates import (
    MONTH_FIRST,
    DateOrderUnknown,
    date_proof,
    undecided_order,
)
from campaign_core.importers.orders_layout import DESCRIPTION_ROW_TEXTS
from campaign_core.importers.parsed import ParsedFile, Problem
from campaign_core.importers.reading import FileRejected, SourceTable
from campaign_core.importers.values import (
    PADDING,
    CellError,
    FileLocale,
    clean,
    money_parser,
    parse_cents,
    parse_count,
    parse_id,
    parse_local_time,
)
from campaign_core.markets import NumberStyle
from campaign_core.markets.statuses import cancelled_by_columns, normalise_status
from campaign_core.memory import paused_cyclic_gc
from campaign_core.order_hash import content_hash

_EXPORT_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})-(\d{2})_(\d{2})")

TIME_FIELDS = {"created_time": "created_utc", "paid_time": "paid_utc",
                "shipped_time": "shipped_utc", "delivered_time": "delivered_utc",
                "cancelled_time": "cancelled_utc"}
ORDER_MONEY = {
    "shipping_fee_platform_discount": "shipping_fee_platform_discount_cents",
    "original_shipping_fee": "original_shipping_fee_cents",
    "shipping_fee_seller_discount": "shipping_fee_seller_discount_cents",
    "shipping_fee_after_discount": "shipping_fee_after_discount_cents",
    "taxes": "taxes_cents",
    "order_amount": "order_amount_cents",
    "order_refund_amount": "order_refund_amount_cents",
    "payment_platform_discount": "payment_platform_discount_cents",
    "retail_delivery_fee": "retail_delivery_fee_cents",
}
_TIME_COLUMNS = tuple(TIME_FIELDS.values())
ORDER_TEXT = {"substatus": "substatus_raw", "cancel_return_type": "cancel_return_type",
               "creator_handle": "creator_handle", "order_channel": "order_channel",
               "fulfillment_type": "fulfillment_type"}


# A line's cells: field, parser, parser options, value of an empty cell (both readers).
LINE_FIELDS = (
    ("order_id", parse_id, {}, None),
    ("sku_id", parse_id, {}, None),
    ("product_id", parse_id, {"required": False}, None),
    ("quantity", parse_count, {"required": True}, None),
    ("returned_units", parse_count, {}, 0),
    ("unit_original_price", parse_cents, {"required": True}, None),
    ("subtotal_before", parse_cents, {}, None),
    ("platform_discount", parse_cents, {}, 0),
    ("seller_discount", parse_cents, {}, 0),
    ("subtotal_after", parse_cents, {}, None),
)


def line_parsers(style: NumberStyle | None) -> tuple:
    """``LINE_FIELDS`` with money read in ``style`` (both readers use these)."""
    money = money_parser(style)
    return tuple((name, money if parser is parse_cents else parser, options, default)
                 for name, parser, options, default in LINE_FIELDS)


def export_stamp(file_name: str) -> str | None:
    """``All order-2026-11-26-15_30.csv`` -> ``2026-11-26T15:30``: when the file was made."""
    match = _EXPORT_STAMP.search(file_name)
    return f"{match.group(1)}T{match.group(2)}:{match.group(3)}" if match else None


@dataclass
class ParsedOrders(ParsedFile):
    orders: dict[str, dict] = field(default_factory=dict)  # order_id -> order row + "lines"
    products: dict[str, dict] = field(default_factory=dict)
    skus: dict[str, dict] = field(default_factory=dict)


class _RowError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].reason)
        self.problems = problems


# The largest number of distinct texts a column's parse cache remembers: prices, SKUs and
# statuses repeat across a file; beyond this, cells are parsed without being remembered.
_CACHE_LIMIT = 200_000
# A time with minutes and seconds: the rest (date, hour, AM/PM) is parsed once per hour.
SECONDS_TIME = re.compile(r"^(.*\d):([0-5]\d):([0-5]\d)(\s*[AaPp]\.?[Mm]\.?)?$")
_NO_VALUE = object()


def remembering(parser: Callable, **options) -> Callable[[object], object]:
    """``parser`` with ``options``, remembering each distinct text's value or ``CellError``
    (returned, not raised). Only text is remembered: 1 and 1.0 from a spreadsheet are equal
    keys but not equal cells."""
    cache: dict[str, object] = {}

    def parse(raw: object) -> object:
        if type(raw) is str:
            value = cache.get(raw, _NO_VALUE)
            if value is not _NO_VALUE:
                return value
        try:
            value = parser(raw, **options)
        except CellError as error:
            value = error
        if type(raw) is str and len(cache) < _CACHE_LIMIT:
            cache[raw] = value
        return value

    return parse


class TimeReader:
    """Export times in ``timezone`` as ``(utc, dst_note)``, None or a ``CellError``.

    Order times are nearly all distinct, so caching whole texts would not help; instead the
    date and hour are resolved once per local hour (``hour_start``) and minutes and seconds
    added, which is exact whenever the hour has one UTC offset (checked at its first and
    last second). The bulk reader uses the same hours on whole columns."""

    def __init__(self, timezone: str, order: str | None = None):
        self.timezone = timezone
        self.order = order  # the file's slash-date order (dates.slash_order)
        self.hours: dict[tuple[str, str], tuple[int, str | None] | None] = {}

    def exact(self, raw: object) -> object:
        try:
            parsed = parse_local_time(raw, self.timezone, order=self.order)
        except CellError as error:
            return error
        return None if parsed is None else (parsed.utc, parsed.dst_note)

    def hour_start(self, prefix: str, suffix: str) -> tuple[int, str | None] | None:
        """The UTC instant and DST note of ``<prefix>:00:00<suffix>``, or None for a bad
        date or a DST change inside the hour (then each time is parsed exactly)."""
        key = (prefix, suffix)
        start = self.hours.get(key, _NO_VALUE)
        if start is _NO_VALUE:
            first = self.exact(f"{prefix}:00:00{suffix}")
            last = self.exact(f"{prefix}:59:59{suffix}")
            start = first if (type(first) is tuple and type(last) is tuple
                              and last[0] - first[0] == 3599 and first[1] == last[1]) else None
            self.hours[key] = start
        return start

    def __call__(self, raw: object) -> object:
        if type(raw) is str:
            text = raw.strip(PADDING)
            if not text:  # most orders are not yet shipped, delivered or cancelled
                return None
            match = SECONDS_TIME.match(text)
            if match:
                prefix, minutes, seconds, suffix = match.groups()
                start = self.hour_start(prefix, suffix or "")
                if start is not None:
                    return start[0] + int(minutes) * 60 + int(seconds), start[1]
        return self.exact(raw)


class _OrderRowReader:
    """Reads one export row into an order (on an order's first line) and a line row."""

    def __init__(self, columns, timezone: str, locale: FileLocale):
        positions = columns.positions
        self.timezone = timezone
        self.headers = columns.headers
        self.width = max(positions.values()) + 1
        missing = self.width  # rows are padded with one empty cell that absent fields read

        def at(name: str) -> int:
            return positions.get(name, missing)

        self.order_index = at("order_id")
        self.line_fields = tuple(
            (at(name), self._header(name), remembering(parser, **options), default)
            for name, parser, options, default in line_parsers(locale.style))
        self.time_indexes = tuple(at(name) for name in TIME_FIELDS)
        self.time_fields: tuple = ()  # set by use_order once the file's date order is known
        money = money_parser(locale.style)
        self.money_fields = tuple((at(name), self._header(name), column,
                                   remembering(money))
                                  for name, column in ORDER_MONEY.items())
        self.text_fields = tuple((at(name), column) for name, column in ORDER_TEXT.items())
        self.status_index = at("status")
        self.buyer_indexes = (at("buyer_username"), at("buyer_nickname"))
        self.catalog_indexes = (at("seller_sku"), at("product_name"), at("variation"),
                                at("product_category"))
        self.quantity_header = self.headers.get("quantity", "quantity")
        self.returned_header = self.headers.get("returned_units", "returned units")
        self.statuses: dict[str, str] = {}

    def _header(self, name: str) -> str:
        return self.headers.get(name, name)

    def use_order(self, order: str) -> None:
        """Read times with the file's slash-date order from now on."""
        read_time = TimeReader(self.timezone, order)
        self.time_fields = tuple((index, self._header(name), column, read_time)
                                 for index, (name, column)
                                 in zip(self.time_indexes, TIME_FIELDS.items(), strict=True))

    def fit(self, cells: list[object]) -> list[object]:
        """The row cut or padded to the known columns, plus the empty cell absent fields
        read."""
        if len(cells) == self.width:
            cells.append(None)
            return cells
        return cells[:self.width] + [None] * (self.width + 1 - min(len(cells), self.width))

    def read(self, line: int, cells: list[object], with_order_fields: bool
             ) -> tuple[dict | None, dict, list[tuple[str, str]]]:
        """Raises ``_RowError`` with every unreadable cell of the row."""
        problems: list[Problem] = []
        values = []
        for index, header, parse, default in self.line_fields:
            value = parse(cells[index])
            if value is None:
                value = default
            elif type(value) is CellError:
                raw = cells[index]
                problems.append(Problem(line, header, "" if raw is None else str(raw),
                                        str(value)))
                value = default
            values.append(value)
        (order_id, sku_id, product_id, quantity, returned, unit_price, before, platform,
         seller, after) = values
        notes: list[tuple[str, str]] = []
        if with_order_fields:
            order = {"order_id": order_id}
            times = {}
            for index, header, column, parse in self.time_fields:
                value = parse(cells[index])
                if type(value) is tuple:
                    if value[1]:
                        notes.append((header, value[1]))
                    value = value[0]
                elif value is not None:
                    raw = cells[index]
                    problems.append(Problem(line, header, "" if raw is None else str(raw),
                                            str(value)))
                    value = None
                times[column] = value
            money = {}
            for index, header, column, parse in self.money_fields:
                value = parse(cells[index])
                if type(value) is CellError:
                    raw = cells[index]
                    problems.append(Problem(line, header, "" if raw is None else str(raw),
                                            str(value)))
                    value = None
                money[column] = value or 0
        if quantity == 0:
            problems.append(Problem(line, self.quantity_header, "0",
                                    "quantity must be at least 1"))
        if quantity and returned > quantity:
            problems.append(Problem(line, self.returned_header, str(returned),
                                    f"more units returned than bought ({quantity})"))
        if problems:
            raise _RowError(problems)
        status_raw = clean(cells[self.status_index])
        status = self.statuses.get(status_raw)
        if status is None:
            status = self.statuses[status_raw] = normalise_status(status_raw)
        order = None
        if with_order_fields:
            username, nickname = self.buyer_indexes
            order = build_order(order_id, status, status_raw,
                                clean(cells[username]) or clean(cells[nickname]) or None,
                                times, money,
                                [clean(cells[index]) or None for index, _ in self.text_fields])
        seller_sku, product_name, variation, _ = self.catalog_indexes
        line_row = build_line(order_id, sku_id, product_id, clean(cells[seller_sku]) or None,
                              clean(cells[product_name]) or None,
                              clean(cells[variation]) or None, quantity, returned, unit_price,
                              before, platform, seller, after, status, status_raw)
        return order, line_row, notes


def quantities_readable(quantity: int | None, returned: int) -> bool:
    """Whether a line's quantity and returned units can be stored (else its row is
    quarantined with the reason)."""
    return quantity != 0 and not (quantity and returned > quantity)


def build_order(order_id: str, status: str, status_raw: str, buyer_key: str | None,
                times: dict, money: dict, texts: list[str | None]) -> dict:
    """An ``orders`` record from its parsed cells (``texts`` in ``ORDER_TEXT`` order). The
    key order is part of the content hash: keep it."""
    order = {"order_id": order_id, "status": status, "status_raw": status_raw,
             "buyer_key": buyer_key, **times, **money}
    for column, text in zip(ORDER_TEXT.values(), texts, strict=True):
        order[column] = text
    return order


def build_line(order_id: str, sku_id: str, product_id: str | None, seller_sku: str | None,
               product_name: str | None, variation: str | None, quantity: int,
               returned: int, unit_price: int, before: int | None, platform: int,
               seller: int, after: int | None, status: str, status_raw: str) -> dict:
    """An ``order_line`` record from its parsed cells: subtotals the export leaves empty are
    derived, and GMV = subtotal before discount - seller discount (DESIGN.md)."""
    if before is None:
        before = unit_price * quantity
    if after is None:
        after = before - platform - seller
    return {
        "order_id": order_id, "sku_id": sku_id, "product_id": product_id,
        "seller_sku": seller_sku, "product_name": product_name, "variation": variation,
        "quantity": quantity, "returned_units": returned,
        "unit_original_price_cents": unit_price, "subtotal_before_cents": before,
        "platform_discount_cents": platform, "seller_discount_cents": seller,
        "subtotal_after_cents": after, "gmv_cents": before - seller,
        "status": status, "status_raw": status_raw,
        "is_cancelled": int(status == "cancelled"),
    }


def parse_orders(table: SourceTable, timezone: str,
                 progress: Callable[[int], None] | None = None, *,
                 date_order: str | None = None) -> ParsedOrders:
    """Read every data row of an orders export ``table`` with times in ``timezone``.

    Returns the orders (each a dict of ``orders`` columns with a ``lines`` list of
    ``order_line`` column dicts), products, SKUs, counts and the problems of rejected rows.
    ``progress`` is called with the number of rows read every 5,000 rows. ``date_order``:
    the file's slash-date order when already decided from all its dates (else the rows
    decide it as they are read). Raises ``FileRejected`` when the order cannot be told.
    """
    with paused_cyclic_gc():
        return _parse_orders(table, timezone, progress, date_order)


def _parse_orders(table: SourceTable, timezone: str,
                  progress: Callable[[int], None] | None,
                  date_order: str | None = None) -> ParsedOrders:
    collector = OrderCollector()
    reader = _OrderRowReader(table.columns, timezone, table.locale)
    order_position = reader.order_index
    category_index = reader.catalog_indexes[3]
    state = {"last_order_cell": None, "first_row": True, "rows_read": 0}

    def handle(line: int, cells: list[object] | None) -> None:
        if cells is None:  # a repeated header: another export pasted below the first
            table.skipped.append(f"line {line} (repeated header)")
            state["last_order_cell"], state["first_row"] = None, True
            return
        order_cell = cells[order_position]
        if state["first_row"]:
            state["first_row"] = False
            if is_description_row(order_cell):
                table.skipped.append(f"line {line} (field descriptions)")
                return
        state["rows_read"] += 1
        if progress and state["rows_read"] % 5000 == 0:
            progress(state["rows_read"])
        # Order-level cells repeat on every line of an order: read them on its first line.
        last = state["last_order_cell"]
        repeat = last is not None and order_cell == last
        try:
            order, line_row, notes = reader.read(line, cells, not repeat)
        except _RowError as error:
            collector.result.quarantined_rows += 1
            collector.result.problems.extend(error.problems)
            return
        collector.add(order, line_row, notes, repeat, clean(cells[category_index]) or None)
        state["last_order_cell"] = order_cell

    # Until the file shows a date that reads both ways (01/11/2026), any order reads it
    # right; from then on rows wait until a date settles the order (dates.slash_order),
    # which in a real export one of the next rows does.
    provisional = date_order or table.locale.date_order or MONTH_FIRST
    reader.use_order(provisional)
    finder = _OrderFinder(reader.time_indexes)
    finder.order = date_order
    pending: list[tuple[int, list[object] | None]] = []
    for line, cells in table.rows:
        cells = None if cells is None else reader.fit(cells)
        if finder.order is None:
            if cells is not None and finder.see(cells):
                if finder.order != provisional:
                    reader.use_order(finder.order)
                for waiting in pending:
                    handle(*waiting)
                pending.clear()
            elif finder.ambiguous is not None:
                pending.append((line, cells))
                continue
        handle(line, cells)
    if pending:
        try:
            order = undecided_order(finder.ambiguous, table.locale.date_order)
        except DateOrderUnknown as error:
            raise FileRejected(f"The order times cannot be read: {error}.") from error
        if order != provisional:
            reader.use_order(order)
        for waiting in pending:
            handle(*waiting)
    return collector.finish(state["rows_read"])


class _OrderFinder:
    """Watches rows' time cells for a date that settles the file's slash-date order."""

    def __init__(self, indexes: tuple[int, ...]):
        self.indexes = indexes
        self.order: str | None = None
        self.ambiguous: str | None = None

    def see(self, cells: list[object]) -> str | None:
        for index in self.indexes:
            proven, unsure = date_proof(cells[index])
            if proven:
                self.order = proven
                return proven
            self.ambiguous = self.ambiguous or unsure
        return None


class OrderCollector:
    """Gathers a file's rows, once read, into orders (with their lines), products and SKUs.

    Rows come in file order; ``repeat`` says a row continues the order of the row before.
    """

    def __init__(self) -> None:
        self.result = ParsedOrders()
        self.dst_notes: dict[str, int] = {}

    def add(self, order: dict | None, line_row: dict, notes, repeat: bool,
            category: str | None) -> None:
        for header, note in notes:
            text = f"in {header} {note}"
            self.dst_notes[text] = self.dst_notes.get(text, 0) + 1
        result = self.result
        order_id = line_row["order_id"]
        stored = result.orders.get(order_id)
        if stored is not None and not repeat:
            result.notes.append(f"Order {order_id} appears twice in the file; "
                                "its later rows were kept.")
            stored = None
        if stored is None:
            order["lines"] = []
            result.orders[order_id] = stored = order
        line_row["line_no"] = len(stored["lines"]) + 1
        stored["lines"].append(line_row)
        _remember_catalog(result, line_row, category)

    def finish(self, rows_read: int) -> ParsedOrders:
        """The parsed file: notes counted, each order finished (sample flag, hash)."""
        result = self.result
        result.rows_read = rows_read
        for note, count in self.dst_notes.items():
            result.notes.append(f"{plural(count, 'time')} {note}.")
        unknown: dict[str, int] = {}
        for order in result.orders.values():
            for line in order["lines"]:
                if line["status"] == "other":
                    unknown[line["status_raw"]] = unknown.get(line["status_raw"], 0) + 1
            _finish_order(order)
        if unknown:
            result.notes.append(unknown_status_note(unknown))
        paid = [o["paid_utc"] for o in result.orders.values() if o["paid_utc"] is not None]
        result.first_time_utc = min(paid, default=None)
        result.last_time_utc = max(paid, default=None)
        return result


def _cancel_unknown_statuses(order: dict, lines: list[dict]) -> None:
    """An unknown status of an order the cancellation columns mark cancelled reads as
    cancelled (so its lines count as refunds); known statuses stay as they are."""
    if order["status"] == "other":
        order["status"] = "cancelled"
    for line in lines:
        if line["status"] == "other":
            line["status"], line["is_cancelled"] = "cancelled", 1


def is_description_row(order_cell: object) -> bool:
    order_cell = clean(order_cell)
    if order_cell in DESCRIPTION_ROW_TEXTS.values():
        return True
    # Another language's description row: a sentence where an ID belongs.
    return " " in order_cell and order_cell.endswith(".") and not order_cell[:1].isdigit()


def _remember_catalog(result: ParsedOrders, line_row: dict, category: str | None) -> None:
    """Products and SKUs as the file's last line naming them has them (a new dict only
    when that differs from what is remembered: most lines repeat a known SKU)."""
    product_id, name = line_row["product_id"], line_row["product_name"]
    if product_id:
        known = result.products.get(product_id)
        if known is None or known["name"] != name or known["category"] != category:
            result.products[product_id] = {"product_id": product_id, "name": name,
                                           "category": category}
    sku = {"sku_id": line_row["sku_id"], "product_id": product_id,
           "seller_sku": line_row["seller_sku"], "product_name": name,
           "variation": line_row["variation"]}
    if result.skus.get(sku["sku_id"]) != sku:
        result.skus[sku["sku_id"]] = sku


def unknown_status_note(counts: dict[str, int]) -> str:
    """The import report's warning about ``Order Status`` words of no known market."""
    listed = ", ".join(f"{raw or '(empty)'!r} ({count} line(s))" for raw, count
                       in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return (f"Warning: order statuses not recognised in any market: {listed}. They count as "
            "paid, not cancelled, unless Cancelation/Return Type says Cancel or a Cancelled "
            "Time is filled; tell us the words so they can be added to the markets table.")


def _finish_order(order: dict) -> None:
    """Derive what needs all lines: sample flag, latest event, content hash."""
    lines = order.pop("lines")
    if cancelled_by_columns(order["cancel_return_type"], order["cancelled_utc"]):
        _cancel_unknown_statuses(order, lines)
    if len(lines) == 1:  # most orders: no generators to set up
        only = lines[0]
        is_sample = int(only["subtotal_before_cents"] > 0 and only["gmv_cents"] <= 0)
    else:
        before = sum(line["subtotal_before_cents"] for line in lines)
        # A free creator sample: products 100% paid by the seller's discount.
        is_sample = int(before > 0 and all(line["gmv_cents"] <= 0 for line in lines))
    order["is_sample"] = is_sample
    paid = order["paid_utc"] if order["status"] != "unpaid" else None
    order["paid_utc"] = paid
    buyer_key = order["buyer_key"]
    for line in lines:
        line["paid_utc"], line["is_sample"], line["buyer_key"] = paid, is_sample, buyer_key
    events = [order[c] for c in _TIME_COLUMNS if order[c] is not None]
    order["last_event_utc"] = max(events) if events else None
    # Dicts are built in a fixed key order (ORDER_CONTENT, LINE_CONTENT), so their values
    # in order identify the content.
    order["content_hash"] = content_hash(tuple(order.values()),
                                         [tuple(line.values()) for line in lines])
    order["lines"] = lines


# The values an order's content hash covers, in order: the order's, then each line's.
ORDER_CONTENT = ("order_id", "status", "status_raw", "buyer_key", *TIME_FIELDS.values(),
                 *ORDER_MONEY.values(), *ORDER_TEXT.values(), "is_sample", "last_event_utc")
LINE_CONTENT = ("order_id", "sku_id", "product_id", "seller_sku", "product_name", "variation",
                "quantity", "returned_units", "unit_original_price_cents",
                "subtotal_before_cents", "platform_discount_cents", "seller_discount_cents",
                "subtotal_after_cents", "gmv_cents", "status", "status_raw", "is_cancelled",
                "line_no", "paid_utc", "is_sample", "buyer_key")
