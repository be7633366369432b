"""The markets table: every market's facts, and order statuses in the markets' words."""

from __future__ import annotations

import unicodedata

import pytest

from campaign_core.formatting import money
from campaign_core.importers.values import parse_cents
from campaign_core.markets import (
    LOCAL_STATUSES,
    MARKETS,
    STATUSES,
    date_order_of,
    normalise_status,
    number_style,
    shop_market,
)


def test_the_twenty_markets_each_have_currency_marks_order_and_zone():
    assert set(MARKETS) == {"US", "GB", "ID", "MY", "TH", "VN", "PH", "SG", "ES", "IE", "DE",
                            "FR", "IT", "MX", "JP", "BR", "AT", "BE", "NL", "PL"}
    for market in MARKETS.values():
        assert market.decimal_mark != market.thousands_mark
        assert market.date_order in ("DMY", "MDY", "YMD")
    assert {m.currency.code for m in MARKETS.values() if m.currency.minor_units == 0} == {
        "IDR", "VND", "JPY"}


def test_every_status_table_is_a_market_and_maps_into_the_status_set():
    assert set(LOCAL_STATUSES) <= set(MARKETS)
    for words in LOCAL_STATUSES.values():
        assert set(words.values()) <= set(STATUSES) - {"other"}


@pytest.mark.parametrize(
    ("raw", "status"),
    [("Selesai", "completed"), ("Dikirim", "shipped"), ("Perlu dikirim", "awaiting_shipment"),
     ("Dibatalkan", "cancelled"), ("Belum dibayar", "unpaid"), ("Đã hủy", "cancelled"),
     (unicodedata.normalize("NFD", "Đã hủy"), "cancelled"), (" COMPLETED ", "completed"),
     ("Canceled", "cancelled"), ("Status baru", "other")],
)
def test_local_statuses_map_to_the_english_status_set(raw, status):
    assert normalise_status(raw) == status


def test_a_shops_market_from_its_currency_and_zone():
    assert shop_market("EUR", "Europe/Berlin").code == "DE"
    assert shop_market("EUR", "America/New_York") is None  # five markets use the euro
    assert shop_market(None, "Asia/Jakarta").code == "ID"
    assert shop_market("USD", "America/New_York").code == "US"
    assert date_order_of("EUR", "America/New_York") == "DMY"  # every euro market agrees
    assert number_style("IDR").thousands_mark == "."
    assert not number_style("EUR").marks_known


def test_the_markets_reported_from_june_2026_have_their_zone_marks_and_dates():
    zones = {code: MARKETS[code].timezone for code in ("AT", "BE", "NL", "PL")}
    assert zones == {"AT": "Europe/Vienna", "BE": "Europe/Brussels",
                     "NL": "Europe/Amsterdam", "PL": "Europe/Warsaw"}
    assert shop_market("EUR", "Europe/Brussels").code == "BE"
    assert shop_market("EUR", "Europe/Amsterdam").code == "NL"
    assert shop_market(None, "Europe/Warsaw").code == "PL"
    assert shop_market("PLN", "America/New_York").code == "PL"  # one market uses the zloty
    assert shop_market("EUR", "America/New_York") is None  # still several euro markets
    assert date_order_of("EUR", None) == "DMY"
    assert date_order_of("PLN", None) == "DMY"


def test_polish_zloty_is_written_after_the_number_with_polish_marks():
    style = number_style("PLN")
    assert (style.currency.symbol, style.currency.minor_units) == ("zł", 2)
    assert (style.decimal_mark, style.thousands_mark) == (",", "\u00a0")
    assert money(1234.56, "PLN") == "1\u00a0234,56\u00a0zł"
    assert money(1234.56, "EUR", "NL") == "€1.234,56"
    assert money(1234.56, "EUR", "AT") == "€1.234,56"
    assert parse_cents("1 234,56 zł", style=style) == 123456
    assert parse_cents("1234,56 zł", style=style) == 123456  # CLDR leaves 4 digits ungrouped
    assert parse_cents("12 345 PLN", style=style) == 1234500
