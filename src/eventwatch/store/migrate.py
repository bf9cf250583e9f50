"""Copy a whole store to another (SQLite → PostgreSQL, or back) and prove the copy: ``eventwatch migrate``.

Every table is copied row for row, in primary-key order and in pages, each page one transaction that skips rows
the target already holds, so a run that stops half-way (or a second run) just carries on: nothing is duplicated.
Reports keep their original bytes (the ``blobs`` table), and ingest/processing times, reject and correction ids
are copied as they are. Afterwards every table is verified: equal row counts, and an equal SHA-256 digest over
every value of every row in key order on both sides; every blob's bytes hash to its key and every report id is
recomputed from its content.

Tables are discovered, not listed: a table a later migration adds is copied too, as long as both backends have it
(known tables go first, in foreign-key order).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from eventwatch.model import report_id, sha256_hex
from eventwatch.store.base import StoreError
from eventwatch.store.connection import Connection, PgConnection, connect, is_postgres, redact, table_columns

# Parents before children (foreign keys); any other table follows in name order.
ORDER = (
    "blobs",
    "reports",
    "rejects",
    "claims",
    "events",
    "incidents",
    "incident_events",
    "incident_sources",
    "incident_tolls",
    "incident_contradictions",
    "corrections",
    "watch_sources",
    "watch_files",
    "watch_meta",
    "alert_snapshots",
    "alerts",
    "alert_outbox",  # after alerts: its rows reference them
)
SKIP = {"schema_migrations"}  # each database records its own schema history
PAGE_ROWS = 2_000
PAGE_BYTES = 32_000_000  # a page of blobs stops early at this size


@dataclass(slots=True)
class TableResult:
    table: str
    source_rows: int = 0
    copied: int = 0  # rows this run added to the target
    target_rows: int = 0
    source_digest: str = ""
    target_digest: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.problems


@dataclass(slots=True)
class MigrateResult:
    tables: list[TableResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def verified(self) -> bool:
        return all(t.verified for t in self.tables)

    def rows(self, table: str) -> int:
        return next((t.target_rows for t in self.tables if t.table == table), 0)


Progress = Callable[[str, int, int], None]  # table, rows done, rows in all


def _tables(db: Connection) -> list[str]:
    if isinstance(db, PgConnection):
        names = [
            r[0]
            for r in db.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "AND table_type = 'BASE TABLE'"
            )
        ]
    else:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    names = [n for n in names if n not in SKIP and not n.startswith("sqlite_")]
    return sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


def _primary_key(db: Connection, table: str) -> list[str]:
    if isinstance(db, PgConnection):
        rows = db.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(?) AND i.indisprimary "
            "ORDER BY array_position(i.indkey, a.attnum)",
            (table,),
        )
        return [r[0] for r in rows]
    info = sorted((r[5], r[1]) for r in db.execute(f'PRAGMA table_info("{table}")') if r[5])
    return [name for _, name in info] or ["rowid"]


def _q(name: str) -> str:
    return f'"{name}"'


def _pages(db: Connection, table: str, columns: Sequence[str], key: Sequence[str]) -> Iterator[list[Any]]:
    """Rows of ``table`` in key order, in pages, by keyset (no OFFSET scans; bounded memory on any size)."""
    cols = ", ".join(_q(c) for c in columns)
    order = ", ".join(_q(k) for k in key)
    positions = [list(columns).index(k) for k in key]
    after: list[Any] | None = None
    while True:
        where = ""
        params: list[Any] = []
        if after is not None:
            where = f"WHERE ({order}) > ({', '.join('?' for _ in key)})"
            params = after
        rows = db.execute(f"SELECT {cols} FROM {_q(table)} {where} ORDER BY {order} LIMIT {PAGE_ROWS}", params)
        page: list[Any] = []
        size = 0
        for row in rows:
            page.append(row)
            size += sum(len(v) for v in row if isinstance(v, bytes | str))
            if size >= PAGE_BYTES:
                break
        if not page:
            return
        yield page
        after = [page[-1][p] for p in positions]
        if len(page) < PAGE_ROWS and size < PAGE_BYTES:
            return


def _feed(digest: Any, row: Sequence[Any]) -> None:
    """Hash one row's values canonically (type-tagged, length-prefixed): equal digests mean equal values."""
    for value in row:
        if value is None:
            digest.update(b"N;")
        elif isinstance(value, bool | int):
            digest.update(b"i%d;" % int(value))
        elif isinstance(value, float):
            digest.update(b"f" + value.hex().encode() + b";")
        elif isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            digest.update(b"s%d:" % len(data) + data)
        else:
            data = bytes(value)
            digest.update(b"b%d:" % len(data) + data)


