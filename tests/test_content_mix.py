"""GMV by content type and account: from the affiliate orders export, the Order Channel,
own LIVEs' times and the video / LIVE exports, else the orders export's Creator Handle.

All orders are paid on Nov 20, 2026 (shop time); expected slices are worked out by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from campaign_core.demo.order_files import OrderSpec
from campaign_core.importers.pipeline import import_file
from campaign_core.metrics.content_mix import (
    CONTENT_MIX_DEFINITION,
    ContentSlice,
    account_of,
    content_type_of_channel,
    gmv_by_content,
    unattributed_share_pct,
)
from campaign_core.metrics.core import core_kpis
from campaign_core.store import read_connection
from campaign_core.windows import daily_window
from tests.conftest import TZ, line, write_export

LATER = datetime(2026, 12, 1, tzinfo=UTC)
NOV20 = daily_window(date(2026, 11, 20), TZ, LATER)


def _order(number: int, price_cents: int, channel: str, handle: str = "") -> OrderSpec:
    paid = datetime(2026, 11, 20, 9, number)
    return OrderSpec(f"5763000000000000{number:02d}", "Delivered", paid, paid,
                     [line("01", 1, price_cents)], buyer_username=f"buyer{number}",
                     creator_handle=handle, extra={"Order Channel": channel})


def _orders() -> list[OrderSpec]:
    sample = _order(10, 2500, "LIVE", "creator_c")
    sample.lines[0].seller_discount_cents = 2500  # a free creator sample: no GMV
    return [
        _order(1, 1000, "TikTok"),
        _order(2, 10, "TikTok", "creator_a"),
        _order(3, 20, "TikTok", "creator_b"),
        _order(4, 500, "LIVE"),
        _order(5, 700, "Livestream", "creator_a"),
        _order(6, 300, "Short video"),
        _order(7, 200, "Shop Tab"),
        _order(8, 100, "Product card"),
        _order(9, 400, ""),  # an export without Order Channel / Creator Handle
        sample,
    ]


@pytest.fixture
def mix_store(tmp_path):
    db = tmp_path / "store.db"
    report = import_file(db, write_export(tmp_path, _orders()), timezone=TZ)
    assert report.ok, report.message
    return db


def _slices(db, window=NOV20) -> list[ContentSlice]:
    with read_connection(db) as conn:
        return gmv_by_content(conn, 1, window)


def test_slices_split_own_affiliate_and_channels(mix_store):
    assert _slices(mix_store) == [
        ContentSlice("LIVE", "Own", Decimal("5.00"), 1),
        ContentSlice("LIVE", "Affiliate", Decimal("7.00"), 1),
        ContentSlice("Video", "Own", Decimal("3.00"), 1),
        ContentSlice("Product card", "Own", Decimal("3.00"), 2),
        ContentSlice("Unattributed", "Own", Decimal("10.00"), 1),
        ContentSlice("Unattributed", "Affiliate", Decimal("0.30"), 2),
        ContentSlice("Unattributed", "Unattributed", Decimal("4.00"), 1),
    ]


def test_slices_add_up_to_core_gmv_and_orders_to_the_cent(mix_store):
    slices = _slices(mix_store)
    with read_connection(mix_store) as conn:
        kpis = core_kpis(conn, 1, NOV20)
    assert sum(s.gmv for s in slices) == kpis.gmv == Decimal("32.30")
    assert sum(s.orders for s in slices) == kpis.orders == 9
    assert all(s.gmv == s.gmv.quantize(Decimal("0.01")) for s in slices)


def test_unattributed_shares(mix_store):
    slices = _slices(mix_store)
    # Content type unknown: 10.00 + 0.30 + 4.00 = 14.30 of 32.30 = 44.27 %.
    assert unattributed_share_pct(slices) == Decimal("44.3")
    # Account unknown: 4.00 of 32.30 = 12.38 %.
    assert unattributed_share_pct(slices, axis="account") == Decimal("12.4")
    with pytest.raises(ValueError):
        unattributed_share_pct(slices, axis="creator")


def test_a_window_without_orders_has_no_slices_and_no_share(mix_store):
    slices = _slices(mix_store, daily_window(date(2026, 11, 22), TZ, LATER))
    assert slices == [] and unattributed_share_pct(slices) is None


@pytest.mark.parametrize("channel, expected", [
    ("LIVE", "LIVE"), ("TikTok LIVE", "LIVE"), ("livestream", "LIVE"), ("Lives", "LIVE"),
    ("Video", "Video"), ("Short videos", "Video"),
    ("Product card", "Product card"), ("shop tab", "Product card"),
    ("Showcase", "Product card"),
    ("TikTok", "Unattributed"), ("Tokopedia", "Unattributed"), ("Delivery", "Unattributed"),
    ("", "Unattributed"), (None, "Unattributed"),
])
def test_channel_mapping(channel, expected):
    assert content_type_of_channel(channel) == expected


def test_account_rule():
    assert account_of(True, "") == "Affiliate"
    assert account_of(False, "TikTok") == "Own"
    assert account_of(False, "  ") == "Unattributed"


def test_definition_names_every_source_and_no_coming_version():
    for word in ("affiliate orders export", "Order Channel", "Creator Handle", "own LIVE",
                 "video / LIVE exports", "not known"):
        assert word in CONTENT_MIX_DEFINITION
    assert "later version" not in CONTENT_MIX_DEFINITION


# --- with content attribution -----------------------------------------------------------------
# The same orders plus order 11 (6.00, channel TikTok, no handle, paid 9:11), then:
# - the affiliate orders export: order 2 (creator_a) through video V1, order 3 (creator_b)
#   through a showcase, order 5 (creator_a) through LIVE L1, and order 1 through video V9 of
#   "glowshop", one of the shop's linked (own) accounts;
# - an own LIVE of glowshop from 9:08:30 to 9:09:30 without GMV in any export: order 9 (no
#   channel) was paid during it;
# - an own video whose video list export reports 2.50 GMV from 1 order.

LINKED = "glowshop"


def _at(minute: int, second: int = 0) -> int:
    from zoneinfo import ZoneInfo

    return int(datetime(2026, 11, 20, 9, minute, second, tzinfo=ZoneInfo(TZ)).timestamp())


@pytest.fixture
def attributed_store(tmp_path):
    from campaign_core.demo.content_files import AffiliateRowSpec, write_affiliate_csv
    from campaign_core.store import write_transaction
    from campaign_core.store.content import add_linked_account

    db = tmp_path / "store.db"
    orders = [*_orders(), _order(11, 600, "TikTok")]
    assert import_file(db, write_export(tmp_path, orders), timezone=TZ).ok
    sku = line("01", 1, 0).sku_id

    def row(number, creator, kind, content_id, cents):
        return AffiliateRowSpec(f"5763000000000000{number:02d}", sku, "1730000000000000001",
                                creator, kind, content_id, cents, 1,
                                datetime(2026, 11, 20, 9, number))

    affiliate = write_affiliate_csv(tmp_path / "affiliate.csv", [
        row(2, "creator_a", "video", "7300000000000000001", 10),
        row(3, "creator_b", "card", "", 20),
        row(5, "creator_a", "live", "7400000000000000001", 700),
        row(1, LINKED, "video", "7300000000000000009", 1000)])
    assert import_file(db, affiliate, timezone=TZ).ok
    with write_transaction(db) as conn:
        add_linked_account(conn, 1, LINKED)
        conn.execute("INSERT INTO content (shop_id, content_id, kind, title, creator, "
                     "posted_utc, ended_utc, source, seller_listed) VALUES "
                     "(1, '7400000000000000077', 'live', 'Own LIVE', :who, :start, :end, "
                     "'live_list', 1)", {"who": LINKED, "start": _at(8, 30), "end": _at(9, 30)})
        conn.execute("INSERT INTO content (shop_id, content_id, kind, title, creator, "
                     "posted_utc, source, seller_listed) VALUES (1, '7300000000000000088', "
                     "'video', 'Own video', :who, :posted, 'video_list', 1)",
                     {"who": LINKED, "posted": _at(0)})
        conn.execute("INSERT INTO content_stats (shop_id, content_id, period_start, "
                     "period_end, source, gmv_cents, orders) VALUES "
                     "(1, '7300000000000000088', '', '', 'video_list', 250, 1)")
    return db


def test_attribution_places_lines_by_affiliate_rows_channels_own_lives_and_exports(
        attributed_store):
    assert _slices(attributed_store) == [
        ContentSlice("LIVE", "Own", Decimal("9.00"), 2),  # order 4 (channel), 9 (own LIVE)
        ContentSlice("LIVE", "Affiliate", Decimal("7.00"), 1),
        # Order 6 (channel), order 1 (a linked account's video), the own video's 2.50.
        ContentSlice("Video", "Own", Decimal("15.50"), 3),
        ContentSlice("Video", "Affiliate", Decimal("0.10"), 1),
        ContentSlice("Product card", "Own", Decimal("3.00"), 2),
        ContentSlice("Product card", "Affiliate", Decimal("0.20"), 1),
        # Order 11's 6.00 less the 2.50 the video export says its own video sold.
        ContentSlice("Unattributed", "Own", Decimal("3.50"), 1),
    ]


def test_attributed_slices_still_add_up_to_the_core_gmv(attributed_store):
    slices = _slices(attributed_store)
    with read_connection(attributed_store) as conn:
        kpis = core_kpis(conn, 1, NOV20)
    assert sum(s.gmv for s in slices) == kpis.gmv == Decimal("38.30")
    # 3.50 of 38.30 has no known content type.
    assert unattributed_share_pct(slices) == Decimal("9.1")
    # With the affiliate export imported, every line's account is known.
    assert unattributed_share_pct(slices, axis="account") == Decimal("0.0")


def test_the_chart_shows_unknown_content_as_one_grey_bar():
    import pandas as pd

    from ui import charts

    frame = pd.DataFrame([
        {"content type": "LIVE", "account": "Own", "GMV": 9.0, "orders": 2},
        {"content type": "Video", "account": "Affiliate", "GMV": 5.0, "orders": 1},
        {"content type": "Unattributed", "account": "Own", "GMV": 3.5, "orders": 1},
        {"content type": "Unattributed", "account": "Affiliate", "GMV": 1.0, "orders": 1}])
    spec = charts.content_mix_chart(frame, "USD").to_dict()
    rows = next(iter(spec["datasets"].values()))
    unknown = [row for row in rows if row["account"] in ("Own", "Affiliate")
               and row["content type"] == "Content not known"]
    # One colour for the unknown bar, whatever the account; the account stays in the tooltip.
    assert {row["colour"] for row in unknown} == {"Content not known"}
    assert {row["colour"] for row in rows if row["content type"] == "LIVE"} == {"Own"}
    assert "Unattributed" not in {row["content type"] for row in rows}
    assert spec["encoding"]["color"]["field"] == "colour"
