"""The per-report structure every stage reads and fills (spaCy-style: one Doc, small functions over it).

Extraction stages fill sentences, attribution, hedges, quantities, triggers, actors and time mentions; resolution
fills places and normalised times. Offsets are always original-text character offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventwatch.extract.classifier import Typing
from eventwatch.extract.lexicon import Folded, fold_text
from eventwatch.model import Hedge, Place, Quantity, Report, Span, TimeSpan


@dataclass(slots=True)
class Attribution:
    """Who a sentence says says it. ``source`` None with ``unnamed`` False means the reporter's own voice."""

    source: str | None
    cue_start: int
    cue_end: int
    source_start: int | None = None
    source_end: int | None = None
    unnamed: bool = False
    official: bool = False
    inherited: bool = False  # carried over from an earlier sentence of the same paragraph
    # Nested attribution, outermost first ("Reuters reported that SOHR said" → [Reuters, SOHR]); ``source`` is
    # the innermost, the one the claim rests on. Empty or one entry when there is no nesting.
    chain: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Trigger:
    start: int
    end: int
    event_type: str
    sub_event_type: str
    disorder_type: str
    priority: int
    contextual: str | None = None  # "civilian_target" | "state_actor1" when the sub-event depends on roles
    alt: tuple[str, str] | None = None  # the sub-event when the contextual condition does not hold
    merge_into_violent: bool = False


@dataclass(slots=True)
class ActorMention:
    start: int
    end: int
    name: str  # canonical, may contain "{country}"
    inter: int | None
    home: str | None  # ISO2 of the actor's home country
    state: bool = False
    armed: bool = True
    generic: bool = False
    government_forces: bool = False
    person: str | None = None  # set when the mention names a person acting for the group
    role: int | None = None  # 1 = actor1 (doer), 2 = actor2 (target/victim)


@dataclass(slots=True)
class TimeMention:
    start: int
    end: int
    kind: str  # relative | weekday | date | month | year
    lang: str
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None  # 0 = Monday
    last: bool = False  # "last Tuesday", "mardi dernier": strictly before publication
    offsets: tuple[int, int, int] | None = None  # relative: (start days, end days, precision)
    context: tuple[int, int] | None = None  # relative to the date in force ("during the night"): offsets from it
    anaphoric: bool = False  # "the next day": dates nothing without a date in force
    reported: bool = False  # ACLED's "As reported on 6 March": the report date standing for the event's
    # The other end of a period ("02-05 March", "October - December 2016", "the night of Saturday to Sunday").
    end_day: int | None = None
    end_month: int | None = None
    end_year: int | None = None
    end_weekday: int | None = None
    alternative: bool = False  # "July 9 or 10": either day
    approx: bool = False  # "around 9 October", "17 July (or around)", "as reported on 6 March"
    coded: bool = False  # an ACLED coder's note says this is the coded date ("[coded to 14 August 2018]")
    part_day: int | None = None  # a part of a month ("mid-October" 15, "early March" 5, "fin mars" 25)
    precision: int | None = None  # a precision the text fixes (a month part, "at time precision 2")


@dataclass(slots=True)
class PlaceMention:
    start: int
    end: int
    place: Place
    metonymy: bool = False  # a capital naming its government ("Damascus has labeled")
    candidates: int = 1
    feature_code: str = ""  # the gazetteer entry's: PPL, PPLC, ADM1, ADM2, PCLI (a country), RGN
    dateline: bool = False  # "TEHRAN –", "DAMASCUS, March 12 (Reuters) -": where the report was filed

    @property
    def is_country(self) -> bool:
        return self.feature_code == "PCLI"


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    lang: str | None = None
    attribution: Attribution | None = None
    hedge: Hedge = Hedge.CONFIRMED
    hedge_spans: list[tuple[int, int]] = field(default_factory=list)
    denied: bool = False
    quantities: list[Quantity] = field(default_factory=list)
    negated_kinds: set[str] = field(default_factory=set)
    quantity_spans: list[tuple[int, int]] = field(default_factory=list)  # counts and negated counts
    triggers: list[Trigger] = field(default_factory=list)
    irrealis_spans: list[tuple[int, int]] = field(default_factory=list)  # intention/modal cues ("plans to")
    intention_spans: list[tuple[int, int]] = field(default_factory=list)  # triggers under such a cue: no event
    reading: Typing | None = None  # the event model's reading (extract.events.read_sentences)
    reads_event: bool = False  # whether the sentence tells an event (model + rules)
    actors: list[ActorMention] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    background: bool = False
    background_spans: list[tuple[int, int]] = field(default_factory=list)
    entities: list[tuple[int, int, str]] = field(default_factory=list)  # spaCy NER: start, end, label (en/fr)
    places: list[PlaceMention] = field(default_factory=list)  # filled by resolve
    resolved_times: list[TimeSpan | None] = field(default_factory=list)  # filled by resolve, parallel to ``times``


@dataclass(slots=True)
class EventFrame:
    """An event under construction: the sentences that tell it and what they say."""

    sentences: list[int]
    primary: int  # the sentence whose trigger decided the type
    trigger: Trigger
    event_type: str
    sub_event_type: str
    disorder_type: str
    background: bool = False
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    quantities: list[Quantity] = field(default_factory=list)
    civilian_targeting: bool = False
    place: PlaceMention | None = None
    time: TimeSpan | None = None
    country: str | None = None  # ISO2 fixed by resolution
    assoc1: list[ActorMention] = field(default_factory=list)  # ACLED's assoc_actor_1 ("Students (Kenya)")
    assoc2: list[ActorMention] = field(default_factory=list)
    classifier_probability: float | None = None  # the event model's probability of the frame's sub-event type


@dataclass(slots=True)
class Doc:
    report: Report
    text: str
    folded: Folded
    published_at: datetime | None
    lang: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    frames: list[EventFrame] = field(default_factory=list)
    focus_country: str | None = None  # ISO2, set by resolve
    focus_span: tuple[int, int] | None = None  # the first mention that made it the focus (set with it)
    # spaCy parses of the sentences that need roles (trigger + actor), by sentence index; see extract.parse.
    parses: dict[int, Any] = field(default_factory=dict)

    @classmethod
    def from_report(cls, report: Report) -> Doc:
        return cls(report=report, text=report.text, folded=fold_text(report.text), published_at=report.published_at)

    def span(self, start: int, end: int) -> Span:
        return Span(self.report.id, start, end)

    def slice(self, start: int, end: int) -> str:
        return self.text[start:end]

    def sentence_at(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None
