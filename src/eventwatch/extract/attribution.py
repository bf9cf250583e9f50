"""Who says each sentence, and how sure it sounds.

Attribution cues are data (``attribution.yaml``): "according to X"-style prefixes take the source after them,
reporting verbs take it before ("SOHR said") or, in Arabic, after ("أفاد المرصد"). The source phrase is mapped to
a canonical source (``sources.yaml``), then to a known actor, then to an unnamed category ("local sources");
failing those, a short phrase is kept as written. An unattributed sentence continues the attribution of the
previous sentence in its paragraph (wire style: "X said ... . It added ..."). An embedded post's signature
line ("— Name (@handle)") attributes the lines above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from eventwatch.extract.doc import Attribution, Doc, Sentence
from eventwatch.extract.lexicon import PhraseMatcher, fold, is_acronym, load_yaml, per_lang
from eventwatch.model import Hedge

_MAX_SOURCE_WORDS = 9


# "State"/"state" as a noun: capitalised mid-sentence ("Rakhine State"), or a state's name before it and punctuation
# or an end after it ("Shan state,", "Borno state."): not the reporting verb of "the sources state that".
_STATE_NOUN = re.compile(r"(?:State\b|states?(?=\s*(?:[,.;:)]|$)))")


@dataclass(frozen=True, slots=True)
class SourceEntry:
    name: str
    unnamed: bool = False
    official: bool = False
    acronym: str | None = None  # the alias text that must match case-sensitively


@dataclass(frozen=True, slots=True)
class _Lexicon:
    after: PhraseMatcher
    verbs: PhraseMatcher
    stops: dict[str, re.Pattern[str]]
    sources: PhraseMatcher
    source_of: dict[str, list[SourceEntry]]
    hedges: dict[str, PhraseMatcher]
    not_hedges: PhraseMatcher
    signature: re.Pattern[str]
    openers: PhraseMatcher
    relay: PhraseMatcher
    hedge_source: str


@cache
def _lexicon() -> _Lexicon:
    att: dict[str, Any] = load_yaml("attribution.yaml")
    src: dict[str, Any] = load_yaml("sources.yaml")
    actors: dict[str, Any] = load_yaml("actors.yaml")
    source_of: dict[str, list[SourceEntry]] = {}
    phrases: list[tuple[str, str | None]] = []

    def add(alias: str, entry: SourceEntry, lang: str | None) -> None:
        key = fold(alias)
        if is_acronym(alias):
            entry = SourceEntry(entry.name, entry.unnamed, entry.official, acronym=alias)
        source_of.setdefault(key, []).append(entry)
        phrases.append((alias, lang))

    # Order matters only for ties on the same alias: named sources, then actors, then unnamed categories.
    for s in src["sources"]:
        for alias in s["aliases"]:
            add(str(alias), SourceEntry(str(s["name"]), official=s.get("kind") == "official"), None)
    for a in actors["actors"]:
        for alias, lang in per_lang(a["aliases"]):
            add(alias, SourceEntry(str(a["name"]), official=bool(a.get("state"))), lang)
    for p in actors["persons"]:
        for alias in p["aliases"]:
            add(str(alias), SourceEntry(str(p["name"])), None)
    for u in src["unnamed"]:
        for alias, lang in per_lang(u["phrases"]):
            add(alias, SourceEntry(str(u["label"]), unnamed=bool(u["hedged"]), official=not u["hedged"]), lang)
    stops = {
        lang: re.compile(
            "|".join(r"(?:^|\s)" + re.escape(fold(w)) + r"(?:\s|$)" if w[0].isalpha() else re.escape(w) for w in words)
        )
        for lang, words in att["source_stop"].items()
    }
    return _Lexicon(
        after=PhraseMatcher(per_lang(att["source_after"])),
        verbs=PhraseMatcher(per_lang(att["verbs"])),
        stops=stops,
        sources=PhraseMatcher(phrases),
        source_of=source_of,
        hedges={cls: PhraseMatcher(per_lang(by_lang)) for cls, by_lang in att["hedges"].items()},
        not_hedges=PhraseMatcher(per_lang(att["not_hedges"])),
        signature=re.compile(att["signature"], re.MULTILINE),
        openers=PhraseMatcher(per_lang(att["clause_openers"])),
        relay=PhraseMatcher(per_lang(att["relay"])),
        hedge_source=str(att["hedge_source"]),
    )


def resolve_source(doc: Doc, start: int, end: int) -> tuple[SourceEntry, int, int] | None:
    """The canonical source named in ``text[start:end]``: the first (left-most, longest) known alias."""
    lex = _lexicon()
    fs, fe = _folded(doc, start, end)
    for hit in lex.sources.finditer(doc.folded, fs, fe):
        entries = lex.source_of.get(hit.key, [])
        for entry in entries:
            if entry.acronym is not None and doc.text[hit.start : hit.end] != entry.acronym:
                continue
            return entry, hit.start, hit.end
    return None


def _folded(doc: Doc, start: int, end: int) -> tuple[int, int]:
    starts = doc.folded.starts
    if starts is None:
        return start, end
    import bisect

    return bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)


def _source_phrase_after(doc: Doc, pos: int, limit: int, lang: str) -> tuple[int, int]:
    """The noun phrase after a cue: up to a stop word or punctuation, at most a few words."""
    lex = _lexicon()
    seg = doc.text[pos:limit]
    fseg = fold(seg) if len(fold(seg)) == len(seg) else seg.lower()
    stop = lex.stops.get(lang)
    m = stop.search(fseg) if stop is not None else None
    end = pos + (m.start() if m else len(seg))
    words = list(re.finditer(r"\S+", doc.text[pos:end]))[:_MAX_SOURCE_WORDS]
    if not words:
        return pos, pos
    return pos + words[0].start(), pos + words[-1].end()


def _source_phrase_before(doc: Doc, sent: Sentence, verb_start: int) -> tuple[int, int]:
    """The subject before a reporting verb: back to the clause start (comma, "that", sentence start)."""
    seg = doc.text[sent.start : verb_start]
    cut = max(seg.rfind(","), seg.rfind(";"), seg.rfind(":"), seg.rfind("“"), seg.rfind('"'))
    start = sent.start + cut + 1 if cut >= 0 else sent.start
    lang = sent.lang or doc.lang or "en"
    fs, fe = _folded(doc, start, verb_start)
    openers = [h for h in _lexicon().openers.finditer(doc.folded, fs, fe) if h.lang == lang]
    if openers:
        start = max(start, openers[-1].end)
    words = list(re.finditer(r"\S+", doc.text[start:verb_start]))[-_MAX_SOURCE_WORDS:]
    if not words:
        return verb_start, verb_start
    return start + words[0].start(), start + words[-1].end()


def _cues(doc: Doc, sent: Sentence) -> tuple[list[Attribution], Attribution | None]:
    """Every resolved attribution in a sentence, and the first unresolved speaker phrase (if any)."""
    lex = _lexicon()
    lang = sent.lang or doc.lang or "en"
    fs, fe = _folded(doc, sent.start, sent.end)
    found: list[Attribution] = []
    for hit in lex.after.finditer(doc.folded, fs, fe):
        if hit.lang != lang:
            continue
        s, e = _source_phrase_after(doc, hit.end, sent.end, lang)
        att = _make(doc, hit.start, hit.end, s, e)
        if att is not None:
            found.append(att)
    unresolved: Attribution | None = None
    for hit in lex.verbs.finditer(doc.folded, fs, fe):
        if hit.lang != lang:
            continue
        if lang == "en" and _STATE_NOUN.match(doc.text, hit.start) and hit.start > sent.start:
            continue  # "in Rakhine State, ...", "Shan state,": a federated state, not "SOHR states"
        candidates = []
        if lang != "ar":
            before = _source_phrase_before(doc, sent, hit.start)
            if _passive(doc, before):
                continue  # "no casualties were reported": no one is reporting here
            candidates.append(before)
            if before[0] == before[1]:
                # "SOHR, citing local sources, said": the subject is the clause before the first comma.
                candidates.append(_first_clause(doc, sent, hit.start))
        candidates.append(_source_phrase_after(doc, hit.end, sent.end, lang))
        att = next((a for s, e in candidates if (a := _make(doc, hit.start, hit.end, s, e)) is not None), None)
        if att is not None:
            found.append(att)
            continue
        s, e = candidates[0]
        if unresolved is None and 0 < len(doc.text[s:e].split()) <= 7 and _speaker_like(doc, s, e, lang):
            # An unknown speaker is still a speaker: keep the phrase as written rather than inherit another.
            unresolved = Attribution(doc.text[s:e], min(s, hit.start), max(e, hit.end), s, e)
    return found, unresolved


def _relayed(doc: Doc, sent: Sentence, atts: list[Attribution]) -> list[Attribution]:
    """Sources named after a relay word ("citing Y", "عن Y") inside or right after an attribution phrase."""
    lex = _lexicon()
    lang = sent.lang or doc.lang or "en"
    fs, fe = _folded(doc, sent.start, sent.end)
    out: list[Attribution] = []
    for hit in lex.relay.finditer(doc.folded, fs, fe):
        if hit.lang != lang or not any(0 <= hit.start - max(a.source_end or 0, a.cue_end) <= 3 for a in atts):
            continue
        s, e = _source_phrase_after(doc, hit.end, sent.end, lang)
        att = _make(doc, hit.start, hit.end, s, e)
        if att is None and 0 < len(doc.text[s:e].split()) <= 4 and _speaker_like(doc, s, e, lang):
            # "a statement from their leader": an unknown relayed speaker is kept as written.
            att = Attribution(doc.text[s:e], hit.start, e, s, e)
        if att is not None:
            out.append(att)
    return out


@cache
def _speakers() -> tuple[dict[str, frozenset[str]], dict[str, PhraseMatcher]]:
    att: dict[str, Any] = load_yaml("attribution.yaml")
    never = {lang: frozenset(fold(str(w)) for w in words) for lang, words in att["not_speakers"].items()}
    nouns = {lang: PhraseMatcher([(str(w), lang) for w in words]) for lang, words in att["speaker_nouns"].items()}
    return never, nouns


def _speaker_like(doc: Doc, start: int, end: int, lang: str) -> bool:
    """Whether an unknown phrase before/after a reporting verb names or types a speaker (``not_speakers`` and
    ``speaker_nouns`` in attribution.yaml): never a pronoun, an app or a clause fragment ("the operation followed")."""
    never, nouns = _speakers()
    stop = never.get(lang, frozenset())
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", doc.text[start:end])]
    content = [w for w in words if fold(w) not in stop]
    if not content:
        return False
    matcher = nouns.get(lang)
    if matcher is not None:
        fs, fe = _folded(doc, start, end)
        if any(h.lang == lang for h in matcher.finditer(doc.folded, fs, fe)):
            return True
    # A name: a capitalised word that is not only a determiner (Arabic has no capitals: nouns only).
    return lang != "ar" and any(w[0].isupper() for w in content)


def _first_clause(doc: Doc, sent: Sentence, limit: int) -> tuple[int, int]:
    seg = doc.text[sent.start : limit]
    cut = seg.find(",")
    if cut <= 0:
        return limit, limit
    return sent.start, sent.start + cut


def _attribution_for(doc: Doc, sent: Sentence) -> Attribution | None:
    """The sentence's attribution; nested cues ("Reuters reported that SOHR said") become a chain.

    The chain runs in text order of the source phrases, which is outermost first in the usual constructions
    ("X reported that Y said", "according to X, Y said", "X said, citing Y"); the innermost source is the one
    the claim rests on and becomes ``source``.
    """
    found, unresolved = _cues(doc, sent)
    if not found and unresolved is None:
        return None
    if not found and unresolved is not None:
        found = [unresolved]
    found += _relayed(doc, sent, found)
    found.sort(key=lambda a: a.source_start if a.source_start is not None else a.cue_start)
    chain: list[Attribution] = []
    for att in found:
        if all(att.source != c.source for c in chain):
            chain.append(att)
    inner = chain[-1]
    if len(chain) > 1:
        inner.chain = [c.source for c in chain if c.source is not None]
    return inner


_AUX = frozenset(
    {"was", "were", "is", "are", "been", "be", "being", "has", "have", "had", "not", "a", "été", "est", "sont"}
)


def _passive(doc: Doc, phrase: tuple[int, int]) -> bool:
    words = doc.text[phrase[0] : phrase[1]].split()
    return bool(words) and words[-1].lower() in _AUX


def _make(doc: Doc, cue_start: int, cue_end: int, s: int, e: int) -> Attribution | None:
    if e <= s:
        return None
    found = resolve_source(doc, s, e)
    if found is None:
        return None
    entry, ss, se = found
    return Attribution(
        source=entry.name,
        cue_start=min(cue_start, ss),
        cue_end=max(cue_end, se),
        source_start=ss,
        source_end=se,
        unnamed=entry.unnamed,
        official=entry.official,
    )


def _signatures(doc: Doc) -> None:
    """Attribute an embedded post (lines in another language above a "— Name (@handle)" line) to its author."""
    lex = _lexicon()
    for m in lex.signature.finditer(doc.text):
        sig = doc.sentence_at(m.start("name"))
        if sig is None:
            continue
        name = f"{m.group('name').strip()} ({m.group('handle')})"
        found = resolve_source(doc, m.start("name"), m.end("handle"))
        source = found[0].name if found else name
        att = Attribution(source, m.start(), m.end(), m.start("name"), m.end("handle"))
        sig.attribution = att
        above = [s for s in doc.sentences if s.end <= sig.start]
        block: list[Sentence] = []
        for s in reversed(above):
            if s.lang == doc.lang and block:
                break
            if s.lang == doc.lang:
                block.append(s)  # a same-language post: only the line right above
                break
            block.append(s)
        for s in block:
            s.attribution = Attribution(source, att.cue_start, att.cue_end, att.source_start, att.source_end)


def _hedge(doc: Doc, sent: Sentence) -> None:
    lex = _lexicon()
    lang = sent.lang or doc.lang or "en"
    fs, fe = _folded(doc, sent.start, sent.end)
    masked = sent.quantity_spans + [(h.start, h.end) for h in lex.not_hedges.finditer(doc.folded, fs, fe)
                                    if h.lang == lang]  # fmt: skip
    for cls in ("denied", "unconfirmed", "hedged"):
        hits = [
            h
            for h in lex.hedges[cls].finditer(doc.folded, fs, fe)
            if h.lang == lang and not any(s <= h.start < e for s, e in masked)
        ]
        if hits:
            sent.hedge = Hedge(cls)
            sent.hedge_spans = [(h.start, h.end) for h in hits]
            sent.denied = cls == "denied"
            return
    att = sent.attribution
    if att is None or att.source is None:
        sent.hedge = Hedge.CONFIRMED
    elif att.unnamed:
        sent.hedge = Hedge.HEDGED
    else:
        sent.hedge = Hedge.ATTRIBUTED


def attribute(doc: Doc) -> None:
    """Fill each sentence's attribution and hedge. Run after quantities (their spans mask hedge cues)."""
    for sent in doc.sentences:
        sent.attribution = _attribution_for(doc, sent)
    _signatures(doc)
    # "the group said", "the ministry said": a lower-case speaker refers back to the last named one.
    last_named: Attribution | None = None
    for sent in doc.sentences:
        att = sent.attribution
        if att is not None and att.source is not None and att.source[:1].islower() and last_named is not None:
            sent.attribution = Attribution(last_named.source, att.cue_start, att.cue_end, att.source_start,
                                           att.source_end, last_named.unnamed, last_named.official)  # fmt: skip
        elif att is not None and att.source is not None and not att.source[:1].islower():
            last_named = att
    previous: Attribution | None = None
    paragraph = -1
    for sent in doc.sentences:
        if sent.paragraph != paragraph:
            previous, paragraph = None, sent.paragraph
        if sent.attribution is None and previous is not None:
            sent.attribution = Attribution(
                previous.source, previous.cue_start, previous.cue_end, previous.source_start, previous.source_end,
                previous.unnamed, previous.official, inherited=True, chain=list(previous.chain),
            )  # fmt: skip
        previous = sent.attribution or previous
        _hedge(doc, sent)
        att = sent.attribution
        if att is not None and att.inherited and sent.hedge == Hedge.HEDGED and sent.hedge_spans and not att.unnamed:
            lex = _lexicon()
            hs, he = sent.hedge_spans[0]
            outer = att.chain or [att.source] if att.source else []
            sent.attribution = Attribution(lex.hedge_source, hs, he, None, None, unnamed=True,
                                           chain=[*outer, lex.hedge_source])  # fmt: skip
