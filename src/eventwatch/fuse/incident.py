"""An incident from its member events: the profile matched against, counts, sources and contradictions.

Everything here is a pure function of the member events (in the order they joined) and their reports, so an
incident rebuilt after a new report joins is exactly what a full re-cluster would build from the same members.

Profile: type and sub-type by majority of the supporting events; actors ordered by how many sources name them;
the place most sources give, ties to the most precise (the incident's ``locations`` and ``bbox`` keep every
place and point, for matching); dates — when every source gives a single day, the most reported day (ties: the
earliest), else the envelope of the ranges (a running toll "since March 6" makes the incident span the period).

Contradictions (the incident is flagged and every version kept with its sources and spans, never averaged):

* ``fatalities`` / ``injured`` / ``detained``: independent sources' intervals do not intersect
  (see :mod:`eventwatch.fuse.counts`); ``fatalities_cumulative``: a running total lower than an earlier one
  from another source;
* ``actors``: two sources each name an actor the other's account has no match for (unidentified groups and a
  source naming fewer actors are not a contradiction);
* ``location``: sources place it in different towns (precision 1) more than 10 km apart;
* ``occurred``: a source denies it (hedge ``denied``) while others report it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from eventwatch.fuse.counts import KINDS, Estimate, combine, decreases, estimate, toll_entries
from eventwatch.fuse.score import TOWN_RADIUS_KM, actor_similarity, event_actors, haversine_km, state_forces
from eventwatch.fuse.sources import build_sources, independent_count
from eventwatch.fuse.text import fold
from eventwatch.model import Event, Hedge, Incident, IncidentSource, Report, TollEntry, sha256_hex

_CERTAINTY = (Hedge.CONFIRMED, Hedge.ATTRIBUTED, Hedge.HEDGED, Hedge.UNCONFIRMED, Hedge.DENIED)
_ACTOR_MATCH = 0.5  # actor_similarity at or above this: the same actor named differently


def incident_id_for(event: Event) -> str:
    """A new incident's id: stable, derived from the event that opened it."""
    return sha256_hex(f"incident:{event.id}".encode())[:24]


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def _dates(events: list[Event]) -> tuple[date | None, date | None, int | None]:
    dated = [e for e in events if e.event_date is not None]
    if not dated:
        return None, None, None
    precision = min((e.time_precision for e in dated if e.time_precision), default=None)
    starts = [e.event_date for e in dated if e.event_date is not None]
    ends = [e.event_date_end or e.event_date for e in dated if e.event_date is not None]
    if all(s == e for s, e in zip(starts, ends, strict=True)):
        counts = Counter(starts)
        top = max(counts.values())
        day = min(d for d, n in counts.items() if n == top)
        return day, day, precision
    return min(starts), max(ends), precision


def profile(incident_id: str, events: list[Event]) -> Incident:
    """The incident's matching profile (no counts or sources): cheap, recomputed as events join."""
    supporting = [e for e in events if e.hedge != Hedge.DENIED] or events
    kinds = Counter((e.event_type, e.sub_event_type) for e in supporting)
    event_type, sub_event_type = kinds.most_common(1)[0][0]
    actor_counts = Counter(a for e in supporting for a in event_actors(e))
    actor1 = _most_common(e.actor1 for e in supporting)
    actor2 = _most_common(e.actor2 for e in supporting if e.actor2 and fold(e.actor2) != fold(actor1))

    def precision_key(e: Event) -> int:
        return e.geo_precision or 4

    # The place most sources give (a week-long coastal massacre stays "Syrian coast" though one report names a
    # town); ties go to the more precise place, then the earlier report.
    place_counts = Counter(fold(e.location) for e in supporting if e.location)
    anchor = min(
        enumerate(supporting),
        key=lambda ie: (-place_counts.get(fold(ie[1].location), 0), precision_key(ie[1]), ie[0]),
    )[1]
    points = [(e.latitude, e.longitude) for e in events if e.latitude is not None and e.longitude is not None]
    lats = [p[0] for p in points if p[0] is not None]
    lons = [p[1] for p in points if p[1] is not None]
    start, end, time_precision = _dates(supporting)
    return Incident(
        id=incident_id,
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_ids=[e.id for e in events],
        report_ids=list(dict.fromkeys(e.report_id for e in events)),
        event_date=start,
        event_date_end=end,
        time_precision=time_precision,
        disorder_type=_most_common(e.disorder_type for e in supporting),
        actor1=actor1,
        actor2=actor2,
        actors=[name for name, _ in actor_counts.most_common()],
        inter1=next((e.inter1 for e in supporting if e.actor1 == actor1 and e.inter1 is not None), None),
        inter2=next((e.inter2 for e in supporting if e.actor2 == actor2 and e.inter2 is not None), None),
        civilian_targeting=any(e.civilian_targeting for e in supporting),
        iso=_most_common(e.iso for e in supporting),
        region=_most_common(e.region for e in supporting),
        country=_most_common(e.country for e in supporting),
        admin1=anchor.admin1,
        admin2=anchor.admin2,
        admin3=anchor.admin3,
        location=anchor.location,
        locations=list(dict.fromkeys(e.location for e in events if e.location)),
        latitude=anchor.latitude,
        longitude=anchor.longitude,
        geo_precision=anchor.geo_precision,
        coarsest_geo_precision=max((e.geo_precision for e in events if e.geo_precision), default=None),
        bbox=(min(lats), max(lats), min(lons), max(lons)) if lats else None,
        notes=next((e.notes for e in supporting if e.notes), ""),
        hedge=min((e.hedge for e in events), key=_CERTAINTY.index),
        denied=any(e.hedge == Hedge.DENIED for e in events),
    )


