"""Data types shared by every stage of the pipeline.

Data flows one way: ``Report`` → ``Claim`` (mentions with attribution and hedging) → ``Event`` → ``Incident``.
Every extracted value carries the ``Span`` of the report text it came from, so any output can be traced back to
a sentence of a stored report.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any


def utcnow() -> datetime:
    return datetime.now(UTC)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of one report's text."""

    report_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def to_dict(self) -> dict[str, Any]:
        return {"report_id": self.report_id, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Report:
    """One piece of reporting as ingested: an article, a feed entry, a Telegram message, a post.

    ``id`` is a content hash (see :func:`report_id`), so re-ingesting the same content is a no-op. The original
    bytes live once in the store's blob table under ``raw_sha256``; ``raw_locator`` says where in that blob this
    report came from (``line 12``, ``entry 3``, ``message 455``), ``origin`` names the file or URL read.
    """

    text: str
    source: str | None = None  # outlet, channel or account: "Reuters", "SOHR", "Syria News (@SyriaNewsFr)"
    author: str | None = None
    url: str | None = None
    published_at: datetime | None = None  # timezone-aware, UTC
    retrieved_at: datetime = field(default_factory=utcnow)
    language: str | None = None  # ISO 639-1: "en", "fr", "ar"
    title: str | None = None
    source_format: str = "text"  # text | markdown | jsonl | html | feed | telegram | x
    origin: str | None = None
    raw_sha256: str | None = None
    raw_locator: str | None = None
    raw: bytes | None = field(default=None, repr=False, compare=False)  # travels to the store, not persisted here
    id: str = ""

    def __post_init__(self) -> None:
        if self.published_at is not None and self.published_at.tzinfo is None:
            self.published_at = self.published_at.replace(tzinfo=UTC)
        if not self.id:
            self.id = report_id(self.text, self.source, self.url, self.published_at)


def report_id(text: str, source: str | None, url: str | None, published_at: datetime | None) -> str:
    """Content hash identifying a report.

    Two outlets carrying the same wire text are two reports (fusion needs both to see syndication), so source,
    url and publication time are part of the identity; retrieval time and file location are not.
    """
    key = json.dumps(
        [text, source or "", url or "", published_at.isoformat() if published_at else ""],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return sha256_hex(key.encode("utf-8"))[:32]


@dataclass(slots=True)
class Reject:
    """A file or record that could not be read, kept with its reason and original bytes."""

    origin: str
    locator: str | None
    reason: str
    raw: bytes = b""
    source_format: str | None = None

    def message(self) -> str:
        where = f"{self.origin}:{self.locator}" if self.locator else self.origin
        return f"{where}: {self.reason}"


class Hedge(StrEnum):
    """How sure the source sounded about a claim."""

    CONFIRMED = "confirmed"  # stated in the reporter's or an official's own voice without hedging
    ATTRIBUTED = "attributed"  # plainly attributed to a named source
    HEDGED = "hedged"  # "reportedly", "allegedly", "claimed", "according to reports"
    DENIED = "denied"  # negated or denied
    UNCONFIRMED = "unconfirmed"  # "unconfirmed", "could not be verified", unknown


@dataclass(frozen=True, slots=True)
class TimeSpan:
    start: date
    end: date
    precision: int  # ACLED time_precision 1..3
    span: Span | None = None
    # The day ACLED codes for the period (its event_date): the first day of a range of days, the middle of a
    # month; None means ``start``.
    coded: date | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("TimeSpan end before start")
        if self.precision not in (1, 2, 3):
            raise ValueError("time precision must be 1, 2 or 3")

    @property
    def day(self) -> date:
        """The coded day (ACLED's event_date) of the period."""
        return self.coded or self.start


@dataclass(slots=True)
class Place:
    """A resolved place: a gazetteer entry or a curated region."""

    name: str
    country: str | None = None
    iso: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 3  # ACLED: 1 town, 2 near a town / part of a district, 3 larger region
    gazetteer_id: str | None = None  # e.g. "geonames:169866" or "region:syrian-coast"
    span: Span | None = None


@dataclass(slots=True)
class Actor:
    name: str  # canonical name
    inter_code: int | None = None  # ACLED inter code 1..8
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    kb_id: str | None = None
    provisional: bool = False  # not in the knowledge base yet
    span: Span | None = None


@dataclass(slots=True)
class Quantity:
    """A reported count: killed, injured, detained ... with bounds. ``None`` bounds are unknown/open."""

    kind: str  # killed | injured | detained | abducted | displaced
    low: int | None = None
    best: int | None = None
    high: int | None = None
    reported_unknown: bool = False  # "sustained losses, number unconfirmed": reported, never a number
    cumulative: bool = False  # "the death toll rose to 1,383": a running total, never summed
    span: Span | None = None
    group: str | None = None  # the victims counted, as the text names them ("soldiers", "civilians")
    # An ACLED coder's figure in a note: "total" ("Fatalities coded as 4"), "group" ("(coded as 10)" after a
    # count), "share" ("split across 3 events (5)"), "split" (split, share not stated).
    coded: str | None = None
    # One person named in the singular ("a 16-year-old girl", "Zion Willis, 16,", "killing him"), not a number.
    singular: bool = False


@dataclass(slots=True)
class Claim:
    """One statement in a report, with who says it and how sure they sounded."""

    report_id: str
    span: Span  # the sentence (or clause) making the claim
    kind: str  # event | quantity | statement | background
    text: str
    attributed_to: str | None = None  # source entity name; None = the report's own voice
    attribution_span: Span | None = None
    hedge: Hedge = Hedge.CONFIRMED
    language: str | None = None
    chain: list[str] = field(default_factory=list)  # nested attribution, outermost first
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = sha256_hex(f"{self.report_id}:{self.span.start}:{self.span.end}:{self.kind}".encode())[:24]


# ACLED's Event columns, in ACLED's export order. Exports write exactly these, in this order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)


@dataclass(slots=True)
class Event:
    """One event as a report tells it, with ACLED's field names plus our bounds, confidence and spans.

    ``spans`` maps a field name (``event_type``, ``location``, ``fatalities`` ...) to the spans that support it.
    """

    report_id: str
    event_type: str
    sub_event_type: str
    event_date: date | None = None
    event_date_end: date | None = None
    time_precision: int | None = None
    disorder_type: str | None = None
    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int | None = None
    civilian_targeting: bool = False
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
    source: str | None = None
    source_scale: str | None = None
    fatalities: int | None = None  # ACLED's single number: the best estimate, None when unknown
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
    hedge: Hedge = Hedge.CONFIRMED
    attributed_to: str | None = None
    background: bool = False  # reported as past context, not new news
    confidence: float = 0.5
    spans: dict[str, list[Span]] = field(default_factory=dict)
    claim_ids: list[str] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            anchor = min((s.start for spans in self.spans.values() for s in spans), default=0)
            key = f"{self.report_id}:{self.event_type}:{self.sub_event_type}:{anchor}"
            self.id = sha256_hex(key.encode())[:24]

    def add_span(self, field_name: str, span: Span) -> None:
        self.spans.setdefault(field_name, []).append(span)

    @property
    def fatalities_status(self) -> str:
        """What the sources said about deaths: "reported" (a number), "none reported" (a stated 0: "no
        casualties"), "reported, number unknown" ("sustained losses", "several killed") or "not mentioned"."""
        if self.fatalities_best is not None or self.fatalities_low is not None:
            return "none reported" if (self.fatalities_best or self.fatalities_low) == 0 else "reported"
        return "reported, number unknown" if self.fatalities_reported_unknown else "not mentioned"

    @property
    def interaction(self) -> int | None:
        """ACLED interaction code: the two inter codes, lower first (10*a + b); solo events are 10*a."""
        if self.inter1 is None:
            return None
        if self.inter2 is None:
            return self.inter1 * 10
        a, b = sorted((self.inter1, self.inter2))
        return a * 10 + b


@dataclass(slots=True)
class IncidentSource:
    """One supporting (or denying) event of an incident, with who said it and through whom.

    ``original`` is the source the claim counts as for corroboration: the attributed source when an outlet
    quotes one ("according to SOHR" counts as SOHR), the first publisher of a syndicated text, else the outlet.
    ``chain`` runs from the outlet that published the report to that original.
    """

    event_id: str
    report_id: str
    outlet: str | None
    original: str
    chain: list[str] = field(default_factory=list)
    hedge: Hedge = Hedge.CONFIRMED
    attributed_to: str | None = None
    syndicated_from: str | None = None  # report id of the earlier near-identical text this one copies
    span: Span | None = None
    claim_ids: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    event_date: date | None = None

    @property
    def supports(self) -> bool:
        return self.hedge != Hedge.DENIED


@dataclass(slots=True)
class TollEntry:
    """One reported value of an incident's running (cumulative) toll: a point on its timeline."""

    as_of: date | None
    kind: str  # killed | injured | detained
    low: int | None
    best: int | None
    high: int | None
    source: str  # the original (independent) source
    report_id: str
    event_id: str
    span: Span | None = None


@dataclass(slots=True)
class Incident:
    """One real-world happening, fused from the events of one or more reports."""

    id: str
    event_type: str
    sub_event_type: str
    event_ids: list[str] = field(default_factory=list)
    report_ids: list[str] = field(default_factory=list)
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    corroboration: int = 1  # independent sources
    # {"field": ..., "versions": [{"value": ..., "sources": [...], "event_ids": [...], "spans": [...]}], "note": ...}
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    # The profile new reports are matched against (see eventwatch.fuse), derived from the member events.
    event_date: date | None = None
    event_date_end: date | None = None
    time_precision: int | None = None
    disorder_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    actors: list[str] = field(default_factory=list)  # every canonical actor named by a supporting source
    inter1: int | None = None
    inter2: int | None = None
    civilian_targeting: bool = False
    iso: str | None = None
    region: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None  # the place most sources give (ties: the most precise)
    locations: list[str] = field(default_factory=list)  # every place name the sources give
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    coarsest_geo_precision: int | None = None
    # lat_min, lat_max, lon_min, lon_max of member points (blocking; None when some member is unplaced)
    bbox: tuple[float, float, float, float] | None = None
    notes: str = ""
    fatalities_reported_unknown: bool = False
    fatalities_cumulative: bool = False  # the fatality figures are the latest running total
    injured_low: int | None = None
    injured_best: int | None = None
    injured_high: int | None = None
    detained_low: int | None = None
    detained_best: int | None = None
    detained_high: int | None = None
    hedge: Hedge = Hedge.CONFIRMED  # the most certain supporting source's
    denied: bool = False  # some source denies it happened
    sources: list[IncidentSource] = field(default_factory=list)
    toll_history: list[TollEntry] = field(default_factory=list)
    # Blocking only: the days the members may tell of (their dates, else the follow-up span before their report),
    # each widened by its precision window.
    match_from: date | None = None
    match_to: date | None = None

    @property
    def contradicted(self) -> bool:
        return bool(self.contradictions)


@dataclass(slots=True)
class ReportAnalysis:
    """Everything the per-report stages (extract + resolve) found in one report."""

    report_id: str
    language: str | None = None
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # The events' actors as linked to the knowledge base; ``provisional`` ones are names it does not hold yet
    # (kept under the report's own wording, to be reviewed and added), never dropped.
    actors: list[Actor] = field(default_factory=list)
