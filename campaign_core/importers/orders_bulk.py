"""Bulk reading of a large orders export: Arrow's CSV reader and whole-column parsing.

A season's "All order" export holds a million lines. Read cell by cell in Python it takes
minutes; Arrow's CSV reader splits it into columns block by block in a second or two. The
columns are cut into chunks of whole orders (``BulkReading.chunks``, ``CHUNK_LINES`` lines
or a little more), and each chunk's columns are parsed once per distinct text by the very
parsers the row reader uses (prices, SKUs and statuses repeat across a file; times are
resolved once per local hour, as the row reader does), so every value is the row reader's
value. An import writes each chunk before the next is read (``pipeline._import_in_chunks``),
so its memory holds one chunk, whatever the file's size.

Whatever this path cannot read exactly (a cell a parser rejects, a quantity that cannot be
stored, a row of another width, a repeated header, a text encoding other than UTF-8, an
order whose lines are apart) makes it give up with ``NotBulkReadable``, at whichever chunk
that shows: the caller then drops what the chunks gave (the import rolls its savepoint
back) and the row reader reads the file again and reports each problem with its file line.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from campaign_core.formatting import plural
from campaign_core.importers.dates import DateOrderUnknown, slash_order
from campaign_core.importers.headers import normalise_header
from campaign_core.importers.orders import (
    LINE_CONTENT,
    LINE_FIELDS,
    ORDER_CONTENT,
    ORDER_MONEY,
    ORDER_TEXT,
    TIME_FIELDS,
    ParsedOrders,
    TimeReader,
    is_description_row,
    line_parsers,
    parse_orders,
    quantities_readable,
    remembering,
    unknown_status_note,
)
from campaign_core.importers.parsed import ParsedFile
from campaign_core.importers.reading import SourceTable, open_source
from campaign_core.importers.values import (
    PADDING,
    CellError,
    money_parser,
)
from campaign_core.markets.statuses import cancelled_by_columns, normalise_status
from campaign_core.memory import paused_cyclic_gc
from campaign_core.order_hash import content_hash

_LOG = logging.getLogger(__name__)
# Below this many lines the row reader is as quick as setting up Arrow.
BULK_MIN_ROWS = 20_000
# Lines per chunk of an import: a chunk's Python values (a few hundred bytes a line) are
# what the import holds in memory, whatever the file's size.
CHUNK_LINES = 50_000
_HINT_CHUNK_LINES = 200_000
_BLOCK_BYTES = 1 << 20  # Arrow reads ahead some 30 blocks: about 2,000 lines a block
# A narrower orders.SECONDS_TIME in RE2 (Arrow's regex engine): no colon before the hour,
# ASCII digits and spaces only. A time it misses is parsed exactly instead: the same value.
_SECONDS_TIME = r"^[^:]*\d:[0-5]\d:[0-5]\d(\s*[AaPp]\.?[Mm]\.?)?$"
_DIGITS_ID = r"^[0-9]{1,32}$"
_AM_PM = r"\d\s*[AaPp]\.?[Mm]\.?\s*$"  # dates._AM_PM in RE2
_TEXT_FIELDS = ("status", "buyer_username", "buyer_nickname", "seller_sku", "product_name",
                "variation", "product_category", *ORDER_TEXT)



class NotBulkReadable(Exception):
    """The file needs the row-by-row reader; the message says why (for the log)."""


def bulk_readable(table: SourceTable, min_rows: int = BULK_MIN_ROWS) -> bool:
    """Whether ``table`` is a UTF-8 delimited file large enough to be worth reading in bulk."""
    return (table.path is not None and table.delimiter is not None
            and table.encoding in ("utf-8-sig", "utf-8") and bool(table.header)
            and (table.estimated_rows or 0) >= min_rows)


def parse_orders_bulk(table: SourceTable, timezone: str,
                      progress: Callable[[int], None] | None = None) -> BulkOrders:
    """``parse_orders`` for a ``bulk_readable`` table, with the same result.

    Raises ``NotBulkReadable`` when any row needs the row reader; ``table.rows`` may then be
    partly read, so the caller opens the file again.
    """
    reading = BulkReading(table, timezone, progress)
    chunks = list(reading.chunks(None))
    result = chunks[0] if chunks else BulkOrders()
    reading.finish(result)
    return result


class BulkReading:
    """One file read in bulk, chunk by chunk (``chunks``): each chunk a ``BulkOrders`` of
    whole orders, in file order. What depends on the whole file is kept here across chunks:
    the slash-date order (every chunk read with the order all dates so far decide; a later
    chunk that would decide otherwise makes the reading give way), the times' hour cache,
    DST notes and unknown statuses (``finish`` adds their notes).

    An order's lines never straddle two chunks; an order whose lines come again in a later
    chunk is for the caller to notice (the store's key does).
    """

    def __init__(self, table: SourceTable, timezone: str,
                 progress: Callable[[int], None] | None = None):
        self.table, self.timezone, self.progress = table, timezone, progress
        self.first_chunk = True
        self.days: set[str] = set()
        self.date_order: str | None = None
        self.time_reader: TimeReader | None = None
        self.dst_notes: dict[str, int] = {}
        self.unknown: dict[str, int] = {}
        self.rows_read = 0
        self.seen = np.empty(0, dtype=np.int64)
        self.first_time_utc: int | None = None
        self.last_time_utc: int | None = None

    def chunks(self, chunk_lines: int | None) -> Iterator[BulkOrders]:
        """The file's orders in chunks of at least ``chunk_lines`` lines (the last one may
        be smaller; None: the whole file at once). Raises ``NotBulkReadable`` at the chunk
        where the file turns out to need the row reader."""
        with paused_cyclic_gc():
            for columns in _column_chunks(self.table, chunk_lines):
                chunk = _gather(self, columns)
                if not chunk.order_count:  # the field descriptions alone
                    continue
                self.rows_read += chunk.rows_read
                for bound, pick in (("first_time_utc", min), ("last_time_utc", max)):
                    value = getattr(chunk, bound)
                    if value is not None:
                        known = getattr(self, bound)
                        setattr(self, bound, value if known is None else pick(known, value))
                if self.progress:
                    self.progress(self.rows_read)
                yield chunk

    def finish(self, result: ParsedFile) -> None:
        """Give ``result`` the whole file's counts, notes and paid-time bounds."""
        result.rows_read = self.rows_read
        result.first_time_utc, result.last_time_utc = self.first_time_utc, self.last_time_utc
        result.notes.extend(f"{plural(count, 'time')} {note}."
                            for note, count in self.dst_notes.items())
        if self.unknown:
            result.notes.append(unknown_status_note(self.unknown))

    def see_orders(self, order_ids: list[str]) -> None:
        """Give way when an order of this chunk was in an earlier one (its lines are apart:
        the row reader keeps the later ones and says so). The earlier orders are kept as
        64-bit hashes, sorted: a few megabytes for a season; a collision only costs the
        row reader's time."""
        hashes = np.sort(np.fromiter(map(hash, order_ids), dtype=np.int64,
                                     count=len(order_ids)))
        seen = self.seen
        if len(seen):
            places = np.minimum(np.searchsorted(seen, hashes), len(seen) - 1)
            if (seen[places] == hashes).any():
                raise NotBulkReadable("an order's lines are not next to each other")
        # Two sorted runs: a stable sort merges them in linear time.
        self.seen = np.sort(np.concatenate((seen, hashes)), kind="stable")

    def use_dates(self, columns: dict[int, pa.Array]) -> TimeReader:
        """The time reader for a chunk: the date order all dates so far decide."""
        self.days.update(_day_texts(self.table, columns))
        try:
            order = slash_order(self.days, self.table.locale.date_order)
        except DateOrderUnknown as error:
            raise NotBulkReadable(str(error)) from error
        if self.time_reader is None:
            self.date_order, self.time_reader = order, TimeReader(self.timezone, order)
        elif order != self.date_order:
            raise NotBulkReadable("a later chunk's dates decide the date order otherwise")
        return self.time_reader


