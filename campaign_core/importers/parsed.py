"""What every parser returns, whatever the export kind: rows read, problems, notes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    """One unreadable cell of a quarantined row."""

    file_line: int
    column: str
    raw_value: str
    reason: str


@dataclass
class ParsedFile:
    rows_read: int = 0
    quarantined_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first_time_utc: int | None = None  # the span the file covers, for previews and the log
    last_time_utc: int | None = None

    @property
    def rows_stored(self) -> int:
        return self.rows_read - self.quarantined_rows


@dataclass
class RecordCounts:
    """What an import does to the records (orders, benchmark values, ...) it carries."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_newer: int = 0
