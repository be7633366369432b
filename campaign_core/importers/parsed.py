"""What every parser returns, whatever the export kind: rows read, problems, notes."""

from __future__ import annotations

from dataclasses import dataclass, field

# Re-exported: every parser reports its counts in the store's terms.
from campaign_core.store.counts import RecordCounts  # noqa: F401


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


