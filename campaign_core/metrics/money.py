"""Money arithmetic: totals are kept in hundredths and rounded once, half up, to cents."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents_to_amount(cents: float | int | Decimal | None) -> Decimal | None:
    """Hundredths (possibly fractional, e.g. a pro-rated refund) -> an amount in cents."""
    if cents is None:
        return None
    if type(cents) is int:  # whole cents: exact, the same Decimal as the division gives
        return Decimal(cents).scaleb(-2)
    return (Decimal(str(cents)) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio_amount(numerator_cents: float | int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` as an amount (e.g. AOV); None when dividing by zero."""
    if not denominator:
        return None
    return (Decimal(str(numerator_cents)) / 100 / denominator).quantize(
        CENT, rounding=ROUND_HALF_UP)
