"""store stage: persistence of reports, rejects, claims and events behind one `Store` interface."""

from __future__ import annotations

from pathlib import Path

from eventwatch.store.base import AddResult, Store, StoredReject, StoreError
from eventwatch.store.connection import is_postgres, redact
from eventwatch.store.sqlite import SQLiteStore

__all__ = ["AddResult", "SQLiteStore", "Store", "StoreError", "StoredReject", "is_postgres", "open_store", "redact"]


def open_store(location: str | Path) -> Store:
    """Open the store at ``location``: a SQLite file path (the embedded default) or a PostgreSQL URL
    (``postgresql://user@host:5432/dbname``)."""
    if is_postgres(location):
        from eventwatch.store.postgres import PostgresStore  # psycopg is imported only when it is used

        return PostgresStore(str(location))
    return SQLiteStore(location)
