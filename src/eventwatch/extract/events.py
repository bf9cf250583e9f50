"""Event triggers (ACLED typology, ``acled_typology.yaml``), background marking and event frames.

A sentence with a trigger opens an event frame or joins the open one: consecutive sentences of one paragraph
telling the same kind of event are one event ("fighting broke out ... A minimum of two were taken into
custody"), while a different event type or a change between news and background starts a new one. Arrests and
intercepted weapons next to a violent event are counts of that event, not events of their own. Sentences
that only give counts join the open frame. Denied sentences and intentions ("objective to apprehend") yield
no event.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from eventwatch.extract.actors import assign_roles
from eventwatch.extract.classifier import MIN_PROBABILITY, default_classifier
from eventwatch.extract.classifier import embed as classifier_embed
from eventwatch.extract.doc import ActorMention, Doc, EventFrame, Sentence, Trigger
from eventwatch.extract.lexicon import PhraseMatcher, fold, load_yaml, per_lang
from eventwatch.extract.parse import dep_roles
from eventwatch.extract.temporal import infer_year


@dataclass(frozen=True, slots=True)
class _Spec:
    event_type: str
    sub_event_type: str
    disorder_type: str
    priority: int
    merge_into_violent: bool = False
    contextual: str | None = None
    alt: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Typology:
    disorder_of: dict[tuple[str, str], str]
    sub_event_types: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    triggers: PhraseMatcher
    spec_of: dict[tuple[str, str | None], _Spec]
    irrealis: PhraseMatcher
    background: PhraseMatcher
    background_days: int
    typology: Typology


@cache
def typology() -> Typology:
    return _lexicon().typology


@cache
def _lexicon() -> _Lexicon:
    data: dict[str, Any] = load_yaml("acled_typology.yaml")
    spec_of: dict[tuple[str, str | None], _Spec] = {}
    phrases: list[tuple[str, str | None]] = []
    disorder_of: dict[tuple[str, str], str] = {}

    def add(by_lang: dict[str, list[str]] | None, spec: _Spec) -> None:
        for phrase, lang in per_lang(by_lang):
            key = (fold(phrase.rstrip("*")).strip(), lang)
            if key not in spec_of or spec_of[key].priority < spec.priority:
                spec_of[key] = spec
            phrases.append((phrase, lang))

    for et in data["event_types"]:
        for st in et["sub_event_types"]:
            disorder_of[(et["name"], st["name"])] = st["disorder_type"]
    for et in data["event_types"]:
        for st in et["sub_event_types"]:
            spec = _Spec(et["name"], st["name"], st["disorder_type"], int(st["priority"]),
                         bool(st.get("merge_into_violent")))  # fmt: skip
            add(st.get("triggers"), spec)
    for ctx in data["contextual"]:
        cond = "civilian_target" if "if_civilian_target" in ctx else "state_actor1"
        et, st = ctx["if_civilian_target"] if cond == "civilian_target" else ctx["if_state_actor1"]
        alt_et, alt_st = ctx["else"]
        spec = _Spec(et, st, disorder_of[(et, st)], int(ctx["priority"]), contextual=cond, alt=(alt_et, alt_st))
        add(ctx["triggers"], spec)
    time_data: dict[str, Any] = load_yaml("time.yaml")
    return _Lexicon(
        triggers=PhraseMatcher(phrases),
        spec_of=spec_of,
        irrealis=PhraseMatcher(per_lang(data["irrealis"])),
        background=PhraseMatcher(per_lang(time_data["background_cues"])),
        background_days=int(time_data["background_days"]),
        typology=Typology(disorder_of, tuple(disorder_of)),
    )


@cache
def external_codes() -> dict[str, dict[str, str | None]]:
    """ACLED sub-event type → {"cameo_root", "cameo", "plover"} (``event_mapping.yaml``; None: no counterpart)."""
    data: dict[str, Any] = load_yaml("event_mapping.yaml")
    return {str(k): {f: (None if v[f] is None else str(v[f])) for f in ("cameo_root", "cameo", "plover")}
            for k, v in data["mapping"].items()}  # fmt: skip


def _folded(doc: Doc, start: int, end: int) -> tuple[int, int]:
    starts = doc.folded.starts
    if starts is None:
        return start, end
    return bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)


def find_triggers(doc: Doc) -> None:
    lex = _lexicon()
    for sent in doc.sentences:
        lang = sent.lang or doc.lang or "en"
        fs, fe = _folded(doc, sent.start, sent.end)
        irrealis = [h for h in lex.irrealis.finditer(doc.folded, fs, fe) if h.lang == lang]
        for hit in lex.triggers.finditer(doc.folded, fs, fe):
            spec = lex.spec_of.get((hit.key, hit.lang))
            if spec is None or hit.lang != lang:
                continue
            # An intention is not an event: a modal/intention cue in the few words before the trigger.
            window = doc.text[max(sent.start, hit.start - 40) : hit.start]
            if any(0 <= hit.start - i.end <= len(window) and len(doc.text[i.end : hit.start].split()) <= 3
                   for i in irrealis):  # fmt: skip
                continue
            sent.triggers.append(
                Trigger(
                    hit.start,
                    hit.end,
                    spec.event_type,
                    spec.sub_event_type,
                    spec.disorder_type,
                    spec.priority,
                    spec.contextual,
                    spec.alt,
                    spec.merge_into_violent,
                )
            )


def mark_background(doc: Doc) -> None:
    """Past context: explicit cues ("last year"), or a date/month/year well before publication."""
    lex = _lexicon()
    pub = doc.published_at.date() if doc.published_at else None
    for sent in doc.sentences:
        lang = sent.lang or doc.lang or "en"
        fs, fe = _folded(doc, sent.start, sent.end)
        for hit in lex.background.finditer(doc.folded, fs, fe):
            if hit.lang == lang:
                sent.background = True
                sent.background_spans.append((hit.start, hit.end))
        if pub is None:
            continue
        limit = pub - timedelta(days=lex.background_days)
        for tm in sent.times:
            end: date | None = None
            if tm.kind == "year" and tm.year is not None:
                end = date(tm.year, 12, 31)
            elif tm.kind in ("month", "date") and tm.month is not None:
                year = tm.year or infer_year(tm.month, pub.year, pub.month, tm.last)
                if tm.kind == "date" and tm.day is not None:
                    try:
                        end = date(year, tm.month, tm.day)
                    except ValueError:
                        continue
                else:
                    nxt = date(year + (tm.month == 12), tm.month % 12 + 1, 1)
                    end = nxt - timedelta(days=1)
            if end is not None and end < limit:
                sent.background = True
                sent.background_spans.append((tm.start, tm.end))


def _resolve_contextual(trigger: Trigger, a1: ActorMention | None, a2: ActorMention | None) -> tuple[str, str]:
    if trigger.contextual is None or trigger.alt is None:
        return trigger.event_type, trigger.sub_event_type
    holds = (
        (a2 is not None and not a2.armed) if trigger.contextual == "civilian_target" else (a1 is not None and a1.state)
    )
    return (trigger.event_type, trigger.sub_event_type) if holds else trigger.alt


def _roles(doc: Doc, sent: Sentence) -> tuple[ActorMention | None, ActorMention | None]:
    """The fullest role assignment over the sentence's triggers (a transitive verb usually gives both)."""
    best: tuple[ActorMention | None, ActorMention | None] = (None, None)
    for t in sorted(sent.triggers, key=lambda t: -t.priority):
        a1, a2 = _combined_roles(doc, sent, t)
        if (a1 is not None) + (a2 is not None) > (best[0] is not None) + (best[1] is not None):
            best = (a1, a2)
    return best


