"""Resolution: places (gazetteer, regions, metonymy), dates (relative to publication) and actors' countries.

:func:`resolve` fills, for each event frame of an extracted :class:`~eventwatch.extract.doc.Doc`, its place, its
time and its country, and links its actors to the knowledge base: the canonical name valid at the event's date,
generic names filled ("Civilians ({country})"), names the knowledge base lacks kept as provisional actors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from rapidfuzz import fuzz

from eventwatch.extract import extract
from eventwatch.extract.doc import ActorMention, Doc, EventFrame, PlaceMention
from eventwatch.model import Actor, Report
from eventwatch.resolve import coding
from eventwatch.resolve.actors import link_actor, link_frames
from eventwatch.resolve.gazetteer import Country, country_display, gazetteer
from eventwatch.resolve.names import name_key
from eventwatch.resolve.places import find_places, focus_country, places_event, resolve_spans
from eventwatch.resolve.timex import event_time, extra_times, normalise

__all__ = ["country_name", "focus_country", "geocode", "geoparse", "normalise", "resolve", "toponyms"]

_BACKGROUND_DAYS = 30


def country_name(iso2: str | None) -> str | None:
    c: Country | None = gazetteer().countries.get(iso2 or "")
    return c.name if c else None


def toponyms(doc: Doc) -> list[PlaceMention]:
    """Every place mention a resolved doc holds, in text order (metonymic ones included, flagged)."""
    return sorted((pm for sent in doc.sentences for pm in sent.places), key=lambda pm: pm.start)


def geoparse(report: Report) -> list[PlaceMention]:
    """Find and resolve every toponym of a report (recognition + resolution), without building events."""
    doc = extract(report, all_entities=True)
    find_places(doc)
    return toponyms(doc)


def geocode(
    text: str,
    spans: Sequence[tuple[int, int]],
    language: str | None = None,
    published_at: datetime | None = None,
) -> list[PlaceMention | None]:
    """Resolve given toponym spans of a text — character ranges found by someone else (gold annotation, a user's
    selection, another recogniser) — with the whole text as context: its focus country, the admin areas named
    beside a name, the other spans' places. One answer per span, in order; ``None`` where no gazetteer entry
    carries the name. The answer's ``metonymy`` says whether the span names a government rather than a place."""
    doc = extract(Report(text=text, language=language, published_at=published_at), all_entities=True)
    return resolve_spans(doc, list(spans))


def resolve(doc: Doc) -> list[Actor]:
    """Resolve a doc's frames in place; returns the actors of its events, provisional ones included."""
    find_places(doc)
    pub = doc.published_at.date() if doc.published_at else None
    for sent in doc.sentences:
        sent.resolved_times = []
        for tm in sent.times:
            ts = normalise(tm, pub)
            sent.resolved_times.append(None if ts is None else replace(ts, span=doc.span(tm.start, tm.end)))
    extra_times(doc)
    for frame in doc.frames:
        _place(doc, frame)
        frame.time = event_time(doc, frame)
        frame.country = frame.place.place.iso if frame.place is not None else doc.focus_country
        if pub is not None and frame.time is not None and frame.time.end < pub - timedelta(days=_BACKGROUND_DAYS):
            frame.background = True  # dated well before publication: context, whatever the wording
    placed = {f.place.place.iso for f in doc.frames if f.place is not None and not f.background and f.place.place.iso}
    if len(placed) == 1 and (home := next(iter(placed))) != doc.focus_country:
        # Where every event the report places lies in one country, its unplaced events are there too, whatever a
        # weaker sign (an actor's learned home, a namesake) made the report's focus.
        for frame in doc.frames:
            if frame.place is None:
                frame.country = home
    provisional = link_frames(doc, pub)
    actors: dict[tuple[str, bool], Actor] = {}
    for frame in doc.frames:
        linked = {(a.span.start if a.span else -1): a for a in _actors(doc, frame, pub, provisional)}
        iso2 = frame.country or _text_country(doc, frame)
        fallback = country_display(iso2) if iso2 else None
        coding.apply(doc, frame, iso2, fallback, frame.time.day if frame.time is not None else pub)
        for mention in (frame.actor1, frame.actor2, *frame.assoc1, *frame.assoc2):
            if mention is None:
                continue
            was = linked.get(mention.start)
            if was is not None and was.provisional and was.name == mention.name:
                actors.setdefault((was.name, True), was)
                continue
            span = doc.span(mention.start, mention.end) if mention.start >= 0 else None
            actor = Actor(name=mention.name, inter_code=mention.inter, country=mention.home, span=span,
                          kb_id=was.kb_id if was is not None else None,
                          aliases=[doc.slice(mention.start, mention.end)] if mention.start >= 0 else [])  # fmt: skip
            actors.setdefault((actor.name, False), actor)
    return list(actors.values())


def _text_country(doc: Doc, frame: EventFrame) -> str | None:
    """The event's country where its own place gave none: the country most places of the report are in, else the
    home of a named actor of the event (a learned ACLED name's country: "FARDC" → CD)."""
    isos = [
        pm.place.iso for s in doc.sentences for pm in s.places if pm.place.iso and not pm.metonymy and not pm.dateline
    ]
    if isos:
        return max(set(isos), key=isos.count)
    for cand in coding.candidates(doc, frame, None, None, None):
        if cand.home and cand.kind in ("state", "armed") and not cand.generic:
            return cand.home
    return None


def _ordered(frame: EventFrame) -> list[int]:
    return [frame.primary] + [i for i in frame.sentences if i != frame.primary]


