"""Does a file look completely written? Asked before the inbox imports it.

A stable size only says the writer paused. A CSV is complete when it ends in a whole
record: a final line break outside any quoted field (an even count of double quotes).
An XLSX is a zip whose central directory, written last, is there and readable. A JSON
answer ends with its closing bracket. Other files are taken as they are.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_CHUNK = 1 << 20
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def looks_complete(path: Path | str) -> bool:
    """True when the file at ``path`` ends where a whole file of its kind ends (see the
    module's docstring); False when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in _TEXT_SUFFIXES:
            return _text_complete(path)
        if suffix == ".xlsx":
            return _zip_complete(path)
        if suffix == ".json":
            return _json_complete(path)
    except OSError:
        return False
    return True


def _text_complete(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(2)
        if not start:
            return False
        handle.seek(max(0, path.stat().st_size - 2))
        end = handle.read()
        if start in _UTF16_MARKS:
            # Two bytes a character: a line break ends it; quote bytes are not countable.
            return end in (b"\n\x00", b"\r\x00", b"\x00\n", b"\x00\r")
        if not end.endswith((b"\n", b"\r")):
            return False
        handle.seek(0)
        quotes = 0
        while chunk := handle.read(_CHUNK):
            quotes += chunk.count(b'"')
    return quotes % 2 == 0


def _zip_complete(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return bool(archive.namelist())
    except (zipfile.BadZipFile, EOFError):
        return False


def _json_complete(path: Path) -> bool:
    with path.open("rb") as handle:
        size = path.stat().st_size
        handle.seek(max(0, size - 64))
        tail = handle.read().rstrip()
    return tail.endswith((b"}", b"]"))
