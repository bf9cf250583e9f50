"""Where a store lives, and plain SQL connections to it for the read queries (API, dashboard, migrate).

A location is a SQLite file path or a PostgreSQL URL (``postgresql://user:password@host:5432/dbname``, any libpq
URL or ``key=value`` string starting ``postgresql://`` / ``postgres://``). :func:`connect` gives a connection
whose ``execute(sql, params)`` takes SQLite's ``?`` placeholders on both backends and returns rows that index by
position and by column name (like :class:`sqlite3.Row`), so one set of queries serves both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwatch.store.base import StoreError

if TYPE_CHECKING:
    import psycopg

PG_PREFIXES = ("postgresql://", "postgres://")


def is_postgres(location: str | Path) -> bool:
    return str(location).startswith(PG_PREFIXES)


def redact(location: str | Path) -> str:
    """The location with any password hidden, for messages and logs."""
    text = str(location)
    if not is_postgres(text) or "@" not in text.split("?", 1)[0]:
        return text
    scheme, rest = text.split("://", 1)
    credentials, host = rest.split("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}{':***' if ':' in credentials else ''}@{host}"


class Row:
    """One result row: ``row[0]``, ``row["column"]``, ``dict(row)`` and ``row.keys()``, as with sqlite3.Row."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: Sequence[Any]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))!r})"


def row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    """psycopg row factory building :class:`Row` objects (one column index per result, shared by its rows)."""
    names = [column.name for column in cursor.description or ()]
    index = {name: i for i, name in enumerate(names)}

    def make(values: Sequence[Any]) -> Row:
        return Row(index, values)

    return make


def to_pg(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` is doubled). The queries given here never
    put ``?`` or ``%`` inside string literals."""
    return sql.replace("%", "%%").replace("?", "%s")


class PgCursor:
    """The part of sqlite3.Cursor the queries use, over a psycopg cursor."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


class PgConnection:
    """A PostgreSQL connection that speaks the SQLite-flavoured calls of :mod:`eventwatch.store.queries`.

    Autocommit, like the SQLite connections opened with ``isolation_level=None``: ``BEGIN``/``COMMIT``/``ROLLBACK``
    given as statements open and close explicit transactions.
    """

    dialect = "postgresql"

    def __init__(self, location: str, *, readonly: bool = False) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError("PostgreSQL support needs psycopg: pip install 'psycopg[binary]'") from exc
        try:
            self.raw: psycopg.Connection[Any] = psycopg.connect(location, autocommit=True, row_factory=row_factory)
        except psycopg.Error as exc:
            raise StoreError(f"{redact(location)}: cannot connect to PostgreSQL ({str(exc).strip()})") from exc
        if readonly:
            self.raw.execute("SET default_transaction_read_only = on")

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ()) -> PgCursor:
        statement = sql.strip().upper()
        if statement.startswith("BEGIN"):
            sql = "BEGIN"  # SQLite's BEGIN IMMEDIATE: PostgreSQL locks rows as they are written
        if not parameters:
            return PgCursor(self.raw.execute(sql.encode()))
        return PgCursor(self.raw.execute(to_pg(sql).encode(), parameters))

    def close(self) -> None:
        self.raw.close()


Connection = sqlite3.Connection | PgConnection


def connect_sqlite(path: str | Path, *, readonly: bool = True) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys=ON")
    if readonly:
        db.execute("PRAGMA query_only=ON")
    return db


def connect(location: str | Path, *, readonly: bool = True) -> Connection:
    """A connection for one request or job; ``readonly`` refuses writes even if a query tried one."""
    if is_postgres(location):
        return PgConnection(str(location), readonly=readonly)
    return connect_sqlite(location, readonly=readonly)


def is_pg(db: Connection) -> bool:
    return isinstance(db, PgConnection)


def has_table(db: Connection, name: str) -> bool:
    if isinstance(db, PgConnection):
        return db.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()[0] is True
    return db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


def table_columns(db: Connection, name: str) -> list[str]:
    """Column names of table ``name`` in declaration order."""
    if isinstance(db, PgConnection):
        rows = db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position",
            (name,),
        )
        return [r[0] for r in rows]
    return [r[1] for r in db.execute(f"PRAGMA table_info({name})")]
