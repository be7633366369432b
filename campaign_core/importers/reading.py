"""Reading export files: content sniffing, decoding, CSV dialect, XLSX sheets, header row.

The reader turns a file into its header row and a stream of ``(file_line, cells)`` data
rows, whatever the shape: UTF-8 with or without BOM, UTF-16 with BOM (tab-separated, as
Excel's "Unicode text"), cp1252, XLSX with preamble rows. Anything it cannot read exactly is
rejected with ``FileRejected`` before a single row is stored.

Files come from outside, so every read is bounded: the file size (``CAMPAIGN_MAX_IMPORT_MB``)
is checked before a byte is read, a CSV row or an XLSX zip cannot expand without limit, and
XML is parsed by defusedxml (through openpyxl), which refuses entity declarations.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from campaign_core.importers.content_api import api_content_rows
from campaign_core.importers.detection import (
    HEADER_SEARCH_ROWS,
    README_POINTER,
    HeaderSearch,
    NoKindFits,
)
from campaign_core.importers.headers import ColumnMap, normalise_header
from campaign_core.importers.kinds import (
    KINDS,
    PRODUCT_LIST,
    STOCK,
    ExportKind,
)
from campaign_core.importers.product_list import TEMPLATE_HEADERS, product_search_rows
from campaign_core.importers.stock import INVENTORY_HEADERS, inventory_search_rows
from campaign_core.importers.values import FileLocale

SNIFF_BYTES = 64 * 1024
# The largest file imported, in MB; agrees with server.maxUploadSize in .streamlit/config.toml.
MAX_IMPORT_MB = 200
MAX_IMPORT_MB_VARIABLE = "CAMPAIGN_MAX_IMPORT_MB"
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200  # deflated XML shrinks 5-20x; zeros in a zip bomb shrink ~1000x
MAX_XLSX_MEMBER_CHECKED = 1024 * 1024  # smaller members may be as compressible as they like
MAX_JSON_BYTES = 64 * 1024 * 1024  # an API page is kilobytes
# A real export row is a few kB (Excel caps a cell at 32,767 characters) and has < 100 cells.
MAX_ROW_CHARS = 1024 * 1024
MAX_ROW_CELLS = 2000
EXCEL_MAX_ROWS = 1_048_576  # a sheet's last row in Excel
csv.field_size_limit(MAX_ROW_CHARS)


# Spreadsheets that are zips but not .xlsx, by a member only they have.
_OTHER_ZIP_FORMATS = {"xl/workbook.bin": "an Excel binary workbook (.xlsb)",
                      "content.xml": "an OpenDocument spreadsheet (.ods)"}


class FileRejected(Exception):
    """The whole file cannot be imported; the message says why and what to do."""


class HeaderNotFound(FileRejected):
    """No row of the searched ones is the header of a known kind (the message names the
    closest kind, when one came close)."""


@dataclass
class SourceTable:
    """A file's recognised header and its data rows, read lazily."""

    file_name: str
    kind: ExportKind
    columns: ColumnMap
    header_line: int
    rows: Iterator[tuple[int, list[object] | None]]  # None: a repeated header row
    encoding: str | None = None
    sheet: str | None = None
    skipped: list[str] = field(default_factory=list)  # notes: preamble, repeated headers
    estimated_rows: int | None = None  # for progress bars only
    # The non-blank rows above the header (report titles, date range, filters, a grouped
    # super-header), as read: analytics exports state their period there.
    preamble: list[list[object]] = field(default_factory=list)
    header: list[object] = field(default_factory=list)  # the header row's cells, as read
    # A delimited text file's path and delimiter: a large one may be read in bulk.
    path: Path | None = None
    delimiter: str | None = None
    # Data rows read through ``rows`` until one had a key measure (kinds.py
    # ``key_measures``) neither empty nor zero, and whether one had: all-blank figures
    # are a warning.
    measured_rows: int = 0
    measure_found: bool = False
    # The shop's currency, number marks and date order (set by the pipeline before parsing).
    locale: FileLocale = field(default_factory=FileLocale)


