"""Aligning the events extracted from a gold row's notes to that row.

One ACLED row is one event, but its notes can yield several (a clash plus the shelling that followed, or a
background mention of last week's attack). The rule, applied in order:

1. Background events (``Event.background``: past context, not the news) are never candidates.
2. No candidate left → "no event extracted" for this row.
3. If any candidate has the gold ``event_type``, only those stay in the running.
4. Among those, the one agreeing with gold on the most fields wins: sub_event_type, event_date, actor1, actor2,
   admin1, location within 25 km, fatalities (same comparisons as the metrics).
5. Ties go to the higher ``confidence``, then to the earlier event in the system's output.

This is optimistic by design (it looks at the answer to choose), like every "best match" alignment: it scores
what the system *can* produce for a row, while ``no_event.share`` and the event_type accuracy still punish
rows where nothing usable came out.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventwatch.evaluate.gold import GoldRow
from eventwatch.evaluate.metrics import Prediction, actors_match, fold, haversine_km
from eventwatch.model import Event


def to_prediction(event: Event) -> Prediction:
    fatalities = event.fatalities if event.fatalities is not None else event.fatalities_best
    return Prediction(
        event_type=event.event_type or None,
        sub_event_type=event.sub_event_type or None,
        event_date=event.event_date,
        actor1=event.actor1,
        actor2=event.actor2,
        admin1=event.admin1,
        latitude=event.latitude,
        longitude=event.longitude,
        fatalities=fatalities,
        country=event.country,
        admin2=event.admin2,
        location=event.location,
        geo_precision=event.geo_precision,
        time_precision=event.time_precision,
        inter1=event.inter1,
        inter2=event.inter2,
        assoc_actor_1=event.assoc_actor_1 or None,
        assoc_actor_2=event.assoc_actor_2 or None,
    )


def agreement(row: GoldRow, pred: Prediction) -> int:
    """How many of the tie-break fields agree with gold (rule 4)."""
    hits = 0
    hits += bool(row.sub_event_type) and pred.sub_event_type == row.sub_event_type
    hits += row.event_date is not None and pred.event_date == row.event_date
    hits += bool(row.actor1) and actors_match(row.actor1, pred.actor1)
    hits += bool(row.actor1) and actors_match(row.actor2, pred.actor2)
    hits += bool(row.admin1) and fold(pred.admin1) == fold(row.admin1)
    if None not in (row.latitude, row.longitude, pred.latitude, pred.longitude):
        assert row.latitude is not None and row.longitude is not None  # narrowed above; for mypy
        assert pred.latitude is not None and pred.longitude is not None
        hits += haversine_km(row.latitude, row.longitude, pred.latitude, pred.longitude) <= 25.0
    if row.fatalities is not None:
        hits += row.fatalities == (pred.fatalities or 0)
    return int(hits)


def align(row: GoldRow, events: Sequence[Event]) -> Event | None:
    candidates = [e for e in events if not e.background]
    if not candidates:
        return None
    same_type = [e for e in candidates if e.event_type == row.event_type]
    pool = same_type or candidates
    # max() keeps the first of equal keys, which is rule 5's "earlier event".
    return max(pool, key=lambda e: (agreement(row, to_prediction(e)), e.confidence))
