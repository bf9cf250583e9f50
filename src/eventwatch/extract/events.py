"""Event detection and typing: the trained event model reads each sentence, the trigger lexicon gives evidence.

Which sentences report an event, and of which ACLED type, is the event model's decision (``extract.classifier``,
trained on real ACLED notes and non-event text). The trigger lexicon (``acled_typology.yaml``) is evidence: the span
shown to users, a cue that lowers the bar a sentence must pass, and the whole decision when no model is installed
(``EVENTWATCH_EVENT_MODEL=off``). Rules encode conventions the model must not override: a denied sentence and an
intention ("objective to apprehend", "threatened to attack", "plans to protest") yield no event.

A sentence read as an event opens an event frame or joins the open one: consecutive sentences of one paragraph
telling the same kind of event are one event ("fighting broke out ... A minimum of two were taken into custody"),
while a different event type or a change between news and background starts a new one. Arrests and intercepted
weapons next to a violent event are counts of that event, not events of their own. Sentences that only give
counts join the open frame. Each frame is then typed once more on all its sentences together (more context, the
way an ACLED note reads).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from eventwatch.extract.actors import assign_roles
from eventwatch.extract.classifier import Typing, default_model
from eventwatch.extract.doc import ActorMention, Doc, EventFrame, Sentence, Trigger
from eventwatch.extract.lexicon import PhraseMatcher, fold, fold_text, load_yaml, per_lang
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
    demonstrator_violence: PhraseMatcher
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
        demonstrator_violence=PhraseMatcher(per_lang(data["demonstrator_violence"])),
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
    """Lexicon triggers per sentence; one under an intention cue is recorded as ``intention_spans`` instead."""
    lex = _lexicon()
    for sent in doc.sentences:
        lang = sent.lang or doc.lang or "en"
        fs, fe = _folded(doc, sent.start, sent.end)
        irrealis = [h for h in lex.irrealis.finditer(doc.folded, fs, fe)
                    if h.lang == lang and not _passive_participle(doc, h.end, lang)]  # fmt: skip
        sent.irrealis_spans = [(i.start, i.end) for i in irrealis]
        for hit in lex.triggers.finditer(doc.folded, fs, fe):
            spec = lex.spec_of.get((hit.key, hit.lang))
            if spec is None or hit.lang != lang:
                continue
            if under_intention(doc, sent, hit.start):
                sent.intention_spans.append((hit.start, hit.end))
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


def _passive_participle(doc: Doc, end: int, lang: str) -> bool:
    """A cue followed by its agent ("protests called for by the CLC took place", "a strike planned by unions")
    modifies a noun before it: what was called for happened, so it is no intention cue."""
    return lang == "en" and doc.text[end : end + 4].lower() in (" by ", " by,")


def under_intention(doc: Doc, sent: Sentence, start: int) -> bool:
    """An intention is not an event: a modal/intention cue ("threatened to", "plans to") in the three words before."""
    return any(0 <= start - end <= 40 and len(doc.text[end:start].split()) <= 3 for _, end in sent.irrealis_spans)


def has_trigger(text: str, lang: str) -> bool:
    """Whether a plain text contains any trigger phrase of the lexicon (training-data selection uses it)."""
    lex = _lexicon()
    return any(h.lang == lang for h in lex.triggers.finditer(fold_text(text)))


def sentence_cues(sent: Sentence) -> list[str]:
    """The event model's lexicon features of a sentence: the sub-event types its live triggers name."""
    return sorted({t.sub_event_type for t in sent.triggers})


def text_cues(text: str, lang: str) -> list[str]:
    """The same features for a plain text (training), found exactly as at run time: segmentation, intention cues."""
    from eventwatch.extract.segment import segment
    from eventwatch.model import Report

    doc = Doc.from_report(Report(text=text, language=lang))
    segment(doc)
    for sent in doc.sentences:
        sent.lang = lang
    find_triggers(doc)
    return sorted({c for sent in doc.sentences for c in sentence_cues(sent)})


