"""Video list, LIVE session list, Affiliate Center Video Data, the content flags template and
the Open API video / LIVE responses: detection by headers, stats, idempotency, quarantine."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.demo.content_files import (
    FLAG_HEADERS,
    LIVE_LIST_HEADERS,
    VIDEO_LIST_HEADERS,
    write_table_csv,
)
from campaign_core.importers.content_exports import content_flags_template_csv
from campaign_core.importers.pipeline import import_file
from campaign_core.metrics.content import content_rows
from campaign_core.store import read_connection
from campaign_core.windows import daily_window, period_window
from tests.conftest import TZ

LATER = datetime(2026, 12, 1, tzinfo=UTC)
# The Open API reference's example responses (shop_videos, shop_lives performance), with
# TikTok's placeholder IDs ("172xxx...089") replaced by real-looking ones.
API_VIDEOS = {"code": 0, "message": "Success", "request_id": "2022030707490001", "data": {
    "videos": [{"id": "7500000000000000001", "title": "Video Title",
                "username": "Video Username", "gmv": {"amount": "0", "currency": "USD"},
                "sku_orders": 0, "units_sold": 0, "views": 0, "click_through_rate": "0",
                "products": [{"id": "105000000000000247", "name": "Product Name"}],
                "video_post_time": "2025-01-01 00:00:00"}],
    "latest_available_date": "2024-09-07", "next_page_token": "cGFnZV9udW1iZXI9MQ==",
    "total_count": 10}}
API_LIVES = {"code": 0, "message": "Success", "request_id": "2022030707490001", "data": {
    "live_stream_sessions": [{
        "id": "7500000000000000002", "title": "abxxxxx", "username": "rey20195",
        "start_time": "1623812664", "end_time": "1623812864",
        "sales_performance": {"gmv": {"amount": "99", "currency": "USD"},
                              "products_added": 12, "different_products_sold": 5,
                              "created_sku_orders": 100, "sku_orders": 80, "unit_sold": 122,
                              "customers": 50, "click_to_order_rate": "18%"},
        "interaction_performance": {"acu": 123, "pcu": 1332, "viewers": 18323,
                                    "views": 112993, "likes": 2442,
                                    "product_impressions": 12, "product_clicks": 3882,
                                    "click_through_rate": "13.99%"}}],
    "latest_available_date": "2024-09-07", "next_page_token": "cGFnZV9udW1iZXI9MQ==",
    "total_count": 233}}


def utc(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=ZoneInfo(TZ)).timestamp())


def video_row(video_id: str, **values) -> dict[str, str]:
    row = {"Video ID": video_id + "\t", "Creator": "glowandgo", "Video title": "Haul",
           "Post time": "11/20/2026 09:15:00 AM", "Video views": "12,400", "Likes": "830",
           "Comments": "41", "Shares": "12", "Product impressions": "3,000",
           "Product clicks": "150", "SKU orders": "12", "Video-attributed GMV": "$240.00"}
    row.update(values)
    return row


def rows_of(db: Path, table: str) -> list[dict]:
    with read_connection(db) as conn:
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]  # noqa: S608


def test_video_list_with_preamble_imports_as_own_content(tmp_path):
    path = write_table_csv(tmp_path / "Video Performance List_20261126.csv", VIDEO_LIST_HEADERS,
                           [video_row("7300000000000000011"),
                            video_row("7300000000000000012", **{"Video views": "--"})],
                           preamble=[["Date range: 2026-11-20 ~ 2026-11-20"]])
    db = tmp_path / "s.db"
    report = import_file(db, path, timezone=TZ)
    assert report.ok and report.kind == "video_data", report.message
    assert (report.rows_read, report.rows_stored) == (2, 2)
    content = {r["content_id"]: r for r in rows_of(db, "content")}
    assert content["7300000000000000011"]["seller_listed"] == 1
    assert content["7300000000000000011"]["posted_utc"] == utc(2026, 11, 20, 9, 15)
    stats = {r["content_id"]: r for r in rows_of(db, "content_stats")}
    first = stats["7300000000000000011"]
    assert (first["period_start"], first["period_end"], first["source"]) == \
        ("2026-11-20", "2026-11-20", "video_list")
    assert (first["views"], first["product_clicks"], first["gmv_cents"]) == (12400, 150, 24000)
    assert stats["7300000000000000012"]["views"] is None  # "--" is no value, not zero
    with read_connection(db) as conn:
        rows = {r.content_id: r for r in content_rows(
            conn, 1, daily_window(date(2026, 11, 20), TZ, LATER))}
    own = rows["7300000000000000011"]
    assert own.account == "own" and own.gmv_source == "export"
    assert str(own.gmv) == "240.00" and own.orders == 12
    assert str(own.ctr) == "5.00" and str(own.ctor) == "8.00"  # 150/3000, 12/150
    assert str(own.gpm) == "19.35"  # 240 / 12,400 x 1,000
    again = import_file(db, path, timezone=TZ)
    assert (again.records.new, again.records.updated, again.records.unchanged) == (0, 0, 2)


def test_affiliate_center_video_data_sums_product_rows_and_reads_the_alias(tmp_path):
    headers = ["Video title", "Video ID", "Post date", "Creator name", "Product name",
               "Product ID", "Affiliate video-attributed GMV", "Video-attributed orders",
               "Video-attributed items sold", "Video views", "Likes",
               "Video product impressions", "Video product clicks"]
    common = {"Video title": "Try-on", "Video ID": "7300000000000000021",
              "Post date": "2026-11-21", "Creator name": "glowqueen", "Video views": "5000",
              "Likes": "300"}
    rows = [dict(common, **{"Product ID": "1", "Affiliate video-attributed GMV": "$100.50",
                            "Video-attributed orders": "4", "Video-attributed items sold": "5",
                            "Video product impressions": "800", "Video product clicks": "40"}),
            dict(common, **{"Product ID": "2", "Affiliate video-attributed GMV": "$20.00",
                            "Video-attributed orders": "1", "Video-attributed items sold": "1",
                            "Video product impressions": "200", "Video product clicks": "10"})]
    db = tmp_path / "s.db"
    report = import_file(db, write_table_csv(tmp_path / "video_data.csv", headers, rows),
                         timezone=TZ)
    assert report.ok and report.kind == "video_data", report.message
    [stats] = rows_of(db, "content_stats")
    assert stats["source"] == "affiliate_video_data"
    assert (stats["gmv_cents"], stats["sku_orders"], stats["units"]) == (12050, 5, 6)
    assert (stats["views"], stats["likes"], stats["product_impressions"]) == (5000, 300, 1000)
    [content] = rows_of(db, "content")
    assert content["seller_listed"] == 0 and content["creator"] == "glowqueen"
    with read_connection(db) as conn:
        [row] = content_rows(conn, 1, period_window(date(2026, 11, 20), date(2026, 12, 1), TZ,
                                                    LATER))
    assert row.account == "affiliate"


def test_live_list_sessions_and_bad_rows(tmp_path):
    rows = [
        {"LIVE ID": "7400000000000000031", "LIVE title": "Midnight deals", "Creator":
         "glowandgo", "Start time": "11/26/2026 08:00:00 PM", "End time":
         "11/26/2026 11:30:00 PM", "GMV": "$1,250.00", "Items sold": "60", "Orders": "48",
         "Viewers": "9,100", "Product impressions": "20000", "Product clicks": "900"},
        {"LIVE ID": "7400000000000000032", "Start time": "11/26/2026 09:00:00 PM",
         "End time": "11/26/2026 08:00:00 PM"},  # ends before it starts
        {"LIVE ID": "7400000000000000033", "Start time": "yesterday-ish"},
    ]
    db = tmp_path / "s.db"
    report = import_file(db, write_table_csv(tmp_path / "live.csv", LIVE_LIST_HEADERS, rows),
                         timezone=TZ)
    assert report.ok and report.kind == "live_list", report.message
    assert (report.rows_stored, report.rows_quarantined) == (1, 2)
    reasons = {p.column: p.reason for p in report.problems}
    assert "ends before" in reasons["End time"] and "Start time" in reasons
    [live] = rows_of(db, "content")
    assert live["kind"] == "live" and live["ended_utc"] - live["posted_utc"] == 3.5 * 3600
    [stats] = rows_of(db, "content_stats")
    assert stats["period_start"] == "2026-11-26" and stats["viewers"] == 9100


def test_content_flags_template_marks_violations_and_key_lives(tmp_path):
    template = tmp_path / "content_flags.csv"
    template.write_bytes(content_flags_template_csv())
    db = tmp_path / "s.db"
    report = import_file(db, template, timezone=TZ)
    assert report.ok and report.kind == "content_flags", report.message
    [violation] = rows_of(db, "content_violation")
    assert violation["violation_type"] == "Misleading price claim"
    assert violation["occurred_utc"] == utc(2026, 11, 24, 20, 15)
    flagged = {r["content_id"]: r["is_key_live"] for r in rows_of(db, "content")}
    assert flagged == {"7400000000000000001": 0, "7400000000000000002": 1}
    again = import_file(db, template, timezone=TZ)
    assert (again.records.new, again.records.unchanged) == (0, 2)
    assert len(rows_of(db, "content_violation")) == 1
    bad = write_table_csv(tmp_path / "bad.csv", FLAG_HEADERS,
                          [{"Content ID": "7400000000000000009", "Flag": "maybe"}])
    rejected_row = import_file(db, bad, timezone=TZ)
    assert rejected_row.rows_quarantined == 1
    assert "Flag must be" in rejected_row.problems[0].reason


def test_open_api_video_and_live_responses_map_to_the_same_tables(tmp_path):
    db = tmp_path / "s.db"
    for name, document in (("videos", API_VIDEOS), ("lives", API_LIVES)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document))
        report = import_file(db, path, timezone=TZ)
        assert report.ok, report.message
        assert report.kind == ("video_data" if name == "videos" else "live_list")
    content = {r["content_id"]: r for r in rows_of(db, "content")}
    assert content["7500000000000000001"]["kind"] == "video"
    live = content["7500000000000000002"]
    assert (live["posted_utc"], live["ended_utc"]) == (1623812664, 1623812864)
    assert live["creator"] == "rey20195"
    stats = {r["content_id"]: r for r in rows_of(db, "content_stats")}
    assert stats["7500000000000000002"]["gmv_cents"] == 9900
    assert stats["7500000000000000002"]["source"] == "api"



def test_creator_data_reads_both_gmv_names_and_is_idempotent(tmp_path):
    db = tmp_path / "s.db"
    for name, gmv_header in (("old", "Affiliate-attributed GMV"),
                             ("new", "Creator-attributed GMV")):
        headers = ["Creator name", gmv_header, "Creator video-attributed GMV",
                   "Creator live-attributed GMV", "Attributed orders",
                   "Creator-attributed items sold", "Videos", "LIVE streams",
                   "Est. commission", "Samples shipped"]
        rows = [{"Creator name": "glowqueen", gmv_header: "$1,204.50",
                 "Creator video-attributed GMV": "$1,000.00",
                 "Creator live-attributed GMV": "$204.50", "Attributed orders": "31",
                 "Creator-attributed items sold": "40", "Videos": "3", "LIVE streams": "1",
                 "Est. commission": "$180.68", "Samples shipped": "2"},
                {"Creator name": "", gmv_header: "$5.00", "Attributed orders": "1"}]
        report = import_file(db, write_table_csv(
            tmp_path / f"creators_{name}.csv", headers, rows,
            preamble=[["2026-11-20 ~ 2026-11-26"]]), timezone=TZ)
        assert report.ok and report.kind == "creator_data", report.message
        assert report.rows_quarantined == 1
    [stats] = rows_of(db, "creator_stats")
    assert (stats["creator"], stats["period_start"], stats["period_end"]) == \
        ("glowqueen", "2026-11-20", "2026-11-26")
    assert (stats["gmv_cents"], stats["live_gmv_cents"], stats["orders"], stats["videos"]) == \
        (120450, 20450, 31, 3)
    assert report.records.unchanged == 1  # the second file says the same


def test_xlsx_video_list_with_preamble_super_header_and_definitions(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Video Performance List"
    sheet.append(["Video Performance List"])
    sheet.append(["Date range: 2026-11-20 ~ 2026-11-26"])
    sheet.append(["", "", "", "", "Engagement", "", "", "", "Sales", "", "", ""])
    sheet.append(VIDEO_LIST_HEADERS)
    sheet.append(["The ID of the video.", "The creator of the video.", "The caption.",
                  "When it was posted.", "Times the video was played.", "Likes.", "Comments.",
                  "Shares.", "Product impressions.", "Product clicks.", "SKU orders.",
                  "GMV attributed to the video."])
    sheet.append(["7300000000000000051", "glowandgo", "Serum demo", "2026-11-21 18:00:00",
                  "1,204", "98", "4", "2", "400", "20", "3", "$75.00"])
    path = tmp_path / "Video Performance List_20261126093000.xlsx"
    workbook.save(path)
    db = tmp_path / "s.db"
    report = import_file(db, path, timezone=TZ)
    assert report.ok and report.kind == "video_data", report.message
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (1, 1, 0)
    [stats] = rows_of(db, "content_stats")
    assert (stats["period_start"], stats["period_end"]) == ("2026-11-20", "2026-11-26")
    assert (stats["views"], stats["gmv_cents"]) == (1204, 7500)
