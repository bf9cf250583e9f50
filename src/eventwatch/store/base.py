"""The storage interface every backend implements: SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

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

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...
