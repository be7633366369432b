"""The Campaigns page's agency settings: the shops a campaign spans (each with its own
target), the workspace's reporting currency, and exchange rates typed in for a period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import streamlit as st

from campaign_core.markets import CURRENCIES
from campaign_core.store.campaigns import Campaign
from campaign_core.store.shops import Shop
from ui import data, edits
from ui.formatting import count, plain


def show_campaign_shops(db_path: Path, version: int, campaign: Campaign,
                        shops: list[Shop]) -> None:
    """Add shops to ``campaign`` (besides its own), each with a target in its currency."""
    st.markdown("**Shops in this campaign**")
    views = data.campaign_shop_views(db_path, version, campaign)
    added = {v.shop_id: v for v in views if v.shop_id != campaign.shop_id}
    others = [s for s in shops if s.shop_id != campaign.shop_id]
    if not others:
        st.caption("Only one shop in the store: a campaign can span shops once there are more.")
        return
    st.caption(f"{plain(campaign.shop_name)} runs it; add the others that run it too. Each "
               "shop counts its days in its own timezone and has its own target in its own "
               "currency; the Overview adds them up in the reporting currency.")
    with st.form(f"campaign_shops_{campaign.campaign_id}"):
        chosen = st.multiselect("Also in this campaign", [s.name for s in others],
                                default=[s.name for s in others if s.shop_id in added])
        targets = {}
        for shop in others:
            current = added.get(shop.shop_id)
            targets[shop.shop_id] = st.number_input(
                f"GMV target of {plain(shop.name)} ({plain(shop.currency)}, 0 = none)",
                min_value=0.0, step=1000.0, format="%.2f",
                value=float((current.gmv_target_cents or 0) / 100) if current else 0.0)
        if st.form_submit_button("Save shops"):
            picked = [s for s in others if s.name in chosen]
            edits.set_campaign_shops(db_path, campaign.campaign_id, [
                (s.shop_id, int(Decimal(str(targets[s.shop_id])) * 100) or None)
                for s in picked])
            st.rerun()


def show_currency_settings(db_path: Path, version: int) -> None:
    """Reporting currency, the rates the store holds, and a rate typed in for a period."""
    st.subheader("Currencies")
    current = data.reporting_currency(db_path, version)
    codes = sorted(set(CURRENCIES) | {"EUR", current})
    chosen = st.selectbox("Reporting currency", codes, index=codes.index(current),
                          help="Figures of several shops (Portfolio, a campaign that spans "
                               "shops) are converted into this currency, day by day.")
    if chosen != current:
        edits.set_reporting_currency(db_path, chosen)
        st.rerun()
    spans = data.rate_spans(db_path, version)
    if spans:
        st.caption(plain("Rates per EUR in the store: " + "; ".join(
            f"{code} {first} to {last} ({days} days)" for code, first, last, days in spans)))
    else:
        st.caption("No exchange rates yet: import the ECB's eurofxref-hist.csv (or the daily "
                   "eurofxref.csv) on the Import page, or enter a rate below.")
    with st.form("manual_rate"):
        st.markdown("**Enter a rate for a period** (replaces the rates of those days)")
        code_column, rate_column = st.columns(2)
        code = code_column.text_input("Currency (ISO code)", max_chars=3, value="GBP")
        rate = rate_column.text_input("Units per 1 EUR", value="",
                                      placeholder="e.g. 0.85618")
        first_column, last_column = st.columns(2)
        first = first_column.date_input("From", value=date.today())
        last = last_column.date_input("To", value=date.today())
        if st.form_submit_button("Save rate"):
            try:
                days = edits.set_rate_for_period(db_path, code, first, last, rate)
                st.success(f"Saved for {count(days)} day(s).")
            except (ValueError, InvalidOperation) as error:
                st.error(plain(error))
