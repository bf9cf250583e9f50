"""Casualty and detention counts of an incident: low / best / high (UCDP's convention), and running tolls.

Rules, per kind (killed, injured, detained):

* **One report's figure** becomes an interval: "12 killed" → [12, 12]; "at least 12" → [12, ∞) (it raises the low
  bound and sets no high); "between 10 and 15" → [10, 15] (a range sets both); "up to 20" → [0, 20] with no best.
  "Casualties, number unknown" (``fatalities_reported_unknown``) never becomes a number: the incident keeps the
  flag and its counts stay empty unless another source gives one.
* **One figure per independent source**: the source's latest report wins (tolls are revised as bodies are found);
  within a report the most specific figure (exact > range > at least), then the largest (a report's figures for
  one incident are its total and parts of it: "two people were killed … a father of two was shot and killed").
  Syndicated copies and re-reports of the same original count once (see :mod:`eventwatch.fuse.sources`).
* **Credibility**: figures from confirmed or attributed claims are used; hedged or unconfirmed figures only when no
  other source gives one; denials never count.
* **Combining sources** — when the intervals share a common part, that intersection gives ``low`` (the largest
  "at least") and ``high`` (the smallest upper bound, None when open), and ``best`` is the lower median of the
  sources' best figures, clamped into [low, high]: always a figure some source stated, never an average. When the
  intervals do not intersect, the incident is flagged with a ``fatalities`` (``injured``, ``detained``)
  contradiction listing each version with its sources and spans; ``low``/``high`` become the envelope (lowest low,
  highest high) and ``best`` the lower median, so nothing is averaged away and both versions stay visible.
* **Cumulative tolls** ("the death toll rose to 1,383 since March 6") are a timeline, not parts: each becomes a
  :class:`~eventwatch.model.TollEntry` (as-of date, source, value, span; a source repeating the same value is
  kept once). The latest entry (by as-of date, then publication) is the incident's killed low / best / high; the
  daily and per-province figures it contains are never added to it nor to each other. A total that goes down
  across different sources is flagged as a contradiction. Once an incident has a running total, its other figures
  are taken as parts of it (a day, a province): kept with their sources, not compared, not combined.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from eventwatch.fuse.text import fold
from eventwatch.model import Event, Hedge, IncidentSource, TollEntry

KINDS = ("killed", "injured", "detained")
_FIELDS = {"killed": "fatalities", "injured": "injured", "detained": "detained"}
_CREDIBLE = {Hedge.CONFIRMED, Hedge.ATTRIBUTED}
_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(slots=True)
class Estimate:
    kind: str
    lo: int
    hi: int | None  # None: open-ended ("at least")
    best: int | None  # the figure a source would have us use; None for "up to N"
    specificity: int  # 3 exact, 2 range, 1 at least, 0 upper bound only
    source: IncidentSource
    event: Event

    def describe(self) -> str:
        if self.hi is None:
            return f"at least {self.lo}"
        if self.lo == self.hi:
            return str(self.lo)
        if self.lo == 0 and self.best is None:
            return f"up to {self.hi}"
        return f"{self.lo}-{self.hi}"


def figures(event: Event, kind: str) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) an event gives for ``kind``; ACLED's single ``fatalities`` counts as exact."""
    prefix = _FIELDS[kind]
    low, best, high = (getattr(event, f"{prefix}_{b}") for b in ("low", "best", "high"))
    if kind == "killed" and low is None and best is None and high is None and event.fatalities is not None:
        best = event.fatalities
    return low, best, high


def estimate(event: Event, kind: str, source: IncidentSource) -> Estimate | None:
    low, best, high = figures(event, kind)
    if low is None and best is None and high is None:
        return None
    if low is not None and high is not None:
        lo, hi = min(low, high), max(low, high)
        spec = 3 if lo == hi else 2
        best = best if best is not None and lo <= best <= hi else (lo if lo == hi else best)
    elif low is not None:
        lo, hi, spec = low, None, 1
        best = best if best is not None and best >= low else low
    elif best is not None:
        lo, hi, spec = best, high if high is not None and high >= best else best, 3
        spec = 3 if hi == lo else 2
    else:
        assert high is not None
        lo, hi, spec, best = 0, high, 0, None
    return Estimate(kind, lo, hi, best, spec, source, event)


