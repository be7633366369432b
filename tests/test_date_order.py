"""One rule for the order of a file's slash dates: the file settles it, else the market."""

from __future__ import annotations

from datetime import date

import pytest

from campaign_core.importers.dates import (
    DateOrderUnknown,
    market_order,
    range_order,
    slash_order,
)
from campaign_core.importers.keyed_rows import report_period
from campaign_core.importers.product_analytics import period_from_preamble
from campaign_core.importers.reading import FileRejected
from campaign_core.markets import MARKETS


@pytest.mark.parametrize(
    ("texts", "fallback", "expected"),
    [
        (["01/11/2026 10:00:00", "13/11/2026 09:00:00"], None, "dmy"),  # a day above 12
        (["01/11/2026 10:00:00", "11/13/2026 09:00:00"], None, "mdy"),
        (["01/11/2026 10:00:00", "13/11/2026"], "mdy", "dmy"),  # the file beats the market
        (["01/11/2026 10:00:00"], "dmy", "dmy"),  # nothing settles: the market's order
        (["01/11/2026 10:00:00"], "mdy", "mdy"),
        (["2026-11-01 10:00:00", "11/13/2026 09:05:00 PM"], None, "mdy"),  # nothing ambiguous
        (["05/05/2026"], None, "mdy"),  # day equals month: reads the same both ways
    ],
)
def test_the_file_settles_its_slash_order_else_the_market(texts, fallback, expected):
    assert slash_order(texts, fallback) == expected


def test_a_file_that_nothing_settles_is_not_guessed():
    with pytest.raises(DateOrderUnknown, match="01/11/2026"):
        slash_order(["01/11/2026 10:00:00", "02/11/2026 11:00:00"], None)


def test_a_file_mixing_both_orders_is_not_guessed():
    with pytest.raises(DateOrderUnknown, match="mixes"):
        slash_order(["13/11/2026 10:00:00", "11/13/2026 11:00:00"], "dmy")


def test_markets_give_their_order():
    assert market_order(MARKETS["ID"].date_order) == "dmy"
    assert market_order(MARKETS["US"].date_order) == "mdy"
    assert market_order(MARKETS["JP"].date_order) is None  # YYYY/MM/DD is never ambiguous


def test_a_range_that_only_one_reading_keeps_in_order_settles_it():
    # 11 July to 12 June is no range; 7 November to 6 December is.
    assert range_order("07/11/2026", "06/12/2026", None) == "dmy"
    assert range_order("07/11/2026", "06/12/2026", "mdy") == "dmy"


@pytest.mark.parametrize(
    ("preamble", "order", "expected"),
    [
        ([["Analysis date: 07/11/2026~06/12/2026"]], "mdy",
         (date(2026, 11, 7), date(2026, 12, 6))),
        ([["Analysis date: 01/11/2026~05/11/2026"]], "dmy",
         (date(2026, 11, 1), date(2026, 11, 5))),
        ([["Analysis date: 01/11/2026~05/11/2026"]], "mdy",
         (date(2026, 1, 11), date(2026, 5, 11))),
        ([["Date range: 2026-11-01 ~ 2026-11-05"]], None,
         (date(2026, 11, 1), date(2026, 11, 5))),
    ],
)
def test_analysis_date_ranges_follow_the_same_rule(preamble, order, expected):
    assert period_from_preamble(preamble, order) == expected


def test_an_analysis_date_range_nothing_settles_is_rejected_with_the_reason():
    with pytest.raises(FileRejected, match="day-first or month-first"):
        period_from_preamble([["Analysis date: 01/11/2026~05/11/2026"]], None)


def test_file_name_periods_follow_the_same_rule():
    name = "Shop Campaign Report(01/11/2026 to 05/11/2026).xlsx"
    assert report_period(name, [], "dmy") == (date(2026, 11, 1), date(2026, 11, 5))
    assert report_period(name, [], "mdy") == (date(2026, 1, 11), date(2026, 5, 11))


def test_a_video_lists_post_times_share_one_order(tmp_path):
    import csv
    from datetime import UTC, datetime

    from campaign_core.demo.content_files import VIDEO_LIST_HEADERS
    from campaign_core.importers.pipeline import import_file
    from campaign_core.store import read_connection

    path = tmp_path / "Video Performance List_20261201090000.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(VIDEO_LIST_HEADERS)
        writer.writerow(["7300000000000000001", "ani", "Promo", "11/05/2026 10:00:00",
                         "100", "1", "0", "0", "50", "5", "1", "Rp 150.000"])
        writer.writerow(["7300000000000000002", "ani", "Promo 2", "11/13/2026 09:00:00",
                         "100", "1", "0", "0", "50", "5", "1", "Rp 75.000"])
    db = tmp_path / "s.db"
    report = import_file(db, path, timezone="America/Los_Angeles")  # a US shop's zone
    assert report.status == "imported", report.message
    with read_connection(db) as conn:
        posted = dict(conn.execute("SELECT content_id, posted_utc FROM content").fetchall())
    # 11/13 settles month-first for the whole file: 11/05 is 5 November, not 11 May.
    # 10:00 in Los Angeles on 5 November (PST, UTC-8) is 18:00 UTC.
    assert posted["7300000000000000001"] == int(datetime(2026, 11, 5, 18, tzinfo=UTC)
                                                .timestamp())
