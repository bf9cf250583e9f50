"""The storage interface every backend implements: SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from eventwatch.model import Event, Incident, Reject, Report, ReportAnalysis


class StoreError(Exception):
    """A store could not be opened or written; the message says which file and why."""


@dataclass(slots=True)
class AddResult:
    inserted: int = 0
    duplicates: int = 0  # identical content already stored: re-ingesting is a no-op

    def __iadd__(self, other: AddResult) -> AddResult:
        self.inserted += other.inserted
        self.duplicates += other.duplicates
        return self


@dataclass(frozen=True, slots=True)
class StoredReject:
    id: int
    origin: str
    locator: str | None
    reason: str
    source_format: str | None
    size: int
    created_at: str


# -- live monitoring (eventwatch watch; migration 6) -------------------------------------------------------------
@dataclass(slots=True)
class SourceState:
    """One watched source (a feed URL, a folder, the API endpoint): its cursor and its health.

    ``cursor`` is the source's own resume point (a feed's ETag and Last-Modified); ``lag_seconds`` is the time
    from the newest new item's appearance (its publication time) to its being stored.
    """

    key: str
    kind: str  # feed | folder | api
    target: str
    cursor: dict[str, Any] = field(default_factory=dict)
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error_at: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    next_poll_at: datetime | None = None
    items_seen: int = 0  # records read, new or already stored
    reports_new: int = 0
    rejects: int = 0
    last_item_at: datetime | None = None
    lag_seconds: float | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class FileState:
    """What the watcher last read of one file: size and mtime to notice changes, the content hash to skip a file
    that was only touched, and for JSON Lines the byte offset (and line count) of the complete lines read, with
    the hash of the bytes just before it to tell an append from a rewrite."""

    path: str
    source_key: str
    size: int
    mtime_ns: int
    sha256: str | None = None
    offset: int = 0
    lines: int = 0
    tail_sha256: str | None = None


@dataclass(slots=True)
class AlertSnapshot:
    """An incident as the alerter last evaluated it: ``state`` holds the fields rules and change detection read
    (see :mod:`eventwatch.watch.alerts`); ``incident_updated_at`` is the stored incident's ``updated_at`` then."""

    incident_id: str
    state: dict[str, Any]
    incident_updated_at: str


@dataclass(slots=True)
class NewAlert:
    """One firing: a rule matched a change of an incident. ``id`` is derived from rule, incident and change, so
    the same change never fires twice; ``destinations`` get one outbox row each."""

    id: str
    rule: str
    incident_id: str
    kind: str  # new_incident | toll_rose | new_source | contradiction
    summary: str
    payload: dict[str, Any]
    destinations: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StoredAlert:
    id: str
    rule: str
    incident_id: str
    kind: str
    summary: str
    payload: dict[str, Any]
    created_at: str
    # destination -> status ("pending" | "delivered"), attempts, last_error, delivered_at
    deliveries: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One outbox row due for delivery, with its alert's payload."""

    alert_id: str
    destination: str
    attempts: int
    next_attempt_at: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OutboxSummary:
    destination: str
    pending: int
    delivered: int
    oldest_pending_at: str | None
    last_error: str | None