def _source_ref(source: IncidentSource, span_field: str | None = None, event: Event | None = None) -> dict[str, Any]:
    span = source.span
    if span_field and event is not None and event.spans.get(span_field):
        span = event.spans[span_field][0]
    return {
        "source": source.original,
        "outlet": source.outlet,
        "report_id": source.report_id,
        "event_id": source.event_id,
        "hedge": str(source.hedge),
        "span": span.to_dict() if span else None,
    }


def _version(value: str, refs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "value": value,
        "sources": sorted({r["source"] for r in refs}),
        "event_ids": [r["event_id"] for r in refs],
        "refs": refs,
    }


def _count_conflict(field: str, versions: list[list[Estimate]]) -> dict[str, Any]:
    span_field = "fatalities" if field == "fatalities" else field
    return {
        "field": field,
        "versions": [
            _version(group[0].describe(), [_source_ref(e.source, span_field, e.event) for e in group])
            for group in versions
        ],
        "note": "independent sources give counts that no single figure satisfies",
    }


def _toll_conflict(pair: tuple[TollEntry, TollEntry]) -> dict[str, Any]:
    versions = []
    for entry in pair:
        ref = {
            "source": entry.source,
            "outlet": None,
            "report_id": entry.report_id,
            "event_id": entry.event_id,
            "hedge": None,
            "span": entry.span.to_dict() if entry.span else None,
        }
        as_of = entry.as_of.isoformat() if entry.as_of else "?"
        versions.append(_version(f"{entry.best if entry.best is not None else entry.low} as of {as_of}", [ref]))
    return {"field": "fatalities_cumulative", "versions": versions, "note": "running total went down"}


def _comparable_actors(event: Event) -> list[str]:
    return [a for a in event_actors(event) if not fold(a).startswith("unidentified")]


def _state_forces(event: Event) -> set[str]:
    return state_forces(event.actor1, event.inter1, event.actor2, event.inter2)


def _actor_conflict(events: list[Event], sources: dict[str, IncidentSource]) -> dict[str, Any] | None:
    accounts = [(e, _comparable_actors(e)) for e in events if e.hedge != Hedge.DENIED]
    accounts = [(e, names) for e, names in accounts if names]

    def unmatched(ea: Event, a: list[str], eb: Event, b: list[str]) -> bool:
        # One source's "government forces" (the army) and another's named unit of them (a security service, the
        # police) are one party told at two levels of detail, not two parties.
        state_b = bool(_state_forces(eb)) and ea.country == eb.country
        state_a = _state_forces(ea)
        return any(max(actor_similarity(x, y) for y in b) < _ACTOR_MATCH and not (state_b and x in state_a) for x in a)

    conflicting: set[str] = set()
    for i, (ea, a) in enumerate(accounts):
        for eb, b in accounts[i + 1 :]:
            if fold(sources[ea.id].original) == fold(sources[eb.id].original):
                continue
            if unmatched(ea, a, eb, b) and unmatched(eb, b, ea, a):
                conflicting.update((ea.id, eb.id))
    if not conflicting:
        return None
    groups: dict[str, list[dict[str, Any]]] = {}
    for e, names in accounts:
        if e.id in conflicting:
            key = " vs ".join(names)
            groups.setdefault(key, []).append(_source_ref(sources[e.id], "actor1", e))
    return {
        "field": "actors",
        "versions": [_version(k, v) for k, v in groups.items()],
        "note": "sources name different parties",
    }


