"""The /api endpoints: filtered reads of reports, events, actors and places; downloads; writes behind a token."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response, status

from eventwatch.export.formats import event_record, write_acled_csv, write_geojson, write_jsonl
from eventwatch.fuse.export import incident_record, write_incidents_csv, write_incidents_json
from eventwatch.model import Event, Incident, Report
from eventwatch.pipeline import process_report
from eventwatch.runner import fuse_new_events
from eventwatch.serve import schemas
from eventwatch.serve.auth import require_read, require_write, settings_of
from eventwatch.store import open_store, queries
from eventwatch.store.base import StoredAlert
from eventwatch.store.queries import Filters
from eventwatch.watch.status import collect as collect_status

router = APIRouter(prefix="/api", dependencies=[Depends(require_read)])
# One writer at a time inside this process (the API's writes and, under `eventwatch watch`, the watcher's pipeline);
# SQLite's busy timeout (PostgreSQL's row locks) covers other processes.
WRITE_LOCK = threading.Lock()
_write_lock = WRITE_LOCK

ID = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
Limit = Annotated[int, Query(ge=0, le=queries.MAX_LIMIT, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=2**31, description="Rows to skip.")]
BBOX_PATTERN = r"^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$"


def read_db(request: Request) -> Iterator[queries.Connection]:
    """A read-only connection for one request (cheap to open; readers run beside the writer on both backends)."""
    db = queries.connect(settings_of(request).db)
    try:
        yield db
    finally:
        db.close()


DB = Annotated[queries.Connection, Depends(read_db)]


def _parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in text.split(","))
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "bbox is min_lon,min_lat,max_lon,max_lat") from exc
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "bbox out of range or reversed")
    return min_lon, min_lat, max_lon, max_lat


def filters(
    since: Annotated[date | None, Query(description="Events ending on or after this date.")] = None,
    until: Annotated[date | None, Query(description="Events starting on or before this date.")] = None,
    bbox: Annotated[
        str | None, Query(pattern=BBOX_PATTERN, max_length=200, description="min_lon,min_lat,max_lon,max_lat")
    ] = None,
    country: Annotated[str | None, Query(max_length=200, description="Country name or ISO alpha-2.")] = None,
    admin1: Annotated[list[str] | None, Query(max_length=50, description="Admin1 region (repeatable).")] = None,
    event_type: Annotated[list[str] | None, Query(max_length=20, description="ACLED event type (repeatable).")] = None,
    actor: Annotated[
        str | None, Query(max_length=500, description="Actor name (actor1, actor2 or associated).")
    ] = None,
    source: Annotated[list[str] | None, Query(max_length=50, description="Outlet or channel (repeatable).")] = None,
    min_corroboration: Annotated[
        int | None, Query(ge=1, le=1000, description="At least this many independent sources.")
    ] = None,
    include_background: Annotated[bool, Query(description="Include past-context events.")] = True,
) -> Filters:
    return Filters(
        since=since,
        until=until,
        bbox=_parse_bbox(bbox),
        country=country or None,
        admin1=[a for a in admin1 or [] if a],
        event_type=[t for t in event_type or [] if t],
        actor=actor or None,
        source=[s for s in source or [] if s],
        min_corroboration=min_corroboration,
        include_background=include_background,
    )


F = Annotated[Filters, Depends(filters)]
Kind = Annotated[Literal["events", "incidents"], Query(description="Count events or fused incidents.")]


def _text_lookup(db: queries.Connection) -> Any:
    cache: dict[str, str | None] = {}

    def text_of(report_id: str) -> str | None:
        if report_id not in cache:
            row = db.execute("SELECT text FROM reports WHERE id = ?", (report_id,)).fetchone()
            cache[report_id] = row[0] if row else None
        return cache[report_id]

    return text_of


def _event_out(event: Event, text_of: Any) -> dict[str, Any]:
    record = event_record(event, text_of)
    record["hedge"] = str(event.hedge)
    return record


@router.get("/health", response_model=schemas.Health, tags=["meta"])
def health(request: Request, db: DB) -> dict[str, Any]:
    settings = settings_of(request)
    version = db.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
    incidents = None
    if queries.has_table(db, "incidents"):
        incidents = db.execute("SELECT count(*) FROM incidents").fetchone()[0]
    return {
        "status": "ok",
        "reports": db.execute("SELECT count(*) FROM reports").fetchone()[0],
        "events": db.execute("SELECT count(*) FROM events").fetchone()[0],
        "incidents": incidents,
        "schema_version": version,
        "writes_enabled": settings.token is not None,
        "reads_open": settings.read_token is None,
        "poll_seconds": settings.poll_seconds,
    }


# -- reports ------------------------------------------------------------------------------------------------
@router.get("/reports", response_model=schemas.Page[schemas.ReportSummary], tags=["reports"])
def list_reports(
    db: DB,
    f: F,
    language: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=500, description="Text contains (case-insensitive).")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> queries.Page:
    return queries.query_reports(db, f, language=language, q=q, limit=limit, offset=offset)


@router.get("/reports/{report_id}", response_model=schemas.ReportDetail, tags=["reports"])
def get_report(db: DB, report_id: ID) -> dict[str, Any]:
    report = queries.get_report_row(db, report_id)
    if report is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such report")
    text_of = _text_lookup(db)
    events = queries.iter_events(db, Filters(report_id=report_id))
    return {
        "report": report,
        "claims": queries.claims_for_report(db, report_id),
        "events": [_event_out(e, text_of) for e in events],
    }


@router.post(
    "/reports",
    response_model=schemas.ReportPosted,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_write)],
    tags=["reports"],
    responses={200: {"model": schemas.ReportPosted, "description": "Already stored: nothing changed."}},
)
def post_report(request: Request, response: Response, body: schemas.ReportIn) -> dict[str, Any]:
    """Store a report and run it through the pipeline (extract + resolve); its events are returned."""
    report = Report(
        text=body.text,
        source=body.source,
        author=body.author,
        url=body.url,
        published_at=body.published_at,
        language=body.language,
        title=body.title,
        source_format="api",
        origin="api",
        raw=body.model_dump_json().encode("utf-8"),  # the request as received, kept as the raw record
        raw_locator="POST /api/reports",
    )
    error: str | None = None
    with _write_lock, open_store(settings_of(request).db) as store:
        inserted = store.add_reports([report]).inserted == 1
        processed = False
        if inserted:
            try:
                analysis = process_report(report)
            except Exception as exc:  # a pipeline bug must not lose the stored report
                error = f"processing failed: {type(exc).__name__}: {exc}"
            else:
                store.save_analyses([analysis])
                processed = True
                # Incremental fusion of this report's events only: they join (or open) incidents, nothing else is
                # looked at (no scan of the whole store per POST).
                fuse_new_events(store, analysis.events)
        else:
            response.status_code = status.HTTP_200_OK
    db = queries.connect(settings_of(request).db)
    try:
        events = [_event_out(e, _text_lookup(db)) for e in queries.iter_events(db, Filters(report_id=report.id))]
    finally:
        db.close()
    return {"report_id": report.id, "inserted": inserted, "processed": processed, "error": error, "events": events}


# -- events -------------------------------------------------------------------------------------------------
@router.get("/events", response_model=schemas.Page[schemas.EventOut], tags=["events"])
def list_events(db: DB, f: F, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    page = queries.query_events(db, f, limit=limit, offset=offset)
    text_of = _text_lookup(db)
    return {
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "items": [_event_out(e, text_of) for e in page.items],
    }


_MEDIA = {
    "csv": ("text/csv; charset=utf-8", "events.csv"),
    "geojson": ("application/geo+json", "events.geojson"),
    "jsonl": ("application/x-ndjson", "events.jsonl"),
    "parquet": ("application/vnd.apache.parquet", "events.parquet"),
}


def _parquet(records: list[dict[str, Any]]) -> bytes:
    for record in records:
        # Nested span maps vary per event; one JSON column keeps the table's schema fixed.
        record["spans"] = json.dumps(record["spans"], ensure_ascii=False)
    return _parquet_rows(records)


def _parquet_rows(records: list[dict[str, Any]]) -> bytes:
    import pyarrow as pa  # imported on use: only downloads need it
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(records) if records else pa.table({"id": pa.array([], pa.string())})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


@router.get(
    "/events/download",
    tags=["events"],
    response_class=Response,
    responses={200: {"content": {m: {} for m, _ in _MEDIA.values()}, "description": "The filtered events."}},
)
def download_events(
    db: DB, f: F, format: Annotated[Literal["csv", "geojson", "jsonl", "parquet"], Query()] = "csv"
) -> Response:
    """Every event of the filtered view: ACLED-column CSV, GeoJSON, JSON Lines (with span text) or Parquet."""
    media, filename = _MEDIA[format]
    events = queries.iter_events(db, f)
    text_of = _text_lookup(db)
    if format == "parquet":
        body: bytes = _parquet([event_record(e, text_of) for e in events])
    else:
        out = io.StringIO()
        if format == "csv":
            write_acled_csv(events, out)
        elif format == "geojson":
            write_geojson(events, out, text_of)
        else:
            write_jsonl(events, out, text_of)
        body = out.getvalue().encode("utf-8")
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/events/{event_id}", response_model=schemas.EventDetail, tags=["events"])
def get_event(db: DB, event_id: ID) -> dict[str, Any]:
    """An event with its report's full text, the report's claims (sentences, attribution, hedges) and any
    corrections made to it."""
    event = queries.get_event(db, event_id)
    if event is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such event")
    related = queries.related_events(db, event)
    return {
        "event": _event_out(event, _text_lookup(db)),
        "report": queries.get_report_row(db, event.report_id),
        "claims": queries.claims_for_report(db, event.report_id),
        "corrections": queries.corrections_for(db, "event", event_id),
        "related": related,
        "corroboration": len({r["source"] or r["report_id"] for r in related}),
        "incident_id": queries.incident_of_event(db, event_id),
    }


def _correct(request: Request, kind: str, target_id: str, body: schemas.CorrectionIn) -> dict[str, Any]:
    with _write_lock:
        db = queries.connect(settings_of(request).db, readonly=False)
        try:
            correction = queries.apply_correction(
                db, kind, target_id, body.field, body.value, body.changed_by, body.reason
            )
        except queries.CorrectionError as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
        finally:
            db.close()
    if correction is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no such {kind}")
    return correction


@router.post(
    "/events/{event_id}/corrections",
    response_model=schemas.CorrectionOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_write)],
    tags=["events"],
)
def correct_event(request: Request, event_id: ID, body: schemas.CorrectionIn) -> dict[str, Any]:
    """Change one field of an event; the original value, who changed it and why are kept in ``corrections``."""
    return _correct(request, "event", event_id, body)


# -- incidents ----------------------------------------------------------------------------------------------
@router.get("/incidents", response_model=schemas.Page[schemas.IncidentSummary], tags=["incidents"])
def list_incidents(db: DB, f: F, limit: Limit = 100, offset: Offset = 0) -> queries.Page:
    """Incidents (run `eventwatch fuse`), newest first; ``min_corroboration`` counts independent sources."""
    return queries.query_incidents(db, f, limit=limit, offset=offset)


def _load_incidents(request: Request, ids: list[str]) -> list[Incident]:
    with open_store(settings_of(request).db) as store:
        return [i for i in (store.get_incident(iid) for iid in ids) if i is not None]


_INCIDENT_MEDIA = {
    "csv": ("text/csv; charset=utf-8", "incidents.csv"),
    "json": ("application/json", "incidents.json"),
    "geojson": ("application/geo+json", "incidents.geojson"),
    "parquet": ("application/vnd.apache.parquet", "incidents.parquet"),
}


@router.get(
    "/incidents/download",
    tags=["incidents"],
    response_class=Response,
    responses={200: {"content": {m: {} for m, _ in _INCIDENT_MEDIA.values()}, "description": "The incidents."}},
)
def download_incidents(
    request: Request,
    db: DB,
    f: F,
    format: Annotated[Literal["csv", "json", "geojson", "parquet"], Query()] = "csv",
) -> Response:
    """The filtered incidents: ACLED rows per incident-day (CSV), JSON with every source and span, GeoJSON or
    Parquet (one row per incident)."""
    media, filename = _INCIDENT_MEDIA[format]
    ids = queries.iter_incident_ids(db, f)
    if format in ("csv", "json"):
        incidents = _load_incidents(request, ids)
        out = io.StringIO()
        if format == "csv":
            member_ids = [s.event_id for i in incidents for s in i.sources]
            events = {e.id: e for e in (queries.get_event(db, eid) for eid in member_ids) if e is not None}
            write_incidents_csv(incidents, out, events)
        else:
            write_incidents_json(incidents, out, _text_lookup(db))
        body = out.getvalue().encode("utf-8")
    else:
        summaries = [s for s in (queries.get_incident_summary(db, iid) for iid in ids) if s is not None]
        if format == "geojson":
            features = [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [s["longitude"], s["latitude"]]}
                    if s["latitude"] is not None and s["longitude"] is not None
                    else None,
                    "properties": s,
                }
                for s in summaries
            ]
            body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
        else:
            body = _parquet_rows(summaries)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/incidents/{incident_id}", response_model=schemas.IncidentDetail, tags=["incidents"])
def get_incident(request: Request, db: DB, incident_id: ID) -> dict[str, Any]:
    """An incident with every source (outlet, original, chain, certainty, span), the toll as it was reported over
    time, contradictions, the member events, and the reports' text and claims for highlighting."""
    summary = queries.get_incident_summary(db, incident_id)
    loaded = _load_incidents(request, [incident_id]) if summary else []
    if summary is None or not loaded:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such incident")
    incident = loaded[0]
    text_of = _text_lookup(db)
    record = incident_record(incident, text_of)
    events = [e for e in (queries.get_event(db, eid) for eid in incident.event_ids) if e is not None]
    report_ids = list(dict.fromkeys([*incident.report_ids, *(e.report_id for e in events)]))
    reports = [r for r in (queries.get_report_row(db, rid) for rid in report_ids) if r is not None]
    return {
        "incident": summary,
        "sources": record["sources"],
        "toll_history": record["toll_history"],
        "contradictions": record["contradictions"],
        "events": [_event_out(e, text_of) for e in events],
        "reports": reports,
        "claims": [c for rid in report_ids for c in queries.claims_for_report(db, rid)],
        "corrections": queries.corrections_for(db, "incident", incident_id),
    }


