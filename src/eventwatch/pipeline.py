"""The per-report pipeline: extract, then resolve. Pure: a Report in, a ReportAnalysis out.

Every value put on an Event or Claim comes with the span(s) of the report text that support it, in
``Event.spans`` (field name -> spans) and ``Claim.span``/``attribution_span``.
"""

from __future__ import annotations

from eventwatch.extract import extract
from eventwatch.extract.counts import event_counts
from eventwatch.extract.doc import Attribution, Doc, EventFrame, Sentence
from eventwatch.model import Claim, Event, Hedge, Report, ReportAnalysis, Span
from eventwatch.resolve import country_name, resolve

_HEDGE_RANK = {Hedge.DENIED: 0, Hedge.UNCONFIRMED: 1, Hedge.HEDGED: 2, Hedge.ATTRIBUTED: 3, Hedge.CONFIRMED: 4}


def process_report(report: Report) -> ReportAnalysis:
    """Run every per-report stage over one report."""
    doc = extract(report)
    actors = resolve(doc)
    claims = _claims(doc)
    claim_of = {c.span.start: c for c in claims}
    events = [_event(doc, f, claim_of) for f in doc.frames]
    return ReportAnalysis(report_id=report.id, language=doc.lang, claims=claims, events=events, actors=actors)


# One short report per language, each with a trigger, two actors, a count, a date and a place, so that warming up
# goes through every stage's lexicons and caches, not only the models.
_WARM_UP = (
    ("en", "According to SOHR, government forces shelled the SDF near Idlib on Tuesday, killing 3 civilians."),
    ("fr", "Selon l'OSDH, l'armée a bombardé mardi les positions du JNIM près de Djibo, tuant 3 civils."),
    ("ar", "أفاد المرصد السوري لحقوق الإنسان بمقتل 3 مدنيين في قصف لقوات الحكومة على مواقع قسد قرب إدلب."),
)


def warm_up() -> None:
    """Load the models (spaCy en/fr, lingua), lexicons and gazetteer index once, before any report is timed or
    queued: worker processes call it as their initializer so that no chunk pays for loading."""
    from eventwatch.extract.language import preload_detector
    from eventwatch.extract.parse import load_pipelines
    from eventwatch.extract.toponyms import load_ner

    load_pipelines()
    load_ner()
    preload_detector()
    for lang, text in _WARM_UP:
        process_report(Report(text=text, language=lang))


def _source_label(doc: Doc, att: Attribution | None) -> str | None:
    if att is None or att.source is None:
        return None
    if "{country}" in att.source:
        return att.source.replace("{country}", country_name(doc.focus_country) or "unknown country")
    return att.source


def _chain(doc: Doc, att: Attribution | None) -> list[str]:
    """Nested attribution, outermost first; a plain attribution is a chain of one."""
    if att is None or not att.chain:
        return [a for a in (_source_label(doc, att),) if a]
    country = country_name(doc.focus_country) or "unknown country"
    return [name.replace("{country}", country) for name in att.chain]


def _claims(doc: Doc) -> list[Claim]:
    """One claim per sentence that is attributed or hedged, or that carries an event trigger or a count."""
    in_frame = {i: f for f in doc.frames for i in f.sentences}
    out: list[Claim] = []
    for sent in doc.sentences:
        att = sent.attribution
        carries = bool(sent.triggers or sent.reads_event or sent.quantities or sent.negated_kinds)
        if not carries and att is None and sent.hedge == Hedge.CONFIRMED:
            continue
        if sent.background and sent.index not in in_frame:
            kind = "background"
        elif sent.triggers or sent.reads_event or (sent.index in in_frame and not sent.quantities):
            kind = "event"
        elif sent.quantities:
            kind = "quantity"
        else:
            kind = "statement"
        chain = _chain(doc, att)
        out.append(
            Claim(
                report_id=doc.report.id,
                span=doc.span(sent.start, sent.end),
                kind=kind,
                text=doc.slice(sent.start, sent.end),
                attributed_to=_source_label(doc, att),
                attribution_span=doc.span(att.cue_start, att.cue_end) if att is not None else None,
                hedge=sent.hedge,
                language=sent.lang,
                chain=chain,
            )
        )
    return out


