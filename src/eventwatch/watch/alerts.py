"""Alert rules over incidents: what changed since the alerter last looked, and which rules that fires.

Change detection reads stored incidents only, never fusion's internals: each incident is reduced to a small
:func:`incident_state` (type, place, actors, counts, independent sources, contradicted fields), kept in the store
as a snapshot when it is evaluated, and the next version of the incident is compared with that snapshot
(:func:`changes`). So whatever wrote the incident — the watcher, ``eventwatch ingest``, a POST to the API — and
however fusion decided, the alerter sees the same four kinds of change:

* ``new_incident`` — an incident the alerter has not seen; for a rule, also an incident that grows into the
  rule's filters (its toll reaches ``min_fatalities``, a second source brings it to ``min_sources``);
* ``toll_rose`` — the best fatality figure (else the low bound) went up, or a first figure was reported;
* ``new_source`` — more independent sources (corroboration) than before;
* ``contradiction`` — a field sources disagree on that was not contradicted before.

An alert's id is a hash of rule, incident and the change's key (``toll:7``, ``sources:2``,
``contradiction:fatalities``), and the store keeps an id once: the same change never fires twice, even when an
incident is re-evaluated after a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventwatch.extract.lexicon import fold
from eventwatch.fuse.export import incident_record
from eventwatch.fuse.score import bbox_distance_km, haversine_km
from eventwatch.model import Incident, Report, sha256_hex
from eventwatch.watch.config import RuleConfig

TextLookup = Callable[[str], str | None]


def incident_state(incident: Incident) -> dict[str, Any]:
    """What rules filter on and changes are detected from: plain JSON, kept as the incident's snapshot."""
    actors = sorted({a for a in (incident.actor1, incident.actor2, *incident.actors) if a})
    return {
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "event_date": incident.event_date.isoformat() if incident.event_date else None,
        "event_date_end": incident.event_date_end.isoformat() if incident.event_date_end else None,
        "country": incident.country,
        "iso": incident.iso,
        "admin1": incident.admin1,
        "admin2": incident.admin2,
        "location": incident.location,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "bbox": list(incident.bbox) if incident.bbox else None,
        "actors": actors,
        "fatalities_low": incident.fatalities_low,
        "fatalities_best": incident.fatalities_best,
        "fatalities_high": incident.fatalities_high,
        "corroboration": incident.corroboration,
        "originals": sorted({s.original for s in incident.sources if s.supports}),
        "n_sources": len(incident.sources),
        "contradictions": sorted({str(c.get("field", "")) for c in incident.contradictions}),
        "denied": incident.denied,
    }


def toll(state: dict[str, Any]) -> int | None:
    """The figure a rule compares with ``min_fatalities``: the best estimate, else the lower bound."""
    best = state.get("fatalities_best")
    value = best if best is not None else state.get("fatalities_low")
    return int(value) if value is not None else None


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    key: str  # with rule and incident, identifies the firing: the same key never fires twice
    detail: dict[str, Any] = field(default_factory=dict)


def changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[Change]:
    """What is new in ``current`` compared with the snapshot ``previous`` (None: never seen)."""
    if previous is None:
        return [Change("new_incident", "new")]
    out: list[Change] = []
    before, now = toll(previous), toll(current)
    if now is not None and (before is None or now > before):
        out.append(Change("toll_rose", f"toll:{now}", {"from": before, "to": now}))
    if current["corroboration"] > previous["corroboration"]:
        added = sorted(set(current["originals"]) - set(previous["originals"]))
        out.append(
            Change(
                "new_source",
                f"sources:{current['corroboration']}",
                {"from": previous["corroboration"], "to": current["corroboration"], "new_sources": added},
            )
        )
    for name in sorted(set(current["contradictions"]) - set(previous["contradictions"])):
        out.append(Change("contradiction", f"contradiction:{name}", {"field": name}))
    return out


@dataclass(frozen=True, slots=True)
class Rule:
    """A configured rule with its place resolved to a point (see :func:`compile_rule`)."""

    config: RuleConfig
    centre: tuple[float, float] | None = None  # lat, lon of ``near``
    centre_name: str | None = None
    admin1: frozenset[str] = frozenset()  # folded: the rule's admin1 names and the spellings incidents carry

    @property
    def name(self) -> str:
        return self.config.name


class RuleError(ValueError):
    """A rule cannot be used as written (a place the gazetteer does not know)."""


def _admin1_names(names: Iterable[str]) -> frozenset[str]:
    """A rule's admin1 names with the spelling incidents carry for the same areas (``admin1_spellings``)."""
    from eventwatch.resolve.gazetteer import admin1_spellings

    return frozenset(_folded(admin1_spellings(list(names))))


def compile_rule(config: RuleConfig) -> Rule:
    """Resolve the rule's ``near.place`` in the offline gazetteer (the candidate in ``near.country`` if given,
    curated entries first, then the most populous) and its admin1 names to every spelling of those areas."""
    admin1 = _admin1_names(config.admin1) if config.admin1 else frozenset()
    near = config.near
    if near is None:
        return Rule(config, admin1=admin1)
    if near.lat is not None and near.lon is not None:
        return Rule(config, (near.lat, near.lon), f"{near.lat:.4f}, {near.lon:.4f}", admin1)
    from eventwatch.resolve.gazetteer import candidates

    assert near.place is not None
    found = [c for c in candidates(near.place) if c.latitude is not None and c.longitude is not None]
    if near.country:
        wanted = fold(near.country)
        found = [c for c in found if wanted in (fold(c.iso2), fold(c.country))]
    if not found:
        where = f" in {near.country}" if near.country else ""
        raise RuleError(f"rule {config.name!r}: place {near.place!r}{where} is not in the gazetteer; give lat and lon")
    best = max(found, key=lambda c: (c.curated, c.feature_class == "P", c.population))
    assert best.latitude is not None and best.longitude is not None
    return Rule(config, (best.latitude, best.longitude), f"{best.name}, {best.country} ({best.id})", admin1)


