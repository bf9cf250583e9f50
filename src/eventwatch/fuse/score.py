"""Does this event describe that incident? Blocking gates and the weighted pairwise score.

Gates (any failing one means "not the same incident", whatever the score):

* **time** — the event's date range and the incident's overlap once widened by N days each side, N by the coarser
  ACLED ``time_precision``: 1 (day) → 1 day, 2 (week) → 7, 3 (month) → 31, unknown → 2;
* **space** — haversine distance from the event's point to the incident's bounding box ≤ 50 km, or ≤ 150 km
  when either side is only placed to a region (``geo_precision`` 3); not applied when a side has no coordinates,
  but then the countries (when both known) must agree;
* **type** — event types must be compatible (:data:`TYPE_AGREEMENT` > 0: a protest is never a battle);
* **evidence** — at least one of actors or place must be comparable: type + date alone never merge reports.

Score = Σ wᵢ·sᵢ / Σ wᵢ over the components both sides have (a missing actor list or empty notes is left out rather
than counted as disagreement):

=========  ======  ==================================================================================
component  weight  sᵢ ∈ [0, 1]
=========  ======  ==================================================================================
type       0.20    1 same type and sub-type; 0.6 same type; :data:`TYPE_AGREEMENT` across types
actors     0.30    the event's worst-matched actor: min over its actors of the best case-/diacritic-
                   folded rapidfuzz ``token_set_ratio`` with the incident's core actors (actor1/actor2
                   most sources name), mapped 60 → 0 … 90 → 1; a side a source omits is not a mismatch
place      0.20    1 same place name (folded) or same point; two different towns (both precision 1)
                   0.5·(1 − d/10 km); otherwise 1 − d/radius
date       0.15    1 when the ranges overlap, else 1 − gap/(N+1)
text       0.15    cosine of the notes' embeddings mapped lo → 0 … hi → 1 (USE: 0.35…0.80;
                   trigram fallback: 0.10…0.60, and left out across scripts since it cannot see them)
=========  ======  ==================================================================================

An event joins the best-scoring candidate when its score ≥ :data:`JOIN_THRESHOLD` (0.72); else it opens a new
incident. Two different clashes the same day 15 km apart with different actors score about 0.4 (type and date
agree; actors, place and most of the text do not) and stay apart; the same clash told by a monitor and by an
outlet scores about 0.9; the same town and day but a different opponent scores at most 0.70 (everything else
perfect) and stays apart. Weights and threshold were set on benchmarks/fuse_bench.py's synthetic corpus.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from rapidfuzz import fuzz

from eventwatch.fuse.text import CachedEmbedder, fold, script
from eventwatch.model import Event, Incident

JOIN_THRESHOLD = 0.72
RADIUS_KM = 50.0
RADIUS_REGION_KM = 150.0  # when either side is placed only to a region (geo_precision 3)
TOWN_RADIUS_KM = 10.0  # two differently named towns closer than this may still be one place, mis-assigned
WINDOW_DAYS = {1: 1, 2: 7, 3: 31}
WINDOW_UNKNOWN = 2
WEIGHTS = {"type": 0.20, "actors": 0.30, "place": 0.20, "date": 0.15, "text": 0.15}
# Cosine → score mapping per embedder: (cosine that scores 0, cosine that scores 1).
TEXT_RANGE = {"use-multilingual-v3": (0.35, 0.80), "char-trigram": (0.10, 0.60)}
ACTOR_RANGE = (60.0, 90.0)  # token_set_ratio that scores 0 and 1

# Reports of one happening may code it differently: a clash with shelling is a Battle or Remote violence, an
# airstrike on a village Remote violence or Violence against civilians. Pairs not listed score 0 (gate).
TYPE_AGREEMENT: dict[frozenset[str], float] = {
    frozenset({"Battles", "Explosions/Remote violence"}): 0.5,
    frozenset({"Battles", "Violence against civilians"}): 0.4,
    frozenset({"Explosions/Remote violence", "Violence against civilians"}): 0.5,
    frozenset({"Protests", "Riots"}): 0.5,
    frozenset({"Riots", "Violence against civilians"}): 0.3,
    frozenset({"Strategic developments", "Battles"}): 0.2,
    frozenset({"Strategic developments", "Explosions/Remote violence"}): 0.2,
    frozenset({"Strategic developments", "Violence against civilians"}): 0.2,
}


def window_days(precision: int | None) -> int:
    return WINDOW_DAYS.get(precision or 0, WINDOW_UNKNOWN)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def bbox_distance_km(lat: float, lon: float, bbox: tuple[float, float, float, float]) -> float:
    """Distance from a point to the nearest point of a (small) lat/lon box; 0 inside."""
    lat_min, lat_max, lon_min, lon_max = bbox
    return haversine_km(lat, lon, min(max(lat, lat_min), lat_max), min(max(lon, lon_min), lon_max))


def event_range(event: Event, fallback: date | None = None) -> tuple[date, date] | None:
    """The event's date range; ``fallback`` (the report's date) when it has none."""
    start = event.event_date or fallback
    if start is None:
        return None
    end = event.event_date_end or start
    return start, max(start, end)


def event_actors(event: Event) -> list[str]:
    names: list[str] = []
    for value in (event.actor1, event.actor2, event.assoc_actor_1, event.assoc_actor_2):
        for part in (value or "").split(";"):
            if part.strip() and part.strip() not in names:
                names.append(part.strip())
    return names


def type_agreement(type_a: str, sub_a: str, type_b: str, sub_b: str) -> float:
    if type_a == type_b:
        return 1.0 if sub_a == sub_b else 0.6
    return TYPE_AGREEMENT.get(frozenset({type_a, type_b}), 0.0)


def actor_similarity(a: str, b: str) -> float:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    ratio = fuzz.token_set_ratio(fa, fb)
    lo, hi = ACTOR_RANGE
    return min(1.0, max(0.0, (ratio - lo) / (hi - lo)))


# How alike two namings of one country's state forces are ("Military Forces of Syria" and "General Security
# Service (Syria)", "police" and "army"): sources name the state's side at different levels of detail.
STATE_FORCES_ALIKE = 0.8


def state_forces(actor1: str | None, inter1: int | None, actor2: str | None, inter2: int | None) -> set[str]:
    """The parties coded as state forces (ACLED inter 1)."""
    return {name for name, inter in ((actor1, inter1), (actor2, inter2)) if name and inter == 1}


def actors_score(
    event_names: list[str], incident_names: list[str], state_alike: frozenset[str] = frozenset()
) -> float | None:
    """The worst-matched actor the event names: naming a different opponent means a different clash.
    ``state_alike``: the event's state forces, when the incident also names state forces of the same country."""
    if not event_names or not incident_names:
        return None
    return min(
        max(max(actor_similarity(a, b) for b in incident_names), STATE_FORCES_ALIKE if a in state_alike else 0.0)
        for a in event_names
    )


