"""Ad spend, ad revenue and ROAS of the primary ad account; the report's marketing, traffic
and funnel sections; "Optimize now" rules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from campaign_core.importers.pipeline import import_file
from campaign_core.metrics.funnel import Funnel, FunnelDay
from campaign_core.metrics.marketing import ad_hours, ad_totals
from campaign_core.metrics.suggestions import (
    funnel_suggestions,
    roas_suggestions,
    supply_suggestions,
)
from campaign_core.report import build_report
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.ad_accounts import primary_ad_account, set_primary_ad_account
from campaign_core.store.campaigns import list_campaigns
from campaign_core.windows import daily_window, period_window
from tests.marketing_files import (
    ADS_MANAGER_HEADER,
    GMV_MAX_CAMPAIGN_HEADER,
    GMV_MAX_CREATIVE_HEADER,
    campaign_report_name,
    write_csv,
    write_xlsx,
)

TZ = "America/Los_Angeles"
NOW = datetime(2026, 12, 5, tzinfo=UTC)
PERIOD = period_window(date(2026, 11, 20), date(2026, 11, 21), TZ, NOW)


def ads_row(day, cost, revenue, ad="1803000000000000001"):
    return [day, "Group", "1802000000000000001", "Ad", ad, cost, "100", "10", "1", revenue,
            "", "", "", "", "USD"]


def import_rows(db, path_name, rows, tmp_path, preamble=()):
    report = import_file(db, write_csv(tmp_path / path_name, [*preamble, *rows]), timezone=TZ)
    assert report.ok, report.message
    return report


def totals(db, window=PERIOD):
    with read_connection(db) as conn:
        return ad_totals(conn, 1, window)


def test_roas_adds_ads_manager_days_and_gmv_max_periods_inside_the_window(hand_store,
                                                                          tmp_path):
    import_rows(hand_store, "days.csv", [ADS_MANAGER_HEADER,
                                         ads_row("2026-11-20", "$10.00", "$40.00"),
                                         ads_row("2026-11-21", "$10.00", "$20.00"),
                                         ads_row("2026-11-22", "$99.00", "$1.00")], tmp_path)
    inside = write_xlsx(tmp_path / campaign_report_name("2026-11-20", "2026-11-21"),
                        [GMV_MAX_CAMPAIGN_HEADER,
                         ["Max", "1801000000000000001", "$30.00", "", "3", "", "$90.00", "3",
                          "USD"]])
    overlapping = write_xlsx(tmp_path / campaign_report_name("2026-11-21", "2026-11-27"),
                             [GMV_MAX_CAMPAIGN_HEADER,
                              ["Max", "1801000000000000001", "$500.00", "", "3", "",
                               "$90.00", "3", "USD"]])
    assert import_file(hand_store, inside, timezone=TZ).ok
    assert import_file(hand_store, overlapping, timezone=TZ).ok
    result = totals(hand_store)
    assert (result.spend, result.revenue, result.roas) == (Decimal("50.00"),
                                                           Decimal("150.00"), 3.0)
    assert result.periods_left_out == 1
    assert result.currency == "USD"
    assert result.sources == ("ads_manager", "gmv_max")


def test_creative_rows_count_only_where_the_campaign_report_is_missing(hand_store, tmp_path):
    creative = [GMV_MAX_CREATIVE_HEADER,
                ["Max", "1801000000000000001", "1730000000000000001", "Video", "t",
                 "7400000000000000001", "mia", "", "", "", "$20.00", "1", "", "$50.00", "",
                 "", "", "", "", "USD"],
                ["Other", "1801000000000000002", "1730000000000000001", "Video", "t",
                 "7400000000000000002", "mia", "", "", "", "$7.00", "1", "", "$21.00", "",
                 "", "", "", "", "USD"]]
    name = "Glow TikTok Shop-Creative Report(2026-11-20 to 2026-11-21).xlsx"
    assert import_file(hand_store, write_xlsx(tmp_path / name, creative), timezone=TZ).ok
    campaign = write_xlsx(tmp_path / campaign_report_name("2026-11-20", "2026-11-21"),
                          [GMV_MAX_CAMPAIGN_HEADER,
                           ["Max", "1801000000000000001", "$30.00", "", "3", "", "$90.00",
                            "3", "USD"]])
    assert import_file(hand_store, campaign, timezone=TZ).ok
    result = totals(hand_store)
    # campaign 1 from its campaign report (30 / 90); campaign 2 from its creatives (7 / 21)
    assert (result.spend, result.revenue) == (Decimal("37.00"), Decimal("111.00"))


def test_hour_rows_do_not_double_a_day_row_and_feed_the_hourly_chart(hand_store, tmp_path):
    import_rows(hand_store, "hours.csv", [ADS_MANAGER_HEADER,
                                          ads_row("2026-11-20 09:00", "$1.00", "$3.00"),
                                          ads_row("2026-11-20 10:00", "$2.00", "$5.00"),
                                          ads_row("2026-11-21 10:00", "$4.00", "$4.00")],
                tmp_path)
    import_rows(hand_store, "day.csv", [ADS_MANAGER_HEADER,
                                        ads_row("2026-11-21", "$6.00", "$9.00")], tmp_path)
    assert (totals(hand_store).spend, totals(hand_store).revenue) == (Decimal("9.00"),
                                                                      Decimal("17.00"))
    with read_connection(hand_store) as conn:
        hours = ad_hours(conn, 1, daily_window(date(2026, 11, 20), TZ, NOW))
    assert [(h.hour, h.spend, h.revenue) for h in hours] == [
        (9, Decimal("1.00"), Decimal("3.00")), (10, Decimal("2.00"), Decimal("5.00"))]


def test_only_the_primary_account_counts_with_unnamed_reports(hand_store, tmp_path):
    for account, cost in (("Alpha (7300000000000001)", "$10.00"),
                          ("Beta (7300000000000002)", "$100.00")):
        import_rows(hand_store, f"{cost}.csv",
                    [ADS_MANAGER_HEADER, ads_row("2026-11-20", cost, "$200.00")], tmp_path,
                    preamble=[[f"Advertiser: {account}"]])
    import_rows(hand_store, "unnamed.csv",
                [ADS_MANAGER_HEADER, ads_row("2026-11-21", "$5.00", "$5.00")], tmp_path)
    with read_connection(hand_store) as conn:
        assert primary_ad_account(conn, 1).account_id == "7300000000000002"  # most spend
    assert totals(hand_store).spend == Decimal("105.00")
    with write_transaction(hand_store) as conn:
        set_primary_ad_account(conn, 1, "7300000000000001")
    result = totals(hand_store)
    assert (result.account.name, result.spend, result.revenue) == ("Alpha", Decimal("15.00"),
                                                                   Decimal("205.00"))


def test_no_ad_data_has_no_roas(hand_store):
    result = totals(hand_store)
    assert (result.account, result.spend, result.roas) == (None, None, None)


def test_report_has_marketing_traffic_and_funnel_sections(hand_store, tmp_path):
    import_rows(hand_store, "days.csv", [ADS_MANAGER_HEADER,
                                         ads_row("2026-11-20", "$10.00", "$25.00")], tmp_path)
    import_rows(hand_store, "traffic.csv", [
        ["Date", "Channel", "Impressions", "Clicks", "Unique reach", "Unique clicks",
         "SKU orders"], ["2026-11-20", "Video", "1000", "50", "400", "40", "4"]], tmp_path)
    with read_connection(hand_store) as conn:
        report = build_report(conn, list_campaigns(conn)[0], "daily", NOW, date(2026, 11, 20))
    marketing = report["marketing"]
    assert {"creator_videos", "creator_lives", "seller_videos", "seller_lives", "ad_spend",
            "ad_revenue", "roas", "suggestions"} <= set(marketing)
    assert (marketing["ad_spend"], marketing["ad_revenue"], marketing["roas"]) == (10.0, 25.0,
                                                                                 2.5)
    assert report["traffic"] == [{"channel": "Video", "channel_key": "video",
                                  "impressions": 1000,
                                  "impression_share_pct": 100.0, "clicks": 50, "ctr": 5.0,
                                  "sku_orders": 4, "ctor": 8.0}]
    funnel = report["funnel"]
    assert (funnel["avg_unique_reach"], funnel["avg_unique_clicks"],
            funnel["avg_daily_customers"], funnel["click_rate"], funnel["order_rate"]) == (
        400.0, 40.0, 2.0, 10.0, 5.0)


def test_suggestions_state_rule_numbers_and_page():
    below = roas_suggestions(1.8, 3.1)
    assert below[0].rule == "roas_below_benchmark"
    assert "ROAS 1.80 is below your benchmark 3.10" in below[0].text
    assert below[0].page == "pages/products.py"
    assert roas_suggestions(3.5, 3.1) == []
    assert roas_suggestions(0.8, None)[0].rule == "roas_below_one"
    fell = supply_suggestions({"creator_videos": 6}, {"creator_videos": 10}, "Nov 20")
    assert fell[0].text.startswith("Creator video supply fell 40% vs Nov 20 (10 -> 6)")
    assert supply_suggestions({"creator_videos": 8}, {"creator_videos": 10}, "x") == []
    now = Funnel("t", (FunnelDay("d", 100, 10, 1),))
    before = Funnel("t", (FunnelDay("d", 100, 10, 2),))
    assert funnel_suggestions(now, before, "Nov 20")[0].numbers["change_pct"] == -50.0


def test_marketing_benchmarks_average_roas_and_sum_content_counts(hand_store, tmp_path):
    from campaign_core.metrics.suggestions import marketing_benchmarks
    from campaign_core.store.shops import update_shop

    with write_transaction(hand_store) as conn:
        shop = conn.execute("SELECT * FROM shop").fetchone()
        update_shop(conn, shop["shop_id"], name=shop["name"], timezone=shop["timezone"],
                    currency=shop["currency"], category="Beauty", gmv_tier="10k-50k")
    rows = [["Day", "Metric", "Category", "GMV tier", "Value"],
            ["2026-11-20", "roas", "beauty", "10k-50k", "3.0"],
            ["2026-11-21", "ROAS", "Beauty", "10k-50k", "2.0"],
            ["2026-11-20", "creator_videos", "Beauty", "10k-50k", "4"],
            ["2026-11-21", "Creator videos", "Beauty", "10k-50k", "6"],
            ["2026-11-21", "roas", "Fashion", "10k-50k", "9"]]
    import_rows(hand_store, "bench.csv", rows, tmp_path)
    with read_connection(hand_store) as conn:
        assert marketing_benchmarks(conn, 1, PERIOD) == {"roas": 2.5, "creator_videos": 10.0}


def test_a_daily_view_without_its_benchmark_uses_the_day_before(hand_store, tmp_path):
    from campaign_core.metrics.suggestions import marketing_benchmarks
    from campaign_core.store.shops import update_shop

    with write_transaction(hand_store) as conn:
        shop = conn.execute("SELECT * FROM shop").fetchone()
        update_shop(conn, shop["shop_id"], name=shop["name"], timezone=shop["timezone"],
                    currency=shop["currency"], category="Beauty", gmv_tier="T")
    import_rows(hand_store, "bench.csv", [["Day", "Metric", "Category", "GMV tier", "Value"],
                                          ["2026-11-20", "roas", "Beauty", "T", "3.1"]],
                tmp_path)
    with read_connection(hand_store) as conn:
        late = marketing_benchmarks(conn, 1, daily_window(date(2026, 11, 21), TZ, NOW))
        two_late = marketing_benchmarks(conn, 1, daily_window(date(2026, 11, 22), TZ, NOW))
    assert (late, two_late) == ({"roas": 3.1}, {})


def test_content_supply_is_compared_with_its_benchmark_over_the_same_days(hand_store,
                                                                          tmp_path):
    from campaign_core.metrics.marketing_section import marketing_view
    from campaign_core.store.shops import update_shop
    from campaign_core.windows import default_comparison

    with write_transaction(hand_store) as conn:
        shop = conn.execute("SELECT * FROM shop").fetchone()
        update_shop(conn, shop["shop_id"], name=shop["name"], timezone=shop["timezone"],
                    currency=shop["currency"], category="Beauty", gmv_tier="10k-50k")
        # Creator videos: 2 posted on Nov 20, 3 on Nov 21 (noon in Los Angeles).
        for n, day in enumerate((20, 20, 21, 21, 21)):
            posted = int(datetime(2026, 11, day, 20, 0, tzinfo=UTC).timestamp())
            conn.execute("INSERT INTO content (shop_id, content_id, kind, creator, posted_utc,"
                         " source) VALUES (1, :id, 'video', 'someone', :posted, 'api')",
                         {"id": f"73000000000000000{n}", "posted": posted})
    import_rows(hand_store, "bench.csv", [["Day", "Metric", "Category", "GMV tier", "Value"],
                                          ["2026-11-20", "creator_videos", "Beauty",
                                           "10k-50k", "4"]], tmp_path)
    with read_connection(hand_store) as conn:
        campaign = list_campaigns(conn)[0]
        view = marketing_view(conn, campaign, PERIOD, default_comparison(PERIOD), NOW)
    assert view.supply["creator_videos"] == 5  # the window's two days
    # Only Nov 20 has a benchmark: 2 videos that day against 4.
    assert view.benchmark_days == (date(2026, 11, 20), date(2026, 11, 20))
    assert view.supply_on_benchmark_days["creator_videos"] == 2
    assert view.benchmarks["creator_videos"] == 4.0