def mark_background(doc: Doc) -> None:
    """Past context: explicit cues ("last year"), or a date/month/year well before publication — unless the
    sentence also dates itself recently: "On 25 November 2019, nationalists protested against the ICJ case on the
    violence of 2017" and "On Aug 26, graduates of the 2015-2016 class protested" are news, their old years
    context inside them (a fifth of acled-dev's wrong dates were such notes made background)."""
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
        recent = False
        for tm in sent.times:
            if tm.kind == "weekday" or (
                tm.kind == "relative" and tm.offsets is not None and tm.offsets[0] >= -lex.background_days
            ):
                recent = recent or not tm.anaphoric
                continue
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
            elif end is not None and tm.kind in ("date", "month"):
                recent = True
        if recent:
            sent.background = False
            sent.background_spans = []


def _resolve_contextual(trigger: Trigger, a1: ActorMention | None, a2: ActorMention | None) -> tuple[str, str]:
    if trigger.contextual is None or trigger.alt is None:
        return trigger.event_type, trigger.sub_event_type
    holds = (
        (a2 is not None and not a2.armed) if trigger.contextual == "civilian_target" else (a1 is not None and a1.state)
    )
    return (trigger.event_type, trigger.sub_event_type) if holds else trigger.alt


def _roles(doc: Doc, sent: Sentence, anchor: Trigger) -> tuple[ActorMention | None, ActorMention | None]:
    """The fullest role assignment over the sentence's triggers and the frame's own anchor (the model's evidence
    when the lexicon has no trigger there); a transitive verb usually gives both roles."""
    best: tuple[ActorMention | None, ActorMention | None] = (None, None)
    anchors = sorted(sent.triggers, key=lambda t: -t.priority)
    if not any(t.start == anchor.start and t.end == anchor.end for t in anchors):
        anchors.append(anchor)
    for t in anchors:
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


# A sentence with a live lexicon trigger is an event when the model gives it at least TRIGGER_PROBABILITY (the phrase
# is strong evidence; the model still vetoes what reads as no event at all). Without one the model alone must be sure:
# UNTRIGGERED_EVENT_PROBABILITY. Why so high: the "no event" class learnt from few real news sentences, and on real
# articles background and commentary ("the discussions led to the removal of sanctions", "a significant military
# operation is reportedly concentrating on ...") read as events at 0.6-0.8, while ACLED's events the lexicon missed
# read at 0.85-1.0 (acled-dev: no event 1.2% at 0.5, 1.4% at 0.8). Their sub-event type is no guide: it is as
# diffuse for real events (0.2-0.5) as for background. A model that carries its own operating point (chosen in training
# at the false-positive rate this one had on held-out negatives; see scripts/train_event_model.py) uses that instead.
EVENT_PROBABILITY = 0.5  # a frame's joint reading retypes its sentences from here
TRIGGER_PROBABILITY = 0.15
UNSURE_READING = 0.2  # below this probability of its sub-event type, a reading yields to a specific trigger
UNTRIGGERED_EVENT_PROBABILITY = 0.8
MIN_WORDS = 5  # shorter fragments ("Fatalities unknown.", "2 killed.") are not read on their own: counts join frames


def read_sentences(doc: Doc) -> None:
    """The event model's reading of each sentence (``Sentence.reading``) and whether it tells an event
    (``Sentence.reads_event``). English sentences are all read (the en head costs microseconds); other languages
    go through the multilingual embedder (milliseconds a sentence), so only sentences with some sign of an event
    are read there: a trigger (live or under an intention) or a count."""
    model = default_model()
    if model is None:
        _read_by_lexicon(doc)
        return
    chosen: list[Sentence] = []
    for sent in doc.sentences:
        lang = sent.lang or doc.lang or "en"
        if len(doc.text[sent.start : sent.end].split()) < MIN_WORDS and not sent.triggers:
            continue
        if lang != "en" and not (sent.triggers or sent.intention_spans or sent.quantities):
            continue
        chosen.append(sent)
    typings = model.classify([doc.text[s.start : s.end] for s in chosen], [s.lang or doc.lang or "en" for s in chosen],
                             [sentence_cues(s) for s in chosen])  # fmt: skip
    for sent, typing in zip(chosen, typings, strict=True):
        sent.reading = _in_doc(typing, sent.start)
        sent.reads_event = _tells_event(doc, sent, sent.reading)  # evidence in document offsets, as the cues


