"""What each export kind does once its file is read: parse rows, classify, write.

The pipeline looks a kind up here, so adding a kind is: its fields in ``kinds.py``, a
parser, a classifier (what is new / updated / unchanged, for the preview and the report)
and a writer, registered below.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from campaign_core.importers.ads import (
    parse_ads_manager,
    parse_gmv_max_campaigns,
    parse_gmv_max_creatives,
)
from campaign_core.importers.affiliate_orders import (
    classify_affiliate_orders,
    parse_affiliate_orders,
    write_affiliate_orders,
)
from campaign_core.importers.benchmarks import (
    classify_benchmarks,
    parse_benchmarks,
    write_benchmarks,
)
from campaign_core.importers.content_exports import (
    classify_content,
    classify_content_flags,
    classify_creator_data,
    parse_content_flags,
    parse_creator_data,
    parse_live_list,
    parse_video_data,
    write_content,
    write_content_flags,
    write_creator_data,
)
from campaign_core.importers.creator_templates import CREATOR_KIND_FUNCTIONS
from campaign_core.importers.keyed_rows import classify_keyed, write_keyed
from campaign_core.importers.orders import ParsedOrders
from campaign_core.importers.orders_bulk import BulkOrders, read_orders
from campaign_core.importers.parsed import ParsedFile, RecordCounts
from campaign_core.importers.plan_template import (
    ParsedPlan,
    classify_plan,
    parse_plan_template,
    write_plan,
)
from campaign_core.importers.product_analytics import (
    classify_product_analytics,
    parse_product_analytics,
    write_product_analytics,
)
from campaign_core.importers.product_costs import (
    classify_product_costs,
    parse_product_costs,
    write_product_costs,
)
from campaign_core.importers.product_list import (
    ParsedProducts,
    classify_products,
    parse_product_list,
    write_products,
)
from campaign_core.importers.reading import SourceTable
from campaign_core.importers.stock import classify_stock, parse_stock, write_stock
from campaign_core.importers.sub_campaigns import (
    ParsedSubCampaigns,
    classify_sub_campaigns,
    parse_sub_campaigns,
    write_sub_campaigns,
)
from campaign_core.importers.traffic import parse_traffic_channels
from campaign_core.store.orders_writer import (
    classify_bulk_orders,
    classify_orders,
    upsert_catalog,
    write_bulk_orders,
    write_orders,
)

Parse = Callable[[SourceTable, str, Callable[[int], None] | None], ParsedFile]
# (conn, shop_id, parsed, export stamp) -> counts and a plan for the writer
Classify = Callable[[sqlite3.Connection, int, Any, str | None], tuple[RecordCounts, Any]]
# (conn, shop_id, import_id, parsed, plan) -> rows written
Write = Callable[[sqlite3.Connection, int, int, Any, Any], int]


@dataclass(frozen=True)
class KindHandler:
    parse: Parse
    classify: Classify
    write: Write


def _classify_orders(conn, shop_id, parsed: ParsedOrders | BulkOrders, stamp):
    if isinstance(parsed, BulkOrders):
        counts, to_insert, to_replace = classify_bulk_orders(conn, shop_id, parsed.orders,
                                                             stamp)
        return counts, (to_insert, to_replace, stamp)
    counts, to_insert, to_replace = classify_orders(conn, shop_id, parsed.orders, stamp)
    return counts, (to_insert, to_replace, stamp)


def _write_orders(conn, shop_id, import_id, parsed: ParsedOrders | BulkOrders, plan) -> int:
    to_insert, to_replace, stamp = plan
    if isinstance(parsed, BulkOrders):
        written = write_bulk_orders(conn, shop_id, import_id, parsed, stamp, to_insert,
                                    to_replace)
    else:
        written = write_orders(conn, shop_id, import_id, to_insert, to_replace)
    upsert_catalog(conn, shop_id, parsed.products.values(), parsed.skus.values())
    return written


def _classify_products(conn, shop_id, parsed: ParsedProducts, stamp):
    return classify_products(conn, shop_id, parsed)  # a product list has no export stamp


def _write_products(conn, shop_id, import_id, parsed: ParsedProducts, plan) -> int:
    return write_products(conn, shop_id, import_id, plan)


def _classify_sub_campaigns(conn, shop_id, parsed: ParsedSubCampaigns, stamp):
    return classify_sub_campaigns(conn, shop_id, parsed)  # a template has no export stamp


def _write_sub_campaigns(conn, shop_id, import_id, parsed: ParsedSubCampaigns, plan) -> int:
    return write_sub_campaigns(conn, plan)


def _classify_plan(conn, shop_id, parsed: ParsedPlan, stamp):
    return classify_plan(conn, shop_id, parsed)  # store-wide, no export stamp


def _write_plan(conn, shop_id, import_id, parsed: ParsedPlan, plan) -> int:
    return write_plan(conn, plan)


HANDLERS: dict[str, KindHandler] = {
    # Marketing: rows replaced by their natural key (importers/keyed_rows.py).
    "gmv_max_campaign": KindHandler(parse_gmv_max_campaigns, classify_keyed, write_keyed),
    "gmv_max_creative": KindHandler(parse_gmv_max_creatives, classify_keyed, write_keyed),
    "ads_manager": KindHandler(parse_ads_manager, classify_keyed, write_keyed),
    "traffic_channels": KindHandler(parse_traffic_channels, classify_keyed, write_keyed),
    "orders": KindHandler(read_orders, _classify_orders, _write_orders),
    "product_list": KindHandler(parse_product_list, _classify_products, _write_products),
    # Store-wide values: the handlers ignore the shop the pipeline resolves.
    "benchmarks": KindHandler(parse_benchmarks, classify_benchmarks, write_benchmarks),
    "sub_campaigns": KindHandler(parse_sub_campaigns, _classify_sub_campaigns,
                                 _write_sub_campaigns),
    "campaign_plan": KindHandler(parse_plan_template, _classify_plan, _write_plan),
    "product_analytics": KindHandler(parse_product_analytics, classify_product_analytics,
                                     write_product_analytics),
    "stock": KindHandler(parse_stock, classify_stock, write_stock),
    "product_costs": KindHandler(parse_product_costs, classify_product_costs,
                                 write_product_costs),
    "affiliate_orders": KindHandler(parse_affiliate_orders, classify_affiliate_orders,
                                    write_affiliate_orders),
    "video_data": KindHandler(parse_video_data, classify_content, write_content),
    "live_list": KindHandler(parse_live_list, classify_content, write_content),
    "content_flags": KindHandler(parse_content_flags, classify_content_flags,
                                 write_content_flags),
    "creator_data": KindHandler(parse_creator_data, classify_creator_data,
                                write_creator_data),
    # Creators and profit: the income export and the creator templates.
    **{name: KindHandler(*functions) for name, functions in CREATOR_KIND_FUNCTIONS.items()},
}
