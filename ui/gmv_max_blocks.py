"""GMV Max economics on the Marketing and Products pages: platform fees, break-even ROI per
product, a what-if, what the ads add (never added to shop GMV), the ROI Protection ledger
and holdouts."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from campaign_core.experiments.holdout import HOLDOUT_RULES
from campaign_core.formatting import ratio
from campaign_core.metrics.catalog import CATALOG
from campaign_core.profit.ads_economics import AdsEconomics
from campaign_core.profit.ads_overlap import __doc__ as OVERLAP_RULES
from campaign_core.profit.break_even import BREAK_EVEN_RULES
from campaign_core.profit.fee_schedule import schedule_rows
from campaign_core.profit.gmv_max_whatif import (
    PROMOTION_BUDGET,
    PROMOTION_CUTS,
    WHATIF_RULES,
    promotion_days,
    what_if,
)
from campaign_core.profit.platform_fees import FEE_RULES
from campaign_core.profit.roi_protection import PROTECTION_RULES
from ui import data, edits, replay
from ui.formatting import count, day_text, money, percent, plain
from ui.header import ViewContext
from ui.tables import dashes, number_column, readable

_SCHEDULE_COLUMNS = {"market": "Market", "fee": "Fee", "rate_pct": "Rate %",
                     "valid_from": "From", "valid_until": "Until", "category": "Category",
                     "seller_status": "Seller status", "source": "Source"}
_FEE_STATUS = {"settled": "settled", "estimated": "est.", "unknown": "fees unknown",
               "none": "—"}


def _amount(cents: float | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


def _ratio_text(value: float | None) -> str:
    return ratio(value)


def economics(context: ViewContext) -> AdsEconomics:
    return data.gmv_max_economics(context.db_path, context.version, context.shop.shop_id,
                                  context.window, context.now_minute)


def break_even_frame(view: AdsEconomics) -> pd.DataFrame:
    return pd.DataFrame([{
        "Product": row.name or row.key, "ROI to break even": row.break_even_roi,
        "Target ROI": row.target_roi, "Current ROI": row.current_roi,
        "Margin per ad dollar": row.margin_per_ad_dollar(),
        "Margin rate before ads": None if row.margin_rate is None else 100 * row.margin_rate,
        "Target": "below break-even" if row.target_below_break_even else "",
        "Fees": _FEE_STATUS.get(row.fees_status, row.fees_status),
        "GMV": _amount(row.gmv),
    } for row in view.break_even])


def show_break_even(context: ViewContext, view: AdsEconomics, limit: int | None = None) -> None:
    """The break-even table (products first whose target is below break-even)."""
    st.subheader("Break-even target ROI", help=BREAK_EVEN_RULES)
    frame = break_even_frame(view)
    if frame.empty:
        st.info("No sales in this view to measure margins on. Import orders and unit costs "
                "(Import page) to see each product's break-even ROI.")
        return
    frame = frame.sort_values(["Target", "GMV"], ascending=[False, False])
    if limit:
        frame = frame.head(limit)
    flagged = len(view.flagged)
    if flagged:
        st.warning(f"{flagged} product{'s' if flagged != 1 else ''} run GMV Max with a target "
                   "ROI below break-even: each ad-funded sale there loses money.")
    shown, config = readable(frame, {
        "ROI to break even": "ratio", "Target ROI": "ratio", "Current ROI": "ratio",
        "Margin per ad dollar": "money", "Margin rate before ads": "percent",
        "GMV": "money"}, context.campaign.currency, {
        "ROI to break even": "1 / contribution margin rate before ads.",
        "Margin per ad dollar": "Current ROI x margin rate - 1: what each unit of ad spend "
                                "earns after every cost.",
        "Fees": CATALOG["platform_fees"].definition})
    # On a phone the ROIs, not the long product names, should fill the first screen.
    config["Product"] = st.column_config.TextColumn("Product", width="medium")
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)


def _show_fee_line(context: ViewContext, view: AdsEconomics) -> None:
    fees = view.fees
    if not fees.gmv:
        return
    status = _FEE_STATUS[fees.status]
    rate = "—" if fees.rate_pct is None else percent(fees.rate_pct)
    market = plain(view.market or "unknown market")
    st.caption(f"Platform fees in this view: {money(_amount(fees.fees), context.campaign.currency)}"
               f" ({rate} of GMV, {status}); fee schedule of {market}.")
    with st.expander("Fee schedule and sources"):
        rows = schedule_rows(view.market)
        if rows:
            # Open-ended rows (no end day, every category, every seller) read as a dash.
            schedule = dashes(pd.DataFrame(rows).rename(columns=_SCHEDULE_COLUMNS))
            st.dataframe(schedule, hide_index=True, width="stretch",
                         column_config={"Rate %": number_column("percent")})
        else:
            st.markdown("No fee rates are known for this market: margins leave TikTok's fees "
                        "out until an income export settles the orders.")
        st.caption(FEE_RULES)


def show_what_if(context: ViewContext, view: AdsEconomics) -> None:
    promoted = [row for row in view.break_even
                if row.ad_cost and row.margin_rate is not None]
    st.subheader("What if", help=WHATIF_RULES)
    if not promoted:
        st.caption("No promoted product with sales and costs in this view.")
        return
    names = {row.key: row.name or row.key for row in promoted}
    left, right = st.columns(2)
    with left:
        key = st.selectbox("Product", list(names), format_func=lambda k: names[k],
                           key="gmvmax_whatif_product")
    row = next(r for r in promoted if r.key == key)
    base = row.target_roi or row.current_roi
    options = ["Lower the target ROI"] + [f"Promotion Days -{round(cut * 100)}%"
                                          for cut in PROMOTION_CUTS]
    with right:
        choice = st.selectbox("Change", options, key="gmvmax_whatif_change")
    if choice == options[0]:
        goal = st.number_input("New target ROI", min_value=0.1, value=round(max(base * 0.9,
                                                                                0.1), 2),
                               step=0.1, key="gmvmax_whatif_goal")
        budget = 1.0
    else:
        cut = PROMOTION_CUTS[options.index(choice) - 1]
        goal, budget = promotion_days(base, cut), PROMOTION_BUDGET
    result = what_if(row.ad_cost, row.current_roi, row.margin_rate, goal, budget,
                     aov=row.price)
    currency = context.campaign.currency
    cols = st.columns(3)
    cols[0].metric("ROI goal", _ratio_text(goal), help="Break-even at "
                   f"{_ratio_text(row.break_even_roi)}")
    cols[1].metric("GMV change", money(_amount(result.gmv_change), currency))
    cols[2].metric("Margin change", money(_amount(result.margin_change), currency))
    st.caption("At this view's spend and margin rate; ad revenue includes sales that would "
               "have come anyway (see holdouts).")


def show_overlap(context: ViewContext, view: AdsEconomics) -> None:
    st.subheader("What the ads add", help=OVERLAP_RULES)
    if not view.overlap:
        st.caption("No GMV Max product report covers this view. Export GMV Max > Product "
                   "report (creative/product) and import it.")
        return
    frame = pd.DataFrame([{
        "Product": row.name or row.product_id, "Shop GMV": _amount(row.shop_gmv),
        "of which GMV Max revenue": _amount(row.ad_revenue_in_gmv),
        "of which also affiliate": _amount(row.affiliate_gmv),
        "Ad share": row.ad_share_pct, "Ad cost": _amount(row.ad_cost),
    } for row in view.overlap])
    shown, config = readable(frame, {"Shop GMV": "money", "of which GMV Max revenue": "money",
                                     "of which also affiliate": "money", "Ad share": "percent",
                                     "Ad cost": "money"}, context.campaign.currency)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
    total = view.overlap_total
    currency = context.campaign.currency
    st.caption(f"Promoted products: {money(_amount(total.shop_gmv), currency)} of shop GMV, "
               f"of which GMV Max reports {money(_amount(total.ad_revenue_in_gmv), currency)}"
               " and affiliates are credited with "
               f"{money(_amount(total.affiliate_gmv), currency)}. The parts overlap and are "
               "never added up.")


def show_protection(context: ViewContext, view: AdsEconomics) -> None:
    st.subheader("ROI Protection", help=PROTECTION_RULES)
    ledger = list(view.ledger)
    if not ledger:
        st.caption("No daily GMV Max campaign report yet: export the campaign report with "
                   "the Date breakdown to check ROI Protection credits.")
        return
    currency = context.campaign.currency
    owed = view.owed
    if owed:
        total = sum(day.owed for day in owed)
        st.warning(f"{len(owed)} eligible day{'s' if len(owed) != 1 else ''} not credited: "
                   f"{money(_amount(total), currency)} of ROI Protection credit to claim.")
    frame = pd.DataFrame([{
        "Day": day.day, "Campaign": day.campaign_name or day.campaign_id,
        "ROI": day.roi, "Target ROI": day.target_roi, "Orders": day.orders,
        "Eligible": "yes" if day.eligible else "; ".join(day.excluded_because),
        "Expected credit": _amount(day.expected_credit), "Received": _amount(day.received),
        "Owed": _amount(day.owed),
    } for day in sorted(ledger, key=lambda d: (-(d.owed > 0), d.day), reverse=False)
        if day.eligible or day.owed])
    if frame.empty:
        st.caption(f"{len(ledger)} campaign days checked: none eligible for a credit.")
    else:
        shown, config = readable(frame, {"ROI": "ratio", "Target ROI": "ratio",
                                         "Orders": "count", "Expected credit": "money",
                                         "Received": "money", "Owed": "money"}, currency)
        config["Day"] = st.column_config.DateColumn("Day", format="MMM D, YYYY")
        st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
    if context.replaying:  # a replay is read only
        return
    with st.expander("Record a credit received"):
        choices = {f"{day_text(day.day)} · {day.campaign_name or day.campaign_id}": day
                   for day in ledger if day.eligible}
        if not choices:
            st.caption("No eligible day.")
            return
        label = st.selectbox("Day", list(choices), key="gmvmax_credit_day")
        amount = st.number_input("Credit received", min_value=0.0, step=1.0,
                                 key="gmvmax_credit_amount")
        if st.button("Save credit", key="gmvmax_credit_save"):
            day = choices[label]
            edits.save_protection_credit(context.db_path, context.shop.shop_id,
                                         day.account_id, day.campaign_id, day.day,
                                         round(amount * 100))
            st.success("Saved.")


def show_holdouts(context: ViewContext, view: AdsEconomics) -> None:
    st.subheader("Holdouts", help=HOLDOUT_RULES)
    currency = context.campaign.currency
    for result in view.holdouts:
        gmv, low, high = result.incremental_gmv
        margin, m_low, m_high = result.margin_per_ad_dollar()
        state = "finished" if result.finished else f"day {count(result.days)}"
        st.markdown(f"**{plain(result.name)}** · {plain(day_text(result.start_day))} to "
                    f"{plain(day_text(result.end_day))} ({plain(state)})")
        cols = st.columns(3)
        cols[0].metric("Incremental GMV", money(_amount(gmv), currency),
                       help=f"95% interval {money(_amount(low), currency)} to "
                            f"{money(_amount(high), currency)}")
        # Margin dollars earned per ad dollar spent: money in the campaign's currency.
        cols[1].metric("Margin per ad dollar", money(margin, currency),
                       help=f"95% interval {money(m_low, currency)} to "
                            f"{money(m_high, currency)}")
        cols[2].metric("Ad spend", money(_amount(result.ad_spend), currency))
        if result.decided:
            st.caption("The difference crosses the sequential boundary: a verdict valid "
                       "however often the test was checked.")
        elif low is not None and low <= 0 <= (high or 0):
            st.caption("The interval includes zero: the ads' lift is not established.")
    if replay.editing_off(context):
        return
    with st.expander("Plan a holdout"):
        share = st.slider("Smallest lift worth finding (share of daily GMV per product)",
                          0.05, 0.5, 0.2, 0.05, key="gmvmax_holdout_share")
        plan = data.holdout_plan(context.db_path, context.version, context.shop.shop_id,
                                 context.window.timezone, context.now_minute, share, 1)
        if not plan.assignment:
            st.caption("No promoted products in the last four weeks.")
            return
        off = sorted(unit for unit, arm in plan.assignment.items() if arm == "off")
        needed = count(plan.needed_per_arm)
        st.markdown(f"Turn GMV Max off for {count(len(off))} of {count(len(plan.assignment))}"
                    f" promoted products for 14 days; products needed per arm: {needed}"
                    + ("" if plan.enough_products else " (more than the shop has: expect a "
                       "wide interval)") + ".")
        st.dataframe(pd.DataFrame({"Product ID (ads off)": off}), hide_index=True)
        if st.button("Save this plan", key="gmvmax_holdout_save"):
            start = date.fromtimestamp(context.now_minute) + timedelta(days=1)
            edits.save_holdout(context.db_path, context.shop.shop_id,
                               f"Holdout from {start.isoformat()}", start,
                               start + timedelta(days=13), plan.assignment, 1, plan.lift)
            st.success("Saved: carry it out in Ads Manager.")


def show_gmv_max_section(context: ViewContext) -> None:
    """The Marketing page's GMV Max economics section."""
    st.header("GMV Max economics", help=BREAK_EVEN_RULES)
    view = economics(context)
    _show_fee_line(context, view)
    show_break_even(context, view)
    show_what_if(context, view)
    show_overlap(context, view)
    show_protection(context, view)
    show_holdouts(context, view)
