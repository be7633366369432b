"""Header matching: normalised names, aliases per field, and the missing-column message."""

from __future__ import annotations

import re
from dataclasses import dataclass

from campaign_core.markets import CURRENCIES

_SPACES = re.compile(r"\s+")
_BRACKET_SPACES = re.compile(r"\s*([()])\s*")
# A currency after a measure's name (``GMV (Rp)``, ``GMV(₫)``, ``Refunds ($)``): some
# markets' exports say the unit in the header. Codes and symbols of markets/__init__.py.
_UNITS = sorted({unit.casefold() for c in CURRENCIES.values()
                 for unit in (c.code, c.symbol.strip(), "$")}, key=len, reverse=True)
_CURRENCY_SUFFIX = re.compile(r"\((?:" + "|".join(map(re.escape, _UNITS)) + r")\)$")


def normalise_header(raw: object) -> str:
    """Trim, case-fold, collapse spaces and drop spaces around brackets:
    `` Virtual Bundle  Seller SKU`` and ``Order settled time (UTC)`` match."""
    text = "" if raw is None else str(raw)
    text = _SPACES.sub(" ", text.replace("\ufeff", "").replace("\u00a0", " ")).strip()
    return _BRACKET_SPACES.sub(r"\1", text).strip().casefold()


def without_currency(normalised: str) -> str | None:
    """A normalised header without a currency in brackets at its end (``gmv(rp)`` ->
    ``gmv``); None when it has none."""
    stripped = _CURRENCY_SUFFIX.sub("", normalised)
    return stripped.strip() if stripped != normalised else None


@dataclass(frozen=True)
class ColumnMap:
    """Where each known field sits in a file's header row."""

    positions: dict[str, int]  # field -> column index
    headers: dict[str, str]  # field -> the header as written in the file
    missing_required: tuple[str, ...]  # fields (by their first alias) the file lacks

    def has(self, field: str) -> bool:
        return field in self.positions


def map_columns(header_row: list[object], fields: dict[str, tuple[str, ...]],
                required: tuple[str, ...], groups: list[str] | None = None) -> ColumnMap:
    """Match a header row against ``fields`` (field -> header aliases, first is canonical).

    The first column that matches a field wins; unknown columns are ignored. ``groups``
    (a grouped header's super-header, one label per column) lets a column that matches no
    field, or a field already taken (``GMV`` repeated under ``Seller LIVE``), match the
    alias ``<group> <header>`` instead.
    """
    by_alias = {normalise_header(alias): field
                for field, aliases in fields.items() for alias in aliases}
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, raw in enumerate(header_row):
        key = normalise_header(raw)
        field = by_alias.get(key)
        if field is None and (bare := without_currency(key)):
            field = by_alias.get(bare)
        if (field is None or field in positions) and groups and index < len(groups) \
                and groups[index]:
            field = by_alias.get(normalise_header(f"{groups[index]} {raw}"))
        if field and field not in positions:
            positions[field] = index
            headers[field] = str(raw).strip()
    missing = tuple(fields[f][0] for f in required if f not in positions)
    return ColumnMap(positions, headers, missing)
