"""The counts of one event (killed, injured, detained), read from the counts of its sentences by ACLED's rules.

ACLED's fatality rules (ACLED Knowledge Base, "Fatalities"; documented in docs/extraction.md):

* The most conservative figure: two figures for the same victims ("3 killed (local sources) ... 5 killed") give
  the lower; a party's claim ("Boko Haram claimed to have killed 17 soldiers") gives way to a reported figure of
  the same victims, and counts only for victims nobody else counted.
* The dead of one event add up across victim groups ("killed two gendarmes ... two militants were killed" is 4;
  "seven police officers and a civilian" is 8), but a breakdown ("18 killed, including 2 children") or a
  restatement of a total ("18 people ... 11 were Bantu and 7 Batwa") adds nothing.
* An ACLED coder's figure in a note wins ("Fatalities coded as 4"; "split across 3 events (5)"); a total split
  across K events with no stated share gives the first events' share, ⌈total/K⌉.
* A count "reported, number unknown" ("several soldiers were killed") stays without a number; "no casualties"
  is a stated 0; a running total is flagged ``cumulative`` and only used when no count of the event itself is
  given.

Every result keeps the spans of the counts it was read from, so each number points back to its text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from eventwatch.extract.doc import Doc, EventFrame, Sentence
from eventwatch.extract.lexicon import fold, load_yaml
from eventwatch.model import Quantity, Span

KINDS = ("killed", "injured", "detained")
SHOT = "shot"  # hit by gunfire: the injured of an event that tells no death
_PARTS = re.compile(
    r"(?:between|across|over|among|into)\s+(?:the\s+)?(\d+|two|three|four|five|six|seven|eight|nine|ten)\b"
)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


@dataclass(slots=True)
class Count:
    """An event's count of one kind, with every span it was read from."""

    low: int | None = None
    best: int | None = None
    high: int | None = None
    reported_unknown: bool = False
    cumulative: bool = False
    spans: list[Span] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Cues:
    breakdown: re.Pattern[str]
    additive: re.Pattern[str]
    claim: re.Pattern[str]
    generic: frozenset[str]
    no_fatalities: frozenset[str]
    anaphoric: re.Pattern[str]
    self_deaths: frozenset[str]


def _alt(words: list[Any]) -> str:
    return "|".join(re.escape(fold(str(w))) for w in sorted(set(words), key=lambda w: -len(str(w))))


@cache
def _cues() -> _Cues:
    data: dict[str, Any] = load_yaml("quantities.yaml")

    def words(key: str) -> list[str]:
        return [str(w) for ws in data[key].values() for w in ws]

    return _Cues(
        breakdown=re.compile(r"(?:^|[\s,(])(?:" + _alt(words("breakdown")) + r")[\s,:]*$"),
        additive=re.compile(r"(?:^|\W)(?:" + _alt(words("additive")) + r")(?:\W|$)"),
        claim=re.compile(r"(?:^|\W)(?:" + _alt(words("claim_cues")) + r")(?:\W|$)"),
        generic=frozenset(fold(w) for w in words("generic_groups")),
        no_fatalities=frozenset(str(t) for t in data["no_fatalities"]),
        anaphoric=re.compile(r"^(?:" + _alt(words("anaphoric_determiners")) + r")(?:\s|(?<=')|$)"),
        self_deaths=frozenset(fold(w) for w in words("self_deaths")),
    )


def event_sentences(doc: Doc, frame: EventFrame) -> list[Sentence]:
    """The sentences whose counts are the event's: its own, and the count-only sentences right after it (no
    trigger, same paragraph, in no other event) — "No casualties were reported.", "Fatalities coded as 3."."""
    own = sorted(set(frame.sentences))
    others = {i for f in doc.frames if f is not frame for i in f.sentences}
    out = [doc.sentences[i] for i in own]
    last = doc.sentences[own[-1]]
    for sent in doc.sentences[last.index + 1 :]:
        if sent.index in others or sent.triggers or sent.paragraph != last.paragraph:
            break
        out.append(sent)
    taken = {s.index for s in out}
    out += [doc.sentences[i] for i in _orphans(doc).get(id(frame), []) if i not in taken]
    return sorted(out, key=lambda s: s.index)


