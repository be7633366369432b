"""The header every dashboard page shares: shop and campaign, view switcher, freshness.

Selections are bound to the URL's query parameters (``?campaign=..&view=Daily&day=
2026-11-20``), so a copied link reproduces the view. ``show`` draws the pickers and returns
the ``Selection``; a page turns it into a ``ViewContext`` (window, comparison, "now") with
``resolve``, inside its auto-refreshing fragment, so the Today view moves with the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from campaign_core.report import campaign_window
from campaign_core.store.campaigns import Campaign
from campaign_core.store.replay import replay_store
from campaign_core.store.shops import DEMO_SHOP_NAMES, Shop
from campaign_core.windows import (
    Comparison,
    View,
    Window,
    daily_window,
    default_comparison,
    yesterday,
)
from ui import access, data, replay, report_download, settings
from ui.formatting import age_text, local_time, plain, zone_text

SELECTION_KEY = "view_selection"


@dataclass(frozen=True)
class Selection:
    db_path: Path
    shop: Shop
    campaign: Campaign
    view: View
    day: date | None  # the Daily view's day
    as_of: datetime | None = None  # a replay (ui/replay.py): the past moment every page shows

    @property
    def is_demo(self) -> bool:
        return self.shop.name in DEMO_SHOP_NAMES

    @property
    def now(self) -> datetime:
        """The moment the pages show: the replayed one, or now."""
        return self.as_of or settings.now()

    @property
    def read_path(self) -> Path:
        """The store the pages read: a copy as of the replayed moment, or the store."""
        return self.db_path if self.as_of is None else replay_store(self.db_path, self.as_of)


@dataclass(frozen=True)
class ViewContext:
    db_path: Path
    version: int
    shop: Shop
    campaign: Campaign
    window: Window
    comparison: Comparison
    now: datetime
    replaying: bool = False  # a replay (ui/replay.py): "now" is past, db_path a read-only copy

    @property
    def is_demo(self) -> bool:
        return self.shop.name in DEMO_SHOP_NAMES

    @property
    def now_minute(self) -> int:
        """"Now" to the minute: cache keys that change once a minute, not every run."""
        instant = int(self.now.timestamp())
        return instant - instant % 60


def show(db_path: Path) -> Selection | None:
    """Render the pickers; return the selection, or None when there is nothing to show."""
    version = data.current_version(db_path)
    shops = data.shops(db_path, version)
    if not shops:
        st.info("The store is empty. Import your Seller Center exports on the Import page.")
        st.page_link("pages/import_data.py", label="Go to Import", icon=":material/upload:")
        return None
    access.refuse_unseen_link("shop", [s.name for s in shops])
    access.refuse_unseen_link("campaign", [c.name for c in data.campaigns(db_path, version)])
    pick_campaign, pick_view, pick_day, pick_report = st.columns(
        [3, 3, 2, 1.3], vertical_alignment="bottom")
    # Shop and campaign change rarely: a popover keeps them one tap away without taking
    # the top of a phone screen.
    popover = pick_campaign.popover(_picker_label(db_path, version, shops),
                                    icon=":material/storefront:", width="stretch")
    with popover:
        shop_name = st.selectbox("Shop", [s.name for s in shops], key="shop",
                                 bind="query-params")
    shop = next(s for s in shops if s.name == shop_name)
    campaigns = [c for c in data.shop_campaigns(db_path, version) if c.shop_id == shop.shop_id]
    if not campaigns:
        st.info(f"{plain(shop.name)} has no campaign yet: create one (name, dates, GMV target) on "
                "the Campaigns page.")
        st.page_link("pages/campaigns.py", label="Go to Campaigns", icon=":material/flag:")
        return None
    with popover:
        campaign_name = st.selectbox("Campaign", [c.name for c in campaigns], key="campaign",
                                     bind="query-params")
    campaign = next(c for c in campaigns if c.name == campaign_name)
    with pick_view:
        # Labels are the options, so links read ?view=Daily or ?view=Campaign+Period.
        label = st.segmented_control(
            "View", [v.label for v in View], default=View.TODAY.label, required=True,
            key="view", bind="query-params", label_visibility="collapsed")
    view = next(v for v in View if v.label == label)
    # The replayed moment (?as_of=, or chosen earlier in the session): every page shows it.
    as_of = replay.as_of(Selection(db_path, shop, campaign, view, None))
    day = None
    if view is View.DAILY:
        with pick_day:
            day = _day_picker(db_path, version, shop, campaign, as_of or settings.now())
    selection = Selection(db_path, shop, campaign, view, day, as_of)
    st.session_state[SELECTION_KEY] = selection
    with pick_report:
        report_download.show(selection)
    return selection


def resolve(selection: Selection, baseline_day: date | None = None,
            as_of: datetime | None = None) -> ViewContext:
    """The window and comparison of a selection at this moment.

    ``baseline_day`` (Daily view) replaces the default comparison (the day before);
    ``as_of`` (a replay; default: the selection's, which the header read) is the moment to
    show instead of now, read from a copy of the store as of then.
    """
    as_of = as_of or selection.as_of
    now = as_of or settings.now()
    db_path = selection.db_path if as_of is None else replay_store(selection.db_path, as_of)
    campaign = selection.campaign
    window = campaign_window(campaign, selection.view, now, selection.day)
    comparison = default_comparison(window)
    if baseline_day is not None and selection.view is View.DAILY:
        comparison = Comparison(daily_window(baseline_day, campaign.timezone, now),
                                f"{baseline_day:%b %d}".replace(" 0", " "))
    return ViewContext(db_path, data.current_version(db_path), selection.shop, campaign,
                       window, comparison, now, replaying=as_of is not None)


def with_comparison(context: ViewContext, comparison: Comparison) -> ViewContext:
    return replace(context, comparison=comparison)


def _picker_label(db_path: Path, version: int, shops: list[Shop]) -> str:
    """The popover's label: the campaign that its widgets (drawn inside it) will pick."""
    shop_name = st.session_state.get("shop") or st.query_params.get("shop")
    shop = next((s for s in shops if s.name == shop_name), shops[0])
    names = [c.name for c in data.shop_campaigns(db_path, version) if c.shop_id == shop.shop_id]
    chosen = st.session_state.get("campaign") or st.query_params.get("campaign")
    label = chosen if chosen in names else (names[0] if names else "Choose a campaign")
    return plain(label)


def _day_picker(db_path: Path, version: int, shop: Shop, campaign: Campaign,
                now: datetime) -> date:
    last_complete = yesterday(now, campaign.timezone)
    first, _ = data.paid_days(db_path, version, shop.shop_id, campaign.timezone)
    earliest = min(first or last_complete, last_complete - timedelta(days=183))
    default = min(last_complete, campaign.end_day)
    return st.date_input("Day", value=default, label_visibility="collapsed",
                         min_value=earliest, max_value=last_complete,
                         key="day", bind="query-params",
                         help="A completed day in shop time (yesterday or earlier).")


def freshness_line(context: ViewContext) -> None:
    """Campaign, day N of M, window, timezone and "data as of" (amber when stale)."""
    campaign, window = context.campaign, context.window
    now_utc = int(context.now.timestamp())
    fresh = data.freshness(context.db_path, context.version, context.shop.shop_id,
                           context.now_minute)
    age = fresh.age_seconds(now_utc)
    as_of = local_time(fresh.latest_paid_utc, campaign.timezone, "%b %d, %H:%M")
    stamp = f"data as of {as_of} ({age_text(age)})"
    if age is None or age > settings.STALE_AFTER_MINUTES * 60:
        stamp = f":orange[{stamp}]"
    # A replay of the demo keeps its files (generated at once, later than the moment): an
    # import "after now" is not shown.
    if fresh.last_import_utc is not None and not (context.replaying
                                                  and fresh.last_import_utc > now_utc):
        stamp += f", last import {local_time(fresh.last_import_utc, campaign.timezone)}"
    day_number = (window.last_day - campaign.start_day).days + 1
    progress = (f"day {day_number:d} of {campaign.length_days:d}"
                if 1 <= day_number <= campaign.length_days else
                "before the campaign" if day_number < 1 else "after the campaign")
    local_now = context.now.astimezone(ZoneInfo(campaign.timezone))
    st.caption(
        f"**{plain(campaign.name)}** · {campaign.start_day:%b %d} – {campaign.end_day:%b %d, %Y} · "
        f"{progress} · {plain(window.view.label)}: {plain(window.describe())} · times in "
        f"{zone_text(campaign.timezone)} (now {local_now:%H:%M}) · {stamp}")


def current() -> Selection | None:
    """The selection the header rendered in this run (pages call this)."""
    return st.session_state.get(SELECTION_KEY)
