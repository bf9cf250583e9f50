"""Reported counts (killed, injured, detained, abducted, displaced) with bounds, in English, French, Arabic.

A number becomes a count only when a kind cue ("killed", "blessés", "مقتل") is the nearest cue around it in the
same clause; years, dates, times, ages and measures are never counts, and neither are numbers of things that are
not people ("dozens of massacres", "14 of 18 drones", "four days"). Readings follow ACLED's rules (documented in
docs/extraction.md): "at least N", "more than N", "over N" are N; "tens" 10, "dozens" 12, "hundreds" 100; one
person named in the singular ("a police officer was killed", "killing him", "مقتل مدني") is 1; a quantifier with
no number ("several", "a number of", "عدد من") is a count reported with its number unknown; "no casualties were
reported" is a stated zero. ACLED coders' notes ("Fatalities coded as 4", "split across 3 events (5)") are read
as the figures they state (``Quantity.coded``). A running total ("the death toll rose to 1,383", "more than
1,500 killed since March") is flagged ``cumulative``.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from eventwatch.extract.doc import Doc, Sentence
from eventwatch.extract.lexicon import Hit, PhraseMatcher, fold, fold_regex, load_yaml, per_lang
from eventwatch.model import Quantity

_NUM = r"(?:\d{1,3}(?:[,٬.\u202f ]\d{3})+(?![\d])|\d+)"
# Arabic writes "and"/"with" as a letter glued to the number ("و62 جريحا").
_NUM_RE = re.compile(r"(?:(?<=[\u0648\u0628\u0644])|(?<![\w.,:/@-]))" + _NUM + r"(?![\w]|[.,:/]\d)")
_CLAUSE_STOP = re.compile(r"[;:]|\s[-–—]\s")
_FWD = 75  # chars after a number searched for its kind cue
_BACK = 45  # chars before
_PARTS = ("some", "all", "most", "many", "several", "none", "each", "one", "certains", "plusieurs", "بعض")
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


@dataclass(slots=True)
class _Number:
    start: int
    end: int
    value: int | None  # None: a quantifier without a number ("several")
    vague: bool = False
    singular: bool = False
    group: str | None = None  # the noun it counts ("soldiers")
    named: bool = False  # a person by name ("Travon Rollins, 16,"): a victim only as the subject or complement
    # The end of the death its name is the subject of (``named_death``: "Rangel was rushed to a hospital, but died
    # the next day"): any cue up to there is that death's.
    death_end: int | None = None
    # The verb a singular person is the subject of across a relative clause ("the teenager that accidentally shot
    # himself ... has died"): its cue is that verb's, not the clause's.
    verb_at: int | None = None


@dataclass(frozen=True, slots=True)
class _Lexicon:
    kinds: PhraseMatcher
    kind_of: dict[str, str]
    unknown: PhraseMatcher
    unknown_kind: dict[str, str]
    tails: dict[str, re.Pattern[str]]
    negations: dict[str, re.Pattern[str]]
    cumulative: PhraseMatcher
    modifiers: PhraseMatcher
    modifier_of: dict[str, str]
    between: dict[str, list[re.Pattern[str]]]
    words: PhraseMatcher
    word_value: dict[str, int]
    vague_low: dict[str, int]
    quantifiers: PhraseMatcher
    units: frozenset[str]
    months: frozenset[str]
    age_before: frozenset[str]
    counter_before: frozenset[str]
    phone_before: frozenset[str]
    phone_after: frozenset[str]
    statistics: dict[str, re.Pattern[str]]
    toll: PhraseMatcher
    rise_to: PhraseMatcher
    atoms: dict[str, dict[str, int]]  # lang -> single folded token -> value
    clause_joiners: dict[str, re.Pattern[str]]
    joiner_penalty: int
    multipliers: dict[str, dict[str, int]]
    joiners: dict[str, frozenset[str]]
    people: dict[str, frozenset[str]]  # lang -> folded person nouns, singular and plural
    singular_people: dict[str, frozenset[str]]
    singular: dict[str, re.Pattern[str]]  # lang -> "a/an/one ... <person noun>"
    singular_objects: dict[str, list[re.Pattern[str]]]  # each names its count group "one"
    singular_the: dict[str, re.Pattern[str]]
    not_people: frozenset[str]
    partitive: dict[str, re.Pattern[str]]
    not_counts: PhraseMatcher
    not_cues: PhraseMatcher
    notes_total: list[re.Pattern[str]]
    notes_group: list[re.Pattern[str]]
    notes_split: list[re.Pattern[str]]
    summary: re.Pattern[str]
    animals: frozenset[str]
    transitive: dict[str, re.Pattern[str]]
    bare_transitive: dict[str, re.Pattern[str]]  # "kills journalist": a headline's object without an article
    transitive_determiners: dict[str, frozenset[str]]
    quantifier_heads: frozenset[str]  # the first word of every quantifier ("several", "some", "a")
    collectives: frozenset[str]
    irregular_plurals: frozenset[str]
    object_stops: frozenset[str]
    singular_passive: dict[str, re.Pattern[str]]
    reduced_relative: dict[str, re.Pattern[str]]
    named_death: dict[str, re.Pattern[str]]
    not_names: frozenset[str]


def _plurals(nouns: list[str]) -> set[str]:
    out: set[str] = set()
    for n in nouns:
        out.add(n)
        if n.endswith("man"):
            out.add(n[:-3] + "men")
        elif n.endswith("person"):
            out.update((n[:-6] + "people", n + "s"))
        elif n.endswith("child"):
            out.add(n + "ren")
        elif n.endswith(("s", "x", "ch", "sh")):
            out.add(n + "es")
        elif n.endswith("y") and not n.endswith(("ay", "ey", "oy")):
            out.add(n[:-1] + "ies")
        elif n.endswith("fe"):
            out.add(n[:-2] + "ves")
        else:
            out.add(n + "s")
    return out


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _lexicon() -> _Lexicon:
    data: dict[str, Any] = load_yaml("quantities.yaml")
    kind_of: dict[str, str] = {}
    kind_phrases: list[tuple[str, str | None]] = []
    for kind, by_lang in data["kinds"].items():
        for phrase, lang in per_lang(by_lang):
            kind_of[fold(phrase)] = kind
            kind_phrases.append((phrase, lang))
    unknown_kind: dict[str, str] = {}
    unknown_phrases: list[tuple[str, str | None]] = []
    for kind, by_lang in data["unknown"].items():
        for phrase, lang in per_lang(by_lang):
            unknown_kind[fold(phrase)] = kind
            unknown_phrases.append((phrase, lang))
    modifier_of: dict[str, str] = {}
    mod_phrases: list[tuple[str, str | None]] = []
    for mod, by_lang in data["modifiers"].items():
        if mod == "between":
            continue
        for phrase, lang in per_lang(by_lang):
            modifier_of[fold(phrase)] = mod
            mod_phrases.append((phrase, lang))
    word_value: dict[str, int] = {}
    word_phrases: list[tuple[str, str | None]] = []
    atoms: dict[str, dict[str, int]] = {}
    for lang, words in data["number_words"].items():
        for w, v in words.items():
            key = fold(str(w))
            if " " in key:
                word_value[key] = int(v)  # multi-word ("a dozen"): a phrase
                word_phrases.append((str(w), lang))
            else:
                atoms.setdefault(lang, {})[key] = int(v)  # one token: composed by _compound_numbers
    vague_low: dict[str, int] = {}
    for entry in data["vague"]:
        for phrase, lang in per_lang(entry["phrases"]):
            vague_low[fold(phrase)] = int(entry["low"])
            word_phrases.append((phrase, lang))
    between = {
        lang: [re.compile(fold_regex(p).replace("N", _NUM)) for p in pats]
        for lang, pats in data["modifiers"]["between"].items()
    }
    time_data: dict[str, Any] = load_yaml("time.yaml")
    months = frozenset(fold(str(n)) for names in time_data["months"].values() for m in names for n in m)
    people: dict[str, frozenset[str]] = {}
    singular: dict[str, re.Pattern[str]] = {}
    singular_the: dict[str, re.Pattern[str]] = {}
    for lang, nouns in data["people"].items():
        folded = [fold(str(n)) for n in nouns]
        people[lang] = frozenset(_plurals(folded) if lang == "en" else {*folded, *(n + "s" for n in folded)})
        arts = [fold(str(a)) for a in data["singular_articles"].get(lang) or []]
        noun_alt = _alt(folded)
        if arts:
            # An age before the person is not the person: "a 48-year-old displaced person died" names "person".
            singular[lang] = re.compile(
                rf"(?<![\w-])(?:{_alt(arts)})\s+(?:\w+-)?(?:year|month)-old\s+(?:[\w'-]+\s+){{0,2}}?(?:{noun_alt})(?![\w-])"
                rf"|(?<![\w-])(?:{_alt(arts)})\s+(?:[\w'-]+\s+){{0,3}}?(?:\w+-)?(?:{noun_alt})(?![\w-])"
            )
        the = data["singular_the"].get(lang) or []
        if the:
            singular_the[lang] = re.compile("|".join(str(p).replace("{people}", noun_alt) for p in the))
    notes = data["acled_notes"]

    def note(pats: list[str]) -> list[re.Pattern[str]]:
        return [re.compile(str(p).replace("N", _NUM)) for p in pats]

    return _Lexicon(
        kinds=PhraseMatcher(kind_phrases),
        kind_of=kind_of,
        unknown=PhraseMatcher(unknown_phrases),
        unknown_kind=unknown_kind,
        tails={
            lang: re.compile("|".join(f"(?:{fold_regex(p)})" for p in ps)) for lang, ps in data["unknown_tails"].items()
        },
        negations={
            lang: re.compile("|".join(f"(?:{fold_regex(p)})" for p in ps)) for lang, ps in data["negations"].items()
        },
        cumulative=PhraseMatcher(per_lang(data["cumulative"])),
        modifiers=PhraseMatcher(mod_phrases),
        modifier_of=modifier_of,
        between=between,
        words=PhraseMatcher(word_phrases),
        word_value=word_value,
        vague_low=vague_low,
        quantifiers=PhraseMatcher(per_lang(data["quantifiers"])),
        units=frozenset(fold(str(u)) for u in data["units"]),
        months=months,
        age_before=frozenset(fold(str(u)) for u in data["age_before"]),
        counter_before=frozenset(fold(str(u)) for u in data.get("counter_before", [])),
        phone_before=frozenset(fold(str(u)) for u in data["phone_numbers"]["before"]),
        phone_after=frozenset(fold(str(u)) for u in data["phone_numbers"]["after"]),
        statistics={
            lang: re.compile("|".join(f"(?:{fold_regex(str(p))})" for p in pats))
            for lang, pats in data["period_statistics"].items()
            if pats
        },
        toll=PhraseMatcher(per_lang(data["toll_words"])),
        rise_to=PhraseMatcher(per_lang(data["rise_to"])),
        atoms=atoms,
        clause_joiners={
            lang: re.compile(
                "|".join(r"(?:^|\s)" + (re.escape(fold(w)) + r"(?:\s|$)" if w != "و" else "و") for w in ws)
            )
            for lang, ws in data["clause_joiners"].items()
        },
        joiner_penalty=int(data["joiner_penalty"]),
        multipliers={
            lang: {fold(str(w)): int(v) for w, v in ws.items()} for lang, ws in data["number_multipliers"].items()
        },
        joiners={lang: frozenset(fold(str(w)) for w in ws) for lang, ws in data["number_joiners"].items()},
        people=people,
        singular_people={lang: frozenset(fold(str(n)) for n in ns) for lang, ns in data["people"].items()},
        singular=singular,
        singular_objects={lang: [re.compile(p) for p in ps] for lang, ps in data["singular_objects"].items() if ps},
        singular_the=singular_the,
        not_people=frozenset(fold(str(w)) for ws in data["not_people"].values() for w in ws),
        partitive={
            lang: re.compile(
                r"(?<![\w])(?:"
                + _NUM
                + "|"
                + _alt([*atoms.get(lang, {}), *_PARTS])
                + r")\s+(?:"
                + _alt([fold(str(w)) for w in ws])
                + r")\s+$"
            )
            for lang, ws in data["partitive"].items()
        },
        not_counts=PhraseMatcher(per_lang(data["not_counts"])),
        not_cues=PhraseMatcher(per_lang(data["not_cues"])),
        notes_total=note(notes["total"]),
        notes_group=note(notes["group"]),
        notes_split=note(notes["split"]),
        summary=re.compile(str(data["summary"]).replace("N", _NUM)),
        animals=frozenset(fold(str(w)) for w in data["animals"]),
        transitive={
            lang: re.compile(
                r"(?<![\w-])(?:"
                + _alt([fold(str(w)) for w in ws])
                + r")\s+(?:"
                + _alt([fold(str(w)) for w in data["transitive_determiners"].get(lang) or []])
                + r")\s+"
            )
            for lang, ws in data["transitive_kills"].items()
            if ws and data["transitive_determiners"].get(lang)
        },
        bare_transitive={
            lang: re.compile(r"(?<![\w-])(?:" + _alt([fold(str(w)) for w in ws]) + r")\s+")
            for lang, ws in (data.get("bare_transitive_kills") or {}).items()
            if ws
        },
        quantifier_heads=frozenset(fold(str(q)).split()[0] for qs in data["quantifiers"].values() for q in qs or []),
        transitive_determiners={
            lang: frozenset(fold(str(w)) for w in ws or []) for lang, ws in data["transitive_determiners"].items()
        },
        collectives=frozenset(fold(str(w)) for w in data["collectives"]),
        irregular_plurals=frozenset(fold(str(w)) for w in data["irregular_plurals"]),
        object_stops=frozenset(fold(str(w)) for w in data["object_stops"]),
        singular_passive={lang: re.compile(str(p)) for lang, p in data["singular_passive"].items() if p},
        reduced_relative={lang: re.compile(str(p)) for lang, p in data["reduced_relative"].items() if p},
        named_death={lang: re.compile(str(p), re.IGNORECASE) for lang, p in data["named_death"].items() if p},
        not_names=frozenset(fold(str(w)) for w in data["not_names"]),
    )


def _parse_int(s: str) -> int:
    return int(re.sub(r"[,٬.\u202f ]", "", s))


def _next_word(folded: str, pos: int, end: int) -> str:
    # A hyphen may join the unit: "a 7-year-old boy" is an age, never a toll of 7.
    m = re.match(r"\s*-?\s*([^\W\d_]+|%)", folded[pos:end])
    return m.group(1) if m else ""


def _next_words(folded: str, pos: int, end: int, n: int = 4) -> list[str]:
    return re.findall(r"[^\W\d_]+", folded[pos : min(end, pos + 45)])[:n]


def _prev_word(folded: str, pos: int, start: int) -> str:
    m = re.search(r"([^\W\d_]+)\s*$", folded[start:pos])
    return m.group(1) if m else ""


_CLOCK = re.compile(r"\s*[ap]\.\s?m\b")
_NAME_TOKEN = r"[A-Z][\w'’-]*\.?"
# "Christopher Rodriguez, 20, was killed", "Nelven Salas, 18, of Pemberton": a person's age in apposition to a
# name (two capitalised words, or one when a lowercase word follows: "Salas, 18, was charged").
_AGE_BEFORE_NAME = re.compile(
    rf"(?<![\w'’-]){_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}|de|van|von|del|da|bin|ibn|al))*\s+"
    rf"{_NAME_TOKEN}\s*,\s*(?:also\s+|both\s+)?$"
)
_AGE_BEFORE_WORD = re.compile(rf"(?<![\w'’-]){_NAME_TOKEN}\s*,\s*$")
_AGE_AFTER_NAME = re.compile(r"\s*(?:[,)]|;|\.(?!\d)|$)")
_AGE_AFTER_WORD = re.compile(r"\s*,\s+[a-z]")
# A caption listing people by name and age: "Michael, (left) 16, Connor, (back center) 14, and Kailey, 9 (front)".
_CAPTION_AGE_BEFORE = re.compile(rf"(?<![\w'’-]){_NAME_TOKEN}\s*,\s*\([^()]{{1,25}}\)\s*$")
_LISTED_AGE_BEFORE = re.compile(rf"(?<![\w'’-]){_NAME_TOKEN}\s*,\s*(?:\([^()]{{1,25}}\)\s*)?$")
_LISTED_AGE_AFTER = re.compile(rf"\s*(?:,\s*(?:and\s+)?{_NAME_TOKEN}\s*,|\()")
# "at his home at 105 Lindsey Lee Lane", "the shooting at 13915 Road 3": a street number.
_ADDRESS_AFTER = re.compile(r"\s+(?:[NSEW]\.?\s+)?[A-Z][\w'’-]*")
# Whatever precedes it: "at 44 E. Bruce Ave.", "inside 305 E. Main St.", "in the 7700 Utica block", "Hwy 150".
_STREET_AFTER = re.compile(
    r"\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'’-]*\.?\s+){0,3}(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|"
    r"Boulevard|Way|Ct|Court|Pl|Place|Hwy|Highway|Pkwy|Parkway|Terrace|Circle|Cir|Trail|Pike|block|Block)\b"
)
_ROAD_BEFORE = frozenset(["hwy", "highway", "route", "interstate", "road", "rd", "sr", "us", "i", "apartment", "apt",
                          "room", "suite", "unit", "lot", "exit", "mile", "marker"])  # fmt: skip
# "all in their 20's", "a man in his mid-30s": an age decade.
_AGE_DECADE = re.compile(r"(?:'|’)?s\b")
_DECADE_BEFORE = frozenset(["their", "his", "her", "mid", "late", "early", "the"])
# "a woman, 34, sustained", "the victim, 17, was": an age in apposition to a person noun.
_AGE_BEFORE_PERSON = re.compile(
    r"(?<![\w'’-])(?:man|woman|boy|girl|teen|teenager|victim|person|driver|resident|suspect|mother|father|son|"
    r"daughter|wife|husband|brother|sister|friend|officer|student|child)\s*,\s*$"
)
# "17 y.o", "17 yo", "17 y/o", "17 yrs old".
_AGE_UNIT = re.compile(r"\s*(?:y\.?\s?o\b\.?|y/o\b|yrs?\.?\s+old\b)", re.IGNORECASE)


def _listed_age(folded: str, pos: int, start: int, lex: _Lexicon) -> bool:
    """The second of listed ages: "ages 3 and 4", "aged 17 and 19"."""
    m = re.search(r"([^\W\d_]+)\s+\d+\s*(?:,|-|\band|\bor|\bto|\bet)\s*$", folded[max(start, pos - 30) : pos])
    return m is not None and m.group(1) in lex.age_before


_OF_TOTAL = re.compile(r"\s*(?:of|sur|de|/)\s*\d")
_SLASH_BEFORE = re.compile(r"\d\s*/\s*$")
_SLASH_AFTER = re.compile(r"\s*/\s*\d")
_COUNTER_OF_BEFORE = re.compile(r"([^\W\d_]+)\s+\d+\s*(?:of|sur|de)\s*$")


def _counter(folded: str, start: int, end: int, fs: int, prv: str, lex: _Lexicon) -> bool:
    """A gallery or series position ("Image 3 of 9", "photo 2 sur 5", "1 / 9"): its number and its total."""
    if _SLASH_BEFORE.search(folded[max(fs, start - 6) : start]) or _SLASH_AFTER.match(folded, end, end + 6):
        return True  # "1 / 9", "3/4": a fraction or a position, never a head count
    if prv in lex.counter_before and _OF_TOTAL.match(folded, end):
        return True
    m = _COUNTER_OF_BEFORE.search(folded[max(fs, start - 30) : start])
    return m is not None and m.group(1) in lex.counter_before


# A person by name with an age: "Travon Rollins, 16,", "Ahmed Ali, 25 ans,", "four-year-old Ava Castillo".
_NAMES = rf"{_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}|de|van|von|del|da|bin|ibn|al))*\s+{_NAME_TOKEN}"
_NAMED_AGE = re.compile(rf"(?<![\w'’-])(?:{_NAMES})\s*,\s*\d{{1,3}}(?:\s*ans)?(?=\s*,)")
_AGED_NAME = re.compile(rf"(?<![\w'’-])[\w]+-(?:year|month)-old\s+(?:{_NAMES})")
# Between a named person and the cue: the person is its subject ("…, 16, was killed", "…, 17, of Beloit, died").
_NAMED_SUBJECT_GAP = re.compile(
    r"^\s*,?\s*(?:(?:of|from) [^,;()]{1,40},\s*)?(?:who\s+)?(?P<aux>(?:was|were|is|got|has been|had been|have been|"
    r"a été|est|avait été)\s+)?(?:has\s+|had\s+)?(?:(?:\w+ly|later|then|also|reportedly|allegedly)\s+)?"
    r"(?:(?:shot|stabbed|struck|hit|beaten|found)\s+(?:and\s+|to\s+)?)?$"
)
_NAMED_OBJECT_GAP = re.compile(r"^\s*(?:of\s+)?$")  # "the death of Christopher Rodriguez, 20", "killing Ahmed Ali"


_NAME_ALONE = re.compile(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}}")
_SAID_BEFORE = re.compile(r"(?:^|\b(?:said|says|say|that|but|que|qu'))\s*$")


def _named_persons(doc: Doc, sent: Sentence, lang: str) -> list[_Number]:
    out: list[_Number] = []
    for pat in (_NAMED_AGE, _AGED_NAME):
        for m in pat.finditer(doc.text, sent.start, sent.end):
            out.append(_Number(m.start(), m.end(), 1, singular=True, named=True))
    lex = _lexicon()
    death = lex.named_death.get(lang)
    if death is None:
        return out
    for m in _NAME_ALONE.finditer(doc.text, sent.start, sent.end):
        # "Hayden died after being shot near his home", "Authorities said Rangel was pronounced dead".
        words = [fold(w.rstrip(".")) for w in m.group(0).split()]
        if words[0] in lex.not_names or any(w in lex.atoms.get(lang, {}) or w in lex.word_value for w in words):
            continue
        dm = death.match(doc.text, m.end(), sent.end) if _SAID_BEFORE.search(doc.text[sent.start : m.start()]) else None
        if dm is not None:
            end = dm.end() if dm.groupdict().get("clause") else None
            out.append(_Number(m.start(), m.end(), 1, singular=True, named=True, death_end=end))
    return out


def _named_victim(text: str, num: _Number, cue: Hit | None) -> bool:
    if cue is None:
        return False
    if num.death_end is not None and num.end <= cue.start < num.death_end:
        return True  # the death ``named_death`` read with the name as its subject
    if cue.start >= num.end:
        # The subject of a passive ("…, 16, was killed") or of "died"; never the doer ("…, 31, shot and killed").
        m = _NAMED_SUBJECT_GAP.match(text[num.end : cue.start])
        return m is not None and (m.group("aux") is not None or fold(text[cue.start : cue.end]) in _INTRANSITIVE)
    return bool(_NAMED_OBJECT_GAP.match(text[cue.end : num.start]))


def _is_age(text: str, s: int, e: int, value: int, prv: str = "") -> bool:
    if value > 120:
        return False
    before = text[max(0, s - 60) : s]
    after = text[e : e + 4]
    if _AGE_BEFORE_NAME.search(before) and _AGE_AFTER_NAME.match(after):
        return True
    if _AGE_UNIT.match(text, e) or (prv in _DECADE_BEFORE and _AGE_DECADE.match(text, e)):
        return True
    if _AGE_BEFORE_PERSON.search(before) and re.match(r"\s*,", after):
        return True
    if _CAPTION_AGE_BEFORE.search(before) or (
        _LISTED_AGE_BEFORE.search(before) and _LISTED_AGE_AFTER.match(text[e : e + 40])
    ):
        return True
    return bool(_AGE_BEFORE_WORD.search(before) and _AGE_AFTER_WORD.match(text[e : e + 5]))


def _is_address(text: str, s: int, e: int, prv: str) -> bool:
    if prv in _ROAD_BEFORE or _STREET_AFTER.match(text, e):
        return True
    return prv == "at" and e - s >= 3 and bool(_ADDRESS_AFTER.match(text, e))


def _group(words: list[str], people: frozenset[str]) -> str | None:
    """The noun a number counts: the first person noun among the next words (None: unnamed)."""
    return next((w for w in words if w in people), None)


def _is_thing(words: list[str], lex: _Lexicon, people: frozenset[str]) -> bool:
    """ "massacres", "drones", "burned vehicles": a number of things, not of people."""
    for w in words[:2]:
        if w in people:
            return False
        if w in lex.not_people:
            return True
    return False


def _numbers(doc: Doc, sent: Sentence, lex: _Lexicon) -> list[_Number]:
    """Candidate counts in a sentence: digits, number words, vague words, quantifiers and singular persons, minus
    years, dates, times, ages and measures, numbers of things, and numbers inside "both sides"."""
    folded = doc.folded.text
    fs, fe = _folded_bounds(doc, sent)
    lang = sent.lang or doc.lang or "en"
    people = lex.people.get(lang, frozenset())
    taken = [(t.start, t.end) for t in sent.times]
    taken += [(h.start, h.end) for h in lex.not_counts.finditer(doc.folded, fs, fe) if h.lang in (lang, None)]

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    out: list[_Number] = []
    for m in _NUM_RE.finditer(folded, fs, fe):
        raw = m.group(0).strip()
        if not raw:
            continue
        value = _parse_int(raw)
        plain = raw.isdigit()
        nxt, prv = _next_word(folded, m.end(), fe), _prev_word(folded, m.start(), fs)
        if plain and len(raw) == 4 and 1900 <= value <= 2100:
            continue  # a year
        if re.match(r"\s*-?\s*and[- ]a[- ]half\b", folded[m.end() : m.end() + 14]):
            continue  # an age or a measure ("the 2-and-a-half-year-old's death")
        if plain and len(raw) >= 6:
            continue  # an identifier: a tip line, a case or zip number ("text CRIMES (274637)"); tolls this large
            # are written with separators ("274,637")
        if nxt in lex.units or nxt in lex.months or prv in lex.months:
            continue  # a measure, an age, an address or a date ("22 October", "a 35-year-old", "the 9500 block")
        if folded[max(fs, m.start() - 1) : m.start()] in ("$", "€", "£"):
            continue  # money ("bond set at $580,000")
        if prv in lex.age_before or _CLOCK.match(folded, m.end()) or _listed_age(folded, m.start(), fs, lex):
            continue  # an age ("his sons, ages 3 and 4") or a time ("died at 10 a.m.")
        if prv in lex.phone_before or nxt in lex.phone_after:
            continue  # a phone number ("calling 911", "a 911 call")
        if plain and _counter(folded, m.start(), m.end(), fs, prv, lex):
            continue  # a position in a series ("Image 9 of 9", "1 / 9 Back to Gallery")
        s, e = doc.folded.orig(m.start(), m.end())
        if not free(s, e):
            continue
        if plain and (_is_age(doc.text, s, e, value, prv) or _is_address(doc.text, s, e, prv)):
            continue
        out.append(_Number(s, e, value, group=_group(_next_words(folded, m.end(), fe), people)))
    for hit in lex.words.finditer(doc.folded, fs, fe):
        if hit.lang not in (sent.lang, None) or not free(hit.start, hit.end):
            continue
        group = _group(_next_words(folded, hit.fend, fe), people)
        if hit.key in lex.vague_low:
            out.append(_Number(hit.start, hit.end, lex.vague_low[hit.key], vague=True, group=group))
        elif hit.key in lex.word_value:
            if _in_name(doc.text, hit.start, hit.end, sent.start):
                continue  # "a hotel room near Six Flags": a capitalised number word inside a name
            out.append(_Number(hit.start, hit.end, lex.word_value[hit.key], group=group))
    out += [n for n in _compound_numbers(doc, sent, lex, fs, fe)
            if free(n.start, n.end) and not _in_name(doc.text, n.start, n.end, sent.start)]  # fmt: skip
    for hit in lex.quantifiers.finditer(doc.folded, fs, fe):
        after = folded[hit.fend : hit.fend + 12]
        if hit.lang in (lang, None) and free(hit.start, hit.end) and not re.match(r"\s*\d", after):
            out.append(_Number(hit.start, hit.end, None, group=_group(_next_words(folded, hit.fend, fe), people)))
    out += _singulars(doc, sent, lex, lang, fs, fe)
    out.sort(key=lambda n: (n.start, -(n.end - n.start)))
    # Overlaps ("a dozen" inside "about a dozen", "one" inside "one soldier"): keep the longest.
    kept: list[_Number] = []
    for n in out:
        if kept and n.start < kept[-1].end:
            if n.end - n.start > kept[-1].end - kept[-1].start:
                kept[-1] = n
            continue
        kept.append(n)
    return _drop_things(doc, sent, kept, lex, people)


def _in_name(text: str, start: int, end: int, sent_start: int) -> bool:
    """A capitalised number word after a lower-case word and before a capitalised one, in a sentence that is not
    title case: part of a proper name ("near Six Flags", "the Three Rivers hospital")."""
    prev = re.search(r"([^\W\d_][\w'’-]*)\s+$", text[max(sent_start, start - 30) : start])
    nxt = re.match(r"\s+([^\W\d_])", text[end : end + 5])
    return bool(text[start : start + 1].isupper() and prev and prev.group(1)[0].islower() and nxt
                and nxt.group(1).isupper())  # fmt: skip


def _drop_things(doc: Doc, sent: Sentence, nums: list[_Number], lex: _Lexicon, people: frozenset[str]) -> list[_Number]:
    """Numbers of things ("five vehicles"), and their elliptic sequels ("320 cattle were rustled and 20 killed"),
    and the whole of a partitive ("one of the two suspects": two) are not counts."""
    folded = doc.folded.text
    lang = sent.lang or doc.lang or "en"
    partitive = lex.partitive.get(lang)
    out: list[_Number] = []
    thing_end: int | None = None
    for n in nums:
        fstart, fend = _folded_span(doc, n.start, n.end)
        words = _next_words(folded, fend, len(folded))
        before_text = doc.text[sent.start : n.start]
        opened = before_text.rfind("(")
        if out and opened >= 0 and ")" not in before_text[opened:] and sent.start + opened >= out[-1].end:
            continue  # "5 civilians (2 men, 2 women and 1 child)": a breakdown of the count before
        if n.singular and out and out[-1].value == 1 and _APPOSITION.search(doc.text[out[-1].start : n.start]):
            continue  # "1 civilian, a tribal elder, was killed": the same person
        if n.singular:
            out.append(n)
            continue
        if _is_thing(words, lex, people):
            thing_end = n.end if any(w in lex.animals for w in words[:2]) else None
            continue
        if thing_end is not None and n.start - thing_end <= 40 and (not words or words[0] in lex.kind_of):
            continue  # "320 cattle were rustled and 20 killed": still the cattle
        before = folded[max(0, fstart - 30) : fstart]
        if partitive is not None and partitive.search(before):
            continue  # "one of the two": the second number is the whole
        out.append(n)
    return out


_APPOSITION = re.compile(r"^[\w-]+(?:\s+[\w-]+){0,2},\s*$")


def _singulars(doc: Doc, sent: Sentence, lex: _Lexicon, lang: str, fs: int, fe: int) -> list[_Number]:
    """One person named in the singular: "a police officer", "un civil", "killing him", "the driver was ...",
    and in Arabic a singular person noun right after a killing noun ("مقتل مدني")."""
    folded = doc.folded.text
    out: list[_Number] = []
    for pat in (lex.singular.get(lang), *lex.singular_objects.get(lang, []), lex.singular_the.get(lang)):
        if pat is None:
            continue
        for m in pat.finditer(folded, fs, fe):
            one = "one" if m.groupdict().get("one") else 0  # "killing him": the pronoun is the count
            s, e = doc.folded.orig(m.start(one), m.end(one))
            words = m.group(0).split()
            verb_at = doc.folded.orig(m.start("verb"), m.end("verb"))[0] if m.groupdict().get("relative") else None
            out.append(_Number(s, e, 1, singular=True, group=words[-1] if words else None, verb_at=verb_at))
    transitive = lex.transitive.get(lang)
    if transitive is not None:
        for m in transitive.finditer(folded, fs, fe):
            # "killed a revenue collector at the bus station", "killing the driver": the object's noun is the
            # last word before a preposition or clause word, at most four words on.
            tokens = list(re.finditer(r"[\w'’-]+|[,.;:()]", folded[m.end() : min(fe, m.end() + 50)]))
            noun: re.Match[str] | None = None
            for w in tokens[:4]:
                if not w.group(0)[0].isalnum() or w.group(0) in lex.object_stops:
                    break
                noun = w
            if noun is None:
                continue
            word = noun.group(0)
            plural = (word.endswith("s") and word not in lex.singular_people.get(lang, frozenset())) or (
                word in lex.irregular_plurals
            )
            if plural or word in lex.not_people or word in lex.collectives or word[0].isdigit():
                continue
            a = m.end() - len(m.group(0).split()[-1]) - 1  # the article
            s, e = doc.folded.orig(a, m.end() + noun.end())
            out.append(_Number(s, e, 1, singular=True, group=word))
    out += _bare_objects(doc, lex, lang, fs, fe)
    passive = lex.singular_passive.get(lang)
    if passive is not None:
        for m in passive.finditer(folded, fs, fe):
            s, e = doc.folded.orig(m.start(), m.end())
            text = folded[m.start() : m.end()].split()
            if len(text) < 2 or text[-1] in lex.collectives or text[-1] in lex.not_people:
                continue
            out.append(_Number(s, e - 1 if folded[m.end() - 1 : m.end()].isspace() else e, 1, singular=True,
                               group=text[-1]))  # fmt: skip
    if lang in ("en", "fr"):
        out += _named_persons(doc, sent, lang)
    if lang == "ar":
        nouns = lex.people.get("ar", frozenset())
        for hit in lex.kinds.finditer(doc.folded, fs, fe):
            if hit.lang != "ar":
                continue
            am = re.match(r"\s+(?:ال)?([\u0621-\u064a]+)", folded[hit.fend : hit.fend + 20])
            if am is not None and am.group(1) in nouns:
                s, e = doc.folded.orig(hit.fend + am.start(1), hit.fend + am.end(1))
                out.append(_Number(s, e, 1, singular=True, group=am.group(1)))
    return out


def _bare_objects(doc: Doc, lex: _Lexicon, lang: str, fs: int, fe: int) -> list[_Number]:
    """A headline's singular object without an article ("kills journalist", "kill village head", "kills 5-year-old
    son"): one, when its noun is a person noun in the singular and no determiner or number opens the object."""
    bare = lex.bare_transitive.get(lang)
    if bare is None:
        return []
    folded = doc.folded.text
    people = lex.singular_people.get(lang, frozenset())
    # An article, a possessive, a number word or a quantifier opens an object counted otherwise ("killed three
    # youth", "killed several youth").
    openers = lex.transitive_determiners.get(lang, frozenset()) | lex.atoms.get(lang, {}).keys() | lex.quantifier_heads
    out: list[_Number] = []
    for m in bare.finditer(folded, fs, fe):
        tokens = list(re.finditer(r"[\w'’-]+|[,.;:()]", folded[m.end() : min(fe, m.end() + 40)]))
        if not tokens or tokens[0].group(0) in openers:
            continue
        noun: re.Match[str] | None = None
        for k, w in enumerate(tokens[:3]):
            word = w.group(0)
            if not word[0].isalnum() or word in lex.object_stops or (word[0].isdigit() and "-" not in word):
                break  # "kills 3": a number opens it, counted as such
            if word in people or (k and f"{tokens[k - 1].group(0)} {word}" in people):
                noun = w
        if noun is None:
            continue
        s, e = doc.folded.orig(m.end() + tokens[0].start(), m.end() + noun.end())
        out.append(_Number(s, e, 1, singular=True, group=noun.group(0)))
    return out


