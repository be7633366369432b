"""Parse TikTok ad reports: GMV Max campaign report, GMV Max creative/product report, and the
Ads Manager custom report (Shop Ads) By Day or by hour.

Money (``$1,234.56``, ``1234.56``, ``--`` for none) is in the ad account's currency, kept
per row from the ``Currency`` column (NULL when the file has none: the page then assumes
the shop's currency and says so).

Periods. A GMV Max report covers a period: a ``Date`` column makes each row one day;
otherwise the date range above the header; otherwise the range in the file name
(``<Shop> TikTok Shop-Campaign Report(2026-11-20 to 2026-11-26).xlsx``). A file with none
is rejected. A period report counts in a window only when its whole period lies inside
the window (metrics/marketing.py), like product analytics. Ads Manager rows are days
(``By Day``) or hours (``By Hour``, an ``Hour`` column, or a day cell with a time), in the
shop's timezone.

Per-product GMV Max exports (``Creative data <start> - <end> - Product <id>.xlsx``, the
video headed ``Post ID``; product-level reports with ``Orders (SKU)``) have no campaign
columns: their rows are stored with campaign ID ``''`` and the product from the file name
when the file has no ``Product ID`` column.

Ad account: an ``Advertiser ID`` / ``Advertiser name`` column, else an ``Advertiser: ...``
line above the header, else the unnamed account ``''``. Totals rows are skipped.

Days and hours are the ad account's (``ad_report_facts``): a ``Time zone`` line above the
header is kept as the account's UTC offset, and the Marketing metrics convert with it; a
GMV Max campaign report in net ROI mode is stored with ``roi_basis = 'net'``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from campaign_core.importers.ad_report_facts import (
    format_utc_offset,
    offset_from_preamble,
    roi_basis,
)
from campaign_core.importers.keyed_rows import (
    KeyedRows,
    KeyedTable,
    account_from_preamble,
    hour_start_utc,
    is_total_row,
    period_span,
    read_day_time,
    read_hour,
    report_period,
    slash_order,
    split_account,
)
from campaign_core.importers.reading import FileRejected, SourceTable
from campaign_core.importers.rows import RowCells, counted_rows
from campaign_core.importers.values import (
    CellError,
    clean,
    is_empty,
    parse_id,
    parse_local_time,
)

CAMPAIGN_TABLE = KeyedTable(
    "ad_campaign_period", ("account_id", "campaign_id", "period_start", "period_end"),
    ("campaign_name", "cost_cents", "net_cost_cents", "sku_orders", "gross_revenue_cents",
     "live_views", "currency", "roi_basis", "target_roi"))
CREATIVE_TABLE = KeyedTable(
    "ad_creative_period",
    ("account_id", "campaign_id", "product_id", "video_id", "period_start", "period_end"),
    ("campaign_name", "creative_type", "video_title", "tiktok_account", "posted_utc",
     "status", "authorization_type", "cost_cents", "sku_orders", "gross_revenue_cents",
     "impressions", "clicks", "currency"))
AD_DAY_TABLE = KeyedTable(
    "ad_day", ("account_id", "day", "hour", "row_key"),
    ("start_utc", "campaign_id", "campaign_name", "ad_group_id", "ad_group_name", "ad_id",
     "ad_name", "cost_cents", "impressions", "clicks", "purchases", "gross_revenue_cents",
     "adds_to_cart", "checkouts", "product_page_views", "items_purchased", "currency"))

Progress = Callable[[int], None] | None
_PRODUCT_IN_NAME = re.compile(r"\bProduct[ _-]*(\d{6,})", re.IGNORECASE)


def _text(row: RowCells, name: str) -> str | None:
    text = clean(row.raw(name))
    return None if is_empty(text) else text


def _optional_id(row: RowCells, name: str) -> str | None:
    return row.read(name, parse_id, required=False) if row.has(name) else None


def _currency(row: RowCells) -> str | None:
    text = _text(row, "currency")
    return text.upper() if text else None


def _ratio(row: RowCells, table: SourceTable) -> float | None:
    """A ratio cell such as a target ROI (``2.5``, ``2,5`` in a comma-decimal file), read
    with the file's number marks; None when the column is absent or the cell empty."""
    if not row.has("target_roi"):
        return None
    hundredths = row.read("target_roi", table.locale.money)
    return None if hundredths is None else hundredths / 100