def max_import_mb() -> float:
    """The size cap in MB: ``CAMPAIGN_MAX_IMPORT_MB`` if set, else ``MAX_IMPORT_MB``.

    Raises ``ValueError`` when the variable is not a positive number.
    """
    text = os.environ.get(MAX_IMPORT_MB_VARIABLE, "").strip()
    if not text:
        return MAX_IMPORT_MB
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:  # also refuses NaN
        raise ValueError(f"{MAX_IMPORT_MB_VARIABLE} must be a positive number of MB, "
                         f"not {text!r}.")
    return value


def check_file_size(path: Path, cap_mb: float | None = None) -> None:
    """Reject a file over ``cap_mb`` (default ``max_import_mb()``) from its size on disk,
    before reading any of it."""
    cap_mb = max_import_mb() if cap_mb is None else cap_mb
    status = Path(path).stat()
    if not stat.S_ISREG(status.st_mode):  # a pipe or a device has no size and no end
        raise FileRejected("This is not a regular file (a folder, pipe or device?): "
                           "import the export file itself.")
    size = status.st_size
    if size > cap_mb * 1024 * 1024:
        raise FileRejected(
            f"The file is {size / 1024 / 1024:,.1f} MB, over the {cap_mb:g} MB import limit: "
            "export a shorter date range, or raise the limit with the environment variable "
            f"{MAX_IMPORT_MB_VARIABLE} (and server.maxUploadSize in .streamlit/config.toml "
            "for uploads).")


def open_source(path: Path, file_name: str | None = None) -> SourceTable:
    """Sniff ``path`` by content, find its header row and kind; rows are read lazily.

    Raises ``FileRejected`` for oversized, empty, binary, HTML, old ``.xls``, undecodable or
    unrecognised files, and while rows are read for a row too long to be an export's.
    """
    path = Path(path)
    file_name = file_name or path.name
    check_file_size(path)
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"):
        raise FileRejected("The file is empty.")
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, file_name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected("This is an old Excel .xls file or a password-protected workbook: "
                           "export again as CSV or .xlsx (or save it as .xlsx without a "
                           "password).")
    encoding = _detect_encoding(path, head)
    text_head = head.decode(encoding, errors="ignore").lstrip("\ufeff").lstrip()
    if text_head[:15].lower().startswith(("<!doctype", "<html", "<?xml", "<")):
        raise FileRejected("This is a web page or XML document, not an export: download "
                           "the export file itself from Seller Center.")
    if text_head.startswith(("{", "[")):  # JSON; HTML and XML start with "<" (above)
        return _open_json(path, file_name, encoding)
    delimiter = _sniff_delimiter(text_head)
    handle = path.open("r", encoding=encoding, newline="")
    rows = _csv_rows(handle, delimiter)
    table = _find_header(rows, file_name, encoding=encoding)
    table.estimated_rows = _count_newlines(path) // (2 if encoding == "utf-16" else 1)
    table.path, table.delimiter = path, delimiter
    return table