def _recency(est: Estimate) -> tuple[datetime, date, int, int]:
    published = est.source.published_at or _EPOCH
    figure = est.best if est.best is not None else est.lo
    return published, est.event.event_date_end or est.event.event_date or date.min, est.specificity, figure


def per_source(estimates: list[Estimate]) -> list[Estimate]:
    """One estimate per independent source: its latest report, then its most specific figure, then its largest
    (one report's figures for one incident are its total and parts of it — the victim it names, a later death —
    so the largest is the total it tells; until now the tie fell to whichever event sorted first)."""
    chosen: dict[str, Estimate] = {}
    for est in estimates:
        key = fold(est.source.original)
        if key not in chosen or _recency(est) > _recency(chosen[key]):
            chosen[key] = est
    return sorted(chosen.values(), key=lambda e: (e.source.original, e.lo))


def lower_median(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(slots=True)
class Fused:
    low: int | None = None
    best: int | None = None
    high: int | None = None
    conflict: list[list[Estimate]] | None = None  # versions that do not agree, each with its estimates


def combine(estimates: list[Estimate]) -> Fused:
    """Low / best / high over independent sources' estimates (see the module docstring)."""
    if not estimates:
        return Fused()
    sources = per_source(estimates)
    credible = [e for e in sources if e.source.hedge in _CREDIBLE]
    used = credible or sources
    lo = max(e.lo for e in sources)
    highs = [e.hi for e in sources if e.hi is not None]
    hi = min(highs) if highs else None
    bests = [e.best for e in used if e.best is not None] or [e.lo for e in used]
    if hi is None or lo <= hi:
        # Consistent: the sources' common interval, and a figure one of them stated.
        lo_u = max(e.lo for e in used)
        highs_u = [e.hi for e in used if e.hi is not None]
        hi_u = min(highs_u) if highs_u else None
        best = max(lower_median(bests), lo_u)
        if hi_u is not None:
            best = min(best, hi_u)
        return Fused(lo_u, best, hi_u)
    # Inconsistent: keep every version; the envelope is what the sources collectively allow.
    versions: dict[str, list[Estimate]] = {}
    for est in sorted(sources, key=lambda e: (e.lo, e.hi if e.hi is not None else 10**12)):
        versions.setdefault(est.describe(), []).append(est)
    all_his = [e.hi for e in used]
    return Fused(
        low=min(e.lo for e in used),
        best=lower_median(bests),
        high=None if any(h is None for h in all_his) else max(h for h in all_his if h is not None),
        conflict=list(versions.values()),
    )


def toll_entries(estimates: list[Estimate]) -> list[TollEntry]:
    """Cumulative figures as a timeline, oldest first; one source repeating the same value is kept once."""
    entries: list[TollEntry] = []
    seen: set[tuple[str, str, int | None, int | None, int | None]] = set()
    for est in sorted(estimates, key=lambda e: (_as_of(e) or date.min, e.source.published_at or _EPOCH, e.lo)):
        low, best, high = figures(est.event, est.kind)
        key = (est.kind, est.source.original, low, best, high)
        if key in seen:
            continue
        seen.add(key)
        spans = est.event.spans.get(_FIELDS[est.kind]) or est.event.spans.get("fatalities") or []
        entries.append(
            TollEntry(
                as_of=_as_of(est),
                kind=est.kind,
                low=low,
                best=best if best is not None else est.best,
                high=high,
                source=est.source.original,
                report_id=est.event.report_id,
                event_id=est.event.id,
                span=spans[0] if spans else est.source.span,
            )
        )
    return entries


def _as_of(est: Estimate) -> date | None:
    """A running total is as of the end of the period it covers, or the day it was published."""
    event = est.event
    if event.event_date_end is not None:
        return event.event_date_end
    if est.source.published_at is not None:
        return est.source.published_at.date()
    return event.event_date


def decreases(entries: list[TollEntry]) -> list[tuple[TollEntry, TollEntry]]:
    """Pairs (earlier, later) where a different source's later total is below an earlier one."""
    found: list[tuple[TollEntry, TollEntry]] = []
    peak: TollEntry | None = None
    for entry in entries:
        value = entry.best if entry.best is not None else entry.low
        if value is None:
            continue
        if peak is not None:
            peak_value = peak.best if peak.best is not None else peak.low
            if peak_value is not None and value < peak_value and entry.source != peak.source:
                found.append((peak, entry))
        if peak is None or (peak.best if peak.best is not None else peak.low or 0) <= value:
            peak = entry
    return found
