"""Reading export files: content sniffing, decoding, CSV dialect, XLSX sheets, header row.

The reader turns a file into its header row and a stream of ``(file_line, cells)`` data
rows, whatever the shape: UTF-8 with or without BOM, UTF-16 with BOM (tab-separated, as
Excel's "Unicode text"), cp1252, XLSX with preamble rows. Anything it cannot read exactly is
rejected with ``FileRejected`` before a single row is stored.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from campaign_core.importers.headers import ColumnMap, normalise_header
from campaign_core.importers.kinds import KINDS, PRODUCT_LIST, ExportKind, supported_kinds_text
from campaign_core.importers.product_list import TEMPLATE_HEADERS, product_search_rows

HEADER_SEARCH_ROWS = 15
SNIFF_BYTES = 64 * 1024
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_JSON_BYTES = 64 * 1024 * 1024  # an API page is kilobytes
csv.field_size_limit(16 * 1024 * 1024)


class FileRejected(Exception):
    """The whole file cannot be imported; the message says why and what to do."""


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


def open_source(path: Path, file_name: str | None = None) -> SourceTable:
    """Sniff ``path`` by content, find its header row and kind; rows are read lazily.

    Raises ``FileRejected`` for empty, binary, HTML, old ``.xls``, undecodable or
    unrecognised files.
    """
    path = Path(path)
    file_name = file_name or path.name
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"):
        raise FileRejected("The file is empty.")
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, file_name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected("This is an old Excel .xls file: export again as CSV or .xlsx "
                           "(or save it as .xlsx).")
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
    return table


def _open_json(path: Path, file_name: str, encoding: str) -> SourceTable:
    """A saved Open API response. Only the product search shape (``data.products``) is
    read: its products become rows of the product list kind, flattened to the template's
    columns. There is no header row (``header_line`` is 0); a row's line number is its
    product's index in ``data.products`` + 1. Any other JSON is rejected."""
    if encoding == "cp1252":  # JSON is UTF-8 (or UTF-16 with a BOM) by definition
        raise FileRejected("The JSON file is not UTF-8: save the API response as UTF-8.")
    if path.stat().st_size > MAX_JSON_BYTES:
        raise FileRejected("The JSON file is over 64 MB: save one API response page per file.")
    try:
        document = json.loads(path.read_text(encoding=encoding))
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise FileRejected(f"The file starts like JSON but is not valid JSON ({error}).") \
            from error
    if isinstance(document, dict) and document.get("code") not in (None, 0, "0"):
        raise FileRejected(f"The file is an Open API error response (code "
                           f"{document.get('code')}: {str(document.get('message'))[:200]}), "
                           "not data: call the API again and save a successful response.")
    rows = product_search_rows(document)
    if rows is None:
        raise FileRejected("This JSON file is not an Open API product search response (an "
                           "object with data.products), the only JSON the importer reads. "
                           f"Supported: {supported_kinds_text()}.")
    if not rows:
        raise FileRejected("The product search response lists no products.")
    return SourceTable(file_name, PRODUCT_LIST, PRODUCT_LIST.match(list(TEMPLATE_HEADERS)), 0,
                       iter(enumerate(rows, start=1)), encoding, estimated_rows=len(rows))


def _count_newlines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(4 * 1024 * 1024):
            count += chunk.count(b"\n")
    return count


def _detect_encoding(path: Path, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    else:
        if b"\x00" in head:
            raise FileRejected("The file contains binary data, not text: it is not a CSV "
                               "export (a program or an image renamed .csv?).")
        encoding = "utf-8"
    if _decodes(path, encoding):
        return encoding
    if encoding == "utf-8" and _decodes(path, "cp1252"):
        return "cp1252"
    raise FileRejected("The file's text encoding is not UTF-8, UTF-16 or Windows-1252: "
                       "export it again from Seller Center, or save it as 'CSV UTF-8'.")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                text = decoder.decode(chunk)
                if "\x00" in text:
                    return False
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _sniff_delimiter(text_head: str) -> str:
    first_line = text_head.splitlines()[0] if text_head else ""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", "\t", ";")}
    return max(counts, key=counts.get)


def _csv_rows(handle: io.TextIOBase, delimiter: str) -> Iterator[tuple[int, list[object]]]:
    with handle:
        reader = csv.reader(handle, delimiter=delimiter)
        previous_end = 0
        for cells in reader:
            # A quoted cell may span lines: a row starts after the previous one ended.
            yield previous_end + 1, cells
            previous_end = reader.line_num


def _open_xlsx(path: Path, file_name: str) -> SourceTable:
    _check_zip(path)
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula is read as its text, never evaluated.
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise FileRejected(f"The Excel file cannot be opened ({error}).") from error
    sheets = sorted(workbook.worksheets,
                    key=lambda s: 0 if any(s.title in k.sheet_names for k in KINDS) else 1)
    reasons = []
    for sheet in sheets:
        rows = ((number, list(cells)) for number, cells
                in enumerate(sheet.iter_rows(values_only=True), start=1))
        try:
            table = _find_header(rows, file_name, sheet=sheet.title)
            table.estimated_rows = sheet.max_row
            return table
        except FileRejected as error:
            reasons.append(f"sheet {sheet.title!r}: {error}")
    raise FileRejected(" ".join(reasons) or "The workbook has no sheets.")


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise FileRejected("The file looks like an Excel workbook but is damaged.") from error
    total = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO:
        raise FileRejected("The Excel file expands to an implausible size (a zip bomb?) "
                           "and was not opened.")
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise FileRejected("The file is a zip archive, not an Excel workbook.")


def _find_header(rows: Iterator[tuple[int, list[object]]], file_name: str, *,
                 encoding: str | None = None, sheet: str | None = None) -> SourceTable:
    """Scan the first rows for one that a kind's required headers match."""
    best: tuple[int, ExportKind, ColumnMap] | None = None
    skipped = []
    for _ in range(HEADER_SEARCH_ROWS):
        try:
            line, cells = next(rows)
        except StopIteration:
            break
        for kind in KINDS:
            columns = kind.match(cells)
            if not columns.missing_required:
                return SourceTable(file_name, kind, columns, line,
                                   _data_rows(rows, cells), encoding, sheet, skipped)
            found = len(columns.positions)
            if found and (best is None or found > len(best[2].positions)):
                best = (line, kind, columns)
        if any(str(c).strip() for c in cells if c is not None):
            skipped.append(f"line {line} (before the header)")
    if best is None:
        raise FileRejected("No known export header found. Supported: "
                           f"{supported_kinds_text()}.")
    line, kind, columns = best
    raise FileRejected(
        f"Looks like an {kind.label} (header on line {line}) but lacks the columns "
        f"{', '.join(columns.missing_required)}. Supported: {supported_kinds_text()}."
    )


def _data_rows(rows: Iterator[tuple[int, list[object]]],
               header: list[object]) -> Iterator[tuple[int, list[object] | None]]:
    """Data rows without blank lines. A repeat of the header row (two exports pasted into
    one file) is yielded as ``(line, None)``: the start of a new export section."""
    header_key = [normalise_header(c) for c in header]
    first_raw = {str(header[0]) if header else ""}
    for line, cells in rows:
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        # Cheap test first: only a row starting like the header can repeat it.
        if cells and (str(cells[0]) in first_raw or normalise_header(cells[0]) == header_key[0]) \
                and [normalise_header(c) for c in cells[:len(header_key)]] == header_key:
            yield line, None
            continue
        yield line, cells