def _needed_columns(table: SourceTable) -> list[int]:
    positions = table.columns.positions
    return sorted({positions[name] for name in (*(f[0] for f in LINE_FIELDS), *TIME_FIELDS,
                                                *ORDER_MONEY, *_TEXT_FIELDS)
                   if name in positions})


def _column_chunks(table: SourceTable, chunk_lines: int | None
                   ) -> Iterator[dict[int, pa.Array]]:
    """The columns the parser needs, as text, by column index, in chunks of whole orders
    (an order's lines are the rows of one Order ID text in a row) of at least
    ``chunk_lines`` rows; the header row is checked and left out. Arrow reads the file
    block by block, so only a chunk and a block are in memory at a time."""
    needed = _needed_columns(table)
    names = [f"c{index}" for index in range(len(table.header))]
    order_name = names[table.columns.positions["order_id"]]
    wrong_width: list[int] = []

    def on_invalid_row(row) -> str:
        wrong_width.append(row.number)
        return "skip"

    def checked_width() -> None:
        if wrong_width:
            raise NotBulkReadable(
                f"{plural(len(wrong_width), 'row')} with another number of cells")

    try:
        reader = pacsv.open_csv(
            table.path,
            read_options=pacsv.ReadOptions(skip_rows=table.header_line - 1, column_names=names,
                                           block_size=_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=table.delimiter,
                                             newlines_in_values=True,
                                             invalid_row_handler=on_invalid_row),
            convert_options=pacsv.ConvertOptions(
                column_types={names[i]: pa.string() for i in needed},
                include_columns=[names[i] for i in needed], strings_can_be_null=False))
    except (pa.ArrowException, ValueError, OSError) as error:
        raise NotBulkReadable(f"Arrow cannot read the file: {error}") from error
    pending: list[pa.RecordBatch] = []
    pending_rows = 0
    header_seen = False
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except (pa.ArrowException, ValueError, OSError) as error:
            raise NotBulkReadable(f"Arrow cannot read the file: {error}") from error
        checked_width()
        if not header_seen and batch.num_rows:
            _check_header(table, batch, needed, names)
            header_seen, batch = True, batch.slice(1)
        pending.append(batch)
        pending_rows += batch.num_rows
        while chunk_lines and pending_rows > chunk_lines:
            rows = pa.Table.from_batches(pending)
            cut = _next_order_start(rows.column(order_name), chunk_lines)
            if cut is None:  # the last order may go on in the next block
                break
            yield {index: rows.column(names[index]).slice(0, cut).combine_chunks()
                   for index in needed}
            rest = rows.slice(cut)
            pending, pending_rows = rest.to_batches(), rest.num_rows
    checked_width()
    if not header_seen:
        raise NotBulkReadable("the header row is not where the row reader found it")
    if pending_rows:
        rows = pa.Table.from_batches(pending)
        yield {index: rows.column(names[index]).combine_chunks() for index in needed}


