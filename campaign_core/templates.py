"""Downloadable import templates: files a seller fills in and imports from the Import page.

Each template is a CSV in the layout its importer reads (UTF-8 with a BOM, so Excel opens it
with the right encoding), with a few example rows that import cleanly as they are. To add
a template, write a builder returning bytes and register it in ``TEMPLATES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from campaign_core.importers.content_exports import content_flags_template_csv
from campaign_core.importers.creator_templates import (
    creator_deals_template_csv,
    creator_fees_template_csv,
    experiment_counts_template_csv,
    sample_shipments_template_csv,
)
from campaign_core.importers.kinds import BENCHMARKS
from campaign_core.importers.plan_template import plan_template_csv
from campaign_core.importers.product_costs import product_costs_template_csv
from campaign_core.importers.product_list import product_list_template_csv
from campaign_core.importers.stock import stock_template_csv
from campaign_core.importers.sub_campaigns import sub_campaign_template_csv
from campaign_core.importers.template_files import template_csv
from campaign_core.importers.traffic import traffic_template_csv

# Three rows of the same day and peer group, so the example is one coherent benchmark.
_BENCHMARK_EXAMPLES = (
    ("2026-11-20", "gmv", "Beauty & Personal Care", "10k-50k", "$4,850.00"),
    ("2026-11-20", "orders", "Beauty & Personal Care", "10k-50k", "121"),
    ("2026-11-20", "aov", "Beauty & Personal Care", "10k-50k", "40.08"),
)


@dataclass(frozen=True)
class Template:
    file_name: str  # what the download is saved as
    build: Callable[[], bytes]
    label: str  # its name in full, on the Import page's download button


def benchmark_template_csv() -> bytes:
    """The benchmarks template: header ``Day, Metric, Category, GMV tier, Value`` and three
    example rows (UTF-8 with BOM). Metric is a catalog name or label; Value a number,
    ``$1,234.50`` or ``4.11%``."""
    header = [aliases[0] for aliases in BENCHMARKS.fields.values()]
    return template_csv(header, _BENCHMARK_EXAMPLES)


TEMPLATES: dict[str, Template] = {
    "benchmarks": Template("benchmarks_template.csv", benchmark_template_csv, "Benchmarks"),
    "sub_campaigns": Template("sub_campaigns_template.csv", sub_campaign_template_csv,
                              "Sub-campaigns"),
    "campaign_plan": Template("campaign_plan_template.csv", plan_template_csv,
                              "Campaign plan"),
    "product_list": Template("product_list_template.csv", product_list_template_csv,
                             "Product list"),
    "stock": Template("stock_template.csv", stock_template_csv, "Stock"),
    "product_costs": Template("product_costs_template.csv", product_costs_template_csv,
                              "Product costs"),
    "traffic_channels": Template("traffic_by_channel_template.csv", traffic_template_csv,
                                 "Traffic by channel"),
    # Creators and profit (columns: importers/creator_templates.py, README).
    "creator_deals": Template("creator_deals_template.csv", creator_deals_template_csv,
                              "Creator deals"),
    "sample_shipments": Template("sample_shipments_template.csv",
                                 sample_shipments_template_csv, "Sample shipments"),
    "creator_fees": Template("creator_fees_template.csv", creator_fees_template_csv,
                             "Creator fees"),
    "experiment_counts": Template("experiment_counts_template.csv",
                                  experiment_counts_template_csv, "Experiment counts"),
    # LIVE violations and Key Livestream sessions (importers/content_exports.py).
    "content_flags": Template("content_flags_template.csv", content_flags_template_csv,
                              "Content flags (LIVE violations, key LIVEs)"),
}