def _only_negated_counts(sent: Sentence, typing: Typing) -> bool:
    """Whether the sentence's event reading rests on a negated count ("No one was hurt") rather than on an act it
    also tells ("forces fired machine guns at farms, with no report of fatalities")."""
    if not sent.negated_kinds:
        return False
    if typing.evidence is None:
        return True
    at = typing.evidence[0]
    return not sent.quantity_spans or any(a <= at < b for a, b in sent.quantity_spans)


def _in_doc(typing: Typing, offset: int) -> Typing:
    if typing.evidence is None:
        return typing
    a, b = typing.evidence
    return Typing(typing.event_type, typing.sub_event_type, typing.probability, typing.p_event, typing.head,
                  (a + offset, b + offset))  # fmt: skip


def _tells_event(doc: Doc, sent: Sentence, typing: Typing) -> bool:
    if sent.denied:
        return False
    live = bool(sent.triggers)
    if not live and (sent.intention_spans or _only_negated_counts(sent, typing)):
        return (
            False  # its only event words are intended, threatened or planned, or it counts nobody ("no one was hurt")
        )
    if typing.evidence is not None and under_intention(doc, sent, typing.evidence[0]):
        return False
    if live:
        return typing.p_event >= TRIGGER_PROBABILITY
    if sent.background:
        # Past context told without an event word ("In 2023, Le Monde reported that 200 French citizens sought
        # refuge in Idlib") is context, not an event: the model reads such analysis as events most often, and
        # ACLED's own notes never hold background.
        return False
    model = default_model()
    own = model.untriggered_event_probability if model is not None else None
    return typing.p_event >= (own if own is not None else UNTRIGGERED_EVENT_PROBABILITY)


def _read_by_lexicon(doc: Doc) -> None:
    """Without a model: the strongest live trigger decides, as the lexicon-only engine always did."""
    for sent in doc.sentences:
        if sent.triggers and not sent.denied:
            t = max(sent.triggers, key=lambda t: (t.priority, -t.start))
            sent.reading = Typing(t.event_type, t.sub_event_type, 1.0, 1.0, "lexicon", (t.start, t.end))
            sent.reads_event = True


def build_frames(doc: Doc) -> None:
    """Group sentences into event frames; a headline counts only when the body tells no event."""
    headline = _headline(doc)
    body = [s for s in doc.sentences if s.index != headline]
    doc.frames = _frames(doc, body) or (_frames(doc, doc.sentences) if headline is not None else [])
    _type_frames(doc)
    _violent_demonstrations(doc)
    for frame in doc.frames:
        frame.civilian_targeting = frame.actor2 is not None and not frame.actor2.armed and _violent(frame.event_type)


