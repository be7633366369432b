"""The Content page's blocks: module switch, violations banner, filters, ranking table,
content detail with its actions, shortlists, linked accounts."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from campaign_core.markets import number_style
from campaign_core.metrics.catalog import CATALOG, CONTENT_COLUMNS, CONTENT_METRICS
from campaign_core.metrics.content import (
    AFFILIATE,
    CONTENT_ACCOUNT_DEFINITION,
    CONTENT_GMV_DEFINITION,
    LIVE,
    OWN,
    SORT_KEYS,
    ContentDetail,
    ContentRow,
    filter_content,
    sort_content,
)
from campaign_core.store.content import (
    add_linked_account,
    add_to_content_ad_shortlist,
    add_to_creator_shortlist,
    add_violation,
    remove_linked_account,
    set_key_live,
)
from ui import charts, data, edits, replay, share
from ui.downloads import csv_file, xlsx_file
from ui.formatting import count, local_time, money, plain, plural
from ui.grid import show_grid
from ui.header import ViewContext
from ui.tables import dashes, readable

MODULES = ("LIVE", "Video", "Sub-campaigns")
ACCOUNT_CHOICES = {"All": None, "Own accounts": OWN, "Affiliates": AFFILIATE}
QUICK_FILTERS = ("With violations", "Key Livestream sessions")
DEFAULT_COLUMNS = ("content_gmv", "content_gmv_share", "content_orders", "content_units",
                   "content_commission", "content_views", "content_ctr")
SORT_LABELS = {"gmv": "GMV", "orders": "Orders", "units": "Units sold", "views": "Views",
               "ctr": "CTR", "ctor": "CTOR", "gpm": "GPM"}
_ID, _TITLE, _CREATOR, _ACCOUNT = "Content ID", "Title", "Creator", "Account"
_MISSING_REASON = ("Not known: none of this window's exports of the video or LIVE gives "
                   "this figure (see the column's definition).")


def choose_module() -> str:
    return st.segmented_control("Section", MODULES, default=MODULES[0], required=True,
                                **share.url_bound("content_module"),
                                label_visibility="collapsed")


def show_violation_banner(context: ViewContext) -> None:
    """A red strip above the LIVE table while LIVE violations are on record."""
    summary = data.live_violations(context.db_path, context.version, context.shop.shop_id)
    if not summary.count:
        return
    when = local_time(summary.latest_utc, context.campaign.timezone) \
        if summary.latest_utc else "time unknown"
    st.error(f"**{plural(summary.count, 'LIVE violation')}** on "
             f"{plural(summary.lives, 'LIVE')}. Latest: "
             f"{plain(summary.latest_type or 'unspecified')} on LIVE "
             f"{plain(summary.latest_content_id)} ({when}).", icon=":material/report:")


def choose_filters(kind: str) -> dict:
    """Account switch, search, ranking metric, quick filters and columns for ``kind``."""
    account_column, search_column, rank_column = st.columns([2, 2, 1],
                                                            vertical_alignment="bottom")
    with account_column:
        account = st.segmented_control("Accounts", list(ACCOUNT_CHOICES), default="All",
                                       required=True, key=f"content_account_{kind}",
                                       help=CONTENT_ACCOUNT_DEFINITION)
    search = search_column.text_input("Search title, creator or ID", key=f"content_search_{kind}",
                                      placeholder="e.g. glow, @creator, 7300...")
    rank_by = rank_column.selectbox("Rank by", SORT_KEYS, format_func=SORT_LABELS.get,
                                    key=f"content_rank_{kind}",
                                    help="Ranked high to low; items without a value last.")
    quick: list[str] = []
    if kind == LIVE:
        quick = st.pills("Quick filters", QUICK_FILTERS, selection_mode="multi",
                         key="content_quick_live") or []
    columns = st.multiselect("Columns", [m.name for m in CONTENT_METRICS],
                             default=list(DEFAULT_COLUMNS),
                             format_func=lambda name: CATALOG[name].label,
                             key=f"content_columns_{kind}", persist_state="session")
    return {"account": ACCOUNT_CHOICES[account], "search": search, "rank_by": rank_by,
            "with_violations": QUICK_FILTERS[0] in quick,
            "key_live_only": QUICK_FILTERS[1] in quick, "columns": columns}


def ranked(rows: list[ContentRow], kind: str, filters: dict) -> list[ContentRow]:
    kept = filter_content(rows, kind=kind, account=filters["account"],
                          search=filters["search"],
                          with_violations=filters["with_violations"],
                          key_live_only=filters["key_live_only"])
    return sort_content(kept, filters["rank_by"])


def ranking_frame(rows: list[ContentRow], columns: list[str]) -> pd.DataFrame:
    """One row per item: rank, identity columns, then the chosen catalog metrics."""
    labels = [CATALOG[name].label for name in columns]
    records = []
    for rank, row in enumerate(rows, start=1):
        record = {"#": rank, _ID: row.content_id, _TITLE: row.title or "",
                  _CREATOR: row.creator or "", _ACCOUNT: row.account,
                  "Key LIVE": "yes" if row.is_key_live else ""}
        for name, label in zip(columns, labels, strict=True):
            record[label] = _cell(getattr(row, CONTENT_COLUMNS[name]))
        records.append(record)
    base = ["#", _ID, _TITLE, _CREATOR, _ACCOUNT, "Key LIVE"]
    return pd.DataFrame(records, columns=[*base, *labels])


def _cell(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    return float(value)


def show_ranking(context: ViewContext, rows: list[ContentRow], columns: list[str],
                 kind: str) -> str | None:
    """The ranking table with downloads; returns the content ID selected in it, if any."""
    noun = "LIVEs" if kind == LIVE else "videos"
    if not rows:
        st.info(f"No {noun} match. Clear the search or the filters, or switch accounts.")
        return None
    frame = ranking_frame(rows, columns)
    help_text = {CATALOG[name].label: CATALOG[name].definition for name in columns}
    st.caption(f"{plural(len(rows), noun[:-1], noun)} · ranked by the chosen metric · hover a "
               "column header for its definition · est. = commission estimated until the "
               "creator is paid")
    with st.container(key=f"wide_content_grid_{kind}"):
        selected = show_grid(frame, key=f"content_grid_{kind}", pinned=_TITLE,
                             number_columns=help_text, height=460,
                             kinds={CATALOG[name].label: CATALOG[name].format
                                    for name in columns},
                             currency=context.campaign.currency,
                             missing_reasons={CATALOG[name].label: _MISSING_REASON
                                              for name in columns})
    with st.container(key=f"phone_content_list_{kind}"):
        tapped = _phone_list(rows, kind, context.campaign.currency)
    stem = f"content-{kind}-{context.window.first_day}"
    left, right = st.columns(2)
    left.download_button(f"Download {noun} (CSV)", csv_file(frame), file_name=f"{stem}.csv",
                         mime="text/csv", icon=":material/download:",
                         key=f"content_csv_{kind}")
    right.download_button(f"Download {noun} (Excel)", xlsx_file(frame, noun),
                          file_name=f"{stem}.xlsx", icon=":material/download:",
                          mime="application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet", key=f"content_xlsx_{kind}")
    return str(selected[_ID]) if selected else tapped


def _phone_list(rows: list[ContentRow], kind: str, currency: str) -> str | None:
    """Three columns a phone can show (title, GMV, orders); a tap opens the item's detail
    below with everything else. Returns the tapped content ID."""
    frame = pd.DataFrame([{_TITLE: row.title or f"{row.kind} {row.content_id}",
                           "GMV": None if row.gmv is None else float(row.gmv),
                           "Orders": row.orders} for row in rows])
    shown, config = readable(frame, {"GMV": "money", "Orders": "count"}, currency,
                             {"GMV": CONTENT_GMV_DEFINITION})
    event = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key=f"content_phone_list_{kind}",
                         column_config={_TITLE: st.column_config.TextColumn(width=150),
                                        **config})
    picked = event.selection.rows if event is not None else []
    return rows[picked[0]].content_id if picked and picked[0] < len(rows) else None


def choose_detail(rows: list[ContentRow], kind: str, selected: str | None) -> str | None:
    """The item whose detail is shown: the one selected in the table, else a pick."""
    key = f"content_detail_{kind}"
    ids = [row.content_id for row in rows]
    if not ids:
        return None
    # A grid selection persists across reruns: apply it only when it changes, so a later
    # pick in the box below is not overridden.
    if selected in ids and st.session_state.get(f"{key}_from_grid") != selected:
        st.session_state[key] = selected
    st.session_state[f"{key}_from_grid"] = selected
    if st.session_state.get(key) not in ids:
        st.session_state.pop(key, None)
    by_id = {row.content_id: row for row in rows}
    return st.selectbox("Content detail", ids, key=key,
                        format_func=lambda i: f"{(by_id[i].title or by_id[i].kind)[:60]} · "
                                              f"{by_id[i].creator or 'unknown creator'} · {i}")


def show_detail(context: ViewContext, content_id: str) -> None:
    detail = data.content_detail(context.db_path, context.version, context.shop.shop_id,
                                 context.window, content_id)
    if detail is None:
        return
    row, currency = detail.row, context.campaign.currency
    st.subheader(plain(row.title or f"{row.kind.upper()} {row.content_id}"))
    with st.container(key="cards_content_detail"):  # two to a row on a phone
        facts = st.columns(4)
    facts[0].metric("GMV", money(row.gmv, currency), border=True,
                    help=CONTENT_GMV_DEFINITION)
    facts[1].metric("Commission (est.)", money(row.commission, currency), border=True,
                    help=CATALOG["content_commission"].definition)
    facts[2].metric("Creator", plain(row.creator or "–"), border=True,
                    help=f"Account: {plain(row.account)}. {CONTENT_ACCOUNT_DEFINITION}")
    if row.kind == LIVE:
        facts[3].metric("GMV per LIVE hour", money(detail.gmv_per_live_hour, currency),
                        border=True, help="Content GMV / the LIVE's duration in hours.")
        zone = context.campaign.timezone
        st.caption(f"LIVE {local_time(row.posted_utc, zone)} – "
                   f"{local_time(row.ended_utc, zone, '%H:%M')}"
                   + (f" ({detail.live_hours:g} h)" if detail.live_hours else "")
                   + (" · Key Livestream session" if row.is_key_live else "")
                   + (f" · {plural(row.violations, 'violation')}" if row.violations else ""))
    else:
        facts[3].metric("Views", count(row.views, number_style(currency)), border=True,
                        help=CATALOG["content_views"].definition)
    if detail.ad_revenue is not None:
        st.caption(f"Also promoted by GMV Max in this window: ad gross revenue "
                   f"{money(detail.ad_revenue, currency)} for {money(detail.ad_cost, currency)}"
                   " of ad cost. An order can be both ad- and affiliate-attributed: that "
                   "revenue overlaps the GMV above and is never added to it.")
    if detail.basis == "during_live":
        st.caption("No order names this LIVE: the chart and products below are the shop's "
                   "own (non-affiliate) sales paid while it ran, which it may not all have "
                   "caused. Its GMV above is the LIVE export's.")
    chart_column, products_column = st.columns([3, 2])
    with chart_column:
        if detail.hourly:
            charts.draw(hourly_chart(detail, currency), width="stretch")
        else:
            st.caption("No attributed orders in this window for an hourly chart "
                       f"(its GMV comes from the {plain(row.kind)} export's totals).")
    with products_column:
        st.markdown("**Products sold through it**")
        if detail.products:
            shown, config = readable(pd.DataFrame([{
                "Product": p.product_name or p.product_id, "GMV": float(p.gmv),
                "Orders": p.orders, "Units": p.units} for p in detail.products]),
                {"GMV": "money", "Orders": "count", "Units": "count"}, currency)
            st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
            # (every product sold through it has GMV, orders and units: no empty cell)
        else:
            st.caption("No attributed order lines: import the affiliate orders export.")
    _actions(context, row)


def hourly_chart(detail: ContentDetail, currency: str) -> alt.Chart:
    """GMV per shop-time hour as bars, orders on hover."""
    frame = pd.DataFrame([{"hour": p.label, "order": p.hour_start_utc, "GMV": float(p.gmv),
                           "orders": p.orders} for p in detail.hourly])
    frame = charts.with_texts(frame, {"GMV": "money", "orders": "count"}, currency)
    return charts.with_marks(alt.Chart(frame, title="GMV and orders by hour")
            .mark_bar(color=charts.PRIMARY)
            .encode(x=alt.X("hour:N", sort=alt.SortField("order"), title=None,
                            axis=alt.Axis(labelAngle=-45, labelOverlap=True)),
                    y=alt.Y("GMV:Q", title=f"GMV ({plain(currency)})"),
                    tooltip=[alt.Tooltip("hour:N", title="Hour"),
                             alt.Tooltip("GMV text:N", title="GMV"),
                             alt.Tooltip("orders text:N", title="Orders")])
            .properties(height=260), currency)


def _actions(context: ViewContext, row: ContentRow) -> None:
    if replay.editing_off(context):
        return
    shop_id = context.shop.shop_id
    recollaborate, create_ad, flag = st.columns(3)
    if recollaborate.button("Re-collaborate", icon=":material/handshake:",
                            key="content_recollaborate", disabled=not row.creator,
                            help="Put the creator on the creator pipeline shortlist."):
        with edits.writing(context.db_path, context.shop.shop_id) as conn:
            added = add_to_creator_shortlist(conn, shop_id, row.creator, row.content_id,
                                             note=f"from {row.kind} {row.content_id}")
        st.toast("Creator shortlisted." if added else "Already on the creator shortlist.")
    if create_ad.button("Create ad", icon=":material/campaign:", key="content_create_ad",
                        help="Put this content on the ad shortlist (export it for Ads "
                             "Manager)."):
        with edits.writing(context.db_path, context.shop.shop_id) as conn:
            added = add_to_content_ad_shortlist(conn, shop_id, row.content_id)
        st.toast("Added to the ad shortlist." if added else "Already on the ad shortlist.")
    with flag.popover("Flag", icon=":material/flag:"):
        violation_type = st.text_input("Violation type", key="content_violation_type",
                                       placeholder="e.g. Misleading price claim")
        if st.button("Flag as violation", key="content_flag_violation"):
            with edits.writing(context.db_path, context.shop.shop_id) as conn:
                add_violation(conn, shop_id, row.content_id, violation_type,
                              int(context.now.timestamp()))
            st.rerun()
        if row.kind == LIVE and st.button(
                "Unmark Key LIVE" if row.is_key_live else "Mark as Key LIVE",
                key="content_flag_key_live"):
            with edits.writing(context.db_path, context.shop.shop_id) as conn:
                set_key_live(conn, shop_id, row.content_id, not row.is_key_live)
            st.rerun()


def show_lists(context: ViewContext) -> None:
    """The two shortlists with their downloads, and the linked (own) accounts."""
    lists = data.content_lists(context.db_path, context.version, context.shop.shop_id)
    creators, ads = st.columns(2)
    with creators:
        st.subheader("Creator shortlist", help="Creators to work with again; the creator "
                                               "pipeline picks them up.")
        _list_table(lists["creators"], "creator-shortlist", context.campaign.timezone,
                    "No creators yet: open a content item and use Re-collaborate.")
    with ads:
        st.subheader("Content ad shortlist", help="Content to promote with ads.")
        _list_table(lists["ads"], "content-ad-shortlist", context.campaign.timezone,
                    "No content yet: open a content item and use Create ad.")
    with st.expander(f"Linked accounts ({len(lists['linked'])})"):
        st.caption(CONTENT_ACCOUNT_DEFINITION)
        st.write(", ".join(f"@{plain(handle)}" for handle in lists["linked"]) or
                 "No linked accounts yet.")
        if replay.editing_off(context):
            return
        with st.form("linked_account_form", clear_on_submit=True):
            handle = st.text_input("Handle", placeholder="@yourshop")
            add, remove = st.columns(2)
            if add.form_submit_button("Add") and handle.strip():
                with edits.writing(context.db_path, context.shop.shop_id) as conn:
                    add_linked_account(conn, context.shop.shop_id, handle)
                st.rerun()
            if remove.form_submit_button("Remove") and handle.strip():
                with edits.writing(context.db_path, context.shop.shop_id) as conn:
                    remove_linked_account(conn, context.shop.shop_id, handle)
                st.rerun()


def _list_table(items: list[dict], stem: str, timezone: str, empty: str) -> None:
    if not items:
        st.caption(plain(empty))
        return
    frame = pd.DataFrame(items)
    frame["added_utc"] = [local_time(v, timezone, "%Y-%m-%d %H:%M") for v in frame["added_utc"]]
    frame = frame.rename(columns={"added_utc": "added", "content_id": "content ID"})
    st.dataframe(dashes(frame), hide_index=True, width="stretch")
    st.download_button("Download (CSV)", csv_file(frame), file_name=f"{stem}.csv",
                       mime="text/csv", key=f"download_{stem}", icon=":material/download:")

