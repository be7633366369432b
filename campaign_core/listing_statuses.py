"""The product listing statuses the store holds: written by the product list importer,
counted by the Overview's shop operations."""

# Normalised listing statuses, in the order the Overview shows them.
LISTING_STATUSES = ("active", "in_review", "suspended", "draft", "failed", "deleted", "other")