def _add(event: Event, name: str, span: Span | None) -> None:
    if span is not None and span.end > span.start and span not in event.spans.get(name, []):
        event.add_span(name, span)


def _event(doc: Doc, frame: EventFrame, claim_of: dict[int, Claim]) -> Event:
    primary: Sentence = doc.sentences[frame.primary]
    sentences = [doc.sentences[i] for i in frame.sentences]
    trig = doc.span(frame.trigger.start, frame.trigger.end)
    spans: dict[str, list[Span]] = {"event_type": [trig], "sub_event_type": [trig], "disorder_type": [trig]}
    att = primary.attribution
    named = att if att is not None and att.source else next((s.attribution for s in sentences if s.attribution), None)
    source_label = _source_label(doc, named)
    hedge = min((s.hedge for s in sentences if s.index == frame.primary or s.triggers or s.reads_event),
                key=_HEDGE_RANK.__getitem__)  # fmt: skip
    event = Event(report_id=doc.report.id, event_type=frame.event_type, sub_event_type=frame.sub_event_type,
                  disorder_type=frame.disorder_type, spans=spans)  # fmt: skip
    event.notes = " ".join(doc.slice(s.start, s.end) for s in sentences)
    for s in sentences:
        _add(event, "notes", doc.span(s.start, s.end))
    event.hedge = hedge
    event.attributed_to = source_label
    if named is not None:
        _add(event, "attributed_to", doc.span(named.cue_start, named.cue_end))
    event.source = "; ".join(x for x in (doc.report.source, source_label) if x) or None
    if named is not None and source_label:
        _add(event, "source", doc.span(named.cue_start, named.cue_end))
    event.background = frame.background
    for s in sentences:
        for a, b in s.background_spans:
            _add(event, "background", doc.span(a, b))
    _fill_actors(doc, frame, event)
    _fill_place(doc, frame, event)
    _fill_time(frame, event)
    _fill_quantities(doc, frame, event)
    event.confidence = _confidence(event, frame)
    event.claim_ids = [claim_of[s.start].id for s in sentences if s.start in claim_of]
    event.id = ""
    event.__post_init__()
    return event


def _fill_actors(doc: Doc, frame: EventFrame, event: Event) -> None:
    for n, actor in ((1, frame.actor1), (2, frame.actor2)):
        if actor is None:
            continue
        span = doc.span(actor.start, actor.end) if actor.start >= 0 else None
        if n == 1:
            event.actor1, event.inter1 = actor.name, actor.inter
        else:
            event.actor2, event.inter2 = actor.name, actor.inter
        _add(event, f"actor{n}", span)
        _add(event, f"inter{n}", span)
    for n, assoc in ((1, frame.assoc1), (2, frame.assoc2)):
        if assoc:
            setattr(event, f"assoc_actor_{n}", "; ".join(dict.fromkeys(a.name for a in assoc)))
            for a in assoc:
                if a.start >= 0:
                    _add(event, f"assoc_actor_{n}", doc.span(a.start, a.end))
    event.civilian_targeting = frame.civilian_targeting
    if frame.civilian_targeting and frame.actor2 is not None:
        _add(event, "civilian_targeting", doc.span(frame.actor2.start, frame.actor2.end))


