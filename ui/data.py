"""Every cached read of the store, in one place.

Each function takes the store's ``data_version``: a committed write (an import, a campaign
edit) bumps it, so the next run misses the cache and re-reads exactly once. Functions
return plain, picklable values (dataclasses, dicts, DataFrames).

Access (campaign_core/security/access.py) is enforced here, outside the caches, which all
sessions share: lists (``shops``, ``campaigns``, the logs) hold only what this session may
see, and a reader named with a shop, campaign or import the session may not see raises
``AccessDenied`` (see the end of this module).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from campaign_core.experiments.holdout_store import HoldoutPlan, plan_product_holdout
from campaign_core.forecast.band import ProjectionBand, campaign_band, campaign_days_so_far
from campaign_core.forecast.pacing import Pacing, campaign_pacing
from campaign_core.forecast.plan_pacing import PlanPacing, plan_pacing
from campaign_core.forecast.stock_cover import product_cover, sku_cover, stock_alert_counts
from campaign_core.freshness import Freshness, data_as_of
from campaign_core.metrics import content as content_metrics
from campaign_core.metrics.baseline import Baseline, baseline_comparison
from campaign_core.metrics.benchmarks import BenchmarkResult, benchmark_comparison
from campaign_core.metrics.content_mix import ContentSlice, gmv_by_content
from campaign_core.metrics.core import CoreKpis, core_kpis
from campaign_core.metrics.funnel import Funnel, shopper_funnel
from campaign_core.metrics.marketing import AdHour, ad_hours, ad_spend_by_channel
from campaign_core.metrics.marketing_section import MarketingView, marketing_view
from campaign_core.metrics.operations import ShopOperations, shop_operations
from campaign_core.metrics.products import ProductRow, product_rows
from campaign_core.metrics.shop_score import ShopScore, latest_shop_score
from campaign_core.metrics.sub_campaigns import SubCampaignPerformance, sub_campaign_performance
from campaign_core.metrics.traffic import TrafficResult, traffic_by_channel
from campaign_core.metrics.trend import TrendBucket, metric_trend
from campaign_core.plan_targets import PlanTarget
from campaign_core.profit.ads_economics import AdsEconomics, ads_economics
from campaign_core.profit.creator_margin import SkuMix, creator_sku_mix
from campaign_core.profit.overview import CreatorsOverview, creators_overview
from campaign_core.store import content as content_store
from campaign_core.store import data_version, read_connection
from campaign_core.store.actions import ad_shortlist, restock_plans
from campaign_core.store.ad_accounts import AdAccount, list_ad_accounts, primary_ad_account
from campaign_core.store.audit import AuditEntry, audit_entries
from campaign_core.store.campaigns import Campaign, list_campaigns
from campaign_core.store.plans import campaign_plan
from campaign_core.store.shops import Shop, list_shops
from campaign_core.store.sub_campaigns import SubCampaign, list_sub_campaigns
from campaign_core.windows import Comparison, Window, local_day_of
from ui import access

# Cache keys: Streamlit hashes a dataclass argument field by field with its generic hasher
# (about 0.3 ms for a window or a campaign), and a page run makes dozens of cached calls,
# most with both: tens of ms a run, on every cache hit. These frozen dataclasses of plain
# values (dates, numbers, text, an enum) are named exactly by their repr, the store by its
# path.
_KEYS = {Window: repr, Comparison: repr, Campaign: repr, Shop: repr, type(Path()): str}
_CACHE = {"max_entries": 256, "show_spinner": False, "hash_funcs": _KEYS}


def current_version(db_path: Path) -> int:
    """Not cached: one tiny read per run tells whether the caches are still valid."""
    return data_version(db_path)


@st.cache_data(**_CACHE)
def _every_shop(db_path: Path, version: int) -> list[Shop]:
    with read_connection(db_path) as conn:
        return list_shops(conn)


def shops(db_path: Path, version: int) -> list[Shop]:
    """The shops this session may see (every shop without sign-in, and for admins)."""
    grant = access.current()
    return [shop for shop in _every_shop(db_path, version) if grant.may_see(shop.name)]


@st.cache_data(**_CACHE)
def shop_logo(db_path: Path, version: int, shop_id: int) -> bytes | None:
    """The shop's logo for the stakeholder report (PNG bytes), or None."""
    from campaign_core.store.logos import load_logo

    with read_connection(db_path) as conn:
        return load_logo(conn, shop_id)


@st.cache_data(**_CACHE)
def _every_campaign(db_path: Path, version: int) -> list[Campaign]:
    with read_connection(db_path) as conn:
        return list_campaigns(conn)


