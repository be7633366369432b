"""Hostile and broken files: each is rejected or quarantined with a clear message.

Every file is imported through ``import_file`` into a store that already holds one good
import. A rejected file must leave every table as it was (the import log gains one
"rejected" line, by design); an imported one must account for each of its data rows:
rows stored + rows quarantined = data rows in the file. Nothing may raise.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import os
import random
import re
import time
import tomllib
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from campaign_core.demo.order_files import (
    LineSpec,
    OrderSpec,
    order_rows,
    write_orders_csv,
    write_orders_xlsx,
)
from campaign_core.importers import handlers, pipeline, reading
from campaign_core.importers.orders_layout import US_ORDER_HEADERS
from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.store import read_connection
from tests.conftest import PROJECT_ROOT, TZ, hand_orders, write_export
from tests.naughty import EXCEL_CELL_LIMIT, naughty_strings

EXPORT_NAME = "All order-2026-04-02-09_15.csv"
PADDING = " \t\r\n\u00a0\ufeff"  # what exports pad cells with; the importer trims it
ACCENTED = "Crème brûlée – set"
EMOJI_NAME = ACCENTED + " 🍮 ✓"
CP1252_NAME = ACCENTED + " €5 „Öl“"
# Neither UTF-8 nor cp1252 defines these bytes.
UNDEFINED_BYTES = b"\x81\x8d\x8f\x90\x9d"
SECONDS_ALLOWED = 2.0


# --- files ----------------------------------------------------------------------------


def _id(number: int, prefix: str = "58387090") -> str:
    """A 19-digit ID (above 2^53, so a float anywhere on the way would change it)."""
    return f"{prefix}{number:011d}"


def _order(number: int, product_name: str = "Vanilla pod", *, buyer: str = "amy",
           order_id: str | None = None, **extra: str) -> OrderSpec:
    """A one-line order paid 03/31/2026 11:52:23 PM; ``extra`` overrides export cells."""
    return OrderSpec(order_id if order_id is not None else _id(number), "Delivered",
                     datetime(2026, 3, 31, 23, 50), datetime(2026, 3, 31, 23, 52, 23),
                     [LineSpec(_id(number, "17293847"), _id(number, "17300000"),
                               product_name, 1, 1750)],
                     buyer_username=buyer, extra=dict(extra))


def _rows(orders: list[OrderSpec], **options) -> list[dict[str, str]]:
    return [row for order in orders for row in order_rows(order, **options)]


def _csv(folder: Path, orders: list[OrderSpec], name: str = EXPORT_NAME, **options) -> Path:
    return write_orders_csv(folder / name, _rows(orders), **options)


def _xlsx(folder: Path, orders: list[OrderSpec], name: str = "All order.xlsx",
          **options) -> Path:
    return write_orders_xlsx(folder / name, _rows(orders), **options)


def _regular_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """A workbook written cell by cell: unlike the builder's write-only one, it states its
    dimension (``<dimension ref="A1:BK4"/>``) as Excel's do. Header, then ``rows``."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "OrderSKUList"
    sheet.append(US_ORDER_HEADERS)
    for cells in rows:
        sheet.append(cells)
    workbook.save(path)
    return path


def _cells(orders: list[OrderSpec]) -> list[list[object]]:
    return [[row.get(h, "") for h in US_ORDER_HEADERS]
            for row in _rows(orders, trailing_tabs=False)]


def _text_export(orders: list[OrderSpec], delimiter: str = ",",
                 headers: list[str] = US_ORDER_HEADERS) -> str:
    """An export as text, for encodings and layouts the builder does not write."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    tab = delimiter != "\t"  # a TAB-separated file cannot end its IDs in a TAB
    writer.writerows([row.get(h, "") for h in headers]
                     for row in _rows(orders, trailing_tabs=tab))
    return buffer.getvalue()


def _write(folder: Path, data: bytes, name: str = EXPORT_NAME) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _good_bytes(folder: Path) -> bytes:
    return _csv(folder, [_order(1), _order(2)], name="good.csv").read_bytes()


# --- store ----------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store already holding one good import."""
    db = tmp_path / "store.db"
    report = import_file(db, write_export(tmp_path, hand_orders(), name="first.csv"),
                         timezone=TZ)
    assert report.ok, report.message
    return db


def _query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with read_connection(db) as conn:
        return [tuple(row) for row in conn.execute(sql, params)]


