"""Reported counts (killed, injured, detained, abducted, displaced) with bounds, in English, French, Arabic.

A number becomes a count only when a kind cue ("killed", "blessés", "مقتل") is the nearest cue around it in the
same clause; years, dates, times and measures are never counts. A casualty phrase with no number ("sustained
losses") is a reported-unknown count; a negated count ("no casualties were reported") is no count at all.
"""

from __future__ import annotations

import bisect
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
_FWD = 60  # chars after a number searched for its kind cue
_BACK = 45  # chars before


@dataclass(slots=True)
class _Number:
    start: int
    end: int
    value: int
    vague: bool = False


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
    units: frozenset[str]
    months: frozenset[str]
    toll: PhraseMatcher
    rise_to: PhraseMatcher
    atoms: dict[str, dict[str, int]]  # lang -> single folded token -> value
    clause_joiners: dict[str, re.Pattern[str]]
    joiner_penalty: int
    multipliers: dict[str, dict[str, int]]
    joiners: dict[str, frozenset[str]]


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
        units=frozenset(fold(str(u)) for u in data["units"]),
        months=months,
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
    )


def _parse_int(s: str) -> int:
    return int(re.sub(r"[,٬.\u202f ]", "", s))


def _next_word(folded: str, pos: int, end: int) -> str:
    # A hyphen may join the unit: "a 7-year-old boy" is an age, never a toll of 7.
    m = re.match(r"\s*-?\s*([^\W\d_]+|%)", folded[pos:end])
    return m.group(1) if m else ""


def _prev_word(folded: str, pos: int, start: int) -> str:
    m = re.search(r"([^\W\d_]+)\s*$", folded[start:pos])
    return m.group(1) if m else ""


def _numbers(doc: Doc, sent: Sentence, lex: _Lexicon) -> list[_Number]:
    """Candidate counts in a sentence: digits and number words, minus years, dates, times and measures."""
    folded = doc.folded.text
    fs, fe = _folded_bounds(doc, sent)
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
        if nxt in lex.units or nxt in lex.months or prv in lex.months:
            continue  # a measure, an address or a date ("22 October", "October 21", "the 9500 block")
        if folded[max(fs, m.start() - 1) : m.start()] in ("$", "€", "£"):
            continue  # money ("bond set at $580,000")
        s, e = doc.folded.orig(m.start(), m.end())
        out.append(_Number(s, e, value))
    for hit in lex.words.finditer(doc.folded, fs, fe):
        if hit.lang not in (sent.lang, None):
            continue
        if hit.key in lex.vague_low:
            out.append(_Number(hit.start, hit.end, lex.vague_low[hit.key], vague=True))
        elif hit.key in lex.word_value:
            out.append(_Number(hit.start, hit.end, lex.word_value[hit.key]))
    out += _compound_numbers(doc, sent, lex, fs, fe)
    out.sort(key=lambda n: n.start)
    # Overlaps ("a dozen" inside "about a dozen"): keep the longest.
    kept: list[_Number] = []
    for n in out:
        if kept and n.start < kept[-1].end:
            if n.end - n.start > kept[-1].end - kept[-1].start:
                kept[-1] = n
            continue
        kept.append(n)
    return kept


def _compound_numbers(doc: Doc, sent: Sentence, lex: _Lexicon, fs: int, fe: int) -> list[_Number]:
    """Spelled-out numbers, composed token by token: units and tens add, "hundred"/"cent"/"مئة" multiply what
    precedes them, "thousand"/"mille"/"ألف" close a group; French "quatre" + "vingt" is 80. Arabic parts may
    carry the conjunction و glued on ("وعشرون")."""
    lang = sent.lang or doc.lang or "en"
    atoms, mults = lex.atoms.get(lang, {}), lex.multipliers.get(lang, {})
    joiners = lex.joiners.get(lang, frozenset())
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
        if value > 0:
            out.append(_Number(s, e, value))
        i = last + 1
    return out


def _folded_bounds(doc: Doc, sent: Sentence) -> tuple[int, int]:
    """Folded-text offsets of a sentence (folding may have deleted characters before it)."""
    starts = doc.folded.starts
    if starts is None:
        return sent.start, sent.end
    return bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)


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