def _check_header(table: SourceTable, batch: pa.RecordBatch, needed: list[int],
                  names: list[str]) -> None:
    """Arrow must have started at the header row."""
    for index in needed:
        if normalise_header(batch.column(names[index])[0].as_py()) \
                != normalise_header(table.header[index]):
            raise NotBulkReadable("the header row is not where the row reader found it")


def _next_order_start(order_ids: pa.ChunkedArray, at_least: int) -> int | None:
    """The first row from ``at_least`` on that starts another order, if the rows show one."""
    rows = len(order_ids)
    if rows <= at_least:
        return None
    changed = pc.not_equal(order_ids.slice(at_least), order_ids.slice(at_least - 1,
                                                                         rows - at_least))
    found = np.flatnonzero(changed.to_numpy() if isinstance(changed, pa.Array)
                           else np.concatenate([c.to_numpy(zero_copy_only=False)
                                                for c in changed.chunks]))
    return at_least + int(found[0]) if len(found) else None


@dataclass
class BulkOrders(ParsedFile):
    """An orders export read in bulk, by column, in file order.

    ``orders`` maps each ``ORDER_CONTENT`` column, ``content_hash`` and ``order_id`` to one
    value per order; ``lines`` each ``LINE_CONTENT`` column to one value per line;
    ``order_lines[k]`` is the slice of ``lines`` that holds order k's lines. Products and
    SKUs are as in ``ParsedOrders``.
    """

    orders: dict[str, list] = field(default_factory=dict)
    lines: dict[str, list] = field(default_factory=dict)
    order_lines: list[slice] = field(default_factory=list)
    products: dict[str, dict] = field(default_factory=dict)
    skus: dict[str, dict] = field(default_factory=dict)

    @property
    def order_count(self) -> int:
        return len(self.order_lines)