def _account(row: RowCells, file_account: tuple[str, str | None] | None
             ) -> tuple[str, str | None]:
    account_id = _text(row, "account_id")
    name = _text(row, "account_name")
    if account_id or name:
        if account_id:
            return account_id, name
        return split_account(name)
    return file_account or ("", None)


class _ReportReader:
    """What the two GMV Max parsers share: the file's period and account, the row loop."""

    def __init__(self, table: SourceTable, timezone: str, progress: Progress,
                 parsed: KeyedRows):
        self.table, self.timezone, self.parsed = table, timezone, parsed
        self.progress = progress
        self.file_account = account_from_preamble(table.preamble)
        self.file_period = None
        if not table.columns.has("date"):
            self.file_period = report_period(table.file_name, table.preamble,
                                             table.locale.date_order)
            if self.file_period is None:
                raise FileRejected(
                    f"The report's period is missing: a {table.kind.label} states it in its "
                    "file name (e.g. Campaign Report(2026-11-20 to 2026-11-26).xlsx) or above "
                    "the header. Keep the file name Ads Manager gave it, or add the date range "
                    "on a line above the header.")
        self.days: list[date] = []

    def rows(self):
        pending = []
        for line, cells in counted_rows(self.table, self.parsed, self.progress):
            row = RowCells(line, cells, self.table.columns)
            if is_total_row(row.raw("campaign_name"), row.raw("campaign_id"),
                            row.raw("day"), row.raw("date"), row.raw("ad_group_name"),
                            row.raw("product_id"), row.raw("video_id")):
                self.table.skipped.append(f"line {line} (totals row)")
                self.parsed.rows_read -= 1  # a summary, not a data row
                continue
            pending.append(row)
        order = slash_order((clean(r.raw("date") or r.raw("day")) for r in pending),
                            self.table.locale.date_order)
        for row in pending:
            yield row, order

    def period(self, row: RowCells, order: str) -> tuple[str, str] | None:
        if self.file_period is not None:
            start, end = self.file_period
        else:
            try:
                start, _ = read_day_time(row.raw("date"), order)
            except CellError as error:
                row.problem("date", str(error))
                return None
            end = start
        self.days.extend((start, end))
        return start.isoformat(), end.isoformat()

    def finish(self, row: RowCells, record: dict | None, label: str, currency: str | None,
               account: tuple[str, str | None]) -> None:
        if row.problems or record is None:
            self.parsed.quarantined_rows += 1
            self.parsed.problems.extend(row.problems)
            return
        account_id, name = account
        known = self.parsed.accounts.get(account_id, (None, None))
        self.parsed.accounts[account_id] = (known[0] or name, known[1] or currency)
        self.parsed.keep(row.line, record, label)

    def done(self) -> KeyedRows:
        period_span(self.parsed, self.days, self.timezone)
        _stated_offset(self.table, self.parsed)
        return self.parsed


def _stated_offset(table: SourceTable, parsed: KeyedRows) -> None:
    """The time zone a report states above its header, for every account it names."""
    offset = offset_from_preamble(table.preamble)
    if offset is not None:
        parsed.account_offsets = {account: offset for account in parsed.accounts}
        parsed.notes.append(f"Times in the ad account's time zone, {format_utc_offset(offset)}"
                            " (stated in the report): converted to the shop's days.")


