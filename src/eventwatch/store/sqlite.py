"""The embedded default store: one SQLite file (WAL mode, foreign keys on, schema migrations in code)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from eventwatch.model import Event, Hedge, Reject, Report, ReportAnalysis, Span, sha256_hex, utcnow
from eventwatch.store.base import AddResult, StoredReject, StoreError
from eventwatch.store.migrations import LATEST_VERSION, MIGRATIONS

_REPORT_COLUMNS = (
    "id",
    "source",
    "author",
    "url",
    "published_at",
    "retrieved_at",
    "ingested_at",
    "language",
    "title",
    "text",
    "source_format",
    "origin",
    "raw_sha256",
    "raw_locator",
)
# Event fields kept as JSON text, booleans kept as 0/1, dates as ISO text: all browsable as-is in Datasette.
_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
_EVENT_JSON = {"spans", "claim_ids"}
_EVENT_DATES = {"event_date", "event_date_end"}
_EVENT_BOOLS = {"civilian_targeting", "fatalities_reported_unknown", "fatalities_cumulative", "background"}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _event_row(event: Event) -> tuple[Any, ...]:
    row: list[Any] = []
    for name in _EVENT_FIELDS:
        value = getattr(event, name)
        if name == "spans":
            value = json.dumps(
                {k: [[s.start, s.end] for s in spans] for k, spans in value.items()}, separators=(",", ":")
            )
        elif name in _EVENT_JSON:
            value = json.dumps(value, separators=(",", ":"))
        elif name in _EVENT_DATES:
            value = value.isoformat() if value is not None else None
        elif name in _EVENT_BOOLS:
            value = int(bool(value))
        elif name == "hedge":
            value = str(value)
        row.append(value)
    return tuple(row)


def _event_from_row(row: sqlite3.Row) -> Event:
    values: dict[str, Any] = {}
    for name in _EVENT_FIELDS:
        value = row[name]
        if name == "spans":
            value = {
                k: [Span(row["report_id"], start, end) for start, end in spans]
                for k, spans in json.loads(value).items()
            }
        elif name in _EVENT_JSON:
            value = json.loads(value)
        elif name in _EVENT_DATES:
            value = date.fromisoformat(value) if value else None
        elif name in _EVENT_BOOLS:
            value = bool(value)
        elif name == "hedge":
            value = Hedge(value)
        values[name] = value
    return Event(**values)


def _report_from_row(row: sqlite3.Row) -> Report:
    return Report(
        id=row["id"],
        text=row["text"],
        source=row["source"],
        author=row["author"],
        url=row["url"],
        published_at=datetime.fromisoformat(row["published_at"]) if row["published_at"] else None,
        retrieved_at=datetime.fromisoformat(row["retrieved_at"]),
        language=row["language"],
        title=row["title"],
        source_format=row["source_format"],
        origin=row["origin"],
        raw_sha256=row["raw_sha256"],
        raw_locator=row["raw_locator"],
    )


class SQLiteStore:
    """SQLite implementation of :class:`eventwatch.store.base.Store`.

    Every write method is one transaction: a crash (even SIGKILL) leaves either all of a batch or none of it, and
    re-running the same ingest stores each report exactly once because ids are content hashes.
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so batches are explicit transactions.
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; WAL keeps it consistent
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open as an eventwatch SQLite database ({exc})") from exc

    # -- schema -------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = self.schema_version()
        if current > LATEST_VERSION:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this eventwatch supports "
                f"({LATEST_VERSION}); upgrade eventwatch"
            )
        for version, description, sql in MIGRATIONS:
            if version <= current:
                continue
            with self._transaction():
                for statement in sql.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(
                    "INSERT INTO schema_migrations(version, description, applied_at) VALUES (?, ?, ?)",
                    (version, description, utcnow().isoformat()),
                )

    def schema_version(self) -> int:
        row = self._db.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _put_blob(self, data: bytes, sha: str | None = None) -> str:
        sha = sha or sha256_hex(data)
        self._db.execute("INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)", (sha, len(data), data))
        return sha

    # -- reports ------------------------------------------------------------------------------------------
    def add_reports(self, reports: Iterable[Report]) -> AddResult:
        result = AddResult()
        now = utcnow().isoformat()
        seen_blobs: set[str] = set()
        placeholders = ",".join("?" for _ in _REPORT_COLUMNS)
        sql = f"INSERT OR IGNORE INTO reports({','.join(_REPORT_COLUMNS)}) VALUES ({placeholders})"
        with self._transaction():
            for report in reports:
                raw_sha = report.raw_sha256
                if report.raw is not None:
                    raw_sha = raw_sha or sha256_hex(report.raw)
                    # Container files (feeds, Telegram exports) share one blob across many reports.
                    if raw_sha not in seen_blobs:
                        self._put_blob(report.raw, raw_sha)
                        seen_blobs.add(raw_sha)
                elif raw_sha is not None and self.raw_bytes(raw_sha) is None:
                    raw_sha = None  # never point at bytes we do not hold
                cursor = self._db.execute(
                    sql,
                    (
                        report.id,
                        report.source,
                        report.author,
                        report.url,
                        _iso(report.published_at),
                        _iso(report.retrieved_at),
                        now,
                        report.language,
                        report.title,
                        report.text,
                        report.source_format,
                        report.origin,
                        raw_sha,
                        report.raw_locator,
                    ),
                )
                if cursor.rowcount == 1:
                    result.inserted += 1
                else:
                    result.duplicates += 1
        return result

    def get_report(self, report_id: str) -> Report | None:
        row = self._db.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchone()
        return _report_from_row(row) if row else None

    def iter_reports(self, *, unprocessed_only: bool = False) -> Iterator[Report]:
        where = "WHERE processed_at IS NULL" if unprocessed_only else ""
        # Materialise ids first so callers may write while iterating (SQLite cursors see concurrent writes).
        ids = [r[0] for r in self._db.execute(f"SELECT id FROM reports {where} ORDER BY published_at, id")]
        for report_id in ids:
            report = self.get_report(report_id)
            if report is not None:
                yield report

    def count_reports(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM reports").fetchone()[0])

    def raw_bytes(self, sha256: str) -> bytes | None:
        row = self._db.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        return bytes(row[0]) if row else None

    # -- rejects ------------------------------------------------------------------------------------------
    def add_rejects(self, rejects: Iterable[Reject]) -> int:
        added = 0
        now = utcnow().isoformat()
        with self._transaction():
            for reject in rejects:
                sha = self._put_blob(reject.raw)
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO rejects(origin, locator, reason, source_format, raw_sha256, size, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (reject.origin, reject.locator, reject.reason, reject.source_format, sha, len(reject.raw), now),
                )
                added += cursor.rowcount
        return added

    def iter_rejects(self) -> Iterator[StoredReject]:
        for row in self._db.execute(
            "SELECT id, origin, locator, reason, source_format, size, created_at FROM rejects ORDER BY id"
        ):
            yield StoredReject(**dict(row))

    # -- analyses -----------------------------------------------------------------------------------------
    def save_analyses(self, analyses: Iterable[ReportAnalysis]) -> int:
        saved = 0
        now = utcnow().isoformat()
        event_sql = (
            f"INSERT OR REPLACE INTO events({','.join(_EVENT_FIELDS)}) VALUES ({','.join('?' for _ in _EVENT_FIELDS)})"
        )
        with self._transaction():
            for analysis in analyses:
                rid = analysis.report_id
                self._db.execute("DELETE FROM events WHERE report_id = ?", (rid,))
                self._db.execute("DELETE FROM claims WHERE report_id = ?", (rid,))
                for claim in analysis.claims:
                    attribution = claim.attribution_span
                    self._db.execute(
                        'INSERT OR REPLACE INTO claims(id, report_id, kind, start, "end", text, attributed_to, '
                        "attribution_start, attribution_end, hedge, language, chain) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            claim.id,
                            rid,
                            claim.kind,
                            claim.span.start,
                            claim.span.end,
                            claim.text,
                            claim.attributed_to,
                            attribution.start if attribution else None,
                            attribution.end if attribution else None,
                            str(claim.hedge),
                            claim.language,
                            json.dumps(claim.chain, ensure_ascii=False),
                        ),
                    )
                self._db.executemany(event_sql, [_event_row(e) for e in analysis.events])
                self._db.execute(
                    "UPDATE reports SET processed_at = ?, language = coalesce(language, ?) WHERE id = ?",
                    (now, analysis.language, rid),
                )
                saved += 1
        return saved

    def iter_events(self, *, include_background: bool = True) -> Iterator[Event]:
        where = "" if include_background else "WHERE background = 0"
        for row in self._db.execute(f"SELECT * FROM events {where} ORDER BY event_date, id"):
            yield _event_from_row(row)

    def count_events(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM events").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
