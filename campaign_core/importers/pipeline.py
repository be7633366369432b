"""Import one export file into the store: read, detect, parse, then one transaction.

This is the single path every file takes, from the command line, the Import page, the demo
and the tests. A file is stored whole or not at all; its unreadable rows are kept in the
quarantine table with file line, column, raw value and reason; every attempt, rejected
ones included, is written to the import log.

Files come from outside and may be broken or hostile: whatever the bytes, ``import_file``
returns a report (status "rejected" with a message) and leaves the store as it was; it never
raises because of a file's content.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from campaign_core.importers import ecb_rates, orders_bulk
from campaign_core.importers.ecb_rates import is_ecb_file
from campaign_core.importers.file_currency import file_currency, locale_for
from campaign_core.importers.handlers import HANDLERS, KindHandler
from campaign_core.importers.kinds import ExportKind
from campaign_core.importers.orders import ParsedOrders, export_stamp
from campaign_core.importers.orders_bulk import (
    BulkOrders,
    BulkReading,
    NotBulkReadable,
    bulk_readable,
    read_rows_again,
)
from campaign_core.importers.parsed import ParsedFile, Problem, RecordCounts
from campaign_core.importers.reading import (
    FileRejected,
    SourceTable,
    check_file_size,
    max_import_mb,
    open_source,
)
from campaign_core.store import audit
from campaign_core.store.connection import read_connection, write_transaction
from campaign_core.store.errors import StoreError
from campaign_core.store.fx_rates import existing_rates, save_rates
from campaign_core.store.orders_writer import ChunkedOrderWriter, upsert_catalog
from campaign_core.store.schema import migrate
from campaign_core.store.shops import (
    DEFAULT_TIMEZONE,
    Shop,
    currency_of_zone,
    find_shop,
    list_shops,
    resolve_shop,
    shop_has_orders,
    validate_timezone,
)

Progress = Callable[[float, str], None]
# Kinds whose rows carry their own currency (an ad account billed in USD for an IDR shop, a
# supplier's cost in CNY): neither refused for it nor giving the shop its currency.
ROW_CURRENCY_KINDS = frozenset({"gmv_max_campaign", "gmv_max_creative", "ads_manager",
                                "product_costs"})
_LOG = logging.getLogger(__name__)
# Parsed values SQLite cannot store (an integer over 2^63, a lone surrogate from a JSON
# escape): the file's fault, so its import is rejected. Other store errors propagate.
_UNSTORABLE = (OverflowError, UnicodeError, sqlite3.IntegrityError, sqlite3.DataError)


@dataclass
class ImportReport:
    """What happened to one file (or, with ``dry_run``, what would happen)."""

    file_name: str
    status: str  # "imported", "rejected" or "preview"
    kind: str | None = None
    kind_label: str | None = None
    message: str = ""
    rows_read: int = 0
    rows_stored: int = 0
    rows_quarantined: int = 0
    lines_written: int = 0
    records: RecordCounts = field(default_factory=RecordCounts)  # orders, for orders exports
    first_paid_utc: int | None = None
    last_paid_utc: int | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Stored, but not a plain success: every key measure empty, orders paid after now...
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""
    import_id: int | None = None
    timezone: str | None = None
    currency: str | None = None  # the currency the file's figures were read in
    error_type: str | None = None  # the exception behind an unexpected rejection (a bug?)

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    def summary_line(self) -> str:
        """The command line's one line per file."""
        if not self.ok:
            return f"{self.file_name}: rejected: {' '.join(self.message.splitlines())}"
        return (f"{self.file_name}: kind={self.kind} read={self.rows_read} "
                f"stored={self.rows_stored} new={self.records.new} "
                f"updated={self.records.updated} unchanged={self.records.unchanged} "
                f"kept_newer={self.records.kept_newer} quarantined={self.rows_quarantined}"
                + "".join(f" WARNING: {warning}" for warning in self.warnings))

    def log_message(self) -> str:
        """What the import log says of the file: the rejection, else warnings and notes."""
        return self.message or " ".join(
            [f"WARNING: {warning}" for warning in self.warnings] + self.notes)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(4 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(db_path: Path | str, path: Path | str, *, file_name: str | None = None,
                shop_name: str | None = None, timezone: str | None = None,
                dry_run: bool = False, progress: Progress | None = None,
                now_utc: int | None = None, chunk_lines: int | None = None) -> ImportReport:
    """Import the export at ``path`` into the store at ``db_path``.

    ``file_name`` is the name to log (an upload's original name); ``shop_name`` and
    ``timezone`` pick or create the shop as the command line's ``--shop``/``--timezone``
    do; times in the file are read in ``timezone``, else the shop's. With ``dry_run``
    nothing is written and the report says what an import would do. Orders paid after
    ``now_utc`` (default: the clock) are stored, and ``warnings`` says how many and why.
    A large orders export is read, parsed and written in chunks of whole orders of about
    ``chunk_lines`` lines (default ``orders_bulk.CHUNK_LINES``) inside the one transaction.
    Never raises for a bad file, whatever its bytes: the report's ``status`` is "rejected"
    with a message (an unexpected exception's type is in ``error_type``, and logged).
    Raises ``ValueError`` for an unknown timezone, an ambiguous shop or a size cap
    (``CAMPAIGN_MAX_IMPORT_MB``) that is not a positive number.
    """
    path = Path(path)
    file_name = file_name or path.name
    report = ImportReport(file_name, "preview" if dry_run else "imported")
    started = int(time.time())
    # Checked here: a bad zone or cap is the caller's error, not the file's (see the except
    # below, which turns any exception into a rejection of the file).
    zone = validate_timezone(timezone or _shop_timezone(db_path, shop_name))
    report.timezone = zone
    cap_mb = max_import_mb()

    def reject(message: str) -> ImportReport:
        return _reject(db_path, report, message, shop_name, timezone, started, dry_run)

    if is_ecb_file(path):  # exchange rates, not an export: their own reader and table
        return _import_ecb_rates(db_path, path, report, started, dry_run, reject)
    try:
        check_file_size(path, cap_mb)  # before the checksum, which reads the whole file
        report.sha256 = file_sha256(path)
        table, handler = _open(report, path, zone, _existing_shop(db_path, shop_name))
        chunked = not dry_run and table.kind.name == "orders" \
            and bulk_readable(table, orders_bulk.BULK_MIN_ROWS)
        if not chunked:
            parsed = _parse(table, handler, zone, progress)
    except FileRejected as error:
        return reject(str(error))
    except Exception as error:  # a reader or parser bug, or a library choking on the file
        return reject(_unexpected(report, "could not be read", error))
    if chunked:
        try:
            _import_in_chunks(db_path, report, table, handler, zone, shop_name, timezone,
                              started, progress,
                              int(time.time()) if now_utc is None else now_utc, chunk_lines)
        except FileRejected as error:
            return reject(str(error))
        except _Unreadable as error:
            return reject(_unexpected(report, "could not be read", error.__cause__))
        except _UNSTORABLE as error:  # rolled back: the store is unchanged
            return reject(_unexpected(report, "could not be stored", error))
        if progress:
            progress(1.0, "Done")
        return report
    _fill_from_parse(report, parsed, table.skipped)
    report.warnings = blank_measures_warnings(table)
    _warn_future_paid(report, parsed, int(time.time()) if now_utc is None else now_utc)
    stamp = export_stamp(file_name)
    if progress:
        progress(0.85, "Writing to the store")
    try:
        if dry_run:
            report.records = _preview_counts(db_path, shop_name, table.kind, handler, parsed,
                                             stamp)
            _refresh_row_counts(report, parsed)
            return report
        waiting = (lambda: progress(0.85, "Waiting for another import to finish")) \
            if progress else None
        _write(db_path, report, table.kind, handler, parsed, stamp, shop_name, timezone,
               started, waiting)
    except _UNSTORABLE as error:  # the transaction was rolled back: the store is unchanged
        return reject(_unexpected(report, "could not be stored", error))
    if progress:
        progress(1.0, "Done")
    return report


def _read_and_parse(report: ImportReport, path: Path, zone: str, progress: Progress | None,
                    shop: tuple[Shop | None, bool] = (None, False)
                    ) -> tuple[SourceTable, KindHandler, ParsedFile]:
    """Read and parse the whole file in the currency and date order of the file or of
    ``shop`` (the shop it goes into, if it exists, and whether it holds orders); nothing is
    written. Raises ``FileRejected``, also for a file in another currency than a shop
    that already holds orders."""
    table, handler = _open(report, path, zone, shop)
    return table, handler, _parse(table, handler, zone, progress)


def _open(report: ImportReport, path: Path, zone: str,
          shop: tuple[Shop | None, bool] = (None, False)) -> tuple[SourceTable, KindHandler]:
    """The file opened, its kind detected and its currency and locale decided (see
    ``_read_and_parse``); no data row is parsed yet."""
    table = open_source(path, report.file_name)
    report.kind, report.kind_label = table.kind.name, table.kind.label
    report.currency = _currency_for(table, zone, *shop)
    table.locale = locale_for(report.currency, zone,
                              signs_checked=table.kind.name not in ROW_CURRENCY_KINDS)
    return table, HANDLERS[table.kind.name]


def _parse(table: SourceTable, handler: KindHandler, zone: str,
           progress: Progress | None) -> ParsedFile:
    parsed = handler.parse(table, zone, _row_progress(progress, table.estimated_rows))
    _check_rows(table, parsed)
    return parsed


def _check_rows(table: SourceTable, parsed: ParsedFile) -> None:
    if parsed.rows_read == 0:
        raise FileRejected(f"The file has a header but no {table.kind.row_noun} rows.")


class _Unreadable(Exception):
    """A reader or parser failed unexpectedly during a chunked import (the cause is the
    error); the import is rejected as unreadable, as when the file is parsed before."""


def _import_in_chunks(db_path: Path | str, report: ImportReport, table: SourceTable,
                      handler: KindHandler, zone: str, shop_name: str | None,
                      timezone: str | None, started: int, progress: Progress | None,
                      now_utc: int, chunk_lines: int | None) -> None:
    """A large orders export read, parsed and written chunk by chunk inside one
    transaction, so that memory holds one chunk, whatever the file's size.

    Where the file turns out to need the row reader (at any chunk), what the chunks wrote is
    rolled back to a savepoint and the row reader reads the whole file in the same
    transaction: the result is the row reader's, problems (file line, column, value,
    reason) included. Raises ``FileRejected``, ``_Unreadable`` or a store error; the
    transaction is then rolled back whole."""
    stamp = export_stamp(report.file_name)
    if progress:
        progress(0.0, "Reading and writing in chunks")
    waiting = (lambda: progress(0.0, "Waiting for another import to finish")) \
        if progress else None
    with write_transaction(db_path, on_wait=waiting) as conn:
        shop_id = _shop_for_write(conn, report, table.kind, shop_name, timezone)
        shop_notes = list(report.notes)
        import_id = _start_log(conn, report, shop_id, started)
        parsed, counts, written = _write_chunks(conn, table, handler, zone, stamp, shop_id,
                                                import_id, progress, now_utc, chunk_lines)
        _check_rows(table, parsed)
        _fill_from_parse(report, parsed, table.skipped)
        report.notes.extend(shop_notes)
        report.warnings = blank_measures_warnings(table)
        _warn_future_paid(report, parsed, now_utc)
        report.lines_written = written
        _close_import(conn, report, shop_id, import_id, counts, parsed)


def _write_chunks(conn: sqlite3.Connection, table: SourceTable, handler: KindHandler,
                  zone: str, stamp: str | None, shop_id: int, import_id: int,
                  progress: Progress | None, now_utc: int, chunk_lines: int | None
                  ) -> tuple[ParsedFile, RecordCounts, int]:
    """The chunks of ``_import_in_chunks``: the whole file's parse figures (no orders
    kept), the record counts and the lines written."""
    reading = BulkReading(table, zone, _row_progress(progress, table.estimated_rows))
    late_paid: list[int] = []
    conn.execute("SAVEPOINT orders_in_chunks")
    try:
        with ChunkedOrderWriter(conn, shop_id, import_id, stamp,
                                table.estimated_rows or 0) as writer:
            for chunk in _guarded(reading.chunks(chunk_lines or orders_bulk.CHUNK_LINES)):
                writer.add(chunk)
                upsert_catalog(conn, shop_id, chunk.products.values(), chunk.skus.values())
                late_paid.extend(paid for paid in chunk.orders["paid_utc"]
                                 if paid is not None and paid > now_utc)
                # Let the chunk go before the next one is read, and before the indexes are
                # built when the writer ends (the loop variable would hold the last one).
                del chunk
    except NotBulkReadable as reason:
        conn.execute("ROLLBACK TO orders_in_chunks")
        conn.execute("RELEASE orders_in_chunks")
        _LOG.info("%s is read row by row: %s", table.file_name, reason)
        parsed = _guarded_call(read_rows_again, table, zone,
                               _row_progress(progress, table.estimated_rows))
        _check_rows(table, parsed)
        counts, plan = handler.classify(conn, shop_id, parsed, stamp)
        return parsed, counts, handler.write(conn, shop_id, import_id, parsed, plan)
    conn.execute("RELEASE orders_in_chunks")
    # Only the orders paid after now matter to the warning (``_warn_future_paid``).
    summary = BulkOrders(orders={"paid_utc": late_paid})
    reading.finish(summary)
    return summary, writer.counts, writer.lines_written


def _guarded(chunks: Iterator[ParsedFile]) -> Iterator[ParsedFile]:
    """``chunks`` with an unexpected reader error raised as ``_Unreadable``."""
    while True:
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        except (NotBulkReadable, FileRejected):
            raise
        except Exception as error:
            raise _Unreadable() from error
        yield chunk


def _guarded_call(function: Callable, *args):
    try:
        return function(*args)
    except FileRejected:
        raise
    except Exception as error:
        raise _Unreadable() from error


def _write(db_path: Path | str, report: ImportReport, kind: ExportKind, handler: KindHandler,
           parsed: ParsedFile, stamp: str | None, shop_name: str | None,
           timezone: str | None, started: int,
           on_wait: Callable[[], None] | None = None) -> None:
    """Store the parsed file and its log entry in one transaction; ``on_wait`` is called
    when another import holds the writer and this one queues."""
    with write_transaction(db_path, on_wait=on_wait) as conn:
        shop_id = _shop_for_write(conn, report, kind, shop_name, timezone)
        import_id = _start_log(conn, report, shop_id, started)
        counts, plan = handler.classify(conn, shop_id, parsed, stamp)
        # Some rows can only be judged against the store (a sub-campaign's campaign).
        _refresh_row_counts(report, parsed)
        report.lines_written = handler.write(conn, shop_id, import_id, parsed, plan)
        _close_import(conn, report, shop_id, import_id, counts, parsed)


def _close_import(conn: sqlite3.Connection, report: ImportReport, shop_id: int,
                  import_id: int, counts: RecordCounts, parsed: ParsedFile) -> None:
    """The end of an import's transaction, whichever reader wrote it: its set-aside rows,
    its log entry and its audit line."""
    _store_problems(conn, import_id, report.file_name, parsed.problems)
    report.records, report.import_id = counts, import_id
    _finish_log(conn, report)
    audit.record(conn, "import", shop_id, report.file_name,
                 f"{report.kind_label or report.kind}: {counts.new:,} new, "
                 f"{counts.updated:,} updated, {report.rows_quarantined:,} quarantined")


def _import_ecb_rates(db_path: Path | str, path: Path, report: ImportReport, started: int,
                      dry_run: bool, reject: Callable[[str], ImportReport]) -> ImportReport:
    """An ECB reference-rate file (``importers/ecb_rates.py``) into the store-wide rates
    table, with its log entry, in one transaction; counts are rates (currency and day)."""
    report.kind, report.kind_label = ecb_rates.KIND, ecb_rates.LABEL
    try:
        report.sha256 = file_sha256(path)
        parsed = ecb_rates.parse_ecb(path)
    except (ecb_rates.NotEcbFile, OSError) as error:
        return reject(str(error))
    _fill_from_parse(report, parsed, [])
    report.notes.append(f"{len(parsed.rates):,} rates per EUR from {parsed.first_day} to "
                        f"{parsed.last_day} ({parsed.layout} file)")

    def count(conn: sqlite3.Connection) -> RecordCounts:
        stored = existing_rates(conn, ((c, d) for c, d, _ in parsed.rates))
        counts = RecordCounts()
        for currency, day, rate in parsed.rates:
            old = stored.get((currency, day))
            if old is None:
                counts.new += 1
            elif old == rate:
                counts.unchanged += 1
            else:
                counts.updated += 1
        return counts

    if dry_run:
        try:
            with read_connection(db_path) as conn:
                report.records = count(conn)
        except (StoreError, sqlite3.OperationalError):  # no store, or none with rates yet
            report.records = RecordCounts(new=len(parsed.rates))
        return report
    with write_transaction(db_path) as conn:
        report.records = count(conn)
        report.import_id = _start_log(conn, report, None, started)
        report.lines_written = save_rates(conn, parsed.rates, ecb_rates.SOURCE,
                                          report.import_id)
        _store_problems(conn, report.import_id, report.file_name, parsed.problems)
        _finish_log(conn, report)
    return report


def _unexpected(report: ImportReport, what: str, error: Exception) -> str:
    """The message for an exception no reader or parser anticipated; logs its traceback."""
    _LOG.exception("Import of %s failed unexpectedly", report.file_name)
    report.error_type = type(error).__name__
    detail = str(error)[:300] or "no details"
    return (f"The file {what}: {type(error).__name__}: {detail}. It is damaged or not an "
            "export; nothing was imported. Export it again from Seller Center.")


def _reject(db_path: Path | str, report: ImportReport, message: str, shop_name: str | None,
            timezone: str | None, started: int, dry_run: bool) -> ImportReport:
    """Mark ``report`` rejected, with nothing stored; log the attempt unless a dry run."""
    # The message may quote the file: keep only what SQLite can store (no lone surrogates).
    report.status = "rejected"
    report.message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    report.rows_stored = report.rows_quarantined = report.lines_written = 0
    report.records, report.problems, report.import_id = RecordCounts(), [], None
    if not dry_run:
        _log_rejection(db_path, report, shop_name, timezone, started)
    return report


def _shop_for_write(conn: sqlite3.Connection, report: ImportReport, kind: ExportKind,
                    shop_name: str | None, timezone: str | None) -> int | None:
    """The shop the file's rows belong to (created when missing); None for store-wide
    kinds such as benchmarks, which then need no --shop in a store of several shops."""
    if not kind.per_shop:
        shop = find_shop(conn, shop_name) if shop_name else None
        return shop.shop_id if shop else None
    own = report.currency if kind.name not in ROW_CURRENCY_KINDS else None
    shop = resolve_shop(conn, shop_name, timezone, own)
    if timezone and shop.timezone != timezone:
        report.notes.append(f"Times read in {timezone}; the shop {shop.name!r} keeps "
                            f"its timezone {shop.timezone}.")
    return shop.shop_id


def _currency_for(table: SourceTable, zone: str, shop: Shop | None,
                  has_orders: bool) -> str:
    """The currency the file is read in: its own, else the shop's, else its zone's market's.
    Raises ``FileRejected`` for sales figures in another currency than a shop with orders
    (ad reports and cost templates keep a currency per row: they are not refused)."""
    named = file_currency(table)
    if named and table.kind.name in ROW_CURRENCY_KINDS:
        return named
    if shop is not None and table.kind.per_shop and named and named != shop.currency \
            and has_orders:
        raise FileRejected(
            f"The file is in {named}, but the shop {shop.name!r} keeps its figures in "
            f"{shop.currency}: import it into a shop of its own (--shop NAME, or a new shop "
            "on the Import page); if the shop's currency is wrong, correct it on the Campaigns "
            "page first. Figures of two currencies are never added up until the multi-shop "
            "roll-up converts them.")
    if named:
        return named
    if shop is None:
        return currency_of_zone(zone)
    if not has_orders and zone != shop.timezone \
            and shop.currency == currency_of_zone(shop.timezone):
        return currency_of_zone(zone)  # an empty shop follows the zone it is given
    return shop.currency


def _existing_shop(db_path: Path | str, shop_name: str | None) -> tuple[Shop | None, bool]:
    """The shop an import goes into, if it exists yet, and whether it holds orders."""
    try:
        with read_connection(db_path) as conn:
            shops = list_shops(conn)
            shop = find_shop(conn, shop_name) if shop_name else (
                shops[0] if len(shops) == 1 else None)
            return shop, shop is not None and shop_has_orders(conn, shop.shop_id)
    except Exception:  # no store yet, or not migrated yet: the shop will be new
        return None, False


def _shop_timezone(db_path: Path | str, shop_name: str | None) -> str:
    try:
        with read_connection(db_path) as conn:
            shops = list_shops(conn)
            shop = find_shop(conn, shop_name) if shop_name else (
                shops[0] if len(shops) == 1 else None)
    except Exception:  # no store yet, or not migrated yet: a new shop gets the default
        return DEFAULT_TIMEZONE
    return shop.timezone if shop else DEFAULT_TIMEZONE


def _row_progress(progress: Progress | None, estimated_rows: int | None):
    if progress is None:
        return None
    total = max(1, estimated_rows or 1)
    return lambda rows: progress(min(0.8, 0.8 * rows / total), f"Read {rows:,} rows")


def blank_measures_warnings(table: SourceTable) -> list[str]:
    """A warning when the file's data rows were read and every key measure (the kind's
    ``key_measures`` the file has) is empty or zero in all of them; else none."""
    if table.measure_found or table.measured_rows == 0:
        return []
    names = [table.columns.headers[name] for name in table.kind.key_measures
             if table.columns.has(name)]
    return [f"every figure in {', '.join(names)} is empty or zero in all "
            f"{table.measured_rows:,} rows: the file was read as a {table.kind.label}, but "
            "it carries no figures (a wrong date range or a blank export?). Check it in "
            "Seller Center before relying on the pages."]


def _fill_from_parse(report: ImportReport, parsed: ParsedFile, skipped: list[str]) -> None:
    report.rows_read = parsed.rows_read
    report.rows_stored = parsed.rows_stored
    report.rows_quarantined = parsed.quarantined_rows
    report.problems = parsed.problems
    report.notes = ([f"Skipped {', '.join(skipped)}."] if skipped else []) + parsed.notes
    report.first_paid_utc = parsed.first_time_utc
    report.last_paid_utc = parsed.last_time_utc


def _paid_instants(parsed: ParsedFile) -> list[int | None]:
    if isinstance(parsed, BulkOrders):
        return parsed.orders.get("paid_utc", [])
    if isinstance(parsed, ParsedOrders):
        return [order["paid_utc"] for order in parsed.orders.values()]
    return []


def _warn_future_paid(report: ImportReport, parsed: ParsedFile, now_utc: int) -> None:
    """Orders paid after now cannot be: the file's times were read in the wrong timezone
    (an export taken in another zone), or this computer's clock is wrong."""
    future = [paid for paid in _paid_instants(parsed) if paid is not None and paid > now_utc]
    if not future:
        return
    ahead_hours = (max(future) - now_utc) / 3600
    ahead = (f"{ahead_hours:.0f} hours" if ahead_hours >= 1.5
             else f"{max(1, round(ahead_hours * 60))} minutes")
    orders = f"{len(future):,} order{'s are' if len(future) != 1 else ' is'}"
    report.warnings.append(
        f"{orders} paid after now (the latest {ahead} ahead). Probably the file's times "
        f"are not in {report.timezone}: import it again with the timezone the export was "
        "taken in (US exports: America/Los_Angeles). Or this computer's clock is wrong.")


def _refresh_row_counts(report: ImportReport, parsed: ParsedFile) -> None:
    report.rows_stored = parsed.rows_stored
    report.rows_quarantined = parsed.quarantined_rows
    report.problems = parsed.problems


def _preview_counts(db_path: Path | str, shop_name: str | None, kind: ExportKind, handler,
                    parsed: ParsedFile, stamp: str | None) -> RecordCounts:
    try:
        with read_connection(db_path) as conn:
            shops = list_shops(conn)
            shop = find_shop(conn, shop_name) if shop_name else (shops[0] if shops else None)
            if shop is not None or not kind.per_shop:
                return handler.classify(conn, shop.shop_id if shop else None, parsed,
                                        stamp)[0]
    except Exception:  # no store yet, or no such shop: everything is new
        pass
    with _empty_store() as conn:
        return handler.classify(conn, 0, parsed, stamp)[0]


@contextmanager
def _empty_store() -> Iterator[sqlite3.Connection]:
    """An in-memory store with the current schema: what a first import is compared with."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        migrate(conn)
        yield conn
    finally:
        conn.close()


def _start_log(conn: sqlite3.Connection, report: ImportReport, shop_id: int | None,
               started: int) -> int:
    cursor = conn.execute(
        "INSERT INTO import_log (shop_id, file_name, sha256, kind, status, message, "
        "started_utc) VALUES (:shop_id, :file_name, :sha256, :kind, :status, :message, "
        ":started)",
        {"shop_id": shop_id, "file_name": report.file_name, "sha256": report.sha256,
         "kind": report.kind, "status": report.status, "message": report.message,
         "started": started})
    return cursor.lastrowid


def _finish_log(conn: sqlite3.Connection, report: ImportReport) -> None:
    conn.execute(
        "UPDATE import_log SET rows_read = :read, rows_stored = :stored, "
        "rows_quarantined = :quarantined, orders_new = :new, orders_updated = :updated, "
        "orders_unchanged = :unchanged, orders_kept_newer = :kept, "
        "first_time_utc = :first, last_time_utc = :last, message = :message, "
        "finished_utc = :finished WHERE import_id = :import_id",
        {"read": report.rows_read, "stored": report.rows_stored,
         "quarantined": report.rows_quarantined, "new": report.records.new,
         "updated": report.records.updated, "unchanged": report.records.unchanged,
         "kept": report.records.kept_newer, "first": report.first_paid_utc,
         "last": report.last_paid_utc,
         "message": report.log_message()[:2000],
         "finished": int(time.time()), "import_id": report.import_id})


def _store_problems(conn: sqlite3.Connection, import_id: int, file_name: str,
                    problems: list[Problem]) -> None:
    conn.executemany(
        "INSERT INTO quarantine (import_id, file_name, file_line, column_name, raw_value, "
        "reason) VALUES (:import_id, :file_name, :line, :column, :raw, :reason)",
        ({"import_id": import_id, "file_name": file_name, "line": p.file_line,
          "column": p.column, "raw": p.raw_value[:1000], "reason": p.reason}
         for p in problems))


def _log_rejection(db_path: Path | str, report: ImportReport, shop_name: str | None,
                   timezone: str | None, started: int) -> None:
    with write_transaction(db_path) as conn:
        shops = list_shops(conn)
        shop = find_shop(conn, shop_name) if shop_name else (shops[0] if shops else None)
        report.import_id = _start_log(conn, report, shop.shop_id if shop else None, started)
        _finish_log(conn, report)
