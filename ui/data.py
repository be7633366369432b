"""Every cached read of the store, in one place.

Each function takes the store's ``data_version``: a committed write (an import, a campaign
edit) bumps it, so the next run misses the cache and re-reads exactly once. Functions
return plain, picklable values (dataclasses, dicts, DataFrames).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from campaign_core.forecast.pacing import Pacing, campaign_pacing
from campaign_core.forecast.stock_cover import product_cover, sku_cover, stock_alert_counts
from campaign_core.freshness import Freshness, data_as_of
from campaign_core.metrics.baseline import Baseline, baseline_comparison
from campaign_core.metrics.benchmarks import BenchmarkResult, benchmark_comparison
from campaign_core.metrics.content_mix import ContentSlice, gmv_by_content
from campaign_core.metrics.core import CoreKpis, core_kpis
from campaign_core.metrics.operations import ShopOperations, shop_operations
from campaign_core.metrics.products import ProductRow, product_rows
from campaign_core.metrics.sub_campaigns import SubCampaignPerformance, sub_campaign_performance
from campaign_core.metrics.trend import TrendBucket, metric_trend
from campaign_core.store import data_version, read_connection
from campaign_core.store.actions import ad_shortlist, restock_plans
from campaign_core.store.campaigns import Campaign, list_campaigns
from campaign_core.store.shops import Shop, list_shops
from campaign_core.store.sub_campaigns import SubCampaign, list_sub_campaigns
from campaign_core.windows import Window, local_day_of

_CACHE = {"max_entries": 256, "show_spinner": False}


def current_version(db_path: Path) -> int:
    """Not cached: one tiny read per run tells whether the caches are still valid."""
    return data_version(db_path)


@st.cache_data(**_CACHE)
def shops(db_path: Path, version: int) -> list[Shop]:
    with read_connection(db_path) as conn:
        return list_shops(conn)


@st.cache_data(**_CACHE)
def campaigns(db_path: Path, version: int) -> list[Campaign]:
    with read_connection(db_path) as conn:
        return list_campaigns(conn)


@st.cache_data(**_CACHE)
def kpis(db_path: Path, version: int, shop_id: int, window: Window) -> CoreKpis:
    with read_connection(db_path) as conn:
        return core_kpis(conn, shop_id, window)


@st.cache_data(**_CACHE)
def trend(db_path: Path, version: int, shop_id: int, window: Window,
          comparison: Window | None) -> list[TrendBucket]:
    with read_connection(db_path) as conn:
        return metric_trend(conn, shop_id, window, comparison)


@st.cache_data(**_CACHE)
def pacing(db_path: Path, version: int, campaign: Campaign, now_minute: int) -> Pacing:
    with read_connection(db_path) as conn:
        return campaign_pacing(conn, campaign, datetime.fromtimestamp(now_minute, UTC))


@st.cache_data(**_CACHE)
def baseline(db_path: Path, version: int, shop_id: int, window: Window, baseline_day: date,
             now_minute: int) -> Baseline:
    with read_connection(db_path) as conn:
        return baseline_comparison(conn, shop_id, window, baseline_day,
                                   datetime.fromtimestamp(now_minute, UTC))


@st.cache_data(**_CACHE)
def freshness(db_path: Path, version: int, shop_id: int, now_minute: int) -> Freshness:
    with read_connection(db_path) as conn:
        return data_as_of(conn, shop_id, now_minute)


@st.cache_data(**_CACHE)
def paid_days(db_path: Path, version: int, shop_id: int,
              timezone: str) -> tuple[date | None, date | None]:
    """First and last local day that have paid orders (calendar bounds)."""
    with read_connection(db_path) as conn:
        row = conn.execute("SELECT MIN(paid_utc), MAX(paid_utc) FROM orders "
                           "WHERE shop_id = :shop_id", {"shop_id": shop_id}).fetchone()
    if row[0] is None:
        return None, None
    return local_day_of(row[0], timezone), local_day_of(row[1], timezone)


@st.cache_data(**_CACHE)
def sub_campaigns(db_path: Path, version: int, campaign_id: int, shop_id: int,
                  window: Window) -> list[SubCampaignPerformance]:
    with read_connection(db_path) as conn:
        return sub_campaign_performance(conn, campaign_id, shop_id, window)


@st.cache_data(**_CACHE)
def sub_campaign_list(db_path: Path, version: int, campaign_id: int) -> list[SubCampaign]:
    with read_connection(db_path) as conn:
        return list_sub_campaigns(conn, campaign_id)


@st.cache_data(**_CACHE)
def benchmarks(db_path: Path, version: int, shop: Shop, window: Window) -> BenchmarkResult:
    with read_connection(db_path) as conn:
        kpis = core_kpis(conn, shop.shop_id, window).as_dict()
        return benchmark_comparison(conn, shop, window, kpis, window.view)


@st.cache_data(**_CACHE)
def operations(db_path: Path, version: int, shop_id: int, window: Window) -> ShopOperations:
    with read_connection(db_path) as conn:
        return shop_operations(conn, shop_id, window)


@st.cache_data(**_CACHE)
def content_mix(db_path: Path, version: int, shop_id: int,
                window: Window) -> list[ContentSlice]:
    with read_connection(db_path) as conn:
        return gmv_by_content(conn, shop_id, window)


@st.cache_data(**_CACHE)
def products(db_path: Path, version: int, shop_id: int, window: Window, campaign: Campaign,
             now_minute: int) -> list[ProductRow]:
    with read_connection(db_path) as conn:
        return product_rows(conn, shop_id, window, campaign,
                            datetime.fromtimestamp(now_minute, UTC))


@st.cache_data(**_CACHE)
def stock_alerts(db_path: Path, version: int, shop_id: int, campaign: Campaign,
                 now_minute: int) -> dict[str, int]:
    with read_connection(db_path) as conn:
        covers = sku_cover(conn, shop_id, campaign, datetime.fromtimestamp(now_minute, UTC))
    return stock_alert_counts(product_cover(covers))


@st.cache_data(**_CACHE)
def shortlist_and_plans(db_path: Path, version: int, shop_id: int) -> tuple[list[str], list]:
    with read_connection(db_path) as conn:
        return ad_shortlist(conn, shop_id), [dict(row) for row in restock_plans(conn, shop_id)]


@st.cache_data(**_CACHE)
def import_log(db_path: Path, version: int, limit: int = 200) -> pd.DataFrame:
    with read_connection(db_path) as conn:
        return pd.read_sql_query(
            "SELECT l.import_id, l.finished_utc, l.started_utc, l.file_name, s.name AS shop, "
            "l.kind, l.status, l.rows_read, l.rows_stored, l.rows_quarantined, l.orders_new, "
            "l.orders_updated, l.orders_unchanged, l.orders_kept_newer, l.message, l.sha256 "
            "FROM import_log l LEFT JOIN shop s ON s.shop_id = l.shop_id "
            "ORDER BY l.import_id DESC LIMIT :limit", conn, params={"limit": limit})


@st.cache_data(**_CACHE)
def quarantine(db_path: Path, version: int, import_id: int) -> pd.DataFrame:
    with read_connection(db_path) as conn:
        return pd.read_sql_query(
            "SELECT file_name, file_line, column_name, raw_value, reason FROM quarantine "
            "WHERE import_id = :import_id ORDER BY file_line", conn,
            params={"import_id": import_id})
