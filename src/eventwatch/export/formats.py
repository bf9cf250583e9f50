"""Writers for events: ACLED-compatible CSV, GeoJSON and JSON Lines (with the evidence text of every span)."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

from eventwatch.export.acled import acled_row, event_id_cnty
from eventwatch.model import ACLED_COLUMNS, Event

FORMATS = ("acled-csv", "geojson", "jsonl")

# Given a report id, the report's text (or None when unknown): lets exports quote the evidence of each span.
TextLookup = Callable[[str], str | None]


def event_record(event: Event, text_of: TextLookup | None = None) -> dict[str, Any]:
    """A JSON-ready dict of every event field, spans given as offsets plus the quoted text they cover."""
    record: dict[str, Any] = {"event_id_cnty": event_id_cnty(event)}
    text = text_of(event.report_id) if text_of else None
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        if f.name == "spans":
            value = {
                name: [
                    {"start": s.start, "end": s.end, **({"text": s.of(text)} if text is not None else {})}
                    for s in spans
                ]
                for name, spans in value.items()
            }
        elif isinstance(value, date):
            value = value.isoformat()
        record[f.name] = value
    record["interaction"] = event.interaction
    record["fatalities_status"] = event.fatalities_status
    return record


def write_acled_csv(events: Iterable[Event], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(acled_row(event))
        count += 1
    return count


def write_jsonl(events: Iterable[Event], out: IO[str], text_of: TextLookup | None = None) -> int:
    count = 0
    for event in events:
        out.write(json.dumps(event_record(event, text_of), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_geojson(events: Iterable[Event], out: IO[str], text_of: TextLookup | None = None) -> int:
    """A FeatureCollection; events without coordinates keep a null geometry rather than vanish."""
    features = []
    for event in events:
        geometry = (
            {"type": "Point", "coordinates": [event.longitude, event.latitude]}
            if event.latitude is not None and event.longitude is not None
            else None
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": event_record(event, text_of)})
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(features)


def write_events(events: Iterable[Event], fmt: str, path: Path, text_of: TextLookup | None = None) -> int:
    """Write events to ``path`` in ``fmt`` (one of :data:`FORMATS`) atomically; returns the number written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        if fmt == "acled-csv":
            count = write_acled_csv(events, out)
        elif fmt == "geojson":
            count = write_geojson(events, out, text_of)
        else:
            count = write_jsonl(events, out, text_of)
    tmp.replace(path)  # never leave a half-written export where the last good one was
    return count
