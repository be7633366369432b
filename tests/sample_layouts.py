"""Every sample layout the project knows, with the kind it must be read as.

Collected from the demo's file writers, the import templates, the layouts the tests write
and the market layouts (``tests/market_layout_files.py``): the rows above the header and the
header, as a reader sees them. ``test_detection.py`` runs each through detection.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from campaign_core.demo.content_files import (
    AFFILIATE_UK_HEADERS,
    AFFILIATE_US_HEADERS,
    FLAG_HEADERS,
    LIVE_LIST_HEADERS,
    VIDEO_LIST_HEADERS,
)
from campaign_core.demo.creators import INCOME_HEADERS
from campaign_core.importers.orders_layout import US_ORDER_HEADERS, US_ORDER_HEADERS_2024
from campaign_core.importers.traffic import TEMPLATE_HEADER as TRAFFIC_TEMPLATE_HEADER
from campaign_core.templates import TEMPLATES
from tests import market_layout_files as market
from tests.marketing_files import (
    ADS_MANAGER_HEADER,
    GMV_MAX_CAMPAIGN_HEADER,
    GMV_MAX_CREATIVE_HEADER,
    TRAFFIC_HEADER,
)
from tests.test_product_analytics import HEADER as PRODUCT_ANALYTICS_HEADER
from tests.test_product_analytics import PREAMBLE as PRODUCT_ANALYTICS_PREAMBLE
from tests.test_product_analytics import SUPER_HEADER as PRODUCT_ANALYTICS_SUPER_HEADER
from tests.test_settlement import INCOME_HEADER

NO_KIND = "(none)"


@dataclass(frozen=True)
class Sample:
    name: str
    kind: str  # the kind it must be detected as
    rows: list[list[object]]  # rows above the header, then the header (and data)


def _template_rows(build) -> list[list[str]]:
    return list(csv.reader(io.StringIO(build().decode("utf-8-sig"))))


# The demo's product analytics export (campaign_core/demo/products.py).
_DEMO_PRODUCT_HEADER = ["Date", "Product ID", "Product Name", "GMV", "Orders", "SKU orders",
                        "Items sold", "Product impressions", "Product clicks",
                        "Add-to-cart users", "Unique product impressions", "Unique clicks"]
_AFFILIATE_CENTER_VIDEO = ["Video title", "Video ID", "Post date", "Creator name",
                           "Product name", "Product ID", "Affiliate video-attributed GMV",
                           "Video-attributed orders", "Video-attributed items sold",
                           "Video views", "Likes", "Video product impressions",
                           "Video product clicks"]
_CREATOR_DATA = ["Creator name", "Creator-attributed GMV", "Creator video-attributed GMV",
                 "Creator live-attributed GMV", "Attributed orders",
                 "Creator-attributed items sold", "Videos", "LIVE streams", "Est. commission",
                 "Samples shipped"]


def sample_layouts() -> list[Sample]:
    """Every known layout, each with its expected kind."""
    samples = [Sample(f"template:{name}", name, _template_rows(template.build))
               for name, template in TEMPLATES.items()]
    samples += [
        Sample("orders:us-2025", "orders", [US_ORDER_HEADERS]),
        Sample("orders:us-2024", "orders", [US_ORDER_HEADERS_2024]),
        Sample("affiliate_orders:us", "affiliate_orders", [AFFILIATE_US_HEADERS]),
        Sample("affiliate_orders:uk", "affiliate_orders", [AFFILIATE_UK_HEADERS]),
        Sample("video_data:seller-list", "video_data", [VIDEO_LIST_HEADERS]),
        Sample("video_data:affiliate-center", "video_data", [_AFFILIATE_CENTER_VIDEO]),
        Sample("live_list:demo", "live_list", [LIVE_LIST_HEADERS]),
        Sample("content_flags:demo", "content_flags", [FLAG_HEADERS]),
        Sample("creator_data:affiliate-center", "creator_data",
               [["2026-11-20 ~ 2026-11-26"], _CREATOR_DATA]),
        Sample("settlement:demo", "settlement", [list(INCOME_HEADERS)]),
        Sample("settlement:tests", "settlement", [INCOME_HEADER]),
        Sample("product_analytics:demo", "product_analytics",
               [["Date range: 2026-11-01 ~ 2026-11-25"], ["Product analysis", "All channels"],
                _DEMO_PRODUCT_HEADER]),
        Sample("product_analytics:grouped-22", "product_analytics",
               [*PRODUCT_ANALYTICS_PREAMBLE, PRODUCT_ANALYTICS_SUPER_HEADER,
                PRODUCT_ANALYTICS_HEADER]),
        Sample("gmv_max_campaign:tests", "gmv_max_campaign", [GMV_MAX_CAMPAIGN_HEADER]),
        Sample("gmv_max_creative:tests", "gmv_max_creative", [GMV_MAX_CREATIVE_HEADER]),
        Sample("ads_manager:by-day", "ads_manager",
               [["Advertiser: Glow Ads (7301234567890123)"], ADS_MANAGER_HEADER]),
        Sample("traffic_channels:tests", "traffic_channels", [TRAFFIC_HEADER]),
        Sample("traffic_channels:template-header", "traffic_channels",
               [list(TRAFFIC_TEMPLATE_HEADER)]),
        # Market layouts.
        Sample("product_analytics:data-compass-44", "product_analytics",
               market.DATA_COMPASS_44[:3]),
        Sample("product_analytics:data-compass-grouped", "product_analytics",
               market.DATA_COMPASS_GROUPED[:4]),
        Sample("product_analytics:data-compass-vi", "product_analytics",
               market.DATA_COMPASS_VI[:3]),
        Sample("gmv_max_creative:creative-data-per-product", "gmv_max_creative",
               [market.CREATIVE_DATA_HEADER]),
        Sample("gmv_max_creative:product-level", "gmv_max_creative",
               [market.PRODUCT_LEVEL_HEADER]),
        Sample("settlement:income-utc", "settlement", [market.INCOME_UTC_HEADER]),
        Sample("settlement:income-id", "settlement", [market.INCOME_ID_HEADER]),
        # Files no kind may claim: each must be refused, not read as a smaller kind.
        Sample("none:data-compass-without-traffic", NO_KIND,
               [[market.ANALYSIS_DATE], ["Product ID", "Product name", "Listing status",
                                         "GMV", "Items sold", "Orders", "SKU orders"]]),
        Sample("none:gmv-max-campaign-without-revenue", NO_KIND,
               [["Campaign name", "Campaign ID", "Cost", "Orders (SKU)", "Currency"]]),
        Sample("none:views-and-likes", NO_KIND, [["Date", "Views", "Likes"]]),
        Sample("none:orders-without-prices", NO_KIND,
               [["Order ID", "Order Status", "SKU ID", "Quantity", "Product Name"]]),
    ]
    return samples
