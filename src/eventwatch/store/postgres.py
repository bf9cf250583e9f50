"""The scale-out store: PostgreSQL through psycopg 3, with the SQLite store's semantics and row format.

Same contract as :class:`eventwatch.store.sqlite.SQLiteStore`: report ids are content hashes so re-ingesting is
a no-op, rejects keep their bytes, every write method is one transaction, schema migrations are versioned in code
(:mod:`eventwatch.store.pg_migrations`). Columns hold the same values as in the SQLite file (ISO text dates, 0/1
flags, JSON text), so rows are read back by the same functions and every query, export and API answer is the same
on both backends. Writes are batched into multi-row statements (one round trip per table per batch) and keyed
writes are sorted, so concurrent workers never deadlock on each other's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from eventwatch.model import (
    Event,
    Incident,
    Reject,
    Report,
    ReportAnalysis,
    sha256_hex,
)
from eventwatch.model import utcnow as _utcnow
from eventwatch.store.base import AddResult, StoredReject, StoreError
from eventwatch.store.connection import redact, row_factory, to_pg
from eventwatch.store.pg_migrations import PG_LATEST_VERSION, PG_MIGRATIONS
from eventwatch.store.sqlite import (
    _EVENT_FIELDS,
    _INCIDENT_COLUMNS,
    _REPORT_COLUMNS,
    _claim_row,
    _contradiction_from_row,
    _contradiction_rows,
    _event_from_row,
    _event_row,
    _incident_from_row,
    _incident_row,
    _report_from_row,
    _report_row,
    _source_from_row,
    _source_rows,
    _toll_from_row,
    _toll_rows,
)
from eventwatch.store.watch_state import WatchState

CHUNK_ROWS = 2_000  # rows per INSERT statement
FETCH = 1_000  # rows per round trip when streaming

_CLAIM_COLUMNS = (
    "id",
    "report_id",
    "kind",
    "start",
    "end",
    "text",
    "attributed_to",
    "attribution_start",
    "attribution_end",
    "hedge",
    "language",
    "chain",
)
_SOURCE_COLUMNS = (
    "incident_id",
    "seq",
    "event_id",
    "report_id",
    "outlet",
    "original",
    "chain",
    "hedge",
    "attributed_to",
    "syndicated_from",
    "start",
    "end",
    "claim_ids",
    "published_at",
    "event_date",
)
_TOLL_COLUMNS = (
    "incident_id",
    "seq",
    "as_of",
    "kind",
    "low",
    "best",
    "high",
    "source",
    "report_id",
    "event_id",
    "start",
    "end",
)


def _quote(column: str) -> str:
    return f'"{column}"'


def _columns(columns: Sequence[str]) -> str:
    return ", ".join(_quote(c) for c in columns)


def _upsert(key: str, columns: Sequence[str]) -> str:
    sets = ", ".join(f"{_quote(c)} = EXCLUDED.{_quote(c)}" for c in columns if c != key)
    return f"ON CONFLICT ({_quote(key)}) DO UPDATE SET {sets}"


def _last_by(rows: Iterable[tuple[Any, ...]], key: int = 0) -> list[tuple[Any, ...]]:
    """Rows deduplicated on ``row[key]``, the last one winning (as SQLite's INSERT OR REPLACE), sorted by it."""
    return sorted({row[key]: row for row in rows}.values(), key=lambda row: row[key])


class PostgresStore(WatchState):
    """PostgreSQL implementation of :class:`eventwatch.store.base.Store`; ``location`` is a libpq URL.

    The schema goes into the connection's current schema (``public`` unless the URL sets ``options=-csearch_path=…``),
    so several eventwatch databases can share one PostgreSQL database.
    """

    def __init__(self, location: str, *, connect_timeout: int = 10) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError("PostgreSQL support needs psycopg: pip install 'psycopg[binary]'") from exc
        self.location = location
        self._psycopg = psycopg
        self._types: dict[str, dict[str, str]] = {}
        try:
            self._db: psycopg.Connection[Any] = psycopg.connect(
                location, autocommit=True, row_factory=row_factory, connect_timeout=connect_timeout
            )
        except psycopg.Error as exc:
            raise StoreError(f"{redact(location)}: cannot connect to PostgreSQL ({str(exc).strip()})") from exc
        try:
            self._sql("SET TIME ZONE 'UTC'")
            if self._sql("SELECT current_schema()").fetchone()[0] is None:
                raise StoreError(f"{redact(location)}: the search_path names no schema that exists")
            self._migrate()
        except psycopg.Error as exc:
            self._db.close()
            raise StoreError(f"{redact(location)}: cannot use as an eventwatch database ({str(exc).strip()})") from exc

    # -- plumbing -----------------------------------------------------------------------------------------
    def _sql(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        return self._db.execute(sql.encode(), params)

    def _insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], suffix: str = "") -> int:
        """Insert many rows with one statement per chunk: each column goes as one array, ``unnest`` turns them
        back into rows (a short, cached statement: far cheaper than a long multi-row VALUES list). Returns the rows
        RETURNING gave back (when ``suffix`` asks for them) or else the rows affected."""
        if not rows:
            return 0
        types = self._column_types(table)
        arrays = ", ".join(f"%b::{types[c]}[]" for c in columns)
        sql = f"INSERT INTO {table} ({_columns(columns)}) SELECT * FROM unnest({arrays}) {suffix}"
        affected = 0
        for i in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[i : i + CHUNK_ROWS]
            # Binary parameters: arrays of text go as lengths and bytes, not quoted and escaped.
            with self._db.cursor(binary=True) as cursor:
                cursor.execute(sql.encode(), [list(column) for column in zip(*chunk, strict=True)])
                affected += len(cursor.fetchall()) if "RETURNING" in suffix else max(cursor.rowcount, 0)
        return affected

    def _column_types(self, table: str) -> dict[str, str]:
        if table not in self._types:
            rows = self._sql(
                "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
                "WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
                (table,),
            )
            self._types[table] = {r[0]: r[1] for r in rows}
        return self._types[table]

    def _transaction(self) -> Any:
        return self._db.transaction()

    # -- schema -------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._transaction():
            # One migrator at a time per schema: workers that open the store together wait here, then see it done.
            self._sql("SELECT pg_advisory_xact_lock(hashtext('eventwatch-migrate:' || current_schema()))")
            self._sql(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                'version INTEGER PRIMARY KEY, description TEXT COLLATE "C" NOT NULL, '
                'applied_at TEXT COLLATE "C" NOT NULL)'
            )
            current = self.schema_version()
            if current > PG_LATEST_VERSION:
                raise StoreError(
                    f"{redact(self.location)}: schema version {current} is newer than this eventwatch supports "
                    f"({PG_LATEST_VERSION}); upgrade eventwatch"
                )
            for version, description, sql in PG_MIGRATIONS:
                if version <= current:
                    continue
                for statement in sql.split(";"):
                    if statement.strip():
                        self._sql(statement)
                self._sql(
                    "INSERT INTO schema_migrations(version, description, applied_at) VALUES (%s, %s, %s)",
                    (version, description, _utcnow().isoformat()),
                )

    def schema_version(self) -> int:
        row = self._sql("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- reports ------------------------------------------------------------------------------------------
    def add_reports(self, reports: Iterable[Report]) -> AddResult:
        batch = list(reports)  # read the whole batch first: a reader failing mid-batch then writes nothing
        now = _utcnow().isoformat()
        blobs: dict[str, bytes] = {}
        rows: list[tuple[Any, ...]] = []
        unchecked: set[str] = set()
        for report in batch:
            raw_sha = report.raw_sha256
            if report.raw is not None:
                raw_sha = raw_sha or sha256_hex(report.raw)
                blobs.setdefault(raw_sha, report.raw)  # container files share one blob across many reports
            elif raw_sha is not None:
                unchecked.add(raw_sha)
            rows.append(_report_row(report, now, raw_sha))
        with self._transaction():
            self._put_blobs(blobs)
            held = self._held_blobs(unchecked - blobs.keys()) | blobs.keys()
            # never point at bytes we do not hold
            rows = [row if row[12] is None or row[12] in held else (*row[:12], None, row[13]) for row in rows]
            inserted = self._insert(
                "reports", _REPORT_COLUMNS, sorted(rows, key=lambda r: r[0]), "ON CONFLICT (id) DO NOTHING RETURNING id"
            )
        return AddResult(inserted=inserted, duplicates=len(batch) - inserted)

    def _put_blobs(self, blobs: dict[str, bytes]) -> None:
        # A container file (a feed, a Telegram export) is every one of its reports' raw bytes: ask which blobs the
        # server lacks rather than send megabytes again with each batch only for ON CONFLICT to drop them.
        held = self._held_blobs(blobs)
        rows = [(sha, len(data), data) for sha, data in sorted(blobs.items()) if sha not in held]
        for i in range(0, len(rows), 200):  # bounded statements: blobs may be whole feed files
            self._insert("blobs", ("sha256", "size", "data"), rows[i : i + 200], "ON CONFLICT (sha256) DO NOTHING")

    def _held_blobs(self, shas: Iterable[str]) -> set[str]:
        wanted = sorted(shas)
        if not wanted:
            return set()
        return {r[0] for r in self._sql("SELECT sha256 FROM blobs WHERE sha256 = ANY(%s)", (wanted,))}

    def get_report(self, report_id: str) -> Report | None:
        row = self._sql("SELECT * FROM reports WHERE id = %s", (report_id,)).fetchone()
        return _report_from_row(row) if row else None

    def get_reports(self, report_ids: Sequence[str]) -> list[Report]:
        """The stored reports with these ids, in the order given (missing ids are skipped)."""
        found: dict[str, Report] = {}
        ids = list(report_ids)
        for i in range(0, len(ids), FETCH):
            for row in self._sql("SELECT * FROM reports WHERE id = ANY(%s)", (ids[i : i + FETCH],)):
                found[row["id"]] = _report_from_row(row)
        return [found[i] for i in ids if i in found]

    def report_ids(self, *, unprocessed_only: bool = False) -> list[str]:
        """Ids in publication order (undated first, as SQLite orders them), for handing out work."""
        where = "WHERE processed_at IS NULL" if unprocessed_only else ""
        return [r[0] for r in self._sql(f"SELECT id FROM reports {where} ORDER BY published_at NULLS FIRST, id")]

    def iter_reports(self, *, unprocessed_only: bool = False) -> Iterator[Report]:
        # Ids first so callers may write while iterating; then reports in round trips of FETCH.
        ids = self.report_ids(unprocessed_only=unprocessed_only)
        for i in range(0, len(ids), FETCH):
            yield from self.get_reports(ids[i : i + FETCH])

    def count_reports(self) -> int:
        return int(self._sql("SELECT count(*) FROM reports").fetchone()[0])

    def raw_bytes(self, sha256: str) -> bytes | None:
        row = self._sql("SELECT data FROM blobs WHERE sha256 = %s", (sha256,)).fetchone()
        return bytes(row[0]) if row else None

    # -- rejects ------------------------------------------------------------------------------------------
    def add_rejects(self, rejects: Iterable[Reject]) -> int:
        batch = list(rejects)
        now = _utcnow().isoformat()
        added = 0
        with self._transaction():
            self._put_blobs({sha256_hex(r.raw): r.raw for r in batch})
            for reject in batch:
                # ON CONFLICT cannot name the (origin, locator, raw) key when locator is NULL (NULLs are distinct,
                # as in SQLite): an existence check keeps "the same reject twice is kept once" for both.
                sha = sha256_hex(reject.raw)
                cursor = self._sql(
                    "INSERT INTO rejects(origin, locator, reason, source_format, raw_sha256, size, created_at) "
                    "SELECT %s, %s, %s, %s, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM rejects WHERE origin = %s "
                    "AND locator IS NOT DISTINCT FROM %s AND raw_sha256 = %s)",
                    (
                        reject.origin,
                        reject.locator,
                        reject.reason,
                        reject.source_format,
                        sha,
                        len(reject.raw),
                        now,
                        reject.origin,
                        reject.locator,
                        sha,
                    ),
                )
                added += cursor.rowcount
        return added

    def iter_rejects(self) -> Iterator[StoredReject]:
        rows = self._sql(
            "SELECT id, origin, locator, reason, source_format, size, created_at FROM rejects ORDER BY id"
        ).fetchall()
        for row in rows:
            yield StoredReject(**dict(row))

    # -- analyses -----------------------------------------------------------------------------------------
    def save_analyses(self, analyses: Iterable[ReportAnalysis]) -> int:
        batch = list(analyses)
        if not batch:
            return 0
        now = _utcnow().isoformat()
        ids = sorted({a.report_id for a in batch})
        claims: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        languages: dict[str, str | None] = {}
        for analysis in batch:
            rid = analysis.report_id
            languages[rid] = analysis.language
            claims.extend(_claim_row(claim, rid) for claim in analysis.claims)
            events.extend(_event_row(e) for e in analysis.events)
        with self._transaction():
            # Re-processing replaces a report's claims and events; a retried batch writes the same rows again.
            self._sql("DELETE FROM events WHERE report_id = ANY(%s)", (ids,))
            self._sql("DELETE FROM claims WHERE report_id = ANY(%s)", (ids,))
            self._insert("claims", _CLAIM_COLUMNS, _last_by(claims), _upsert("id", _CLAIM_COLUMNS))
            self._insert(
                "events", _EVENT_FIELDS, _last_by(events, _EVENT_FIELDS.index("id")), _upsert("id", _EVENT_FIELDS)
            )
            self._sql(
                "UPDATE reports r SET processed_at = %s, language = coalesce(r.language, v.language) "
                "FROM unnest(%s::text[], %s::text[]) AS v(id, language) WHERE r.id = v.id",
                (now, ids, [languages[i] for i in ids]),
            )
        return len(batch)

    def iter_events(self, *, include_background: bool = True) -> Iterator[Event]:
        where = "" if include_background else "AND background = 0"
        # Keyset pages in (event_date, id) order, undated first as in SQLite: bounded memory on any table size.
        last: tuple[str | None, str] | None = None
        while True:
            if last is None:
                sql, params = f"SELECT * FROM events WHERE TRUE {where}", []
            elif last[0] is None:
                sql = f"SELECT * FROM events WHERE ((event_date IS NULL AND id > %s) OR event_date IS NOT NULL) {where}"
                params = [last[1]]
            else:
                sql = f"SELECT * FROM events WHERE (event_date, id) > (%s, %s) {where}"
                params = [last[0], last[1]]
            rows = self._sql(f"{sql} ORDER BY event_date NULLS FIRST, id LIMIT {FETCH}", params).fetchall()
            for row in rows:
                yield _event_from_row(row)
            if len(rows) < FETCH:
                return
            last = (rows[-1]["event_date"], rows[-1]["id"])

    def count_events(self) -> int:
        return int(self._sql("SELECT count(*) FROM events").fetchone()[0])

    def get_events(self, event_ids: Sequence[str]) -> list[Event]:
        found: dict[str, Event] = {}
        ids = list(event_ids)
        for i in range(0, len(ids), FETCH):
            for row in self._sql("SELECT * FROM events WHERE id = ANY(%s)", (ids[i : i + FETCH],)):
                found[row["id"]] = _event_from_row(row)
        return [found[i] for i in ids if i in found]

    # -- incidents ----------------------------------------------------------------------------------------
    def _write_incidents(self, incidents: list[Incident], now: str) -> None:
        by_id = {i.id: i for i in incidents}  # the same incident twice in one call: the last one wins
        ids = sorted(by_id)
        for table in ("incident_events", "incident_sources", "incident_tolls", "incident_contradictions"):
            self._sql(f"DELETE FROM {table} WHERE incident_id = ANY(%s)", (ids,))
        ordered = [by_id[i] for i in ids]
        self._insert(
            "incidents",
            _INCIDENT_COLUMNS,
            [_incident_row(i, now) for i in ordered],
            _upsert("id", _INCIDENT_COLUMNS),
        )
        # Upsert on the unique event_id moves an event out of any other incident (which then reads as stale).
        members = _last_by(((e, i.id, seq) for i in ordered for seq, e in enumerate(i.event_ids)), key=0)
        self._insert(
            "incident_events",
            ("event_id", "incident_id", "seq"),
            members,
            'ON CONFLICT ("event_id") DO UPDATE SET "incident_id" = EXCLUDED."incident_id", "seq" = EXCLUDED."seq"',
        )
        self._insert(
            "incident_sources",
            _SOURCE_COLUMNS,
            [row for i in ordered for row in _source_rows(i)],
        )
        self._insert(
            "incident_tolls",
            _TOLL_COLUMNS,
            [row for i in ordered for row in _toll_rows(i)],
        )
        self._insert(
            "incident_contradictions",
            ("incident_id", "seq", "field", "note", "versions"),
            [row for i in ordered for row in _contradiction_rows(i)],
        )

    def save_incidents(self, incidents: Iterable[Incident]) -> int:
        batch = list(incidents)
        if batch:
            with self._transaction():
                self._write_incidents(batch, _utcnow().isoformat())
        return len(batch)

    def replace_incidents(self, incidents: Iterable[Incident]) -> int:
        now = _utcnow().isoformat()
        saved = 0
        with self._transaction():
            self._sql("DELETE FROM incidents")  # cascades to membership, sources, tolls, contradictions
            chunk: list[Incident] = []
            for incident in incidents:
                chunk.append(incident)
                saved += 1
                if len(chunk) >= 500:
                    self._write_incidents(chunk, now)
                    chunk = []
            if chunk:
                self._write_incidents(chunk, now)
        return saved

    def delete_incidents(self, incident_ids: Iterable[str]) -> int:
        ids = sorted(set(incident_ids))
        if not ids:
            return 0
        with self._transaction():
            return int(self._sql("DELETE FROM incidents WHERE id = ANY(%s)", (ids,)).rowcount)

    def _member_ids(self, incident_ids: Sequence[str]) -> dict[str, list[str]]:
        members: dict[str, list[str]] = {i: [] for i in incident_ids}
        for r in self._sql(
            "SELECT incident_id, event_id FROM incident_events WHERE incident_id = ANY(%s) ORDER BY incident_id, seq",
            (list(incident_ids),),
        ):
            members[r[0]].append(r[1])
        return members

    def _load_incidents(self, rows: Sequence[Any]) -> list[Incident]:
        incidents = [_incident_from_row(row) for row in rows]
        ids = [i.id for i in incidents]
        if not ids:
            return []
        members = self._member_ids(ids)
        by_id = {i.id: i for i in incidents}
        for incident in incidents:
            incident.event_ids = members[incident.id]
        children = "SELECT * FROM {} WHERE incident_id = ANY(%s) ORDER BY incident_id, seq"
        for r in self._sql(children.format("incident_sources"), (ids,)):
            by_id[r["incident_id"]].sources.append(_source_from_row(r))
        for r in self._sql(children.format("incident_tolls"), (ids,)):
            by_id[r["incident_id"]].toll_history.append(_toll_from_row(r))
        for r in self._sql(
            "SELECT incident_id, field, note, versions FROM incident_contradictions WHERE incident_id = ANY(%s) "
            "ORDER BY incident_id, seq",
            (ids,),
        ):
            by_id[r["incident_id"]].contradictions.append(_contradiction_from_row(r))
        for incident in incidents:
            incident.report_ids = list(dict.fromkeys(s.report_id for s in incident.sources))
        return incidents

    def get_incident(self, incident_id: str) -> Incident | None:
        rows = self._sql("SELECT * FROM incidents WHERE id = %s", (incident_id,)).fetchall()
        loaded = self._load_incidents(rows)
        return loaded[0] if loaded else None

    def iter_incidents(self) -> Iterator[Incident]:
        ids = [r[0] for r in self._sql("SELECT id FROM incidents ORDER BY event_date NULLS FIRST, id")]
        for i in range(0, len(ids), 200):
            chunk = ids[i : i + 200]
            rows = self._sql("SELECT * FROM incidents WHERE id = ANY(%s)", (chunk,)).fetchall()
            by_id = {i.id: i for i in self._load_incidents(rows)}
            yield from (by_id[iid] for iid in chunk if iid in by_id)

    def count_incidents(self) -> int:
        return int(self._sql("SELECT count(*) FROM incidents").fetchone()[0])

    def candidate_incidents(
        self, date_from: date, date_to: date, bbox: tuple[float, float, float, float] | None = None
    ) -> list[Incident]:
        # Interval overlap on an index, as in SQLite: the start is bounded below by date_from minus the longest
        # matching window (the incidents' dates, else their reports' follow-up spans: Incident.match_from/match_to).
        longest = self._sql("SELECT max(match_days) FROM incidents").fetchone()[0] or 0
        params: list[Any] = [(date_from - timedelta(days=int(longest))).isoformat(), date_to.isoformat()]
        sql = "SELECT * FROM incidents WHERE match_from BETWEEN %s AND %s AND match_to >= %s"
        params.append(date_from.isoformat())
        if bbox is not None:
            sql += " AND (lat_min IS NULL OR (lat_max >= %s AND lat_min <= %s AND lon_max >= %s AND lon_min <= %s))"
            params += [bbox[0], bbox[1], bbox[2], bbox[3]]
        incidents = [_incident_from_row(row) for row in self._sql(sql, params)]
        members = self._member_ids([i.id for i in incidents])
        for incident in incidents:
            incident.event_ids = members[incident.id]
        return incidents

    def iter_unfused_events(self) -> Iterator[Event]:
        rows = self._sql(
            "SELECT e.* FROM events e LEFT JOIN incident_events m ON m.event_id = e.id "
            "WHERE m.event_id IS NULL ORDER BY e.event_date NULLS FIRST, e.id"
        ).fetchall()
        for row in rows:
            yield _event_from_row(row)

    def stale_incidents(self) -> list[str]:
        return [
            r[0]
            for r in self._sql(
                "SELECT i.id FROM incidents i LEFT JOIN "
                "(SELECT incident_id, count(*) AS n FROM incident_events GROUP BY incident_id) m "
                "ON m.incident_id = i.id WHERE coalesce(m.n, 0) != i.n_events ORDER BY i.id"
            )
        ]

    # -- live monitoring: eventwatch.store.watch_state.WatchState, over this connection ------------------------
    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._sql(to_pg(sql), list(params)) if params else self._sql(sql)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