def _held(doc: Doc, frame: EventFrame) -> set[int]:
    """The sentences an event holds without the orphan counts given to it: its own and those right after."""
    orphans = set(_orphans(doc).get(id(frame), []))
    return {s.index for s in event_sentences(doc, frame) if s.index not in orphans or s.index in frame.sentences}


def _orphans(doc: Doc) -> dict[int, list[int]]:
    """Count sentences no event holds (no trigger, in no frame, not background: "Braison was pronounced dead at
    the scene. ... One person is dead following a hunting accident."), each given to the nearest event told
    before it, or to the first event when it comes before them all (a lead with no trigger word). A news report
    tells its event's toll in sentences of their own, often in paragraphs of their own; a count left out of every
    event would be lost."""
    framed = {i for f in doc.frames for i in f.sentences}
    out: dict[int, list[int]] = {}
    # A news sentence's toll is a news event's: background events take one only when there is no other.
    frames = [f for f in doc.frames if f.sentences and not f.background] or [f for f in doc.frames if f.sentences]
    if not frames:
        return out
    for sent in doc.sentences:
        if sent.index in framed or sent.denied or sent.background or not sent.quantities:
            continue
        if not any(q.kind in KINDS and q.span is not None and not q.cumulative for q in sent.quantities):
            continue
        told = [(max(i for i in f.sentences if i < sent.index), n) for n, f in enumerate(frames)
                if min(f.sentences) < sent.index]  # fmt: skip
        n = max(told)[1] if told else min((min(f.sentences), n) for n, f in enumerate(frames))[1]
        out.setdefault(id(frames[n]), []).append(sent.index)
    return out


def event_counts(doc: Doc, frame: EventFrame) -> dict[str, Count]:
    """Killed, injured and detained counts of one event (kinds with no count at all are absent)."""
    by_kind: dict[str, list[tuple[Quantity, Sentence]]] = {}
    # ACLED's typology: a peaceful protest, an arrest, an abduction has no dead; deaths told in its text are
    # another event's ("protesting the killing of 3 soldiers").
    deathless = frame.sub_event_type in _cues().no_fatalities
    held = _held(doc, frame)
    for sent in event_sentences(doc, frame):
        # An orphan count sentence gives its dead, wounded and detained, not its shot: "police said he shot him"
        # away from the event tells who fired, and a death the report tells elsewhere may be that victim's.
        kinds = (*KINDS, SHOT) if sent.index in held else KINDS
        for q in sent.quantities:
            if q.kind in kinds and q.span is not None and not (deathless and q.kind == "killed"):
                by_kind.setdefault(q.kind, []).append((q, sent))
    out: dict[str, Count] = {}
    for kind, qs in by_kind.items():
        count = _aggregate(doc, qs)
        if count is not None:
            out[kind] = count
    shot = out.pop(SHOT, None)
    # The shot are the injured when the report tells nobody's death and no other injury figure: beside a death
    # the dead may be among them ("three people were shot. One died at the hospital"), and their difference is a
    # number no source said.
    if shot is not None and "injured" not in out and not _tells_deaths(doc):
        out["injured"] = shot
    return out


def _tells_deaths(doc: Doc) -> bool:
    return any(q.kind == "killed" and (q.reported_unknown or q.best or q.low)
               for sent in doc.sentences for q in sent.quantities)  # fmt: skip


def _key(doc: Doc, q: Quantity, sent: Sentence, cues: _Cues) -> str | None:
    """The victims a count counts: its group noun, a key of its own when marked as more ("also", "others"), None
    for an unnamed or generic group ("people", "victims")."""
    assert q.span is not None
    around = fold(doc.text[max(sent.start, q.span.start - 12) : min(sent.end, q.span.end + 12)])
    if q.group and q.group.startswith("+"):
        return q.group
    if q.coded == "group":
        return f"+{q.span.start}"  # "an unconfirmed number of ADF rebels killed (coded as 10)"
    if cues.additive.search(around):
        return f"+{q.span.start}"
    if q.group is None or fold(q.group) in cues.generic:
        return None
    g = fold(q.group)
    return g[:-1] if g.endswith("s") else g


