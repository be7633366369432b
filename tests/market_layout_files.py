"""Export layouts seen outside the US, rebuilt from public evidence, for the importer tests.

Each layout is its rows above the header, the header and a few data rows, so a test can
write it as CSV or XLSX (``write_csv`` / ``write_xlsx`` of ``tests.marketing_files``). The
header names and their evidence are in ``campaign_core/markets/headers.py`` and README
("Export layouts by market"). Amounts are written without thousands marks (``150000``), so
these files test layouts, not number styles.
"""

from __future__ import annotations

from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

PRODUCT_A, PRODUCT_B = "1729592969712207008", "1729592969712207009"

# --- Data Compass > Product analysis, current (44 columns) -----------------------------
# "Analysis date" above the header (day-first), a "Listing status" column, per-channel
# columns after the totals. Only those and the measures of TIKTOK_EXPORTS.md are known
# names; the rates (CTR, conversion rate, AOV...) stand for the columns a reader must
# tolerate: they are derived, so nothing of them is stored.
DATA_COMPASS_44_HEADER = [
    "Product ID", "Product name", "Listing status", "GMV", "Items sold", "Orders",
    "SKU orders", "Est. customers", "Product impressions", "Unique product impressions",
    "Product clicks", "Unique clicks", "CTR", "Conversion rate", "Add-to-cart count",
    "Add-to-cart users", "Add-to-cart rate", "Refunds", "Items refunded",
    "Seller LIVE-attributed GMV", "Seller LIVE product impressions",
    "Seller LIVE product clicks", "Seller LIVE CTR", "Seller video-attributed GMV",
    "Seller video product impressions", "Seller video product clicks", "Seller video CTR",
    "Creator-attributed GMV", "Affiliate product impressions", "Affiliate product clicks",
    "Affiliate CTR", "Seller product card GMV", "Product card product impressions",
    "Product card product clicks", "Product card CTR", "Shop tab product impressions",
    "Shop tab product clicks", "Shop tab GMV", "Shop tab CTR", "Click-to-order rate",
    "Refund rate", "Average selling price", "Est. commission rate", "AOV",
]
assert len(DATA_COMPASS_44_HEADER) == 44


def _data_compass_44_row(product: str, name: str, values: dict[str, str]) -> list[str]:
    row = {header: "0" for header in DATA_COMPASS_44_HEADER}
    row.update({"Product ID": product, "Product name": name, "Listing status": "Live"})
    row.update(values)
    return [row[header] for header in DATA_COMPASS_44_HEADER]


DATA_COMPASS_44_ROWS = [
    _data_compass_44_row(PRODUCT_A, "Lip tint", {
        "GMV": "150000", "Items sold": "52", "Orders": "41", "SKU orders": "45",
        "Est. customers": "39", "Product impressions": "12040",
        "Unique product impressions": "9870", "Product clicks": "860", "Unique clicks": "701",
        "CTR": "7.14%", "Add-to-cart count": "120", "Add-to-cart users": "95",
        "Refunds": "3500", "Items refunded": "2", "Seller LIVE-attributed GMV": "40000",
        "Seller LIVE product impressions": "3000", "Seller LIVE product clicks": "300",
        "Seller video product impressions": "4000", "Seller video product clicks": "200",
        "Affiliate product impressions": "2000", "Affiliate product clicks": "150",
        "Product card product impressions": "1540", "Product card product clicks": "120",
        "Seller video-attributed GMV": "30000", "Creator-attributed GMV": "20500",
        "Seller product card GMV": "30000", "Shop tab product impressions": "1500",
        "Shop tab product clicks": "90", "Shop tab GMV": "12000"}),
    _data_compass_44_row(PRODUCT_B, "Serum", {
        "GMV": "8000", "Items sold": "2", "Orders": "2", "SKU orders": "2",
        "Est. customers": "2", "Product impressions": "1000",
        "Unique product impressions": "900", "Product clicks": "40", "Unique clicks": "38"}),
]
ANALYSIS_DATE = "Analysis date: 14/11/2026~30/11/2026"
DATA_COMPASS_44 = [["Product analysis"], [ANALYSIS_DATE], DATA_COMPASS_44_HEADER,
                   *DATA_COMPASS_44_ROWS]

# The same export with TikTok's grouped two-row header: a super-header row names the group
# (``All``, ``Seller LIVE``, ...) over its first column, and the header below repeats the
# measure names of each group.
GROUPED_SUPER_HEADER = ["", "", "", "All", "", "", "", "", "", "", "", "Seller LIVE", "", "",
                        "Seller video", "", "", "Affiliate", "", "", "Seller Product card",
                        "", "", "Shop tab", "", ""]
GROUPED_HEADER = ["Product ID", "Product name", "Listing status", "GMV", "Items sold",
                  "Orders", "SKU orders", "Product impressions", "Product clicks",
                  "Unique product impressions", "Unique clicks",
                  "GMV", "Product impressions", "Product clicks",
                  "GMV", "Product impressions", "Product clicks",
                  "GMV", "Product impressions", "Product clicks",
                  "GMV", "Product impressions", "Product clicks",
                  "GMV", "Product impressions", "Product clicks"]