def _combined_roles(doc: Doc, sent: Sentence, t: Trigger) -> tuple[ActorMention | None, ActorMention | None]:
    """The parse's roles first (it sees passives, relatives and clause structure); word-order rules fill a role
    the parse left empty, never with an actor the parse already placed in the other role."""
    r1, r2 = assign_roles(doc, sent, t)
    dep = dep_roles(doc, sent, t)
    if dep is None or dep == (None, None):
        return r1, r2
    d1, d2 = dep
    a1 = d1 if d1 is not None else (r1 if r1 is not None and (d2 is None or r1.name != d2.name) else None)
    a2 = d2 if d2 is not None else (r2 if r2 is not None and (a1 is None or r2.name != a1.name) else None)
    return a1, a2


def _violent(event_type: str) -> bool:
    return event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots")


def build_frames(doc: Doc) -> None:
    """Group sentences into event frames; a headline counts only when the body tells no event."""
    headline = _headline(doc)
    body = [s for s in doc.sentences if s.index != headline]
    doc.frames = _frames(doc, body) or (_frames(doc, doc.sentences) if headline is not None else [])
    _classify(doc)


def _classify(doc: Doc) -> None:
    """Let the trained classifier (when installed) re-type frames whose trigger is weak; see extract.classifier."""
    weak = [f for f in doc.frames if f.trigger.contextual is not None or f.trigger.merge_into_violent]
    if not weak:
        return
    clf = default_classifier()
    if clf is None:
        return
    texts = [" ".join(doc.slice(doc.sentences[i].start, doc.sentences[i].end) for i in f.sentences) for f in weak]
    for frame, (et, st, p) in zip(weak, clf.predict(classifier_embed(texts)), strict=True):
        if p >= MIN_PROBABILITY and (et, st) in _lexicon().typology.disorder_of:
            frame.event_type, frame.sub_event_type = et, st
            frame.disorder_type = _lexicon().typology.disorder_of[(et, st)]
            frame.classifier_probability = p


