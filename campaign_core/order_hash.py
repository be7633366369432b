"""The content hash of an order: what tells a re-exported order unchanged from an updated one.

Below both the importers, which compute it as they parse, and the store, which compares it
with the stored one (``store/orders_writer.py``): a word both layers need lives here, below
them.
"""

from __future__ import annotations

import hashlib
import marshal


def content_hash(order_values: tuple, line_values: list[tuple]) -> str:
    """SHA-256 of an order's values (``ORDER_CONTENT`` order) and its lines' values
    (``LINE_CONTENT`` order, see ``importers/orders.py``): equal exactly when an export says
    the same about the order.

    Values are None, int or str. ``marshal`` format 2 writes each value in full, never as a
    reference to an earlier equal object, so equal values give equal bytes."""
    return hashlib.sha256(marshal.dumps([order_values, *line_values], 2)).hexdigest()
