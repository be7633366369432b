"""The rules the browser test applies to what a viewer sees (tests/browser/figures.py)."""

import pytest

from tests.browser.figures import raw_figures


@pytest.mark.parametrize("text", [
    "GMV 26203.84", "commission 44.6 orders 3144", "target 347000", "None", "nan",
    "1 product(s)", "rate 0.0451", "1.5e-05", "2.3E+07", "reach 498288", "12,34,567",
])
def test_raw_figures_are_found(text):
    assert raw_figures(text), text


@pytest.mark.parametrize("text", [
    "GMV $26,203.84", "orders 3,144", "CTR 4.0%", "Nov 20 – Dec 01, 2026", "2026-11-20",
    "14:30", "Product ID 1720451541607238108", "Sherpa Throw, 50x60", "UV400", "1.4",
    "day 7 of 12", "$180.1K", "—", "127.0.0.1", "Nonetheless", "1 product, 2 products",
    "p < 0.001", "p-value 0.02",
])
def test_readable_text_passes(text):
    assert raw_figures(text) == [], text
