"""store stage: persistence of reports, rejects, claims and events behind one `Store` interface."""

from __future__ import annotations

from pathlib import Path

from eventwatch.store.base import AddResult, Store, StoredReject, StoreError
from eventwatch.store.sqlite import SQLiteStore

__all__ = ["AddResult", "SQLiteStore", "Store", "StoreError", "StoredReject", "open_store"]


def open_store(location: str | Path) -> Store:
    """Open the store at ``location``: a SQLite file path (the embedded default)."""
    text = str(location)
    if text.startswith(("postgres://", "postgresql://")):
        raise StoreError("the PostgreSQL backend is not available yet; use a SQLite file path")
    return SQLiteStore(location)
