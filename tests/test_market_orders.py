"""Orders exports of each market, imported and reported with hand-computed KPIs.

Each file is built in its market's layout (tests/market_files.py): currency signs and
number marks of the market, day-first 24-hour times, local status words, BOM, description
row, trailing TABs. KPIs come from ``metrics.core.core_kpis``, the function ``report`` uses,
over the November 2026 campaign period; every expected figure is worked out by hand below,
to the currency's minor unit. Money is stored in hundredths whatever the currency.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from campaign_core.cli import main
from campaign_core.importers.orders_bulk import read_orders
from campaign_core.importers.pipeline import import_file
from campaign_core.importers.reading import FileRejected, open_source
from campaign_core.importers.values import FileLocale
from campaign_core.metrics.core import core_kpis
from campaign_core.store import read_connection
from campaign_core.windows import period_window
from tests.market_files import (
    ID_HEADERS,
    VN_HEADERS,
    Line,
    Order,
    dong,
    euro,
    market_rows,
    peso,
    pound,
    rupiah,
    write_market_csv,
    write_market_xlsx,
)
from tests.market_files import US_ORDER_HEADERS as HEADERS

LATER = datetime(2026, 12, 2, tzinfo=UTC)
JAKARTA, SAIGON, LONDON, BERLIN, MADRID, MEXICO = (
    "Asia/Jakarta", "Asia/Ho_Chi_Minh", "Europe/London", "Europe/Berlin", "Europe/Madrid",
    "America/Mexico_City")


def _kpis(db, timezone: str) -> dict:
    with read_connection(db) as conn:
        window = period_window(date(2026, 11, 1), date(2026, 11, 30), timezone, LATER)
        kpis = core_kpis(conn, 1, window).as_dict()
    return {name: kpis[name] for name in ("gmv", "orders", "buyers", "refunds", "units")}


def _shop(db) -> tuple[str, str]:
    with read_connection(db) as conn:
        row = conn.execute("SELECT currency, timezone FROM shop").fetchone()
    return row["currency"], row["timezone"]


# --- Indonesia: Rp 150.000, Indonesian statuses, DD/MM/YYYY ----------------------------------

ID_ORDERS = [
    # A completed: 2 x 150.000 - 20.000 seller = 280.000, and 75.000: GMV 355.000.
    Order("580000000000000101", "Selesai", datetime(2026, 11, 14, 10, 0), "budi",
          [Line("1729000000000000001", "1730000000000000011", 2, D(150_000),
                seller_discount=D(20_000), platform_discount=D(10_000)),
           Line("1729000000000000002", "1730000000000000012", 1, D(75_000))]),
    # B cancelled (Dibatalkan): GMV 150.000, refunded whole.
    Order("580000000000000102", "Dibatalkan", datetime(2026, 11, 2, 9, 30), "sari",
          [Line("1729000000000000001", "1730000000000000011", 1, D(150_000))],
          cancel_type="Cancel", cancelled=datetime(2026, 11, 2, 12, 0)),
    # C shipped (Dikirim): 3 x 49.900 = 149.700; buyer budi again.
    Order("580000000000000103", "Dikirim", datetime(2026, 11, 5, 20, 15), "budi",
          [Line("1729000000000000003", "1730000000000000013", 3, D(49_900))]),
    # D unpaid (Belum dibayar): no paid time, not GMV.
    Order("580000000000000104", "Belum dibayar", None, "andi",
          [Line("1729000000000000002", "1730000000000000012", 1, D(75_000))]),
    # E to ship (Perlu dikirim): 75.000, paid one second before midnight.
    Order("580000000000000105", "Perlu dikirim", datetime(2026, 11, 13, 23, 59, 59), "rina",
          [Line("1729000000000000002", "1730000000000000012", 1, D(75_000))]),
    # F a status of no known market, cancelled by the English columns: 150.000 refunded.
    Order("580000000000000106", "Status baru", datetime(2026, 11, 10, 8, 0), "dewi",
          [Line("1729000000000000001", "1730000000000000011", 1, D(150_000))],
          cancel_type="Cancel", cancelled=datetime(2026, 11, 10, 9, 0)),
]
# GMV 355.000 + 150.000 + 149.700 + 75.000 + 150.000 = 879.700; orders A B C E F = 5;
# buyers budi sari rina dewi = 4; refunds B + F = 300.000; units 2+1+1+3+1+1 = 9.
ID_EXPECTED = dict(gmv=D(879_700), orders=5, buyers=4, refunds=D(300_000), units=9)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_indonesian_orders_export(tmp_path, suffix):
    rows = market_rows(ID_ORDERS, rupiah, extra={"Province": "DKI Jakarta",
                                                  "Country": "Indonesia"})
    write = write_market_csv if suffix == "csv" else write_market_xlsx
    path = write(tmp_path / f"All order-2026-12-01-09_00.{suffix}", rows, ID_HEADERS)
    db = tmp_path / "s.db"

    report = import_file(db, path, timezone=JAKARTA)

    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _shop(db) == ("IDR", JAKARTA)
    assert _kpis(db, JAKARTA) == ID_EXPECTED
    # 14/11/2026 10:00 in Jakarta (UTC+7) is 03:00 UTC; 01-12 days read day-first too.
    with read_connection(db) as conn:
        paid = dict(conn.execute("SELECT order_id, paid_utc FROM orders").fetchall())
        price = conn.execute("SELECT unit_original_price_cents FROM order_line "
                             "WHERE order_id = '580000000000000101' AND line_no = 1"
                             ).fetchone()[0]
    assert paid["580000000000000101"] == int(datetime(2026, 11, 14, 3, tzinfo=UTC).timestamp())
    assert paid["580000000000000102"] == int(datetime(2026, 11, 2, 2, 30, tzinfo=UTC)
                                             .timestamp())
    assert price == 15_000_000  # Rp 150.000 in hundredths
    warning = [note for note in report.notes if "not recognised" in note]
    assert warning and "'Status baru' (1 line(s))" in warning[0]


def test_indonesian_orders_read_alike_by_rows_and_in_bulk(tmp_path):
    rows = market_rows(ID_ORDERS, rupiah)
    path = write_market_csv(tmp_path / "All order-2026-12-01-09_00.csv", rows, ID_HEADERS)
    locale = _locale("IDR", JAKARTA)
    by_rows, in_bulk = open_source(path), open_source(path)
    by_rows.locale = in_bulk.locale = locale
    parsed_rows = read_orders(by_rows, JAKARTA, bulk_min_rows=10**9)
    parsed_bulk = read_orders(in_bulk, JAKARTA, bulk_min_rows=0)
    assert type(parsed_bulk).__name__ == "BulkOrders"  # it did not give way
    assert parsed_bulk.notes == parsed_rows.notes
    hashes = dict(zip(parsed_bulk.orders["order_id"], parsed_bulk.orders["content_hash"],
                      strict=True))
    assert hashes == {order_id: order["content_hash"]
                      for order_id, order in parsed_rows.orders.items()}
    statuses = dict(zip(parsed_bulk.orders["order_id"], parsed_bulk.orders["status"],
                        strict=True))
    assert statuses["580000000000000106"] == "cancelled"
    assert statuses["580000000000000104"] == "unpaid"


def _locale(currency: str, timezone: str) -> FileLocale:
    from campaign_core.importers.file_currency import locale_for
    return locale_for(currency, timezone)


# --- Vietnam: 299.000₫, Đã hủy ------------------------------------------------------------

VN_ORDERS = [
    # A cancelled (Đã hủy): 299.000, refunded whole.
    Order("580000000000000201", "Đã hủy", datetime(2026, 11, 21, 10, 0), "lan",
          [Line("1729000000000000021", "1730000000000000031", 1, D(299_000))]),
    # B completed: 2 x 1.250.000 - 50.000 seller = 2.450.000.
    Order("580000000000000202", "Completed", datetime(2026, 11, 11, 11, 11, 11), "minh",
          [Line("1729000000000000022", "1730000000000000032", 2, D(1_250_000),
                seller_discount=D(50_000))]),
    # C delivered: 12.500.000.
    Order("580000000000000203", "Delivered", datetime(2026, 11, 30, 21, 0), "lan",
          [Line("1729000000000000023", "1730000000000000033", 1, D(12_500_000))]),
]
# GMV 299.000 + 2.450.000 + 12.500.000 = 15.249.000; 3 orders; buyers lan, minh = 2;
# refunds 299.000; units 4.
VN_EXPECTED = dict(gmv=D(15_249_000), orders=3, buyers=2, refunds=D(299_000), units=4)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_vietnamese_orders_export(tmp_path, suffix):
    rows = market_rows(VN_ORDERS, dong, extra={"Country": "Vietnam"})
    write = write_market_csv if suffix == "csv" else write_market_xlsx
    path = write(tmp_path / f"All order-2026-12-01-09_00.{suffix}", rows, VN_HEADERS)
    db = tmp_path / "s.db"

    report = import_file(db, path, timezone=SAIGON)

    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _shop(db) == ("VND", SAIGON)
    assert _kpis(db, SAIGON) == VN_EXPECTED


# --- United Kingdom: £1,022.25 -------------------------------------------------------------

UK_ORDERS = [
    # A: 1,022.25 - 22.25 seller = 1,000.00.
    Order("580000000000000301", "Completed", datetime(2026, 11, 15, 14, 0), "amy",
          [Line("1729000000000000041", "1730000000000000051", 1, D("1022.25"),
                seller_discount=D("22.25"))]),
    # B cancelled: 2 x 12.50 = 25.00, refunded whole.
    Order("580000000000000302", "Cancelled", datetime(2026, 11, 3, 9, 0), "ben",
          [Line("1729000000000000042", "1730000000000000052", 2, D("12.50"))],
          cancel_type="Cancel", cancelled=datetime(2026, 11, 3, 10, 0)),
    # C delivered, its one unit returned: GMV 9.99, refund 1 x 9.99 / 1 = 9.99.
    Order("580000000000000303", "Delivered", datetime(2026, 11, 20, 18, 30), "amy",
          [Line("1729000000000000043", "1730000000000000053", 1, D("9.99"), returned=1)]),
]
# GMV 1,000.00 + 25.00 + 9.99 = 1,034.99; 3 orders; buyers amy, ben; refunds 34.99; units 4.
UK_EXPECTED = dict(gmv=D("1034.99"), orders=3, buyers=2, refunds=D("34.99"), units=4)


def test_uk_orders_export(tmp_path):
    rows = market_rows(UK_ORDERS, pound, extra={"Country": "United Kingdom"})
    path = write_market_csv(tmp_path / "All order-2026-12-01-09_00.csv", rows, HEADERS)
    db = tmp_path / "s.db"

    report = import_file(db, path, timezone=LONDON)

    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _shop(db) == ("GBP", LONDON)
    assert _kpis(db, LONDON) == UK_EXPECTED


# --- Germany and Spain: 1.022,25 € ---------------------------------------------------------

EU_ORDERS = [
    # A: 1.022,25 (the platform discount is TikTok's, still GMV).
    Order("580000000000000401", "Completed", datetime(2026, 11, 16, 10, 0), "jonas",
          [Line("1729000000000000061", "1730000000000000071", 1, D("1022.25"),
                platform_discount=D("100.00"))]),
    # B cancelled: 3 x 12,50 - 2,50 seller = 35,00, refunded whole.
    Order("580000000000000402", "Cancelled", datetime(2026, 11, 1, 12, 0), "lea",
          [Line("1729000000000000062", "1730000000000000072", 3, D("12.50"),
                seller_discount=D("2.50"))],
          cancel_type="Cancel", cancelled=datetime(2026, 11, 1, 13, 0)),
]
# GMV 1.022,25 + 35,00 = 1.057,25; 2 orders; 2 buyers; refunds 35,00; units 4.
EU_EXPECTED = dict(gmv=D("1057.25"), orders=2, buyers=2, refunds=D("35.00"), units=4)


@pytest.mark.parametrize(("timezone", "suffix"), [(BERLIN, "xlsx"), (MADRID, "csv")])
def test_euro_orders_export(tmp_path, timezone, suffix):
    rows = market_rows(EU_ORDERS, euro)
    write = write_market_csv if suffix == "csv" else write_market_xlsx
    path = write(tmp_path / f"All order-2026-12-01-09_00.{suffix}", rows, HEADERS)
    db = tmp_path / "s.db"

    report = import_file(db, path, timezone=timezone)

    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _shop(db) == ("EUR", timezone)
    assert _kpis(db, timezone) == EU_EXPECTED


# --- Mexico: MXN 3,121.71 ------------------------------------------------------------------

MX_ORDERS = [
    Order("580000000000000501", "Completed", datetime(2026, 11, 25, 13, 0), "sofia",
          [Line("1729000000000000081", "1730000000000000091", 1, D("3121.71"))]),
    Order("580000000000000502", "Completed", datetime(2026, 11, 12, 9, 0), "diego",
          [Line("1729000000000000082", "1730000000000000092", 2, D("499.00"))]),
]
# GMV 3,121.71 + 2 x 499.00 = 4,119.71; 2 orders; 2 buyers; no refunds; units 3.
MX_EXPECTED = dict(gmv=D("4119.71"), orders=2, buyers=2, refunds=D("0.00"), units=3)


def test_mexican_orders_export(tmp_path):
    rows = market_rows(MX_ORDERS, peso, extra={"Country": "Mexico"})
    path = write_market_csv(tmp_path / "All order-2026-12-01-09_00.csv", rows, HEADERS)
    db = tmp_path / "s.db"

    report = import_file(db, path, timezone=MEXICO)

    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    assert _shop(db) == ("MXN", MEXICO)
    assert _kpis(db, MEXICO) == MX_EXPECTED


# --- what is not guessed -------------------------------------------------------------------

AMBIGUOUS_DAYS = [  # every day 12 or less: 01/11/2026 is 1 November or January 11
    Order("580000000000000601", "Completed", datetime(2026, 11, 1, 10, 0), "ani",
          [Line("1729000000000000001", "1730000000000000011", 1, D(150_000))]),
    Order("580000000000000602", "Completed", datetime(2026, 11, 5, 11, 0), "eko",
          [Line("1729000000000000001", "1730000000000000011", 1, D(150_000))]),
]


def test_ambiguous_days_follow_the_shops_market(tmp_path):
    rows = market_rows(AMBIGUOUS_DAYS, rupiah)
    path = write_market_csv(tmp_path / "All order-2026-12-01-09_00.csv", rows, ID_HEADERS)
    db = tmp_path / "s.db"
    report = import_file(db, path, timezone=JAKARTA)
    assert report.status == "imported", report.message
    with read_connection(db) as conn:
        paid = [row[0] for row in conn.execute("SELECT paid_utc FROM orders ORDER BY 1")]
    # 1 November 10:00 and 5 November 11:00 in Jakarta (UTC+7), not January 11 / May 11.
    assert paid == [int(datetime(2026, 11, 1, 3, tzinfo=UTC).timestamp()),
                    int(datetime(2026, 11, 5, 4, tzinfo=UTC).timestamp())]


@pytest.mark.parametrize("bulk_min_rows", [0, 10**9])
def test_ambiguous_days_without_a_market_are_rejected_with_the_reason(tmp_path,
                                                                        bulk_min_rows):
    rows = market_rows(AMBIGUOUS_DAYS, rupiah)
    path = write_market_csv(tmp_path / "All order-2026-12-01-09_00.csv", rows, ID_HEADERS)
    table = open_source(path)
    table.locale = FileLocale(_locale("IDR", JAKARTA).style, None)  # market not known
    with pytest.raises(FileRejected, match="01/11/2026"):
        read_orders(table, JAKARTA, bulk_min_rows=bulk_min_rows)


def test_an_amount_with_ambiguous_marks_is_quarantined_with_the_reason(tmp_path):
    orders = [Order("580000000000000701", "Completed", datetime(2026, 11, 14, 10, 0), "amy",
                    [Line("1729000000000000041", "1730000000000000051", 1, D("12.50"))]),
              Order("580000000000000702", "Completed", datetime(2026, 11, 15, 10, 0), "ben",
                    [Line("1729000000000000042", "1730000000000000052", 1, D("3.00"))])]
    rows = market_rows(orders, lambda amount: f"{amount:.2f}", time_format="%m/%d/%Y %H:%M:%S")
    rows[1]["SKU Unit Original Price"] = "1.234"  # 1.234 dollars, or 1,234?
    path = write_market_csv(tmp_path / "All order-2026-12-01-09_00.csv", rows, HEADERS)
    db = tmp_path / "s.db"

    report = import_file(db, path, timezone="America/Los_Angeles")

    assert report.status == "imported", report.message
    assert report.rows_stored == 1 and report.rows_quarantined == 1
    [problem] = report.problems
    assert problem.column == "SKU Unit Original Price" and problem.raw_value == "1.234"
    assert "ambiguous" in problem.reason


def test_a_file_in_another_currency_than_the_shops_is_refused(tmp_path):
    db = tmp_path / "s.db"
    uk = market_rows(UK_ORDERS, pound)
    assert import_file(db, write_market_csv(tmp_path / "uk.csv", uk, HEADERS),
                       timezone=LONDON).status == "imported"
    rows = market_rows(ID_ORDERS, rupiah)
    report = import_file(db, write_market_csv(tmp_path / "id.csv", rows, ID_HEADERS))
    assert report.status == "rejected"
    assert "IDR" in report.message and "GBP" in report.message
    assert _kpis(db, LONDON) == UK_EXPECTED  # nothing of the refused file was stored


def test_report_json_rounds_money_to_the_currencys_minor_unit(tmp_path, capsys):
    db = tmp_path / "s.db"
    rows = market_rows(ID_ORDERS, rupiah)
    path = write_market_csv(tmp_path / "All order-2026-12-01-09_00.csv", rows, ID_HEADERS)
    assert main(["import", "--db", str(db), "--timezone", JAKARTA, str(path)]) == 0
    assert main(["campaign", "--db", str(db), "--name", "11.11", "--start", "2026-11-01",
                 "--end", "2026-11-30"]) == 0
    capsys.readouterr()
    assert main(["report", "--db", str(db), "--campaign", "11.11", "--view", "period",
                 "--now", "2026-12-02T00:00:00Z", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["currency"] == "IDR"
    # AOV 879.700 / 5 = 175.940: whole rupiah, as integers.
    assert report["core"]["gmv"] == 879_700 and isinstance(report["core"]["gmv"], int)
    assert report["core"]["aov"] == 175_940 and report["core"]["refunds"] == 300_000


def test_money_is_stored_in_hundredths_for_every_currency(tmp_path):
    db = tmp_path / "s.db"
    rows = market_rows(VN_ORDERS, dong)
    import_file(db, write_market_csv(tmp_path / "vn.csv", rows, VN_HEADERS), timezone=SAIGON)
    conn = sqlite3.connect(db)
    try:
        gmv = conn.execute("SELECT SUM(gmv_cents) FROM order_line").fetchone()[0]
    finally:
        conn.close()
    assert gmv == 15_249_000 * 100


# --- affiliate orders of a market ----------------------------------------------------------

def _affiliate_csv(path, rows: list[dict[str, str]]):
    from campaign_core.demo.content_files import AFFILIATE_US_HEADERS
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(AFFILIATE_US_HEADERS)
        writer.writerows([row.get(h, "") for h in AFFILIATE_US_HEADERS] for row in rows)
    return path


def _affiliate_row(order_id: str, price: str, currency: str, paid: str) -> dict[str, str]:
    return {"Order ID": f"{order_id}\t", "Product ID": "1730000000000000011\t",
            "SKU ID": "1729000000000000001\t", "Price": price, "Payment Amount": price,
            "Currency": currency, "Quantity": "1", "Order Status": "Selesai",
            "Creator Username": "kreator", "Content Type": "Video",
            "Content ID": "7300000000000000001", "Est. standard commission payment": price,
            "Payment time": f"{paid}\t"}


def test_indonesian_affiliate_orders_read_rupiah_and_day_first_times(tmp_path):
    db = tmp_path / "s.db"
    orders = market_rows(ID_ORDERS, rupiah)
    import_file(db, write_market_csv(tmp_path / "o.csv", orders, ID_HEADERS), timezone=JAKARTA)
    path = _affiliate_csv(tmp_path / "all_20261101_20261130.csv", [
        _affiliate_row("580000000000000101", "Rp 150.000", "IDR", "14/11/2026 10:00:00"),
        _affiliate_row("580000000000000103", "Rp 49.900", "IDR", "05/11/2026 20:15:00")])

    report = import_file(db, path)

    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    with read_connection(db) as conn:
        lines = {row[0]: tuple(row)[1:] for row in conn.execute(
            "SELECT order_id, price_cents, paid_utc FROM affiliate_line")}
    assert lines["580000000000000101"] == (
        15_000_000, int(datetime(2026, 11, 14, 3, tzinfo=UTC).timestamp()))
    # 05/11/2026 is 5 November: the other date of the file (14/11) settles day-first.
    assert lines["580000000000000103"] == (
        4_990_000, int(datetime(2026, 11, 5, 13, 15, tzinfo=UTC).timestamp()))


def test_affiliate_orders_in_another_currency_are_refused(tmp_path):
    db = tmp_path / "s.db"
    orders = market_rows(ID_ORDERS, rupiah)
    import_file(db, write_market_csv(tmp_path / "o.csv", orders, ID_HEADERS), timezone=JAKARTA)
    path = _affiliate_csv(tmp_path / "all.csv", [
        _affiliate_row("580000000000000101", "12.50", "USD", "14/11/2026 10:00:00")])
    report = import_file(db, path)
    assert report.status == "rejected"
    assert "USD" in report.message and "IDR" in report.message


# --- ad reports: their own currency per row ------------------------------------------------

def test_gmv_max_report_in_rupiah_and_one_billed_in_dollars(tmp_path):
    from tests.marketing_files import GMV_MAX_CAMPAIGN_HEADER, campaign_report_name
    from tests.marketing_files import write_csv as write_rows

    db = tmp_path / "s.db"
    orders = market_rows(ID_ORDERS, rupiah)
    import_file(db, write_market_csv(tmp_path / "o.csv", orders, ID_HEADERS), timezone=JAKARTA)
    rupiah_report = write_rows(tmp_path / campaign_report_name("2026-11-01", "2026-11-30",
                                                               "csv"), [
        GMV_MAX_CAMPAIGN_HEADER,
        ["11.11 GMV Max", "1800000000000000001", "Rp 1.250.000", "Rp 1.200.000", "12",
         "Rp 104.167", "Rp 5.000.000", "4.00", "IDR"]])
    report = import_file(db, rupiah_report)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    dollar_report = write_rows(tmp_path / campaign_report_name("2026-12-01", "2026-12-07",
                                                               "csv"), [
        GMV_MAX_CAMPAIGN_HEADER,
        ["12.12 GMV Max", "1800000000000000002", "$1,234.50", "$1,200.00", "3", "$411.50",
         "$5,000.00", "4.05", "USD"]])
    report = import_file(db, dollar_report)
    assert report.status == "imported", report.message  # an ad account may bill in USD
    with read_connection(db) as conn:
        rows = conn.execute("SELECT campaign_id, cost_cents, gross_revenue_cents, currency "
                            "FROM ad_campaign_period ORDER BY campaign_id").fetchall()
        currency = conn.execute("SELECT currency FROM shop").fetchone()[0]
    assert [tuple(row) for row in rows] == [
        ("1800000000000000001", 125_000_000, 500_000_000, "IDR"),
        ("1800000000000000002", 123_450, 500_000, "USD")]
    assert currency == "IDR"


# --- product analytics of a market ---------------------------------------------------------

def test_indonesian_product_analytics_in_rupiah_over_an_ambiguous_range(tmp_path):
    from tests.test_product_analytics import HEADER
    from tests.test_product_analytics import write_csv as write_rows

    db = tmp_path / "s.db"
    orders = market_rows(ID_ORDERS, rupiah)
    import_file(db, write_market_csv(tmp_path / "o.csv", orders, ID_HEADERS), timezone=JAKARTA)
    row = ["1730000000000000011\t", "Kopi", "Rp 1.250.000", "8", "8", "9", "7", "12.040",
           "860", "120", "95", "9.870", "701", "Rp 150.000", "1", "--", "Rp 300.000",
           "Rp 450.000", "--", "1.500", "90", "Rp 120.000"]
    path = write_rows(tmp_path, [["Product analysis"], ["Date range: 01/11/2026 ~ 05/11/2026"],
                                 HEADER, row])
    report = import_file(db, path)
    assert report.status == "imported", report.message
    assert report.rows_quarantined == 0, report.problems
    with read_connection(db) as conn:
        stored = conn.execute(
            "SELECT period_start, period_end, gmv_cents, impressions, refunds_cents "
            "FROM product_traffic WHERE channel = 'all'").fetchone()
    # An Indonesian shop: 01/11/2026 ~ 05/11/2026 is 1 to 5 November; 12.040 impressions
    # are twelve thousand and forty, Rp 1.250.000 is 125000000 hundredths.
    assert tuple(stored) == ("2026-11-01", "2026-11-05", 125_000_000, 12_040, 15_000_000)


def test_plain_figures_with_indonesian_statuses_make_an_idr_shop(tmp_path):
    # No sign, no Currency column: the statuses' language tells the market. The timezone
    # stays the default one (the command line's contract) unless --timezone names another.
    rows = market_rows(ID_ORDERS, lambda amount: str(int(amount)))
    path = write_market_csv(tmp_path / "All order-2026-12-01-09_00.csv", rows, ID_HEADERS)
    db = tmp_path / "s.db"
    report = import_file(db, path)
    assert report.status == "imported", report.message
    assert _shop(db) == ("IDR", "America/Los_Angeles")
    with read_connection(db) as conn:
        price = conn.execute("SELECT unit_original_price_cents FROM order_line "
                             "WHERE order_id = '580000000000000102'").fetchone()[0]
    assert price == 15_000_000


def test_the_row_reader_after_the_bulk_one_gives_way_reads_the_same_date_order(tmp_path):
    rows = market_rows(AMBIGUOUS_DAYS, rupiah)
    rows[1]["Quantity"] = "two"  # the bulk reader gives way to the row reader
    path = write_market_csv(tmp_path / "All order-2026-12-01-09_00.csv", rows, ID_HEADERS)
    table = open_source(path)
    table.locale = _locale("IDR", JAKARTA)
    parsed = read_orders(table, JAKARTA, bulk_min_rows=0)
    assert type(parsed).__name__ == "ParsedOrders" and parsed.quarantined_rows == 1
    assert [order["paid_utc"] for order in parsed.orders.values()] == [
        int(datetime(2026, 11, 1, 3, tzinfo=UTC).timestamp())]  # 1 November, not January 11
