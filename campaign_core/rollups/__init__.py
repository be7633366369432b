"""Rollup tables kept in step with the order lines, so pages read hours, not lines.

``hourly`` maintains ``rollup_hour`` (per shop and UTC hour: GMV, orders, SKU orders, units,
SKU platform discount, shipping platform discount, lines of the paid, non-sample order
lines) inside each import's transaction, for exactly the hours the import touched.
``windows`` splits a window into the whole hours a rollup answers and the partial hours at
its edges that the order lines answer. Distinct buyers and refunds are not additive over
hours, or not exact in floating point when re-added, so they are read from narrow covering
indexes instead (see ``_v8_rollups`` in the schema).

Refreshed with the hours (``hourly.refresh_dirty`` / ``rebuild_shop``, the one place imports
and replays bring rollups up to date): ``day_buyers`` (distinct buyers and the set of buyers
per local day), ``order_kinds`` (orders per hour and kind), ``delivered`` (orders delivered
by time per hour), ``attribution`` (the content mix's placing of lines per hour) and
``day_skus`` (the SKU and product rollups per local day, summed from the hourly rows).
"""