def _is_breakdown(doc: Doc, q: Quantity, sent: Sentence, cues: _Cues) -> bool:
    """ "including 2 children", "of whom 3 were soldiers": part of a total already counted (a coordination is
    a breakdown when the cue comes before its first member: "including two women and seven men")."""
    assert q.span is not None
    start = q.span.start
    if q.group and q.group.startswith("+") and ":" in q.group:
        start = min(start, int(q.group[1:].split(":")[0]))
    return bool(cues.breakdown.search(fold(doc.text[max(sent.start, start - 25) : start])))


def _anaphoric(doc: Doc, q: Quantity, cues: _Cues) -> bool:
    """ "the victim", "that boy", "la victime": one person named again, not a count of its own."""
    assert q.span is not None
    return _of(q) == 1 and bool(cues.anaphoric.match(fold(doc.text[q.span.start : q.span.end])))


def _inside(q: Quantity, other: Quantity) -> bool:
    a, b = q.span, other.span
    if (q.group or "").startswith("+") or (other.group or "").startswith("+"):
        return False  # members of one coordination ("killing a soldier and a civilian")
    return (a is not None and b is not None and b.start <= a.start and a.end <= b.end
            and (b.start, b.end) != (a.start, a.end))  # fmt: skip


def _is_claim(doc: Doc, q: Quantity, sent: Sentence, cues: _Cues) -> bool:
    """A party's claim: a claim verb in the clause before the count ("BH claimed to have killed 17")."""
    assert q.span is not None
    before = doc.text[sent.start : q.span.start]
    clause = re.split(r"[;.]|, (?:while|but|and)\b|\bbut\b", before)[-1]
    return bool(cues.claim.search(fold(clause)))


def split_parts(text: str) -> int | None:
    """How many events a split note names ("split between two events" → 2); None when it does not say."""
    m = _PARTS.search(fold(text))
    if m is None:
        return None
    k = m.group(1)
    return int(k) if k.isdigit() else _SMALL[k]


def _of(q: Quantity) -> int:
    return q.best if q.best is not None else q.low if q.low is not None else q.high or 0


def _aggregate(doc: Doc, qs: list[tuple[Quantity, Sentence]]) -> Count | None:
    cues = _cues()
    split = next((q for q, _ in qs if q.coded == "split"), None)
    shares = [q for q, _ in qs if q.coded == "share"]
    if shares:
        q = shares[-1]  # "split across 3 events (5)": this event's share
        return Count(q.low, q.best, q.high, spans=[q.span] if q.span else [])
    totals = [q for q, _ in qs if q.coded == "total"]
    if totals:
        q = totals[-1]  # the coder's final word: "Fatalities coded as 4"
        return _share(doc, Count(q.low, q.best, q.high, spans=[q.span] if q.span else []), split)
    numbered = [(q, s) for q, s in qs if q.coded != "split" and (q.best is not None or q.low is not None or
                                                                  q.high is not None)]  # fmt: skip
    events = [(q, s) for q, s in numbered if not q.cumulative]
    positive = [(q, s) for q, s in events if _of(q) > 0]
    summed = _sum_groups(doc, positive, cues) if positive else None
    if summed is not None:
        return _share(doc, summed, split)
    running = [q for q, _ in numbered if q.cumulative and _of(q) > 0]
    if running:
        q = max(running, key=_of)
        return Count(q.low, q.best, q.high, cumulative=True, spans=[q.span] if q.span else [])
    unknown = [q for q, _ in qs if q.reported_unknown]
    if unknown:
        return Count(reported_unknown=True, spans=[q.span for q in unknown[:1] if q.span])
    zeros = [q for q, _ in events]
    if zeros:
        return Count(0, 0, 0, spans=[q.span for q in zeros[:1] if q.span])
    return None


def _share(doc: Doc, count: Count, split: Quantity | None) -> Count:
    """A total an ACLED note splits across K events ("fatalities split between two events"): ⌈total/K⌉ here."""
    if split is None or split.span is None or count.best is None:
        return count
    parts = split_parts(doc.text[split.span.start : split.span.end])
    if not parts:
        return count
    share = math.ceil(count.best / parts)
    return Count(share, share, share, spans=[*count.spans, split.span])