def _fill_place(doc: Doc, frame: EventFrame, event: Event) -> None:
    pm = frame.place
    if pm is None:
        _fill_country(doc, frame, event)
        return
    p = pm.place
    event.location, event.country, event.iso = p.name, p.country, p.iso
    event.admin1, event.admin2 = p.admin1, p.admin2
    event.latitude, event.longitude, event.geo_precision = p.latitude, p.longitude, p.geo_precision
    for f in ("location", "country", "iso", "admin1", "admin2", "latitude", "longitude", "geo_precision"):
        if getattr(event, f) is not None:
            _add(event, f, p.span)
    from eventwatch.resolve.gazetteer import gazetteer

    country = gazetteer().countries.get(p.iso or "")
    if country is not None:
        event.region = country.region
        _add(event, "region", p.span)


def _fill_country(doc: Doc, frame: EventFrame, event: Event) -> None:
    """No place named for the event: its country is still the report's (the actors' names need it), cited by the
    mention that made it the report's focus."""
    from eventwatch.resolve.gazetteer import gazetteer

    country = gazetteer().countries.get(frame.country or "")
    if country is None:
        return
    event.country, event.iso, event.region = country.name, country.iso2, country.region or None
    cited = doc.focus_span if frame.country == doc.focus_country else None
    if cited is None:  # the country of the report's placed events: cited by one of those places
        cited = next(((f.place.start, f.place.end) for f in doc.frames
                      if f.place is not None and f.place.place.iso == frame.country), None)  # fmt: skip
    if cited is not None:
        span = doc.span(*cited)
        for f in ("country", "iso", "region"):
            if getattr(event, f) is not None:
                _add(event, f, span)


def _fill_time(frame: EventFrame, event: Event) -> None:
    ts = frame.time
    if ts is None:
        return  # no date in the text: left unknown rather than guessed from the publication date
    # ACLED's event_date is the day it codes for the period (the first day of a range, a month's middle).
    event.event_date, event.event_date_end, event.time_precision = ts.day, ts.end, ts.precision
    for f in ("event_date", "event_date_end", "time_precision"):
        _add(event, f, ts.span)


def _fill_quantities(doc: Doc, frame: EventFrame, event: Event) -> None:
    """Killed, injured and detained by ACLED's counting rules (:mod:`eventwatch.extract.counts`): every number
    is one a span says (or the sum of the victim groups the spans count); "no casualties" is a stated 0."""
    counts = event_counts(doc, frame)
    killed = counts.get("killed")
    if killed is not None:
        event.fatalities_low, event.fatalities_best, event.fatalities_high = killed.low, killed.best, killed.high
        event.fatalities_reported_unknown = killed.reported_unknown and killed.best is None
        event.fatalities_cumulative = killed.cumulative
        event.fatalities = killed.best
        for span in killed.spans:
            for f in ("fatalities", "fatalities_low", "fatalities_best", "fatalities_high"):
                if getattr(event, f) is not None:
                    _add(event, f, span)
            if event.fatalities_reported_unknown:
                _add(event, "fatalities_reported_unknown", span)
            if killed.cumulative:
                _add(event, "fatalities_cumulative", span)
    for prefix in ("injured", "detained"):
        count = counts.get(prefix)
        if count is None or count.reported_unknown:
            continue
        for suffix in ("low", "best", "high"):
            setattr(event, f"{prefix}_{suffix}", getattr(count, suffix))
            if getattr(event, f"{prefix}_{suffix}") is not None:
                for span in count.spans:
                    _add(event, f"{prefix}_{suffix}", span)


def _confidence(event: Event, frame: EventFrame) -> float:
    """A rough 0..1 score of how complete and how firmly stated the event is (not a probability)."""
    score = {Hedge.CONFIRMED: 0.6, Hedge.ATTRIBUTED: 0.55, Hedge.HEDGED: 0.4, Hedge.UNCONFIRMED: 0.3,
             Hedge.DENIED: 0.1}[event.hedge]  # fmt: skip
    score += 0.1 if event.location else 0.0
    score += 0.1 if event.event_date else 0.0
    score += 0.1 if event.actor1 else 0.0
    score += 0.05 if frame.trigger.contextual is None else 0.0
    return round(min(score, 0.95), 2)