def campaigns(db_path: Path, version: int) -> list[Campaign]:
    """The campaigns of the shops this session may see: a campaign is visible only when
    every shop it runs in is."""
    visible = {shop.shop_id for shop in shops(db_path, version)}
    return [campaign for campaign in _every_campaign(db_path, version)
            if set(_campaign_shop_ids(campaign)) <= visible]


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
        # Two subqueries: each reads one end of the (shop_id, paid_utc) index; MIN and MAX
        # in one SELECT would scan all of it.
        row = conn.execute("SELECT (SELECT MIN(paid_utc) FROM orders WHERE shop_id = :shop_id), "
                           "(SELECT MAX(paid_utc) FROM orders WHERE shop_id = :shop_id)",
                           {"shop_id": shop_id}).fetchone()
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
def _import_log(db_path: Path, version: int, limit: int) -> pd.DataFrame:
    with read_connection(db_path) as conn:
        return pd.read_sql_query(
            "SELECT l.import_id, l.finished_utc, l.started_utc, l.file_name, s.name AS shop, "
            "l.kind, l.status, l.rows_read, l.rows_stored, l.rows_quarantined, l.orders_new, "
            "l.orders_updated, l.orders_unchanged, l.orders_kept_newer, l.message, l.sha256 "
            "FROM import_log l LEFT JOIN shop s ON s.shop_id = l.shop_id "
            "ORDER BY l.import_id DESC LIMIT :limit", conn, params={"limit": limit})


def import_log(db_path: Path, version: int, limit: int = 200) -> pd.DataFrame:
    """The newest imports of the shops this session may see (store-wide files: admins)."""
    log = _import_log(db_path, version, limit)
    grant = access.current()
    if grant.shops is None:
        return log
    return log[log["shop"].map(lambda name: grant.may_see(name if isinstance(name, str)
                                                          else None))].reset_index(drop=True)


@st.cache_data(**_CACHE)
def _import_shop_id(db_path: Path, version: int, import_id: int) -> int | None:
    with read_connection(db_path) as conn:
        row = conn.execute("SELECT shop_id FROM import_log WHERE import_id = :import_id",
                           {"import_id": import_id}).fetchone()
    return row[0] if row else None


@st.cache_data(**_CACHE)
def _audit_entries(db_path: Path, version: int, shop_ids: tuple[int, ...] | None,
                   limit: int) -> list[AuditEntry]:
    with read_connection(db_path) as conn:
        return audit_entries(conn, shop_ids, limit)


def audit_log(db_path: Path, version: int, limit: int = 500) -> list[AuditEntry]:
    """Who imported, synced or changed what, newest first: entries of the shops this
    session may see (entries of no shop: admins only)."""
    grant = access.current()
    shop_ids = None if grant.shops is None else tuple(
        shop.shop_id for shop in shops(db_path, version))
    return _audit_entries(db_path, version, shop_ids, limit)


@st.cache_data(**_CACHE)
def quarantine(db_path: Path, version: int, import_id: int) -> pd.DataFrame:
    with read_connection(db_path) as conn:
        return pd.read_sql_query(
            "SELECT file_name, file_line, column_name, raw_value, reason FROM quarantine "
            "WHERE import_id = :import_id ORDER BY file_line", conn,
            params={"import_id": import_id})


@st.cache_data(max_entries=16, show_spinner=False, hash_funcs=_KEYS)
def stakeholder_report(db_path: Path, version: int, campaign: Campaign, view: str,
                       day: date | None, now_minute: int, file_format: str) -> bytes:
    """The stakeholder report of a view as HTML (UTF-8) or PDF bytes."""
    from campaign_core.stakeholder import stakeholder_html, stakeholder_pdf

    now = datetime.fromtimestamp(now_minute, UTC)
    with read_connection(db_path) as conn:
        if file_format == "pdf":
            return stakeholder_pdf(conn, campaign, view, now, day)
        return stakeholder_html(conn, campaign, view, now, day).encode("utf-8")


# --- Marketing, Traffic, Funnel --------------------------------------------------------------


@st.cache_data(**_CACHE)
def marketing(db_path: Path, version: int, campaign: Campaign, window: Window,
              comparison: Comparison, now_minute: int) -> MarketingView:
    with read_connection(db_path) as conn:
        return marketing_view(conn, campaign, window, comparison,
                              datetime.fromtimestamp(now_minute, UTC))


@st.cache_data(**_CACHE)
def ad_hourly(db_path: Path, version: int, shop_id: int, window: Window) -> list[AdHour]:
    with read_connection(db_path) as conn:
        return ad_hours(conn, shop_id, window)


