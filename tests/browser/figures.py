"""What "a figure reads right" means on a page, as rules over the text a viewer sees.

``raw_figures(text)`` lists every place in ``text`` that reads raw: an empty value shown as
``None`` or ``nan``, a plural dodged with ``(s)``, a figure of four or more digits without
thousands separators, a number with three or more decimals or in e-notation. IDs (ten
digits or more), years, times, dates and words with digits in them (``UV400``, ``50x60``)
are not figures and are left alone. The browser test reads the page's text (the page, the
AgGrid iframes and the table cells) and applies these rules.
"""

from __future__ import annotations

import re

_EMPTY = re.compile(r"(?<![\w.])(None|nan|NaN|NaT)(?![\w])")
_PLURAL = re.compile(r"\w\(s\)")
# A number standing alone: not part of a word, an ID, a date, a time or a version.
_NUMBER = re.compile(r"(?<![\w.,:/#-])(\d+(?:[.,]\d+)*)(?![\w:/-]|[.,]\d)")
_E_NOTATION = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE][+-]?\d+(?!\w)")
_YEAR = range(1990, 2100)
ID_DIGITS = 10  # product, SKU, order and content IDs are 17-19 digits; figures are shorter


def figure(text: str) -> float | None:
    """The number a cell shows (``$25,826.36``, ``4.0%``, ``1,119``); None for ``—``."""
    cleaned = re.sub(r"[^\d.\-]", "", text)
    return float(cleaned) if cleaned not in ("", "-", ".") else None


def raw_figures(text: str) -> list[str]:
    """Each raw-reading fragment of ``text`` with a little context, in order."""
    found = [_context(text, m) for m in _EMPTY.finditer(text)]
    found += [_context(text, m) for m in _PLURAL.finditer(text)]
    found += [_context(text, m) for m in _E_NOTATION.finditer(text)]
    for match in _NUMBER.finditer(text):
        if _raw_number(match.group(1)):
            found.append(_context(text, match))
    return found


def _raw_number(number: str) -> bool:
    """True when ``number`` (digits with ``,``/``.`` marks) is a figure written raw."""
    if number.count(".") > 1:
        return False  # a version or an address, not a figure (US marks: one decimal point)
    whole, _, decimals = number.partition(".")
    if "," not in whole and "." not in number and len(whole) >= ID_DIGITS:
        return False  # an ID
    if len(decimals) >= 3:
        # 1.2345 reads raw; a threshold like 0.001 ("p < 0.001") does not.
        return not (whole == "0" and decimals.rstrip("1").strip("0") == "" and
                    decimals.endswith("1") and decimals.count("1") == 1)
    if "," in whole:
        # Thousands separators: groups of three after the first group.
        groups = whole.split(",")
        return not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]))
    if len(whole) >= 4:
        return not (not decimals and int(whole) in _YEAR)
    return False


def _context(text: str, match: re.Match) -> str:
    start, end = max(0, match.start() - 30), min(len(text), match.end() + 30)
    return repr(text[start:end])
