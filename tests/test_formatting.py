"""One formatter for every figure (campaign_core/formatting.py), by the catalog's kinds."""

from decimal import Decimal

import pytest

from campaign_core import formatting as f
from campaign_core.metrics.catalog import CATALOG, Format


@pytest.mark.parametrize(("value", "currency", "expected"), [
    (26203.84, "USD", "$26,203.84"), (Decimal("-4533.1"), "USD", "-$4,533.10"),
    (15000000 / 100, "IDR", "Rp150.000"), (299000, "VND", "299.000₫"),
    (1234.5, "GBP", "£1,234.50"), (12.5, "EUR", "€12.50"), (1200, "JPY", "¥1,200"),
    (0, "USD", "$0.00"), (-0.001, "USD", "$0.00"), (None, "USD", f.MISSING),
    (float("nan"), "USD", f.MISSING), (5, "XYZ", "XYZ 5.00"),
])
def test_money_uses_the_currency_symbol_minor_units_and_market_marks(value, currency,
                                                                    expected):
    assert f.money(value, currency) == expected


def test_money_follows_the_market_when_given():
    assert f.money(1234.5, "EUR", "DE") == "1.234,50\u00a0€"


@pytest.mark.parametrize(("value", "expected"), [
    (180_100, "$180.1K"), (4533.12, "$4.5K"), (2_400_000, "$2.4M"), (512.3, "$512.30"),
    (-12_000, "-$12.0K"), (None, f.MISSING),
])
def test_compact_money_only_shortens_from_a_thousand(value, expected):
    assert f.compact_money(value, "USD") == expected


@pytest.mark.parametrize(("kind", "value", "expected"), [
    (Format.COUNT, 3144, "3,144"), (Format.COUNT, 738.3, "738"),
    (Format.COUNT, 498288.7, "498,289"), (Format.PERCENT, 4, "4.0%"),
    (Format.PERCENT, 2.2222, "2.2%"), (Format.RATIO, 3.256, "3.26"),
    (Format.DAYS, 1.44, "1.4"), (Format.DAYS, 250.4, "250"),
    (Format.DURATION, 7500, "2 h 5 min"), (Format.DURATION, 2700, "45 min"),
    (Format.MONEY, 44.6, "$44.60"), ("money", 347000, "$347,000.00"),
    (Format.PERCENT, None, f.MISSING), (None, "text", "text"), (None, True, "yes"),
])
def test_value_text_by_kind(kind, value, expected):
    assert f.value_text(kind, value, "USD") == expected


def test_every_catalog_format_has_a_text():
    for metric in CATALOG.values():
        text = f.value_text(metric.format, 1234.5678, "USD")
        assert "1,23" in text and "5678" not in text, (metric.name, text)


@pytest.mark.parametrize(("amount", "expected"), [
    (1, "1 product"), (0, "0 products"), (2, "2 products"), (1024, "1,024 products"),
])
def test_plural_is_written_out(amount, expected):
    assert f.plural(amount, "product") == expected


def test_plural_takes_an_irregular_form():
    assert f.plural(2, "LIVE violation") == "2 LIVE violations"
    assert f.plural(3, "sample unit") == "3 sample units"
    assert f.plural(2, "person", "people") == "2 people"


@pytest.mark.parametrize(("p", "expected"), [
    (0.196, "0.20"), (0.0222, "0.02"), (0.0042, "< 0.01"), (8e-12, "< 0.001"),
    (None, f.MISSING),
])
def test_p_values_never_read_in_e_notation_or_to_many_digits(p, expected):
    assert f.p_value(p) == expected


@pytest.mark.parametrize(("kind", "currency", "expected"), [
    ("money", "USD", ",.2f"), ("money", "IDR", ",.0f"), ("count", "USD", ",.0f"),
    ("percent", "USD", ",.1f"), ("ratio", "USD", ",.2f"),
])
def test_charts_take_the_kind_s_format(kind, currency, expected):
    assert f.d3_format(kind, currency) == expected
