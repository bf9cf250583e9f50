"""The embedded default store: one SQLite file (WAL mode, foreign keys on, schema migrations in code)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from eventwatch.model import (
    Claim,
    Event,
    Hedge,
    Incident,
    IncidentSource,
    Reject,
    Report,
    ReportAnalysis,
    Span,
    TollEntry,
    sha256_hex,
    utcnow,
)
from eventwatch.store.base import AddResult, StoredReject, StoreError
from eventwatch.store.migrations import LATEST_VERSION, MIGRATIONS
from eventwatch.store.watch_state import WatchState

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


# Incident columns stored as-is (the rest: dates as ISO text, lists as JSON, bbox as four columns).
_INCIDENT_PLAIN = (
    "id",
    "event_type",
    "sub_event_type",
    "time_precision",
    "disorder_type",
    "actor1",
    "actor2",
    "inter1",
    "inter2",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "coarsest_geo_precision",
    "notes",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "injured_low",
    "injured_best",
    "injured_high",
    "detained_low",
    "detained_best",
    "detained_high",
    "corroboration",
)
_INCIDENT_BOOLS = ("civilian_targeting", "fatalities_reported_unknown", "fatalities_cumulative", "denied")
_INCIDENT_COLUMNS = (
    *_INCIDENT_PLAIN,
    *_INCIDENT_BOOLS,
    "event_date",
    "event_date_end",
    "span_days",
    "actors",
    "locations",
    "lat_min",
    "lat_max",
    "lon_min",
    "lon_max",
    "hedge",
    "n_sources",
    "n_events",
    "contradicted",
    "updated_at",
    "match_from",
    "match_to",
    "match_days",
)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _incident_row(incident: Incident, now: str) -> tuple[Any, ...]:
    values: dict[str, Any] = {name: getattr(incident, name) for name in _INCIDENT_PLAIN}
    values.update({name: int(bool(getattr(incident, name))) for name in _INCIDENT_BOOLS})
    start, end = incident.event_date, incident.event_date_end or incident.event_date
    bbox = incident.bbox or (None, None, None, None)
    m_from, m_to = incident.match_from or start, incident.match_to or end
    values.update(
        event_date=start.isoformat() if start else None,
        event_date_end=end.isoformat() if end else None,
        span_days=(end - start).days if start and end else 0,
        actors=json.dumps(incident.actors, ensure_ascii=False),
        locations=json.dumps(incident.locations, ensure_ascii=False),
        lat_min=bbox[0],
        lat_max=bbox[1],
        lon_min=bbox[2],
        lon_max=bbox[3],
        hedge=str(incident.hedge),
        n_sources=len(incident.sources),
        n_events=len(incident.event_ids),
        contradicted=int(incident.contradicted),
        updated_at=now,
        match_from=m_from.isoformat() if m_from else None,
        match_to=m_to.isoformat() if m_to else None,
        match_days=(m_to - m_from).days if m_from and m_to else 0,
    )
    return tuple(values[name] for name in _INCIDENT_COLUMNS)


def _incident_from_row(row: sqlite3.Row) -> Incident:
    values: dict[str, Any] = {name: row[name] for name in _INCIDENT_PLAIN}
    values.update({name: bool(row[name]) for name in _INCIDENT_BOOLS})
    bbox = (row["lat_min"], row["lat_max"], row["lon_min"], row["lon_max"])
    return Incident(
        **values,
        event_date=_date(row["event_date"]),
        event_date_end=_date(row["event_date_end"]),
        actors=json.loads(row["actors"]),
        locations=json.loads(row["locations"]),
        bbox=None if None in bbox else bbox,
        hedge=Hedge(row["hedge"]),
        match_from=_date(row["match_from"]),
        match_to=_date(row["match_to"]),
    )


def _span_or_none(report_id: str, start: int | None, end: int | None) -> Span | None:
    return Span(report_id, start, end) if start is not None and end is not None else None


# Row values shared by both backends' write and read paths (the PostgreSQL store stores the same values).
def _report_row(report: Report, now: str, raw_sha: str | None) -> tuple[Any, ...]:
    """A report's values in ``_REPORT_COLUMNS`` order."""
    return (
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
    )


def _claim_row(claim: Claim, report_id: str) -> tuple[Any, ...]:
    """id, report_id, kind, start, end, text, attributed_to, attribution_start, attribution_end, hedge, language,
    chain."""
    attribution = claim.attribution_span
    return (
        claim.id,
        report_id,
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
    )


