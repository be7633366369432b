"""Rollup tables kept in step with the order lines, so pages read hours, not lines.

``hourly`` maintains ``rollup_hour`` (per shop and UTC hour: GMV, orders, SKU orders, units,
SKU platform discount, shipping platform discount, lines of the paid, non-sample order
lines) inside each import's transaction, for exactly the hours the import touched.
``windows`` splits a window into the whole hours a rollup answers and the partial hours at
its edges that the order lines answer. Distinct buyers and refunds are not additive over
hours, or not exact in floating point when re-added, so they are read from narrow covering
indexes instead (see ``_v8_rollups`` in the schema).
"""