def parse_gmv_max_campaigns(table: SourceTable, timezone: str,
                            progress: Progress = None) -> KeyedRows:
    """Rows of a GMV Max campaign report -> ``ad_campaign_period`` rows (one per campaign
    and period). Raises ``FileRejected`` when the file states no period."""
    reader = _ReportReader(table, timezone, progress, KeyedRows(table=CAMPAIGN_TABLE))
    basis = roi_basis(table.header)
    if basis == "net":
        reader.parsed.notes.append(
            "This GMV Max report is in net ROI mode: its ROI column is a net ROI, not the "
            "gross revenue / cost the dashboard shows as ROAS.")
    for row, order in reader.rows():
        account = _account(row, reader.file_account)
        currency = _currency(row)
        campaign_id = row.read("campaign_id", parse_id)
        period = reader.period(row, order)
        record = None
        if period is not None:
            record = {
                "account_id": account[0], "campaign_id": campaign_id,
                "period_start": period[0], "period_end": period[1],
                "campaign_name": _text(row, "campaign_name"),
                "cost_cents": row.read("cost", table.locale.money, required=True),
                "net_cost_cents": row.read("net_cost", table.locale.money),
                "sku_orders": row.read("sku_orders", table.locale.count),
                "gross_revenue_cents": row.read("gross_revenue", table.locale.money),
                "live_views": row.read("live_views", table.locale.count),
                "currency": currency, "roi_basis": basis, "target_roi": _ratio(row, table)}
        reader.finish(row, record, f"Campaign {campaign_id} for {period}", currency, account)
    return reader.done()


def product_from_name(file_name: str) -> str | None:
    """The product of a per-product GMV Max export, from its file name
    (``Creative data 2026-11-01 - 2026-11-07 - Product 1729592969712207008.xlsx``)."""
    match = _PRODUCT_IN_NAME.search(file_name or "")
    return match.group(1) if match else None


def parse_gmv_max_creatives(table: SourceTable, timezone: str,
                            progress: Progress = None) -> KeyedRows:
    """Rows of a GMV Max creative/product report -> ``ad_creative_period`` rows (one per
    campaign, product, video and period; video_id '' for a creative without a video).

    Per-product exports have no campaign columns (campaign_id '') and may name their
    product only in the file name (``... - Product <id>.xlsx``); the video may be headed
    ``Post ID``. Raises ``FileRejected`` when a file has no Product ID column and its name
    names no product, or states no period."""
    file_product = None if table.columns.has("product_id") else \
        product_from_name(table.file_name)
    if file_product is None and not table.columns.has("product_id") \
            and not table.columns.has("video_id"):
        raise FileRejected("The report names no product: a per-product GMV Max export keeps "
                           "it in its file name (... - Product <id>.xlsx). Keep the name Ads "
                           "Manager gave the file.")
    reader = _ReportReader(table, timezone, progress, KeyedRows(table=CREATIVE_TABLE))
    for row, order in reader.rows():
        account = _account(row, reader.file_account)
        currency = _currency(row)
        campaign_id = _optional_id(row, "campaign_id") or ""
        product_id = file_product or row.read("product_id", parse_id, required=False) or ""
        video_id = _optional_id(row, "video_id") or ""
        posted = row.read("time_posted", parse_local_time, timezone) \
            if row.has("time_posted") else None
        period = reader.period(row, order)
        record = None
        if period is not None:
            record = {
                "account_id": account[0], "campaign_id": campaign_id,
                "product_id": product_id, "video_id": video_id,
                "period_start": period[0], "period_end": period[1],
                "campaign_name": _text(row, "campaign_name"),
                "creative_type": _text(row, "creative_type"),
                "video_title": _text(row, "video_title"),
                "tiktok_account": _text(row, "tiktok_account"),
                "posted_utc": posted.utc if posted else None,
                "status": _text(row, "status"),
                "authorization_type": _text(row, "authorization_type"),
                "cost_cents": row.read("cost", table.locale.money, required=True),
                "sku_orders": row.read("sku_orders", table.locale.count),
                "gross_revenue_cents": row.read("gross_revenue", table.locale.money),
                "impressions": row.read("impressions", table.locale.count),
                "clicks": row.read("clicks", table.locale.count),
                "currency": currency}
        label = f"Campaign {campaign_id or '-'} product {product_id} video {video_id or '-'}"
        reader.finish(row, record, label, currency, account)
    return reader.done()


