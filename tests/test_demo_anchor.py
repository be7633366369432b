"""The demo is anchored on the shop's "now", not the server's date: built at an instant that
is evening in Los Angeles but already the next day in UTC, it is day 7 of 12 on the shop's
date, and nothing in the store happened after that instant."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from campaign_core.demo.build import build_demo, demo_now
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from campaign_core.windows import today_window

# 19:30 on Nov 26 in Los Angeles = 03:30 on Nov 27 in UTC.
US_EVENING = datetime(2026, 11, 27, 3, 30, tzinfo=UTC)
SHOP_DAY = date(2026, 11, 26)
TZ = "America/Los_Angeles"
# Stamps of when a row was written (the build's wall clock, not an event of the shop) and
# the edges of rollup buckets: not moments of the demo's story.
WRITE_STAMPS = {("shop", "created_utc"), ("product", "listing_updated_utc"),
                ("creator_deal", "updated_utc"),
                ("experiment", "created_utc"), ("alert_rule", "created_utc"),
                ("import_log", "started_utc"), ("import_log", "finished_utc"),
                # a day bucket's end: today's runs until midnight, past now
                ("rollup_day_buyers", "day_end_utc"), ("rollup_day_sku", "day_end_utc"),
                ("rollup_day_product", "day_end_utc"), ("rollup_day_buyer_set", "day_end_utc"),
                # who built the demo, and when, by the wall clock (store/audit.py)
                ("audit_log", "at_utc"), ("shop_logo", "updated_utc"),
                ("holdout", "created_utc"), ("gmv_max_target", "entered_utc")}
# Plans, not events: sub-campaigns scheduled for the campaign's later days, and the span
# their file covers.
PLANS = {("sub_campaign", "start_utc"), ("sub_campaign", "end_utc"),
         ("import_log", "first_time_utc"), ("import_log", "last_time_utc")}


def test_demo_now_is_the_shop_time_of_the_instant():
    anchor = demo_now(now=US_EVENING)
    assert anchor.date() == SHOP_DAY and (anchor.hour, anchor.minute) == (19, 30)
    assert anchor.utcoffset() == ZoneInfo(TZ).utcoffset(datetime(2026, 11, 26))
    # The shop's own date given as --today: still "now".
    assert demo_now(today=SHOP_DAY, now=US_EVENING) == anchor
    # Another day: a reproducible mid-afternoon on it.
    other = demo_now(today=date(2026, 11, 20), now=US_EVENING)
    assert (other.date(), other.hour, other.minute) == (date(2026, 11, 20), 14, 30)


@pytest.fixture(scope="module")
def evening_store(tmp_path_factory) -> sqlite3.Connection:
    db = tmp_path_factory.mktemp("evening") / "campaign.db"
    build_demo(db, now=US_EVENING, seed=7)
    return db


def test_the_shop_date_is_day_7_of_12(evening_store):
    with read_connection(evening_store) as conn:
        campaign = list_campaigns(conn)[0]
    today = today_window(US_EVENING, campaign.timezone).last_day
    assert today == SHOP_DAY
    assert ((today - campaign.start_day).days + 1, campaign.length_days) == (7, 12)


def _instant_columns(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return [(table, column[1]) for table in tables
            for column in conn.execute(f"PRAGMA table_info('{table}')")
            if column[1].endswith("_utc")]


def test_nothing_in_the_store_lies_after_now(evening_store):
    now = int(US_EVENING.timestamp())
    later = {}
    with read_connection(evening_store) as conn:
        columns = _instant_columns(conn)
        assert {("orders", "paid_utc"), ("alert_event", "fired_utc"),
                ("content", "posted_utc"), ("ad_day", "start_utc")} <= set(columns)
        for table, column in columns:
            if (table, column) in WRITE_STAMPS | PLANS:
                continue
            count = conn.execute(f'SELECT COUNT(*) FROM "{table}" '  # noqa: S608
                                 f'WHERE "{column}" > :now', {"now": now}).fetchone()[0]
            if count:
                later[f"{table}.{column}"] = count
        orders_today = conn.execute(
            "SELECT COUNT(*) FROM orders WHERE paid_utc >= :midnight",
            {"midnight": int(datetime(2026, 11, 26, tzinfo=ZoneInfo(TZ)).timestamp())}
        ).fetchone()[0]
    assert later == {}
    assert orders_today > 300  # the day so far is there, only nothing after now


def test_late_creators_read_the_same_in_the_alert_log_and_the_pipeline(evening_store):
    import re

    from campaign_core.creators.pipeline import deal_statuses, late_list

    with read_connection(evening_store) as conn:
        campaign = list_campaigns(conn)[0]
        messages = [row[0] for row in conn.execute(
            "SELECT message FROM alert_event WHERE alert_key LIKE 'creator:%'")]
        late = late_list(deal_statuses(conn, campaign.shop_id, campaign.timezone, SHOP_DAY,
                                       campaign.name))
    alerted = {}
    for message in messages:
        match = re.match(r"(.+)'s content was due (\w+ \d+) \((\d+) days ago\)", message)
        alerted[match.group(1)] = (match.group(2), int(match.group(3)))
    assert alerted and alerted == {
        s.creator: (f"{s.due_day:%b %d}", s.days_late) for s in late if s.days_late > 0}


def test_the_demo_reads_as_one_beauty_shop(evening_store):
    from campaign_core.demo.sub_campaigns import black_friday

    with read_connection(evening_store) as conn:
        categories = {row[0] for row in conn.execute(
            "SELECT DISTINCT category FROM product WHERE category IS NOT NULL")}
        lives = conn.execute(
            "SELECT c.title, c.creator, c.posted_utc, s.viewers, s.orders FROM content AS c "
            "JOIN content_stats AS s ON s.shop_id = c.shop_id AND s.content_id = c.content_id "
            "WHERE c.kind = 'live'").fetchall()
    assert categories and not categories & {"Home Supplies", "Fashion Accessories"}
    zone = ZoneInfo(TZ)
    for title, _, posted, _, _ in lives:
        day = datetime.fromtimestamp(posted, zone).date()
        if "Black Friday" in title:
            assert day == black_friday(day.year), title
    creators = [row for row in lives if not row[1].startswith("glowandgo")]
    audiences = sorted(row[3] for row in creators)
    # Affiliate LIVEs reach audiences of very different sizes, not one floor value.
    assert len(set(audiences)) == len(audiences) and audiences[-1] >= 5 * audiences[0]


def test_the_command_line_reads_now_as_the_app_does(monkeypatch):
    from campaign_core.cli import _demo_clock, build_parser

    assert build_parser().parse_args(["demo", "--now", "2026-11-26T19:30"]).now
    # --now without an offset is shop time, as report --now reads it.
    assert _demo_clock("2026-11-26T19:30") == US_EVENING
    # CAMPAIGN_NOW is read as the app reads it (no offset: UTC), so both agree.
    monkeypatch.setenv("CAMPAIGN_NOW", "2026-11-27T03:30:00")
    assert _demo_clock(None) == US_EVENING
    monkeypatch.delenv("CAMPAIGN_NOW")
    assert _demo_clock(None) is None