def core_actors(incident: Incident) -> list[str]:
    """The parties most sources name (not every name any source used: a merged profile must not grow vaguer)."""
    core = [a for a in (incident.actor1, incident.actor2) if a]
    return core or incident.actors


@dataclass(slots=True)
class Score:
    total: float
    parts: dict[str, float]
    gate: str | None = None  # why the pair was ruled out, when it was

    @property
    def passes(self) -> bool:
        return self.gate is None and self.total >= JOIN_THRESHOLD


def _place_score(event: Event, incident: Incident) -> tuple[float | None, str | None]:
    """(score or None when not comparable, gate failure)."""
    names = {fold(n) for n in incident.locations if n}
    if event.location and fold(event.location) in names:
        return 1.0, None
    regional = 3 in (event.geo_precision, incident.coarsest_geo_precision)
    radius = RADIUS_REGION_KM if regional else RADIUS_KM
    if event.latitude is not None and event.longitude is not None and incident.bbox is not None:
        d = bbox_distance_km(event.latitude, event.longitude, incident.bbox)
        if d > radius:
            return 0.0, f"{d:.0f} km apart"
        if d < 0.5:
            return 1.0, None
        if event.geo_precision == 1 and incident.geo_precision == 1 and event.location and names:
            # Two different named towns: only adjacent ones may be one place wrongly assigned by a source.
            return 0.5 * max(0.0, 1 - d / TOWN_RADIUS_KM), None
        return max(0.0, 1 - d / radius), None
    if event.iso and incident.iso and event.iso != incident.iso:
        return 0.0, "different countries"
    if event.country and incident.country and fold(event.country) != fold(incident.country):
        return 0.0, "different countries"
    if event.admin1 and incident.admin1:
        return (0.6 if fold(event.admin1) == fold(incident.admin1) else 0.0), None
    return None, None


