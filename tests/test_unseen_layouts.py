"""Orders exports of each market as real files vary from what we built them from.

Seller Center exports get re-saved and re-shaped before they reach the dashboard: Excel
changes header case, moves or drops columns, saves as UTF-16 tab-separated text or as
``;``-separated CSV with the decimal comma (European Excel); figures come with the currency
written another way (``Rp150.000``, ``IDR 150.000``, ``150.000 VND``) or with a no-break
space between thousands (``1 022,25 €``, as French Excel writes). Each market's orders
file of tests/test_market_orders.py is varied these ways; every import must give the
hand-computed KPIs of the original, or refuse the file (or the rows) with the reason:
never a figure silently wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal as D
from pathlib import Path

import pytest

from campaign_core.demo.order_files import description_row
from campaign_core.importers.pipeline import import_file
from tests.market_files import (
    ID_HEADERS,
    VN_HEADERS,
    dong,
    euro,
    market_rows,
    peso,
    pound,
    rupiah,
)
from tests.market_files import US_ORDER_HEADERS as HEADERS
from tests.test_market_orders import (
    EU_EXPECTED,
    EU_ORDERS,
    ID_EXPECTED,
    ID_ORDERS,
    MX_EXPECTED,
    MX_ORDERS,
    UK_EXPECTED,
    UK_ORDERS,
    VN_EXPECTED,
    VN_ORDERS,
    _kpis,
    _shop,
)


@dataclass(frozen=True)
class MarketFile:
    name: str
    orders: list
    money: object
    headers: list[str]
    timezone: str
    currency: str
    expected: dict


def _grouped(units: int, mark: str) -> str:
    return f"{units:,}".replace(",", mark)


def _euro_spaced(space: str):
    def write(amount: D) -> str:  # 1 022,25 € with a no-break space between thousands
        units, cents = divmod(int(amount * 100), 100)
        return f"{_grouped(units, space)},{cents:02d} €"
    return write


MARKETS = {
    "ID": MarketFile("ID", ID_ORDERS, rupiah, ID_HEADERS, "Asia/Jakarta", "IDR", ID_EXPECTED),
    "VN": MarketFile("VN", VN_ORDERS, dong, VN_HEADERS, "Asia/Ho_Chi_Minh", "VND",
                     VN_EXPECTED),
    "GB": MarketFile("GB", UK_ORDERS, pound, HEADERS, "Europe/London", "GBP", UK_EXPECTED),
    "DE": MarketFile("DE", EU_ORDERS, euro, HEADERS, "Europe/Berlin", "EUR", EU_EXPECTED),
    "FR": MarketFile("FR", EU_ORDERS, _euro_spaced("\u202f"), HEADERS, "Europe/Paris", "EUR",
                     EU_EXPECTED),
    "MX": MarketFile("MX", MX_ORDERS, peso, HEADERS, "America/Mexico_City", "MXN",
                     MX_EXPECTED),
}

# How the currency is written beside a figure, other than in our fixtures.
MONEY_VARIANTS = {
    "ID": {"Rp without space": lambda a: f"Rp{_grouped(int(a), '.')}",
           "IDR before": lambda a: f"IDR {_grouped(int(a), '.')}",
           "IDR after": lambda a: f"{_grouped(int(a), '.')} IDR",
           "Rp. with dot": lambda a: f"Rp. {_grouped(int(a), '.')}",
           "Rp and a no-break space": lambda a: f"Rp\u00a0{_grouped(int(a), '.')}",
           "padded": lambda a: f"  Rp {_grouped(int(a), '.')}  ",
           "zero decimals written": lambda a: f"Rp {_grouped(int(a), '.')},00",
           "comma thousands": lambda a: f"Rp{int(a):,}",
           "IDR with English marks": lambda a: f"IDR {int(a):,}.00"},
    "VN": {"VND after": lambda a: f"{_grouped(int(a), '.')} VND",
           "VND before": lambda a: f"VND {_grouped(int(a), '.')}",
           "đ after": lambda a: f"{_grouped(int(a), '.')}đ",
           "₫ after a space": lambda a: f"{_grouped(int(a), '.')} ₫",
           "₫ after a no-break space": lambda a: f"{_grouped(int(a), '.')}\u00a0₫",
           "VNĐ after": lambda a: f"{_grouped(int(a), '.')} VNĐ",
           "comma thousands": lambda a: f"{int(a):,}₫",
           "₫ before": lambda a: f"₫{_grouped(int(a), '.')}"},
    "GB": {"GBP before": lambda a: f"GBP {a:,.2f}", "GBP after": lambda a: f"{a:,.2f} GBP",
           "£ and a no-break space": lambda a: f"£\u00a0{a:,.2f}",
           "no thousands mark": lambda a: f"£{a:.2f}"},
    "DE": {"NBSP thousands": _euro_spaced("\u00a0"),
           "narrow NBSP thousands": _euro_spaced("\u202f"),
           "EUR before": lambda a: "EUR " + euro(a)[:-2],
           "euro sign before": lambda a: "€" + euro(a)[:-2],
           "no thousands mark": lambda a: f"{a:.2f}".replace(".", ",") + " €",
           "EUR after": lambda a: f"{a:.2f}".replace(".", ",") + " EUR",
           "English marks": lambda a: f"€{a:,.2f}"},
    "FR": {"NBSP thousands": _euro_spaced("\u00a0"), "space thousands": _euro_spaced(" ")},
    "MX": {"MX$": lambda a: f"MX${a:,.2f}", "MXN after": lambda a: f"{a:,.2f} MXN",
           "$ alone": lambda a: f"${a:,.2f}", "MX$ and a no-break space":
           lambda a: f"MX$\u00a0{a:,.2f}"},
}


def _write(path: Path, rows: list[dict[str, str]], headers: list[str], *,
           encoding: str = "utf-8-sig", delimiter: str = ",", shown: dict | None = None,
           describe: bool = True) -> Path:
    """A CSV of ``rows`` under ``headers``; ``shown`` renames headers as the file writes
    them."""
    shown = shown or {}
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([shown.get(h, h) for h in headers])
        if describe:
            described = description_row(headers)
            writer.writerow([described[h] for h in headers])
        writer.writerows([row.get(h, "") for h in headers] for row in rows)
    return path


def _import(tmp_path: Path, market: MarketFile, path: Path):
    db = tmp_path / "s.db"
    return db, import_file(db, path, timezone=market.timezone)


def _rows(market: MarketFile, money=None) -> list[dict[str, str]]:
    return market_rows(market.orders, money or market.money)


def _shape_variants():
    yield "lower-case headers", lambda h: h, lambda h: {x: x.strip().lower() for x in h}
    yield "upper-case headers", lambda h: h, lambda h: {x: x.strip().upper() for x in h}
    yield "spaced headers", lambda h: h, lambda h: {x: f"  {x.replace(' ', '  ')} " for x in h}
    yield "an unknown column", lambda h: h[:3] + ["Gift Wrap Note"] + h[3:], lambda h: {}
    yield "columns reversed", lambda h: list(reversed(h)), lambda h: {}
    yield "optional columns missing", lambda h: [
        x for x in h if x not in ("Recipient", "Original Shipping Fee", "Product Name",
                                  "Created Time", "Province", "Seller SKU")], lambda h: {}


SHAPES = list(_shape_variants())


@pytest.mark.parametrize("market", MARKETS.values(), ids=MARKETS.keys())
@pytest.mark.parametrize("shape", SHAPES, ids=[s[0] for s in SHAPES])
def test_reshaped_headers_give_the_same_kpis(tmp_path, market, shape):
    _, columns, renamed = shape
    headers = columns(market.headers)
    path = _write(tmp_path / "All order-2026-12-01-09_00.csv", _rows(market), headers,
                  shown=renamed(headers))
    db, report = _import(tmp_path, market, path)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _kpis(db, market.timezone) == market.expected


ENCODINGS = [("UTF-16 tab-separated", "utf-16", "\t"),
             ("semicolon-separated", "utf-8-sig", ";"),
             ("semicolon-separated cp1252", "cp1252", ";"),
             ("tab-separated UTF-8", "utf-8", "\t")]


@pytest.mark.parametrize("market", MARKETS.values(), ids=MARKETS.keys())
@pytest.mark.parametrize("encoding", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_resaved_files_give_the_same_kpis(tmp_path, market, encoding):
    _, codec, delimiter = encoding
    rows = _rows(market)
    try:
        "".join(v for row in rows for v in row.values()).encode(codec)
    except UnicodeEncodeError:
        pytest.skip(f"{codec} cannot hold this market's text")
    path = _write(tmp_path / "All order-2026-12-01-09_00.csv", rows, market.headers,
                  encoding=codec, delimiter=delimiter, describe=False)
    db, report = _import(tmp_path, market, path)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _kpis(db, market.timezone) == market.expected


VARIANTS = [(code, name, money) for code, variants in MONEY_VARIANTS.items()
            for name, money in variants.items()]


@pytest.mark.parametrize(("code", "name", "money"), VARIANTS,
                         ids=[f"{code}-{name}" for code, name, _ in VARIANTS])
def test_currency_written_another_way_gives_the_same_kpis(tmp_path, code, name, money):
    market = MARKETS[code]
    path = _write(tmp_path / "All order-2026-12-01-09_00.csv", _rows(market, money),
                  market.headers)
    db, report = _import(tmp_path, market, path)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _shop(db) == (market.currency, market.timezone)
    assert _kpis(db, market.timezone) == market.expected


TIME_FORMATS = {"ISO": "%Y-%m-%d %H:%M:%S", "no seconds": "%d/%m/%Y %H:%M",
                "dotted (German Excel)": "%d.%m.%Y %H:%M", "year first slashes":
                "%Y/%m/%d %H:%M:%S", "dashes day first": "%d-%m-%Y %H:%M:%S"}


@pytest.mark.parametrize("bulk_min_rows", [0, 20_000], ids=["in bulk", "by rows"])
@pytest.mark.parametrize("market", MARKETS.values(), ids=MARKETS.keys())
@pytest.mark.parametrize("time_format", TIME_FORMATS.values(), ids=TIME_FORMATS.keys())
def test_times_written_another_way_give_the_same_kpis(tmp_path, monkeypatch, market,
                                                      time_format, bulk_min_rows):
    monkeypatch.setattr("campaign_core.importers.orders_bulk.BULK_MIN_ROWS", bulk_min_rows)
    rows = market_rows(market.orders, market.money, time_format=time_format)
    path = _write(tmp_path / "All order-2026-12-01-09_00.csv", rows, market.headers)
    db, report = _import(tmp_path, market, path)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _kpis(db, market.timezone) == market.expected


def test_dashed_dates_follow_the_files_date_order(tmp_path):
    # A US shop's file, month-first by its 11-25 dates: 11-05-2026 is 5 November.
    market = MarketFile("US", [], None, HEADERS, "America/Los_Angeles", "USD", {})
    rows = market_rows(MX_ORDERS, lambda a: f"${a:,.2f}", time_format="%m-%d-%Y %H:%M:%S")
    path = _write(tmp_path / "All order-2026-12-01-09_00.csv", rows, market.headers)
    db, report = _import(tmp_path, market, path)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _kpis(db, market.timezone) == MX_EXPECTED


PLAIN = {"ID": lambda a: _grouped(int(a), "."), "VN": lambda a: _grouped(int(a), "."),
         "DE": lambda a: euro(a)[:-2], "FR": lambda a: _euro_spaced("\u00a0")(a)[:-2],
         "GB": lambda a: f"{a:,.2f}", "MX": lambda a: f"{a:,.2f}"}


@pytest.mark.parametrize("market", MARKETS.values(), ids=MARKETS.keys())
def test_plain_figures_in_a_semicolon_file_give_the_same_kpis(tmp_path, market):
    path = _write(tmp_path / "All order-2026-12-01-09_00.csv",
                  _rows(market, PLAIN[market.name]), market.headers, delimiter=";")
    db, report = _import(tmp_path, market, path)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _shop(db) == (market.currency, market.timezone)
    assert _kpis(db, market.timezone) == market.expected


@pytest.mark.parametrize("market", MARKETS.values(), ids=MARKETS.keys())
def test_ids_excel_wrote_in_scientific_notation_are_refused(tmp_path, market):
    rows = _rows(market)
    for row in rows:  # 580000000000000101 as Excel shows an 18-digit number
        row["Order ID"] = "5.8E+17"
    path = _write(tmp_path / "All order-2026-12-01-09_00.csv", rows, market.headers)
    db, report = _import(tmp_path, market, path)
    assert report.status == "rejected" or report.rows_stored == 0, report
    assert "5.8E+17" in (report.message + " ".join(p.raw_value for p in report.problems))


@pytest.mark.parametrize("market", MARKETS.values(), ids=MARKETS.keys())
def test_an_xlsx_with_numbers_and_dates_as_excel_cells_gives_the_same_kpis(tmp_path, market):
    from datetime import datetime

    from openpyxl import Workbook

    rows = market_rows(market.orders, lambda a: float(a))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "OrderSKUList"
    sheet.append(market.headers)
    for row in rows:
        cells = []
        for header in market.headers:
            value = row.get(header, "")
            if header.endswith("Time") and value:
                value = datetime.strptime(value.strip(), "%d/%m/%Y %H:%M:%S")
            elif header in ("Quantity", "Sku Quantity of return"):
                value = int(value)
            cells.append(value)
        sheet.append(cells)
    path = tmp_path / "All order-2026-12-01-09_00.xlsx"
    workbook.save(path)
    db, report = _import(tmp_path, market, path)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _kpis(db, market.timezone) == market.expected


XLSX_SHAPES = {"sheet named Sheet1": dict(title="Sheet1"),
               "a notes sheet first": dict(notes_sheet=True),
               "blank rows above the header": dict(top_rows=2),
               "blank rows between orders": dict(blank_rows_between=True),
               "no description row": dict(describe=False),
               "a totals row at the end": dict(totals=True)}


def _xlsx(path: Path, market: MarketFile, *, title: str = "OrderSKUList",
          notes_sheet: bool = False, top_rows: int = 0, describe: bool = True,
          totals: bool = False, blank_rows_between: bool = False) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if notes_sheet:
        sheet.title = "Notes"
        sheet.append(["Exported with a spreadsheet tool"])
        sheet = workbook.create_sheet(title)
    else:
        sheet.title = title
    for _ in range(top_rows):
        sheet.append([])
    sheet.append(market.headers)
    if describe:
        described = description_row(market.headers)
        sheet.append([described[h] for h in market.headers])
    for row in _rows(market):
        sheet.append([row.get(h, "") for h in market.headers])
        if blank_rows_between:
            sheet.append([])
    if totals:
        sheet.append(["Total"] + [""] * (len(market.headers) - 1))
    workbook.save(path)
    return path


@pytest.mark.parametrize("market", MARKETS.values(), ids=MARKETS.keys())
@pytest.mark.parametrize("shape", XLSX_SHAPES.values(), ids=XLSX_SHAPES.keys())
def test_reshaped_workbooks_give_the_same_kpis(tmp_path, market, shape):
    path = _xlsx(tmp_path / "All order-2026-12-01-09_00.xlsx", market, **shape)
    db, report = _import(tmp_path, market, path)
    assert report.status == "imported", report.message
    if shape.get("totals"):  # the totals line is held back with its reason, never summed
        assert report.rows_quarantined == 1
        assert ("Order ID", "Total") in [(p.column, p.raw_value) for p in report.problems]
    else:
        assert report.rows_quarantined == 0, report.problems
    assert _kpis(db, market.timezone) == market.expected


# --- affiliate orders of an Indonesian shop, varied alike --------------------------------

def _affiliate_rows(first: str = "Rp 150.000", second: str = "Rp 49.900",
                    times: tuple[str, str] = ("14/11/2026 10:00:00", "05/11/2026 20:15:00")):
    from tests.test_market_orders import _affiliate_row

    return [_affiliate_row("580000000000000101", first, "IDR", times[0]),
            _affiliate_row("580000000000000103", second, "IDR", times[1])]


AFFILIATE_VARIANTS = {
    "lower-case headers": dict(shown=str.lower),
    "columns reversed": dict(reverse=True),
    "UTF-16 tab-separated": dict(encoding="utf-16", delimiter="\t"),
    "semicolon-separated": dict(delimiter=";"),
    "Rp without space": dict(rows=_affiliate_rows("Rp150.000", "Rp49.900")),
    "IDR code": dict(rows=_affiliate_rows("IDR 150.000", "IDR 49.900")),
    "plain figures": dict(rows=_affiliate_rows("150.000", "49.900")),
    "no-break space": dict(rows=_affiliate_rows("Rp\u00a0150.000", "Rp\u00a049.900")),
    "dotted times": dict(rows=_affiliate_rows(times=("14.11.2026 10:00", "05.11.2026 20:15"))),
}


@pytest.mark.parametrize("variant", AFFILIATE_VARIANTS.values(), ids=AFFILIATE_VARIANTS.keys())
def test_varied_affiliate_orders_store_the_same_lines(tmp_path, variant):
    from campaign_core.demo.content_files import AFFILIATE_US_HEADERS
    from campaign_core.store import read_connection
    from tests.market_files import write_market_csv

    db = tmp_path / "s.db"
    orders = market_rows(ID_ORDERS, rupiah)
    import_file(db, write_market_csv(tmp_path / "o.csv", orders, ID_HEADERS),
                timezone="Asia/Jakarta")
    headers = list(AFFILIATE_US_HEADERS)
    if variant.get("reverse"):
        headers.reverse()
    shown = variant.get("shown", lambda h: h)
    path = tmp_path / "all_20261101_20261130.csv"
    with path.open("w", encoding=variant.get("encoding", "utf-8-sig"), newline="") as handle:
        writer = csv.writer(handle, delimiter=variant.get("delimiter", ","))
        writer.writerow([shown(h) for h in headers])
        writer.writerows([row.get(h, "") for h in headers]
                         for row in variant.get("rows") or _affiliate_rows())
    report = import_file(db, path)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    with read_connection(db) as conn:
        lines = sorted(tuple(row) for row in conn.execute(
            "SELECT order_id, price_cents, paid_utc FROM affiliate_line"))
    # 14 November 10:00 and 5 November 20:15 in Jakarta (UTC+7); Rp 150.000 and Rp 49.900.
    assert lines == [("580000000000000101", 15_000_000, 1794625200),
                     ("580000000000000103", 4_990_000, 1793884500)]


# --- a Data Compass export with title lines above its header, re-saved ---------------------

ANALYTICS_SAVES = {"as exported": ("utf-8-sig", ","), "UTF-16 tab-separated": ("utf-16", "\t"),
                   "semicolon-separated": ("utf-8-sig", ";"), "lower-case headers": None}


@pytest.mark.parametrize("save", ANALYTICS_SAVES.values(), ids=ANALYTICS_SAVES.keys())
def test_resaved_product_analytics_with_title_lines_store_the_same_figures(tmp_path, save):
    from campaign_core.store import read_connection
    from tests.market_files import write_market_csv
    from tests.test_product_analytics import HEADER

    db = tmp_path / "s.db"
    orders = market_rows(ID_ORDERS, rupiah)
    import_file(db, write_market_csv(tmp_path / "o.csv", orders, ID_HEADERS),
                timezone="Asia/Jakarta")
    row = ["1730000000000000011\t", "Kopi", "Rp 1.250.000", "8", "8", "9", "7", "12.040",
           "860", "120", "95", "9.870", "701", "Rp 150.000", "1", "--", "Rp 300.000",
           "Rp 450.000", "--", "1.500", "90", "Rp 120.000"]
    encoding, delimiter = save or ("utf-8-sig", ",")
    header = [h.lower() for h in HEADER] if save is None else HEADER
    path = tmp_path / "product_analysis.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerows([["Product analysis"], ["Date range: 01/11/2026 ~ 05/11/2026"],
                          header, row])
    report = import_file(db, path)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    with read_connection(db) as conn:
        stored = conn.execute(
            "SELECT period_start, period_end, gmv_cents, impressions, refunds_cents "
            "FROM product_traffic WHERE channel = 'all'").fetchone()
    assert tuple(stored) == ("2026-11-01", "2026-11-05", 125_000_000, 12_040, 15_000_000)
