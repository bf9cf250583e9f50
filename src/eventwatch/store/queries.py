"""Filtered, paginated read queries over the store's schema, for the API and dashboard; SQLite and PostgreSQL.

Kept apart from :mod:`eventwatch.store.sqlite` (the write path) so readers never hold the writer's connection.
Every user value reaches SQL as a bound parameter; only fixed column names and operators are ever formatted into
the SQL text, so filter strings such as ``'; DROP TABLE events; --`` are plain values.

The SQL is the common ground of both databases (``lower()`` for case-insensitive matches, ``IS NOT DISTINCT
FROM``, explicit ``NULLS FIRST/LAST``); the few functions that differ are chosen by :func:`_sql_for`. Both schemas
hold the same values (ISO text dates, 0/1 flags, JSON text), so every answer is the same on either backend.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eventwatch.model import Event, Hedge, utcnow
from eventwatch.store.connection import Connection, connect, has_table, is_pg
from eventwatch.store.sqlite import _event_from_row

__all__ = ["Connection", "connect", "has_table"]

MAX_LIMIT = 1000
MAP_LIMIT = 50_000

# The few expressions the two databases spell differently: (SQLite, PostgreSQL).
_DIALECT = {
    # does text {0} contain {1}
    "contains": ("instr({0}, {1}) > 0", "strpos({0}, {1}) > 0"),
    # the elements of the JSON list of text {0}, as rows with a column "value"
    "json_items": ("json_each({0}) AS a", "jsonb_array_elements_text(({0})::jsonb) AS a(value)"),
    # the Monday starting the week of ISO date {0}
    "week": ("date({0}, '-6 days', 'weekday 1')", "to_char(date_trunc('week', ({0})::date), 'YYYY-MM-DD')"),
}


def _sql_for(db: Connection | None, name: str, *args: str) -> str:
    """Expression ``name`` over ``args`` in the dialect of ``db`` (SQLite's when None)."""
    return _DIALECT[name][1 if db is not None and is_pg(db) else 0].format(*args)


@dataclass(slots=True)
class Filters:
    """What a dashboard or API client can narrow a view by. Empty fields do not filter."""

    since: date | None = None  # events ending on or after
    until: date | None = None  # events starting on or before
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    country: str | None = None  # name or ISO alpha-2
    admin1: list[str] = field(default_factory=list)
    event_type: list[str] = field(default_factory=list)
    actor: str | None = None
    source: list[str] = field(default_factory=list)
    min_corroboration: int | None = None
    include_background: bool = True
    report_id: str | None = None


def _in(column: str, values: Sequence[str], params: list[Any], *, nocase: bool = False) -> str:
    """``column IN (?, …)``; ``nocase`` folds ASCII case on both sides (SQLite's NOCASE, PostgreSQL's lower() on
    "C"-collated text: the same rule)."""
    params.extend(values)
    if nocase:
        return f"lower({column}) IN ({','.join('lower(?)' for _ in values)})"
    return f"{column} IN ({','.join('?' for _ in values)})"


# Until incidents exist, an event's corroboration is the number of distinct outlets that reported an event of
# the same type, day and place: a cheap, explainable stand-in for fusion.
_CORROBORATION = (
    "(SELECT count(DISTINCT coalesce(r2.source, r2.id)) FROM events e2 JOIN reports r2 ON r2.id = e2.report_id "
    "WHERE e2.event_type = e.event_type AND e2.event_date IS NOT DISTINCT FROM e.event_date "
    "AND coalesce(e2.location, e2.admin1, '') = coalesce(e.location, e.admin1, ''))"
)


def _shared_clauses(f: Filters, params: list[Any]) -> list[str]:
    """Conditions on the columns events and incidents share (both queried as ``e``): dates, box, place, type."""
    clauses: list[str] = []
    if f.since is not None:
        clauses.append("coalesce(e.event_date_end, e.event_date) >= ?")
        params.append(f.since.isoformat())
    if f.until is not None:
        clauses.append("e.event_date <= ?")
        params.append(f.until.isoformat())
    if f.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        clauses.append("e.longitude BETWEEN ? AND ? AND e.latitude BETWEEN ? AND ?")
        params.extend([min_lon, max_lon, min_lat, max_lat])
    if f.country:
        clauses.append("(lower(e.country) = lower(?) OR lower(e.iso) = lower(?))")
        params.extend([f.country, f.country])
    if f.admin1:
        from eventwatch.resolve.gazetteer import admin1_spellings

        clauses.append(_in("e.admin1", admin1_spellings(f.admin1), params, nocase=True))
    if f.event_type:
        clauses.append(_in("e.event_type", f.event_type, params, nocase=True))
    return clauses


def event_where(f: Filters, params: list[Any], db: Connection | None = None) -> str:
    """SQL condition over ``events e JOIN reports r`` for the filters; appends the bound values to ``params``.
    ``db`` picks the dialect (SQLite's when None)."""
    clauses = _shared_clauses(f, params)
    if f.actor:
        assoc = "lower(coalesce(e.assoc_actor_1, '') || ';' || coalesce(e.assoc_actor_2, ''))"
        contains = _sql_for(db, "contains", assoc, "lower(?)")
        clauses.append(f"(lower(e.actor1) = lower(?) OR lower(e.actor2) = lower(?) OR {contains})")
        params.extend([f.actor, f.actor, f.actor])
    if f.source:
        clauses.append(f"({_in('r.source', f.source, params, nocase=True)} OR {_in('e.source', f.source, params)})")
    if f.min_corroboration is not None and f.min_corroboration > 1:
        clauses.append(f"{_CORROBORATION} >= ?")
        params.append(f.min_corroboration)
    if not f.include_background:
        clauses.append("e.background = 0")
    if f.report_id:
        clauses.append("e.report_id = ?")
        params.append(f.report_id)
    return " AND ".join(clauses) or "1=1"


_FROM_EVENTS = "FROM events e JOIN reports r ON r.id = e.report_id"


@dataclass(slots=True)
class Page:
    items: list[Any]
    total: int
    limit: int
    offset: int


def _clamp(limit: int, offset: int, maximum: int = MAX_LIMIT) -> tuple[int, int]:
    return max(0, min(limit, maximum)), max(0, offset)


def query_events(db: Connection, f: Filters, *, limit: int = 100, offset: int = 0) -> Page:
    """One page of events matching ``f``, newest first, with the total number that match."""
    limit, offset = _clamp(limit, offset)
    params: list[Any] = []
    where = event_where(f, params, db)
    total = int(db.execute(f"SELECT count(*) {_FROM_EVENTS} WHERE {where}", params).fetchone()[0])
    rows = db.execute(
        f"SELECT e.*, r.source AS report_source, r.published_at AS report_published_at {_FROM_EVENTS} "
        f"WHERE {where} ORDER BY e.event_date IS NULL, e.event_date DESC, e.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return Page([_event_from_row(row) for row in rows], total, limit, offset)


def iter_events(db: Connection, f: Filters) -> Iterator[Event]:
    """Every event matching ``f`` (for downloads), oldest first like the CLI's exports."""
    params: list[Any] = []
    where = event_where(f, params, db)
    for row in db.execute(f"SELECT e.* {_FROM_EVENTS} WHERE {where} ORDER BY e.event_date NULLS FIRST, e.id", params):
        yield _event_from_row(row)


def get_event(db: Connection, event_id: str) -> Event | None:
    row = db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    return _event_from_row(row) if row else None


Kind = str  # "events" | "incidents"


def _scope(db: Connection, kind: Kind, f: Filters, params: list[Any]) -> tuple[str, str, str]:
    """FROM clause, WHERE condition and fatalities expression for a view of events or of incidents."""
    if kind == "incidents":
        if not has_table(db, "incidents"):
            return "FROM events e", "0", "NULL"  # no fusion yet: an empty view, not an error
        return "FROM incidents e", incident_where(f, params, db), "e.fatalities_best"
    return _FROM_EVENTS, event_where(f, params, db), "coalesce(e.fatalities, e.fatalities_best)"


def map_points(db: Connection, f: Filters, *, kind: Kind = "events", limit: int = MAP_LIMIT) -> list[dict[str, Any]]:
    """Compact rows for drawing a map: only what a marker and its tooltip need."""
    params: list[Any] = []
    frm, where, fatalities = _scope(db, kind, f, params)
    corroboration = "e.corroboration" if kind == "incidents" else "NULL"
    rows = db.execute(
        "SELECT e.id, e.latitude, e.longitude, e.event_type, e.event_date, e.location, e.admin1, e.country, "
        f"{fatalities} AS fatalities, {corroboration} AS corroboration {frm} "
        f"WHERE {where} AND e.latitude IS NOT NULL AND e.longitude IS NOT NULL "
        "ORDER BY e.event_date DESC NULLS LAST, e.id LIMIT ?",
        [*params, max(0, min(limit, MAP_LIMIT))],
    )
    return [dict(row) for row in rows]


def related_events(db: Connection, event: Event) -> list[dict[str, Any]]:
    """Events of the same type, day and place from every report (this one included), in publication order: the
    stand-in corroboration's members, and the toll history of the event as it was reported."""
    rows = db.execute(
        "SELECT e.id, e.report_id, coalesce(r.source, e.source) AS source, r.published_at, e.hedge, "
        "e.attributed_to, e.fatalities, e.fatalities_low, e.fatalities_best, e.fatalities_high, "
        f"e.fatalities_cumulative {_FROM_EVENTS} WHERE e.event_type = ? AND e.event_date IS NOT DISTINCT FROM ? "
        "AND coalesce(e.location, e.admin1, '') = ? ORDER BY r.published_at IS NULL, r.published_at, e.id LIMIT 200",
        (
            event.event_type,
            event.event_date.isoformat() if event.event_date else None,
            event.location or event.admin1 or "",
        ),
    )
    return [{**dict(row), "fatalities_cumulative": bool(row["fatalities_cumulative"])} for row in rows]


_REPORT_LIST_COLUMNS = (
    "r.id, r.source, r.author, r.url, r.published_at, r.retrieved_at, r.ingested_at, r.processed_at, r.language, "
    "r.title, r.source_format, r.origin, substr(r.text, 1, 280) AS excerpt, length(r.text) AS text_length, "
    "(SELECT count(*) FROM events e WHERE e.report_id = r.id) AS events"
)


def query_reports(
    db: Connection,
    f: Filters,
    *,
    language: str | None = None,
    q: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    """Reports, newest first. Source and publication dates filter the report itself; place, type and actor
    filters keep reports with at least one matching event."""
    limit, offset = _clamp(limit, offset)
    params: list[Any] = []
    clauses: list[str] = []
    if f.since is not None:
        clauses.append("substr(r.published_at, 1, 10) >= ?")
        params.append(f.since.isoformat())
    if f.until is not None:
        clauses.append("substr(r.published_at, 1, 10) <= ?")
        params.append(f.until.isoformat())
    if f.source:
        clauses.append(_in("r.source", f.source, params, nocase=True))
    if language:
        clauses.append("r.language = ?")
        params.append(language)
    if q:
        clauses.append(_sql_for(db, "contains", "lower(r.text)", "lower(?)"))
        params.append(q)
    event_filters = Filters(
        bbox=f.bbox,
        country=f.country,
        admin1=f.admin1,
        event_type=f.event_type,
        actor=f.actor,
        min_corroboration=f.min_corroboration,
        include_background=f.include_background,
    )
    if event_filters != Filters():
        sub: list[Any] = []
        clauses.append(
            f"EXISTS (SELECT 1 FROM events e WHERE e.report_id = r.id AND {event_where(event_filters, sub, db)})"
        )
        params.extend(sub)
    where = " AND ".join(clauses) or "1=1"
    total = int(db.execute(f"SELECT count(*) FROM reports r WHERE {where}", params).fetchone()[0])
    rows = db.execute(
        f"SELECT {_REPORT_LIST_COLUMNS} FROM reports r WHERE {where} "
        "ORDER BY r.published_at IS NULL, r.published_at DESC, r.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return Page([dict(row) for row in rows], total, limit, offset)


def get_report_row(db: Connection, report_id: str) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT id, source, author, url, published_at, retrieved_at, ingested_at, processed_at, language, title, "
        "text, source_format, origin, raw_sha256, raw_locator FROM reports WHERE id = ?",
        (report_id,),
    ).fetchone()
    return dict(row) if row else None


def claims_for_report(db: Connection, report_id: str) -> list[dict[str, Any]]:
    rows = db.execute(
        'SELECT id, report_id, kind, start, "end", text, attributed_to, attribution_start, attribution_end, hedge, '
        'language, chain FROM claims WHERE report_id = ? ORDER BY start, "end"',
        (report_id,),
    )
    claims = []
    for row in rows:
        claim = dict(row)
        claim["chain"] = json.loads(claim["chain"] or "[]")
        claims.append(claim)
    return claims


def actors(db: Connection, f: Filters, *, limit: int = 100, offset: int = 0) -> Page:
    """Distinct actors (as actor1 or actor2) of the matching events, most frequent first."""
    limit, offset = _clamp(limit, offset)
    params: list[Any] = []
    where = event_where(f, params, db)
    base = (
        f"SELECT e.actor1 AS name, e.inter1 AS inter, 1 AS side, e.event_date AS d {_FROM_EVENTS} "
        f"WHERE {where} AND e.actor1 IS NOT NULL AND e.actor1 != '' "
        f"UNION ALL SELECT e.actor2, e.inter2, 2, e.event_date {_FROM_EVENTS} "
        f"WHERE {where} AND e.actor2 IS NOT NULL AND e.actor2 != ''"
    )
    all_params = [*params, *params]
    total = int(db.execute(f"SELECT count(DISTINCT name) FROM ({base}) AS a", all_params).fetchone()[0])
    rows = db.execute(
        "SELECT name, max(inter) AS inter_code, count(*) AS events, "
        "sum(CASE WHEN side = 1 THEN 1 ELSE 0 END) AS as_actor1, "
        "sum(CASE WHEN side = 2 THEN 1 ELSE 0 END) AS as_actor2, "
        f"min(d) AS first_date, max(d) AS last_date FROM ({base}) AS a "
        "GROUP BY name ORDER BY events DESC, name LIMIT ? OFFSET ?",
        [*all_params, limit, offset],
    ).fetchall()
    return Page([dict(row) for row in rows], total, limit, offset)


def places(db: Connection, f: Filters, *, limit: int = 100, offset: int = 0) -> Page:
    """Distinct locations of the matching events with coordinates, event counts and reported fatalities."""
    limit, offset = _clamp(limit, offset)
    params: list[Any] = []
    where = event_where(f, params, db)
    grouped = (
        "SELECT e.location AS location, e.admin1 AS admin1, max(e.admin2) AS admin2, e.country AS country, "
        "avg(e.latitude) AS latitude, avg(e.longitude) AS longitude, min(e.geo_precision) AS geo_precision, "
        "count(*) AS events, sum(coalesce(e.fatalities, e.fatalities_best)) AS fatalities "
        f"{_FROM_EVENTS} WHERE {where} AND e.location IS NOT NULL "
        "GROUP BY e.location, e.admin1, e.country"
    )
    total = int(db.execute(f"SELECT count(*) FROM ({grouped}) AS p", params).fetchone()[0])
    rows = db.execute(f"{grouped} ORDER BY events DESC, location LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    return Page([dict(row) for row in rows], total, limit, offset)


_BUCKETS = ("day", "week", "month")


def timeline(db: Connection, f: Filters, *, bucket: str = "day", kind: Kind = "events") -> list[dict[str, Any]]:
    """Counts (of events or incidents) and reported fatalities per period (day, week from Monday, month) and
    event type."""
    if bucket not in _BUCKETS:
        raise ValueError(f"bucket must be one of {', '.join(_BUCKETS)}")
    period = {
        "day": "e.event_date",
        "week": _sql_for(db, "week", "e.event_date"),
        "month": "substr(e.event_date, 1, 7) || '-01'",
    }[bucket]
    params: list[Any] = []
    frm, where, fatalities = _scope(db, kind, f, params)
    rows = db.execute(
        f"SELECT {period} AS period, e.event_type AS event_type, count(*) AS events, "
        f"coalesce(sum({fatalities}), 0) AS fatalities {frm} "
        f"WHERE {where} AND e.event_date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    return [dict(row) for row in rows]


def facets(db: Connection, f: Filters, *, kind: Kind = "events") -> dict[str, list[dict[str, Any]]]:
    """Values (with counts) for the dashboard's filter menus, over the events or incidents matching ``f``."""
    params: list[Any] = []
    frm, where, _ = _scope(db, kind, f, params)
    out: dict[str, list[dict[str, Any]]] = {}
    columns = [("admin1", "e.admin1", frm), ("country", "e.country", frm), ("event_type", "e.event_type", frm)]
    if kind == "incidents" and frm != "FROM events e":
        columns.append(("source", "s.original", "FROM incidents e JOIN incident_sources s ON s.incident_id = e.id"))
    else:
        columns.append(("source", "coalesce(r.source, e.source)", frm))
    for name, column, source in columns:
        rows = db.execute(
            f"SELECT {column} AS value, count(DISTINCT e.id) AS count {source} WHERE {where} AND {column} IS NOT NULL "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 500",
            params,
        )
        out[name] = [dict(row) for row in rows]
    row = db.execute(f"SELECT min(e.event_date), max(e.event_date) {frm} WHERE {where}", params).fetchone()
    out["dates"] = [{"value": row[0], "count": 0}, {"value": row[1], "count": 0}] if row[0] else []
    return out


def updates_since(db: Connection, since: str | None, *, limit: int = 50) -> dict[str, Any]:
    """What changed after the ``since`` cursor: newly ingested or processed reports and new corrections.

    The cursor is the latest ISO timestamp seen (they sort as text); clients pass back the one they were given.
    """
    cursor_row = db.execute(
        "SELECT CASE WHEN i > p THEN i ELSE p END FROM "
        "(SELECT coalesce(max(ingested_at), '') AS i, coalesce(max(processed_at), '') AS p FROM reports) AS t"
    ).fetchone()
    cursor = cursor_row[0] or ""
    for table, column in (("corrections", "created_at"), ("incidents", "updated_at"), ("alerts", "created_at")):
        if has_table(db, table):
            latest = db.execute(f"SELECT coalesce(max({column}), '') FROM {table}").fetchone()[0]
            cursor = max(cursor, latest)
    if since is None:
        return {"cursor": cursor, "changed": False, "reports": [], "total": 0}
    where = "r.ingested_at > ? OR r.processed_at > ?"
    total = int(db.execute(f"SELECT count(*) FROM reports r WHERE {where}", (since, since)).fetchone()[0])
    rows = db.execute(
        f"SELECT {_REPORT_LIST_COLUMNS} FROM reports r WHERE {where} ORDER BY r.ingested_at DESC LIMIT ?",
        (since, since, max(0, min(limit, MAX_LIMIT))),
    ).fetchall()
    changed = total > 0 or cursor > since
    return {"cursor": cursor, "changed": changed, "reports": [dict(row) for row in rows], "total": total}


# -- incidents (fusion; migration 3) ---------------------------------------------------------------------------
# Incidents are queried as "incidents e" so the columns they share with events (dates, place, type, actors,
# coordinates) take the same filter SQL.
def incident_where(f: Filters, params: list[Any], db: Connection | None = None) -> str:
    """SQL condition over ``incidents e`` for the filters; appends the bound values to ``params``. ``db`` picks
    the dialect (SQLite's when None)."""
    clauses = _shared_clauses(f, params)
    if f.actor:
        items = _sql_for(db, "json_items", "e.actors")
        clauses.append(
            "(lower(e.actor1) = lower(?) OR lower(e.actor2) = lower(?) "
            f"OR EXISTS (SELECT 1 FROM {items} WHERE lower(a.value) = lower(?)))"
        )
        params.extend([f.actor, f.actor, f.actor])
    if f.source:
        # An incident matches a source that published a member report or that a report quotes as the original.
        outlets = _in("s.outlet", f.source, params, nocase=True)
        originals = _in("s.original", f.source, params, nocase=True)
        clauses.append(
            f"EXISTS (SELECT 1 FROM incident_sources s WHERE s.incident_id = e.id AND ({outlets} OR {originals}))"
        )
    if f.min_corroboration is not None:
        clauses.append("e.corroboration >= ?")
        params.append(f.min_corroboration)
    if f.report_id:
        clauses.append("EXISTS (SELECT 1 FROM incident_sources s WHERE s.incident_id = e.id AND s.report_id = ?)")
        params.append(f.report_id)
    return " AND ".join(clauses) or "1=1"


_INCIDENT_SUMMARY = (
    "e.id, e.event_type, e.sub_event_type, e.event_date, e.event_date_end, e.time_precision, e.disorder_type, "
    "e.actor1, e.actor2, e.actors, e.inter1, e.inter2, e.civilian_targeting, e.iso, e.region, e.country, e.admin1, "
    "e.admin2, e.admin3, e.location, e.locations, e.latitude, e.longitude, e.geo_precision, e.notes, "
    "e.fatalities_low, e.fatalities_best, e.fatalities_high, e.fatalities_reported_unknown, e.fatalities_cumulative, "
    "e.injured_low, e.injured_best, e.injured_high, e.detained_low, e.detained_best, e.detained_high, e.hedge, "
    "e.denied, e.corroboration, e.n_sources, e.n_events, e.contradicted, e.updated_at"
)
_INCIDENT_BOOL_COLUMNS = ("civilian_targeting", "fatalities_reported_unknown", "fatalities_cumulative", "denied")


def _incident_summary(row: Any) -> dict[str, Any]:
    record = dict(row)
    record["actors"] = json.loads(record["actors"] or "[]")
    record["locations"] = json.loads(record["locations"] or "[]")
    for name in (*_INCIDENT_BOOL_COLUMNS, "contradicted"):
        record[name] = bool(record[name])
    return record


def query_incidents(db: Connection, f: Filters, *, limit: int = 100, offset: int = 0) -> Page:
    """One page of incidents matching ``f``, newest first, with the total that match."""
    limit, offset = _clamp(limit, offset)
    if not has_table(db, "incidents"):
        return Page([], 0, limit, offset)
    params: list[Any] = []
    where = incident_where(f, params, db)
    total = int(db.execute(f"SELECT count(*) FROM incidents e WHERE {where}", params).fetchone()[0])
    rows = db.execute(
        f"SELECT {_INCIDENT_SUMMARY} FROM incidents e WHERE {where} "
        "ORDER BY e.event_date IS NULL, e.event_date DESC, e.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return Page([_incident_summary(row) for row in rows], total, limit, offset)


def iter_incident_ids(db: Connection, f: Filters) -> list[str]:
    if not has_table(db, "incidents"):
        return []
    params: list[Any] = []
    where = incident_where(f, params, db)
    sql = f"SELECT e.id FROM incidents e WHERE {where} ORDER BY e.event_date NULLS FIRST, e.id"
    return [r[0] for r in db.execute(sql, params)]


def get_incident_summary(db: Connection, incident_id: str) -> dict[str, Any] | None:
    if not has_table(db, "incidents"):
        return None
    row = db.execute(f"SELECT {_INCIDENT_SUMMARY} FROM incidents e WHERE e.id = ?", (incident_id,)).fetchone()
    return _incident_summary(row) if row else None


def incident_of_event(db: Connection, event_id: str) -> str | None:
    if not has_table(db, "incident_events"):
        return None
    row = db.execute("SELECT incident_id FROM incident_events WHERE event_id = ?", (event_id,)).fetchone()
    return str(row[0]) if row else None


# -- corrections ------------------------------------------------------------------------------------------
# Fields a person may correct, with the type their value must have. Ids, spans and provenance never change.
CORRECTABLE_EVENT_FIELDS: dict[str, type] = {
    "event_type": str,
    "sub_event_type": str,
    "event_date": date,
    "event_date_end": date,
    "time_precision": int,
    "disorder_type": str,
    "actor1": str,
    "assoc_actor_1": str,
    "inter1": int,
    "actor2": str,
    "assoc_actor_2": str,
    "inter2": int,
    "civilian_targeting": bool,
    "country": str,
    "iso": str,
    "admin1": str,
    "admin2": str,
    "admin3": str,
    "location": str,
    "latitude": float,
    "longitude": float,
    "geo_precision": int,
    "notes": str,
    "fatalities": int,
    "fatalities_low": int,
    "fatalities_best": int,
    "fatalities_high": int,
    "hedge": Hedge,
    "background": bool,
}
# Incidents are rebuilt from their member events when fusion adds a report, which replaces a corrected value;
# the correction stays on record in the corrections table either way.
CORRECTABLE_INCIDENT_FIELDS: dict[str, type] = {
    name: kind
    for name, kind in CORRECTABLE_EVENT_FIELDS.items()
    if name not in {"assoc_actor_1", "assoc_actor_2", "fatalities", "background"}
} | {"denied": bool}
_NOT_NULL = {"event_type", "sub_event_type", "notes", "hedge", "civilian_targeting", "background", "denied"}
_TABLES = {"event": ("events", CORRECTABLE_EVENT_FIELDS), "incident": ("incidents", CORRECTABLE_INCIDENT_FIELDS)}


class CorrectionError(ValueError):
    """A correction names an unknown field or a value of the wrong type."""


def coerce_value(field_name: str, value: Any, types: dict[str, type] = CORRECTABLE_EVENT_FIELDS) -> Any:
    """The value as stored in SQLite (dates as ISO text, booleans as 0/1), or CorrectionError."""
    kind = types.get(field_name)
    if kind is None:
        raise CorrectionError(f"{field_name!r} cannot be corrected; correctable fields: {', '.join(sorted(types))}")
    if value is None:
        if field_name in _NOT_NULL:
            raise CorrectionError(f"{field_name} cannot be empty")
        return None
    try:
        if kind is date:
            return date.fromisoformat(str(value)).isoformat()
        if kind is bool:
            if not isinstance(value, bool):
                raise TypeError
            return int(value)
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
        if kind is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError
            number = float(value)
            if (field_name == "latitude" and abs(number) > 90) or (field_name == "longitude" and abs(number) > 180):
                raise ValueError
            return number
        if kind is Hedge:
            return str(Hedge(value))
        if not isinstance(value, str):
            raise TypeError
        return value
    except (TypeError, ValueError) as exc:
        raise CorrectionError(f"invalid value for {field_name}: expected {kind.__name__}") from exc


def apply_correction(
    db: Connection,
    target_kind: str,
    target_id: str,
    field_name: str,
    value: Any,
    changed_by: str,
    reason: str | None,
) -> dict[str, Any] | None:
    """Set one field of an event or incident and record the original value, who changed it and why, in one
    transaction. Returns the correction row, or None when the target does not exist. ``db`` must be writable."""
    table, fields = _TABLES[target_kind]
    stored = coerce_value(field_name, value, fields)
    if not has_table(db, table):
        return None
    db.execute("BEGIN IMMEDIATE")  # (PostgreSQL: BEGIN)
    try:
        # table and field_name come from the fixed maps above (checked by coerce_value), never from user text.
        row = db.execute(f"SELECT {field_name} FROM {table} WHERE id = ?", (target_id,)).fetchone()
        if row is None:
            db.execute("ROLLBACK")
            return None
        correction = {
            "target_kind": target_kind,
            "target_id": target_id,
            "field": field_name,
            "old_value": json.dumps(row[0]),
            "new_value": json.dumps(stored),
            "changed_by": changed_by,
            "reason": reason,
            "created_at": utcnow().isoformat(),
        }
        cursor = db.execute(
            "INSERT INTO corrections(target_kind, target_id, field, old_value, new_value, changed_by, reason, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            list(correction.values()),
        )
        correction_id = cursor.fetchone()[0]
        db.execute(f"UPDATE {table} SET {field_name} = ? WHERE id = ?", (stored, target_id))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return {"id": correction_id, **correction}


def corrections_for(db: Connection, target_kind: str, target_id: str) -> list[dict[str, Any]]:
    if not has_table(db, "corrections"):
        return []
    rows = db.execute(
        "SELECT id, target_kind, target_id, field, old_value, new_value, changed_by, reason, created_at "
        "FROM corrections WHERE target_kind = ? AND target_id = ? ORDER BY id",
        (target_kind, target_id),
    )
    return [dict(row) for row in rows]