def _place(doc: Doc, frame: EventFrame) -> None:
    """The most specific place named in the event's sentences (a town beats a governorate or region)."""
    best: tuple[int, int, PlaceMention] | None = None
    for rank, idx in enumerate(_ordered(frame)):
        sent = doc.sentences[idx]
        att = sent.attribution
        for pm in sent.places:
            if not places_event(doc, pm):
                continue
            if att is not None and not att.inherited and att.cue_start <= pm.start < att.cue_end:
                continue  # "The Damascus-based agency said": where the source sits, not where it happened
            # A country is the least specific place: any admin area or region named beats it. A province's
            # namesake capital after a place inside that province is the province ("in Darbasiyah countryside in
            # al-Hasakeh"): it does not outrank the place it qualifies.
            qualifies = any(o.start < pm.start and o.place.iso == pm.place.iso and o.place.admin1 == pm.place.admin1
                            for o in sent.places) and _names_its_province(doc, pm)  # fmt: skip
            key = (max(pm.place.geo_precision, 2 if qualifies else 0) + pm.is_country, rank)
            if best is None or key < best[:2]:
                best = (key[0], key[1], pm)
        if rank == 0 and best is not None and best[0] <= 2:
            # The event's own sentence places it at or near a town ("near Sake"): a town named in a follow-up
            # sentence ("residents fled towards Goma") is somewhere else. Only a region or admin area in the
            # event's sentence is refined by a more specific place from the others.
            break
    if best is None:
        # No place in the event's own sentences: the last place named just before ("... in El Fasher. The
        # assault followed hours of shelling") — the running topic of the passage; nor before: the place a next
        # sentence of the paragraph gives the event ("... set fire to a vehicle. The incident occurred in
        # Thessaloniki."), only that sentence, as news goes on to other places.
        para = doc.sentences[frame.primary].paragraph
        before = range(frame.primary - 1, max(-1, frame.primary - 3), -1)
        after = [i for i in range(frame.primary + 1, min(len(doc.sentences), frame.primary + 3))
                 if doc.sentences[i].paragraph == para
                 and _TOOK_PLACE.search(doc.text, doc.sentences[i].start, doc.sentences[i].end)]  # fmt: skip
        for idx in [*before, *after]:
            named = [pm for pm in doc.sentences[idx].places if places_event(doc, pm)]
            if named:
                best = (0, 0, min(named, key=lambda pm: pm.place.geo_precision + pm.is_country))
                break
    frame.place = best[2] if best else None


_TOOK_PLACE = re.compile(r"\b(?:occurred|took place|happened|unfolded|se sont produits?|a eu lieu|وقع|وقعت)\b",
                         re.IGNORECASE)  # fmt: skip


def _names_its_province(doc: Doc, pm: PlaceMention) -> bool:
    """Whether a town mention spells its own first-level area's name ("al-Hasakeh", "Idleb", "Kirkuk")."""
    area = pm.place.admin1
    if area is None or pm.place.geo_precision != 1:
        return False
    return fuzz.ratio(name_key(doc.text[pm.start : pm.end]), name_key(area)) >= _NAMESAKE_RATIO


_NAMESAKE_RATIO = 85  # "Al-Hasakeh" / "Al Hasakah" spell one name


def _actors(doc: Doc, frame: EventFrame, pub: date | None, provisional: set[tuple[int, int]]) -> list[Actor]:
    country = frame.country
    name = country_name(country) or "Unknown"
    specific = _specific_state_force(doc, country)
    on = frame.time.start if frame.time is not None else pub
    out: list[Actor] = []
    for attr in ("actor1", "actor2"):
        actor: ActorMention | None = getattr(frame, attr)
        if actor is None:
            continue
        span = doc.span(actor.start, actor.end)
        if (actor.start, actor.end) in provisional:
            # Unknown to the knowledge base: the event keeps the name as the report gives it.
            out.append(Actor(name=actor.name, aliases=[doc.slice(actor.start, actor.end)], provisional=True, span=span))
            continue
        if actor.government_forces and specific is not None:
            actor = replace(actor, name=specific.name, inter=specific.inter, home=specific.home, generic=False)
        elif actor.generic:
            actor = replace(actor, name=actor.name.replace("{country}", name), home=country)
        kb_id: str | None = None
        if not actor.generic:
            # The entry valid at the event's date: "Syrian army" in 2019 is Military Forces of Syria (2000-2024).
            linked = link_actor(actor.name, on)
            if not linked.provisional:
                actor = replace(actor, name=linked.name, inter=linked.inter_code or actor.inter)
                kb_id = linked.kb_id
        if actor.state and actor.home and country and actor.home != country:
            actor = replace(actor, inter=8)  # a state force outside its own country
        setattr(frame, attr, actor)
        out.append(Actor(name=actor.name, inter_code=actor.inter, country=actor.home, kb_id=kb_id,
                         aliases=[doc.slice(actor.start, actor.end)], span=span))  # fmt: skip
    return out


def _specific_state_force(doc: Doc, country: str | None) -> ActorMention | None:
    """The named state force of the event's country the report mentions most ("government forces" → it)."""
    counts: dict[str, tuple[int, ActorMention]] = {}
    for sent in doc.sentences:
        for a in sent.actors:
            if a.state and not a.generic and a.home == country:
                n, first = counts.get(a.name, (0, a))
                counts[a.name] = (n + 1, first)
    if not counts:
        return None
    return max(counts.values(), key=lambda t: t[0])[1]
