"""The metric catalog: every metric documented, unique, and computed by the core."""

from __future__ import annotations

import dataclasses

from campaign_core.metrics.catalog import CATALOG, CORE_METRICS, METRICS, metric
from campaign_core.metrics.core import CoreKpis


def test_metric_names_are_unique():
    assert len(CATALOG) == len(METRICS)


def test_every_metric_has_a_label_and_a_sentence_of_definition():
    for entry in METRICS:
        assert entry.label.strip(), entry.name
        assert len(entry.definition.split()) >= 3 and entry.definition.endswith("."), entry.name


def test_every_core_metric_is_computed_by_core_kpis():
    computed = {field.name for field in dataclasses.fields(CoreKpis)}
    assert set(CORE_METRICS) == computed


def test_report_contract_keys_are_core_metrics():
    contract = {"gmv", "orders", "sku_orders", "units", "buyers", "aov", "tiktok_contribution",
                "refunds"}
    assert contract <= set(CORE_METRICS)


def test_unknown_metric_names_the_known_ones():
    try:
        metric("gvm")
    except KeyError as error:
        assert "gmv" in str(error)
    else:
        raise AssertionError("an unknown metric must raise")
