"""Request and response bodies of the API, as pydantic models (they make the OpenAPI schema at /docs).

Report text and every other string is returned as JSON string data, never as markup: clients must insert it as
text (the dashboard uses ``textContent``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field, JsonValue, field_validator

from eventwatch.store.queries import CORRECTABLE_EVENT_FIELDS, CORRECTABLE_INCIDENT_FIELDS

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a filtered list: ``total`` is how many match, ``items`` at most ``limit`` of them."""

    total: int
    limit: int
    offset: int
    items: list[T]


class SpanOut(BaseModel):
    start: int
    end: int
    text: str | None = Field(None, description="The report text the span covers.")


class _Coded(BaseModel):
    """What events and incidents share: ACLED type, time, place, counts with bounds, and certainty."""

    event_type: str
    sub_event_type: str
    event_date: date | None = None
    event_date_end: date | None = None
    time_precision: int | None = None
    disorder_type: str | None = None
    iso: str | None = None
    region: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    notes: str = ""
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    fatalities_reported_unknown: bool = False
    fatalities_cumulative: bool = False
    injured_low: int | None = None
    injured_best: int | None = None
    injured_high: int | None = None
    detained_low: int | None = None
    detained_best: int | None = None
    detained_high: int | None = None
    hedge: str


class EventOut(_Coded):
    """An event with ACLED's field names, our bounds and certainty, and the spans that support each field."""

    id: str
    event_id_cnty: str
    report_id: str
    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: bool = False
    source: str | None = None
    source_scale: str | None = None
    fatalities: int | None = None
    fatalities_status: str | None = Field(
        None, description="reported | none reported (a stated 0) | reported, number unknown | not mentioned"
    )
    attributed_to: str | None = None
    background: bool = False
    confidence: float
    spans: dict[str, list[SpanOut]] = Field(default_factory=dict)
    claim_ids: list[str] = Field(default_factory=list)


class ReportSummary(BaseModel):
    id: str
    source: str | None = None
    author: str | None = None
    url: str | None = None
    published_at: str | None = None
    retrieved_at: str | None = None
    ingested_at: str | None = None
    processed_at: str | None = None
    language: str | None = None
    title: str | None = None
    source_format: str
    origin: str | None = None
    excerpt: str = Field(description="The first 280 characters of the text.")
    text_length: int
    events: int


class ReportOut(BaseModel):
    id: str
    source: str | None = None
    author: str | None = None
    url: str | None = None
    published_at: str | None = None
    retrieved_at: str | None = None
    ingested_at: str | None = None
    processed_at: str | None = None
    language: str | None = None
    title: str | None = None
    text: str
    source_format: str
    origin: str | None = None
    raw_sha256: str | None = None
    raw_locator: str | None = None


class ClaimOut(BaseModel):
    """A statement in a report (``start``..``end`` of its text), who it is attributed to and how sure it sounded."""

    id: str
    report_id: str
    kind: str
    start: int
    end: int
    text: str
    attributed_to: str | None = None
    attribution_start: int | None = None
    attribution_end: int | None = None
    hedge: str
    language: str | None = None
    chain: list[str] = Field(default_factory=list)


class CorrectionOut(BaseModel):
    """A change made by a person: the value before (``old_value``, JSON) is kept, with who changed it and why."""

    id: int
    target_kind: str
    target_id: str
    field: str
    old_value: str | None
    new_value: str | None
    changed_by: str
    reason: str | None = None
    created_at: str


class ReportDetail(BaseModel):
    report: ReportOut
    claims: list[ClaimOut]
    events: list[EventOut]


class RelatedEvent(BaseModel):
    """An event of the same type, day and place from one report: corroboration, and the toll as reported."""

    id: str
    report_id: str
    source: str | None = None
    published_at: str | None = None
    hedge: str
    attributed_to: str | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    fatalities_cumulative: bool = False


class EventDetail(BaseModel):
    event: EventOut
    incident_id: str | None = Field(None, description="The incident this event was fused into, if any.")
    report: ReportOut | None
    claims: list[ClaimOut]
    corrections: list[CorrectionOut]
    related: list[RelatedEvent] = Field(description="Same type, day and place in other reports (and this one).")
    corroboration: int = Field(description="Distinct sources among the related events.")


def _no_lone_surrogates(value: str | None) -> str | None:
    # JSON may carry lone UTF-16 surrogates ("\ud800") that SQLite cannot store as UTF-8: refuse them up front.
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("text is not valid Unicode") from exc
    return value


class ReportIn(BaseModel):
    """A report to store and run through the pipeline."""

    text: str = Field(min_length=1, max_length=1_000_000)
    source: str | None = Field(None, max_length=500)
    author: str | None = Field(None, max_length=500)
    url: str | None = Field(None, max_length=4000)
    published_at: datetime | None = None
    language: str | None = Field(None, max_length=16)
    title: str | None = Field(None, max_length=2000)

    @field_validator("text", "source", "author", "url", "language", "title")
    @classmethod
    def _valid_unicode(cls, value: str | None) -> str | None:
        return _no_lone_surrogates(value)


class ReportPosted(BaseModel):
    report_id: str
    inserted: bool = Field(description="False when the same report was already stored (nothing changed).")
    processed: bool
    error: str | None = None
    events: list[EventOut]