def _gather(reading: BulkReading, columns: dict[int, pa.Array]) -> BulkOrders:
    """One chunk of whole orders (``columns`` by index, without the header row)."""
    table = reading.table
    positions = table.columns.positions
    order_index = positions["order_id"]
    if reading.first_chunk:
        reading.first_chunk = False
        line, first_cells = _first_data_row(table)
        for index, column in columns.items():  # the same first row as the row reader's
            if column[0].as_py() != (first_cells[index] if index < len(first_cells)
                                     else None):
                raise NotBulkReadable("Arrow and the row reader disagree on the first row")
        if is_description_row(first_cells[order_index]):
            table.skipped.append(f"line {line} (field descriptions)")
            columns = {index: column.slice(1) for index, column in columns.items()}
    rows = len(columns[order_index])
    if rows == 0:
        return BulkOrders()
    # An order's lines follow each other; order-level cells are read on its first line.
    raw_orders = columns[order_index]
    first = np.ones(rows, dtype=bool)
    if rows > 1:
        first[1:] = ~pc.equal(raw_orders.slice(1), raw_orders.slice(0, rows - 1)).to_numpy(
            zero_copy_only=False)
    starts = np.flatnonzero(first)
    order_of_line = np.cumsum(first) - 1
    starts_array = pa.array(starts)
    firsts = {index: column.take(starts_array) for index, column in columns.items()}

    def line_column(name: str) -> pa.Array | None:
        return columns[positions[name]] if name in positions else None

    def order_column(name: str) -> pa.Array | None:
        return firsts[positions[name]] if name in positions else None

    lines: dict[str, list] = {}
    for name, parser, options, default in line_parsers(table.locale.style):
        lines[name] = _parsed(line_column(name), rows, remembering(parser, **options), default,
                              name == "order_id")
    quantities, returns = lines.pop("quantity"), lines.pop("returned_units")
    if not all(map(quantities_readable, quantities, returns)):
        raise NotBulkReadable("a line's quantity cannot be stored")
    order_ids = [lines["order_id"][k] for k in starts.tolist()]
    if len(set(order_ids)) != len(order_ids):
        raise NotBulkReadable("an order's lines are not next to each other")
    reading.see_orders(order_ids)
    texts = {name: _texts(line_column(name), rows) for name in
             ("status", "seller_sku", "product_name", "variation", "product_category")}
    status_raw = [value or "" for value in texts["status"]]
    status_of = {raw: normalise_status(raw) for raw in set(status_raw)}
    statuses = list(map(status_of.__getitem__, status_raw))

    orders: dict[str, list] = {"order_id": order_ids,
                               "status": _take(statuses, starts),
                               "status_raw": _take(status_raw, starts)}
    buyer_names = zip(_texts(order_column("buyer_username"), len(starts)),
                      _texts(order_column("buyer_nickname"), len(starts)), strict=True)
    orders["buyer_key"] = [username or nickname for username, nickname in buyer_names]
    time_reader = reading.use_dates(columns)
    dst_notes = reading.dst_notes
    for name, column in TIME_FIELDS.items():
        orders[column], notes = _times(order_column(name), len(starts), time_reader)
        header = table.columns.headers.get(name, name)
        for note in filter(None, notes or ()):
            text = f"in {header} {note}"
            dst_notes[text] = dst_notes.get(text, 0) + 1
    money = money_parser(table.locale.style)
    for name, column in ORDER_MONEY.items():
        orders[column] = _parsed(order_column(name), len(starts), remembering(money), 0)
    for name, column in ORDER_TEXT.items():
        orders[column] = _texts(order_column(name), len(starts))
    for raw, count in _statuses_by_columns(orders, statuses, status_raw,
                                           order_of_line).items():
        reading.unknown[raw] = reading.unknown.get(raw, 0) + count

    befores = [before if before is not None else price * quantity for before, price, quantity
               in zip(lines["subtotal_before"], lines["unit_original_price"], quantities,
                      strict=True)]
    platforms, sellers = lines["platform_discount"], lines["seller_discount"]
    afters = [after if after is not None else before - platform - seller
              for after, before, platform, seller
              in zip(lines["subtotal_after"], befores, platforms, sellers, strict=True)]
    gmvs = [before - seller for before, seller in zip(befores, sellers, strict=True)]
    try:
        # A free creator sample: products 100% paid by the seller's discount.
        is_sample = ((np.add.reduceat(np.array(befores, dtype=np.int64), starts) > 0)
                     & (np.maximum.reduceat(np.array(gmvs, dtype=np.int64), starts) <= 0))
    except OverflowError as error:
        raise NotBulkReadable("an amount beyond 64-bit integers") from error
    orders["is_sample"] = is_sample.astype(np.int64).tolist()
    orders["paid_utc"] = [None if status == "unpaid" else paid
                          for status, paid in zip(orders["status"], orders["paid_utc"],
                                                  strict=True)]
    latest = np.fmax.reduce([np.array(orders[c], dtype=float) for c in TIME_FIELDS.values()])
    orders["last_event_utc"] = [None if value != value else int(value)
                                for value in latest.tolist()]

    line_orders = order_of_line.tolist()
    record = {
        "order_id": lines["order_id"], "sku_id": lines["sku_id"],
        "product_id": lines["product_id"], "seller_sku": texts["seller_sku"],
        "product_name": texts["product_name"], "variation": texts["variation"],
        "quantity": quantities, "returned_units": returns,
        "unit_original_price_cents": lines["unit_original_price"],
        "subtotal_before_cents": befores, "platform_discount_cents": platforms,
        "seller_discount_cents": sellers, "subtotal_after_cents": afters, "gmv_cents": gmvs,
        "status": statuses, "status_raw": status_raw,
        "is_cancelled": [int(status == "cancelled") for status in statuses],
        "line_no": (np.arange(rows) - starts[order_of_line] + 1).tolist(),
        "paid_utc": _take(orders["paid_utc"], line_orders),
        "is_sample": _take(orders["is_sample"], line_orders),
        "buyer_key": _take(orders["buyer_key"], line_orders),
    }
    ends = [*starts.tolist()[1:], rows]
    order_lines = [slice(begin, end) for begin, end in zip(starts.tolist(), ends, strict=True)]
    line_values = list(zip(*(record[c] for c in LINE_CONTENT), strict=True))
    orders["content_hash"] = [
        content_hash(values, line_values[span])
        for values, span in zip(zip(*(orders[c] for c in ORDER_CONTENT), strict=True),
                                order_lines, strict=True)]
    result = BulkOrders(rows_read=rows, orders=orders, lines=record, order_lines=order_lines)
    _catalog(result, texts["product_category"])
    paid = [instant for instant in orders["paid_utc"] if instant is not None]
    result.first_time_utc, result.last_time_utc = min(paid, default=None), max(paid, default=None)
    return result


