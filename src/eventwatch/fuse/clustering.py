"""Incident clustering: one event at a time against blocked candidates, so incremental and full runs agree.

:func:`assign` decides for one event: the best candidate incident whose score passes
:data:`~eventwatch.fuse.score.JOIN_THRESHOLD` (and every gate), or a new incident. :func:`cluster` re-clusters a
whole set by feeding events to :class:`Clusterer` in a fixed order — new reporting first, then background
mentions, then denials, each by report date — with an in-memory date × 2°-cell index for blocking; the store
does the same blocking with an indexed query for the incremental path.

Background events (past context: "the March 6 massacres") are matched like any other, but one that matches nothing
never opens an incident dated at its report's date: it opens one only when it carries a date of its own that
differs from the report's, and is otherwise left unclustered (``Assignment.incident_id is None``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from eventwatch.fuse.incident import build_incident, incident_id_for, profile
from eventwatch.fuse.score import Score, event_range, score, window_days
from eventwatch.fuse.text import CachedEmbedder, Embedder, default_embedder
from eventwatch.model import Event, Hedge, Incident, Report

CELL_DEG = 2.0  # blocking cell; 150 km (the widest radius) is under one cell, so 3×3 cells cover it


@dataclass(slots=True)
class Assignment:
    incident_id: str | None  # None: a background event with nothing to join (left unclustered)
    new: bool
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)


def as_cached(embedder: Embedder | CachedEmbedder | None) -> CachedEmbedder:
    if isinstance(embedder, CachedEmbedder):
        return embedder
    return CachedEmbedder(embedder or default_embedder())


def report_date(event: Event, reports: Mapping[str, Report]) -> date | None:
    report = reports.get(event.report_id)
    return report.published_at.date() if report and report.published_at else None


def assign(
    event: Event,
    candidates: Sequence[Incident],
    *,
    embedder: Embedder | CachedEmbedder | None = None,
    report_day: date | None = None,
) -> Assignment:
    """Join ``event`` to the best-scoring candidate incident, or open a new one (see the module docstring)."""
    cached = as_cached(embedder)
    best: tuple[Score, Incident] | None = None
    for incident in candidates:
        s = score(event, incident, cached, fallback_date=report_day)
        if s.passes and (best is None or s.total > best[0].total):
            best = (s, incident)
    if best is not None:
        return Assignment(best[1].id, new=False, score=best[0].total, parts=best[0].parts)
    if event.background and (event.event_date is None or event.event_date == report_day):
        return Assignment(None, new=False)
    return Assignment(incident_id_for(event), new=True)


def order_key(event: Event, reports: Mapping[str, Report]) -> tuple[bool, bool, str, str, str]:
    """New reporting before background mentions and denials (which should join, not open, incidents)."""
    report = reports.get(event.report_id)
    when = report.published_at.isoformat() if report and report.published_at else ""
    day = event.event_date.isoformat() if event.event_date else ""
    return event.background, event.hedge == Hedge.DENIED, when or day, event.report_id, event.id


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)


class Clusterer:
    """In-memory incremental clustering: :meth:`add` events one at a time; :meth:`incidents` builds the result."""

    def __init__(self, embedder: Embedder | CachedEmbedder | None = None) -> None:
        self.embedder = as_cached(embedder)
        self.members: dict[str, list[Event]] = {}
        self.profiles: dict[str, Incident] = {}
        self.unclustered: list[Event] = []
        self._by_day: dict[int, set[str]] = {}
        self._by_cell: dict[tuple[int, tuple[int, int]], set[str]] = {}

    def _index(self, incident: Incident) -> None:
        if incident.event_date is None:
            return
        pad = window_days(incident.time_precision)
        first = incident.event_date.toordinal() - pad
        last = (incident.event_date_end or incident.event_date).toordinal() + pad
        cells: set[tuple[int, int]] = set()
        if incident.bbox is not None:
            lat_min, lat_max, lon_min, lon_max = incident.bbox
            for i in range(_cell(lat_min, lon_min)[0], _cell(lat_max, lon_max)[0] + 1):
                for j in range(_cell(lat_min, lon_min)[1], _cell(lat_max, lon_max)[1] + 1):
                    cells.add((i, j))
        for day in range(first, last + 1):
            self._by_day.setdefault(day, set()).add(incident.id)
            for c in cells:
                self._by_cell.setdefault((day, c), set()).add(incident.id)

    def candidates(self, event: Event, report_day: date | None = None) -> list[Incident]:
        span = event_range(event, report_day)
        if span is None:
            return []
        pad = window_days(event.time_precision)
        days = range(span[0].toordinal() - pad, span[1].toordinal() + pad + 1)
        found: set[str] = set()
        if event.latitude is None or event.longitude is None:
            for day in days:
                found |= self._by_day.get(day, set())
        else:
            ci, cj = _cell(event.latitude, event.longitude)
            for day in days:
                for di in (-1, 0, 1):
                    for dj in (-1, 0, 1):
                        found |= self._by_cell.get((day, (ci + di, cj + dj)), set())
                # Incidents without coordinates can only be found by day.
                found |= {i for i in self._by_day.get(day, set()) if self.profiles[i].bbox is None}
        return [self.profiles[i] for i in sorted(found)]

    def add(self, event: Event, report_day: date | None = None) -> Assignment:
        result = assign(event, self.candidates(event, report_day), embedder=self.embedder, report_day=report_day)
        if result.incident_id is None:
            self.unclustered.append(event)
            return result
        members = self.members.setdefault(result.incident_id, [])
        members.append(event)
        # An incident no source dates stays undated (we never date it by a report): it can be found, not joined.
        incident = profile(result.incident_id, members)
        self.profiles[result.incident_id] = incident
        self._index(incident)
        return result

    def incidents(self, reports: Mapping[str, Report]) -> list[Incident]:
        return [build_incident(iid, members, reports) for iid, members in self.members.items()]


def cluster(
    events: Iterable[Event],
    reports: Mapping[str, Report],
    *,
    embedder: Embedder | CachedEmbedder | None = None,
) -> list[Incident]:
    """Full re-cluster: every event, in :func:`order_key` order, into incidents (pure; no store)."""
    clusterer = Clusterer(embedder)
    for event in sorted(events, key=lambda e: order_key(e, reports)):
        clusterer.add(event, report_date(event, reports))
    return clusterer.incidents(reports)