def parse_ads_manager(table: SourceTable, timezone: str, progress: Progress = None
                      ) -> KeyedRows:
    """Rows of an Ads Manager custom report -> ``ad_day`` rows, one per day (or hour) and
    ad (else ad group, else campaign)."""
    parsed = KeyedRows(table=AD_DAY_TABLE)
    rows = []
    for line, cells in counted_rows(table, parsed, progress):
        row = RowCells(line, cells, table.columns)
        if is_total_row(row.raw("day"), row.raw("hour"), row.raw("campaign_name"),
                        row.raw("ad_group_name"), row.raw("ad_name")):
            table.skipped.append(f"line {line} (totals row)")
            parsed.rows_read -= 1
            continue
        rows.append(row)
    day_field = "day" if table.columns.has("day") else "hour"
    order = slash_order((clean(r.raw(day_field)) for r in rows), table.locale.date_order)
    file_account = account_from_preamble(table.preamble)
    days = []
    for row in rows:
        account = _account(row, file_account)
        currency = _currency(row)
        when = _day_and_hour(row, day_field, order)
        ids = {name: _optional_id(row, name) for name in ("campaign_id", "ad_group_id", "ad_id")}
        names = {name: _text(row, name) for name in ("campaign_name", "ad_group_name",
                                                     "ad_name")}
        row_key = _row_key(ids, names)
        if row.problems or when is None:
            parsed.quarantined_rows += 1
            parsed.problems.extend(row.problems)
            continue
        day, hour = when
        days.append(day)
        record = {
            "account_id": account[0], "day": day.isoformat(), "hour": hour,
            "row_key": row_key, "start_utc": hour_start_utc(day, hour, timezone),
            **ids, **names,
            "cost_cents": row.read("cost", table.locale.money, required=True),
            "impressions": row.read("impressions", table.locale.count),
            "clicks": row.read("clicks", table.locale.count),
            "purchases": row.read("purchases", table.locale.count),
            "gross_revenue_cents": row.read("gross_revenue", table.locale.money),
            "adds_to_cart": row.read("adds_to_cart", table.locale.count),
            "checkouts": row.read("checkouts", table.locale.count),
            "product_page_views": row.read("product_page_views", table.locale.count),
            "items_purchased": row.read("items_purchased", table.locale.count),
            "currency": currency}
        if row.problems:
            parsed.quarantined_rows += 1
            parsed.problems.extend(row.problems)
            continue
        known = parsed.accounts.get(account[0], (None, None))
        parsed.accounts[account[0]] = (known[0] or account[1], known[1] or currency)
        when_text = day.isoformat() + ("" if hour is None else f" {hour:02d}:00")
        parsed.keep(row.line, record, f"{row_key} on {when_text}")
    period_span(parsed, days, timezone)
    _stated_offset(table, parsed)
    return parsed


def _day_and_hour(row: RowCells, day_field: str, order: str) -> tuple[date, int | None] | None:
    try:
        day, hour = read_day_time(row.raw(day_field), order, hourly=day_field == "hour")
    except CellError as error:
        row.problem(day_field, str(error))
        return None
    if day_field == "day" and row.has("hour") and hour is None:
        try:
            hour = read_hour(row.raw("hour"))
        except CellError as error:
            row.problem("hour", str(error))
            return None
    elif day_field == "hour" and hour is None:
        row.problem("hour", "an hourly report needs the day and hour (2026-11-20 13:00)")
        return None
    return day, hour


def _row_key(ids: dict[str, str | None], names: dict[str, str | None]) -> str:
    """The report row's identity: its ad, else ad group, else campaign (by ID, else name);
    ``account`` when the report has no breakdown (one row per day)."""
    for level in ("ad", "ad_group", "campaign"):
        if ids[f"{level}_id"]:
            return f"{level}:{ids[f'{level}_id']}"
        if names[f"{level}_name"]:
            return f"{level}_name:{names[f'{level}_name']}"
    return "account"