@st.cache_data(**_CACHE)
def ad_accounts(db_path: Path, version: int,
                shop_id: int) -> tuple[list[AdAccount], AdAccount | None]:
    with read_connection(db_path) as conn:
        return list_ad_accounts(conn, shop_id), primary_ad_account(conn, shop_id)


@st.cache_data(**_CACHE)
def traffic(db_path: Path, version: int, shop_id: int, window: Window) -> TrafficResult:
    with read_connection(db_path) as conn:
        return traffic_by_channel(conn, shop_id, window)


@st.cache_data(**_CACHE)
def ad_spend_channels(db_path: Path, version: int, shop_id: int, window: Window) -> dict:
    with read_connection(db_path) as conn:
        return ad_spend_by_channel(conn, shop_id, window)


@st.cache_data(**_CACHE)
def funnel(db_path: Path, version: int, shop_id: int, window: Window) -> Funnel:
    with read_connection(db_path) as conn:
        return shopper_funnel(conn, shop_id, window)


# --- content page (metrics/content.py, store/content.py) -------------------------------------


@st.cache_data(**_CACHE)
def content_rows(db_path: Path, version: int, shop_id: int,
                 window: Window) -> list[content_metrics.ContentRow]:
    with read_connection(db_path) as conn:
        return content_metrics.content_rows(conn, shop_id, window)


@st.cache_data(**_CACHE)
def content_detail(db_path: Path, version: int, shop_id: int, window: Window,
                   content_id: str) -> content_metrics.ContentDetail | None:
    with read_connection(db_path) as conn:
        return content_metrics.content_detail(conn, shop_id, window, content_id)


@st.cache_data(**_CACHE)
def live_violations(db_path: Path, version: int,
                    shop_id: int) -> content_metrics.ViolationSummary:
    with read_connection(db_path) as conn:
        return content_metrics.live_violation_summary(conn, shop_id)


@st.cache_data(**_CACHE)
def content_lists(db_path: Path, version: int, shop_id: int) -> dict[str, list]:
    """The creator shortlist, the content ad shortlist and the linked accounts."""
    with read_connection(db_path) as conn:
        return {"creators": content_store.creator_shortlist(conn, shop_id),
                "ads": content_store.content_ad_shortlist(conn, shop_id),
                "linked": content_store.linked_accounts(conn, shop_id)}


# --- real time: alert rules and log, sync runs, the digest preview -------------------------


@st.cache_data(**_CACHE)
def _alert_rules(db_path: Path, version: int) -> list:
    from campaign_core.alerts.rules import list_rules

    with read_connection(db_path) as conn:
        return list_rules(conn)


def alert_rules(db_path: Path, version: int) -> list:
    """The rules of the shops this session may see (rules of every shop: admins)."""
    return _of_visible_shops(db_path, version, _alert_rules(db_path, version),
                             lambda rule: rule.shop_id)


@st.cache_data(**_CACHE)
def _alert_events(db_path: Path, version: int, limit: int) -> list[dict]:
    from campaign_core.alerts.engine import alert_log

    with read_connection(db_path) as conn:
        return alert_log(conn, limit)


def alert_events(db_path: Path, version: int, limit: int = 200) -> list[dict]:
    return _of_visible_shops(db_path, version, _alert_events(db_path, version, limit),
                             lambda event: event["shop_id"])


@st.cache_data(**_CACHE)
def _sync_runs(db_path: Path, version: int, limit: int) -> list:
    from campaign_core.store.sync_state import recent_runs

    with read_connection(db_path) as conn:
        return recent_runs(conn, limit)


def sync_runs(db_path: Path, version: int, limit: int = 20) -> list:
    return _of_visible_shops(db_path, version, _sync_runs(db_path, version, limit),
                             lambda run: run.shop_id)


@st.cache_data(**_CACHE)
def digest_setting(db_path: Path, version: int, shop_id: int):
    from campaign_core.alerts.digest_schedule import get_setting

    with read_connection(db_path) as conn:
        return get_setting(conn, shop_id)


@st.cache_data(**_CACHE)
def digest_preview(db_path: Path, version: int, campaign: Campaign, now_minute: int):
    from campaign_core.digest import build_digest

    with read_connection(db_path) as conn:
        return build_digest(conn, campaign, datetime.fromtimestamp(now_minute, UTC))


# --- creators and profit -----------------------------------------------------------------


@st.cache_data(**_CACHE)
def creators(db_path: Path, version: int, campaign: Campaign, window: Window,
             now_minute: int) -> CreatorsOverview:
    with read_connection(db_path) as conn:
        return creators_overview(conn, campaign, window,
                                 datetime.fromtimestamp(now_minute, UTC))