def _checksum(db: Path) -> str:
    """A digest of every row of every table but the import log (which records each
    attempt, rejected ones too) and the data version (which every write bumps)."""
    digest = hashlib.sha256()
    tables = [name for (name,) in _query(
        db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "AND name != 'import_log' ORDER BY name")]
    for table in tables:
        where = " WHERE key != 'data_version'" if table == "meta" else ""
        digest.update(table.encode())
        for row in _query(db, f"SELECT * FROM {table}{where} ORDER BY 1, 2"):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _log(db: Path) -> list[tuple]:
    return _query(db, "SELECT file_name, status FROM import_log ORDER BY import_id")


def _import(db: Path, path: Path, **options) -> ImportReport:
    options.setdefault("timezone", TZ)
    return import_file(db, path, **options)


def _assert_rejected(db: Path, path: Path, *message_parts: str,
                     error_type: str | None = None) -> ImportReport:
    """Import ``path``; it must be rejected saying ``message_parts``, with nothing stored."""
    before, log_before = _checksum(db), _log(db)

    report = _import(db, path)

    assert report.status == "rejected", report.summary_line()
    for part in message_parts:
        assert part in report.message
    assert report.error_type == error_type, report.message  # None: an anticipated problem
    assert (report.rows_stored, report.rows_quarantined, report.lines_written) == (0, 0, 0)
    assert _checksum(db) == before
    assert _log(db) == log_before + [(path.name, "rejected")]
    return report


def _assert_all_rows_accounted(db: Path, report: ImportReport, data_rows: int) -> None:
    """Every data row of the file was stored or quarantined, never lost or doubled."""
    assert report.status == "imported", report.message
    assert report.rows_read == data_rows
    assert report.rows_stored + report.rows_quarantined == data_rows
    assert _query(db, "SELECT COUNT(DISTINCT file_line) FROM quarantine WHERE import_id = ?",
                  (report.import_id,)) == [(report.rows_quarantined,)]


def _stored_names(db: Path) -> dict[str, str | None]:
    """Order ID -> the product name stored on its first line."""
    return dict(_query(db, "SELECT order_id, product_name FROM order_line WHERE line_no = 1"))


# --- size cap -------------------------------------------------------------------------


