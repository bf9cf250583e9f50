"""Incidents out: ACLED rows (one per incident-day) and JSON records with every source, span and toll.

ACLED CSV rule — one row per day of the incident's date range, like ACLED's own multi-day coding. Each row is a
representative :class:`~eventwatch.model.Event` rendered by :func:`eventwatch.export.acled.acled_row`, so the ACLED
mapping lives in one place. The incident's counts (best; low/high in the tags) go on **one** day only: the day the
sources date the figure — the as-of day of the latest running total, else the day most often given by the events
whose figure is the incident's best (a multi-day figure: its last day). The other days' fatalities are left empty
(unknown), never 0 and never a share: summing the column must not double count. The ``source`` column lists the
independent originals; tags add the incident id, corroboration and any contradiction. An incident that only
denials speak of (no supporting source) is not an event and gets no row; it stays in the JSON export.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import IO, Any

from eventwatch.export.acled import acled_row
from eventwatch.fuse.counts import figures
from eventwatch.model import ACLED_COLUMNS, Event, Incident, Span, sha256_hex

TextLookup = Callable[[str], str | None]


def incident_days(incident: Incident) -> list[date | None]:
    if incident.event_date is None:
        return [None]
    end = incident.event_date_end or incident.event_date
    return [incident.event_date + timedelta(days=i) for i in range((end - incident.event_date).days + 1)]


def count_day(incident: Incident, events: dict[str, Event] | None = None) -> date | None:
    """The day the sources date the incident's figures (see the module docstring)."""
    days = incident_days(incident)
    if days == [None]:
        return None
    first, last = days[0], days[-1]
    assert first is not None and last is not None
    if incident.fatalities_cumulative and incident.toll_history:
        as_of = incident.toll_history[-1].as_of or last
        return min(max(as_of, first), last)
    if events and incident.fatalities_best is not None:
        dated: Counter[date] = Counter()
        for source in incident.sources:
            event = events.get(source.event_id)
            if event is None or not source.supports or event.event_date is None:
                continue
            if incident.fatalities_best in figures(event, "killed"):
                dated[event.event_date_end or event.event_date] += 1
        if dated:
            top = max(dated.values())
            day = min(d for d, n in dated.items() if n == top)
            return min(max(day, first), last)
    dated_sources = Counter(s.event_date for s in incident.sources if s.supports and s.event_date)
    if dated_sources:
        day = dated_sources.most_common(1)[0][0]
        return min(max(day, first), last)
    return first


def _originals(incident: Incident) -> list[str]:
    return list(dict.fromkeys(s.original for s in incident.sources if s.supports))


def day_event(incident: Incident, day: date | None, *, with_counts: bool) -> Event:
    """A representative event for one day of the incident, for :func:`acled_row`."""
    n_reports = len(incident.report_ids)
    suffix = (
        f"[fused from {n_reports} report{'s' if n_reports != 1 else ''}, "
        f"{incident.corroboration} independent source{'s' if incident.corroboration != 1 else ''}]"
    )
    notes = f"{incident.notes} {suffix}" if incident.notes else suffix
    event = Event(
        report_id=incident.id,
        event_type=incident.event_type,
        sub_event_type=incident.sub_event_type,
        event_date=day,
        event_date_end=day,
        time_precision=incident.time_precision,
        disorder_type=incident.disorder_type,
        actor1=incident.actor1,
        inter1=incident.inter1,
        actor2=incident.actor2,
        inter2=incident.inter2,
        civilian_targeting=incident.civilian_targeting,
        iso=incident.iso,
        region=incident.region,
        country=incident.country,
        admin1=incident.admin1,
        admin2=incident.admin2,
        admin3=incident.admin3,
        location=incident.location,
        latitude=incident.latitude,
        longitude=incident.longitude,
        geo_precision=incident.geo_precision,
        notes=notes,
        source="; ".join(_originals(incident)),
        hedge=incident.hedge,
        id=sha256_hex(f"{incident.id}:{day.isoformat() if day else ''}".encode())[:24],
    )
    if with_counts:
        event.fatalities_low, event.fatalities_best = incident.fatalities_low, incident.fatalities_best
        event.fatalities_high = incident.fatalities_high
        event.fatalities_reported_unknown = incident.fatalities_reported_unknown
        event.fatalities_cumulative = incident.fatalities_cumulative
        event.injured_low, event.injured_best = incident.injured_low, incident.injured_best
        event.injured_high = incident.injured_high
        event.detained_low, event.detained_best = incident.detained_low, incident.detained_best
        event.detained_high = incident.detained_high
    return event


def incident_rows(
    incident: Incident, events: dict[str, Event] | None = None, *, exported_at: datetime | None = None
) -> list[dict[str, Any]]:
    """ACLED rows for one incident, one per day (none for an incident only denials speak of)."""
    if incident.corroboration == 0:
        return []
    days = incident_days(incident)
    counted = count_day(incident, events)
    rows = []
    for i, day in enumerate(days, 1):
        row = acled_row(day_event(incident, day, with_counts=day == counted), exported_at=exported_at)
        extra = [f"incident {incident.id}"]
        if len(days) > 1:
            extra.append(f"day {i} of {len(days)}")
        extra.append(f"corroboration {incident.corroboration} independent of {len(incident.sources)} sources")
        low, high = incident.fatalities_low, incident.fatalities_high
        if day == counted and low is not None and high is not None and high != low:
            extra.append(f"fatalities {incident.fatalities_low}-{incident.fatalities_high}")
        if incident.contradictions:
            extra.append("contradiction: " + ", ".join(c["field"] for c in incident.contradictions))
        row["tags"] = "; ".join(t for t in [row["tags"], *extra] if t)
        rows.append(row)
    return rows


def write_incidents_csv(
    incidents: Iterable[Incident], out: IO[str], events: dict[str, Event] | None = None
) -> tuple[int, int]:
    """Write ACLED rows; returns (incidents written, rows written)."""
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n_incidents = n_rows = 0
    exported_at = datetime.now()
    for incident in incidents:
        rows = incident_rows(incident, events, exported_at=exported_at)
        writer.writerows(rows)
        n_incidents += bool(rows)
        n_rows += len(rows)
    return n_incidents, n_rows


def _jsonable(value: Any, text_of: TextLookup | None) -> Any:
    if isinstance(value, Span):
        record = value.to_dict()
        text = text_of(value.report_id) if text_of else None
        if text is not None:
            record["text"] = value.of(text)
        return record
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        record = {f.name: _jsonable(getattr(value, f.name), text_of) for f in dataclasses.fields(value)}
        if hasattr(value, "supports"):
            record["supports"] = value.supports
        return record
    if isinstance(value, dict):
        if set(value) == {"report_id", "start", "end"} and text_of is not None:
            text = text_of(value["report_id"])
            if text is not None:
                return {**value, "text": text[value["start"] : value["end"]]}
        return {k: _jsonable(v, text_of) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v, text_of) for v in value]
    return value


def incident_record(incident: Incident, text_of: TextLookup | None = None) -> dict[str, Any]:
    """Every incident field, JSON-ready; spans carry the quoted evidence text when ``text_of`` knows the report."""
    record: dict[str, Any] = _jsonable(incident, text_of)
    record["contradicted"] = incident.contradicted
    return record


def write_incidents_json(incidents: Iterable[Incident], out: IO[str], text_of: TextLookup | None = None) -> int:
    """A JSON array of incident records (with sources, toll history and contradictions)."""
    out.write("[\n")
    count = 0
    for incident in incidents:
        if count:
            out.write(",\n")
        out.write(json.dumps(incident_record(incident, text_of), ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count