def _sum_groups(doc: Doc, qs: list[tuple[Quantity, Sentence]], cues: _Cues) -> Count | None:
    """The victims' count (:func:`_sum_victims`), and the doer's own death beside it ("shot his 6-year-old brother
    to death ... and killed himself" is 2; "killing 3, then killed himself" is 4): one more when the victims are
    counted by name or noun, or by a total told before it in its own sentence; a total told elsewhere holds it
    ("Three are dead in a murder-suicide ... before killing herself" is 3). The doer is one, however often told."""
    selfs = [(q, s) for q, s in qs if q.group is not None and fold(q.group) in cues.self_deaths]
    if not selfs:
        return _sum_victims(doc, qs, cues)
    own, own_sent = selfs[0]
    assert own.span is not None
    victims = [(q, s) for q, s in qs if not any(q is o for o, _ in selfs)]
    count = _sum_victims(doc, victims, cues) if victims else None
    if count is None or count.best is None or count.best == 0:
        return Count(1, 1, 1, spans=[own.span])
    counted = [(q, s) for q, s in victims if q.span is not None and q.span in count.spans]
    if all(_anaphoric(doc, q, cues) for q, _ in counted):
        return count  # "he fatally shot himself ... he died": the doer named again
    total = len(counted) == 1 and not counted[0][0].singular and _key(doc, *counted[0], cues) is None
    if total:
        q, sent = counted[0]
        assert q.span is not None
        if sent.index != own_sent.index or q.span.start > own.span.start:
            return count
    high = count.high + 1 if count.high is not None else None
    low = (count.low if count.low is not None else count.best) + 1
    return Count(low, count.best + 1, high, spans=[*count.spans, own.span])


def _sum_victims(doc: Doc, qs: list[tuple[Quantity, Sentence]], cues: _Cues) -> Count | None:
    """Distinct victim groups add up; figures for the same victims give the lowest; claims count only for
    victims no report counted; breakdowns and restated totals add nothing."""
    reported: dict[str | None, list[Quantity]] = {}
    claimed: dict[str | None, list[Quantity]] = {}
    # "A 17-year-old was killed ... The victim was taken to hospital where he died": a person named again with a
    # definite determiner is one already counted, never another (it counts when it is the only figure).
    fresh = [(q, s) for q, s in qs if not _anaphoric(doc, q, cues)]
    if fresh:
        qs = fresh
    # "Nick Ursiny, 15, a member of the band, died": a count inside another's span is the same victims.
    qs = [(q, s) for q, s in qs if not any(_inside(q, o) for o, _ in qs if o is not q)]  # fmt: skip
    # "An 8-year-old child died ... an 8-year-old girl who died": a report introduces its one victim again in
    # later sentences; a singular there adds a person only when marked as more ("another", "also").
    singles = [s.index for q, s in qs if q.singular]
    first_single = min(singles) if singles else None
    for q, sent in qs:
        if _is_breakdown(doc, q, sent, cues):
            continue
        key = _key(doc, q, sent, cues)
        if q.singular and first_single is not None and sent.index > first_single and not (key or "").startswith("+"):
            key = None
        (claimed if _is_claim(doc, q, sent, cues) else reported).setdefault(key, []).append(q)
    if not reported:
        reported, claimed = claimed, {}
    chosen: list[Quantity] = [min(group, key=_of) for key, group in reported.items() if key is not None]
    chosen += [min(group, key=_of) for key, group in claimed.items() if key is not None and key not in reported]
    unnamed = reported.get(None, [])
    # The lead figure (a later one is usually a part of it); a person named alone gives way to a number of victims
    # ("Hayden died ... two people were killed in the shooting").
    generic = next((q for q in unnamed if not q.singular), unnamed[0]) if unnamed else None
    specific = sum(_of(q) for q in chosen)
    if generic is not None and _of(generic) >= specific:
        # "18 people were killed ... 11 of those were Bantu and 7 Batwa": the total holds the groups.
        return Count(generic.low, generic.best, generic.high, spans=[generic.span] if generic.span else [])
    if generic is not None and not chosen:
        return Count(generic.low, generic.best, generic.high, spans=[generic.span] if generic.span else [])
    if not chosen:
        return None  # only breakdowns of a total the text does not give
    low = sum(q.low if q.low is not None else _of(q) for q in chosen)
    high = sum(q.high for q in chosen if q.high is not None) if all(q.high is not None for q in chosen) else None
    return Count(low, specific, high, spans=[q.span for q in chosen if q.span is not None])
