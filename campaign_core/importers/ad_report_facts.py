"""What an ad report says about itself beyond its rows: the ad account's time zone, when
stated above the header, and whether a GMV Max report was in net ROI mode.

Time zone: Ads Manager reports follow the ad account's time zone, chosen when the account
is created, fixed afterwards, a whole or half hour from UTC and without daylight saving
time (TikTok Ads Manager help, "About time zones"; "How to schedule LIVE Shopping Ads":
"an ad account created in California will use UTC-8 time zone for the entire year"). A
line above the header such as ``Time zone: (UTC+08:00) Singapore`` or ``Timezone: GMT-8``
gives it; which exports carry such a line is not documented, so none is assumed: without
one the seller enters it with the primary ad account (Marketing page).

Net ROI: GMV Max's "pro features" optimise a net ROI (TikTok had not published its
formula as of June 2026, per public coverage); a report whose header names a net ROI
column is labelled ``net``, any other ``gross`` (ROI = gross revenue / cost, the Product
GMV Max reporting help's definition).
"""

from __future__ import annotations

import re

from campaign_core.importers.values import clean

_ZONE_LINE = re.compile(r"time\s*-?\s*zone", re.IGNORECASE)
_OFFSET = re.compile(
    r"(?:UTC|GMT)\s*(?P<sign>[+\-−])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?",
    re.IGNORECASE)
_NET_ROI = re.compile(r"\bnet\s+roi\b|\bnet\s+return\s+on\s+investment\b", re.IGNORECASE)


def parse_utc_offset(text: str) -> int | None:
    """``UTC+08:00`` / ``GMT-8`` / ``UTC+5:30`` -> minutes east of UTC; ``UTC`` alone -> 0;
    None when the text names no offset."""
    match = _OFFSET.search(text or "")
    if match:
        minutes = int(match.group("hours")) * 60 + int(match.group("minutes") or 0)
        if minutes > 14 * 60:
            return None
        return -minutes if match.group("sign") in "-−" else minutes
    return 0 if re.search(r"\b(UTC|GMT)\b", text or "", re.IGNORECASE) else None


def offset_from_preamble(preamble: list[list[object]]) -> int | None:
    """The UTC offset a ``Time zone`` line above the header states, in minutes; else None."""
    for cells in preamble:
        text = " ".join(clean(c) for c in cells if c is not None and clean(c))
        if _ZONE_LINE.search(text):
            offset = parse_utc_offset(_ZONE_LINE.split(text, 1)[1])
            if offset is not None:
                return offset
    return None


def roi_basis(header: list[object]) -> str:
    """``net`` when a header cell names a net ROI, else ``gross``."""
    return "net" if any(_NET_ROI.search(str(cell or "")) for cell in header) else "gross"


def format_utc_offset(minutes: int) -> str:
    """``480`` -> ``UTC+08:00``; ``0`` -> ``UTC+00:00``."""
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
