"""The SQLite store: connections, schema migrations, the single writer."""

from campaign_core.store.connection import (
    DEFAULT_DB_PATH,
    StoreError,
    data_version,
    ensure_store,
    read_connection,
    write_transaction,
)

__all__ = [
    "DEFAULT_DB_PATH",
    "StoreError",
    "data_version",
    "ensure_store",
    "read_connection",
    "write_transaction",
]
