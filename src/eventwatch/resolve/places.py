"""Place mentions resolved in context against the gazetteer.

Two kinds of mention: names of the curated layer (matched anywhere, capitalised), and any other GeoNames name
standing right after a locative cue ("in Saraqib", "à Maaret", "في سراقب") — every capitalised word is a village
somewhere, so an uncurated name needs that cue. Each mention's candidates are ranked by: the report's focus
country, the admin areas the report names ("Harem, a city in western Idlib" → the Harim in Idlib), distance to
the report's other places, the curated layer, and population as the tiebreak.

A name that is both an admin area and its seat ("Idlib") is the area when the text says so ("province of
Idlib", "western Idlib", "ريف إدلب"), else the town. "near X", "the outskirts of X", "12 km north of X" give
ACLED geo precision 2 (near a town); a town 1; an admin area or curated region 3. A capital that is the subject
of a speech or decision verb ("Damascus has labeled", "Paris said", "Moscow warned") names its government, not a
place (metonymy).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from eventwatch.extract.doc import Doc, PlaceMention, Sentence
from eventwatch.extract.lexicon import PhraseMatcher, capitalised_at, fold, load_yaml, per_lang
from eventwatch.model import Place
from eventwatch.resolve.gazetteer import GazEntry, candidates, gazetteer
from eventwatch.resolve.names import is_arabic, skeleton


@dataclass(frozen=True, slots=True)
class _Cues:
    area_before: re.Pattern[str]
    area_after: re.Pattern[str]
    near_before: re.Pattern[str]
    countryside_before: re.Pattern[str]
    distance_before: re.Pattern[str]
    locative_before: re.Pattern[str]
    metonymy_verbs: PhraseMatcher
    metonymy_skip: frozenset[str]


def _ending(phrases: list[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(fold(p)) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(r"(?:^|[\s(,'\"-])(?:" + alts + r")\s*$")


@cache
def _cues() -> _Cues:
    data: dict[str, Any] = load_yaml("places.yaml")
    att: dict[str, Any] = load_yaml("attribution.yaml")
    after = "|".join(re.escape(fold(str(p))) for p in data["area_after"])

    def flat(key: str) -> list[str]:
        return [str(p) for ps in data[key].values() for p in ps]

    verbs = per_lang(data["metonymy_verbs"]) + per_lang(att["speech_verbs"])
    return _Cues(
        area_before=_ending(
            [str(p) + suffix for p in data["area_before"] for suffix in ("", " of", " d'", " de", " du")]
        ),
        area_after=re.compile(r"^\s*(?:" + after + r")\b"),
        near_before=_ending(flat("near_before")),
        countryside_before=_ending(flat("countryside_before")),
        distance_before=re.compile(str(data["distance_before"])),
        locative_before=_ending(flat("locative_before")),
        metonymy_verbs=PhraseMatcher(verbs),
        metonymy_skip=frozenset(fold(str(w)) for w in data["metonymy_skip"]),
    )


_ARTICLES = ("the ", "la ", "le ", "les ", "l'")
_LOWER_INSIDE = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ez", "es", "ed", "de", "des",
                           "du", "la", "le", "les", "bin", "ibn", "abu", "um"})  # fmt: skip
_MAX_TOKENS = 6


def _name_capitalised(doc: Doc, start: int) -> bool:
    """Latin-script names are capitalised; a leading article ("the Syrian coast") is skipped."""
    rest = doc.text[start : start + 5].lower()
    for art in _ARTICLES:
        if rest.startswith(art):
            return capitalised_at(doc.text, start + len(art))
    return capitalised_at(doc.text, start)


def _folded(doc: Doc, start: int, end: int) -> tuple[int, int]:
    starts = doc.folded.starts
    if starts is None:
        return start, end
    return bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)


def focus_country(doc: Doc) -> str | None:
    """The country the report is about: most place, country-name and demonym mentions."""
    gaz = gazetteer()
    votes: Counter[str] = Counter()
    for hit in gaz.country_matcher.finditer(doc.folded):
        iso = gaz.country_of.get(hit.key)
        if (iso and capitalised_at(doc.text, hit.start)) or (iso and hit.lang == "ar"):
            votes[iso] += 1
    for hit in gaz.matcher.finditer(doc.folded):
        if hit.lang != "ar" and not _name_capitalised(doc, hit.start):
            continue
        isos = {e.iso2 for e in gaz.entries.get(hit.key, [])}
        if len(isos) == 1:
            votes[isos.pop()] += 2  # a named place says more than a demonym
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def _metonymy(doc: Doc, entry: GazEntry, end: int, sent_end: int) -> bool:
    """A capital followed (after auxiliaries/adverbs) by a speech or decision verb stands for its government."""
    if entry.feature_code != "PPLC":
        return False
    cues = _cues()
    pos = end
    for m in re.finditer(r"\S+", doc.text[end:sent_end]):
        if fold(m.group(0).strip(",")) in cues.metonymy_skip:
            pos = end + m.end()
            continue
        break
    fs, fe = _folded(doc, end, min(sent_end, pos + 40))
    # The verb may start inside the skipped words ("has accused" is one phrase) or right after them.
    return any(
        h.start <= pos or doc.text[pos : h.start].strip(" ,") == ""
        for h in cues.metonymy_verbs.finditer(doc.folded, fs, fe)
    )


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    cands: list[GazEntry]
    sent: Sentence


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _geonames_mentions(doc: Doc, sent: Sentence, taken: list[tuple[int, int]], focus: str | None) -> list[_Mention]:
    """Uncurated GeoNames names right after a locative cue, longest name first."""
    cues = _cues()
    f = doc.folded
    fs, fe = _folded(doc, sent.start, sent.end)
    lo, hi = bisect.bisect_left(f.tok_start, fs), bisect.bisect_left(f.tok_start, fe)
    # Whether each token may continue a multi-word name, computed once per token: a name of tokens i..j needs
    # every token after i to continue, so its longest candidate end is found in one pass, not re-checked per j.
    cont = [_continues_at(doc, t) for t in range(lo, hi)]
    out: list[_Mention] = []
    i = lo
    while i < hi:
        s0, _ = f.orig(f.tok_start[i], f.tok_end[i])
        tok = f.tok_text[i]
        arabic = is_arabic(tok)
        if not tok[0].isalpha() or _covered(taken, s0, s0 + 1) or (not arabic and not capitalised_at(doc.text, s0)):
            i += 1
            continue
        reach = i
        while reach + 1 < min(hi, i + _MAX_TOKENS) and cont[reach + 1 - lo]:
            reach += 1
        capital_only: bool | None = None  # decided at the first candidate: most starts have none
        found: _Mention | None = None
        for j in range(reach, i - 1, -1):
            if not f.tok_text[j][0].isalpha():
                continue
            start, end = f.orig(f.tok_start[i], f.tok_end[j])
            if _covered(taken, start, end):
                continue
            cands = [c for c in candidates(doc.text[start:end]) if _plausible(c, focus, arabic)]
            if cands and capital_only is None:
                before = fold(doc.text[max(sent.start, s0 - 40) : s0])
                # Without a locative cue only a capital is taken ("Moscow warned"): metonymy needs to see it.
                capital_only = not cues.locative_before.search(before) and not cues.distance_before.search(before)
            if capital_only:
                cands = [c for c in cands if c.feature_code == "PPLC" and c.population >= 100_000]
            if cands:
                found = _Mention(start, end, cands, sent)
                i = j
                break
        if found is not None:
            out.append(found)
        i += 1
    return out


def _continues_at(doc: Doc, t: int) -> bool:
    """Whether token ``t`` can follow the first token of a multi-word Latin name: capitalised, a name particle or
    a hyphen (Arabic has no case, so any Arabic token can)."""
    f = doc.folded
    tok = f.tok_text[t]
    if is_arabic(tok) or tok in ("-", "'") or tok in _LOWER_INSIDE:
        return True
    return tok[0].isalpha() and capitalised_at(doc.text, f.orig(f.tok_start[t], f.tok_end[t])[0])


def _plausible(c: GazEntry, focus: str | None, arabic: bool) -> bool:
    """Outside the focus country only places big enough to be reported on by name alone."""
    if c.iso2 == focus or c.curated:
        return True
    return c.population >= (50_000 if arabic or focus is not None else 15_000)


def _km(a: GazEntry, b: GazEntry) -> float:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return math.inf
    x = math.radians(b.longitude - a.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return 6371.0 * math.hypot(x, math.radians(b.latitude - a.latitude))


def _score(c: GazEntry, focus: str | None, admins: set[str], anchors: list[GazEntry]) -> float:
    s = 0.0
    if focus is not None and c.iso2 == focus:
        s += 8
    if c.admin1 and skeleton(c.admin1) in admins:
        s += 4
    if any(a.id != c.id and _km(a, c) < 150 for a in anchors):
        s += 3
    if c.curated:
        s += 2
    return s + math.log10(c.population + 1) / 2


def _choose(doc: Doc, m: _Mention, focus: str | None, admins: set[str], anchors: list[GazEntry]) -> GazEntry:
    cues = _cues()
    towns = [c for c in m.cands if c.feature_class == "P"]
    areas = [c for c in m.cands if c.feature_class != "P"]
    pool = m.cands
    if towns and areas:
        before = fold(doc.text[max(0, m.start - 30) : m.start])
        after = fold(doc.text[m.end : m.end + 20])
        named_as_area = cues.area_before.search(before) or cues.area_after.match(after)
        if named_as_area:
            district = after.lstrip().startswith(("district", "mintaqa", "منطقة"))
            pool = [c for c in areas if (c.feature_code == "ADM2") == district] or areas
        else:
            pool = towns
    return max(pool, key=lambda c: (_score(c, focus, admins, anchors), c.feature_code == "ADM1"))


def find_places(doc: Doc) -> None:
    gaz = gazetteer()
    focus = focus_country(doc)
    doc.focus_country = focus
    mentions: list[_Mention] = []
    for sent in doc.sentences:
        fs, fe = _folded(doc, sent.start, sent.end)
        taken = [(a.start, a.end) for a in sent.actors] + [(t.start, t.end) for t in sent.times]
        for hit in gaz.country_matcher.finditer(doc.folded, fs, fe):
            taken.append((hit.start, hit.end))
        for hit in gaz.matcher.finditer(doc.folded, fs, fe):
            cands = candidates(doc.text[hit.start : hit.end]) or gaz.entries.get(hit.key, [])
            if not cands:
                continue
            # A curated region's name may open with a lower-case word ("northwestern Syria", "the Sahel").
            regional = all(c.feature_class == "R" for c in cands)
            if hit.lang != "ar" and not regional and not _name_capitalised(doc, hit.start):
                continue
            mentions.append(_Mention(hit.start, hit.end, list(cands), sent))
        spans = taken + [(m.start, m.end) for m in mentions if m.sent is sent]
        mentions += _geonames_mentions(doc, sent, spans, focus)
    # Context for ranking: the admin areas the report names and the places that can mean only one thing.
    admins: set[str] = set()
    anchors: list[GazEntry] = []
    for m in mentions:
        in_focus = [c for c in m.cands if c.iso2 == focus] or m.cands
        if len({c.admin1 for c in in_focus}) == 1 and in_focus[0].admin1:
            admins.add(skeleton(in_focus[0].admin1))
        if len(in_focus) == 1:
            anchors.append(in_focus[0])
    cues = _cues()
    for m in sorted(mentions, key=lambda m: m.start):
        entry = _choose(doc, m, focus, admins, anchors)
        precision = entry.precision
        if entry.feature_class == "P":
            before = fold(doc.text[max(m.sent.start, m.start - 40) : m.start])
            if cues.near_before.search(before) or cues.distance_before.search(before):
                precision = 2
        if entry.feature_class != "R":
            # "the countryside of Hama", "ريف إدلب": part of the area around a town or governorate (ACLED 2).
            before = fold(doc.text[max(m.sent.start, m.start - 40) : m.start])
            head = fold(doc.text[m.start : m.end]).split(" ")[0] + " "  # the gazetteer's own "ريف إدلب"
            if cues.countryside_before.search(before) or cues.countryside_before.search(head):
                precision = 2
        place = Place(
            name=entry.name,
            country=entry.country,
            iso=entry.iso2,
            admin1=entry.admin1,
            admin2=entry.admin2,
            latitude=entry.latitude,
            longitude=entry.longitude,
            geo_precision=precision,
            gazetteer_id=entry.id,
            span=doc.span(m.start, m.end),
        )
        att = m.sent.attribution
        # "Ankara warned ...": a capital that is a sentence's named source speaks for its government.
        speaks = att is not None and att.source_start is not None
        speaks = speaks and att is not None and (att.source_start or 0) <= m.start < (att.source_end or 0)
        metonymy = (speaks and entry.feature_code == "PPLC") or _metonymy(doc, entry, m.end, m.sent.end)
        m.sent.places.append(PlaceMention(m.start, m.end, place, metonymy, len(m.cands)))