def _day_texts(table: SourceTable, columns: dict[int, pa.Array]) -> set[str]:
    """The distinct dates of the time columns' 24-hour cells: what decides the file's
    slash-date order (the row reader decides from the same cells)."""
    texts: set[str] = set()
    for name in TIME_FIELDS:
        if name in table.columns.positions:
            # Every time the parsers accept starts with its date: the distinct first ten
            # characters of the 24-hour cells are all a decision needs (AM/PM ones are US).
            text = pc.utf8_trim(columns[table.columns.positions[name]], PADDING)
            twenty_four_hour = pc.invert(pc.match_substring_regex(text, _AM_PM))
            days = pc.utf8_slice_codeunits(pc.filter(text, twenty_four_hour), 0, 10)
            texts.update(pc.unique(days).to_pylist())
    return texts


def _date_order_hint(table: SourceTable) -> str | None:
    """The file's slash-date order from all its time cells, read by Arrow, for the row
    reader to use from its first row (so that it never holds rows back waiting for a date
    that settles it); None when Arrow cannot read the columns or the dates do not agree."""
    days: set[str] = set()
    try:
        for columns in _column_chunks(table, _HINT_CHUNK_LINES):
            days.update(_day_texts(table, columns))
        return slash_order(days, table.locale.date_order)
    except (NotBulkReadable, DateOrderUnknown):
        return None


