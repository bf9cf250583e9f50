"""Place mentions resolved against the gazetteer, preferring the report's focus country.

A name that is both a governorate and its seat ("Idlib") is the governorate when the text says so ("province
of Idlib", "western Idlib", "ريف إدلب"), else the town. A capital that is the subject of a speech or labelling
verb ("Damascus has labeled", "Paris said") names a government, not a place (metonymy).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import cache
from typing import Any

from eventwatch.extract.doc import Doc, PlaceMention
from eventwatch.extract.lexicon import PhraseMatcher, capitalised_at, fold, load_yaml, per_lang
from eventwatch.model import Place
from eventwatch.resolve.gazetteer import GazEntry, gazetteer

_ADMIN_BEFORE = re.compile(
    r"(?:province|governorate|region|countryside|rural|north|south|east|west|northern|southern|eastern|"
    r"western|northwestern|northeastern|southwestern|southeastern|central|gouvernorat|province de|région de|"
    r"campagne de|nord|sud|محافظة|ريف|شمال|جنوب|شرق|غرب|شمالي|جنوبي|شرقي|غربي)(?:\s+(?:of|d'|de|du))?\s*$"
)
_ADMIN_AFTER = re.compile(r"^\s*(?:province|governorate|countryside|region|state)\b")


@cache
def _speech_verbs() -> PhraseMatcher:
    att: dict[str, Any] = load_yaml("attribution.yaml")
    return PhraseMatcher(per_lang(att["speech_verbs"]))


@cache
def _adverbs() -> frozenset[str]:
    att: dict[str, Any] = load_yaml("attribution.yaml")
    return frozenset(fold(str(a)) for words in att["adverbs"].values() for a in words)


_ARTICLES = ("the ", "la ", "le ", "les ", "l'")


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
    """A capital followed (after auxiliaries/adverbs) by a speech verb stands for its government."""
    gaz = gazetteer()
    country = gaz.countries.get(entry.iso2)
    if country is None or fold(country.capital) != fold(entry.name) or entry.feature_code != "PPLC":
        return False
    rest = doc.text[end:sent_end]
    words = rest.split()
    skipped = 0
    for w in words:
        if fold(w.strip(",")) in _adverbs():
            skipped += len(w) + 1
            continue
        break
    fs, fe = _folded(doc, end, min(sent_end, end + len(rest) - len(rest.lstrip()) + skipped + 30))
    return any(
        h.start - end <= skipped + 2 + (len(rest) - len(rest.lstrip()))
        for h in _speech_verbs().finditer(doc.folded, fs, fe)
    )


def _choose(doc: Doc, cands: list[GazEntry], start: int, end: int, focus: str | None) -> GazEntry:
    if focus is not None and any(c.iso2 == focus for c in cands):
        cands = [c for c in cands if c.iso2 == focus]
    towns = [c for c in cands if c.feature_class == "P"]
    admins = [c for c in cands if c.feature_class != "P"]
    if towns and admins:
        before = fold(doc.text[max(0, start - 30) : start])
        after = fold(doc.text[end : end + 20])
        named_as_area = _ADMIN_BEFORE.search(before) or _ADMIN_AFTER.match(after)
        return admins[0] if named_as_area else towns[0]
    return cands[0]


def find_places(doc: Doc) -> None:
    gaz = gazetteer()
    doc.focus_country = focus_country(doc)
    for sent in doc.sentences:
        fs, fe = _folded(doc, sent.start, sent.end)
        for hit in gaz.matcher.finditer(doc.folded, fs, fe):
            if hit.lang != "ar" and not _name_capitalised(doc, hit.start):
                continue
            cands = gaz.entries.get(hit.key, [])
            if not cands:
                continue
            entry = _choose(doc, cands, hit.start, hit.end, doc.focus_country)
            place = Place(
                name=entry.name,
                country=entry.country,
                iso=entry.iso2,
                admin1=entry.admin1,
                admin2=entry.admin2,
                latitude=entry.latitude,
                longitude=entry.longitude,
                geo_precision=entry.precision,
                gazetteer_id=entry.id,
                span=doc.span(hit.start, hit.end),
            )
            sent.places.append(PlaceMention(hit.start, hit.end, place, _metonymy(doc, entry, hit.end, sent.end),
                                            len(cands)))  # fmt: skip
