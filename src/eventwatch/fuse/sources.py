"""Who supports an incident, and how many of them are independent.

Corroboration counts **independent originals**, not reports:

* a report quoting a named source counts as that source: an outlet writing "according to SOHR"
  (``attributed_to`` = Syrian Observatory for Human Rights) and SOHR's own bulletin are one source; the chain
  ``outlet → SOHR`` is kept. Unnamed attributions ("local sources", resolution labels them ``... (unnamed)`` /
  ``Unnamed reports``) are not one shared source: they count as the outlet that relayed them;
* syndicated copies — near-identical text (folded, rapidfuzz ``ratio`` ≥ :data:`SYNDICATION_RATIO` on the first
  :data:`SYNDICATION_CHARS` characters) published by different outlets — count as the earliest publisher's
  original, with ``syndicated_from`` pointing at that report and the chain ``outlet → first publisher [→ its
  source]``;
* a denial is kept as a source (hedge ``denied``) but never corroborates.

Names are compared case- and diacritic-folded; resolution has already mapped SOHR / OSDH / المرصد السوري to one
canonical name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from rapidfuzz import fuzz

from eventwatch.fuse.text import fold
from eventwatch.model import Event, IncidentSource, Report, Span

SYNDICATION_RATIO = 88.0
SYNDICATION_CHARS = 2000
_EPOCH = datetime.min.replace(tzinfo=UTC)


def _anonymous(report_id: str) -> str:
    """A readable label for a report whose outlet is unknown: each such report counts as its own source."""
    return f"unknown outlet (report {report_id[:8]})"


def is_unnamed(name: str | None) -> bool:
    return not name or "unnamed" in fold(name)


def main_span(event: Event) -> Span | None:
    """The span that best stands for the whole event: its type's evidence, else its earliest span."""
    for name in ("event_type", "sub_event_type"):
        if event.spans.get(name):
            return event.spans[name][0]
    spans = [s for spans in event.spans.values() for s in spans]
    return min(spans, key=lambda s: (s.start, s.end)) if spans else None


def _syndication_roots(reports: list[Report]) -> dict[str, Report]:
    """report id → the earliest report (from another outlet) whose text it copies, for copies only."""
    ordered = sorted(reports, key=lambda r: (r.published_at or _EPOCH, r.id))
    texts = {r.id: fold(r.text[:SYNDICATION_CHARS]) for r in ordered}
    roots: dict[str, Report] = {}
    for i, report in enumerate(ordered):
        for earlier in ordered[:i]:
            if fold(earlier.source) == fold(report.source):
                continue  # one outlet updating its own story is one source anyway
            a, b = texts[earlier.id], texts[report.id]
            if a and b and fuzz.ratio(a, b) >= SYNDICATION_RATIO:
                roots[report.id] = roots.get(earlier.id, earlier)
                break
    return roots


def build_sources(events: list[Event], reports: Mapping[str, Report]) -> list[IncidentSource]:
    """One :class:`IncidentSource` per member event, in member order, with its independent original."""
    member_reports = [reports[rid] for rid in dict.fromkeys(e.report_id for e in events) if rid in reports]
    roots = _syndication_roots(member_reports)
    # Resolution's canonical outlet name (Event.source) over the raw feed label (Report.source).
    outlets: dict[str, str | None] = {}
    for event in events:
        if not outlets.get(event.report_id):
            report = reports.get(event.report_id)
            outlets[event.report_id] = event.source or (report.source if report else None)
    out: list[IncidentSource] = []
    for event in events:
        report = reports.get(event.report_id)
        outlet = outlets[event.report_id]
        named = None if is_unnamed(event.attributed_to) else event.attributed_to
        if named and fold(named) == fold(outlet):
            named = None  # a monitor citing itself is its own voice
        chain = [outlet] if outlet else []
        root = roots.get(event.report_id)
        syndicated_from = None
        if root is not None:
            syndicated_from = root.id
            root_outlet = outlets.get(root.id) or root.source
            if root_outlet:
                chain.append(root_outlet)
            original = named or root_outlet or outlet or _anonymous(event.report_id)
        else:
            original = named or outlet or _anonymous(event.report_id)
        if named and fold(chain[-1] if chain else "") != fold(named):
            chain.append(named)
        out.append(
            IncidentSource(
                event_id=event.id,
                report_id=event.report_id,
                outlet=outlet,
                original=original,
                chain=chain,
                hedge=event.hedge,
                attributed_to=event.attributed_to,
                syndicated_from=syndicated_from,
                span=main_span(event),
                claim_ids=list(event.claim_ids),
                published_at=report.published_at if report else None,
                event_date=event.event_date,
            )
        )
    return out


def independent_count(sources: list[IncidentSource]) -> int:
    """Distinct originals among the sources that support (do not deny) the incident."""
    return len({fold(s.original) for s in sources if s.supports})