def _statuses_by_columns(orders: dict[str, list], statuses: list[str], status_raw: list[str],
                         order_of_line: np.ndarray) -> dict[str, int]:
    """Count the lines of unknown statuses by raw word, then read an unknown status as
    cancelled where the order's cancellation columns say so (as ``orders._finish_order``).
    Changes ``statuses`` (per line) and ``orders["status"]`` in place."""
    unknown: dict[str, int] = {}
    if "other" not in statuses:
        return unknown
    cancelled = [cancelled_by_columns(kind, when) for kind, when
                 in zip(orders["cancel_return_type"], orders["cancelled_utc"], strict=True)]
    for position, order in enumerate(order_of_line.tolist()):
        if statuses[position] == "other":
            raw = status_raw[position]
            unknown[raw] = unknown.get(raw, 0) + 1
            if cancelled[order]:
                statuses[position] = "cancelled"
    order_statuses = orders["status"]
    for order, status in enumerate(order_statuses):
        if status == "other" and cancelled[order]:
            order_statuses[order] = "cancelled"
    return unknown


def _take(values: list, indexes) -> list:
    return list(map(values.__getitem__, indexes))


def _catalog(result: BulkOrders, categories: list[str | None]) -> None:
    """Products and SKUs as the file's last line naming them has them, in the order they
    first appear (as ``orders._remember_catalog``)."""
    lines = result.lines
    products: dict[str, tuple] = {}
    for product_id, name, category in zip(lines["product_id"], lines["product_name"],
                                          categories, strict=True):
        if product_id:
            products[product_id] = (name, category)
    result.products = {product_id: {"product_id": product_id, "name": name,
                                    "category": category}
                       for product_id, (name, category) in products.items()}
    skus: dict[str, tuple] = {}
    for sku in zip(lines["sku_id"], lines["product_id"], lines["seller_sku"],
                   lines["product_name"], lines["variation"], strict=True):
        skus[sku[0]] = sku
    result.skus = {sku[0]: dict(zip(("sku_id", "product_id", "seller_sku", "product_name",
                                     "variation"), sku, strict=True))
                   for sku in skus.values()}


def _first_data_row(table: SourceTable) -> tuple[int, list[object]]:
    try:
        line, cells = next(table.rows)
    except StopIteration as error:
        raise NotBulkReadable("no data rows") from error
    if cells is None:
        raise NotBulkReadable("a repeated header row")
    return line, cells


def _parsed(column: pa.Array | None, rows: int, parse: Callable[[object], object], default,
            plain_ids: bool = False) -> list:
    """Each row's value of ``column`` (``default`` for an empty cell), parsed once per
    distinct text; an absent column reads as the row reader's missing cell (None)."""
    if column is None:
        values = [_checked(parse(None), default)] * rows
        return values
    if plain_ids:
        trimmed = pc.utf8_trim(column, PADDING)
        if pc.all(pc.match_substring_regex(trimmed, _DIGITS_ID)).as_py():
            return trimmed.to_pylist()  # parse_id returns such a cell trimmed, unchanged
    encoded = column.dictionary_encode()
    distinct = [_checked(parse(text), default) for text in encoded.dictionary.to_pylist()]
    return list(map(distinct.__getitem__, encoded.indices.to_numpy().tolist()))


def _checked(value: object, default: object) -> object:
    if type(value) is CellError:
        raise NotBulkReadable(f"a cell the row reader quarantines ({value})")
    return default if value is None else value


