"""The Products page's blocks: filter chips, column chooser, product grid, SKU detail with
its actions (add stock, ad shortlist), restock plan and shortlist exports, top products."""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from campaign_core.forecast.stock_cover import OUT_OF_STOCK, SELLS_OUT_SOON, STOCK_COVER_DEFINITION
from campaign_core.metrics.products import PRODUCT_COLUMNS, ProductRow
from campaign_core.store.actions import (
    add_restock_plan,
    add_to_ad_shortlist,
    remove_from_ad_shortlist,
)
from campaign_core.store.costs import set_unit_cost
from ui import charts, data, edits, replay, share
from ui.downloads import csv_file, xlsx_file
from ui.formatting import MISSING, plain, plural, value_text
from ui.grid import show_grid
from ui.header import ViewContext
from ui.tables import dashes, readable

FILTERS = ("All products", "Campaign products", "Out of stock", "Selling out")
DEFAULT_COLUMNS = ("name", "gmv", "units", "orders", "ctr", "available", "days_of_cover",
                   "status")
_LABELS = {column.name: column.label for column in PRODUCT_COLUMNS}
_KINDS = {column.name: column.format for column in PRODUCT_COLUMNS
          if column.format in ("money", "count", "percent", "days")}
# Why a cell of these columns can be empty (shown on hover in the grid).
_MISSING_REASONS = {
    "impressions": "No traffic export period lies inside this window.",
    "clicks": "No traffic export period lies inside this window.",
    "ctr": "No traffic export period lies inside this window.",
    "add_to_cart_rate": "No traffic export period lies inside this window.",
    "conversion": "No clicks in this window's traffic exports.",
    "available": "No stock snapshot yet: import a stock file.",
    "days_of_cover": "No stock snapshot or no sales to work the cover out from.",
    "unit_cost": "No unit cost yet: set it in the product's detail or import costs.",
    "gross_margin": "Unknown while a sold SKU has no unit cost.",
}
# On a phone the list shows these; the rest is one tap away (the product's detail).
PHONE_COLUMNS = ("name", "days_of_cover", "status")


def show_alert_counts(rows: list[ProductRow]) -> str:
    """Counts as metric cards, and the filter chips; returns the chosen filter."""
    out = sum(row.status == OUT_OF_STOCK for row in rows)
    soon = sum(row.status == SELLS_OUT_SOON for row in rows)
    left, right, chips = st.columns([1, 1, 3], vertical_alignment="bottom")
    left.metric("Out of stock", out, border=True, help="Products whose SKUs have no "
                "available units by the latest stock snapshot.")
    right.metric("Sells out soon", soon, border=True, help=STOCK_COVER_DEFINITION)
    with chips:
        return st.segmented_control("Show", FILTERS, default=FILTERS[0], required=True,
                                    **share.url_bound("product_filter"))


def filtered(rows: list[ProductRow], choice: str) -> list[ProductRow]:
    keep = {"Campaign products": lambda r: r.campaign_product,
            "Out of stock": lambda r: r.status == OUT_OF_STOCK,
            "Selling out": lambda r: r.status in (OUT_OF_STOCK, SELLS_OUT_SOON)}.get(choice)
    return [row for row in rows if keep is None or keep(row)]


def choose_columns() -> list[str]:
    """The metric columns to show, from the whitelist; remembered for the session."""
    chosen = st.multiselect("Columns", [c.name for c in PRODUCT_COLUMNS if c.name != "product_id"],
                            default=list(DEFAULT_COLUMNS), format_func=_LABELS.get,
                            key="product_columns", persist_state="session")
    return ["product_id", *[name for name in chosen if name != "product_id"]]


WHY = "How the cover was worked out"


def product_frame(rows: list[ProductRow], columns: list[str]) -> pd.DataFrame:
    """The chosen columns, plus the stock explanation the days-of-cover cell shows on hover."""
    labels = [_LABELS[name] for name in columns]
    return pd.DataFrame([{**{_LABELS[name]: _cell(getattr(row, name)) for name in columns},
                          WHY: row.stock_explanation} for row in rows],
                        columns=[*labels, WHY])


def _text(name: str, value, currency: str) -> str:
    """A product figure as text, by its column's kind."""
    if value is None:
        return MISSING
    if isinstance(value, date):
        return f"{value:%b %d, %Y}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value_text(_KINDS.get(name), value, currency)


def _cell(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 1 if abs(value) >= 1 else 2)  # days of cover, rates
    if value is None or isinstance(value, bool | int | str):
        return value
    return float(value)  # Decimal money, already whole cents