def _open_json(path: Path, file_name: str, encoding: str) -> SourceTable:
    """A saved Open API response. Two shapes are read: product search (``data.products``):
    its products become rows of the product list kind, flattened to the template's
    columns, a row's line number being its product's index in ``data.products`` + 1; and
    inventory search (``data.inventory``): its SKUs become rows of the stock kind (see
    ``stock.inventory_search_rows``), numbered by SKU from 1. There is no header row
    (``header_line`` is 0, which tells the stock parser the rows come from the API). Any
    other JSON is rejected."""
    if encoding == "cp1252":  # JSON is UTF-8 (or UTF-16 with a BOM) by definition
        raise FileRejected("The JSON file is not UTF-8: save the API response as UTF-8.")
    if path.stat().st_size > MAX_JSON_BYTES:
        raise FileRejected("The JSON file is over 64 MB: save one API response page per file.")
    try:
        document = json.loads(path.read_text(encoding=encoding))
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise FileRejected(f"The file starts like JSON but is not valid JSON ({error}).") \
            from error
    _reject_lone_surrogates(document)
    if isinstance(document, dict) and document.get("code") not in (None, 0, "0"):
        raise FileRejected(f"The file is an Open API error response (code "
                           f"{document.get('code')}: {str(document.get('message'))[:200]}), "
                           "not data: call the API again and save a successful response.")
    stock_rows = inventory_search_rows(document)
    if stock_rows is not None:
        if not stock_rows:
            raise FileRejected("The inventory search response lists no SKUs.")
        return SourceTable(file_name, STOCK, STOCK.match(list(INVENTORY_HEADERS)), 0,
                           iter(enumerate(stock_rows, start=1)), encoding,
                           estimated_rows=len(stock_rows))
    content = api_content_rows(document)
    if content is not None:
        kind = next(k for k in KINDS if k.name == content[0])
        if not content[2]:
            raise FileRejected(f"The Open API response lists no {kind.row_noun}s.")
        return SourceTable(file_name, kind, kind.match(list(content[1])), 0,
                           iter(enumerate(content[2], start=1)), encoding,
                           estimated_rows=len(content[2]))
    rows = product_search_rows(document)
    if rows is None:
        raise FileRejected("This JSON file is not an Open API product search response (an "
                           "object with data.products) or inventory search response "
                           "(data.inventory), the only JSON the importer reads.\n"
                           f"{README_POINTER}")
    if not rows:
        raise FileRejected("The product search response lists no products.")
    return SourceTable(file_name, PRODUCT_LIST, PRODUCT_LIST.match(list(TEMPLATE_HEADERS)), 0,
                       iter(enumerate(rows, start=1)), encoding, estimated_rows=len(rows))


def _reject_lone_surrogates(document: object) -> None:
    # JSON may escape half of a UTF-16 pair ("\ud800"): Python reads it into a string that
    # is not text and that SQLite cannot store. Encoding the whole document finds any.
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise FileRejected("The JSON file contains an invalid character escape (half of a "
                           "UTF-16 pair, such as \\ud800): it is damaged. Save the API "
                           "response again.") from error


def _count_newlines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(4 * 1024 * 1024):
            count += chunk.count(b"\n")
    return count


def _detect_encoding(path: Path, head: bytes) -> str:
    """The first codec that decodes the whole file strictly: the BOM's, else UTF-8, then
    cp1252 (which leaves five bytes undefined, so it does not accept just anything)."""
    if head.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)  # the codec reads the BOM to pick the byte order
    else:
        if _looks_like_utf16_without_bom(head):
            raise FileRejected("The file looks like UTF-16 text without a byte-order mark, "
                               "which cannot be read safely: save it as 'CSV UTF-8' (or as "
                               "Excel's 'Unicode text', which has one).")
        if b"\x00" in head:
            raise FileRejected("The file contains binary data, not text: it is not a CSV "
                               "export (a program or an image renamed .csv?).")
        candidates = ("utf-8", "cp1252")
    for encoding in candidates:
        if _decodes(path, encoding):
            return encoding
    raise FileRejected("The file's text encoding is not UTF-8, UTF-16 or Windows-1252: "
                       "export it again from Seller Center, or save it as 'CSV UTF-8'.")


def _looks_like_utf16_without_bom(head: bytes) -> bool:
    # Mostly-ASCII text in UTF-16 has a NUL in every other byte; binary files do not.
    sample = head[:4096]
    if len(sample) < 16:
        return False
    even, odd = (sample[start::2].count(0) / len(sample[start::2]) for start in (0, 1))
    return (even > 0.9 and odd < 0.1) or (odd > 0.9 and even < 0.1)


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes strictly; a NUL character rejects it in any codec."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    position = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                text = decoder.decode(chunk)
                if "\x00" in text:
                    _reject_nul(position + text.index("\x00"))
                position += len(text)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _reject_nul(character_index: int) -> None:
    # Text exports never hold NUL; a file that does is damaged or binary data. Reading on
    # would let C-level CSV and SQLite code see the text cut short.
    raise FileRejected(f"The file contains a NUL character (binary data) at character "
                       f"{character_index:,}: it is damaged or not a text export. Export it "
                       "again from Seller Center.")


