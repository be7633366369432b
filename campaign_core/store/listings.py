"""The vocabulary of the product table's ``listing_status`` column.

The product list importer writes these values and the Overview counts them, so they live
with the store both layers use.
"""

# Normalised listing statuses, in the order the Overview shows them.
LISTING_STATUSES = ("active", "in_review", "suspended", "draft", "failed", "deleted", "other")