def show_products(context: ViewContext, rows: list[ProductRow], columns: list[str]) -> None:
    frame = product_frame(rows, columns)
    with st.container(key="wide_products_grid"):
        selected = show_grid(frame, key="products_grid", pinned=_LABELS.get("name"),
                             number_columns={_LABELS[c.name]: c.label for c in PRODUCT_COLUMNS
                                             if c.format in ("money", "count", "percent",
                                                             "days")},
                             kinds={_LABELS[name]: kind for name, kind in _KINDS.items()},
                             currency=context.campaign.currency,
                             missing_reasons={_LABELS[name]: reason for name, reason
                                              in _MISSING_REASONS.items()},
                             tooltips={_LABELS["days_of_cover"]: WHY, _LABELS["status"]: WHY},
                             hidden=[WHY])
    with st.container(key="phone_products_list"):
        tapped = _phone_list(rows)
    csv_column, xlsx_column = st.columns(2)
    csv_column.download_button("Download products (CSV)", csv_file(frame),
                               icon=":material/download:", mime="text/csv",
                               file_name=f"products-{context.window.first_day}.csv")
    xlsx_column.download_button(
        "Download products (Excel)", xlsx_file(frame, "Products"), icon=":material/download:",
        file_name=f"products-{context.window.first_day}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    product_id = str(selected[_LABELS["product_id"]]) if selected else tapped
    row = next((r for r in rows if r.product_id == product_id), None)
    if row is not None:
        show_product_detail(context, row, columns)
    else:
        st.caption("Select a product to see its SKUs, add stock or put it on the ad "
                   "shortlist.")


def _phone_list(rows: list[ProductRow]) -> str | None:
    """Three columns a phone can show (product, days of cover, status); a tap on a row
    opens the product with all its figures. Returns the tapped product's ID."""
    frame = pd.DataFrame([{_LABELS[name]: _cell(getattr(row, name)) for name in PHONE_COLUMNS}
                          for row in rows], columns=[_LABELS[name] for name in PHONE_COLUMNS])
    event = st.dataframe(frame, hide_index=True, width="stretch", key="products_phone_list",
                         on_select="rerun", selection_mode="single-row", column_config={
                             # Widths that fit a 360 px phone beside the tick box.
                             _LABELS["name"]: st.column_config.TextColumn(width=150),
                             _LABELS["days_of_cover"]: st.column_config.NumberColumn(
                                 "Days", format="%.1f", help=STOCK_COVER_DEFINITION,
                                 width=56),
                             _LABELS["status"]: st.column_config.TextColumn("Status",
                                                                            width=110)})
    picked = event.selection.rows if event is not None else []
    return rows[picked[0]].product_id if picked and picked[0] < len(rows) else None


def show_product_detail(context: ViewContext, row: ProductRow,
                        columns: list[str] | None = None) -> None:
    st.subheader(plain(row.name or row.product_id))
    st.caption(plain(row.stock_explanation))
    with st.container(key="phone_product_figures"):
        # On a phone the list shows three columns: here are the others, as text.
        st.dataframe(pd.DataFrame([
            {"Figure": _LABELS[name], "Value": _text(name, getattr(row, name),
                                                     context.campaign.currency)}
            for name in (columns or DEFAULT_COLUMNS) if name not in ("name",)]),
            hide_index=True, width="stretch")
    skus = pd.DataFrame([{
        "SKU ID": sku.sku_id, "Seller SKU": sku.seller_sku, "Variation": sku.variation,
        "GMV": float(sku.gmv), "Units": sku.units, "Available": sku.available,
        "Inbound": sku.inbound,
        "Days of cover": None if sku.days_of_cover is None else round(sku.days_of_cover, 1),
        "Stock-out date": sku.stockout_date.isoformat() if sku.stockout_date else None,
        "Status": sku.status, "Unit cost": None if sku.unit_cost is None else float(sku.unit_cost),
        "Why": sku.stock_explanation} for sku in row.skus])
    shown, config = readable(skus, {"GMV": "money", "Units": "count", "Available": "count",
                                    "Inbound": "count", "Days of cover": "days",
                                    "Unit cost": "money"}, context.campaign.currency)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
    if replay.editing_off(context):
        return
    stock, ads = st.columns(2)
    with stock, st.form("add_stock"):
        st.markdown("**Add stock**")
        sku_id = st.selectbox("SKU", [sku.sku_id for sku in row.skus])
        quantity = st.number_input("Units on the way", min_value=1, value=100, step=10)
        expected = st.date_input("Expected", value=date.today() + timedelta(days=3))
        if st.form_submit_button("Add stock", type="primary"):
            with edits.writing(context.db_path, context.shop.shop_id) as conn:
                add_restock_plan(conn, context.shop.shop_id, sku_id, int(quantity), expected)
            st.rerun()
    with stock, st.form("unit_cost"):
        st.markdown("**Unit cost**")
        cost_sku = st.selectbox("SKU ", [sku.sku_id for sku in row.skus])
        cost = st.number_input(f"Unit cost ({plain(context.campaign.currency)})", min_value=0.0,
                               step=0.5, format="%.2f")
        valid_from = st.date_input("Valid from", value=date.today(),
                                   help="Costs apply from this day on; earlier sales keep "
                                        "the cost valid on their day.")
        if st.form_submit_button("Save cost"):
            with edits.writing(context.db_path, context.shop.shop_id) as conn:
                set_unit_cost(conn, context.shop.shop_id, cost_sku,
                              int(round(cost * 100)), valid_from, context.campaign.currency)
            st.rerun()
    with ads:
        shortlist, _ = data.shortlist_and_plans(context.db_path, context.version,
                                                context.shop.shop_id)
        on_list = row.product_id in shortlist
        if st.button("Remove from ad shortlist" if on_list else "Add to ad shortlist",
                     icon=":material/campaign:", key="shortlist_toggle"):
            with edits.writing(context.db_path, context.shop.shop_id) as conn:
                (remove_from_ad_shortlist if on_list else add_to_ad_shortlist)(
                    conn, context.shop.shop_id, row.product_id)
            st.rerun()
        if on_list and row.status in (OUT_OF_STOCK, SELLS_OUT_SOON):
            st.warning("This product is on the ad shortlist but " + plain(row.status)
                       + ": ads would sell what cannot ship.")


def show_plans_and_shortlist(context: ViewContext, rows: list[ProductRow]) -> None:
    shortlist, plans = data.shortlist_and_plans(context.db_path, context.version,
                                                context.shop.shop_id)
    by_id = {row.product_id: row for row in rows}
    left, right = st.columns(2)
    with left:
        st.subheader("Restock plan")
        if plans:
            frame = pd.DataFrame(plans).drop(columns=["plan_id"])
            st.dataframe(dashes(frame), hide_index=True, width="stretch")
            st.download_button("Download restock plan (CSV)", csv_file(frame),
                               file_name="restock-plan.csv", mime="text/csv")
        else:
            st.caption("No stock on its way yet: select a product and use Add stock.")
    with right:
        st.subheader("Ad shortlist")
        if shortlist:
            frame = pd.DataFrame([{
                "Product ID": pid, "Product": by_id[pid].name if pid in by_id else None,
                "GMV": float(by_id[pid].gmv) if pid in by_id else None,
                "Units": by_id[pid].units if pid in by_id else None,
                "Days of cover": by_id[pid].days_of_cover if pid in by_id else None,
                "Stock status": by_id[pid].status if pid in by_id else None}
                for pid in shortlist])
            risky = frame[frame["Stock status"].isin([OUT_OF_STOCK, SELLS_OUT_SOON])]
            if not risky.empty:
                st.warning("Selling out or out of stock: "
                           f"{plural(len(risky), 'shortlisted product')}. Pause their ads "
                           "or restock first.")
            shown, config = readable(frame, {"GMV": "money", "Units": "count",
                                             "Days of cover": "days"},
                                     context.campaign.currency)
            st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
            st.download_button("Download for Ads Manager (CSV)", csv_file(frame),
                               file_name="ad-shortlist.csv", mime="text/csv")
        else:
            st.caption("No products on the ad shortlist yet.")


def show_top_products(context: ViewContext, rows: list[ProductRow]) -> None:
    top = sorted(rows, key=lambda r: r.gmv, reverse=True)[:10]
    if not top or not top[0].gmv:
        return
    frame = pd.DataFrame([{"product": (r.name or r.product_id)[:40], "GMV": float(r.gmv),
                           "units": r.units} for r in top])
    currency = context.campaign.currency
    frame = charts.with_texts(frame, {"GMV": "money", "units": "count"}, currency)
    chart = (alt.Chart(frame, title=f"Top products by GMV, {context.window.describe()}")
             .mark_bar(color=charts.PRIMARY)
             .encode(y=alt.Y("product:N", sort="-x", title=None),
                     x=alt.X("GMV:Q", title=f"GMV ({context.campaign.currency})"),
                     tooltip=[alt.Tooltip("product:N"),
                              alt.Tooltip("GMV text:N", title="GMV"),
                              alt.Tooltip("units text:N", title="units")])
             .properties(height=alt.Step(24)))
    charts.draw(charts.with_marks(chart, currency), width="stretch")
