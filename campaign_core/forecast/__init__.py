"""Forecasts: campaign pacing now; stock cover comes with the products page."""
