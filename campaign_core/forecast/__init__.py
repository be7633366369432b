"""Forecasts: campaign pacing (with the shop's hour-of-day profile) and stock cover."""
