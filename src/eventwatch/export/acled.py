"""Events as ACLED rows: ACLED's columns, in ACLED's order, with ACLED's value conventions.

``fatalities`` is written as ACLED writes it: the number the sources give, 0 where they report none and where
they do not speak of deaths at all (ACLED's export has no empty value). Where deaths are reported but not
counted ("both sides sustained losses") the cell is empty and ``tags`` says ``fatalities reported, number
unknown``: eventwatch never outputs a number that no source said. The JSON exports and the API keep the three
cases apart in ``fatalities_status``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from eventwatch.export.countries import lookup_country
from eventwatch.model import ACLED_COLUMNS, Event

# ACLED's disorder type follows from the event type (Strategic developments depend on context).
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence; Demonstrations",
    "Strategic developments": "Strategic developments",
}


def event_id_cnty(event: Event) -> str:
    """ACLED-style id: ISO alpha-3 of the country, then a stable number derived from our event id."""
    country = lookup_country(event.iso) or lookup_country(event.country)
    prefix = country.iso3 if country else "XXX"
    return f"{prefix}{int(event.id[:10], 16) % 10**8:08d}"


def _tags(event: Event) -> str:
    tags: list[str] = []
    if event.fatalities_reported_unknown and event.fatalities_best is None:
        tags.append("fatalities reported, number unknown")
    if event.fatalities_cumulative:
        tags.append("cumulative toll")
    if event.fatalities_low is not None and event.fatalities_high is None and event.fatalities_best is not None:
        tags.append(f"fatalities at least {event.fatalities_low}")
    if event.detained_low is not None:
        tags.append(f"detained {event.detained_low}" + (f"-{event.detained_high}" if event.detained_high else "+"))
    if event.background:
        tags.append("background event")
    if event.hedge != "confirmed":
        tags.append(f"source certainty: {event.hedge}")
    return "; ".join(tags)


# Report text is hostile input: a cell starting like a formula would run in a spreadsheet (CSV injection).
_FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?!\d))")
_TEXT_COLUMNS: tuple[str, ...] = (
    *("actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "admin1", "admin2", "admin3", "location"),
    *("source", "notes", "tags", "country", "region"),
)


def _inert(value: Any) -> Any:
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def acled_row(event: Event, *, exported_at: datetime | None = None) -> dict[str, Any]:
    """One ACLED-format row for an event (keys are exactly :data:`ACLED_COLUMNS`)."""
    country = lookup_country(event.iso) or lookup_country(event.country)
    fatalities = event.fatalities if event.fatalities is not None else event.fatalities_best
    if fatalities is None and event.fatalities_status == "not mentioned":
        fatalities = 0  # ACLED codes an event whose sources speak of no deaths as 0
    row: dict[str, Any] = {
        "event_id_cnty": event_id_cnty(event),
        "event_date": event.event_date.isoformat() if event.event_date else "",
        "year": event.event_date.year if event.event_date else "",
        "time_precision": event.time_precision or "",
        "disorder_type": event.disorder_type or _DISORDER.get(event.event_type, ""),
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1 or "",
        "assoc_actor_1": event.assoc_actor_1 or "",
        "inter1": event.inter1 if event.inter1 is not None else "",
        "actor2": event.actor2 or "",
        "assoc_actor_2": event.assoc_actor_2 or "",
        "inter2": event.inter2 if event.inter2 is not None else "",
        "interaction": event.interaction if event.interaction is not None else "",
        "civilian_targeting": "Civilian targeting" if event.civilian_targeting else "",
        "iso": country.numeric if country else "",
        "region": event.region or (country.acled_region if country else ""),
        "country": event.country or (country.name if country else ""),
        "admin1": event.admin1 or "",
        "admin2": event.admin2 or "",
        "admin3": event.admin3 or "",
        "location": event.location or "",
        "latitude": f"{event.latitude:.4f}" if event.latitude is not None else "",
        "longitude": f"{event.longitude:.4f}" if event.longitude is not None else "",
        "geo_precision": event.geo_precision or "",
        "source": event.source or "",
        "source_scale": event.source_scale or "",
        "notes": event.notes,
        "fatalities": fatalities if fatalities is not None else "",
        "tags": _tags(event),
        "timestamp": int((exported_at or datetime.now()).timestamp()),
    }
    assert tuple(row) == ACLED_COLUMNS
    for column in _TEXT_COLUMNS:
        row[column] = _inert(row[column])
    return row