class CorrectionIn(BaseModel):
    field: str = Field(
        max_length=64,
        description="The field to change, e.g. fatalities_best or admin1 (incidents: no fatalities/assoc_actor_*).",
        json_schema_extra={"enum": list[JsonValue](sorted({*CORRECTABLE_EVENT_FIELDS, *CORRECTABLE_INCIDENT_FIELDS}))},
    )
    value: Any = Field(description="The new value (JSON: string, number, boolean, ISO date, or null).")
    changed_by: str = Field(min_length=1, max_length=200, description="Who made the change.")
    reason: str | None = Field(None, max_length=2000)

    @field_validator("field", "changed_by", "reason")
    @classmethod
    def _valid_unicode(cls, value: str | None) -> str | None:
        return _no_lone_surrogates(value)


class IncidentSummary(_Coded):
    """One real-world happening fused from the events of one or more reports."""

    id: str
    actor1: str | None = None
    actor2: str | None = None
    actors: list[str] = Field(default_factory=list)
    inter1: int | None = None
    inter2: int | None = None
    civilian_targeting: bool = False
    locations: list[str] = Field(default_factory=list)
    denied: bool = False
    corroboration: int = Field(description="Independent sources (quotes of one original count once).")
    n_sources: int
    n_events: int
    contradicted: bool = False
    updated_at: str


class SpanRef(BaseModel):
    report_id: str
    start: int
    end: int
    text: str | None = None


class IncidentSourceOut(BaseModel):
    """A member event's report: the outlet, the original source it counts as, the chain between, its certainty."""

    event_id: str
    report_id: str
    outlet: str | None = None
    original: str
    chain: list[str] = Field(default_factory=list)
    hedge: str
    attributed_to: str | None = None
    syndicated_from: str | None = None
    span: SpanRef | None = None
    claim_ids: list[str] = Field(default_factory=list)
    published_at: str | None = None
    event_date: str | None = None
    supports: bool = True


class TollEntryOut(BaseModel):
    """One reported value of a running toll, with the source and span that gave it."""

    as_of: str | None = None
    kind: str
    low: int | None = None
    best: int | None = None
    high: int | None = None
    source: str
    report_id: str
    event_id: str
    span: SpanRef | None = None


class IncidentDetail(BaseModel):
    incident: IncidentSummary
    sources: list[IncidentSourceOut]
    toll_history: list[TollEntryOut]
    contradictions: list[dict[str, Any]]
    events: list[EventOut]
    reports: list[ReportOut]
    claims: list[ClaimOut]
    corrections: list[CorrectionOut]


class MapPoint(BaseModel):
    id: str
    latitude: float
    longitude: float
    event_type: str
    event_date: str | None = None
    location: str | None = None
    admin1: str | None = None
    country: str | None = None
    fatalities: int | None = None
    corroboration: int | None = Field(None, description="Incidents only: independent sources.")


class TimelineRow(BaseModel):
    period: str
    event_type: str
    events: int
    fatalities: int


class FacetValue(BaseModel):
    value: str | None
    count: int


class Facets(BaseModel):
    admin1: list[FacetValue]
    country: list[FacetValue]
    event_type: list[FacetValue]
    source: list[FacetValue]
    dates: list[FacetValue] = Field(description="Earliest and latest event date, when any.")


class ActorOut(BaseModel):
    name: str
    inter_code: int | None = None
    events: int
    as_actor1: int
    as_actor2: int
    first_date: str | None = None
    last_date: str | None = None


class PlaceOut(BaseModel):
    location: str
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    events: int
    fatalities: int | None = None


class Updates(BaseModel):
    cursor: str = Field(description="Pass back as ?since= on the next poll.")
    changed: bool
    total: int
    reports: list[ReportSummary]


class Health(BaseModel):
    status: str
    reports: int
    events: int
    incidents: int | None = None
    schema_version: int
    writes_enabled: bool
    reads_open: bool
    poll_seconds: float


# -- live monitoring (eventwatch watch) ----------------------------------------------------------------------
class AlertDelivery(BaseModel):
    status: str = Field(description="pending (retried with backoff) or delivered")
    attempts: int
    last_error: str | None = None
    delivered_at: str | None = None
    next_attempt_at: str | None = None


class AlertOut(BaseModel):
    id: str
    rule: str
    kind: str = Field(description="new_incident, toll_rose, new_source or contradiction")
    summary: str
    incident_id: str
    created_at: str
    change: dict[str, JsonValue] = Field(default_factory=dict, description="What changed: from/to, new sources.")
    deliveries: dict[str, AlertDelivery] = Field(default_factory=dict, description="Status per destination.")


class AlertDetail(AlertOut):
    payload: dict[str, JsonValue] = Field(description="What the webhook received: incident, sources and spans.")


class WatchSourceOut(BaseModel):
    key: str
    kind: str
    target: str
    ok: bool
    last_success_at: str | None = None
    since_success_s: float | None = None
    last_error_at: str | None = None
    last_error: str | None = None
    consecutive_failures: int
    items_seen: int
    reports_new: int
    rejects: int
    last_item_at: str | None = None
    lag_s: float | None = Field(None, description="Seconds from the newest new item's appearance to its storage.")
    next_poll_at: str | None = None


class WatchStatus(BaseModel):
    watcher: dict[str, JsonValue] | None = Field(description="pid, heartbeat, running; null before any watch ran.")
    sources: list[WatchSourceOut]
    backlog: dict[str, int]
    outbox: list[dict[str, JsonValue]]
    reports: int
    incidents: int
    at: str