def _type_frames(doc: Doc) -> None:
    """Type each frame once more on its sentences plus the sentences after them in the same paragraph that tell no
    event of their own (how it happened, who claimed it, what was seized): an event is told over sentences, and an
    ACLED note, what the model learned from, reads that way."""
    model = default_model()
    if model is None or not doc.frames:
        return
    frames: list[EventFrame] = []
    texts: list[str] = []
    cues: list[list[str]] = []
    for k, frame in enumerate(doc.frames):
        upto = doc.frames[k + 1].sentences[0] if k + 1 < len(doc.frames) else len(doc.sentences)
        last = doc.sentences[frame.sentences[-1]]
        # Trailing sentences of the paragraph join the reading when they tell more of an event (a trigger, a count)
        # or are fragments too short to be read alone (an editor's tag such as ACLED's "[size=no report]", which
        # only demonstrations carry): commentary after it ("they directed their anger at ...") would blur the type.
        extra = [
            s.index
            for s in doc.sentences[last.index + 1 : upto]
            if s.paragraph == last.paragraph and (s.triggers or s.quantities or _fragment(doc, s))
        ]
        told = sorted({*frame.sentences, *extra})
        if len(told) == 1:
            continue  # a lone sentence keeps its own reading (and is not read twice: the embedder is the cost)
        frames.append(frame)
        texts.append(" ".join(doc.slice(doc.sentences[i].start, doc.sentences[i].end) for i in told))
        cues.append(sorted({c for i in told for c in sentence_cues(doc.sentences[i])}))
    if not frames:
        return
    langs = [doc.sentences[f.primary].lang or doc.lang or "en" for f in frames]
    for frame, typing in zip(frames, model.classify(texts, langs, cues), strict=True):
        if typing.p_event < EVENT_PROBABILITY:
            continue  # a weak joint reading does not retype the sentences
        frame.event_type, frame.sub_event_type = typing.event_type, typing.sub_event_type
        frame.disorder_type = _lexicon().typology.disorder_of.get((typing.event_type, typing.sub_event_type),
                                                                  frame.disorder_type)  # fmt: skip
        frame.classifier_probability = typing.probability
        frame.trigger = _evidence_trigger(doc, frame, frame.event_type, frame.sub_event_type)


def _fragment(doc: Doc, sent: Sentence) -> bool:
    return len(doc.text[sent.start : sent.end].split()) < MIN_WORDS


def _violent_demonstrations(doc: Doc) -> None:
    """ACLED's convention: a demonstration whose account tells the demonstrators' violence or destruction (stones
    thrown, tires burnt, barricades, vandalism) is a violent demonstration (``demonstrator_violence`` in
    acled_typology.yaml), whatever a reading of its words as a whole suggested. The act is the evidence shown, also
    when the model already read the frame as a violent demonstration."""
    lex = _lexicon()
    for k, frame in enumerate(doc.frames):
        violent = (frame.event_type, frame.sub_event_type) == ("Riots", "Violent demonstration")
        excessive = frame.sub_event_type == "Excessive force against protesters"
        if not violent and (frame.event_type != "Protests" or excessive):
            continue
        upto = doc.frames[k + 1].sentences[0] if k + 1 < len(doc.frames) else len(doc.sentences)
        last = doc.sentences[frame.sentences[-1]]
        told = [*frame.sentences, *(s.index for s in doc.sentences[last.index + 1 : upto]
                                    if s.paragraph == last.paragraph)]  # fmt: skip
        for i in told:
            sent = doc.sentences[i]
            lang = sent.lang or doc.lang or "en"
            fs, fe = _folded(doc, sent.start, sent.end)
            hits = lex.demonstrator_violence.finditer(doc.folded, fs, fe)
            hit = next((h for h in hits if h.lang == lang and not under_intention(doc, sent, h.start)), None)
            if sent.denied:
                continue
            if hit is None:
                continue
            frame.event_type, frame.sub_event_type = "Riots", "Violent demonstration"
            frame.disorder_type = lex.typology.disorder_of.get(("Riots", "Violent demonstration"), "Demonstrations")
            frame.trigger = Trigger(hit.start, hit.end, "Riots", "Violent demonstration", frame.disorder_type, 0)
            break


def _headline(doc: Doc) -> int | None:
    """The index of a headline: a first paragraph of one unpunctuated sentence, with a body below it."""
    if len(doc.sentences) < 2:
        return None
    first = doc.sentences[0]
    alone = all(s.paragraph != first.paragraph for s in doc.sentences[1:])
    unpunctuated = not doc.text[first.start : first.end].rstrip().endswith((".", "!", "?", "؟", "…"))
    return first.index if alone and unpunctuated else None


