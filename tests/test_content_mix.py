"""GMV by content type and account from the orders export's Creator Handle and Order Channel.

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


def test_definition_names_the_rule_and_the_coming_affiliate_import():
    for word in ("Creator Handle", "Order Channel", "Unattributed", "affiliate orders export"):
        assert word in CONTENT_MIX_DEFINITION
