"""Walking a file's data rows: counting them, reporting progress, reading cells by field.

Every parser loops the same way; this is that loop, and the cell reader that turns a
``CellError`` into a quarantine ``Problem`` with file line, column, raw value and reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from campaign_core.importers.headers import ColumnMap
from campaign_core.importers.parsed import ParsedFile, Problem
from campaign_core.importers.values import CellError

if TYPE_CHECKING:  # reading.py imports parsers that import this module
    from campaign_core.importers.reading import SourceTable

PROGRESS_EVERY = 5000


def counted_rows(table: SourceTable, result: ParsedFile,
                 progress: Callable[[int], None] | None) -> Iterator[tuple[int, list[object]]]:
    """The table's data rows as ``(file line, cells)``, counted into ``result.rows_read``
    (``progress`` hears every 5,000). A repeated header row (two files pasted together) is
    noted in ``table.skipped`` and not counted."""
    for line, cells in table.rows:
        if cells is None:
            table.skipped.append(f"line {line} (repeated header)")
            continue
        result.rows_read += 1
        if progress and result.rows_read % PROGRESS_EVERY == 0:
            progress(result.rows_read)
        yield line, cells


class RowCells:
    """One data row's cells by field name; ``read`` collects a ``Problem`` per bad cell."""

    def __init__(self, line: int, cells: list[object], columns: ColumnMap):
        self.line, self._cells, self._columns = line, cells, columns
        self.problems: list[Problem] = []

    def raw(self, name: str) -> object:
        index = self._columns.positions.get(name)
        return self._cells[index] if index is not None and index < len(self._cells) else None

    def has(self, name: str) -> bool:
        return self._columns.has(name)

    def header(self, name: str) -> str:
        return self._columns.headers.get(name, name)

    def problem(self, name: str, reason: str, raw: object = None) -> None:
        raw = self.raw(name) if raw is None else raw
        self.problems.append(Problem(self.line, self.header(name),
                                     "" if raw is None else str(raw), reason))

    def read(self, name: str, parser: Callable, *args, **options):
        """``parser(cell, ...)``, or None with a problem recorded when it raises."""
        try:
            return parser(self.raw(name), *args, **options)
        except CellError as error:
            self.problem(name, str(error))
            return None
