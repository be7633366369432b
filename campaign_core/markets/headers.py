"""Local-language and regional header names of TikTok Shop exports, per export kind.

Data, not code: ``HEADER_ALIASES[kind][field]`` lists the names a column of that export
kind carries in other markets' Seller Centers (or in newer layouts of the English one);
``campaign_core/importers/kinds.py`` adds them to the kind's own aliases. Each alias has
its evidence beside it. Evidence is public code that parses real exports (found in public
repositories by searching for the header text; the file is named by what it does, as the
search index names no repository for it) or TikTok's own material. Where nothing public
was found the alias is absent, and README ("Export layouts by market") says so: the import
then rejects the file with the closest kind and its missing columns, never a guess.

Field names are those of ``kinds.py``.
"""

from __future__ import annotations

# Evidence keys, cited beside the aliases below.
EVIDENCE: dict[str, str] = {
    "income-utc": "a public Laravel importer of TikTok Shop income exports "
                  "(Maatwebsite Excel, class ImportTransactionTokopedia): columns "
                  "'Order/adjustment ID', 'Type', 'Order created time(UTC)', 'Order settled "
                  "time(UTC)', 'Total fees', 'Payment fee', 'Ajustment amount'",
    "income-utc-dates": "public Streamlit income dashboards reading 'Order created time(UTC)' "
                        "and 'Order settled time(UTC)' with format '%Y/%m/%d'",
    "income-ajustment": "public parsers of the income export summing 'Ajustment amount' "
                        "(TikTok's typo) beside 'Related order ID' (Python, PHP, TypeScript)",
    "income-id-workbook": "a public Python parser of the Indonesian shop's income workbook: "
                          "'Platform commission fee', 'Payment Fee', 'Ajustment amount'",
    "income-id-language": "public TypeScript and PHP parsers of the Indonesian-language income "
                          "export and their tests: 'ID Pesanan/Penyesuaian', 'Jenis "
                          "transaksi', 'Jumlah penyelesaian pembayaran', 'Biaya komisi "
                          "platform', 'Komisi Afiliasi', 'Total Pendapatan', 'Total Biaya', "
                          "'Waktu pemesanan', 'Waktu penyelesaian pesanan', 'Waktu "
                          "pembayaran pesanan', 'ID pesanan terkait', 'Jumlah penyesuaian'",
    "vi-compass": "public Python and TypeScript readers of Vietnamese Seller Center analytics "
                  "exports: 'Lượt hiển thị sản phẩm' (product impressions), 'Lượt nhấp vào "
                  "sản phẩm' (product clicks), 'Đơn hàng SKU', 'Khách hàng', 'Số món bán ra', "
                  "'Số lượt thêm vào giỏ hàng'",
    "vi-compass-issue": "the project's issue on market exports (a Vietnamese Data Compass "
                        "product export headed 'Tên', 'ID sản phẩm', 'Lượt hiển thị sản phẩm')",
    "gmv-max-product": "the project's issue on market exports (GMV Max 'Creative data <start> "
                       "- <end> - Product <id>.xlsx' with 'Post ID', and product-level "
                       "reports with 'Orders (SKU)', both without campaign columns)",
    "gmv-max-default": "TikTok Seller University, SEA TikTok Shop Ads Guidebook "
                       "(https://seller-th.tiktok.com/university/essay?knowledge_id="
                       "6837806182074114&lang=en): from July 2025 GMV Max is the only "
                       "campaign type for TikTok Shop ads, so its reports are every market's "
                       "ad exports (their column names are not listed there)",
    "data-compass-44": "the project's issue on market exports (the 44-column Data Compass "
                       "product export: 'Analysis date: DD/MM/YYYY~DD/MM/YYYY' above the "
                       "header, a 'Listing status' column)",
}

HEADER_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "settlement": {
        # income-utc, income-id-language
        "statement_id": ("Order/adjustment ID", "ID Pesanan/Penyesuaian"),
        # income-id-language
        "transaction_type": ("Jenis transaksi",),
        # income-utc, income-utc-dates (times in UTC, dates YYYY/MM/DD); income-id-language
        "settled_time": ("Order settled time(UTC)", "Waktu penyelesaian pesanan",
                         "Waktu pembayaran pesanan"),
        "created_time": ("Order created time(UTC)", "Waktu pemesanan"),
        # income-id-language ("Mata uang" is not evidenced: the currency column of the
        # Indonesian export is not known, so it is left out.)
        "total_revenue": ("Total Pendapatan",),
        "total_fees": ("Total Biaya",),
        # income-id-workbook ("Platform commission fee" = the US "TikTok Shop commission
        # fee"); income-id-language
        "platform_commission": ("Platform commission fee", "Biaya komisi platform"),
        # income-utc, income-id-workbook: the payment processing fee, the US "Transaction
        # fee"
        "transaction_fee": ("Payment Fee",),
        "affiliate_commission": ("Komisi Afiliasi",),  # income-id-language
        # income-ajustment, income-id-workbook; income-id-language
        "adjustment": ("Ajustment amount", "Jumlah penyesuaian"),
        "settlement": ("Jumlah penyelesaian pembayaran",),  # income-id-language
        "related_order_id": ("ID pesanan terkait",),  # income-id-language
    },
    "product_analytics": {
        # vi-compass-issue
        "product_id": ("ID sản phẩm",),
        "product_name": ("Tên", "Tên sản phẩm", "Product name"),
        # vi-compass
        "impressions": ("Lượt hiển thị sản phẩm",),
        "clicks": ("Lượt nhấp vào sản phẩm", "Lượt nhấp sản phẩm"),
        "sku_orders": ("Đơn hàng SKU",),
        "orders": ("Đơn hàng",),
        "customers": ("Khách hàng",),
        "units": ("Số món bán ra",),
        "add_to_cart_count": ("Số lượt thêm vào giỏ hàng",),
        # A grouped two-row header (data-compass-44) repeats "GMV" under each channel
        # group; these read "<group> GMV" (importers/detection.py). The group names are
        # the team's format notes' (TIKTOK_EXPORTS.md section 3).
        "live_gmv": ("Seller LIVE GMV",),
        "video_gmv": ("Seller video GMV",),
        "affiliate_gmv": ("Affiliate GMV", "Creator GMV"),
    },
    "gmv_max_creative": {
        # gmv-max-product (gmv-max-default: GMV Max is every market's shop ads type): the
        # video of a per-product creative report
        "video_id": ("Post ID",),
    },
}