def _count(db: Connection, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {_q(table)}").fetchone()[0])


def _write_page(db: Connection, table: str, columns: Sequence[str], page: Sequence[Sequence[Any]]) -> None:
    """Insert the rows the target lacks, in one transaction (a conflict on any unique key skips the row)."""
    cols = ", ".join(_q(c) for c in columns)
    if isinstance(db, PgConnection):
        raw = db.raw
        staging = _q(f"_ew_copy_{table}")
        with raw.transaction(), raw.cursor() as cur:
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {_q(table)}) ON COMMIT DELETE ROWS".encode())
            with cur.copy(f"COPY {staging} ({cols}) FROM STDIN".encode()) as copy:
                for row in page:
                    copy.write_row(row)
            cur.execute(
                f"INSERT INTO {_q(table)} ({cols}) SELECT {cols} FROM {staging} ON CONFLICT DO NOTHING".encode()
            )
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany(f"INSERT OR IGNORE INTO {_q(table)} ({cols}) VALUES ({', '.join('?' for _ in columns)})", page)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _fix_identity(db: Connection, table: str) -> None:
    """After copying explicit ids into an identity column, move its sequence past them."""
    if not isinstance(db, PgConnection):
        return
    for (column,) in db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = ? AND is_identity = 'YES'",
        (table,),
    ).fetchall():
        top = f"max({_q(column)})"
        db.execute(
            f"SELECT setval(pg_get_serial_sequence(?, ?), coalesce({top}, 1), {top} IS NOT NULL) FROM {_q(table)}",
            (table, column),
        )


def _check_contents(table: str, columns: Sequence[str], row: Sequence[Any], problems: list[str]) -> None:
    """Content hashes: a blob's bytes hash to its key; a report's id is the hash of its content."""
    if len(problems) >= 5:
        return
    values = dict(zip(columns, row, strict=True))
    if table == "blobs" and sha256_hex(bytes(values["data"])) != values["sha256"]:
        problems.append(f"blob {values['sha256'][:12]}… does not hash to its key")
    if table == "reports":
        published = datetime.fromisoformat(values["published_at"]) if values["published_at"] else None
        if report_id(values["text"], values["source"], values["url"], published) != values["id"]:
            problems.append(f"report {values['id']} is not the content hash of its text and metadata")


def _open_both(source: str | Path, target: str | Path) -> tuple[Connection, Connection]:
    from eventwatch.store import open_store

    if not is_postgres(source) and not Path(source).exists():
        raise StoreError(f"{source}: no such database file")
    if str(source) == str(target):
        raise StoreError("--from and --to are the same database")
    open_store(source).close()  # both at the current schema (migrations run if needed)
    open_store(target).close()
    return connect(source, readonly=True), connect(target, readonly=False)


def migrate(source: str | Path, target: str | Path, *, on_progress: Progress | None = None) -> MigrateResult:
    """Copy every table of ``source`` into ``target`` (both locations; see the module docstring) and verify."""
    import time

    started = time.perf_counter()
    src, dst = _open_both(source, target)
    result = MigrateResult()
    try:
        target_tables = set(_tables(dst))
        for table in _tables(src):
            if table not in target_tables:
                raise StoreError(f"{redact(target)} has no table {table!r}: its eventwatch schema lacks a migration")
            columns = table_columns(src, table)
            if table_columns(dst, table) != columns:
                raise StoreError(f"table {table!r} has different columns in {redact(source)} and {redact(target)}")
            result.tables.append(_copy_table(src, dst, table, columns, on_progress))
    finally:
        src.close()
        dst.close()
    result.seconds = time.perf_counter() - started
    return result


def _copy_table(
    src: Connection, dst: Connection, table: str, columns: list[str], on_progress: Progress | None
) -> TableResult:
    key = _primary_key(src, table)
    if key == ["rowid"]:
        key = list(columns)  # no primary key: order by every column
    out = TableResult(table, source_rows=_count(src, table))
    before = _count(dst, table)
    source_digest = hashlib.sha256()
    done = 0
    for page in _pages(src, table, columns, key):
        for row in page:
            _feed(source_digest, row)
        _write_page(dst, table, columns, page)
        done += len(page)
        if on_progress:
            on_progress(table, done, out.source_rows)
    _fix_identity(dst, table)
    out.target_rows = _count(dst, table)
    out.copied = out.target_rows - before
    # Verify from the target's own rows, read back in the same key order.
    target_digest = hashlib.sha256()
    for page in _pages(dst, table, columns, key):
        for row in page:
            _feed(target_digest, row)
            _check_contents(table, columns, row, out.problems)
    out.source_digest, out.target_digest = source_digest.hexdigest(), target_digest.hexdigest()
    if out.target_rows != out.source_rows:
        out.problems.append(f"{out.source_rows:,} rows in the source, {out.target_rows:,} in the target")
    elif out.source_digest != out.target_digest:
        out.problems.append("row contents differ (SHA-256 of the rows in key order)")
    return out