def _source_rows(incident: Incident) -> list[tuple[Any, ...]]:
    """incident_sources rows: incident_id, seq, event_id, report_id, outlet, original, chain, hedge, attributed_to,
    syndicated_from, start, end, claim_ids, published_at, event_date."""
    return [
        (
            incident.id,
            seq,
            s.event_id,
            s.report_id,
            s.outlet,
            s.original,
            json.dumps(s.chain, ensure_ascii=False),
            str(s.hedge),
            s.attributed_to,
            s.syndicated_from,
            s.span.start if s.span else None,
            s.span.end if s.span else None,
            json.dumps(s.claim_ids),
            _iso(s.published_at),
            s.event_date.isoformat() if s.event_date else None,
        )
        for seq, s in enumerate(incident.sources)
    ]


def _toll_rows(incident: Incident) -> list[tuple[Any, ...]]:
    """incident_tolls rows: incident_id, seq, as_of, kind, low, best, high, source, report_id, event_id, start, end."""
    return [
        (
            incident.id,
            seq,
            t.as_of.isoformat() if t.as_of else None,
            t.kind,
            t.low,
            t.best,
            t.high,
            t.source,
            t.report_id,
            t.event_id,
            t.span.start if t.span else None,
            t.span.end if t.span else None,
        )
        for seq, t in enumerate(incident.toll_history)
    ]


def _contradiction_rows(incident: Incident) -> list[tuple[Any, ...]]:
    """incident_contradictions rows: incident_id, seq, field, note, versions."""
    return [
        (incident.id, seq, c.get("field", ""), c.get("note", ""), json.dumps(c.get("versions", []), ensure_ascii=False))
        for seq, c in enumerate(incident.contradictions)
    ]


def _source_from_row(r: Any) -> IncidentSource:
    return IncidentSource(
        event_id=r["event_id"],
        report_id=r["report_id"],
        outlet=r["outlet"],
        original=r["original"],
        chain=json.loads(r["chain"]),
        hedge=Hedge(r["hedge"]),
        attributed_to=r["attributed_to"],
        syndicated_from=r["syndicated_from"],
        span=_span_or_none(r["report_id"], r["start"], r["end"]),
        claim_ids=json.loads(r["claim_ids"]),
        published_at=datetime.fromisoformat(r["published_at"]) if r["published_at"] else None,
        event_date=_date(r["event_date"]),
    )


def _toll_from_row(r: Any) -> TollEntry:
    return TollEntry(
        as_of=_date(r["as_of"]),
        kind=r["kind"],
        low=r["low"],
        best=r["best"],
        high=r["high"],
        source=r["source"],
        report_id=r["report_id"],
        event_id=r["event_id"],
        span=_span_or_none(r["report_id"], r["start"], r["end"]),
    )


def _contradiction_from_row(r: Any) -> dict[str, Any]:
    return {"field": r["field"], "versions": json.loads(r["versions"]), "note": r["note"]}


