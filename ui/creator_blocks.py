"""The Creators and profit page's blocks: profit cards and waterfall, the creator table,
one creator's waterfall and SKU mix, segments and suggestions, the pipeline board, late
list and editors, the re-collaborate shortlist, and the experiment cards."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from campaign_core.creators.pipeline import PIPELINE_RULES, STAGE_LABELS, STAGES, DealStatus
from campaign_core.creators.segments import SEGMENT_RULE, SUGGESTION_RULES
from campaign_core.experiments.evaluate import (
    EXPERIMENT_RULES,
    NO_DATA,
    SRM,
    UNDERPOWERED,
    ExperimentResult,
)
from campaign_core.experiments.plain import headline
from campaign_core.metrics.catalog import CATALOG
from campaign_core.profit.creator_margin import MARGIN_RULES, CreatorMargin
from campaign_core.profit.overview import CreatorsOverview, WaterfallStep, creator_waterfall
from campaign_core.store.creators import (
    DEAL_DAY_FIELDS,
    delete_deal,
    ensure_experiment,
    set_experiment_counts,
    upsert_deal,
    upsert_sample,
)
from ui import charts, data, edits, replay
from ui.charts import COMPARISON_GREY, PALETTE, with_marks, with_texts
from ui.downloads import csv_file, xlsx_file
from ui.formatting import money, p_value, plain, plural, share_percent
from ui.header import ViewContext
from ui.tables import dashes, number_column, readable

EST = "est."
_DAY_LABELS = {"outreach_day": "Outreach", "accepted_day": "Accepted",
               "sample_shipped_day": "Sample shipped", "sample_delivered_day": "Sample delivered",
               "brief_sent_day": "Brief sent", "content_due_day": "Content due (override)",
               "posted_day": "Posted", "cancelled_day": "Cancelled"}


def _help(name: str) -> str:
    return CATALOG[name].definition


def _dollars(cents: float | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


def _downloads(frame: pd.DataFrame, stem: str, key: str, narrow: bool = False) -> None:
    # In a side column the buttons share the row with nothing else, or their labels clip.
    left, right, _ = st.columns([1, 1, 0.01] if narrow else [1, 1, 4])
    left.download_button("Download CSV", csv_file(frame), f"{stem}.csv", "text/csv",
                         key=f"{key}_csv")
    right.download_button("Download Excel", xlsx_file(frame, stem), f"{stem}.xlsx",
                          key=f"{key}_xlsx")


# --- profit ------------------------------------------------------------------------------


def show_profit_cards(context: ViewContext, overview: CreatorsOverview) -> None:
    total, currency = overview.total, context.campaign.currency
    estimated = f" ({EST})" if total.is_estimated else ""
    cards = [
        ("Creator GMV", money(_dollars(total.gmv), currency), _help("creator_gmv")),
        (f"Commission{estimated}", money(_dollars(total.commission), currency),
         _help("creator_commission")),
        (f"Contribution margin{estimated}", money(_dollars(total.margin), currency),
         _help("creator_margin")),
        (f"Margin %{estimated}", share_percent(total.margin_pct, currency),
         _help("creator_margin_pct")),
        ("Settled share", share_percent(total.settled_share_pct, currency),
         _help("settled_share_pct")),
        ("Sample-to-post rate", share_percent(overview.sample_to_post_rate, currency),
         _help("sample_to_post_rate")),
        ("Cost per posting creator", money(_dollars(overview.cost_per_posting_creator),
                                           currency), _help("cost_per_posting_creator")),
        ("GMV per sample", money(_dollars(total.gmv_per_sample), currency),
         _help("gmv_per_sample")),
        (f"Margin per sample{estimated}", money(_dollars(total.margin_per_sample), currency),
         _help("margin_per_sample")),
    ]
    with st.container(key="cards_creator_profit"):  # two to a row on a phone
        for row_start in range(0, len(cards), 5):
            columns = st.columns(5)
            for column, (label, value, help_text) in zip(
                    columns, cards[row_start:row_start + 5], strict=False):
                column.metric(label, value, help=help_text, border=True)


def waterfall_frame(steps: tuple[WaterfallStep, ...]) -> pd.DataFrame:
    """Bars from ``start`` to ``end`` (dollars): totals from 0, deductions from the running
    total down."""
    rows, running = [], 0.0
    for order, step in enumerate(steps):
        amount = step.cents / 100
        if step.is_total:
            start, end, running = 0.0, amount, amount
        else:
            start, end = running, running + amount
            running = end
        rows.append({"order": order, "step": step.label, "start": round(start, 2),
                     "end": round(end, 2), "amount": round(amount, 2),
                     "kind": "total" if step.is_total else "cost"})
    return pd.DataFrame(rows)


def waterfall_chart(steps: tuple[WaterfallStep, ...], title: str,
                    currency: str = "USD") -> alt.Chart:
    """A waterfall of ``steps`` (totals in the primary colour, costs in grey)."""
    frame = with_texts(waterfall_frame(steps), {"amount": "money"}, currency)
    return with_marks(alt.Chart(frame, title=title).mark_bar().encode(
        x=alt.X("step:N", sort=alt.SortField("order"), title=None,
                axis=alt.Axis(labelAngle=0, labelLimit=110)),
        y=alt.Y("start:Q", title="Amount"), y2="end:Q",
        color=alt.Color("kind:N", scale=alt.Scale(domain=["total", "cost"],
                                                  range=[PALETTE[0], COMPARISON_GREY]),
                        legend=None),
        tooltip=[alt.Tooltip("step:N", title="Step"),
                 alt.Tooltip("amount text:N", title="Amount")],
    ).properties(height=300), currency)


def show_shop_waterfall(context: ViewContext, overview: CreatorsOverview) -> None:
    charts.draw(waterfall_chart(
        overview.shop_waterfall, f"Shop: GMV to contribution after creator costs "
        f"({context.window.view.label})", context.campaign.currency), width="stretch")
    st.caption("Shop GMV and refunds as on the Overview; product cost of every line; the "
               "platform fees (settled, else estimated from the market's fee schedule) and the "
               "creator costs of the window. Fees, commission and margin are estimates until "
               "the income export settles them.")


_TABLE_COLUMNS = {  # label -> (catalog metric for help, money?)
    "GMV": ("creator_gmv", True), "Refunds": ("creator_refunds", True),
    "Product cost": ("creator_product_cost", True), "Platform fees": ("platform_fees", True),
    "Commission": ("creator_commission", True), "Fees": ("creator_fees", True),
    "Samples": ("creator_sample_cost", True),
    "Ad spend": ("creator_ad_spend", True), "Margin": ("creator_margin", True),
    "Margin %": ("creator_margin_pct", False), "Settled %": ("settled_share_pct", False),
    "Margin per sample": ("margin_per_sample", True),
}


def creator_frame(overview: CreatorsOverview) -> pd.DataFrame:
    suggestion_titles: dict[str, list[str]] = {}
    for suggestion in overview.suggestions:
        suggestion_titles.setdefault(suggestion.creator, []).append(suggestion.title)
    return pd.DataFrame([{
        "Creator": m.creator, "GMV": _dollars(m.gmv), "Refunds": _dollars(m.refunds),
        "Product cost": _dollars(m.product_cost), "Platform fees": _dollars(m.platform_fees),
        "Commission": _dollars(m.commission), "Fees": _dollars(m.fees),
        "Samples": _dollars(m.sample_cost),
        "Ad spend": _dollars(m.ad_spend), "Margin": _dollars(m.margin),
        "Margin %": m.margin_pct, "Settled %": m.settled_share_pct,
        "Status": ("fees unknown" if m.fees_status == "unknown"
                   else EST if m.is_estimated or m.fees_status == "estimated" else "settled"),
        "Segment": overview.segment(m.key), "Orders": m.orders,
        "Sample units": m.sample_units,
        "Margin per sample": _dollars(m.margin_per_sample),
        "Suggestion": ", ".join(suggestion_titles.get(m.creator, [])),
    } for m in overview.margins])


# Margin, the point of the page, comes first: on a phone only the first columns show.
PROFIT_COLUMN_ORDER = ("Creator", "Margin", "Margin %", "GMV", "Status", "Segment",
                       "Suggestion", "Refunds", "Product cost", "Platform fees",
                       "Commission", "Fees",
                       "Samples", "Ad spend", "Settled %", "Orders", "Sample units",
                       "Margin per sample")


_PROFIT_KINDS = {label: "money" if is_money else "percent"
                 for label, (_, is_money) in _TABLE_COLUMNS.items()}
_PROFIT_HELP = {label: _help(metric) for label, (metric, _) in _TABLE_COLUMNS.items()}


def show_creator_table(context: ViewContext, overview: CreatorsOverview) -> None:
    st.subheader("Profit per creator", help=MARGIN_RULES)
    frame = creator_frame(overview)
    shown, config = readable(frame, {**_PROFIT_KINDS, "Orders": "count",
                                     "Sample units": "count"},
                             context.campaign.currency, _PROFIT_HELP)
    config["Segment"] = st.column_config.TextColumn("Segment", help=SEGMENT_RULE)
    config["Status"] = st.column_config.TextColumn(
        "Status", help="est.: some of the creator's GMV is not settled yet, so platform "
        "fees, commission and margin are estimates; settled: the income export has every "
        "order; fees unknown: the market has no known fee schedule and some orders are not "
        "settled, so the margin leaves those fees out.")
    config["Suggestion"] = st.column_config.TextColumn("Suggestion", help=SUGGESTION_RULES)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, height=420,
                 column_order=[c for c in PROFIT_COLUMN_ORDER if c in frame.columns])
    _downloads(frame, "creator_profit", "creator_profit")


def campaign_frame(overview: CreatorsOverview) -> pd.DataFrame:
    return pd.DataFrame([{
        "Campaign": c.campaign, "Days": f"{c.start_day:%b %d} - {c.end_day:%b %d, %Y}",
        "Creators with sales": c.creators, "GMV": _dollars(c.total.gmv),
        "Commission": _dollars(c.total.commission), "Fees": _dollars(c.total.fees),
        "Samples": _dollars(c.total.sample_cost), "Ad spend": _dollars(c.total.ad_spend),
        "Margin": _dollars(c.total.margin), "Margin %": c.total.margin_pct,
        "Status": EST if c.total.is_estimated else "settled",
    } for c in overview.campaigns])


def show_campaign_table(overview: CreatorsOverview, currency: str = "USD") -> None:
    if not overview.campaigns:
        return
    st.subheader("Profit per campaign", help="Each campaign's creators over its whole period "
                 "(until now), whatever the view. " + _help("creator_margin"))
    frame = campaign_frame(overview)
    shown, config = readable(frame, {**_PROFIT_KINDS, "Creators with sales": "count"},
                             currency, _PROFIT_HELP)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config,
                 column_order=["Campaign", "Margin", "Margin %",
                               *[c for c in frame.columns
                                 if c not in ("Campaign", "Margin", "Margin %")]])
    _downloads(frame, "creator_profit_by_campaign", "creator_profit_by_campaign")


def show_creator_detail(context: ViewContext, overview: CreatorsOverview) -> None:
    with_sales = [m for m in overview.margins if m.gmv or m.sample_cost or m.ad_spend]
    if not with_sales:
        return
    names = [m.creator for m in with_sales]
    chosen = st.selectbox("Creator", names, key="creator_detail")
    margin: CreatorMargin = next(m for m in with_sales if m.creator == chosen)
    chart, mix = st.columns([3, 2])
    label = f" ({EST})" if margin.is_estimated else ""
    charts.draw(waterfall_chart(creator_waterfall(margin),
                                f"{chosen}: GMV to contribution margin{label}",
                                context.campaign.currency),
                where=chart, width="stretch")
    skus = data.creator_skus(context.db_path, context.version, context.campaign,
                             context.window, chosen)
    with mix:
        st.markdown(f"**SKU mix of {plain(chosen)}**")
        frame = pd.DataFrame([{
            "SKU": s.sku_id, "Product": s.product_name, "Units": s.units,
            "GMV": _dollars(s.gmv), "Product cost": _dollars(s.product_cost),
            "Platform fees": _dollars(s.platform_fees),
            "Commission": _dollars(s.commission), "Margin before creator fees": _dollars(s.margin),
        } for s in skus])
        shown, config = readable(frame, {
            "Units": "count", "GMV": "money", "Product cost": "money",
            "Platform fees": "money", "Commission": "money",
            "Margin before creator fees": "money"}, context.campaign.currency)
        st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
        if not frame.empty:
            _downloads(frame, "creator_sku_mix", "creator_sku_mix", narrow=True)


def show_suggestions(overview: CreatorsOverview) -> None:
    st.subheader("Suggestions", help=SUGGESTION_RULES)
    if not overview.suggestions:
        st.caption("No creator matches a suggestion rule in this view.")
        return
    frame = pd.DataFrame([{"Creator": s.creator, "Suggestion": s.title, "Rule": s.rule,
                           "Numbers": s.numbers} for s in overview.suggestions])
    st.dataframe(dashes(frame), hide_index=True, width="stretch")
    _downloads(frame, "creator_suggestions", "creator_suggestions")
    counts = pd.Series([overview.segment(m.key) for m in overview.margins]).value_counts()
    st.caption("Segments: " + ", ".join(f"{name} {counts.get(name, 0):,}"
                                         for name in ("one-off", "repeat", "retainer"))
               + ". " + SEGMENT_RULE.replace("\n", " "))


# --- pipeline ----------------------------------------------------------------------------


def show_pipeline_board(overview: CreatorsOverview) -> None:
    st.subheader("Pipeline", help=PIPELINE_RULES)
    by_stage: dict[str, list[DealStatus]] = {stage: [] for stage in STAGES}
    for status in overview.statuses:
        by_stage[status.stage].append(status)
    for row in (STAGES[:5], STAGES[5:]):
        columns = st.columns(5)
        for column, stage in zip(columns, row, strict=False):
            with column.container(border=True, key=f"stage_{stage}"):
                st.metric(STAGE_LABELS[stage], f"{overview.stage_counts[stage]:,}")
                names = [s.creator for s in by_stage[stage]]
                if names:
                    more = f" +{len(names) - 4} more" if len(names) > 4 else ""
                    st.caption(", ".join(plain(n) for n in names[:4]) + more)


def late_frame(overview: CreatorsOverview) -> pd.DataFrame:
    return pd.DataFrame([{
        "Creator": s.creator, "Campaign": s.deal.campaign,
        "Due": s.due_day.isoformat() if s.due_day else None, "Days late": s.days_late,
        "Sample value at stake": _dollars(s.sample_value_cents),
        "Extension": "yes" if s.deal.extension else "no",
    } for s in overview.statuses if s.stage == "late"])


def show_late_list(overview: CreatorsOverview, currency: str = "USD") -> None:
    st.subheader("Late deliverables", help=PIPELINE_RULES)
    frame = late_frame(overview)
    if frame.empty:
        st.caption("No creator is late.")
        return
    shown, config = readable(frame, {"Days late": "count", "Sample value at stake": "money"},
                             currency)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
    _downloads(frame, "late_creators", "late_creators")


def deals_frame(overview: CreatorsOverview) -> pd.DataFrame:
    rows = []
    for status in sorted(overview.statuses, key=lambda s: s.creator.casefold()):
        deal = status.deal
        row = {"deal_id": deal.deal_id, "Creator": deal.creator,
               "Stage": STAGE_LABELS[status.stage],
               "Due": status.due_day}
        row.update({_DAY_LABELS[name]: getattr(deal, name) for name in DEAL_DAY_FIELDS})
        row.update({"Extension": deal.extension, "Flat fee": deal.flat_fee_cents / 100,
                    "Retainer": deal.retainer_cents / 100, "Notes": deal.notes or ""})
        rows.append(row)
    columns = ["deal_id", "Creator", "Stage", "Due", *_DAY_LABELS.values(), "Extension",
               "Flat fee", "Retainer", "Notes"]
    return pd.DataFrame(rows, columns=columns)


def deal_changes(before: pd.DataFrame, after: pd.DataFrame) -> tuple[list[tuple], list[int]]:
    """What the editor changed: ``(deal_id or None, creator, values)`` to upsert (new rows
    carry every filled field; blank new rows are ignored) and the deal IDs removed."""
    fields = {label: name for name, label in _DAY_LABELS.items()}
    fields.update({"Extension": "extension", "Flat fee": "flat_fee_cents",
                   "Retainer": "retainer_cents", "Notes": "notes"})
    old = {int(row["deal_id"]): row for _, row in before.iterrows()}
    upserts = []
    kept = set()
    for _, row in after.iterrows():
        deal_id = row.get("deal_id")
        deal_id = None if pd.isna(deal_id) else int(deal_id)
        kept.add(deal_id)
        if deal_id is None and not _editor_value("notes", row.get("Creator")):
            continue  # a row added and left blank
        values = {}
        for label, name in fields.items():
            value = _editor_value(name, row.get(label))
            if deal_id is None or _editor_value(name, old[deal_id].get(label)) != value:
                values[name] = value
        creator = row.get("Creator")
        if deal_id is None or values or creator != old[deal_id]["Creator"]:
            upserts.append((deal_id, creator, values))
    removed = [deal_id for deal_id in old if deal_id not in kept]
    return upserts, removed


def _editor_value(name: str, value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None if name not in ("extension", "flat_fee_cents", "retainer_cents") else (
            False if name == "extension" else 0)
    if name in DEAL_DAY_FIELDS:
        return pd.Timestamp(value).date()
    if name in ("flat_fee_cents", "retainer_cents"):
        return int(round(float(value) * 100))
    if name == "extension":
        return bool(value)
    return str(value).strip() or None


def show_deal_editor(context: ViewContext, overview: CreatorsOverview) -> None:
    st.subheader("Deals", help="Edit a cell, add a row for a new creator or delete one, then "
                 "save. Due = sample delivered + 14 days (+7 with Extension) unless Content "
                 "due (override) is set. The creator deals template on the Import page does "
                 "the same for many deals.")
    if replay.editing_off(context):
        return
    before = deals_frame(overview)
    day = st.column_config.DateColumn
    config = {"deal_id": None, "Stage": st.column_config.TextColumn(disabled=True),
              "Due": day(disabled=True), "Creator": st.column_config.TextColumn(required=True),
              **{label: day(label) for label in _DAY_LABELS.values()},
              "Extension": st.column_config.CheckboxColumn(default=False),
              **{fee: number_column("money", context.campaign.currency, fee,
                                           min_value=0) for fee in ("Flat fee", "Retainer")}}
    edited = st.data_editor(before, column_config=config, hide_index=True, width="stretch",
                            num_rows="dynamic", key="deal_editor")
    if st.button("Save deals", type="primary", key="save_deals"):
        upserts, removed = deal_changes(before, edited)
        ids = {int(row["deal_id"]): row["Creator"] for _, row in before.iterrows()}
        try:
            with edits.writing(context.db_path, context.shop.shop_id) as conn:
                for deal_id in removed:
                    delete_deal(conn, context.shop.shop_id, deal_id)
                for deal_id, creator, values in upserts:
                    if deal_id is not None and creator != ids[deal_id]:
                        delete_deal(conn, context.shop.shop_id, deal_id)  # renamed: re-create
                        values = _full_values(edited, deal_id)
                    upsert_deal(conn, context.shop.shop_id, creator, context.campaign.name,
                                values)
        except ValueError as error:
            st.error(f"Nothing was saved: {plain(error)}")
            return
        st.toast(f"Saved {plural(len(upserts), 'deal')}, removed {len(removed)}.")
        st.rerun()
    st.download_button("Download deals (CSV)", csv_file(before.drop(columns="deal_id")),
                       "creator_deals.csv", "text/csv", key="deals_csv")


def _full_values(frame: pd.DataFrame, deal_id: int) -> dict:
    row = frame[frame["deal_id"] == deal_id].iloc[0]
    values = {name: _editor_value(name, row.get(label)) for name, label in _DAY_LABELS.items()}
    values.update({"extension": _editor_value("extension", row.get("Extension")),
                   "flat_fee_cents": _editor_value("flat_fee_cents", row.get("Flat fee")),
                   "retainer_cents": _editor_value("retainer_cents", row.get("Retainer")),
                   "notes": _editor_value("notes", row.get("Notes"))})
    return values


def show_sample_form(context: ViewContext) -> None:
    if context.replaying:  # the deal editor above says why
        return
    with st.expander("Record a sample shipment"), st.form("sample_form", clear_on_submit=True):
        left, middle, right = st.columns(3)
        creator = left.text_input("Creator username")
        sku = middle.text_input("SKU ID")
        shipped = right.date_input("Shipped on", value=context.window.last_day)
        units = left.number_input("Units", min_value=1, value=1, step=1)
        shipping = middle.number_input("Shipping cost", min_value=0.0, value=0.0, step=0.5)
        if st.form_submit_button("Save sample"):
            try:
                with edits.writing(context.db_path, context.shop.shop_id) as conn:
                    upsert_sample(conn, context.shop.shop_id, creator, sku.strip(), shipped,
                                  int(units), int(round(shipping * 100)),
                                  context.campaign.name)
            except ValueError as error:
                st.error(f"Not saved: {plain(error)}")
                return
            st.toast("Sample saved.")
            st.rerun()


def show_shortlist(context: ViewContext, overview: CreatorsOverview) -> None:
    st.subheader("Re-collaborate shortlist",
                 help="Creators added with Re-collaborate on the Content page.")
    if not overview.shortlist:
        st.caption("Empty: on the Content page, Re-collaborate adds a creator here.")
        return
    frame = pd.DataFrame([{"Creator": e.creator, "Note": e.note or "",
                           "In this campaign's pipeline": "yes" if e.in_pipeline else "no"}
                          for e in overview.shortlist])
    st.dataframe(dashes(frame), hide_index=True, width="stretch")
    _downloads(frame, "recollaborate_shortlist", "recollaborate_shortlist")
    waiting = [e.creator for e in overview.shortlist if not e.in_pipeline]
    if waiting and not context.replaying and st.button(
            f"Start outreach with {plural(len(waiting), 'shortlisted creator')}",
            key="shortlist_outreach"):
        with edits.writing(context.db_path, context.shop.shop_id) as conn:
            for creator in waiting:
                upsert_deal(conn, context.shop.shop_id, creator, context.campaign.name,
                            {"outreach_day": overview.today, "notes": "from the shortlist"})
        st.rerun()


# --- experiments -------------------------------------------------------------------------


def _pct(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{100 * value:.{digits}f}%"


def experiment_frame(results: tuple[ExperimentResult, ...]) -> pd.DataFrame:
    return pd.DataFrame([{
        "Experiment": r.name, "Variant": v.name, "Exposures": v.exposures,
        "Conversions": v.conversions, "Rate %": None if v.rate is None else 100 * v.rate,
        "CI low %": None if v.ci_low is None else 100 * v.ci_low,
        "CI high %": None if v.ci_high is None else 100 * v.ci_high,
        "Lift (pp)": v.lift_pp, "Lift %": v.lift_pct, "p-value": v.p_value,
        "Needed per arm": r.required_per_arm, "SRM p-value": r.srm_p_value,
        "Decision": r.decision,
    } for r in results for v in r.variants])


def rate_chart(result: ExperimentResult) -> alt.Chart:
    frame = pd.DataFrame([{"variant": v.name, "rate": 100 * (v.rate or 0),
                           "low": 100 * (v.ci_low or 0), "high": 100 * (v.ci_high or 0)}
                          for v in result.variants])
    base = alt.Chart(frame).encode(y=alt.Y("variant:N", title=None, sort=None,
                                           axis=alt.Axis(labelLimit=220)))
    bars = base.mark_rule(strokeWidth=3, color=PALETTE[0]).encode(
        x=alt.X("low:Q", title="Rate % (95% Wilson interval)",
                scale=alt.Scale(zero=False)), x2="high:Q")
    points = base.mark_point(filled=True, size=80, color=PALETTE[1]).encode(
        x="rate:Q", tooltip=[alt.Tooltip("variant:N"), alt.Tooltip("rate:Q", format=".2f"),
                             alt.Tooltip("low:Q", format=".2f"),
                             alt.Tooltip("high:Q", format=".2f")])
    return (bars + points).properties(height=alt.Step(32))


def show_experiment(result: ExperimentResult) -> None:
    with st.container(border=True):
        title = plain(result.name)
        tags = [t for t in (result.varies, result.metric) if t]
        st.markdown(f"**{title}**" + (f" · {plain(', '.join(tags))}" if tags else ""))
        # The result in words first; the statistics behind it one click away.
        said = plain(headline(result))
        if result.decision == SRM:
            st.error(said)
        elif result.decision in (UNDERPOWERED, NO_DATA):
            st.info(said)
        elif result.decision.endswith(("better", "worse")):
            st.success(said)
        else:
            st.warning(said)
        if result.observational:
            st.caption("Observational: creators differ in audience, timing and content, so a "
                       "difference is not caused by the creator alone.")
        columns = st.columns(max(2, len(result.variants)))
        for column, variant in zip(columns, result.variants, strict=False):
            lift = "" if variant.lift_pp is None else (
                f"{variant.lift_pp:+.2f} pp" + ("" if variant.lift_pct is None
                                                 else f" ({variant.lift_pct:+.1f}%)"))
            column.metric(f"{plain(variant.name)} ({variant.exposures:,} exposed)",
                          _pct(variant.rate), lift or None,
                          help=f"{variant.conversions:,} conversions. 95% Wilson interval "
                          f"{_pct(variant.ci_low)} – {_pct(variant.ci_high)}. "
                          + _help("experiment_rate"))
        if result.variants and result.variants[0].exposures:
            charts.draw(rate_chart(result), width="stretch")
        if result.required_per_arm and result.progress_pct is not None:
            st.progress(min(1.0, result.progress_pct / 100),
                        text=f"{min(result.progress_pct, 100):.0f}% of the planned data")
        with st.expander("The statistics: p-values, boundaries, sample size"):
            st.markdown(plain(result.verdict))
            facts = []
            if result.p_value is not None:
                facts.append(f"p-value {p_value(result.p_value)} (fixed-sample z-test)")
            if result.latest_z is not None and result.boundary_z is not None:
                facts.append(f"latest z {result.latest_z:.2f} against the O'Brien-Fleming "
                             f"boundary {result.boundary_z:.2f}")
            if result.required_per_arm:
                facts.append(f"needs {result.required_per_arm:,} per arm for "
                             f"{result.mde_pp:g} pp (progress {result.progress_pct:.0f}%)")
            if result.srm_p_value is not None:
                facts.append(f"SRM p-value {p_value(result.srm_p_value)}")
            if result.planned_looks:
                facts.append(f"look {result.looks:,} of {result.planned_looks:,} planned")
            if facts:
                st.caption(" · ".join(facts))


def show_experiments(context: ViewContext, overview: CreatorsOverview) -> None:
    st.subheader("Experiments", help=EXPERIMENT_RULES)
    if not overview.experiments:
        st.info("No experiments yet. Define one below, or import the experiment counts "
                "template (Import page) with exposures and conversions per variant and day.")
    for result in overview.experiments:
        show_experiment(result)
    if overview.experiments:
        _downloads(experiment_frame(overview.experiments), "experiments", "experiments")
    if not replay.editing_off(context):
        show_experiment_form(context)


def show_experiment_form(context: ViewContext) -> None:
    with st.expander("Define an experiment or enter a day's counts"), \
            st.form("experiment_form", clear_on_submit=False):
        name = st.text_input("Experiment name")
        left, middle, right = st.columns(3)
        varies = left.selectbox("What varies", ["hook", "cta", "offer", "creator_segment",
                                                "listing", "creator", "other"])
        metric = middle.selectbox("Metric", ["ctr", "ctor", "conversion"])
        split = right.text_input("Planned split", value="50/50")
        mde = left.number_input("MDE (percentage points)", min_value=0.0, value=0.5,
                                step=0.1)
        baseline = middle.number_input("Baseline rate %", min_value=0.0, max_value=100.0,
                                       value=2.0, step=0.1)
        looks = right.number_input("Planned looks", min_value=1, value=10, step=1)
        st.markdown("Counts of one day (optional)")
        day = st.date_input("Day", value=context.window.last_day)
        counts = st.data_editor(pd.DataFrame({"Variant": ["A", "B"], "Exposures": [0, 0],
                                              "Conversions": [0, 0]}),
                                hide_index=True, num_rows="dynamic", key="experiment_counts")
        if st.form_submit_button("Save experiment"):
            _save_experiment(context, name, {
                "varies": varies, "metric": metric, "planned_split": split.strip() or None,
                "mde_pp": mde or None, "baseline_rate_pct": baseline or None,
                "planned_looks": int(looks)}, day, counts)


def _save_experiment(context: ViewContext, name: str, plan: dict, day: date,
                     counts: pd.DataFrame) -> None:
    rows = [(str(r["Variant"]).strip(), day, int(r["Exposures"] or 0),
             int(r["Conversions"] or 0)) for _, r in counts.iterrows()
            if str(r.get("Variant") or "").strip() and int(r["Exposures"] or 0) > 0]
    if rows:
        plan["variants"] = "/".join(dict.fromkeys(r[0] for r in rows))
    try:
        with edits.writing(context.db_path, context.shop.shop_id) as conn:
            experiment_id = ensure_experiment(conn, context.shop.shop_id, name, plan)
            set_experiment_counts(conn, experiment_id, rows)
    except ValueError as error:
        st.error(f"Not saved: {plain(error)}")
        return
    st.toast("Experiment saved.")
    st.rerun()
