"""Incident clustering: the connected components of the pairwise link relation (:mod:`eventwatch.fuse.link`).

A link depends only on the two events and their reports, so the components — the incidents — are the same
whatever order reports arrive in, and the incremental path gives exactly what a full re-cluster gives: new events
are linked to each other and to the members of the stored incidents that blocking returns, and every incident a
new event links to is merged with it (:func:`components`, used by ``runner.fuse_events`` both ways).

A component needs an **opener** to become an incident: a news event, or a background mention ("the March 6
massacres") carrying a date of its own that differs from its report's. Background mentions that link to nothing
else are left unclustered (and are tried again when later reports arrive). An incident's id comes from its
earliest-published member (ties: the smaller event id), so it does not change as later reports join.

Blocking: an in-memory week × 2°-cell index of each event's :func:`~eventwatch.fuse.link.blocking_range` (its
matching range widened by its own precision window); the store runs the same blocking as an indexed query on the
incidents' matching windows (the union of their members' blocking ranges).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from eventwatch.fuse.incident import build_incident, incident_id_for
from eventwatch.fuse.link import Linker, Node, blocking_range
from eventwatch.fuse.text import CachedEmbedder, Embedder, default_embedder
from eventwatch.model import Event, Hedge, Incident, Report

CELL_DEG = 2.0  # blocking cell; 150 km (the widest radius) is under one cell, so 3×3 cells cover it
BUCKET_DAYS = 7  # blocking time bucket
_LATE = datetime.max.replace(tzinfo=UTC)


@dataclass(slots=True)
class Assignment:
    incident_id: str | None  # None: a background event with nothing to join (left unclustered)
    new: bool
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)  # other incidents this event joined into one


def as_cached(embedder: Embedder | CachedEmbedder | None) -> CachedEmbedder:
    if isinstance(embedder, CachedEmbedder):
        return embedder
    return CachedEmbedder(embedder or default_embedder())


def report_date(event: Event, reports: Mapping[str, Report]) -> date | None:
    report = reports.get(event.report_id)
    return report.published_at.date() if report and report.published_at else None


def order_key(event: Event, reports: Mapping[str, Report]) -> tuple[bool, bool, str, str, str]:
    """A canonical order of events (new reporting first, then background mentions and denials, by report date):
    used for member order within an incident, never for what joins what."""
    report = reports.get(event.report_id)
    when = report.published_at.isoformat() if report and report.published_at else ""
    day = event.event_date.isoformat() if event.event_date else ""
    return event.background, event.hedge == Hedge.DENIED, when or day, event.report_id, event.id


def is_opener(event: Event, report_day: date | None) -> bool:
    """Whether the event may open an incident on its own (see the module docstring)."""
    return not event.background or (event.event_date is not None and event.event_date != report_day)


def anchor_key(event: Event, reports: Mapping[str, Report]) -> tuple[datetime, str]:
    report = reports.get(event.report_id)
    return (report.published_at if report and report.published_at else _LATE), event.id


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)


class BlockingIndex:
    """Nodes by week and 2° cell of their matching range, for candidate lookup."""

    def __init__(self) -> None:
        self._by_day: dict[int, list[Node]] = {}
        self._by_cell: dict[tuple[int, tuple[int, int]], list[Node]] = {}
        self._unplaced: dict[int, list[Node]] = {}

    def add(self, node: Node) -> None:
        span = blocking_range(node)
        if span is None:
            return
        e = node.event
        for day in range(span[0].toordinal() // BUCKET_DAYS, span[1].toordinal() // BUCKET_DAYS + 1):
            self._by_day.setdefault(day, []).append(node)
            if e.latitude is None or e.longitude is None:
                self._unplaced.setdefault(day, []).append(node)
            else:
                self._by_cell.setdefault((day, _cell(e.latitude, e.longitude)), []).append(node)

    def candidates(self, node: Node) -> list[Node]:
        window = blocking_range(node)
        if window is None:
            return []
        e = node.event
        found: dict[str, Node] = {}
        for day in range(window[0].toordinal() // BUCKET_DAYS, window[1].toordinal() // BUCKET_DAYS + 1):
            if e.latitude is None or e.longitude is None:
                found.update((n.id, n) for n in self._by_day.get(day, ()))
                continue
            ci, cj = _cell(e.latitude, e.longitude)
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    found.update((n.id, n) for n in self._by_cell.get((day, (ci + di, cj + dj)), ()))
            found.update((n.id, n) for n in self._unplaced.get(day, ()))
        found.pop(node.id, None)
        return [found[k] for k in sorted(found)]


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def components(
    new: Sequence[Event],
    reports: Mapping[str, Report],
    linker: Linker,
    *,
    stored: Mapping[str, list[Event]] | None = None,
    candidates_of: Mapping[str, list[str]] | None = None,
) -> tuple[list[list[Event]], list[Event], dict[str, list[str]]]:
    """Link ``new`` events to each other and to the ``stored`` incidents' members (incident id → events; for each
    new event, ``candidates_of`` names the stored incidents blocking returned — all of them when omitted).

    Returns (the components holding an opener or a stored incident, each in canonical member order; new events
    left unclustered; component index → the stored incident ids it absorbed, keyed by ``str(index)``).
    """
    stored = stored or {}
    uf = UnionFind()
    for iid, members in stored.items():
        for m in members:
            uf.union(f"i:{iid}", m.id)
    index = BlockingIndex()
    nodes = {e.id: Node(e, report_date(e, reports)) for e in sorted(new, key=lambda e: e.id)}
    stored_nodes = {iid: [Node(m, report_date(m, reports)) for m in members] for iid, members in stored.items()}
    for node in nodes.values():
        for other in index.candidates(node):
            if uf.find(other.id) != uf.find(node.id) and linker.link(node, other) is not None:
                uf.union(node.id, other.id)
        index.add(node)
        iids = candidates_of.get(node.id, []) if candidates_of is not None else list(stored)
        for iid in iids:
            if uf.find(f"i:{iid}") == uf.find(node.id):
                continue
            if any(linker.link(node, m) is not None for m in stored_nodes.get(iid, ())):
                uf.union(node.id, f"i:{iid}")
    groups: dict[str, list[Event]] = {}
    absorbed: dict[str, list[str]] = {}
    for iid, members in stored.items():
        root = uf.find(f"i:{iid}")
        groups.setdefault(root, []).extend(members)
        absorbed.setdefault(root, []).append(iid)
    for e in new:
        groups.setdefault(uf.find(e.id), []).append(e)
    out: list[list[Event]] = []
    merged: dict[str, list[str]] = {}
    unclustered: list[Event] = []
    for root in sorted(groups):
        members = sorted(groups[root], key=lambda e: order_key(e, reports))
        if root in absorbed or any(is_opener(e, report_date(e, reports)) for e in members):
            merged[str(len(out))] = sorted(absorbed.get(root, []))
            out.append(members)
        else:
            unclustered.extend(members)
    return out, unclustered, merged


def incident_for(members: list[Event], reports: Mapping[str, Report]) -> Incident:
    """The incident of one component, its id from the earliest-published member."""
    anchor = min(members, key=lambda e: anchor_key(e, reports))
    incident = build_incident(incident_id_for(anchor), members, reports)
    spans = [s for s in (blocking_range(Node(e, report_date(e, reports))) for e in members) if s is not None]
    if spans:
        incident.match_from, incident.match_to = min(s[0] for s in spans), max(s[1] for s in spans)
    if any(e.latitude is None or e.longitude is None for e in members):
        # An unplaced member can be linked from anywhere: the blocking query must not rule the incident out by
        # its other members' box.
        incident.bbox = None
    return incident


def assign(
    event: Event,
    candidates: Sequence[Incident],
    *,
    embedder: Embedder | CachedEmbedder | None = None,
    report_day: date | None = None,
    members: Mapping[str, list[Event]] | None = None,
    reports: Mapping[str, Report] | None = None,
) -> Assignment:
    """Which candidate incidents ``event`` links to (through any of their ``members``; without members, each
    incident's profile stands for one member). The strongest link is ``incident_id``; any others are ``merged``
    into it. No link: a new incident, or None for a background mention that cannot open one."""
    reports = reports or {}
    linker = Linker(reports, as_cached(embedder))
    node = Node(event, report_day)
    linked: list[tuple[float, str]] = []
    for incident in candidates:
        nodes = [Node(m, report_date(m, reports)) for m in (members or {}).get(incident.id, [])] or [
            Node(_profile_event(incident), report_day)
        ]
        strengths = [s for s in (linker.link(node, n) for n in nodes) if s is not None]
        if strengths:
            linked.append((max(strengths), incident.id))
    if linked:
        linked.sort(key=lambda x: (-x[0], x[1]))
        return Assignment(linked[0][1], new=False, score=linked[0][0], merged=[iid for _, iid in linked[1:]])
    if not is_opener(event, report_day):
        return Assignment(None, new=False)
    return Assignment(incident_id_for(event), new=True)


def _profile_event(incident: Incident) -> Event:
    return Event(
        report_id=f"incident:{incident.id}",
        event_type=incident.event_type,
        sub_event_type=incident.sub_event_type,
        event_date=incident.event_date,
        event_date_end=incident.event_date_end,
        time_precision=incident.time_precision,
        actor1=incident.actor1,
        actor2=incident.actor2,
        iso=incident.iso,
        country=incident.country,
        admin1=incident.admin1,
        location=incident.location,
        latitude=incident.latitude,
        longitude=incident.longitude,
        geo_precision=incident.geo_precision,
        notes=incident.notes,
        id=f"profile:{incident.id}",
    )


class Clusterer:
    """In-memory incremental clustering: :meth:`add` events one at a time; :meth:`incidents` builds the result.
    Each call links the event to every event added so far, so the result equals :func:`cluster`'s."""

    def __init__(self, embedder: Embedder | CachedEmbedder | None = None, reports: Mapping[str, Report] | None = None):
        self.embedder = as_cached(embedder)
        self.reports: Mapping[str, Report] = reports or {}
        self.events: list[Event] = []
        self.days: dict[str, date | None] = {}

    def add(self, event: Event, report_day: date | None = None) -> Assignment:
        self.days[event.id] = report_day
        before = {e.id: self._incident_of(e) for e in self.events}
        self.events.append(event)
        groups = self._groups()
        mine = next(g for g in groups if any(e.id == event.id for e in g))
        previous = sorted({iid for e in mine if (iid := before.get(e.id)) is not None})
        if not previous:
            opener = any(is_opener(e, self.days.get(e.id)) for e in mine)
            return Assignment(incident_id_for(event) if opener else None, new=opener)
        return Assignment(previous[0], new=False, merged=previous[1:])

    def _incident_of(self, event: Event) -> str | None:
        for g in self._groups():
            if any(e.id == event.id for e in g):
                return self._id(g)
        return None

    def _id(self, members: list[Event]) -> str | None:
        if not any(is_opener(e, self.days.get(e.id)) for e in members):
            return None
        return incident_id_for(min(members, key=lambda e: anchor_key(e, self.reports)))

    def _groups(self) -> list[list[Event]]:
        linker = Linker(self.reports, self.embedder)
        uf = UnionFind()
        nodes = [Node(e, self.days.get(e.id)) for e in self.events]
        for i, a in enumerate(nodes):
            uf.find(a.id)
            for b in nodes[:i]:
                if linker.link(a, b) is not None:
                    uf.union(a.id, b.id)
        groups: dict[str, list[Event]] = {}
        for e in self.events:
            groups.setdefault(uf.find(e.id), []).append(e)
        return list(groups.values())

    def incidents(self, reports: Mapping[str, Report]) -> list[Incident]:
        self.reports = reports
        return cluster(self.events, reports, embedder=self.embedder)


def cluster(
    events: Iterable[Event],
    reports: Mapping[str, Report],
    *,
    embedder: Embedder | CachedEmbedder | None = None,
) -> list[Incident]:
    """Full re-cluster: every event into incidents (pure; no store); the same for any order of ``events``."""
    linker = Linker(reports, as_cached(embedder))
    groups, _, _ = components(list(events), reports, linker)
    return [incident_for(members, reports) for members in groups]