class SQLiteStore(WatchState):
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
                cursor = self._db.execute(sql, _report_row(report, now, raw_sha))
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
                self._db.executemany(
                    'INSERT OR REPLACE INTO claims(id, report_id, kind, start, "end", text, attributed_to, '
                    "attribution_start, attribution_end, hedge, language, chain) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [_claim_row(claim, rid) for claim in analysis.claims],
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

    def get_events(self, event_ids: Sequence[str]) -> list[Event]:
        found: dict[str, Event] = {}
        ids = list(event_ids)
        for i in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[i : i + 500]
            sql = f"SELECT * FROM events WHERE id IN ({','.join('?' for _ in chunk)})"
            for row in self._db.execute(sql, chunk):
                found[row["id"]] = _event_from_row(row)
        return [found[i] for i in ids if i in found]

    # -- incidents ----------------------------------------------------------------------------------------
    def _write_incident(self, incident: Incident, now: str) -> None:
        iid = incident.id
        for table in ("incident_events", "incident_sources", "incident_tolls", "incident_contradictions"):
            self._db.execute(f"DELETE FROM {table} WHERE incident_id = ?", (iid,))
        placeholders = ",".join("?" for _ in _INCIDENT_COLUMNS)
        self._db.execute(
            f"INSERT OR REPLACE INTO incidents({','.join(_INCIDENT_COLUMNS)}) VALUES ({placeholders})",
            _incident_row(incident, now),
        )
        # REPLACE on the unique event_id moves an event out of any other incident (which then reads as stale).
        self._db.executemany(
            "INSERT OR REPLACE INTO incident_events(incident_id, event_id, seq) VALUES (?, ?, ?)",
            [(iid, event_id, seq) for seq, event_id in enumerate(incident.event_ids)],
        )
        self._db.executemany(
            "INSERT INTO incident_sources(incident_id, seq, event_id, report_id, outlet, original, chain, hedge, "
            'attributed_to, syndicated_from, start, "end", claim_ids, published_at, event_date) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _source_rows(incident),
        )
        self._db.executemany(
            "INSERT INTO incident_tolls(incident_id, seq, as_of, kind, low, best, high, source, report_id, "
            'event_id, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            _toll_rows(incident),
        )
        self._db.executemany(
            "INSERT INTO incident_contradictions(incident_id, seq, field, note, versions) VALUES (?, ?, ?, ?, ?)",
            _contradiction_rows(incident),
        )

    def save_incidents(self, incidents: Iterable[Incident]) -> int:
        now = utcnow().isoformat()
        saved = 0
        with self._transaction():
            for incident in incidents:
                self._write_incident(incident, now)
                saved += 1
        return saved

    def replace_incidents(self, incidents: Iterable[Incident]) -> int:
        now = utcnow().isoformat()
        saved = 0
        with self._transaction():
            self._db.execute("DELETE FROM incidents")  # cascades to membership, sources, tolls, contradictions
            for incident in incidents:
                self._write_incident(incident, now)
                saved += 1
        return saved

    def delete_incidents(self, incident_ids: Iterable[str]) -> int:
        deleted = 0
        with self._transaction():
            for iid in incident_ids:
                deleted += self._db.execute("DELETE FROM incidents WHERE id = ?", (iid,)).rowcount
        return deleted

    def _member_ids(self, incident_id: str) -> list[str]:
        return [
            r[0]
            for r in self._db.execute(
                "SELECT event_id FROM incident_events WHERE incident_id = ? ORDER BY seq", (incident_id,)
            )
        ]

    def _load_incident(self, row: sqlite3.Row) -> Incident:
        incident = _incident_from_row(row)
        iid = incident.id
        incident.event_ids = self._member_ids(iid)
        for r in self._db.execute("SELECT * FROM incident_sources WHERE incident_id = ? ORDER BY seq", (iid,)):
            incident.sources.append(_source_from_row(r))
        incident.report_ids = list(dict.fromkeys(s.report_id for s in incident.sources))
        for r in self._db.execute("SELECT * FROM incident_tolls WHERE incident_id = ? ORDER BY seq", (iid,)):
            incident.toll_history.append(_toll_from_row(r))
        for r in self._db.execute(
            "SELECT field, note, versions FROM incident_contradictions WHERE incident_id = ? ORDER BY seq", (iid,)
        ):
            incident.contradictions.append(_contradiction_from_row(r))
        return incident

    def get_incident(self, incident_id: str) -> Incident | None:
        row = self._db.execute("SELECT * FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        return self._load_incident(row) if row else None

    def iter_incidents(self) -> Iterator[Incident]:
        ids = [r[0] for r in self._db.execute("SELECT id FROM incidents ORDER BY event_date, id")]
        for iid in ids:
            incident = self.get_incident(iid)
            if incident is not None:
                yield incident

    def count_incidents(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM incidents").fetchone()[0])

    def candidate_incidents(
        self, date_from: date, date_to: date, bbox: tuple[float, float, float, float] | None = None
    ) -> list[Incident]:
        # Interval overlap on an index: an incident starting before date_from can only overlap if it lasts at
        # least the gap, so the start is bounded below by date_from minus the longest stored span (O(log n)).
        # Matched on the incidents' matching windows (their dates, else their reports' follow-up spans).
        longest = self._db.execute("SELECT max(match_days) FROM incidents").fetchone()[0] or 0
        params: list[Any] = [(date_from - timedelta(days=int(longest))).isoformat(), date_to.isoformat()]
        sql = "SELECT * FROM incidents WHERE match_from BETWEEN ? AND ? AND match_to >= ?"
        params.append(date_from.isoformat())
        if bbox is not None:
            sql += " AND (lat_min IS NULL OR (lat_max >= ? AND lat_min <= ? AND lon_max >= ? AND lon_min <= ?))"
            params += [bbox[0], bbox[1], bbox[2], bbox[3]]
        incidents = [_incident_from_row(row) for row in self._db.execute(sql, params)]
        for incident in incidents:
            incident.event_ids = self._member_ids(incident.id)
        return incidents

    def iter_unfused_events(self) -> Iterator[Event]:
        rows = self._db.execute(
            "SELECT e.* FROM events e LEFT JOIN incident_events m ON m.event_id = e.id "
            "WHERE m.event_id IS NULL ORDER BY e.event_date, e.id"
        ).fetchall()
        for row in rows:
            yield _event_from_row(row)

    def stale_incidents(self) -> list[str]:
        return [
            r[0]
            for r in self._db.execute(
                "SELECT i.id FROM incidents i LEFT JOIN "
                "(SELECT incident_id, count(*) AS n FROM incident_events GROUP BY incident_id) m "
                "ON m.incident_id = i.id WHERE coalesce(m.n, 0) != i.n_events ORDER BY i.id"
            )
        ]

    # -- live monitoring: eventwatch.store.watch_state.WatchState, over this connection ------------------------
    def _exec(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._db.execute(sql, params)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