@st.cache_data(**_CACHE)
def creator_skus(db_path: Path, version: int, campaign: Campaign, window: Window,
                 creator: str) -> list[SkuMix]:
    with read_connection(db_path) as conn:
        return creator_sku_mix(conn, campaign.shop_id, window, creator)


@st.cache_data(**_CACHE)
def projection_band(db_path: Path, version: int, campaign: Campaign,
                    now_minute: int) -> tuple[ProjectionBand | None, list[tuple[date, float]]]:
    """The campaign's GMV band and its days so far (the pacing chart's data)."""
    now = datetime.fromtimestamp(now_minute, UTC)
    with read_connection(db_path) as conn:
        return campaign_band(conn, campaign, now), campaign_days_so_far(conn, campaign, now)


@st.cache_data(**_CACHE)
def shop_score(db_path: Path, version: int, shop_id: int, timezone: str) -> ShopScore | None:
    with read_connection(db_path) as conn:
        return latest_shop_score(conn, shop_id, timezone)


# --- agency workspace: campaigns that span shops, currencies, the Portfolio ----------------


@st.cache_data(**_CACHE)
def _every_shop_campaign(db_path: Path, version: int) -> list[Campaign]:
    from campaign_core.store.campaign_shops import member_views

    with read_connection(db_path) as conn:
        return list_campaigns(conn) + member_views(conn)


def shop_campaigns(db_path: Path, version: int) -> list[Campaign]:
    """Every campaign as each of the visible shops sees it: ``campaigns`` plus, for a
    campaign that spans shops, one view per added shop (its id, timezone, currency, target)."""
    visible = {shop.shop_id for shop in shops(db_path, version)}
    return [view for view in _every_shop_campaign(db_path, version) if view.shop_id in visible]


@st.cache_data(**_CACHE)
def campaign_shop_views(db_path: Path, version: int, campaign: Campaign) -> list[Campaign]:
    from campaign_core.store import campaign_shops

    with read_connection(db_path) as conn:
        owner = next((c for c in list_campaigns(conn) if c.campaign_id == campaign.campaign_id),
                     campaign)
        return campaign_shops.campaign_shop_views(conn, owner)


@st.cache_data(**_CACHE)
def reporting_currency(db_path: Path, version: int) -> str:
    from campaign_core.store.fx_rates import reporting_currency as read_setting

    with read_connection(db_path) as conn:
        return read_setting(conn)


@st.cache_data(**_CACHE)
def rate_spans(db_path: Path, version: int) -> list[tuple[str, str, str, int]]:
    from campaign_core.store.fx_rates import rate_span

    with read_connection(db_path) as conn:
        return rate_span(conn)


@st.cache_data(**_CACHE)
def combined(db_path: Path, version: int, campaign: Campaign, view: str, day: date | None,
             now_minute: int, currency: str, shop_ids: tuple[int, ...]):
    """A campaign's shops (only ``shop_ids``: those the reader may see) combined in
    ``currency`` (``campaign_core.portfolio.combined``)."""
    from campaign_core.portfolio.combined import combined_figures

    with read_connection(db_path) as conn:
        owner = next((c for c in list_campaigns(conn) if c.campaign_id == campaign.campaign_id),
                     campaign)
        return combined_figures(conn, owner, view, datetime.fromtimestamp(now_minute, UTC),
                                currency, day, set(shop_ids))


@st.cache_data(**_CACHE)
def portfolio(db_path: Path, version: int, shop_ids: tuple[int, ...], now_minute: int,
              currency: str, campaign: Campaign | None, first_day: date | None,
              last_day: date | None):
    """The Portfolio page's figures for the shops ``shop_ids`` (those ``shops`` returns
    for the reader), over ``campaign`` or the date range."""
    from campaign_core.portfolio.overview import portfolio as portfolio_figures

    with read_connection(db_path) as conn:
        chosen = [shop for shop in list_shops(conn) if shop.shop_id in set(shop_ids)]
        owner = None
        if campaign is not None:
            owner = next((c for c in list_campaigns(conn)
                          if c.campaign_id == campaign.campaign_id), campaign)
        return portfolio_figures(conn, chosen, datetime.fromtimestamp(now_minute, UTC),
                                 currency, campaign=owner, first_day=first_day,
                                 last_day=last_day)


@st.cache_data(**_CACHE)
def plan(db_path: Path, version: int, campaign: Campaign, now_minute: int) -> list[PlanPacing]:
    """Each planned metric of ``campaign`` paced over the campaign so far."""
    with read_connection(db_path) as conn:
        return plan_pacing(conn, campaign, datetime.fromtimestamp(now_minute, UTC))