def _times(column: pa.Array | None, rows: int,
           reader: TimeReader) -> tuple[list[int | None], list[str | None] | None]:
    """UTC instants of a time column, and each row's DST note (None when there is none)."""
    if column is None:
        return [None] * rows, None
    text = pc.utf8_trim(column, PADDING)
    usual = pc.match_substring_regex(text, _SECONDS_TIME)
    usual_rows = np.flatnonzero(usual.to_numpy(zero_copy_only=False))
    pieces = pc.split_pattern(pc.filter(text, usual), ":")  # hour, minutes, seconds + suffix
    last = pc.list_element(pieces, 2)
    prefix = pc.list_element(pieces, 0).dictionary_encode()
    suffix = pc.utf8_slice_codeunits(last, 2).dictionary_encode()
    # One slot per (hour, suffix) met; hour_start is asked once per slot.
    suffixes = len(suffix.dictionary)
    pairs, slots = np.unique(prefix.indices.to_numpy().astype(np.int64) * suffixes
                             + suffix.indices.to_numpy(), return_inverse=True)
    prefix_texts, suffix_texts = prefix.dictionary.to_pylist(), suffix.dictionary.to_pylist()
    starts = [reader.hour_start(prefix_texts[pair // suffixes], suffix_texts[pair % suffixes])
              for pair in pairs.tolist()]
    start_utc = np.array([s[0] if s else 0 for s in starts], dtype=np.int64)
    start_ok = np.array([s is not None for s in starts], dtype=bool)
    minutes = pc.cast(pc.list_element(pieces, 1), pa.int64()).to_numpy()
    seconds = pc.cast(pc.utf8_slice_codeunits(last, 0, 2), pa.int64()).to_numpy()
    values: list[int | None] = [None] * rows
    instants = (start_utc[slots] + minutes * 60 + seconds).tolist()
    resolved = start_ok[slots]
    for row, instant, done in zip(usual_rows.tolist(), instants, resolved.tolist(),
                                  strict=True):
        if done:
            values[row] = instant
    notes = None
    if any(s and s[1] for s in starts):
        notes = [None] * rows
        for row, slot in zip(usual_rows.tolist(), slots.tolist(), strict=True):
            if starts[slot]:
                notes[row] = starts[slot][1]
    # The rest: empty cells, other formats, hours with a DST change: each text exactly.
    resolved_rows = np.zeros(rows, dtype=bool)
    resolved_rows[usual_rows[resolved]] = True
    rest = np.flatnonzero(~resolved_rows & pc.not_equal(text, "").to_numpy(
        zero_copy_only=False))
    exact: dict[str, object] = {}
    cells = text.take(pa.array(rest)).to_pylist() if len(rest) else []
    for row, cell in zip(rest.tolist(), cells, strict=True):
        if cell not in exact:
            exact[cell] = reader.exact(cell)
        value = exact[cell]
        if type(value) is CellError:
            raise NotBulkReadable(f"a time the row reader quarantines ({value})")
        if value is not None:
            values[row] = value[0]
            if value[1]:
                notes = notes or [None] * rows
                notes[row] = value[1]
    return values, notes


def _texts(column: pa.Array | None, rows: int) -> list[str | None]:
    """``clean(cell) or None`` for each row."""
    if column is None:
        return [None] * rows
    # One Python string per distinct text, shared by its rows: names, SKUs and statuses
    # repeat, and a chunk's memory is mostly its strings.
    encoded = pc.utf8_trim(column, PADDING).dictionary_encode()
    distinct = [text or None for text in encoded.dictionary.to_pylist()]
    return list(map(distinct.__getitem__, encoded.indices.to_numpy().tolist()))


def read_orders(table: SourceTable, timezone: str,
                progress: Callable[[int], None] | None = None, *,
                bulk_min_rows: int | None = None) -> ParsedOrders | BulkOrders:
    """Parse an orders export: in bulk when the file allows it, else row by row.

    Same inputs, result and errors as ``orders.parse_orders``; notes about skipped lines are
    added to ``table.skipped`` either way.
    """
    if bulk_readable(table, BULK_MIN_ROWS if bulk_min_rows is None else bulk_min_rows):
        try:
            return parse_orders_bulk(table, timezone, progress)
        except NotBulkReadable as reason:
            _LOG.info("%s is read row by row: %s", table.file_name, reason)
            return read_rows_again(table, timezone, progress)
    return parse_orders(table, timezone, progress)


def read_rows_again(table: SourceTable, timezone: str,
                    progress: Callable[[int], None] | None = None) -> ParsedOrders:
    """The row reader on a file the bulk reader gave way on (``table`` may be partly read:
    the file is opened again); ``table.skipped`` becomes the row reader's."""
    fresh = open_source(table.path, table.file_name)
    fresh.locale = table.locale
    parsed = parse_orders(fresh, timezone, progress, date_order=_date_order_hint(fresh))
    table.skipped[:] = fresh.skipped
    return parsed