def _evidence_trigger(doc: Doc, frame: EventFrame, event_type: str, sub_event_type: str) -> Trigger:
    """The span shown as the reason for the frame's type: a lexicon trigger of that type (the most specific, the
    primary sentence first), else the model's evidence n-gram in the primary sentence, else the primary sentence."""
    sentences = [doc.sentences[frame.primary]] + [doc.sentences[i] for i in frame.sentences if i != frame.primary]
    for sent in sentences:
        same = [t for t in sent.triggers if t.event_type == event_type]
        if same:
            best = max(same, key=lambda t: (t.sub_event_type == sub_event_type, t.priority, -t.start))
            return _retyped(best, event_type, sub_event_type)
    return _reading_trigger(doc, doc.sentences[frame.primary], event_type, sub_event_type)


def _retyped(t: Trigger, event_type: str, sub_event_type: str) -> Trigger:
    disorder = _lexicon().typology.disorder_of.get((event_type, sub_event_type), t.disorder_type)
    return Trigger(t.start, t.end, event_type, sub_event_type, disorder, t.priority, None, None, t.merge_into_violent)


def _reading_trigger(doc: Doc, sent: Sentence, event_type: str, sub_event_type: str) -> Trigger:
    reading = sent.reading
    start, end = reading.evidence if reading is not None and reading.evidence is not None else (sent.start, sent.end)
    disorder = _lexicon().typology.disorder_of.get((event_type, sub_event_type), "Political violence")
    return Trigger(start, end, event_type, sub_event_type, disorder, 0)


def _sentence_type(doc: Doc, sent: Sentence) -> tuple[Trigger, str, str, bool]:
    """(trigger, event_type, sub_event_type, generic) of an event sentence. Generic: it names no specific event of
    its own ("the attack", "were killed", or a weak model reading), so next to a violent event it retells that."""
    reading = sent.reading
    assert reading is not None
    et, st = reading.event_type, reading.sub_event_type
    same = [t for t in sent.triggers if t.event_type == et]
    named = [t for t in sent.triggers if t.contextual is None and not t.merge_into_violent]
    unsure = reading.probability < UNSURE_READING
    if not same and named and (unsure or _deaths_in_peaceful_protest(sent, et, st, named)):
        # The model names no type it is sure of ("Gunmen have killed at least 14 people ..., attacking a
        # marketplace" read as "Other" at 0.10) while the sentence names one in words: the words stand.
        worded = max(named, key=lambda t: (t.priority, -t.start))
        return worded, worded.event_type, worded.sub_event_type, False
    best = max(same, key=lambda t: (t.priority, -t.start)) if same else None
    if best is not None and reading.head == "lexicon":
        trigger = best  # keeps its contextual rule, which the roles resolve
    elif best is not None:
        if reading.head == "multilingual" and best.contextual is None and not best.merge_into_violent:
            # The multilingual head types sub-events less well than it types events (0.76 vs 0.84 on held-out
            # notes), while a specific fr/ar trigger of the same event type names its sub-event by convention
            # ("affrontements" is an armed clash): the trigger's sub-event type stands.
            st = best.sub_event_type
        trigger = _retyped(best, et, st)
    else:
        trigger = _reading_trigger(doc, sent, et, st)
    specific = [t for t in sent.triggers if t.contextual is None and not t.merge_into_violent]
    generic = not specific and (bool(sent.triggers) or reading.probability < EVENT_PROBABILITY)
    return trigger, et, st, generic


def _deaths_in_peaceful_protest(sent: Sentence, event_type: str, sub_event_type: str, named: list[Trigger]) -> bool:
    """ACLED's codebook: a peaceful protest is one whose demonstrators engage in no violence, so a sentence that
    counts people killed, named with a violent event word ("the mass killings of Alawites ..., resulting in at
    least 1,300 fatalities"), is not one, whatever the words around it read as: the violent trigger stands."""
    if (event_type, sub_event_type) != ("Protests", "Peaceful protest"):
        return False
    if not any(_violent(t.event_type) for t in named):
        return False
    return any(q.kind == "killed" and q.kind not in sent.negated_kinds and (q.best or q.low) for q in sent.quantities)


