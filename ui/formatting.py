"""Numbers as people read them: the core formatter (``campaign_core.formatting``) for the
pages, plus deltas, times and Markdown-safe text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from campaign_core.formatting import (  # noqa: F401 - the pages' one place to import from
    MISSING,
    compact_money,
    count,
    duration,
    is_missing,
    money,
    p_value,
    percent,
    plural,
)
from campaign_core.formatting import signed_percent as _signed_percent
from campaign_core.formatting import value_text as _value_text
from campaign_core.markets import number_style
from campaign_core.metrics.catalog import Metric


def value_text(metric: Metric, value, currency: str, compact: bool = False) -> str:
    """``value`` of the catalog ``metric`` as text (compact money on cards)."""
    return _value_text(metric.format, value, currency, compact=compact)


def signed_percent(change, currency: str = "USD") -> str:
    """A change with its sign in the number marks of the shop whose ``currency`` (a
    ``ShopCurrency`` knows its market) it is: ``+12.5%``; ``+12,5%`` in Germany."""
    return _signed_percent(change, number_style(currency))


def share_percent(value, currency: str = "USD") -> str:
    """A percentage in the shop's number marks: ``54.7%``; ``54,7%`` in Indonesia."""
    return percent(value, 1, number_style(currency))


def difference_pct(value, comparison) -> float | None:
    """(value - comparison) / comparison x 100; None ("n/a") when the comparison is 0/missing."""
    if value is None or comparison in (None, 0):
        return None
    return (float(value) - float(comparison)) / float(comparison) * 100


def delta_text(value, comparison, compared_with: str, currency: str = "USD") -> str | None:
    """``+12.5% vs Nov 20`` (st.metric adds the arrow) in the shop's number marks; None when
    there is nothing to compare."""
    change = difference_pct(value, comparison)
    if change is None:
        return None
    return f"{signed_percent(change, currency)} vs {compared_with}"


def local_time(instant_utc: int | None, timezone: str, pattern: str = "%b %d, %H:%M") -> str:
    if instant_utc is None:
        return MISSING
    return datetime.fromtimestamp(instant_utc, UTC).astimezone(ZoneInfo(timezone)).strftime(
        pattern)


def day_text(day: date | str | None) -> str:
    """``Nov 28, 2026`` from a date or an ISO day; ``MISSING`` when unknown."""
    if day is None:
        return MISSING
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{value:%b} {value.day}, {value.year}"


def zone_text(timezone: str) -> str:
    """A timezone's IANA name (``America/Los_Angeles``), checked against the tz database:
    letters, digits, ``/``, ``_``, ``+`` and ``-`` only, nothing Markdown acts on, so it
    shows as it is. Raises ``ZoneInfoNotFoundError`` / ``ValueError`` for anything else."""
    return ZoneInfo(timezone).key


def age_text(seconds: int | None) -> str:
    if seconds is None:
        return "no data"
    if seconds < 90:
        return "just now"
    minutes = seconds // 60
    if minutes < 90:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h ago"
    return f"{hours // 24} days ago"


# Everything Streamlit's Markdown gives a meaning to, including its own ``:color[...]`` and
# ``:material/icon:`` directives, ``$`` for LaTeX and ``&`` for HTML entities.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
# Streamlit finds web addresses, e-mail addresses and emoji shortcodes in the text *after*
# the Markdown is parsed (remark-gfm's autolink literals, remark-emoji), so a backslash does
# not stop them. An invisible word joiner breaks the patterns they look for: after every
# colon (``http://``, ``:smile:``), after ``@`` (``a@b.example``) and inside ``www.``.
WORD_JOINER = "\u2060"
_AUTOLINK_STARTS = re.compile(r"(www)(?=\\\.)|(@)", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def plain(text: object) -> str:
    """User-supplied or imported text (a shop, campaign, creator or file name; a message from
    outside) made safe to put in Markdown: it shows as typed, never as a link, image, colour,
    formula, emoji or formatting. Only for Markdown: data tables and downloads take the text
    as it is."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))
    escaped = escaped.replace(":", ":" + WORD_JOINER)
    return _AUTOLINK_STARTS.sub(lambda m: (m.group(1) or m.group(2)) + WORD_JOINER, escaped)
