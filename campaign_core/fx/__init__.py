"""Currencies: converting a shop's figures into the workspace's reporting currency.

Rates are per EUR by day (``campaign_core.store.fx_rates``; the ECB's reference rates or
rates typed in for a period). ``convert`` turns each shop-local day's amounts at that day's
rate; ``RateBook`` says which rate a day uses (carried forward up to 7 days) or that it has
none, in which case the figure is not convertible: never converted at 1:1.
"""

from campaign_core.fx.convert import (
    CARRY_FORWARD_DAYS,
    Conversion,
    DayAmounts,
    DayRate,
    RateBook,
    convert_days,
    round_cents,
)

__all__ = ["CARRY_FORWARD_DAYS", "Conversion", "DayAmounts", "DayRate", "RateBook",
           "convert_days", "round_cents"]