GROUPED_ROWS = [
    [PRODUCT_A, "Lip tint", "Live", "150000", "52", "41", "45", "12040", "860", "9870", "701",
     "40000", "3000", "300", "30000", "4000", "200", "20500", "2000", "150",
     "30000", "1540", "120", "12000", "1500", "90"],
    [PRODUCT_B, "Serum", "Live", "8000", "2", "2", "2", "1000", "40", "900", "38",
     "0", "0", "0", "8000", "1000", "40", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
]
DATA_COMPASS_GROUPED = [["Product analysis"], [ANALYSIS_DATE], GROUPED_SUPER_HEADER,
                        GROUPED_HEADER, *GROUPED_ROWS]

# Vietnamese Seller Center (Data Compass > Phân tích sản phẩm).
DATA_COMPASS_VI_HEADER = ["ID sản phẩm", "Tên", "Trạng thái", "GMV", "Số món bán ra",
                          "Đơn hàng", "Đơn hàng SKU", "Khách hàng", "Lượt hiển thị sản phẩm",
                          "Lượt nhấp vào sản phẩm", "Số lượt thêm vào giỏ hàng"]
DATA_COMPASS_VI_ROWS = [
    [PRODUCT_A, "Son tint", "Đang hoạt động", "150000", "52", "41", "45", "39", "12040",
     "860", "120"],
]
DATA_COMPASS_VI = [["Phân tích sản phẩm"], ["Ngày phân tích: 14/11/2026~30/11/2026"],
                   DATA_COMPASS_VI_HEADER, *DATA_COMPASS_VI_ROWS]

# --- TikTok Ads Manager > GMV Max, per product -------------------------------------------
# ``Creative data <start> - <end> - Product <id>.xlsx``: one product's creatives, no
# campaign columns; the product is in the file name, the video in ``Post ID``.
CREATIVE_DATA_HEADER = ["Post ID", "Video title", "TikTok account", "Time posted", "Status",
                        "Authorization type", "Cost", "SKU orders", "Cost per order",
                        "Gross revenue", "ROI", "Product ad impressions", "Product ad clicks",
                        "Product ad click rate", "Ad conversion rate", "Currency"]
CREATIVE_DATA_ROWS = [
    ["7400000000000000011", "Tint swatches", "glowandgo", "2026-11-02 10:00:00", "Delivering",
     "Own video", "120.50", "12", "10.04", "480.00", "3.98", "15000", "450", "3.00%",
     "2.67%", "USD"],
    ["7400000000000000012", "Night routine", "glowwithmia", "2026-11-03 19:30:00",
     "Delivering", "Authorized", "60.00", "3", "20.00", "95.10", "1.59", "8000", "160",
     "2.00%", "1.88%", "USD"],
]
CREATIVE_DATA = [CREATIVE_DATA_HEADER, *CREATIVE_DATA_ROWS]


def creative_data_name(start: str, end: str, product: str = PRODUCT_A) -> str:
    return f"Creative data {start} - {end} - Product {product}.xlsx"


# Product-level GMV Max report: one row per product, ``Orders (SKU)``, no campaign columns.
PRODUCT_LEVEL_HEADER = ["Product ID", "Product name", "Status", "Cost", "Orders (SKU)",
                        "Cost per order", "Gross revenue", "ROI", "Currency"]
PRODUCT_LEVEL_ROWS = [
    [PRODUCT_A, "Lip tint", "Active", "300.00", "25", "12.00", "1050.00", "3.50", "USD"],
    [PRODUCT_B, "Serum", "Active", "45.00", "1", "45.00", "30.00", "0.67", "USD"],
]
PRODUCT_LEVEL = [PRODUCT_LEVEL_HEADER, *PRODUCT_LEVEL_ROWS]

# --- Finance > Income --------------------------------------------------------------------
# Current English headers: the times say they are UTC; the Indonesian shop's workbook
# names the fees its own way and carries TikTok's typo "Ajustment amount".
INCOME_UTC_HEADER = ["Order/adjustment ID", "Type", "Order created time(UTC)",
                     "Order settled time(UTC)", "Currency", "Total settlement amount",
                     "Total revenue", "Subtotal after seller discounts", "Total fees",
                     "Platform commission fee", "Payment Fee", "Affiliate commission",
                     "Ajustment amount", "Related order ID"]
INCOME_UTC_ROWS = [
    ["576000000000000101\t", "Order", "2026/11/20", "2026/11/28", "IDR", "120000", "150000",
     "150000", "-30000", "-12000", "-6000", "-12000", "0", ""],
    ["7100000000000000101", "Adjustment", "", "2026/11/29", "IDR", "5000", "", "", "", "", "",
     "", "5000", "576000000000000102"],
]
INCOME_UTC = [INCOME_UTC_HEADER, *INCOME_UTC_ROWS]

# The Indonesian-language Seller Center's income export.
INCOME_ID_HEADER = ["ID Pesanan/Penyesuaian", "Jenis transaksi", "Waktu pemesanan",
                    "Waktu penyelesaian pesanan", "Jumlah penyelesaian pembayaran",
                    "Total Pendapatan", "Total Biaya", "Biaya komisi platform",
                    "Komisi Afiliasi", "Jumlah penyesuaian", "ID pesanan terkait"]
INCOME_ID_ROWS = [
    ["576000000000000201", "Pesanan", "2026/11/20", "2026/11/28", "120000", "150000",
     "-30000", "-18000", "-12000", "0", ""],
]
INCOME_ID = [INCOME_ID_HEADER, *INCOME_ID_ROWS]


def write_row_per_cell_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """An XLSX written the way a Vietnamese reporting tool writes it: every cell in its own
    ``<row>`` element (``<row r="5">`` repeated once per cell), inline strings, and a
    ``<dimension>`` that claims one cell."""
    sheet_rows = []
    for number, cells in enumerate(rows, start=1):
        for column, value in enumerate(cells):
            if value in (None, ""):
                continue
            ref = f"{_column_letter(column)}{number}"
            text = str(value).replace("&", "&amp;").replace("<", "&lt;")
            sheet_rows.append(f'<row r="{number}"><c r="{ref}" t="inlineStr"><is><t>{text}'
                              "</t></is></c></row>")
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<dimension ref="A1"/><sheetData>' + "".join(sheet_rows) +
             "</sheetData></worksheet>")
    with ZipFile(path, "w", ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