def _sniff_delimiter(text_head: str) -> str:
    # The header may sit under title lines (Data Compass: "Product analysis", the date
    # range) that hold no delimiter: the first line that holds one decides (not the line
    # with the most: data cells may hold commas, "1,250.00", in a tab-separated file).
    lines = text_head.splitlines()[:HEADER_SEARCH_ROWS] or [""]
    for line in lines:
        counts = {delimiter: line.count(delimiter) for delimiter in (",", "\t", ";")}
        if max(counts.values()):
            return max(counts, key=counts.get)
    counts = {delimiter: lines[0].count(delimiter) for delimiter in (",", "\t", ";")}
    return max(counts, key=counts.get)


def _csv_rows(handle: io.TextIOBase, delimiter: str) -> Iterator[tuple[int, list[object]]]:
    """Rows with the physical line each starts on; rejects rows no export could have."""
    with handle:
        reader = csv.reader(handle, delimiter=delimiter)
        previous_end = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise FileRejected(_csv_error_message(previous_end + 1, error)) from error
            _check_cell_count(previous_end + 1, cells)
            _check_row_chars(previous_end + 1, cells)
            # A quoted cell may span lines: a row starts after the previous one ended.
            yield previous_end + 1, cells
            previous_end = reader.line_num


def _csv_error_message(line: int, error: csv.Error) -> str:
    if "field limit" in str(error):
        return (f"Line {line} has a cell over {MAX_ROW_CHARS:,} characters (or an unclosed "
                "quote): no export has one, so the file is damaged or not an export.")
    return f"Line {line} cannot be read as CSV ({error}): the file is damaged."


def _check_cell_count(line: int, cells: list[object]) -> None:
    if len(cells) > MAX_ROW_CELLS:
        raise FileRejected(f"Line {line} has {len(cells):,} cells, over the {MAX_ROW_CELLS:,} "
                           "an export can have: the file is damaged or not an export.")


def _check_row_chars(line: int, cells: list[str]) -> None:
    if sum(map(len, cells)) > MAX_ROW_CHARS:
        raise FileRejected(f"Line {line} is over {MAX_ROW_CHARS:,} characters long: no "
                           "export row is, so the file is damaged or not an export.")


def _open_xlsx(path: Path, file_name: str) -> SourceTable:
    _check_zip(path)
    # A handle, not the path: openpyxl refuses a path by its suffix, and the kind is
    # detected by content (an .xlsx saved as "orders.csv" is still a workbook).
    handle = path.open("rb")
    try:
        workbook = _load_workbook(handle)
        table = _first_table_sheet(workbook, file_name)
    except BaseException:
        handle.close()
        raise
    table.rows = _closing_when_done(table.rows, workbook, handle)
    return table