def _place_conflict(events: list[Event], sources: dict[str, IncidentSource]) -> dict[str, Any] | None:
    towns = [e for e in events if e.hedge != Hedge.DENIED and e.geo_precision == 1 and e.location]
    groups: dict[str, list[Event]] = {}
    for e in towns:
        groups.setdefault(fold(e.location), []).append(e)
    if len(groups) < 2:
        return None
    reps = [g[0] for g in groups.values()]

    def apart(a: Event, b: Event) -> bool:
        if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
            return True  # differently named towns we cannot measure: trust the names
        return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) > TOWN_RADIUS_KM

    if not any(apart(a, b) for i, a in enumerate(reps) for b in reps[i + 1 :]):
        return None
    return {
        "field": "location",
        "versions": [
            _version(g[0].location or "", [_source_ref(sources[e.id], "location", e) for e in g])
            for g in groups.values()
        ],
        "note": "sources place it in different towns",
    }


def _occurrence_conflict(sources: list[IncidentSource]) -> dict[str, Any] | None:
    denying = [s for s in sources if not s.supports]
    supporting = [s for s in sources if s.supports]
    if not denying or not supporting:
        return None
    return {
        "field": "occurred",
        "versions": [
            _version("reported", [_source_ref(s) for s in supporting]),
            _version("denied", [_source_ref(s) for s in denying]),
        ],
        "note": "a source denies that it happened",
    }


def build_incident(incident_id: str, events: list[Event], reports: Mapping[str, Report]) -> Incident:
    """Fuse member events (in joining order) into a full incident: profile, counts, sources, contradictions."""
    if not events:
        raise ValueError("an incident needs at least one event")
    incident = profile(incident_id, events)
    sources = build_sources(events, reports)
    by_event = {s.event_id: s for s in sources}
    incident.sources = sources
    incident.corroboration = independent_count(sources)
    supporting = [e for e in events if by_event[e.id].supports]
    contradictions: list[dict[str, Any]] = []

    for kind in KINDS:
        parts: list[Estimate] = []
        running: list[Estimate] = []
        for e in supporting:
            est = estimate(e, kind, by_event[e.id])
            if est is None:
                continue
            (running if kind == "killed" and e.fatalities_cumulative else parts).append(est)
        # With a running total, per-day and per-place figures are parts of it: different parts are not
        # disagreeing sources, so they are neither compared nor combined (and never added).
        fused = combine([] if running else parts)
        field = "fatalities" if kind == "killed" else kind
        if fused.conflict:
            contradictions.append(_count_conflict(field, fused.conflict))
        low, best, high = fused.low, fused.best, fused.high
        if running:
            history = toll_entries(running)
            incident.toll_history = history
            contradictions.extend(_toll_conflict(pair) for pair in decreases(history))
            latest = max(running, key=lambda est: (_toll_key(est, history), est.lo))
            # The running total contains the daily and per-province parts: it replaces them, never adds.
            low, best, high = latest.lo, latest.best, latest.hi
            incident.fatalities_cumulative = True
        setattr(incident, f"{field}_low", low)
        setattr(incident, f"{field}_best", best)
        setattr(incident, f"{field}_high", high)

    incident.fatalities_reported_unknown = incident.fatalities_best is None and any(
        e.fatalities_reported_unknown for e in supporting
    )
    for conflict in (
        _actor_conflict(events, by_event),
        _place_conflict(events, by_event),
        _occurrence_conflict(sources),
    ):
        if conflict:
            contradictions.append(conflict)
    incident.contradictions = contradictions
    return incident


def _toll_key(est: Estimate, history: list[TollEntry]) -> int:
    """Position of the estimate's entry in the (sorted) toll history: later is more current."""
    for i in range(len(history) - 1, -1, -1):
        if history[i].event_id == est.event.id:
            return i
    return -1
