"""Edit a campaign's plan on the Campaigns page: a target and a direction per plannable
metric beyond GMV (GMV's target is the campaign form's). A target of 0 means none.
Writes go through ``ui.edits`` (one transaction for the whole plan)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import streamlit as st

from campaign_core.metrics.catalog import CATALOG, Format, Metric
from campaign_core.plan_targets import GOOD_IF, PLAN_METRICS, default_good_if
from campaign_core.store.campaigns import Campaign
from ui import data, edits
from ui.formatting import money, plain

# Input step and shown decimals per format.
_INPUT = {Format.MONEY: (100.0, "%.2f"), Format.PERCENT: (0.5, "%.1f"),
          Format.RATIO: (0.1, "%.2f"), Format.COUNT: (1.0, "%.0f")}
GOOD_IF_TEXT = {"above": "good if above", "below": "good if below"}


def _label(metric: Metric, currency: str) -> str:
    """"ROAS (ratio)", "CTR (%)", "Contribution margin (USD)"; a label that ends in its
    unit already ("Contribution margin %") stays as it is."""
    unit = {Format.MONEY: currency, Format.PERCENT: "%", Format.RATIO: "ratio",
            Format.COUNT: "count"}[metric.format]
    return metric.label if metric.label.endswith(unit) else f"{metric.label} ({unit})"


def show(db_path: Path, version: int, campaign: Campaign) -> None:
    st.subheader(f"Plan of {plain(campaign.name)}")
    current = {t.metric: t for t in data.plan_targets(db_path, version, campaign)}
    gmv = current.get("gmv")
    st.caption("Targets beyond GMV, each optional (0: no target), each with the side "
               "that is good. Sums (margin, new buyers, content) are paced to the campaign's "
               "end; ratios (ROAS, rates, margin %) are judged on the campaign so far. GMV "
               "target: " + (money(gmv.target, campaign.currency) if gmv else "none")
               + " (set it in the campaign form above). Many campaigns at once: the plan "
               "template on the Import page.")
    chosen: dict[str, tuple[float, str]] = {}
    with st.form(f"plan_form_{campaign.campaign_id}"):
        for entry in PLAN_METRICS:
            if entry.name == "gmv":
                continue
            metric = CATALOG[entry.name]
            saved = current.get(entry.name)
            step, shown = _INPUT[metric.format]
            value_col, side_col = st.columns([3, 2], vertical_alignment="bottom")
            value = value_col.number_input(
                plain(_label(metric, campaign.currency)),
                min_value=0.0, step=step, format=shown,
                value=float(saved.target) if saved else 0.0, key=f"plan_{entry.name}",
                help=metric.definition)
            side = side_col.selectbox(
                f"{metric.label}: good if", GOOD_IF, format_func=GOOD_IF_TEXT.get,
                index=GOOD_IF.index(saved.good_if if saved else default_good_if(entry.name)),
                key=f"plan_{entry.name}_good_if", label_visibility="collapsed")
            chosen[entry.name] = (value, side)
        submitted = st.form_submit_button("Save plan", type="primary")
    if submitted:
        # 0 means no target, as for the GMV target in the campaign form.
        targets = {name: (Decimal(str(value)) if value else None, side)
                   for name, (value, side) in chosen.items()}
        try:
            edits.save_plan(db_path, campaign.campaign_id, targets)
            st.success(f"Saved the plan of {plain(campaign.name)}.")
            st.rerun()
        except ValueError as error:
            st.error(plain(error))
