"""The order of slash dates (``01/11/2026``: 1 November or January 11?) of one file.

One rule for every importer: a file's slash dates are all day-first or all month-first.
A date whose first part is over 12 (``13/11/2026``) proves day-first, one whose second part
is over 12 (``11/13/2026``) proves month-first; when no date of the file settles it, a date
range settles it if only one reading makes it end after it starts; otherwise the shop's
market does (``markets.Market.date_order``). A file that mixes both proofs, or that nothing
settles, is not guessed: ``DateOrderUnknown`` says why.

Times written with AM/PM are the US layout and always month-first; they are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from campaign_core.importers.values import CellError

DAY_FIRST, MONTH_FIRST = "dmy", "mdy"
# Dashed dates (14-11-2026, as a spreadsheet may write them) follow the same rule.
_SLASH = re.compile(r"(?<![\d/-])(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?![\d/-])")
_AM_PM = re.compile(r"\d\s*[AaPp]\.?[Mm]\.?\s*$")
_ORDER_OF_MARKET = {"DMY": DAY_FIRST, "MDY": MONTH_FIRST}


class DateOrderUnknown(CellError):
    """The slash dates of a file can be read two ways and nothing says which."""


def market_order(date_order: str | None) -> str | None:
    """A market's date order (``"DMY"``) as a slash order (``"dmy"``); None when the market
    writes no slash dates or is not known (``"YMD"`` dates are not ambiguous)."""
    return _ORDER_OF_MARKET.get((date_order or "").upper())


def date_proof(text: object) -> tuple[str | None, str | None]:
    """What one text says of the order: (``"dmy"``/``"mdy"`` when a date in it can only be
    read that way, else None; a date in it that reads both ways, else None)."""
    if not isinstance(text, str) or ("/" not in text and "-" not in text) \
            or _AM_PM.search(text):
        return None, None
    ambiguous = None
    for match in _SLASH.finditer(text):
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second:
            return DAY_FIRST, None
        if second > 12 >= first:
            return MONTH_FIRST, None
        if first != second and first <= 12:
            ambiguous = ambiguous or match.group(0)
    return None, ambiguous


def slash_order(texts: Iterable[object], fallback: str | None) -> str:
    """``"dmy"`` or ``"mdy"`` for the slash dates in ``texts`` (cells of the file's date
    columns, a range, a file name), else ``fallback`` (the shop's market's order).

    Raises ``DateOrderUnknown`` when the texts prove both orders, or when they prove neither
    and there is no ``fallback`` while some slash date needs one.
    """
    proofs: dict[str, str] = {}
    ambiguous = None
    for text in texts:
        proven, unsure = date_proof(text)
        if proven:
            proofs.setdefault(proven, str(text).strip())
        ambiguous = ambiguous or unsure
    if len(proofs) == 2:
        raise DateOrderUnknown(
            f"the file mixes day-first ({proofs[DAY_FIRST]}) and month-first "
            f"({proofs[MONTH_FIRST]}) dates, so its slash dates cannot be read safely")
    if proofs:
        return next(iter(proofs))
    return undecided_order(ambiguous, fallback)


def undecided_order(ambiguous: str | None, fallback: str | None) -> str:
    """The order when no date proved one: ``fallback``; any order when no date needs one;
    else raises ``DateOrderUnknown`` naming the ``ambiguous`` date."""
    if fallback or not ambiguous:
        return fallback or MONTH_FIRST  # without an ambiguous date the order is moot
    raise DateOrderUnknown(
        f"every slash date of the file (e.g. {ambiguous}) reads as day-first or month-first "
        "and the shop's market does not say which: give the shop its market's timezone and "
        "currency (Campaigns page, Shops), or export a period with a day above 12")


def slash_day(text: str, order: str) -> date:
    """``DD/MM/YYYY`` or ``MM/DD/YYYY`` (by ``order``) as a day; raises ``CellError``."""
    match = _SLASH.fullmatch(text.strip())
    if match is None:
        raise CellError("not a slash date (expected DD/MM/YYYY or MM/DD/YYYY)")
    first, _, second, year = match.groups()
    first, second, year = int(first), int(second), int(year)
    month, day = (first, second) if order == MONTH_FIRST else (second, first)
    try:
        return date(year, month, day)
    except ValueError as error:
        read_as = "MM/DD/YYYY" if order == MONTH_FIRST else "DD/MM/YYYY"
        raise CellError(f"not a valid day ({text!r} read as {read_as}: {error})") from error


def range_order(start: str, end: str, fallback: str | None) -> str:
    """The order of a range's two slash dates: the dates themselves, else the one reading in
    which the range ends after it starts (``07/11/2026~06/12/2026`` is 7 November to
    6 December: 11 July to 12 June is no range), else ``fallback``."""
    try:
        return slash_order([start, end], None)
    except DateOrderUnknown:
        pass
    valid = [order for order in (DAY_FIRST, MONTH_FIRST) if _ordered(start, end, order)]
    if len(valid) == 1:
        return valid[0]
    return slash_order([start, end], fallback)


def _ordered(start: str, end: str, order: str) -> bool:
    try:
        return slash_day(start, order) <= slash_day(end, order)
    except CellError:
        return False