@st.cache_data(**_CACHE)
def plan_targets(db_path: Path, version: int, campaign: Campaign) -> list[PlanTarget]:
    with read_connection(db_path) as conn:
        return campaign_plan(conn, campaign)


@st.cache_data(**_CACHE)
def gmv_max_economics(db_path: Path, version: int, shop_id: int, window: Window,
                      now_minute: int) -> AdsEconomics:
    """Platform fees, break-even ROI, what the ads add, ROI Protection and holdouts."""
    with read_connection(db_path) as conn:
        today = local_day_of(now_minute, window.timezone)
        return ads_economics(conn, shop_id, window, today)


@st.cache_data(**_CACHE)
def holdout_plan(db_path: Path, version: int, shop_id: int, timezone: str, now_minute: int,
                 lift_share: float, seed: int) -> HoldoutPlan:
    with read_connection(db_path) as conn:
        return plan_product_holdout(conn, shop_id, timezone,
                                    local_day_of(now_minute, timezone),
                                    lift_share=lift_share, seed=seed)


# --- access: what the session may see (campaign_core/security/access.py) -------------------

# Readers that take no shop, campaign or import and filter their answer themselves (above).
FILTERED_READERS = frozenset({"shops", "campaigns", "shop_campaigns", "import_log", "audit_log",
                              "alert_rules", "alert_events", "sync_runs"})
# Readers of workspace-wide settings that hold no shop's data.
WORKSPACE_READERS = frozenset({"reporting_currency", "rate_spans"})
# The arguments that name what a reader reads; every other cached reader must take one.
SHOP_ARGUMENTS = ("shop_id", "shop", "campaign", "campaign_id", "import_id", "shop_ids")


def _campaign_shop_ids(campaign: Campaign) -> list[int]:
    # A campaign that spans shops is read as each shop sees it (``shop_campaigns``: one
    # view per shop, its shop_id that shop's), and combined only over visible shops.
    return [campaign.shop_id]


def _of_visible_shops(db_path: Path, version: int, items: list,
                      shop_of: Callable[[object], int | None]) -> list:
    grant = access.current()
    if grant.shops is None:
        return items
    visible = {shop.shop_id for shop in shops(db_path, version)}
    return [item for item in items if shop_of(item) in visible]


def _shop_ids_named(db_path: Path, version: int, arguments: dict) -> set[int | None]:
    named: set[int | None] = set()
    if "shop_id" in arguments:
        named.add(arguments["shop_id"])
    if "shop" in arguments:
        named.add(arguments["shop"].shop_id)
    if "shop_ids" in arguments:
        named.update(arguments["shop_ids"])
    if arguments.get("campaign") is not None:  # the Portfolio's date range has none
        named.update(_campaign_shop_ids(arguments["campaign"]))
    if "campaign_id" in arguments:
        found = next((c for c in _every_campaign(db_path, version)
                      if c.campaign_id == arguments["campaign_id"]), None)
        named.update(_campaign_shop_ids(found) if found else [None])
    if "import_id" in arguments:
        named.add(_import_shop_id(db_path, version, arguments["import_id"]))
    return named


def require_shops(db_path: Path, version: int, shop_ids: set[int | None]) -> None:
    """Raise ``AccessDenied`` unless this session may see every one of ``shop_ids``."""
    grant = access.current()
    if grant.shops is None:
        return
    names = {shop.shop_id: shop.name for shop in _every_shop(db_path, version)}
    for shop_id in shop_ids:
        grant.require_see(names.get(shop_id))


def _checked(reader):
    """``reader`` (a cached function) that first checks the shops its arguments name."""
    signature = inspect.signature(reader)

    @functools.wraps(reader)
    def checked(*args, **kwargs):
        arguments = signature.bind(*args, **kwargs).arguments
        require_shops(arguments["db_path"], arguments["version"],
                      _shop_ids_named(arguments["db_path"], arguments["version"], arguments))
        return reader(*args, **kwargs)

    checked.clear = reader.clear
    # The uncached body, as on the cached function (the benchmark times it directly).
    checked.__wrapped__ = getattr(reader, "__wrapped__", reader)
    checked.checks_access = True
    return checked


def _check_every_reader(names: dict) -> None:
    for name, value in list(names.items()):
        if name.startswith("_") or not hasattr(value, "clear") or not callable(value):
            continue
        if any(argument in inspect.signature(value).parameters
               for argument in SHOP_ARGUMENTS):
            names[name] = _checked(value)


_check_every_reader(globals())
