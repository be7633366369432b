"""Creator handles as the store keeps and compares them."""

from __future__ import annotations


def normalise_handle(handle: str | None) -> str:
    """A creator handle as compared everywhere: trimmed, without ``@``, case-folded."""
    return (handle or "").strip().lstrip("@").strip().casefold()