def _folded_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    starts = doc.folded.starts
    if starts is None:
        return start, end
    return bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)


def _compound_numbers(doc: Doc, sent: Sentence, lex: _Lexicon, fs: int, fe: int) -> list[_Number]:
    """Spelled-out numbers, composed token by token: units and tens add, "hundred"/"cent"/"مئة" multiply what
    precedes them, "thousand"/"mille"/"ألف" close a group; French "quatre" + "vingt" is 80. Arabic parts may
    carry the conjunction و glued on ("وعشرون")."""
    lang = sent.lang or doc.lang or "en"
    atoms, mults = lex.atoms.get(lang, {}), lex.multipliers.get(lang, {})
    joiners = lex.joiners.get(lang, frozenset())
    people = lex.people.get(lang, frozenset())
    if not atoms:
        return []
    f = doc.folded
    lo = bisect.bisect_left(f.tok_start, fs)
    hi = bisect.bisect_left(f.tok_start, fe)
    toks = f.tok_text

    def word(i: int, allow_glued: bool) -> str | None:
        t = toks[i]
        if t in atoms or t in mults:
            return t
        if allow_glued and lang == "ar" and t.startswith("و") and (t[1:] in atoms or t[1:] in mults):
            return t[1:]
        return None

    out: list[_Number] = []
    i = lo
    while i < hi:
        if word(i, False) is None:
            i += 1
            continue
        total = current = 0
        last_atom: int | None = None
        last = j = i
        while j < hi:
            w = word(j, j > i)
            if w is None:
                if toks[j] in joiners and j + 1 < hi and word(j + 1, True) is not None and j > i:
                    j += 1
                    continue
                break
            if w in atoms:
                v = atoms[w]
                if lang == "fr" and v == 20 and last_atom == 4 and current % 100 == 4:
                    current += 76  # quatre-vingt(s)
                else:
                    current += v
                last_atom = v
            else:
                m = mults[w]
                if m >= 1000:
                    total += max(current, 1) * m
                    current = 0
                else:
                    current = max(current, 1) * m
                last_atom = None
            last = j
            j += 1
        value = total + current
        s, e = f.orig(f.tok_start[i], f.tok_end[last])
        nxt = _next_word(f.text, f.tok_end[last], fe)
        if value > 0 and nxt not in lex.units and nxt not in lex.months:
            out.append(_Number(s, e, value, group=_group(_next_words(f.text, f.tok_end[last], fe), people)))
        i = last + 1
    return out


