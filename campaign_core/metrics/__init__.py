"""Metrics: one catalog of definitions, one query module per dashboard section."""