def _starts_another_event(sent: Sentence, event_type: str, frame: EventFrame, generic: bool) -> bool:
    """Whether an event sentence tells a new event rather than more of the open frame's (same paragraph).

    ACLED notes and news paragraphs tell one event over several sentences whose words alone read as other types
    ("Police intervened and arrested five", "two were killed"): those stay in the frame, which is typed on all of
    them. A sentence opens a new event when it reads as another type *and* names it with a specific trigger of
    that type ("Meanwhile, an airstrike hit …"); without a model, any change of type does (the lexicon engine)."""
    if event_type == frame.event_type:
        return False
    if sent.reading is not None and sent.reading.head == "lexicon":
        return not (generic and _violent(frame.event_type) and _violent(event_type))
    specific = [t for t in sent.triggers if t.contextual is None and not t.merge_into_violent]
    return any(t.event_type == event_type for t in specific)


def _retells(sent: Sentence, frame: EventFrame) -> bool:
    """Whether a sentence too weak to tell an event of its own, right after an open frame in its paragraph, reads
    as more of that frame's event ("The device was likely planted by JNIM militants" after "an army vehicle struck
    an IED"): it joins the frame, and the actors it names fill the frame's empty roles. It never opens an event."""
    reading = sent.reading
    return (
        reading is not None
        and reading.head != "lexicon"
        and reading.event_type == frame.event_type
        and reading.p_event >= EVENT_PROBABILITY
        and not sent.denied
        and not sent.intention_spans
        and sent.background == frame.background
    )


def _frames(doc: Doc, sentences: list[Sentence]) -> list[EventFrame]:
    lex = _lexicon()
    frames: list[EventFrame] = []
    open_frame: EventFrame | None = None
    for sent in sentences:
        if open_frame is not None:
            last = doc.sentences[open_frame.sentences[-1]]
            if sent.paragraph != last.paragraph and sent.index != last.index + 1:
                open_frame = None
        if not sent.reads_event:
            if open_frame is not None and sent.quantities and sent.background == open_frame.background:
                open_frame.sentences.append(sent.index)
                open_frame.quantities.extend(q for q in sent.quantities if q.kind not in sent.negated_kinds)
            elif open_frame is not None and _retells(sent, open_frame):
                trigger, *_ = _sentence_type(doc, sent)
                a1, a2 = _roles(doc, sent, trigger)
                open_frame.sentences.append(sent.index)
                open_frame.actor1 = open_frame.actor1 or a1
                if open_frame.actor2 is None and a2 is not None and (open_frame.actor1 is None
                                                                     or a2.name != open_frame.actor1.name):  # fmt: skip
                    open_frame.actor2 = a2
            continue
        trigger, et, st, generic = _sentence_type(doc, sent)
        a1, a2 = _roles(doc, sent, trigger)
        if sent.reading is not None and sent.reading.head == "lexicon":
            et, st = _resolve_contextual(trigger, a1, a2)  # without a model, roles decide "attack" (see typology)
        compatible = (
            open_frame is not None
            and sent.background == open_frame.background
            and not _starts_another_event(sent, et, open_frame, generic)
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
            if trigger.priority > open_frame.trigger.priority and et == open_frame.event_type:
                open_frame.trigger, open_frame.sub_event_type = trigger, st
            continue
        disorder = lex.typology.disorder_of.get((et, st), trigger.disorder_type)
        reading = sent.reading
        frame = EventFrame(sentences=[sent.index], primary=sent.index, trigger=trigger, event_type=et,
                           sub_event_type=st, disorder_type=disorder, background=sent.background, actor1=a1, actor2=a2,
                           quantities=list(sent.quantities),
                           classifier_probability=(reading.probability if reading is not None
                                                   and reading.head != "lexicon" else None))  # fmt: skip
        frame.civilian_targeting = a2 is not None and not a2.armed and _violent(et)
        frames.append(frame)
        open_frame = frame
    return frames