@router.post(
    "/incidents/{incident_id}/corrections",
    response_model=schemas.CorrectionOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_write)],
    tags=["incidents"],
)
def correct_incident(request: Request, incident_id: ID, body: schemas.CorrectionIn) -> dict[str, Any]:
    """Change one field of an incident, keeping the original value and who changed it. Fusion rebuilds an
    incident when a new report joins it, which replaces corrected values; the record of the change stays."""
    return _correct(request, "incident", incident_id, body)


@router.get("/map", response_model=list[schemas.MapPoint], tags=["dashboard"])
def map_points(
    db: DB, f: F, kind: Kind = "events", limit: Annotated[int, Query(ge=0, le=queries.MAP_LIMIT)] = queries.MAP_LIMIT
) -> list[dict[str, Any]]:
    """Compact points (id, coordinates, type, date, place, fatalities) of every matching event or incident."""
    return queries.map_points(db, f, kind=kind, limit=limit)


@router.get("/timeline", response_model=list[schemas.TimelineRow], tags=["dashboard"])
def timeline(
    db: DB, f: F, kind: Kind = "events", bucket: Annotated[Literal["day", "week", "month"], Query()] = "day"
) -> list[dict[str, Any]]:
    """Counts and reported fatalities per period and event type."""
    return queries.timeline(db, f, bucket=bucket, kind=kind)


