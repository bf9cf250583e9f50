"""The live-monitoring state of ``eventwatch watch`` (SQLite migration 6, PostgreSQL migration 6), once for both
backends: source cursors and health, file offsets, watcher metadata, alert snapshots, alerts kept once, and the
delivery outbox. The SQL is the dialect SQLite and PostgreSQL share (``ON CONFLICT`` upserts, ``CASE`` sums);
each store supplies :meth:`WatchState._exec` (its placeholders) and ``_transaction`` (one atomic write).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from eventwatch.model import utcnow
from eventwatch.store.base import (
    AlertSnapshot,
    Delivery,
    FileState,
    NewAlert,
    OutboxSummary,
    SourceState,
    StoredAlert,
)

SOURCE_COLUMNS = tuple(f.name for f in dataclasses.fields(SourceState))
_SOURCE_TIMES = {"last_attempt_at", "last_success_at", "last_error_at", "next_poll_at", "last_item_at", "updated_at"}
_FILE_COLUMNS = ("path", "source_key", "size", "mtime_ns", "sha256", "offset", "lines", "tail_sha256", "updated_at")
_CHUNK = 500  # ids per IN (...) list: under SQLite's bound-parameter limit


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _upsert(table: str, columns: Sequence[str], key: str) -> str:
    """``INSERT … ON CONFLICT (key) DO UPDATE``: the row replaced in place (both backends)."""
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != key)
    marks = ", ".join("?" for _ in columns)
    return f'INSERT INTO {table} ({_quoted(columns)}) VALUES ({marks}) ON CONFLICT ("{key}") DO UPDATE SET {sets}'


def _source_from_row(row: Any) -> SourceState:
    values: dict[str, Any] = {name: row[name] for name in SOURCE_COLUMNS}
    values["cursor"] = json.loads(values["cursor"])
    for name in _SOURCE_TIMES:
        values[name] = _dt(values[name])
    return SourceState(**values)


class WatchState:
    """Mixed into each store: the live-monitoring part of :class:`eventwatch.store.base.Store`."""

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement written with ``?`` placeholders; returns a cursor (rows, ``rowcount``)."""
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _count(self, sql: str) -> int:
        return int(self._exec(sql).fetchone()[0] or 0)

    # -- reports the sources already stored ---------------------------------------------------------------
    def known_report_ids(self, report_ids: Sequence[str]) -> set[str]:
        ids = list(dict.fromkeys(report_ids))
        found: set[str] = set()
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            sql = f"SELECT id FROM reports WHERE id IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in self._exec(sql, chunk))
        return found

    def pending_work(self) -> dict[str, int]:
        return {
            "reports_unprocessed": self._count("SELECT count(*) FROM reports WHERE processed_at IS NULL"),
            "events_unfused": self._count(
                "SELECT count(*) FROM events e LEFT JOIN incident_events m ON m.event_id = e.id "
                "WHERE m.event_id IS NULL"
            ),
            "alerts_pending": self._count("SELECT count(*) FROM alert_outbox WHERE status = 'pending'"),
        }

    # -- sources and files --------------------------------------------------------------------------------
    def get_source_state(self, key: str) -> SourceState | None:
        row = self._exec("SELECT * FROM watch_sources WHERE key = ?", (key,)).fetchone()
        return _source_from_row(row) if row else None

    def save_source_state(self, state: SourceState) -> None:
        state.updated_at = utcnow()
        values: list[Any] = []
        for name in SOURCE_COLUMNS:
            value = getattr(state, name)
            if name == "cursor":
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            elif name in _SOURCE_TIMES:
                value = value.isoformat() if value is not None else None
            values.append(value)
        with self._transaction():
            self._exec(_upsert("watch_sources", SOURCE_COLUMNS, "key"), values)

    def iter_source_states(self) -> list[SourceState]:
        return [_source_from_row(r) for r in self._exec("SELECT * FROM watch_sources ORDER BY kind, key")]

    def file_states(self, source_key: str) -> dict[str, FileState]:
        rows = self._exec(f"SELECT {_quoted(_FILE_COLUMNS[:-1])} FROM watch_files WHERE source_key = ?", (source_key,))
        return {r["path"]: FileState(*r) for r in rows}

    def save_file_states(self, states: Iterable[FileState], removed: Iterable[str] = ()) -> None:
        now = utcnow().isoformat()
        sql = _upsert("watch_files", _FILE_COLUMNS, "path")
        with self._transaction():
            for s in states:
                row = (s.path, s.source_key, s.size, s.mtime_ns, s.sha256, s.offset, s.lines, s.tail_sha256, now)
                self._exec(sql, row)
            for path in removed:
                self._exec("DELETE FROM watch_files WHERE path = ?", (path,))

    def get_meta(self, key: str) -> str | None:
        row = self._exec("SELECT value FROM watch_meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction():
            self._exec(_upsert("watch_meta", ("key", "value"), "key"), (key, value))

    # -- alert review -------------------------------------------------------------------------------------
    def incidents_to_review(self, *, updated_since: str | None = None, limit: int = 500) -> list[tuple[str, str]]:
        sql = (
            "SELECT i.id, i.updated_at FROM incidents i LEFT JOIN alert_snapshots s ON s.incident_id = i.id "
            "WHERE (s.incident_id IS NULL OR s.incident_updated_at != i.updated_at)"
        )
        params: list[Any] = []
        if updated_since is not None:
            sql += " AND i.updated_at >= ?"
            params.append(updated_since)
        sql += " ORDER BY i.updated_at, i.id LIMIT ?"
        params.append(limit)
        return [(r[0], r[1]) for r in self._exec(sql, params)]

    def get_alert_snapshots(self, incident_ids: Sequence[str]) -> dict[str, AlertSnapshot]:
        found: dict[str, AlertSnapshot] = {}
        ids = list(incident_ids)
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            sql = (
                "SELECT incident_id, state, incident_updated_at FROM alert_snapshots "
                f"WHERE incident_id IN ({','.join('?' * len(chunk))})"
            )
            for r in self._exec(sql, chunk):
                found[r[0]] = AlertSnapshot(r[0], json.loads(r[1]), r[2])
        return found

    def record_alert_review(self, snapshots: Iterable[AlertSnapshot], alerts: Iterable[NewAlert]) -> list[str]:
        now = utcnow().isoformat()
        new: list[str] = []
        columns = ("incident_id", "state", "incident_updated_at", "updated_at")
        snapshot_sql = _upsert("alert_snapshots", columns, "incident_id")
        with self._transaction():
            for s in snapshots:
                state = json.dumps(s.state, ensure_ascii=False, sort_keys=True)
                self._exec(snapshot_sql, (s.incident_id, state, s.incident_updated_at, now))
            for alert in alerts:
                cursor = self._exec(
                    "INSERT INTO alerts(id, rule, incident_id, kind, summary, payload, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                    (
                        alert.id,
                        alert.rule,
                        alert.incident_id,
                        alert.kind,
                        alert.summary,
                        json.dumps(alert.payload, ensure_ascii=False),
                        now,
                    ),
                )
                if cursor.rowcount != 1:
                    continue  # this change already fired
                new.append(alert.id)
                for destination in alert.destinations:
                    self._exec(
                        "INSERT INTO alert_outbox(alert_id, destination, next_attempt_at, created_at) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT (alert_id, destination) DO NOTHING",
                        (alert.id, destination, now, now),
                    )
        return new

    # -- the outbox ---------------------------------------------------------------------------------------
    def due_deliveries(self, destination: str, now: datetime, limit: int = 100) -> list[Delivery]:
        rows = self._exec(
            "SELECT o.alert_id, o.destination, o.attempts, o.next_attempt_at, a.payload FROM alert_outbox o "
            "JOIN alerts a ON a.id = o.alert_id WHERE o.destination = ? AND o.status = 'pending' "
            "AND o.next_attempt_at <= ? ORDER BY o.created_at, o.alert_id LIMIT ?",
            (destination, now.isoformat(), limit),
        )
        return [Delivery(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def mark_delivered(self, alert_id: str, destination: str, at: datetime) -> None:
        with self._transaction():
            self._exec(
                "UPDATE alert_outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, "
                "last_error = NULL WHERE alert_id = ? AND destination = ?",
                (at.isoformat(), alert_id, destination),
            )

    def mark_failed(self, alert_id: str, destination: str, error: str, next_attempt_at: datetime) -> None:
        with self._transaction():
            self._exec(
                "UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
                "WHERE alert_id = ? AND destination = ? AND status = 'pending'",
                (error, next_attempt_at.isoformat(), alert_id, destination),
            )

    def recent_alerts(self, limit: int = 50, *, incident_id: str | None = None) -> list[StoredAlert]:
        where, params = ("WHERE incident_id = ?", [incident_id]) if incident_id else ("", [])
        rows = self._exec(f"SELECT * FROM alerts {where} ORDER BY created_at DESC, id DESC LIMIT ?", [*params, limit])
        return [self._alert(r) for r in list(rows)]

    def get_alert(self, alert_id: str) -> StoredAlert | None:
        row = self._exec("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        return self._alert(row) if row else None

    def _alert(self, row: Any) -> StoredAlert:
        deliveries = {
            d["destination"]: {
                "status": d["status"],
                "attempts": d["attempts"],
                "last_error": d["last_error"],
                "delivered_at": d["delivered_at"],
                "next_attempt_at": d["next_attempt_at"],
            }
            for d in self._exec("SELECT * FROM alert_outbox WHERE alert_id = ? ORDER BY destination", (row["id"],))
        }
        return StoredAlert(
            id=row["id"],
            rule=row["rule"],
            incident_id=row["incident_id"],
            kind=row["kind"],
            summary=row["summary"],
            payload=json.loads(row["payload"]),
            created_at=row["created_at"],
            deliveries=deliveries,
        )

    def outbox_summary(self) -> list[OutboxSummary]:
        rows = self._exec(
            "SELECT destination, sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), "
            "sum(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END), "
            "min(CASE WHEN status = 'pending' THEN created_at END), "
            "max(CASE WHEN status = 'pending' THEN last_error END) "
            "FROM alert_outbox GROUP BY destination ORDER BY destination"
        )
        return [OutboxSummary(r[0], int(r[1] or 0), int(r[2] or 0), r[3], r[4]) for r in rows]