def _sentence_quantities(doc: Doc, sent: Sentence, lex: _Lexicon) -> None:
    lang = sent.lang or doc.lang or "en"
    fs, fe = _folded_bounds(doc, sent)
    folded = doc.folded.text
    negation = lex.negations.get(lang)
    if negation is not None:
        for m in negation.finditer(folded, fs, fe):
            s, e = doc.folded.orig(m.start(), m.end())
            sent.quantity_spans.append((s, e))
            for hit in lex.kinds.finditer(doc.folded, m.start(), m.end()):
                sent.negated_kinds.add(lex.kind_of.get(hit.key, "killed"))
            if not any(True for _ in lex.kinds.finditer(doc.folded, m.start(), m.end())):
                sent.negated_kinds.update({"killed", "injured"})
    cues = [h for h in lex.kinds.finditer(doc.folded, fs, fe) if h.lang == lang]
    cues = [h for h in cues if not any(s <= h.start < e for s, e in sent.quantity_spans)]
    cumulative = any(h.lang == lang for h in lex.cumulative.finditer(doc.folded, fs, fe))
    mods = [h for h in lex.modifiers.finditer(doc.folded, fs, fe) if h.lang == lang]
    numbers = _numbers(doc, sent, lex)
    between_spans: list[tuple[int, int, int, int]] = []
    for pat in lex.between.get(lang, []):
        for m in pat.finditer(folded, fs, fe):
            s, e = doc.folded.orig(m.start(), m.end())
            between_spans.append((s, e, _parse_int(m.group("a")), _parse_int(m.group("b"))))
    used: set[int] = set()
    found: list[Quantity] = []
    # Each cue counts one number: the nearest ("une attaque a tué deux soldats" pairs "tué" with "deux").
    joiner = lex.clause_joiners.get(lang)
    pairs = [(num, *_nearest_cue(doc.text, num, cues, sent, joiner, lex.joiner_penalty)) for num in numbers]
    closest: dict[int, int] = {}
    for num, near, _, _ in pairs:
        if near is not None:
            d = _distance(doc.text, num, near, joiner, lex.joiner_penalty)
            closest[near.start] = min(closest.get(near.start, d), d)
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
        if kind in sent.negated_kinds:
            continue
        q = Quantity(kind=kind, cumulative=cumulative or running)
        rng = next((b for b in between_spans if b[0] <= num.start < b[1]), None)
        mod = next((h for h in mods if 0 <= num.start - h.end <= 2), None)
        if rng is not None:
            q.low, q.best, q.high = rng[2], rng[2], rng[3]
            span_start = min(span_start, rng[0])
            span_end = max(span_end, rng[1])
            used.update(n.start for n in numbers if rng[0] <= n.start < rng[1])
        elif num.vague:
            q.low = q.best = num.value
        elif mod is not None:
            kind_mod = lex.modifier_of.get(mod.key, "about")
            span_start = min(span_start, mod.start)
            if kind_mod == "at_least":
                q.low = q.best = num.value
            elif kind_mod == "more_than":
                q.low = q.best = num.value + 1
            elif kind_mod == "up_to":
                q.high = num.value
            else:
                q.best = num.value
        else:
            q.low = q.best = q.high = num.value
        q.span = doc.span(span_start, span_end)
        sent.quantity_spans.append((span_start, span_end))
        found.append(q)
    # Casualties reported without a number.
    counted = {q.kind for q in found}
    tail = lex.tails.get(lang)
    tail_m = tail.search(folded, fs, fe) if tail is not None else None
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
    sent.quantities = found


def _distance(text: str, num: _Number, hit: Hit, joiner: re.Pattern[str] | None, penalty: int) -> int:
    """Characters between a number and a cue, plus a penalty when a clause joiner lies between them."""
    a, b = (num.end, hit.start) if hit.start >= num.end else (hit.end, num.start)
    between = text[a:b]
    far = joiner is not None and joiner.search(fold(between)) is not None
    return b - a + (penalty if far else 0)


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
