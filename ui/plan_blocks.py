"""The campaign plan on the pages: the Overview's plan strip (every planned metric beyond
GMV, under the GMV target strip) and the small block of a section page's own planned
metrics (Marketing, Traffic, Funnel, Creators). Both read ``data.plan``: the campaign so
far, whatever view the page shows."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from campaign_core.forecast.plan_pacing import PLAN_PACING_DEFINITION, PlanPacing
from campaign_core.metrics.catalog import CATALOG
from campaign_core.store import StoreError
from ui import data
from ui.formatting import plain, value_text
from ui.header import ViewContext

CAMPAIGNS_PAGE = "pages/campaigns.py"
STATUS_TEXT = {"on_track": "on track", "at_risk": "at risk", "behind": "behind",
               "reached": "reached", "missed": "missed", "not_started": "not started",
               "no_data": "no data", "too_early": "too early to tell"}
# What fills a planned metric that has no data yet.
NO_DATA_HINT = {
    "roas": "Import the Ads Manager or GMV Max report.",
    "ctr": "Import product analytics or the traffic template.",
    "conversion": "Import product analytics or the traffic template.",
    "creator_videos": "Import the video / LIVE exports.",
    "creator_lives": "Import the video / LIVE exports.",
    "seller_videos": "Import the video / LIVE exports.",
    "seller_lives": "Import the video / LIVE exports.",
    "contribution_margin_pct": "No GMV yet.",
}
SECTION_METRICS = {
    "marketing": ("roas", "creator_videos", "creator_lives", "seller_videos", "seller_lives"),
    "traffic": ("ctr", "conversion"),
    "funnel": ("ctr", "conversion", "new_buyers"),
    "creators": ("contribution_margin", "contribution_margin_pct", "creator_videos",
                 "creator_lives"),
}
PER_ROW = 3


def target_text(pace: PlanPacing, currency: str) -> str:
    """"target ≥ 4.00" (good above) or "target ≤ 30.0%" (good below)."""
    sign = "≥" if pace.good_if == "above" else "≤"
    return f"target {sign} {value_text(CATALOG[pace.metric], pace.target, currency)}"


def detail_text(pace: PlanPacing, currency: str) -> str:
    """One line of figures: so far, the projection (its likely range where known) and the
    need per day of a sum. On launch day no single figure: the range, or none."""
    entry = CATALOG[pace.metric]
    if pace.actual is None:
        return f"{target_text(pace, currency)} · {NO_DATA_HINT.get(pace.metric, 'No data yet.')}"
    parts = [f"{value_text(entry, pace.actual, currency)} so far"]
    low, high = pace.projected_low, pace.projected_high
    if pace.status in ("reached", "missed"):
        pass
    elif low is not None and high is not None:
        parts.append(f"projected {value_text(entry, low, currency)}–"
                     f"{value_text(entry, high, currency)}")
    elif pace.status == "too_early":
        parts.append(f"projected at least {value_text(entry, low, currency)}"
                     if low is not None else "too early to project")
    elif pace.projected is not None:
        parts.append(f"projected {value_text(entry, pace.projected, currency)}")
    parts.append(target_text(pace, currency))
    if pace.needed_per_day is not None and pace.status not in ("reached", "missed"):
        word = "needs" if pace.good_if == "above" else "at most"
        parts.append(f"{word} {value_text(entry, pace.needed_per_day, currency)}/day")
    return " · ".join(parts)


def _card(pace: PlanPacing, currency: str) -> None:
    with st.container(border=True):
        estimated = " (est.)" if pace.estimated else ""
        st.markdown(f"**{plain(pace.label)}{plain(estimated)}** "
                    f":{plain(pace.colour)}-badge[{plain(STATUS_TEXT[pace.status])}]",
                    help=plain(CATALOG[pace.metric].definition))
        st.caption(plain(detail_text(pace, currency)))


def _cards(paces: list[PlanPacing], currency: str) -> None:
    for start in range(0, len(paces), PER_ROW):
        row = paces[start:start + PER_ROW]
        for column, pace in zip(st.columns(PER_ROW), row, strict=False):
            with column:
                _card(pace, currency)


def _paces(context: ViewContext) -> list[PlanPacing] | None:
    """The plan's pacing; a store that cannot answer (a query past the time cap) costs the
    plan its cards, with a warning, never the rest of the page."""
    try:
        return data.plan(context.db_path, context.version, context.campaign,
                         context.now_minute)
    except StoreError as error:
        st.warning(f"The campaign plan could not be computed: {plain(error)}")
        return None


def show_plan_strip(context: ViewContext) -> None:
    """The Overview's plan strip: each planned metric beyond GMV against its target."""
    paces = _paces(context)
    if paces is None:
        return
    paces = [p for p in paces if p.metric != "gmv"]
    with st.container(key="plan_strip"):
        if not paces:
            st.page_link(CAMPAIGNS_PAGE, icon=":material/flag:",
                         label="Plan more than GMV: set targets for margin, ROAS, "
                               "conversion, CTR, new buyers and content on Campaigns")
            return
        behind = sum(p.status == "behind" for p in paces)
        head, link = st.columns([4, 1], vertical_alignment="center")
        head.markdown(f"**Campaign plan** · {len(paces)} targets"
                      + (f" · :red[{behind} behind]" if behind else ""),
                      help=PLAN_PACING_DEFINITION)
        link.page_link(CAMPAIGNS_PAGE, label="Edit plan", icon=":material/edit:")
        _cards(paces, context.campaign.currency)


def show_planned(context: ViewContext, section: str,
                 metrics: Iterable[str] | None = None) -> None:
    """A section page's planned metrics against target (nothing when none is planned)."""
    wanted = tuple(metrics or SECTION_METRICS[section])
    paces = [p for p in _paces(context) or [] if p.metric in wanted]
    if not paces:
        return
    with st.container(key=f"planned_{section}"):
        st.markdown("**Against the campaign plan** (campaign so far)",
                    help=PLAN_PACING_DEFINITION)
        _cards(paces, context.campaign.currency)
