"""The storage interface every backend implements (SQLite now, PostgreSQL later)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from eventwatch.model import Event, Reject, Report, ReportAnalysis


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

    def close(self) -> None: ...
