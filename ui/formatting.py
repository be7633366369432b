"""Numbers as people read them: the core formatter (``campaign_core.formatting``) for the
pages, plus deltas, times and Markdown-safe text."""

from __future__ import annotations

import re
from datetime import UTC, datetime
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
    signed_percent,
)
from campaign_core.formatting import value_text as _value_text
from campaign_core.metrics.catalog import Metric


def value_text(metric: Metric, value, currency: str, compact: bool = False) -> str:
    """``value`` of the catalog ``metric`` as text (compact money on cards)."""
    return _value_text(metric.format, value, currency, compact=compact)


def difference_pct(value, comparison) -> float | None:
    """(value - comparison) / comparison x 100; None ("n/a") when the comparison is 0/missing."""
    if value is None or comparison in (None, 0):
        return None
    return (float(value) - float(comparison)) / float(comparison) * 100


def delta_text(value, comparison, compared_with: str) -> str | None:
    """``+12.5% vs Nov 20`` (st.metric adds the arrow); None when there is nothing to compare."""
    change = difference_pct(value, comparison)
    if change is None:
        return None
    return f"{signed_percent(change)} vs {compared_with}"


def local_time(instant_utc: int | None, timezone: str, pattern: str = "%b %d, %H:%M") -> str:
    if instant_utc is None:
        return MISSING
    return datetime.fromtimestamp(instant_utc, UTC).astimezone(ZoneInfo(timezone)).strftime(
        pattern)


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
# ``:material/icon:`` directives and ``$`` for LaTeX.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """User-supplied text (a shop, campaign or file name) made safe to put in Markdown: it
    shows as typed, never as a link, image, colour or formatting."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