def _load_workbook(handle: io.BufferedReader):
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula is read as its text, never evaluated.
        return load_workbook(handle, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise FileRejected(_xlsx_error_message("The Excel file cannot be opened", error)) \
            from error


def _first_table_sheet(workbook, file_name: str) -> SourceTable:
    """The first sheet (the kinds' own sheet names first) whose header a kind matches."""
    sheets = sorted(workbook.worksheets,
                    key=lambda s: 0 if any(s.title in k.sheet_names for k in KINDS) else 1)
    reasons: list[tuple[str, FileRejected]] = []
    for sheet in sheets:
        estimated_rows = sheet.max_row  # from the sheet's own claim: for progress only
        # Rows are read as they are stored, not padded out to the claimed dimension: a
        # tiny sheet claiming A1:XFD1048576 would otherwise yield 17 billion empty cells.
        sheet.reset_dimensions()
        try:
            table = _find_header(_sheet_rows(sheet), file_name, sheet=sheet.title)
            table.estimated_rows = estimated_rows
            return table
        except FileRejected as error:
            reasons.append((sheet.title, error))
    raise FileRejected(_workbook_rejection(reasons))


def _workbook_rejection(reasons: list[tuple[str, FileRejected]]) -> str:
    """Why no sheet could be read. When no sheet has a known header, the sheet whose header
    came closest to a kind speaks (two lines, as for a CSV); damage is reported per sheet."""
    if not reasons:
        return "The workbook has no sheets."
    if len(reasons) > 1 and all(isinstance(error, HeaderNotFound) for _, error in reasons):
        title, error = next(((t, e) for t, e in reasons
                             if str(e).startswith("Closest kind")), reasons[0])
        return f"In sheet {title!r} (of {len(reasons)}): {error}"
    return " ".join(f"sheet {title!r}: {error}" for title, error in reasons)


def _sheet_rows(sheet) -> Iterator[tuple[int, list[object]]]:
    """A sheet's stored rows with their row numbers; XML or zip damage found mid-sheet
    rejects the file, and so do rows no workbook can have (their padding alone could take
    hours to read)."""
    rows = _stored_rows(sheet)
    while True:
        try:
            number, cells = next(rows)
        except StopIteration:
            return
        except Exception as error:  # the sheet's XML is parsed lazily, row by row
            raise FileRejected(_xlsx_error_message(
                f"The sheet {sheet.title!r} cannot be read", error)) from error
        if number > EXCEL_MAX_ROWS:
            raise FileRejected(f"The sheet {sheet.title!r} has rows past Excel's last row "
                               f"({EXCEL_MAX_ROWS:,}): the file is damaged.")
        _check_cell_count(number, cells)
        yield number, list(cells)


def _stored_rows(sheet) -> Iterator[tuple[int, tuple[object, ...]]]:
    """``(row number, values)`` of each row the sheet stores, read the way openpyxl's
    read-only ``iter_rows`` reads them, with one difference: cells of one row written as
    several ``<row>`` elements with the same number (one element per cell, as a Vietnamese
    reporting tool writes them) are merged, where ``iter_rows`` keeps only the first
    element's cells. Missing rows are not padded in: they have no cells to read.

    Uses openpyxl's sheet parser (``WorkSheetParser``, the class ``iter_rows`` uses;
    openpyxl is pinned in requirements.txt)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=book.data_only,
                                 epoch=book.epoch, date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        number, cells = None, []
        for index, row in parser.parse():
            if index == number:
                cells.extend(row)
                continue
            if number is not None:
                yield number, _row_values(sheet, cells)
            number, cells = index, list(row)
        if number is not None:
            yield number, _row_values(sheet, cells)


def _row_values(sheet, cells: list[dict]) -> tuple[object, ...]:
    if not cells:
        return ()
    last_column = max(cell["column"] for cell in cells)
    return sheet._get_row(sorted(cells, key=lambda cell: cell["column"]), 1, last_column,
                          values_only=True)


def _xlsx_error_message(what: str, error: BaseException) -> str:
    # openpyxl wraps what went wrong in a generic ValueError: the first cause tells.
    for _ in range(10):  # a bound: a chain can, in principle, loop
        cause = error.__cause__ or error.__context__
        if cause is None:
            break
        error = cause
    if isinstance(error, DefusedXmlException) or "amplification" in str(error):
        return (f"{what}: its XML declares entities (a DTD), which Excel files never do and "
                "which can expand into gigabytes ('billion laughs'); it was not read.")
    if isinstance(error, ParseError | zipfile.BadZipFile | EOFError):
        return f"{what}: the file is damaged ({error}). Export it again."
    return f"{what} ({type(error).__name__}: {str(error)[:300]})."


def _closing_when_done(rows: Iterator, *resources) -> Iterator:
    """``rows``, then close ``resources`` once they are read (or dropped half-way)."""
    try:
        yield from rows
    finally:
        for resource in resources:
            resource.close()


def _check_zip(path: Path) -> None:
    """Reject a zip that is no workbook or that would expand implausibly, from its central
    directory alone: nothing is decompressed here."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError) as error:
        # NotImplementedError: a zip version or feature no Excel file uses.
        raise FileRejected("The file looks like an Excel workbook but is damaged.") from error
    total = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    # Per member too: one bomb member beside an incompressible filler keeps the total low.
    bomb_member = any(member.file_size > MAX_XLSX_MEMBER_CHECKED
                      and member.file_size > MAX_XLSX_RATIO * max(1, member.compress_size)
                      for member in members)
    if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO or bomb_member:
        raise FileRejected(f"The Excel file would expand to {total / 1024 / 1024:,.0f} MB "
                           f"from {packed / 1024 / 1024:,.1f} MB, an implausible size (a zip "
                           "bomb?), and was not opened.")
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        for marker, what in _OTHER_ZIP_FORMATS.items():
            if marker in names:
                raise FileRejected(f"This is {what}, not an .xlsx workbook: save it as .xlsx "
                                   "or CSV, or export it again from Seller Center.")
        raise FileRejected("The file is a zip archive, not an Excel workbook.")


def _find_header(rows: Iterator[tuple[int, list[object]]], file_name: str, *,
                 encoding: str | None = None, sheet: str | None = None) -> SourceTable:
    """Scan the first rows for the header: the first row some kind fits completely, read
    as the most specific kind that fits it (importers/detection.py)."""
    search = HeaderSearch()
    skipped = []
    for _ in range(HEADER_SEARCH_ROWS):
        try:
            line, cells = next(rows)
        except StopIteration:
            break
        try:
            fit = search.offer(line, cells)
        except NoKindFits as error:
            raise HeaderNotFound(str(error)) from error
        if fit is not None:
            table = SourceTable(file_name, fit.kind, fit.columns, line,
                                _data_rows(rows, cells), encoding, sheet, skipped,
                                preamble=search.preamble, header=cells)
            table.rows = _measured(table, table.rows)
            return table
        if any(str(c).strip() for c in cells if c is not None):
            skipped.append(f"line {line} (before the header)")
    raise HeaderNotFound(search.failure())


def _data_rows(rows: Iterator[tuple[int, list[object]]],
               header: list[object]) -> Iterator[tuple[int, list[object] | None]]:
    """Data rows without blank lines. A repeat of the header row (two exports pasted into
    one file) is yielded as ``(line, None)``: the start of a new export section."""
    header_key = [normalise_header(c) for c in header]
    first_raw = {str(header[0]) if header else ""}
    # Only a cell whose first visible character is the header's can normalise to it.
    first_letter = header_key[0][:1] if header_key else ""
    for line, cells in rows:
        if not _has_text(cells):
            continue
        # Cheap tests first: only a row starting like the header can repeat it.
        if cells and (str(cells[0]) in first_raw or (
                str(cells[0]).replace("\ufeff", "").lstrip()[:1].casefold()[:1] == first_letter
                and normalise_header(cells[0]) == header_key[0])) \
                and [normalise_header(c) for c in cells[:len(header_key)]] == header_key:
            yield line, None
            continue
        yield line, cells


def _measured(table: SourceTable, rows: Iterator[tuple[int, list[object] | None]]
              ) -> Iterator[tuple[int, list[object] | None]]:
    """``rows``, counting data rows until one has a key measure with a figure (then the
    rest pass through untouched: the count only matters while none has been found)."""
    positions = [table.columns.positions[name] for name in table.kind.key_measures
                 if table.columns.has(name)]
    table.measure_found = not positions  # no key measure column: nothing to warn about
    if not table.measure_found:
        for line, cells in rows:
            yield line, cells
            if cells is not None:
                table.measured_rows += 1
                if any(has_figure(cells[i]) for i in positions if i < len(cells)):
                    table.measure_found = True
                    break
    yield from rows


def has_figure(cell: object) -> bool:
    """Whether a cell holds a number other than zero (``$0.00``, ``--``, ``0%`` do not)."""
    if cell is None or isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return cell != 0
    digits = [ch for ch in str(cell) if ch.isdigit()]
    return any(ch != "0" for ch in digits)


def _has_text(cells: list[object]) -> bool:
    """Whether any cell holds more than spaces."""
    try:
        return bool("".join(cells).strip())  # CSV rows are all text: one C-level pass
    except TypeError:  # spreadsheet rows hold numbers, dates and None too
        return any(c is not None and str(c).strip() for c in cells)
