"""Do two events report the same incident? A symmetric test on the pair alone, so clustering is order-free.

Incidents are the connected components of this relation (see :mod:`eventwatch.fuse.clustering`): because a link
depends only on the two events and their reports — never on what else is stored or in what order it came — the
same reports give the same incidents in any ingest order, and the incremental path (link the new events to the
blocked candidates' members, merge what they connect) gives exactly what a full re-cluster gives.

Gates (any failing one: no link):

* **type** — compatible event types (:data:`~eventwatch.fuse.score.TYPE_AGREEMENT`);
* **place** — when both are placed: within 50 km (150 km when either is only a region) and, for two differently
  named towns, within 10 km; different countries never link, except that a country alone (an event with no
  place, admin1 or point: its country inferred from the report's focus, an actor's home or a name such as
  "Jordan") gives way to document similarity ≥ :data:`DOC_LINK` — the words of two reports telling one story are
  stronger evidence than a country no place in the text supports;
* **time** — the date ranges overlap once widened by the coarser precision's window. An event whose text gives no
  date is dated by its report, and a report may tell of an incident up to :data:`FOLLOWUP_DAYS` before it was
  published (arrests, funerals, trials, "the death toll has risen to"). An event dated only to a span longer
  than :data:`LONG_SPAN_DAYS` ("in 2015, at least four children died", "since 2001") names no one incident: it
  links within its report only (a roundup's yearly figure would otherwise join every incident of that year);
* **news vs background** — within one report, a news event and a background mention are never one incident.

Evidence (any one suffices once the gates pass):

* **the same report** — a report's events that pass every gate tell one story (the attack, its toll, the arrest
  of the gunman);
* **document similarity** — cosine of the two reports' title + text vectors (sublinear tf × idf from a fixed
  background, :func:`~eventwatch.fuse.text.doc_vector`) ≥ :data:`DOC_LINK`: shared rare words — victims' names,
  streets, the places and numbers of one story — are what tell two incidents of the same type, town and week
  apart. Only for reports in one script (the vectors cannot see a translation). An event with neither a date nor
  a point of its own matches every event of its type in the 60-day follow-up span anywhere, so it needs
  :data:`DOC_BARE` (a city's shooting reports share enough words to pass DOC_LINK, and such events chained
  them into one incident);
* **event agreement** — the weighted event-level score of :mod:`eventwatch.fuse.score` (type, actors, place,
  date, the notes' multilingual embedding) ≥ :data:`~eventwatch.fuse.score.JOIN_THRESHOLD`, scored from the side
  whose actors the other covers (a source naming fewer parties is no disagreement), with both events placed alike
  (place score ≥ :data:`EVENT_PLACE_MIN`): type, date and a similar sentence alone describe a kind of event; and
  two full-length reports in the same language whose document similarity is below :data:`DOC_APART` are two
  stories (two shootings in one town the same week), whatever their events share;
  the only path across languages and scripts, and for follow-ups it needs the events' own dates.

Thresholds were chosen on GVC's train + dev documents (Bugert split) and the synthetic multi-source scenarios,
never on a scored split.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from eventwatch.fuse.incident import profile
from eventwatch.fuse.score import (
    RADIUS_KM,
    RADIUS_REGION_KM,
    TOWN_RADIUS_KM,
    haversine_km,
    score,
    type_agreement,
    window_days,
)
from eventwatch.fuse.text import CachedEmbedder, cosine, doc_vector, fold, script
from eventwatch.model import Event, Report

DOC_LINK = 0.30
DOC_BARE = 0.40  # the document path for an event with neither a date nor a place of its own
EVENT_PLACE_MIN = 0.5  # the event path needs both events placed, and placed alike
DOC_APART = 0.15  # below this, two full same-language reports are never linked by the event path
LONG_TERMS = 40  # a report with at least this many distinct terms is a full story
FOLLOWUP_DAYS = 60
LONG_SPAN_DAYS = 31  # an own date range longer than this (a year, "since 2001") identifies no single incident


@dataclass(frozen=True, slots=True)
class Node:
    """An event with what linking needs from its report."""

    event: Event
    day: date | None  # the report's publication day

    @property
    def id(self) -> str:
        return self.event.id


def own_range(event: Event) -> tuple[date, date] | None:
    if event.event_date is None:
        return None
    return event.event_date, max(event.event_date, event.event_date_end or event.event_date)


def match_range(node: Node) -> tuple[date, date] | None:
    """The days the node's incident may lie in: its own dates, else the follow-up span before its report."""
    own = own_range(node.event)
    if own is not None:
        return own
    if node.day is None:
        return None
    return node.day - timedelta(days=FOLLOWUP_DAYS), node.day


def blocking_range(node: Node) -> tuple[date, date] | None:
    """The node's :func:`match_range` widened by its own precision window. Two nodes can link only when these
    overlap (a link allows a gap of the coarser window, never more than the sum of both), so blocking on them is
    complete and as tight as the precisions allow."""
    span = match_range(node)
    if span is None:
        return None
    pad = timedelta(days=window_days(node.event.time_precision))
    return span[0] - pad, span[1] + pad


def _gap(a: tuple[date, date], b: tuple[date, date]) -> int:
    return max((b[0] - a[1]).days, (a[0] - b[1]).days, 0)


def _country_only(event: Event) -> bool:
    """Placed to a country and nothing finer: no point, place name or admin1 from the text."""
    return event.latitude is None and not event.location and not event.admin1