def _folded(values: Iterable[str]) -> set[str]:
    return {fold(v.strip()) for v in values if v.strip()}


def _distance_km(rule: Rule, state: dict[str, Any]) -> float | None:
    if rule.centre is None:
        return None
    lat, lon = rule.centre
    box = state.get("bbox")
    if box:
        return bbox_distance_km(lat, lon, (box[0], box[1], box[2], box[3]))
    if state.get("latitude") is None or state.get("longitude") is None:
        return None
    return haversine_km(lat, lon, state["latitude"], state["longitude"])


def matches(rule: Rule, state: dict[str, Any]) -> bool:
    """Does the incident (as ``state``) pass every filter of ``rule``? Names compare case- and accent-folded."""
    cfg = rule.config
    if state["corroboration"] < cfg.min_sources:
        return False
    if cfg.min_fatalities is not None and (toll(state) or 0) < cfg.min_fatalities:
        return False
    if cfg.country and not _folded(cfg.country) & _folded([state.get("country") or "", state.get("iso") or ""]):
        return False
    if cfg.admin1 and fold(state.get("admin1") or "") not in (rule.admin1 or _folded(cfg.admin1)):
        return False
    if cfg.event_type and not _folded(cfg.event_type) & _folded([state["event_type"], state["sub_event_type"]]):
        return False
    if cfg.actors:
        named = [fold(a) for a in state["actors"]]
        if not any(want in actor for want in _folded(cfg.actors) for actor in named):
            return False
    if cfg.near is not None:
        distance = _distance_km(rule, state)
        if distance is None or distance > cfg.near.radius_km:
            return False
    return True


def firings(rule: Rule, previous: dict[str, Any] | None, current: dict[str, Any]) -> list[Change]:
    """The changes ``rule`` fires on. An incident that newly matches the rule (new, or grown into its filters)
    fires ``new_incident`` alone when the rule listens for it, its other changes told in the detail; otherwise
    each change of a kind the rule listens for fires."""
    if not matches(rule, current):
        return []
    found = changes(previous, current)
    listens = set(rule.config.on)
    newly = previous is None or not matches(rule, previous)
    if newly and "new_incident" in listens:
        also = [c.kind for c in found if c.kind != "new_incident"]
        detail = {"now_matches": previous is not None, "also": also} if previous is not None else {}
        return [Change("new_incident", "new", detail)]
    return [c for c in found if c.kind in listens and c.kind != "new_incident"]


def alert_id(rule: str, incident_id: str, change: Change) -> str:
    return sha256_hex(f"alert:{rule}:{incident_id}:{change.key}".encode())[:32]


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(incident: Incident, change: Change) -> str:
    """One line for people: what changed, then the incident (type, place, date, toll, sources)."""
    where = ", ".join(x for x in (incident.location, incident.admin1, incident.country) if x) or "unknown place"
    when = f" on {incident.event_date.isoformat()}" if incident.event_date else ""
    killed = toll(incident_state(incident))
    counts = f", {killed} killed" if killed is not None else ""
    originals = sorted({s.original for s in incident.sources if s.supports})
    sources = f"{_count(incident.corroboration, 'independent source')} ({', '.join(originals)})" if originals else ""
    what = f"{incident.event_type} / {incident.sub_event_type} in {where}{when}{counts}; {sources}".rstrip("; ")
    detail = change.detail
    if change.kind == "new_incident":
        head = "Now matches" if detail.get("now_matches") else "New incident"
    elif change.kind == "toll_rose":
        head = f"Toll rose from {detail['from']} to {detail['to']}" if detail["from"] is not None else "Toll reported"
    elif change.kind == "new_source":
        head = f"New independent source ({', '.join(detail['new_sources']) or 'another'}): now {detail['to']}"
    else:
        field_ = detail["field"]
        versions: list[dict[str, Any]] = next(
            (c.get("versions", []) for c in incident.contradictions if c.get("field") == field_), []
        )
        values = " vs ".join(str(v.get("value")) for v in versions)
        head = f"Contradiction on {field_}" + (f" ({values})" if values else "")
    return f"{head}: {what}"


def payload(
    *,
    alert: str,
    rule: Rule,
    incident: Incident,
    change: Change,
    summary: str,
    reports: Iterable[Report],
    text_of: TextLookup,
    created_at: datetime,
    dashboard: str | None = None,
) -> dict[str, Any]:
    """What a webhook receives and the JSON Lines file holds: the alert, the change, the incident with every source
    and span (quoted from the stored reports), and the reports' outlet, link and time."""
    record: dict[str, Any] = {
        "id": alert,
        "rule": rule.name,
        "kind": change.kind,
        "summary": summary,
        "change": change.detail,
        "created_at": created_at.isoformat(),
        "incident_id": incident.id,
        "incident": incident_record(incident, text_of),
        "reports": [
            {
                "id": r.id,
                "source": r.source,
                "url": r.url,
                "title": r.title,
                "published_at": r.published_at.isoformat() if r.published_at else None,
                "retrieved_at": r.retrieved_at.isoformat(),
                "origin": r.origin,
            }
            for r in reports
        ],
    }
    if dashboard:
        record["link"] = f"{dashboard.rstrip('/')}/#incident/{incident.id}"
    return record