def _headline(doc: Doc) -> int | None:
    """The index of a headline: a first paragraph of one unpunctuated sentence, with a body below it."""
    if len(doc.sentences) < 2:
        return None
    first = doc.sentences[0]
    alone = all(s.paragraph != first.paragraph for s in doc.sentences[1:])
    unpunctuated = not doc.text[first.start : first.end].rstrip().endswith((".", "!", "?", "؟", "…"))
    return first.index if alone and unpunctuated else None


def _frames(doc: Doc, sentences: list[Sentence]) -> list[EventFrame]:
    lex = _lexicon()
    frames: list[EventFrame] = []
    open_frame: EventFrame | None = None
    for sent in sentences:
        if open_frame is not None:
            last = doc.sentences[open_frame.sentences[-1]]
            if sent.paragraph != last.paragraph and sent.index != last.index + 1:
                open_frame = None
        live = [t for t in sent.triggers if not sent.denied]
        if not live:
            if open_frame is not None and sent.quantities and sent.background == open_frame.background:
                open_frame.sentences.append(sent.index)
                open_frame.quantities.extend(q for q in sent.quantities if q.kind not in sent.negated_kinds)
            continue
        primary = max(live, key=lambda t: (t.priority, -t.start))
        a1, a2 = _roles(doc, sent)
        et, st = _resolve_contextual(primary, a1, a2)
        # A generic trigger ("the attack", "were killed") next to a violent event retells that event.
        generic = primary.contextual is not None or primary.merge_into_violent
        compatible = (
            open_frame is not None
            and sent.background == open_frame.background
            and (et == open_frame.event_type or (generic and _violent(open_frame.event_type)))
        )
        if compatible and open_frame is not None:
            open_frame.sentences.append(sent.index)
            open_frame.quantities.extend(sent.quantities)
            open_frame.actor1 = open_frame.actor1 or a1
            if (
                open_frame.actor2 is None
                and a2 is not None
                and (open_frame.actor1 is None or a2.name != open_frame.actor1.name)
            ):
                open_frame.actor2 = a2
            if primary.priority > open_frame.trigger.priority and et == open_frame.event_type:
                open_frame.trigger, open_frame.sub_event_type = primary, st
            continue
        disorder = lex.typology.disorder_of.get((et, st), primary.disorder_type)
        frame = EventFrame(sentences=[sent.index], primary=sent.index, trigger=primary, event_type=et,
                           sub_event_type=st, disorder_type=disorder, background=sent.background, actor1=a1, actor2=a2,
                           quantities=list(sent.quantities))  # fmt: skip
        frame.civilian_targeting = a2 is not None and not a2.armed and _violent(et)
        frames.append(frame)
        open_frame = frame
    return frames
