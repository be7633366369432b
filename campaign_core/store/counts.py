"""What a write does to the records it is given, counted by the writers and reported by
every import and sync."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RecordCounts:
    """What an import does to the records (orders, benchmark values, ...) it carries."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_newer: int = 0