def _place_gate(a: Event, b: Event) -> bool | None:
    """True when the places allow one incident (unplaced sides allow anything but a different country); None when
    only a country-only side's country differs (allowed on document similarity alone, see the module docstring)."""
    if a.iso and b.iso and a.iso != b.iso:
        return None if _country_only(a) or _country_only(b) else False
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return True
    d = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)
    radius = RADIUS_REGION_KM if 3 in (a.geo_precision, b.geo_precision) else RADIUS_KM
    if d > radius:
        return False
    towns = a.geo_precision == 1 and b.geo_precision == 1 and a.location and b.location
    return not (towns and fold(a.location) != fold(b.location) and d > TOWN_RADIUS_KM)


def _bare(event: Event) -> bool:
    """Neither dated nor placed by its text: it matches any event of its type within the follow-up span."""
    return event.event_date is None and event.latitude is None


def _long(event: Event) -> bool:
    own = own_range(event)
    return own is not None and (own[1] - own[0]).days > LONG_SPAN_DAYS


def _placed(event: Event) -> bool:
    return event.latitude is not None or bool(event.location) or bool(event.admin1)


def _day_range(day: date | None, fallback: tuple[date, date]) -> tuple[date, date]:
    return (day, day) if day is not None else fallback


def _dated(event: Event, day: date | None) -> Event:
    """The event dated by its report when its text gives no date (for the event-level score only)."""
    if event.event_date is not None or day is None:
        return event
    return replace(event, event_date=day, event_date_end=day, time_precision=None)


class Linker:
    """The link test with its caches (report vectors, pair results); one per clustering run."""

    def __init__(self, reports: Mapping[str, Report], embedder: CachedEmbedder, size: int = 20_000) -> None:
        self.reports = reports
        self.embedder = embedder
        self._size = size
        self._vectors: OrderedDict[str, dict[str, float]] = OrderedDict()
        self._scripts: dict[str, str] = {}
        self._pairs: OrderedDict[tuple[str, str], float | None] = OrderedDict()

    def vector(self, report_id: str) -> dict[str, float]:
        found = self._vectors.get(report_id)
        if found is not None:
            self._vectors.move_to_end(report_id)
            return found
        report = self.reports.get(report_id)
        text = (
            f"{report.title}\n{report.text}" if report is not None and report.title else (report.text if report else "")
        )
        vector = doc_vector(text)
        self._vectors[report_id] = vector
        self._scripts[report_id] = script(text[:2000])
        while len(self._vectors) > self._size:
            self._vectors.popitem(last=False)
        return vector

    def doc_similarity(self, a: str, b: str) -> float | None:
        """Cosine of the two reports' vectors; None across scripts (the vectors cannot see a translation)."""
        key = (a, b) if a <= b else (b, a)
        if key in self._pairs:
            return self._pairs[key]
        va, vb = self.vector(a), self.vector(b)
        value = None if self._scripts.get(a) != self._scripts.get(b) else cosine(va, vb)
        self._pairs[key] = value
        if len(self._pairs) > self._size * 20:
            self._pairs.popitem(last=False)
        return value

    def _apart(self, a: str, b: str) -> bool:
        """Whether a low document similarity means two stories: both full-length and in the same (known) language
        (a translation shares few words with its original)."""
        ra, rb = self.reports.get(a), self.reports.get(b)
        if ra is None or rb is None or not ra.language or ra.language != rb.language:
            return False
        return len(self.vector(a)) >= LONG_TERMS and len(self.vector(b)) >= LONG_TERMS

    def link(self, a: Node, b: Node) -> float | None:
        """The strength of the link between two events (None: not one incident). Symmetric."""
        ea, eb = a.event, b.event
        if type_agreement(ea.event_type, ea.sub_event_type, eb.event_type, eb.sub_event_type) <= 0:
            return None
        same_report = ea.report_id == eb.report_id
        if not same_report and (_long(ea) or _long(eb)):
            return None
        place = _place_gate(ea, eb)
        if place is False or (place is None and same_report):
            return None
        ra, rb = match_range(a), match_range(b)
        if ra is None or rb is None:
            return None
        pad = max(window_days(ea.time_precision), window_days(eb.time_precision))
        if _gap(ra, rb) > pad:
            return None
        if same_report:
            return 1.0 if ea.background == eb.background else None
        both_dated = ea.event_date is not None and eb.event_date is not None
        similarity = self.doc_similarity(ea.report_id, eb.report_id)
        need = DOC_BARE if _bare(ea) or _bare(eb) else DOC_LINK
        if similarity is not None and similarity >= need:
            return similarity
        if place is None:
            return None  # a country-only side's other country: the document path alone may link it
        # Event-level agreement, on report-dated copies (a follow-up needs its own date on this path), for placed
        # events only (see EVENT_PLACE_MIN).
        if not (_placed(ea) and _placed(eb)):
            return None
        if similarity is not None and similarity < DOC_APART and self._apart(ea.report_id, eb.report_id):
            return None  # two full stories in one language with next to nothing in common are two stories
        if (
            not both_dated
            and _gap(own_range(ea) or _day_range(a.day, ra), own_range(eb) or _day_range(b.day, rb)) > pad
        ):
            return None
        da, db = _dated(ea, a.day), _dated(eb, b.day)
        # Both directions, the better kept: the worst-matched actor is measured from one side, and a source that
        # names fewer parties than the other is not a disagreement (two different opponents fail both ways).
        best = max(score(da, profile("b", [db]), self.embedder), score(db, profile("a", [da]), self.embedder),
                   key=lambda s: (s.passes, s.total))  # fmt: skip
        # Type, date and a similar sentence say "an event like this", not "this event": the event path also needs
        # the two to be placed alike (the only evidence that crosses languages besides the parties).
        if not best.passes or best.parts.get("place", 0.0) < EVENT_PLACE_MIN:
            return None
        return best.total