class Store(Protocol):
    """What the pipeline, CLI and API need from storage. Writes are atomic per call."""

    def add_reports(self, reports: Iterable[Report]) -> AddResult:
        """Store reports (and their raw bytes) in one transaction; already-stored ids are counted, not changed."""
        ...

    def add_rejects(self, rejects: Iterable[Reject]) -> int:
        """Keep unreadable records with their reason and original bytes; the same reject twice is kept once."""
        ...

    def get_report(self, report_id: str) -> Report | None: ...

    def iter_reports(self, *, unprocessed_only: bool = False) -> Iterator[Report]: ...

    def count_reports(self) -> int: ...

    def raw_bytes(self, sha256: str) -> bytes | None: ...

    def save_analyses(self, analyses: Iterable[ReportAnalysis]) -> int:
        """Replace each report's claims and events with a fresh analysis, atomically per call."""
        ...

    def iter_events(self, *, include_background: bool = True) -> Iterator[Event]: ...

    def count_events(self) -> int: ...

    def iter_rejects(self) -> Iterator[StoredReject]: ...

    def get_events(self, event_ids: Sequence[str]) -> list[Event]:
        """The stored events with these ids, in the order given (missing ids are skipped)."""
        ...

    # -- incidents (fusion) -------------------------------------------------------------------------------
    def save_incidents(self, incidents: Iterable[Incident]) -> int:
        """Insert or replace incidents with their membership, sources, toll history and contradictions, atomically.

        An event belongs to one incident: saving an incident that lists an event takes it from any other.
        """
        ...

    def replace_incidents(self, incidents: Iterable[Incident]) -> int:
        """Drop every stored incident and save these instead, in one transaction (a full re-cluster)."""
        ...

    def delete_incidents(self, incident_ids: Iterable[str]) -> int: ...

    def get_incident(self, incident_id: str) -> Incident | None: ...

    def iter_incidents(self) -> Iterator[Incident]: ...

    def count_incidents(self) -> int: ...

    def candidate_incidents(
        self, date_from: date, date_to: date, bbox: tuple[float, float, float, float] | None = None
    ) -> list[Incident]:
        """Blocking query: incidents whose matching window (``Incident.match_from`` … ``match_to``; their dates
        when not set) overlaps [date_from, date_to] and whose box touches ``bbox``
        (lat_min, lat_max, lon_min, lon_max; unplaced incidents always qualify). Indexed; returns the matching
        profile and member ids only (no sources, toll history or contradictions)."""
        ...

    def iter_unfused_events(self) -> Iterator[Event]:
        """Events that belong to no incident yet."""
        ...

    def stale_incidents(self) -> list[str]:
        """Incidents that lost member events since they were saved (a report was re-processed)."""
        ...

    # -- live monitoring (eventwatch watch) ------------------------------------------------------------------
    def known_report_ids(self, report_ids: Sequence[str]) -> set[str]:
        """Which of these report ids are stored already (so only new reports, and their bytes, are written)."""
        ...

    def pending_work(self) -> dict[str, int]:
        """Backlog counts: ``reports_unprocessed``, ``events_unfused``, ``alerts_pending`` (outbox rows)."""
        ...

    def get_source_state(self, key: str) -> SourceState | None: ...

    def save_source_state(self, state: SourceState) -> None:
        """Insert or replace one source's cursor and health."""
        ...

    def iter_source_states(self) -> list[SourceState]: ...

    def file_states(self, source_key: str) -> dict[str, FileState]:
        """Every file a folder source has read, by path."""
        ...

    def save_file_states(self, states: Iterable[FileState], removed: Iterable[str] = ()) -> None:
        """Insert or replace file states and forget ``removed`` paths, in one transaction."""
        ...

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def incidents_to_review(self, *, updated_since: str | None = None, limit: int = 500) -> list[tuple[str, str]]:
        """``(incident id, updated_at)`` of incidents saved since the alerter last looked (no snapshot, or one
        taken of an older version), oldest first; ``updated_since`` bounds the scan to recent saves."""
        ...

    def get_alert_snapshots(self, incident_ids: Sequence[str]) -> dict[str, AlertSnapshot]: ...

    def record_alert_review(self, snapshots: Iterable[AlertSnapshot], alerts: Iterable[NewAlert]) -> list[str]:
        """In one transaction: replace the snapshots, store each alert not stored yet (same id: kept once) with
        one pending outbox row per destination. Returns the ids of the alerts that were new."""
        ...

    def due_deliveries(self, destination: str, now: datetime, limit: int = 100) -> list[Delivery]:
        """Pending outbox rows for ``destination`` whose next attempt is due, oldest alert first."""
        ...

    def mark_delivered(self, alert_id: str, destination: str, at: datetime) -> None: ...

    def mark_failed(self, alert_id: str, destination: str, error: str, next_attempt_at: datetime) -> None: ...

    def recent_alerts(self, limit: int = 50, *, incident_id: str | None = None) -> list[StoredAlert]:
        """The newest alerts first, with their delivery status per destination."""
        ...

    def get_alert(self, alert_id: str) -> StoredAlert | None: ...

    def outbox_summary(self) -> list[OutboxSummary]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...
