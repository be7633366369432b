"""Errors raised by the store."""


class StoreError(Exception):
    """The store cannot be opened or a query was cut off; the message says what to do."""


class StoreVersionError(StoreError):
    """The store was written by a newer version of the dashboard."""
