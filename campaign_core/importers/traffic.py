"""Parse the traffic-by-channel template: one row per day (or hour) and channel.

Seller Center shows traffic sources in Data Compass but exports no file with them, so the
seller fills this template (downloadable on the Import page):

    Date, Hour, Channel, Impressions, Clicks, Unique reach, Unique clicks, SKU orders

- ``Date`` is the shop-time day (``2026-11-20`` or ``11/20/2026``); ``Hour`` (0-23 or
  ``13:00``) is optional: a row without it is the whole day. A ``Date`` cell with a time
  (``2026-11-20 13:00``) is that hour.
- ``Channel``: LIVE, Video, Product card, Shop tab, Affiliate, Search, Ads... (free text,
  named consistently: ``LIVE``/``Livestream`` -> ``live``); ``All``/``Total`` rows hold
  the day's totals across channels (used for the funnel's distinct users).
- Counts as integers (``1,204``); ``--`` or empty is "no value".

Rows are replaced by (day, hour, channel): re-importing a corrected file updates them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from campaign_core.importers.keyed_rows import (
    KeyedRows,
    KeyedTable,
    hour_start_utc,
    is_total_row,
    period_span,
    read_day_time,
    read_hour,
    slash_order,
)
from campaign_core.importers.reading import SourceTable
from campaign_core.importers.rows import RowCells, counted_rows
from campaign_core.importers.template_files import template_csv
from campaign_core.importers.values import CellError, clean, is_empty, parse_count

TRAFFIC_TABLE = KeyedTable(
    "traffic_channel", ("day", "hour", "channel"),
    ("channel_name", "start_utc", "impressions", "clicks", "unique_reach", "unique_clicks",
     "sku_orders", "source"))
TEMPLATE_SOURCE = "template"
ALL_CHANNELS = "all"
TEMPLATE_HEADER = ("Date", "Hour", "Channel", "Impressions", "Clicks", "Unique reach",
                   "Unique clicks", "SKU orders")

_CHANNEL_WORDS = {
    "all": ALL_CHANNELS, "all channels": ALL_CHANNELS, "total": ALL_CHANNELS,
    "live": "live", "lives": "live", "livestream": "live", "seller live": "live",
    "video": "video", "videos": "video", "short video": "video", "seller video": "video",
    "product card": "product_card", "product cards": "product_card",
    "seller product card": "product_card",
    "shop tab": "shop_tab", "shop": "shop_tab", "store": "shop_tab",
    "affiliate": "affiliate", "affiliates": "affiliate", "creator": "affiliate",
    "creators": "affiliate",
}


def channel_key(text: str) -> str:
    """A channel as stored: known names mapped (``LIVE`` -> ``live``), others as a slug."""
    folded = " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()
    return _CHANNEL_WORDS.get(folded) or re.sub(r"[^0-9a-z]+", "_", folded).strip("_")


def parse_traffic_channels(table: SourceTable, timezone: str,
                           progress: Callable[[int], None] | None = None) -> KeyedRows:
    """Rows of the traffic template -> ``traffic_channel`` rows. Unreadable cells put
    their row in quarantine; a later duplicate (day, hour, channel) wins, with a note."""
    parsed = KeyedRows(table=TRAFFIC_TABLE)
    rows = []
    for line, cells in counted_rows(table, parsed, progress):
        row = RowCells(line, cells, table.columns)
        if is_total_row(row.raw("day")):
            table.skipped.append(f"line {line} (totals row)")
            parsed.rows_read -= 1
            continue
        rows.append(row)
    day_field = "day" if table.columns.has("day") else "hour"
    order = slash_order((clean(r.raw(day_field)) for r in rows), table.locale.date_order)
    days = []
    for row in rows:
        record = _record(row, day_field, order, timezone)
        if row.problems or record is None:
            parsed.quarantined_rows += 1
            parsed.problems.extend(row.problems)
            continue
        days.append(record.pop("_day"))
        hour = record["hour"]
        parsed.keep(row.line, record, f"Channel {record['channel']} on {record['day']}"
                    + ("" if hour is None else f" {hour:02d}:00"))
    period_span(parsed, days, timezone)
    return parsed


def _record(row: RowCells, day_field: str, order: str, timezone: str) -> dict | None:
    channel_text = clean(row.raw("channel"))
    if is_empty(channel_text):
        row.problem("channel", "channel is missing")
    try:
        day, hour = read_day_time(row.raw(day_field), order, hourly=day_field == "hour")
    except CellError as error:
        row.problem(day_field, str(error))
        return None
    if day_field == "day" and hour is None and row.has("hour") and \
            not is_empty(clean(row.raw("hour"))):
        hour = row.read("hour", read_hour)
    counts = {name: row.read(name, parse_count)
              for name in ("impressions", "clicks", "unique_reach", "unique_clicks",
                           "sku_orders")}
    if row.problems:
        return None
    return {"_day": day, "day": day.isoformat(), "hour": hour,
            "channel": channel_key(channel_text), "channel_name": " ".join(channel_text.split()),
            "start_utc": hour_start_utc(day, hour, timezone), **counts,
            "source": TEMPLATE_SOURCE}


_TEMPLATE_EXAMPLES = (
    ("2026-11-20", "", "LIVE", "12,400", "620", "9,800", "540", "48"),
    ("2026-11-20", "", "Video", "18,900", "570", "15,200", "505", "37"),
    ("2026-11-20", "", "All", "31,300", "1,190", "22,100", "980", "85"),
    ("2026-11-21", "13", "LIVE", "1,050", "61", "900", "55", "5"),
)


def traffic_template_csv() -> bytes:
    """The traffic by channel template: ``TEMPLATE_HEADER`` and example rows (a day per
    channel, the day's All row, one hourly row), UTF-8 with BOM."""
    return template_csv(TEMPLATE_HEADER, _TEMPLATE_EXAMPLES)
