"""Money read in the currency and number marks of the shop or file: exact, or quarantined."""

from __future__ import annotations

import pytest

from campaign_core.importers.values import CellError, parse_cents
from campaign_core.markets import number_style

IDR = number_style("IDR")
VND = number_style("VND")
USD = number_style("USD")
EUR_DE = number_style("EUR", "DE")
EUR_ES = number_style("EUR", "ES")
EUR_FR = number_style("EUR", "FR")
EUR = number_style("EUR")  # no market: the marks are not known
JPY = number_style("JPY")
BRL = number_style("BRL")
MXN = number_style("MXN")
GBP = number_style("GBP")


@pytest.mark.parametrize(
    ("raw", "style", "hundredths"),
    [
        # Zero-decimal currencies: a dot groups thousands; stored in hundredths all the same.
        ("Rp 150.000", IDR, 15_000_000),
        ("Rp150.000", IDR, 15_000_000),
        ("150.000", IDR, 15_000_000),
        ("Rp 1.250.000", IDR, 125_000_000),
        ("150000", IDR, 15_000_000),
        ("Rp 150.000,00", IDR, 15_000_000),
        ("1.250.000₫", VND, 125_000_000),
        ("299.000₫", VND, 29_900_000),
        ("12.500.000₫", VND, 1_250_000_000),
        ("299.000 ₫", VND, 29_900_000),
        ("¥12,800", JPY, 1_280_000),
        ("12,800", JPY, 1_280_000),
        ("¥980", JPY, 98_000),
        # Decimal comma markets.
        ("1.022,25 €", EUR_DE, 102_225),
        ("1.022,25 €", EUR_ES, 102_225),
        ("12,50 €", EUR_DE, 1_250),
        ("1.234 €", EUR_DE, 123_400),
        ("1\u202f022,25 €", EUR_FR, 102_225),
        ("1 022,25 €", EUR_FR, 102_225),
        ("R$ 1.234,56", BRL, 123_456),
        ("R$ 12,90", BRL, 1_290),
        # Dot decimal markets.
        ("MXN 3,121.71", MXN, 312_171),
        ("$1,022.25", USD, 102_225),
        ("£1,022.25", GBP, 102_225),
        ("1,234", USD, 123_400),
        ("0.500", USD, 50),  # a leading zero cannot start a thousands group
        ("1.5", USD, 150),
        ("-1.022,25 €", EUR_DE, -102_225),
        # Both marks in one figure settle it whatever the currency.
        ("1.022,25", EUR, 102_225),
        ("1,022.25", EUR, 102_225),
        ("12,50", EUR, 1_250),  # a two-digit fraction is never a thousands group
        # A number cell from a spreadsheet is exact in any currency.
        (150000, IDR, 15_000_000),
        (1022.25, EUR_DE, 102_225),
    ],
)
def test_amounts_read_exactly_in_their_currency(raw, style, hundredths):
    assert parse_cents(raw, style=style) == hundredths


@pytest.mark.parametrize(
    ("raw", "style"),
    [
        ("1.234", USD),  # 1.234 dollars or 1,234 dollars written with a dot?
        ("$1.234", USD),
        ("1,234", EUR_DE),  # 1,234 euros (three decimals) or 1.234 written with a comma?
        ("1.234", EUR),  # marks of a EUR file without a market are not known
        ("1,234", EUR),
        ("R$ 1,234", BRL),
    ],
)
def test_figure_with_ambiguous_marks_is_quarantined_with_the_reason(raw, style):
    with pytest.raises(CellError, match="ambiguous"):
        parse_cents(raw, style=style)


@pytest.mark.parametrize(
    ("raw", "style"),
    [
        ("Rp 150.000", USD),  # rupiah in a dollar shop
        ("299.000₫", IDR),
        ("1.022,25 €", USD),
        ("£12.50", USD),
        ("R$ 12,90", EUR_ES),
    ],
)
def test_figure_in_another_currency_is_quarantined(raw, style):
    with pytest.raises(CellError, match="currency"):
        parse_cents(raw, style=style)


@pytest.mark.parametrize(("raw", "style"), [("1.2.3,4,5", IDR), ("12.50.000", IDR),
                                            ("1,22,333", USD)])
def test_broken_thousands_groups_are_not_amounts(raw, style):
    with pytest.raises(CellError):
        parse_cents(raw, style=style)


def test_without_a_style_amounts_read_as_before():
    assert parse_cents("$1,022.25") == 102_225
    assert parse_cents("17.5") == 1_750
