"""What differs between the store's engines, one module per engine (docs/postgresql.md).

SQLite stays the default store; PostgreSQL is being prepared. Nothing outside this package
depends on it yet.
"""