def test_file_over_the_size_cap_is_rejected_before_a_byte_is_read(store, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setenv(reading.MAX_IMPORT_MB_VARIABLE, "1")
    path = tmp_path / EXPORT_NAME
    with path.open("wb") as handle:
        handle.truncate(1024 * 1024 + 1)  # sparse: instant, whatever the size
    reads = []
    monkeypatch.setattr(pipeline, "file_sha256", lambda p: reads.append("sha256") or "")
    monkeypatch.setattr(pipeline, "open_source", lambda *a: reads.append("open_source"))

    report = _assert_rejected(store, path, "over the 1 MB import limit", "1.0 MB",
                              "CAMPAIGN_MAX_IMPORT_MB")

    assert reads == []
    assert report.sha256 == ""
    with pytest.raises(reading.FileRejected, match="import limit"):
        reading.open_source(path)


def test_file_at_the_size_cap_is_read(store, tmp_path, monkeypatch):
    monkeypatch.setenv(reading.MAX_IMPORT_MB_VARIABLE, "1")
    path = _csv(tmp_path, [_order(1)])
    with path.open("ab") as handle:  # blank lines up to exactly 1 MB: skipped when read
        handle.write(b"\r\n" * ((1024 * 1024 - path.stat().st_size) // 2))
    assert path.stat().st_size == 1024 * 1024

    _assert_all_rows_accounted(store, _import(store, path), data_rows=1)


def test_size_cap_defaults_to_200_mb_and_refuses_a_nonsense_setting(monkeypatch):
    monkeypatch.delenv(reading.MAX_IMPORT_MB_VARIABLE, raising=False)
    assert reading.max_import_mb() == reading.MAX_IMPORT_MB == 200
    monkeypatch.setenv(reading.MAX_IMPORT_MB_VARIABLE, "0.5")
    assert reading.max_import_mb() == 0.5
    for nonsense in ("lots", "-1", "0", "nan"):
        monkeypatch.setenv(reading.MAX_IMPORT_MB_VARIABLE, nonsense)
        with pytest.raises(ValueError, match="CAMPAIGN_MAX_IMPORT_MB"):
            reading.max_import_mb()


def test_nonsense_size_cap_is_the_callers_error_not_the_files(store, tmp_path, monkeypatch):
    monkeypatch.setenv(reading.MAX_IMPORT_MB_VARIABLE, "two hundred")
    log_before = _log(store)

    with pytest.raises(ValueError, match="CAMPAIGN_MAX_IMPORT_MB must be a positive number"):
        _import(store, _csv(tmp_path, [_order(1)]))

    assert _log(store) == log_before


def test_streamlit_upload_limit_agrees_with_the_import_cap():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == reading.MAX_IMPORT_MB


# --- empty, wrong kind, undecodable, damaged text -------------------------------------


def _with_cell(folder: Path, marker: bytes) -> bytes:
    """A good UTF-8 export (no BOM: header, then orders on lines 2 and 3) whose second
    order's Buyer Message is ``marker``, bytes the builder cannot write."""
    order = _order(3, **{"Buyer Message": "MARKER"})
    raw = _csv(folder, [_order(1), order], name="source.csv", encoding="utf-8").read_bytes()
    return raw.replace(b"MARKER", marker)


def _ole_file(folder: Path) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _plain_zip(folder: Path) -> bytes:
    return _zip_of({"orders.csv": _good_bytes(folder)})


def _xlsx_of_a_future_zip_version(folder: Path) -> bytes:
    """A workbook whose sheet claims to need zip version 22.2 (no such version exists)."""
    data = bytearray(_xlsx(folder, [_order(1)]).read_bytes())
    entry = data.find(b"PK\x01\x02")  # central directory entries: version needed at +6
    while entry != -1:
        name_length = int.from_bytes(data[entry + 28:entry + 30], "little")
        if data[entry + 46:entry + 46 + name_length] == b"xl/worksheets/sheet1.xml":
            data[entry + 6:entry + 8] = (222).to_bytes(2, "little")
        entry = data.find(b"PK\x01\x02", entry + 4)
    return bytes(data)


REJECTED = {
    "empty": (lambda folder: b"", ["empty"]),
    "whitespace_only": (lambda folder: b" \r\n\t\r\n" * 100, ["empty"]),
    "bom_only": (lambda folder: codecs.BOM_UTF8, ["empty"]),
    "header_only": (lambda folder: _csv(folder, [], name="h.csv").read_bytes(),
                    ["header but no order rows"]),
    "html_page": (lambda folder: codecs.BOM_UTF8 + b"<!DOCTYPE html>\n<html><body>Log in"
                                                   b"</body></html>", ["web page"]),
    "elf_executable": (lambda folder: b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 64,
                       ["binary data"]),
    "windows_executable": (lambda folder: b"MZ\x90\x00\x03\x00\x00\x00" + bytes(4096),
                           ["binary data"]),
    "pdf": (lambda folder: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n" + bytes(64),
            ["binary data"]),
    "png": (lambda folder: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
            ["binary data"]),
    "old_xls_or_encrypted_xlsx": (_ole_file, [".xls", "password"]),
    "zip_without_workbook": (_plain_zip, ["zip archive, not an Excel workbook"]),
    "xlsb_binary_workbook": (lambda folder: _zip_of({"xl/workbook.bin": b"\x83\x01\x00"}),
                             [".xlsb", "save it as .xlsx"]),
    "ods_spreadsheet": (lambda folder: _zip_of({
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": b"<office:document-content/>"}), [".ods", "save it as .xlsx"]),
    "utf16_without_bom": (lambda folder: _text_export([_order(1)], "\t").encode("utf-16-le"),
                          ["UTF-16", "without a byte-order mark"]),
    "truncated_xlsx": (lambda folder: _xlsx(folder, [_order(1)]).read_bytes()[:3000],
                       ["Excel", "damaged"]),
    "xlsx_of_a_future_zip_version": (_xlsx_of_a_future_zip_version, ["Excel", "damaged"]),
    "nul_after_utf8_bom": (lambda folder: codecs.BOM_UTF8 + _with_cell(folder, b"a\x00b"),
                           ["NUL character"]),
    "nul_beyond_the_sniffed_start": (
        lambda folder: _with_cell(folder, b"x" * 70_000 + b"\x00"), ["NUL character"]),
    "undecodable_bytes": (lambda folder: _with_cell(folder, b"Caf" + UNDEFINED_BYTES),
                          ["encoding is not UTF-8, UTF-16 or Windows-1252"]),
    "cp1252_bytes_after_a_utf8_bom": (
        lambda folder: codecs.BOM_UTF8 + _with_cell(folder, "Café".encode("cp1252")),
        ["encoding"]),
    "utf16_odd_length": (
        lambda folder: codecs.BOM_UTF16_LE + _text_export([_order(1)], "\t").encode(
            "utf-16-le") + b"\x00", ["encoding"]),
    "utf16_lone_surrogate": (
        lambda folder: codecs.BOM_UTF16_LE + _text_export(
            [_order(1, "Tea MARK")], "\t").encode("utf-16-le").replace(
                "MARK".encode("utf-16-le"), b"\x00\xd8"), ["encoding"]),
    "ten_mb_single_line": (lambda folder: _with_cell(folder, b"y" * (10 * 1024 * 1024)),
                           ["Line 3", "characters"]),
    "ten_mb_line_without_any_newline": (lambda folder: b"z" * (10 * 1024 * 1024),
                                        ["Line 1", "characters"]),
    "quoted_field_over_the_csv_limit": (
        lambda folder: _with_cell(folder, b'"' + b"q," * (1024 * 1024) + b'"'),
        ["Line 3", "cell over"]),
    "unclosed_quote_swallowing_the_file": (
        lambda folder: _with_cell(folder, b'"never closed' + b"\r\nline," * 200_000),
        ["Line 3", "unclosed quote"]),
    "thousands_of_cells_in_a_row": (lambda folder: _with_cell(folder, b"," * 5000),
                                    ["Line 3", "cells"]),
}


@pytest.mark.parametrize("case", list(REJECTED))
def test_broken_or_wrong_file_is_rejected_with_a_clear_message_and_nothing_stored(
        store, tmp_path, case):
    make_bytes, message_parts = REJECTED[case]

    _assert_rejected(store, _write(tmp_path, make_bytes(tmp_path)), *message_parts)


@pytest.mark.parametrize("document", [
    '{"code": 0, "data": {"products": [{"id": "1730000000000000001", "title": "Tea \\ud800",'
    ' "status": "ACTIVATE"}]}}',
    '{"code": 40001, "message": "bad \\udc00 token", "data": {}}',
], ids=["in_a_product_title", "in_an_error_message"])
def test_json_with_a_lone_surrogate_escape_is_rejected(store, tmp_path, document):
    path = _write(tmp_path, document.encode(), "products.json")

    _assert_rejected(store, path, "invalid character escape")


def test_folder_or_device_is_rejected_without_reading_it(store, tmp_path):
    folder = tmp_path / "All order-2026-04-02-09_15.csv"
    folder.mkdir()

    _assert_rejected(store, folder, "not a regular file")
    with pytest.raises(reading.FileRejected, match="not a regular file"):
        reading.open_source(Path(os.devnull))


def test_workbook_saved_under_a_csv_name_is_read_by_its_content(store, tmp_path):
    path = _xlsx(tmp_path, [_order(1), _order(2)], name="All order (1).csv")

    report = _import(store, path)

    _assert_all_rows_accounted(store, report, data_rows=2)
    assert report.rows_quarantined == 0


# --- encodings ------------------------------------------------------------------------


ENCODINGS = {
    "utf-8": (lambda text: text.encode("utf-8"), ",", EMOJI_NAME),
    "utf-8 with BOM": (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), ",", EMOJI_NAME),
    "utf-16 LE with BOM, tab-separated": (
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "\t", EMOJI_NAME),
    "utf-16 BE with BOM, tab-separated": (
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "\t", EMOJI_NAME),
    "cp1252": (lambda text: text.encode("cp1252"), ",", CP1252_NAME),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_every_supported_encoding_decodes_names_exactly(store, tmp_path, encoding):
    encode, delimiter, name = ENCODINGS[encoding]
    buyer = name.replace(" ", "_")
    text = _text_export([_order(1, name, buyer=buyer), _order(2)], delimiter)
    path = _write(tmp_path, encode(text))

    report = _import(store, path)

    _assert_all_rows_accounted(store, report, data_rows=2)
    assert report.rows_quarantined == 0
    assert _stored_names(store)[_id(1)] == name
    assert _query(store, "SELECT name FROM product WHERE product_id = ?",
                  (_id(1, "17300000"),)) == [(name,)]
    assert _query(store, "SELECT buyer_key FROM orders WHERE order_id = ?", (_id(1),)) == [
        (buyer,)]


# --- CSV layout -----------------------------------------------------------------------


def test_quoted_newlines_and_commas_import_exactly_with_physical_quarantine_lines(
        store, tmp_path):
    name = 'Tea, green\r\n"large" tin, 500 g\nrefill'
    orders = [_order(1, name, buyer="amy, the buyer"),
              _order(2, **{"SKU Unit Original Price": "twelve"}), _order(3)]
    path = _csv(tmp_path, orders)
    # Header on line 1; order 1 spans lines 2-4, so the bad order is on line 5.
    assert path.read_bytes().count(b"\n") == 6

    report = _import(store, path)

    _assert_all_rows_accounted(store, report, data_rows=3)
    assert _stored_names(store)[_id(1)] == name
    assert _query(store, "SELECT buyer_key FROM orders WHERE order_id = ?", (_id(1),)) == [
        ("amy, the buyer",)]
    assert [(p.file_line, p.column) for p in report.problems] == [
        (5, "SKU Unit Original Price")]


def test_duplicated_header_rows_start_new_sections_and_every_row_is_accounted_for(
        store, tmp_path):
    header = _csv(tmp_path, [], name="header.csv", encoding="utf-8").read_bytes()
    part_a = _csv(tmp_path, [_order(1), _order(2, **{"Quantity": "two"})], name="a.csv",
                  encoding="utf-8").read_bytes()
    part_b = _csv(tmp_path, [_order(3), _order(4, order_id="5.8387E+18")], name="b.csv",
                  encoding="utf-8").read_bytes()
    # The header twice at the top, once between the parts, once more at the very end.
    path = _write(tmp_path, codecs.BOM_UTF8 + header + part_a + part_b + header)

    report = _import(store, path)

    _assert_all_rows_accounted(store, report, data_rows=4)
    assert (report.rows_stored, report.rows_quarantined) == (2, 2)
    assert " ".join(report.notes).count("repeated header") == 3
    names = _stored_names(store)
    assert _id(1) in names and _id(3) in names
    assert _id(2) not in names and not any(name.startswith("5.8") for name in names)


# --- XLSX: zip bombs, entity expansion, formulas, IDs ---------------------------------


def _rezipped(source: Path, target: Path, replace: dict[str, bytes] | None = None,
              add_member=None) -> Path:
    """Copy the workbook ``source`` member by member, replacing those in ``replace`` (a
    member replaced by b"" is dropped); ``add_member(copy)`` may then write more."""
    replace = replace or {}
    with zipfile.ZipFile(source) as original, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as copy:
        for member in original.infolist():
            data = replace.get(member.filename, original.read(member.filename))
            if data:
                copy.writestr(member.filename, data)
        if add_member:
            add_member(copy)
    return target


def _bomb_sheet(copy: zipfile.ZipFile, megabytes: int = 100) -> None:
    """The order sheet as ``megabytes`` of empty rows: a few hundred kB zipped, and
    millions of rows to parse if it were opened."""
    chunk = b"<row/>" * (1024 * 1024 // 6)
    with copy.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
        member.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                     b'2006/main"><sheetData>')
        for _ in range(megabytes):
            member.write(chunk)
        member.write(b"</sheetData></worksheet>")


def _incompressible_filler(copy: zipfile.ZipFile) -> None:
    copy.writestr("xl/media/image1.png", random.Random(1).randbytes(1024 * 1024))


def _timed_rejection(db: Path, path: Path, *message_parts: str) -> float:
    started = time.perf_counter()
    _assert_rejected(db, path, *message_parts)
    return time.perf_counter() - started


@pytest.mark.parametrize("padded", [False, True], ids=["plain", "padded_with_filler"])
def test_xlsx_zip_bomb_is_rejected_in_under_2_seconds(store, tmp_path, padded):
    good = _xlsx(tmp_path, [_order(1)])
    started = time.perf_counter()

    def add_bomb(copy: zipfile.ZipFile) -> None:
        _bomb_sheet(copy)
        if padded:  # keeps the whole archive's ratio low: only the member's ratio tells
            _incompressible_filler(copy)

    bomb = _rezipped(good, tmp_path / "All order bomb.xlsx",
                     {"xl/worksheets/sheet1.xml": b""}, add_member=add_bomb)
    assert time.perf_counter() - started < 3  # the test itself stays fast
    assert bomb.stat().st_size < 2 * 1024 * 1024

    seconds = _timed_rejection(store, bomb, "zip bomb", "not opened")

    assert seconds < SECONDS_ALLOWED


BILLION_LAUGHS_DTD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [\n'
    ' <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">\n'
              for n in range(1, 10)).replace("&lol0;", "&lol;")
    + "]>\n")
_MAIN_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_SHARED_STRINGS_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml."
                        "sharedStrings+xml")


def _laughs_in_sheet(original: zipfile.ZipFile) -> dict[str, str]:
    return {"xl/worksheets/sheet1.xml": BILLION_LAUGHS_DTD + (
        f'<worksheet {_MAIN_NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
        "<t>&lol9;</t></is></c></row></sheetData></worksheet>")}


def _laughs_in_shared_strings(original: zipfile.ZipFile) -> dict[str, str]:
    # Excel keeps text in xl/sharedStrings.xml, read when the workbook opens; openpyxl's
    # own files have none, so it is added and declared in the content types.
    types = original.read("[Content_Types].xml").decode().replace(
        "</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                    f'ContentType="{_SHARED_STRINGS_TYPE}"/></Types>')
    return {"[Content_Types].xml": types,
            "xl/sharedStrings.xml": BILLION_LAUGHS_DTD + (
                f'<sst {_MAIN_NS} count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')}


def _laughs_in_workbook(original: zipfile.ZipFile) -> dict[str, str]:
    workbook = original.read("xl/workbook.xml").decode().split("?>", 1)[-1]
    named_by_entity = workbook.replace('name="OrderSKUList"', 'name="&lol9;"')
    return {"xl/workbook.xml": BILLION_LAUGHS_DTD + named_by_entity}


ENTITY_PLACES = {"sheet": _laughs_in_sheet, "shared_strings": _laughs_in_shared_strings,
                 "workbook": _laughs_in_workbook}


@pytest.mark.parametrize("where", list(ENTITY_PLACES))
def test_xml_entity_expansion_is_rejected_in_under_2_seconds(store, tmp_path, where):
    good = _xlsx(tmp_path, [_order(1)])
    with zipfile.ZipFile(good) as original:
        members = ENTITY_PLACES[where](original)
    members = {name: text.encode() for name, text in members.items()}
    existing = {name: data for name, data in members.items() if name != "xl/sharedStrings.xml"}

    def add_new(copy: zipfile.ZipFile) -> None:
        if "xl/sharedStrings.xml" in members:
            copy.writestr("xl/sharedStrings.xml", members["xl/sharedStrings.xml"])

    laughs = _rezipped(good, tmp_path / "All order laughs.xlsx", existing, add_member=add_new)

    seconds = _timed_rejection(store, laughs, "declares entities", "billion laughs")

    assert seconds < SECONDS_ALLOWED


def test_openpyxl_parses_with_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True  # it refuses entity declarations in any XML


def test_xlsx_formulas_are_read_as_text_never_evaluated(store, tmp_path):
    hyperlink = '=HYPERLINK("http://example.com/?q="&B2,"Click")'
    orders = [_order(1, hyperlink, buyer="=1+1"),
              _order(2, order_id="=1+1"),
              _order(3, **{"SKU Unit Original Price": "=cmd|' /C calc'!A0"}),
              _order(4, **{"Quantity": "=1+1"}),
              _order(5)]
    path = _xlsx(tmp_path, orders)
    with zipfile.ZipFile(path) as archive:  # really formulas in the file, not strings
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>1+1</f>" in sheet and "<f>cmd|' /C calc'!A0</f>" in sheet

    report = _import(store, path)

    _assert_all_rows_accounted(store, report, data_rows=5)
    assert report.rows_quarantined == 3
    assert {(p.file_line, p.column, p.raw_value.strip()) for p in report.problems} == {
        (3, "Order ID", "=1+1"),
        (4, "SKU Unit Original Price", "=cmd|' /C calc'!A0"),
        (5, "Quantity", "=1+1")}
    assert _stored_names(store)[_id(1)] == hyperlink
    assert _query(store, "SELECT buyer_key FROM orders WHERE order_id = ?", (_id(1),)) == [
        ("=1+1",)]


def test_xlsx_19_digit_ids_are_exact_as_text_and_quarantined_as_numbers(store, tmp_path):
    rows = _cells([_order(1), _order(2), _order(3)])
    # A copy saved by Excel: the ID became a number and lost its last digits.
    rows[1][US_ORDER_HEADERS.index("Order ID")] = float(_id(2))
    path = _regular_xlsx(tmp_path / "All order.xlsx", rows)

    report = _import(store, path)

    _assert_all_rows_accounted(store, report, data_rows=3)
    assert [(p.file_line, p.column) for p in report.problems] == [(3, "Order ID")]
    assert _query(store, "SELECT order_id, typeof(order_id) FROM orders WHERE order_id IN "
                         "(?, ?) ORDER BY 1", (_id(1), _id(3))) == [
        (_id(1), "text"), (_id(3), "text")]


def _sheet_edited(folder: Path, edit) -> Path:
    """A 3-order workbook (header on row 1, orders on rows 2-4) whose sheet XML is
    ``edit(xml)``."""
    good = _regular_xlsx(folder / "good.xlsx", _cells([_order(1), _order(2), _order(3)]))
    with zipfile.ZipFile(good) as original:
        sheet = original.read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:BK4" />' in sheet
    return _rezipped(good, folder / "All order.xlsx",
                     {"xl/worksheets/sheet1.xml": edit(sheet).encode()})


def _extra_row(reference: str, value: str = "x"):
    cell = f'<row r="{reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{reference}" ' \
           f't="inlineStr"><is><t>{value}</t></is></c></row>'
    return lambda sheet: sheet.replace("</sheetData>", cell + "</sheetData>")


def test_xlsx_rows_past_the_claimed_dimension_are_read_not_dropped(store, tmp_path):
    path = _sheet_edited(tmp_path, lambda sheet: sheet.replace('ref="A1:BK4"', 'ref="A1:BK2"'))

    report = _import(store, path)

    _assert_all_rows_accounted(store, report, data_rows=3)  # not 1, as the claim says
    assert report.rows_quarantined == 0


@pytest.mark.parametrize("edit, message_parts", [
    (_extra_row(f"A{1_048_577}"), ["past Excel's last row", "damaged"]),
    (_extra_row("XFD5"), ["Line 5 has 16,384 cells"]),
], ids=["row_past_excels_last", "cell_in_excels_last_column"])
def test_xlsx_rows_no_workbook_can_have_are_rejected_quickly(store, tmp_path, edit,
                                                             message_parts):
    seconds = _timed_rejection(store, _sheet_edited(tmp_path, edit), *message_parts)

    assert seconds < SECONDS_ALLOWED


# --- unexpected failures --------------------------------------------------------------


def _raising(error: BaseException):
    def fail(*args, **kwargs):
        raise error
    return fail


UNEXPECTED = {
    "KeyError": KeyError("xl/worksheets/sheet1.xml"),
    "Error": csv.Error("field larger than field limit (131072)"),
    "UnicodeDecodeError": UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
    "RecursionError": RecursionError("maximum recursion depth exceeded"),
    "MemoryError": MemoryError(),
    "BadZipFile": zipfile.BadZipFile("Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"),
}


@pytest.mark.parametrize("error_type", list(UNEXPECTED))
def test_unexpected_reader_error_is_a_rejection_with_its_type_logged_once(
        store, tmp_path, monkeypatch, caplog, error_type):
    orders = handlers.HANDLERS["orders"]
    monkeypatch.setitem(handlers.HANDLERS, "orders", handlers.KindHandler(
        _raising(UNEXPECTED[error_type]), orders.classify, orders.write))

    with caplog.at_level(logging.ERROR, logger=pipeline.__name__):
        report = _assert_rejected(store, _csv(tmp_path, [_order(1)]), "could not be read",
                                  error_type, error_type=error_type)

    assert [record.exc_info[0].__name__ for record in caplog.records] == [error_type]
    assert EXPORT_NAME in caplog.records[0].getMessage()
    assert report.kind == "orders"


def test_unstorable_value_rolls_back_and_is_a_rejection(store, tmp_path, monkeypatch, caplog):
    orders = handlers.HANDLERS["orders"]

    def write_then_fail(conn, *args):
        orders.write(conn, *args)  # rows are written, then the transaction must roll back
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setitem(handlers.HANDLERS, "orders", handlers.KindHandler(
        orders.parse, orders.classify, write_then_fail))

    with caplog.at_level(logging.ERROR, logger=pipeline.__name__):
        _assert_rejected(store, _csv(tmp_path, [_order(1)]), "could not be stored",
                         "OverflowError", error_type="OverflowError")

    assert len(caplog.records) == 1


@pytest.mark.parametrize("value", ["9" * 40, "1" + "0" * 30 + ".00", "Infinity", "NaN",
                                   "sNaN", "-0", "1e308", "0x10", "١٢", "½"])
def test_absurd_numbers_are_quarantined_or_rejected_never_raised(store, tmp_path, value):
    orders = [_order(1), _order(2, **{"Quantity": value}),
              _order(3, **{"SKU Unit Original Price": value}), _order(4)]
    before = _checksum(store)

    report = _import(store, _csv(tmp_path, orders))

    if report.ok:
        _assert_all_rows_accounted(store, report, data_rows=4)
    else:
        assert report.message and _checksum(store) == before


def test_randomly_damaged_files_never_raise_and_leave_the_store_consistent(store, tmp_path):
    rng = random.Random(20261126)
    seeds = [_good_bytes(tmp_path), _xlsx(tmp_path, [_order(1), _order(2)]).read_bytes()]
    for attempt in range(60):
        data = bytearray(seeds[attempt % 2])
        for _ in range(rng.choice([1, 3, 10])):
            position = rng.randrange(len(data))
            if rng.random() < 0.6:
                data[position] = rng.randrange(256)
            else:
                del data[position:position + rng.randrange(1, 40)]
        before = _checksum(store)

        report = _import(store, _write(tmp_path, bytes(data), f"damaged {attempt}.csv"))

        if report.ok:
            assert report.rows_stored + report.rows_quarantined == report.rows_read
        else:
            assert report.message and _checksum(store) == before


# --- the Big List of Naughty Strings --------------------------------------------------


def _trimmed(text: str) -> str | None:
    return text.strip(PADDING) or None


def test_naughty_list_is_available_offline():
    strings = naughty_strings()
    assert len(strings) > 500
    assert "<script>alert(123)</script>" in strings and "=cmd|' /C calc'!A0" in strings
    assert len(set(strings)) == len(strings)


def _xlsx_can_hold(text: str) -> bool:
    """Excel cells cannot hold XML-illegal characters nor more than 32,767 characters
    (openpyxl refuses the first and cuts the second), so no real workbook has them."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return (not ILLEGAL_CHARACTERS_RE.search(text) and "\ufffe" not in text
            and len(text) <= EXCEL_CELL_LIMIT)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_naughty_product_and_buyer_names_are_stored_exactly(store, tmp_path, suffix):
    strings = naughty_strings()
    if suffix == ".xlsx":
        strings = [text for text in strings if _xlsx_can_hold(text)]
    orders = [_order(1)] + [_order(n, text, buyer=text)
                            for n, text in enumerate(strings, start=2)]
    write = _xlsx if suffix == ".xlsx" else _csv

    report = _import(store, write(tmp_path, orders, name=f"All order{suffix}"))

    _assert_all_rows_accounted(store, report, data_rows=len(orders))
    assert report.rows_quarantined == 0
    names = _stored_names(store)
    buyers = dict(_query(store, "SELECT order_id, buyer_key FROM orders"))
    # Compared one by one, reported briefly: some strings are 32 kB long.
    wrong = [text[:60] for number, text in enumerate(strings, start=2)
             if not names[_id(number)] == buyers[_id(number)] == _trimmed(text)]
    assert wrong == []


def test_naughty_header_names_are_ignored_as_unknown_columns(store, tmp_path):
    strings = naughty_strings()
    extra = [f"{text}" for text in strings if _trimmed(text)]
    headers = US_ORDER_HEADERS + extra
    rows = [{**row, **{h: h for h in extra}} for row in _rows([_order(1), _order(2)])]
    path = write_orders_csv(tmp_path / EXPORT_NAME, rows, headers=headers)

    report = _import(store, path)

    _assert_all_rows_accounted(store, report, data_rows=2)
    assert report.rows_quarantined == 0


def test_naughty_order_ids_are_quarantined_unless_they_are_id_shaped(store, tmp_path):
    strings = naughty_strings()
    orders = [_order(1)] + [_order(n, order_id=text) for n, text in enumerate(strings, start=2)]
    path = _csv(tmp_path, orders)

    report = _import(store, path)

    _assert_all_rows_accounted(store, report, data_rows=len(orders))
    stored = {order_id for (order_id,) in _query(store, "SELECT order_id FROM orders")}
    quarantined_lines = {p.file_line for p in report.problems if p.column == "Order ID"}
    accepted = [text for line, text in enumerate(strings, start=3)  # order 1 is on line 2
                if line not in quarantined_lines]
    # Accepted only as the exact, trimmed text, and only letters, digits, - and _.
    assert [text[:60] for text in accepted if _trimmed(text) not in stored] == []
    assert [text[:60] for text in accepted
            if not re.fullmatch(r"[0-9A-Za-z_-]+", _trimmed(text))] == []