def _folded_bounds(doc: Doc, sent: Sentence) -> tuple[int, int]:
    """Folded-text offsets of a sentence (folding may have deleted characters before it)."""
    return _folded_span(doc, sent.start, sent.end)


def _in_clause(text: str, pos: int, spans: list[tuple[int, int]], sent: Sentence) -> bool:
    lo, hi = _clause_limits(text, pos, sent.start, sent.end)
    return any(lo <= a and b <= hi for a, b in spans)


def _clause_limits(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around ``pos`` within [lo, hi): stops at ; : and dashes."""
    left = lo
    for m in _CLAUSE_STOP.finditer(text, lo, pos):
        left = m.end()
    m2 = _CLAUSE_STOP.search(text, pos, hi)
    return left, (m2.start() if m2 else hi)


def extract_quantities(doc: Doc) -> None:
    lex = _lexicon()
    for sent in doc.sentences:
        _sentence_quantities(doc, sent, lex)


def _negations(doc: Doc, sent: Sentence, lex: _Lexicon, lang: str, fs: int, fe: int) -> list[Quantity]:
    """ "No casualties were reported": a stated zero for each kind the phrase names (killed and injured for
    "casualties"), never a denial of the event."""
    out: list[Quantity] = []
    negation = lex.negations.get(lang)
    if negation is None:
        return out
    for m in negation.finditer(doc.folded.text, fs, fe):
        s, e = doc.folded.orig(m.start(), m.end())
        sent.quantity_spans.append((s, e))
        kinds = {lex.kind_of.get(hit.key, "killed") for hit in lex.kinds.finditer(doc.folded, m.start(), m.end())}
        kinds = kinds or {"killed", "injured"}
        sent.negated_kinds.update(kinds)
        out += [Quantity(kind=k, low=0, best=0, high=0, span=doc.span(s, e)) for k in sorted(kinds)]
    return out


def _coder_notes(doc: Doc, sent: Sentence, lex: _Lexicon, fs: int, fe: int) -> list[Quantity]:
    """ACLED coders' figures in notes: "Fatalities coded as 4" (the event's), "(coded as 10)" (the count before
    it), "split across 3 events (5)" / "27 fatalities split between 8 events" (this event's share)."""
    folded = doc.folded.text
    out: list[Quantity] = []

    def add(m: re.Match[str], value: int, coded: str) -> None:
        s, e = doc.folded.orig(m.start(), m.end())
        out.append(Quantity(kind="killed", low=value, best=value, high=value, span=doc.span(s, e), coded=coded))
        sent.quantity_spans.append((s, e))

    for pat in lex.notes_total:
        for m in pat.finditer(folded, fs, fe):
            add(m, _parse_int(m.group("n")), "total")
    summary = lex.summary.fullmatch(folded, fs, fe)
    if summary is not None:
        add(summary, _parse_int(summary.group("n")), "total")  # ACLED's closing "5 fatalities."
    for pat in lex.notes_group:
        for m in pat.finditer(folded, fs, fe):
            add(m, _parse_int(m.group("n")), "group")
    for pat in sorted(lex.notes_split, key=lambda p: -len(p.pattern)):  # the fullest reading of a note first
        for m in pat.finditer(folded, fs, fe):
            s, e = doc.folded.orig(m.start(), m.end())
            if any(q.span is not None and q.span.start < e and s < q.span.end for q in out):
                continue
            g = m.groupdict()
            if g.get("n"):
                add(m, _parse_int(str(g["n"])), "share")
            elif g.get("t") and g.get("k"):
                k = str(g["k"])
                parts = _SMALL.get(k) or (_parse_int(k) if k.isdigit() else 0)
                if parts > 0:
                    add(m, math.ceil(_parse_int(str(g["t"])) / parts), "share")
            else:
                out.append(Quantity(kind="killed", span=doc.span(s, e), coded="split"))
    return out


def _sentence_quantities(doc: Doc, sent: Sentence, lex: _Lexicon) -> None:
    lang = sent.lang or doc.lang or "en"
    fs, fe = _folded_bounds(doc, sent)
    folded = doc.folded.text
    found: list[Quantity] = _negations(doc, sent, lex, lang, fs, fe)
    notes = _coder_notes(doc, sent, lex, fs, fe)
    found += notes
    cues = [h for h in lex.kinds.finditer(doc.folded, fs, fe) if h.lang == lang]
    cues = [h for h in cues if not any(s <= h.start < e for s, e in sent.quantity_spans)]
    # "they hope he gets the death penalty": a kind word inside such a phrase is no cue.
    blocked = [(h.start, h.end) for h in lex.not_cues.finditer(doc.folded, fs, fe) if h.lang in (lang, None)]
    cues = [h for h in cues if not any(s <= h.start < e for s, e in blocked)]
    cumulative = any(h.lang == lang for h in lex.cumulative.finditer(doc.folded, fs, fe))
    mods = [h for h in lex.modifiers.finditer(doc.folded, fs, fe) if h.lang == lang]
    noted = [(q.span.start, q.span.end) for q in notes if q.span is not None]
    numbers = [n for n in _numbers(doc, sent, lex) if not any(a <= n.start < b for a, b in noted)]
    between_spans: list[tuple[int, int, int, int]] = []
    for pat in lex.between.get(lang, []):
        for m in pat.finditer(folded, fs, fe):
            s, e = doc.folded.orig(m.start(), m.end())
            between_spans.append((s, e, _parse_int(m.group("a")), _parse_int(m.group("b"))))
    stats_pat = lex.statistics.get(lang)
    stats = [doc.folded.orig(m.start(), m.end()) for m in stats_pat.finditer(folded, fs, fe)] if stats_pat else []
    if stats:
        # "131 people wounded or killed in the city so far this year": a period's statistic over many incidents,
        # not the count of an event (a singular victim beside it still is: "a man was killed, the 40th this year").
        numbers = [n for n in numbers if n.singular or not _in_clause(doc.text, n.start, stats, sent)]
    used: set[int] = set()
    # Each cue counts one number: the nearest ("une attaque a tué deux soldats" pairs "tué" with "deux").
    joiner = lex.clause_joiners.get(lang)
    pairs = [(num, *_nearest_cue(doc.text, num, cues, sent, joiner, lex.joiner_penalty)) for num in numbers]
    pairs = [_subject_of_verb(p, cues) for p in pairs]
    # "a gunman killed 3 people", "shot dead by a soldier": one named in the singular is counted only as a victim.
    pairs = [(n, h, a, b) if not n.singular or _verb_cue(n, h) or (
                 _named_victim(doc.text, n, h) if n.named else _singular_victim(doc.text, n, h, lang))
             else (n, None, n.start, n.end) for n, h, a, b in pairs]  # fmt: skip
    closest: dict[int, int] = {}
    for num, near, _, _ in pairs:
        if near is not None:
            d = _distance(doc.text, num, near, joiner, lex.joiner_penalty)
            closest[near.start] = min(closest.get(near.start, d), d)
    pairs = _coordinated(doc.text, pairs, closest, joiner, lex.joiner_penalty)
    tolls = [h for h in lex.toll.finditer(doc.folded, fs, fe) if h.lang == lang]
    rises = [h for h in lex.rise_to.finditer(doc.folded, fs, fe) if h.lang == lang] if tolls else []
    for num, kind_hit, span_start, span_end in pairs:
        running = False
        rise = next((h for h in rises if 0 <= num.start - h.end <= 2), None)
        if rise is not None and (kind_hit is None or lex.kind_of.get(kind_hit.key) != "killed"):
            # "The death toll from Monday's attack ... rose to 47": a running total of the dead.
            if num.start in used:
                continue
            kind, running = "killed", True
            span_start, span_end = min(t.start for t in tolls), num.end
        elif (
            kind_hit is None
            or num.start in used
            or _distance(doc.text, num, kind_hit, joiner, lex.joiner_penalty) > closest[kind_hit.start]
        ):
            continue
        else:
            kind = lex.kind_of.get(kind_hit.key, "killed")
            if kind == "shot":
                # "a man was shot in the head and died at the scene": a later death word that counts no number
                # of its own tells that the shot victims died.
                died = next((h for h in cues if h.start > kind_hit.end and h.start not in closest
                             and lex.kind_of.get(h.key) == "killed"), None)  # fmt: skip
                if died is not None:
                    kind, span_end = "killed", max(span_end, died.end)
        if kind in sent.negated_kinds and num.value != 0:
            continue
        q = Quantity(kind=kind, cumulative=cumulative or running, group=num.group, singular=num.singular)
        rng = next((b for b in between_spans if b[0] <= num.start < b[1]), None)
        mod = next((h for h in mods if 0 <= num.start - h.end <= 2), None)
        if num.value is None:
            q.reported_unknown = True  # "several soldiers were killed"
        elif rng is not None:
            q.low, q.best, q.high = rng[2], rng[2], rng[3]
            span_start = min(span_start, rng[0])
            span_end = max(span_end, rng[1])
            used.update(n.start for n in numbers if rng[0] <= n.start < rng[1])
        elif num.vague:
            q.low = q.best = num.value
        elif mod is not None:
            kind_mod = lex.modifier_of.get(mod.key, "about")
            span_start = min(span_start, mod.start)
            if kind_mod in ("at_least", "more_than"):
                q.low = q.best = num.value  # ACLED: "more than N" is N, never N+1
            elif kind_mod == "up_to":
                q.high = num.value
            else:
                q.best = num.value
        else:
            q.low = q.best = q.high = num.value
        q.span = doc.span(span_start, span_end)
        sent.quantity_spans.append((span_start, span_end))
        found.append(q)
    _unknown_counts(doc, sent, lex, lang, fs, fe, found, cumulative)
    sent.quantities = found


def _unknown_counts(doc: Doc, sent: Sentence, lex: _Lexicon, lang: str, fs: int, fe: int, found: list[Quantity],
                    cumulative: bool) -> None:  # fmt: skip
    """Casualties reported without a number ("sustained losses"), unless the sentence counts that kind."""
    counted = {q.kind for q in found if q.best is not None or q.reported_unknown}
    tail = lex.tails.get(lang)
    tail_m = tail.search(doc.folded.text, fs, fe) if tail is not None else None
    for hit in lex.unknown.finditer(doc.folded, fs, fe):
        if hit.lang != lang:
            continue
        kind = lex.unknown_kind.get(hit.key, "killed")
        if kind in counted or kind in sent.negated_kinds:
            continue
        start, end = hit.start, hit.end
        if tail_m is not None:
            ts, te = doc.folded.orig(tail_m.start(), tail_m.end())
            start, end = min(start, ts), max(end, te)
        found.append(Quantity(kind=kind, reported_unknown=True, cumulative=cumulative, span=doc.span(start, end)))
        sent.quantity_spans.append((start, end))
        counted.add(kind)


_PASSIVE_GAP = re.compile(
    r"\b(?:was|were|has been|had been|have been|is|are|got|being|later|reportedly|also|then|a été|ont été|est)\b",
    re.IGNORECASE,
)
_NOT_OBJECT = re.compile(r"\b(?:after|when|as|because|while|before|since|until|then|and)\b", re.IGNORECASE)
_AGENT = re.compile(r"(?:\bby|\bpar|من قبل|على يد)\s*$", re.IGNORECASE)


def _verb_cue(num: _Number, cue: Hit | None) -> bool:
    """Whether the cue is the verb the person is the subject of across a relative clause ("… has died")."""
    return cue is not None and num.verb_at is not None and num.verb_at <= cue.start <= num.verb_at + _VERB_CUE


_VERB_CUE = 25  # chars from the auxiliary to its participle ("was shot and killed", "has since died")


def _subject_of_verb(pair: _Pair, cues: list[Hit]) -> _Pair:
    """A person before a relative clause counts with its own verb's cue, however far ("the man who robbed the
    store on Main Street last night was killed"), never with a cue inside the clause ("… that shot himself")."""
    num = pair[0]
    if num.verb_at is None:
        return pair
    cue = next((h for h in cues if _verb_cue(num, h)), None)
    if cue is None:
        return pair
    return num, cue, num.start, cue.end


def _singular_victim(text: str, num: _Number, cue: Hit | None, lang: str) -> bool:
    """Whether one person named in the singular is the one the cue counts: the object after an active verb
    ("killed a civilian", not "shot dead by a soldier"), the subject of a passive or of "died" ("a man was
    killed", "a soldier died"), a killing noun's complement ("مقتل مدني"), never the doer ("a gunman killed")."""
    if cue is None:
        return False
    if lang == "ar":
        return True  # "مقتل مدني"
    if cue.end <= num.start:
        if fold(text[cue.start : cue.end]) in _INTRANSITIVE and _NOT_OBJECT.search(text[cue.end : num.start]):
            return False  # "the boy died after another man shot him": not the one who died
        return not _AGENT.search(text[max(0, num.start - 12) : num.start])
    gap = text[num.end : cue.start]
    if not gap.strip():
        # "a 16-year-old girl killed in a shooting": a participle with no object after it, its subject the one.
        reduced = _lexicon().reduced_relative.get(lang)
        if reduced is not None and reduced.match(fold(text[cue.start : cue.end + 30])):
            return True
    return bool(_PASSIVE_GAP.search(gap)) or fold(text[cue.start : cue.end]) in _INTRANSITIVE


_INTRANSITIVE = frozenset(["died", "dead", "death", "deaths", "lost their lives", "succumbed", "killed in action",
                           "morts", "mort", "décès", "ont péri", "lost his life", "lost her life",
                           "passed away"])  # fmt: skip

_Pair = tuple[_Number, Hit | None, int, int]
_COORD = re.compile(
    r"^[\s\w'’,-]{0,40}?(?:,|\band\b|\bas well as\b|\bincluding\b|\bamong them\b|\bet\b|\bdont\b|\s و|\sو|بينهم)"
    r"\s*(?:(?:his|her|their)\s+)?$"  # "killing his wife and their two children"
)
_PAREN = re.compile(r"\([^()]*\)")


def _coordinated(text: str, pairs: list[_Pair], closest: dict[int, int], joiner: re.Pattern[str] | None,
                 penalty: int) -> list[_Pair]:  # fmt: skip
    """Numbers coordinated with a counted one share its cue: "Seventeen soldiers, including a major, and one
    civilian were killed", "killing 3 soldiers and 2 civilians" (each cue otherwise takes only its nearest)."""
    out = list(pairs)

    def winner(k: int) -> bool:
        num, hit = out[k][0], out[k][1]
        return hit is not None and _distance(text, num, hit, joiner, penalty) <= closest.get(hit.start, 10**9)

    chain = list(range(len(out)))  # the first member of the coordination each count belongs to
    order = [*range(len(out) - 1, -1, -1), *range(len(out))]  # chains run either way ("a, b, and c were killed")
    for k in order:
        num = out[k][0]
        if winner(k):
            continue
        for j in (k + 1, k - 1):
            if not 0 <= j < len(out) or not winner(j):
                continue
            other, cue = out[j][0], out[j][1]
            assert cue is not None
            a, b = (num.end, other.start) if j > k else (other.end, num.start)
            gap = _PAREN.sub("", text[a:b])  # "4 people (including 1 journalist) as well as 2 policemen"
            if len(gap) > 45 or not _COORD.match(gap):
                continue
            if (j > k and cue.start < other.end) or (j < k and cue.start > other.start):
                continue  # the cue must lie beyond the pair ("3 soldiers and 2 civilians were killed")
            chain[k] = chain[j] = min(chain[k], chain[j])
            out[k] = (num, cue, min(num.start, cue.start), max(num.end, cue.end))
            closest[cue.start] = max(closest[cue.start], _distance(text, num, cue, joiner, penalty))
            break
    for k, (num, _, _, _) in enumerate(out):
        first = min(chain[i] for i in range(len(out)) if chain[i] == chain[k])
        if any(chain[i] == chain[k] for i in range(len(out)) if i != k):
            # Coordinated counts are groups of their own ("two palace guards, three policemen, a driver");
            # the chain's start is kept for breakdown cues before it ("including two women and seven men").
            num.group = f"+{out[first][0].start}:{num.start}"
    return out


def _distance(text: str, num: _Number, hit: Hit, joiner: re.Pattern[str] | None, penalty: int) -> int:
    """Characters between a number and a cue, plus a penalty when a clause joiner lies between them."""
    a, b = (num.end, hit.start) if hit.start >= num.end else (hit.end, num.start)
    between = _PAREN.sub("", text[a:b])  # a parenthetical breakdown sits between a count and its cue
    far = joiner is not None and joiner.search(fold(between)) is not None
    comma = hit.end <= num.start and "," in between  # "Two soldiers were killed, several were injured"
    return len(between) + (penalty if far else 0) + (penalty // 2 if comma else 0)


def _nearest_cue(
    text: str, num: _Number, cues: list[Hit], sent: Sentence, joiner: re.Pattern[str] | None, penalty: int
) -> tuple[Hit | None, int, int]:
    """The kind cue closest to a number within its clause; returns the cue and the count's span."""
    lo, hi = _clause_limits(text, num.start, sent.start, sent.end)
    best: tuple[int, Hit] | None = None
    for h in cues:
        if not (
            (h.start >= num.end and h.start - num.end <= _FWD and h.end <= hi)
            or (h.end <= num.start and num.start - h.end <= _BACK and h.start >= lo)
        ):
            continue
        dist = _distance(text, num, h, joiner, penalty)
        if best is None or dist < best[0]:
            best = (dist, h)
    if best is None:
        return None, num.start, num.end
    h = best[1]
    return h, min(h.start, num.start), max(h.end, num.end)
