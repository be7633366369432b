"""AppTest runs of every page on the demo store, with a frozen clock.

The values on the cards must be the ones the command line reports for the same view.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from campaign_core.importers.kinds import kind_label
from campaign_core.metrics.catalog import CATALOG
from campaign_core.report import build_report
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from tests.conftest import DEMO_NOW, PROJECT_ROOT
from ui.formatting import compact_money, value_text

APP = str(PROJECT_ROOT / "app.py")
# Every page file, so a page added later is covered without touching this list.
PAGES = sorted(f"pages/{path.name}" for path in (PROJECT_ROOT / "pages").glob("*.py"))


def start(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def expected_cards(db, view: str, day=None) -> dict[str, str]:
    with read_connection(db) as conn:
        campaign = list_campaigns(conn)[0]
        report = build_report(conn, campaign, view,
                              datetime.fromisoformat(DEMO_NOW).astimezone(UTC), day)
    return {CATALOG[name].label: value_text(CATALOG[name], value, campaign.currency,
                                            compact=True)
            for name, value in report["core"].items()}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app_env, page):
    at = start()
    at.switch_page(page).run()
    assert not at.exception
    assert at.title[0].value


@pytest.mark.parametrize("view", ["today", "daily", "period"])
def test_overview_cards_show_the_reported_kpis(app_env, view):
    label = {"today": "Today", "daily": "Daily", "period": "Campaign Period"}[view]
    at = start({"view": label})
    assert not at.exception
    expected = expected_cards(app_env, view)
    shown = {metric.label: metric.value for metric in at.metric if metric.label in expected}
    assert shown == expected
    assert shown["GMV"] != "$0.00"


def test_daily_view_reads_the_day_from_the_link(app_env):
    at = start({"view": "Daily", "day": "2026-11-21"})
    expected = expected_cards(app_env, "daily", date(2026, 11, 21))
    shown = {metric.label: metric.value for metric in at.metric if metric.label in expected}
    assert shown == expected
    assert "Daily: Nov 21, 2026" in at.caption[0].value


def test_header_shows_campaign_day_timezone_and_freshness(app_env):
    caption = start().caption[0].value
    assert "day 7 of 12" in caption
    assert "times in America/Los_Angeles" in caption
    assert "data as of Nov 26" in caption


def test_demo_data_is_labelled(app_env):
    at = start()
    assert any("demo campaign" in info.value for info in at.info)


def test_cards_carry_the_catalog_definition_as_help(app_env):
    at = start()
    gmv = next(m for m in at.metric if m.label == "GMV")
    assert CATALOG["gmv"].definition in gmv.help


def test_import_page_lists_the_demo_imports(app_env):
    at = start()
    at.switch_page("pages/import_data.py").run()
    assert "Import log" in [s.value for s in at.subheader]
    log = at.dataframe[0].value
    assert set(log["status"]) == {"imported"}
    # Every kind the demo writes a file for went through the real importer.
    assert set(log["kind"]) >= {kind_label(kind) for kind in (
        "orders", "product_list", "product_analytics", "stock", "product_costs",
        "benchmarks", "sub_campaigns", "affiliate_orders", "video_data", "live_list",
        "content_flags", "ads_manager", "gmv_max_campaign", "gmv_max_creative",
        "traffic_channels", "settlement", "creator_deals", "creator_fees",
        "sample_shipments", "experiment_counts")}
    # The US shop's three exports; the UK shop (in the same campaign) has its own.
    us_shop = log[log["shop"] == "Glow & Go Beauty (demo)"]
    assert list(us_shop["kind"]).count(kind_label("orders")) == 3
    assert kind_label("ecb_rates") in set(log["kind"])  # the rates of the UK shop's GBP


def test_campaigns_page_shows_the_demo_campaign(app_env):
    at = start()
    at.switch_page("pages/campaigns.py").run()
    table = at.dataframe[0].value
    assert table.loc[0, "campaign"].startswith("Black Friday") and table.loc[0, "days"] == 12


def report_for(db, view: str, day=None, baseline_day=None) -> dict:
    with read_connection(db) as conn:
        campaign = list_campaigns(conn)[0]
        return build_report(conn, campaign, view,
                            datetime.fromisoformat(DEMO_NOW).astimezone(UTC), day, baseline_day)


def markdown_text(at: AppTest) -> str:
    return " ".join(element.value for element in at.markdown)


def test_pacing_block_shows_target_projection_and_need(app_env):
    at = start()
    target = report_for(app_env, "today")["target"]
    block = next(m for m in at.markdown if "the campaign's time gone" in m.value)
    text = block.value.replace("\\", "")
    # Compact on the line, exact on hover.
    assert f"Target {compact_money(target['gmv_target'])}" in text
    assert f"needs {compact_money(target['required_per_day'])}/day" in text
    assert f"target ${target['gmv_target']:,.2f}" in block.help.replace("\\", "")
    assert f"projected ${target['projected_gmv']:,.2f}" in block.help.replace("\\", "")


def test_daily_view_compares_with_the_chosen_baseline_day(app_env):
    at = start({"view": "Daily", "day": "2026-11-25", "baseline": "2026-11-01"})
    baseline = report_for(app_env, "daily", date(2026, 11, 25), date(2026, 11, 1))["baseline"]
    assert baseline["state"] == "ok"
    assert f"**{baseline['difference_pct']:+.1f}%**" in markdown_text(at)
    gmv_card = next(m for m in at.metric if m.label == "GMV")
    assert "Nov 1: $" in gmv_card.help  # every card compares with the same baseline day


def test_benchmarks_fall_back_to_the_day_before_and_say_so(app_env):
    at = start({"view": "Daily", "day": "2026-11-25"})
    assert any("compared with the day before" in info.value for info in at.info)
    table = next(df.value for df in at.dataframe if "benchmark" in df.value.columns)
    assert "GMV" in set(table["metric"])


def test_benchmarks_are_not_shown_in_the_today_view(app_env):
    at = start()
    assert "Benchmarks" not in [s.value for s in at.subheader]


def test_sub_campaigns_of_the_window_are_listed_with_their_gmv(app_env):
    at = start({"view": "Campaign Period"})
    expected = {row["name"]: row["gmv"] for row in report_for(app_env, "period")["sub_campaigns"]
                if row["orders"]}
    table = next(df.value for df in at.dataframe if "sub-campaign" in df.value.columns)
    assert dict(zip(table["sub-campaign"], table["GMV"], strict=True)) == expected


def test_content_mix_uses_the_demos_content_attribution(app_env):
    at = start({"view": "Campaign Period"})
    caption = next(c.value for c in at.caption if c.value.startswith("Content known for"))
    share_unknown = float(caption.split("; ")[1].split("%")[0])
    assert 0 < share_unknown < 90  # the affiliate export and own LIVEs attribute the rest
    assert "Import the affiliate orders export" not in caption  # it is imported
    assert "100% of GMV" not in caption


def test_shop_operations_and_listing_counts_are_shown(app_env):
    at = start()
    labels = [m.label for m in at.metric]
    assert "Awaiting shipment" in labels and "Items sold" in labels
    shown = {m.label: m.value for m in start({"view": "Campaign Period"}).metric}
    # The demo delivers orders within days: delivered follows the delivered times, and the
    # refunded orders are those behind the Refunds card.
    assert int(shown["Delivered"].replace(",", "")) > 0
    assert int(shown["Refunded orders"].replace(",", "")) > 0
    assert any(caption.value.startswith("Refunded orders are the orders behind the Refunds")
               for caption in at.caption)
    assert any(caption.value.startswith("Product listings: active") for caption in at.caption)


def test_backup_and_restore_from_the_import_page(private_app_env):
    at = start()
    at.switch_page("pages/import_data.py").run()
    at.button(key="backup_now").click().run()
    assert any(message.value.startswith("Saved campaign") for message in at.success)
    assert (private_app_env.parent / "backups").is_dir()
    restore = at.button(key="restore_now")
    assert restore.disabled  # nothing is replaced without the confirmation box
    at.checkbox(key="restore_confirm").check().run()
    at.button(key="restore_now").click().run()
    assert not at.exception
    assert any(message.value.startswith("Restored campaign") for message in at.success)


def test_products_page_lists_products_with_stock_counts(app_env):
    at = start({"view": "Campaign Period"})
    at.switch_page("pages/products.py").run()
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert "Out of stock" in labels and "Sells out soon" in labels
    assert "Ad shortlist" in [s.value for s in at.subheader]
