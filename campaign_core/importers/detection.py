"""Which export a header row is: the most specific fit among the kinds, never a silent guess.

A header may fit several kinds (``Product ID``, ``Product name``, ``Listing status`` head a
product list and also the 44-column Data Compass export). Every kind that fits is scored
by how much of the row it explains: the fields it maps (required and optional) plus a
bonus for its distinctive fields (``Product impressions``, ``Gross revenue``...), which
other kinds' files do not carry. The highest score wins; a tie between two kinds is not
decided by their order in ``KINDS`` but reported, so a file is never read as the wrong kind
without a word.

A grouped two-row header (Data Compass: ``All``, ``Seller LIVE``, ``Affiliate``... above
measures that repeat per group) is read with its groups: a repeated measure under a group
matches the alias ``<group> <measure>`` (``Seller LIVE GMV``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from campaign_core.importers.headers import ColumnMap, map_columns
from campaign_core.importers.kinds import KINDS, ORDERS, ExportKind

HEADER_SEARCH_ROWS = 15
README_POINTER = ("README (\"Files the importer reads\") lists every supported file and "
                  "where it comes from.")


class NoKindFits(Exception):
    """No header row in the searched rows fits a kind; the message says which kind came
    closest, what it lacks and where that export comes from (two lines)."""


@dataclass(frozen=True)
class Fit:
    """One kind's reading of one header row."""

    kind: ExportKind
    columns: ColumnMap
    score: int

    @property
    def complete(self) -> bool:
        return not self.columns.missing_required


@dataclass
class HeaderSearch:
    """Offered the rows of a file one by one, says which row is the header and its kind.

    ``offer`` returns the winning ``Fit`` of the first row some kind fits completely;
    rows before it are kept in ``preamble`` (non-blank ones). ``failure`` is the message
    for a file whose searched rows no kind fits.
    """

    kinds: tuple[ExportKind, ...] = KINDS
    preamble: list[list[object]] = field(default_factory=list)
    closest: tuple[int, Fit] | None = None  # (line, partial fit with the most columns)

    def offer(self, line: int, cells: list[object]) -> Fit | None:
        groups = _groups(self.preamble[-1], len(cells)) if self.preamble else None
        fits = [fit_of(kind, cells, groups) for kind in self.kinds]
        complete = sorted((f for f in fits if f.complete), key=lambda f: -f.score)
        if complete:
            if len(complete) > 1 and complete[0].score == complete[1].score:
                raise NoKindFits(_tie_message(line, complete[0], complete[1]))
            _refuse_a_near_miss(line, complete[0], cells, groups, self.kinds)
            return complete[0]
        for fit in fits:
            found = len(fit.columns.positions)
            if found and (self.closest is None or found > len(self.closest[1].columns.positions)):
                self.closest = (line, fit)
        if any(c is not None and str(c).strip() for c in cells):
            self.preamble.append(cells)
        return None

    def failure(self) -> str:
        if self.closest is None:
            return (f"No known export header in the first {HEADER_SEARCH_ROWS} lines (the "
                    f"most common file is the {ORDERS.label}, from {ORDERS.source}).\n"
                    f"{README_POINTER}")
        line, fit = self.closest
        return (f"Closest kind: {fit.kind.label} (header on line {line}), which lacks the "
                f"columns {', '.join(fit.columns.missing_required)}.\n"
                f"That export comes from {fit.kind.source}. {README_POINTER}")


def fit_of(kind: ExportKind, cells: list[object], groups: list[str] | None = None) -> Fit:
    """How ``kind`` reads the header ``cells`` (with the super-header ``groups`` above)."""
    columns = kind.match(cells, groups)
    distinctive = sum(1 for name in kind.distinctive if columns.has(name))
    return Fit(kind, columns, len(columns.positions) + distinctive)


def detect(rows: Iterable[list[object]], kinds: tuple[ExportKind, ...] = KINDS
           ) -> tuple[int, Fit, list[list[object]]]:
    """The header of ``rows`` (the first lines of a file, numbered from 1) among ``kinds``:
    its line, its winning fit and the non-blank rows above it. Raises ``NoKindFits``."""
    search = HeaderSearch(kinds)
    for line, cells in enumerate(rows, start=1):
        if line > HEADER_SEARCH_ROWS:
            break
        fit = search.offer(line, list(cells))
        if fit is not None:
            return line, fit, search.preamble
    raise NoKindFits(search.failure())


def _groups(above: list[object], width: int) -> list[str] | None:
    """The super-header row ``above`` filled forward over the columns it spans (a merged
    cell holds its text in its first column only); None when it names fewer than two
    groups, so an ordinary preamble line is not taken for one."""
    labels = [("" if cell is None else str(cell).strip()) for cell in above[:width]]
    if sum(1 for label in labels if label) < 2:
        return None
    groups, current = [], ""
    for index in range(width):
        label = labels[index] if index < len(labels) else ""
        current = label or current
        groups.append(current)
    return groups


def _refuse_a_near_miss(line: int, winner: Fit, cells: list[object],
                        groups: list[str] | None, kinds: tuple[ExportKind, ...]) -> None:
    """Raise ``NoKindFits`` when a kind the header does not fit completely still explains
    more of its columns than the kind it fits (a Data Compass export without its traffic
    columns fits the 3-column product list): reading it as the smaller kind would drop
    most of its figures without a word."""
    explained = len(winner.columns.positions)
    for kind in kinds:
        if kind is winner.kind:
            continue
        # Unanchored: a near miss may lack exactly the column a kind is anchored on.
        columns = map_columns(cells, kind.fields, kind.required, groups)
        if columns.missing_required and len(columns.positions) > explained:
            raise NoKindFits(
                f"Closest kind: {kind.label} (header on line {line}), which lacks the columns "
                f"{', '.join(columns.missing_required)}; it also fits a {winner.kind.label}, "
                "but with fewer of its columns, so it was not read as one.\n"
                f"That export comes from {kind.source}. {README_POINTER}")


def _tie_message(line: int, first: Fit, second: Fit) -> str:
    return (f"The header on line {line} fits two kinds equally: {first.kind.label} and "
            f"{second.kind.label}; it was not imported rather than guessed.\n"
            f"Export it again from {first.kind.source} (or {second.kind.source}) without "
            f"renaming its columns. {README_POINTER}")