@router.get("/facets", response_model=schemas.Facets, tags=["dashboard"])
def facets(db: DB, f: F, kind: Kind = "events") -> dict[str, Any]:
    """Values with counts for filter menus: admin1, country, event type, source; and the date range."""
    return queries.facets(db, f, kind=kind)


@router.get("/actors", response_model=schemas.Page[schemas.ActorOut], tags=["events"])
def list_actors(db: DB, f: F, limit: Limit = 100, offset: Offset = 0) -> queries.Page:
    return queries.actors(db, f, limit=limit, offset=offset)


@router.get("/places", response_model=schemas.Page[schemas.PlaceOut], tags=["events"])
def list_places(db: DB, f: F, limit: Limit = 100, offset: Offset = 0) -> queries.Page:
    return queries.places(db, f, limit=limit, offset=offset)


@router.get("/updates", response_model=schemas.Updates, tags=["dashboard"])
def updates(
    db: DB, since: Annotated[str | None, Query(max_length=64, description="The cursor of the last poll.")] = None
) -> dict[str, Any]:
    """Reports ingested or processed (and corrections made) after ``since``: the dashboard polls this."""
    return queries.updates_since(db, since)


# -- live monitoring (eventwatch watch) ----------------------------------------------------------------------
def _alert_out(alert: StoredAlert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "rule": alert.rule,
        "kind": alert.kind,
        "summary": alert.summary,
        "incident_id": alert.incident_id,
        "created_at": alert.created_at,
        "change": alert.payload.get("change") or {},
        "deliveries": alert.deliveries,
    }


@router.get("/alerts", response_model=list[schemas.AlertOut], tags=["alerts"])
def list_alerts(
    request: Request,
    limit: Annotated[int, Query(ge=0, le=500, description="Newest first.")] = 20,
    incident_id: Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")] = None,
) -> list[dict[str, Any]]:
    """Alerts fired by `eventwatch watch` rules, newest first, with their delivery status per destination."""
    with open_store(settings_of(request).db) as store:
        return [_alert_out(a) for a in store.recent_alerts(limit, incident_id=incident_id)]


@router.get("/alerts/{alert_id}", response_model=schemas.AlertDetail, tags=["alerts"])
def get_alert(request: Request, alert_id: ID) -> dict[str, Any]:
    """One alert with the payload its webhooks received (the incident, its sources and spans)."""
    with open_store(settings_of(request).db) as store:
        alert = store.get_alert(alert_id)
    if alert is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such alert")
    return {**_alert_out(alert), "payload": alert.payload}


@router.get("/watch/status", response_model=schemas.WatchStatus, tags=["alerts"])
def watch_status(request: Request) -> dict[str, Any]:
    """The watcher's health: heartbeat, each source's last success and error, items seen, lag; the backlog."""
    with open_store(settings_of(request).db) as store:
        return collect_status(store)
