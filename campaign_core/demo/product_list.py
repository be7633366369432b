"""The demo's product list: the shop's products with their listing status, in the template
layout, so the Overview's listing counts have something to count."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from campaign_core.importers.product_list import TEMPLATE_HEADERS

FILE_NAME = "product_list.csv"
# Mostly live listings, a few waiting for review, one or two taken down: a normal shop.
_STATUS_WEIGHTS = (("ACTIVATE", 0.9), ("PENDING", 0.06), ("SELLER_DEACTIVATED", 0.02),
                   ("PLATFORM_DEACTIVATED", 0.02))


def write_demo_product_list(folder: Path, products: list[tuple[str, str]], seed: int) -> Path:
    """Write ``(product_id, name)`` pairs with believable statuses; returns the file path."""
    rng = random.Random(seed)
    statuses, weights = zip(*_STATUS_WEIGHTS, strict=True)
    path = Path(folder) / FILE_NAME
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TEMPLATE_HEADERS)
        for product_id, name in products:
            writer.writerow([product_id, name, rng.choices(statuses, weights)[0]])
    return path
