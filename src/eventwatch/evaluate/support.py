"""The invariant that no number is one no source said: every count on an event is read from its spans.

A value of ``fatalities``, ``injured_*``, ``detained_*`` or ``fatalities_*`` is supported when the spans that
the event gives for that field read as it, by the readings docs/extraction.md documents: digits and number words
in en/fr/ar ("1,383", "twenty-five", "خمسة وعشرون"), ACLED's vague words ("dozens" 12, "hundreds" 100), one
person named in the singular ("a police officer was killed" 1), a negation ("no casualties" 0), an ACLED
coder's split ("27 fatalities split between 8 events" ⌈27/8⌉); and the sum of the readings of several spans
(distinct victim groups add up).
"""

from __future__ import annotations

import math
import re
from itertools import product

from eventwatch.model import Event, Report, Span

_KINDS = ("fatalities", "injured", "detained")
COUNT_FIELDS = (*(f"{kind}_{bound}" for kind in _KINDS for bound in ("low", "best", "high")), "fatalities")
_SPLIT = re.compile(r"(\d[\d,]*)\D{0,40}?split\D{0,30}?(\d+|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def readings(text: str) -> set[int]:
    """Every count a span's text can be read as (its numbers, vague words, singulars, negations, splits)."""
    from eventwatch.extract.doc import Doc, Sentence
    from eventwatch.extract.quantities import _lexicon, _negations, _numbers

    out: set[int] = set()
    langs = ("ar",) if any("\u0600" <= c <= "\u06ff" for c in text) else ("en", "fr")
    for lang in langs:
        doc = Doc.from_report(Report(text=text, language=lang))
        sent = Sentence(index=0, start=0, end=len(text), paragraph=0, lang=lang)
        doc.sentences = [sent]
        lex = _lexicon()
        out.update(n.value for n in _numbers(doc, sent, lex) if n.value is not None)
        if _negations(doc, sent, lex, lang, 0, len(doc.folded.text)):
            out.add(0)
    for m in _SPLIT.finditer(text):
        total = int(m.group(1).replace(",", ""))
        k = m.group(2).lower()
        parts = int(k) if k.isdigit() else _SMALL[k]
        if parts:
            out.add(math.ceil(total / parts))
    out.update(int(d.replace(",", "")) for d in re.findall(r"\b\d[\d,]*\b", text) if d.replace(",", "").isdigit())
    if re.match(r"(?:him|her)\b", text, re.IGNORECASE):
        out.add(1)  # a singular pronoun object of a killing verb: "shot him dead"
    return out


def unsupported(event: Event, text: str) -> list[str]:
    """The counted fields of an event whose value its spans do not say ("fatalities_best=7 (spans read 3, 5)")."""
    problems: list[str] = []
    for name in COUNT_FIELDS:
        value = getattr(event, name)
        if value is None:
            continue
        spans = event.spans.get(name, [])
        reads = [readings(s.of(text)) for s in spans]
        if not reads:
            problems.append(f"{name}={value} (no span)")
            continue
        if any(value in r for r in reads) or _sums_to(value, reads) or _split_of(value, spans, reads, text):
            continue
        problems.append(f"{name}={value} (spans read {', '.join(sorted({str(v) for r in reads for v in r}))})")
    return problems


_PARTS = re.compile(r"(?:split|spread|divided)\D{0,30}?(\d+|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)


def _split_of(value: int, spans: list[Span], reads: list[set[int]], text: str) -> bool:
    """An ACLED note's split ("Five were killed. Fatalities split over two days."): ⌈total/K⌉ of the others."""
    for k, span in enumerate(spans):
        m = _PARTS.search(span.of(text))
        if m is None:
            continue
        g = m.group(1).lower()
        parts = int(g) if g.isdigit() else _SMALL[g]
        others = [r for j, r in enumerate(reads) if j != k]
        if parts and others and any(math.ceil(sum(c) / parts) == value for c in product(*[sorted(r) for r in others])):
            return True
    return False


def _sums_to(value: int, reads: list[set[int]]) -> bool:
    """Whether one reading per span (or per some of the spans) adds up to the value."""
    if len(reads) > 8:
        return False
    options = [sorted(r | {0}) for r in reads]
    return any(sum(combo) == value for combo in product(*options))