def score(event: Event, incident: Incident, embedder: CachedEmbedder, *, fallback_date: date | None = None) -> Score:
    """How likely ``event`` reports ``incident``; see the module docstring for the components and gates."""
    parts: dict[str, float] = {}
    types = type_agreement(event.event_type, event.sub_event_type, incident.event_type, incident.sub_event_type)
    if types <= 0:
        return Score(0.0, {"type": 0.0}, "incompatible event types")
    parts["type"] = types

    span = event_range(event, fallback_date)
    if span is None or incident.event_date is None:
        return Score(0.0, parts, "no date")
    n = max(window_days(event.time_precision), window_days(incident.time_precision))
    inc_end = incident.event_date_end or incident.event_date
    gap = max((incident.event_date - span[1]).days, (span[0] - inc_end).days, 0)
    if gap > n:
        return Score(0.0, parts, f"{gap} days apart")
    parts["date"] = 1.0 if gap == 0 else 1 - gap / (n + 1)

    place, gate = _place_score(event, incident)
    if gate:
        return Score(0.0, parts, gate)
    if place is not None:
        parts["place"] = place
    state_alike: frozenset[str] = frozenset()
    if event.country == incident.country and state_forces(
        incident.actor1, incident.inter1, incident.actor2, incident.inter2
    ):
        state_alike = frozenset(state_forces(event.actor1, event.inter1, event.actor2, event.inter2))
    actors = actors_score(event_actors(event), core_actors(incident), state_alike)
    if actors is not None:
        parts["actors"] = actors
    if place is None and actors is None:
        return Score(0.0, parts, "nothing to compare but type and date")

    if event.notes and incident.notes:
        comparable = embedder.cross_lingual or script(event.notes) == script(incident.notes)
        # The embedding is the costly part: skipped when the text could not change the decision either way.
        weight = sum(WEIGHTS[k] for k in parts) + WEIGHTS["text"]
        known = sum(WEIGHTS[k] * v for k, v in parts.items())
        if comparable and (known / weight >= JOIN_THRESHOLD or (known + WEIGHTS["text"]) / weight < JOIN_THRESHOLD):
            total = known / sum(WEIGHTS[k] for k in parts)
            return Score(total, parts)
        if comparable:
            lo, hi = TEXT_RANGE.get(embedder.name, (0.2, 0.7))
            cosine = embedder.similarity(event.notes, incident.notes)
            parts["text"] = min(1.0, max(0.0, (cosine - lo) / (hi - lo)))

    total = sum(WEIGHTS[k] * v for k, v in parts.items()) / sum(WEIGHTS[k] for k in parts)
    return Score(total, parts)


def blocking_window(event: Event, fallback_date: date | None = None) -> tuple[date, date] | None:
    """Dates a candidate incident must overlap for ``event`` to be compared with it."""
    span = event_range(event, fallback_date)
    if span is None:
        return None
    # Widen by the coarsest window an incident could have (a month) only when the event is itself vague;
    # incidents coded to the month are rare and the exact gate is applied afterwards anyway.
    pad = timedelta(days=max(window_days(event.time_precision), WINDOW_DAYS[2]))
    return span[0] - pad, span[1] + pad


def blocking_bbox(event: Event) -> tuple[float, float, float, float] | None:
    """lat_min, lat_max, lon_min, lon_max a candidate incident's box must touch (None: event not placed)."""
    if event.latitude is None or event.longitude is None:
        return None
    dlat = RADIUS_REGION_KM / 111.0
    dlon = RADIUS_REGION_KM / (111.0 * max(0.1, math.cos(math.radians(event.latitude))))
    return event.latitude - dlat, event.latitude + dlat, event.longitude - dlon, event.longitude + dlon
