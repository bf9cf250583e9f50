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
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from rapidfuzz import fuzz

from eventwatch.extract.doc import Doc, PlaceMention, Sentence
from eventwatch.extract.lexicon import PhraseMatcher, capitalised_at, fold, load_yaml, per_lang
from eventwatch.extract.toponyms import PERSON_LABELS, PLACE_LABELS
from eventwatch.model import Place
from eventwatch.resolve.coding import mined_candidates
from eventwatch.resolve.gazetteer import GazEntry, candidates, gazetteer
from eventwatch.resolve.geoindex import admin_points, area_core, is_exact
from eventwatch.resolve.names import is_arabic, name_key, skeleton


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
    landmark_after: re.Pattern[str]
    feature_after: re.Pattern[str]
    modifier_end: re.Pattern[str]


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
        landmark_after=re.compile(
            r"^\s+(?:" + "|".join(re.escape(fold(str(w))) for w in data["landmark_after"]) + r")\b"
        ),
        feature_after=re.compile(
            r"^\s+(?:" + "|".join(re.escape(fold(str(w))) for w in data["feature_after"]) + r")\b"
        ),
        modifier_end=re.compile(
            r"\s(?:" + "|".join(re.escape(fold(str(w))) for w in data["locative_modifiers"]) + r")\s*$"
        ),
    )


# A name may open with a lower-case article: "the Syrian coast", "in al-Hasakeh", "near ad-Dali".
_ARTICLES = ("the ", "la ", "le ", "les ", "l'", "al-", "el-", "ad-", "ar-", "as-", "ash-", "at-", "az-", "an-")
_LOWER_INSIDE = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ez", "es", "ed", "de", "des",
                           "du", "la", "le", "les", "bin", "ibn", "abu", "um",
                           "da", "do", "dos", "das", "del", "los", "las", "au", "aux", "sur"})  # fmt: skip
_MAX_TOKENS = 6


_ARABIC_ARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an)-(?=[A-Z])")


def _opens_name(text: str, start: int) -> bool:
    """Whether a Latin-script token may open a name: capitalised, or a lower-case Arabic article on a capitalised
    name ("in al-Hasakeh", "near ad-Dali")."""
    return capitalised_at(text, start) or _ARABIC_ARTICLE.match(text, start) is not None


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
    """The country the report is about: most admin-area, place, country-name and demonym mentions, and the home
    countries of the actors it names (weak votes: M23, JNIM and a state's forces may fight abroad). Also sets
    ``doc.focus_span``, the first mention that voted for it (what a country filled from the focus cites)."""
    gaz = gazetteer()
    votes: dict[str, float] = {}
    first: dict[str, tuple[int, int]] = {}

    def vote(iso: str, n: float, start: int, end: int) -> None:
        votes[iso] = votes.get(iso, 0.0) + n
        if iso not in first or start < first[iso][0]:
            first[iso] = (start, end)

    for area_iso, n, start, end in _area_votes(doc):
        vote(area_iso, n, start, end)
    for place_iso, n, start, end in _cued_place_votes(doc):
        vote(place_iso, n, start, end)
    cues = _cues()
    for hit in gaz.country_matcher.finditer(doc.folded):
        iso = gaz.country_of.get(hit.key)
        if iso and hit.lang != "ar" and _head_of_longer(doc, hit.end, _taken_at(doc, hit.start)):
            # The head of another name: a namesake ("Mali Zvornik") or the country's organisation ("Kenya
            # Defence Forces"), as much as a demonym.
            if capitalised_at(doc.text, hit.start):
                vote(iso, 1, hit.start, hit.end)
            continue
        if (iso and capitalised_at(doc.text, hit.start)) or (iso and hit.lang == "ar"):
            # "in Iraq", "northern Iraq" place the story; the country's own name without such a cue ("US dollar",
            # "Turkey's bombs", "the Kenya-Somalia border") says a little more than a demonym ("Turkish forces"
            # fight abroad), which says about as much as an actor's home country.
            named = any(c.feature_code == "PCLI" for c in candidates(doc.text[hit.start : hit.end]))
            before = fold(doc.text[max(0, hit.start - 24) : hit.start])
            placed = named and (cues.locative_before.search(before) or cues.area_before.search(before))
            # A name running into a lower-case word modifies a noun ("the US dollar exchange rate", "a US-led
            # coalition") or, as the subject of a verb, stands for its government ("Iraq said"): it names a party
            # or a thing, not where events are, and says no more than a demonym.
            runs_on = _RUNS_ON_LOWER.match(doc.text, hit.end) is not None
            vote(iso, 3 if placed else 1 if runs_on or not named else 1.5, hit.start, hit.end)
    for hit in gaz.matcher.finditer(doc.folded):
        if hit.lang != "ar" and not _name_capitalised(doc, hit.start):
            continue
        at = doc.sentence_at(hit.start)
        if hit.lang != "ar" and at is not None and _inside_longer_name(doc, at.start, hit.start):
            continue
        isos = {e.iso2 for e in gaz.entries.get(hit.key, [])}
        if len(isos) == 1:
            vote(isos.pop(), 2, hit.start, hit.end)  # a named place says more than a demonym
    # Counted last, so that a place or country name, not an actor, is the span a country filled from the focus
    # cites. Armed groups cross borders (IS, JNIM): a weak vote, for the country where ACLED codes the name most
    # (learned: "IS" → Iraq, "JNIM" → Burkina Faso) over the curated home; a state's forces fight abroad too,
    # so theirs only decides where nothing else is named ("FARDC forces regained their base").
    for sent in doc.sentences:
        mined = [c for c in mined_candidates(doc, sent, None, None, None)
                 if c.home and c.kind in ("state", "armed") and _named_vote(doc, c.start, c.end)]  # fmt: skip
        for a in sent.actors:
            if a.home and not a.generic:
                learned = next((c.home for c in mined if c.home and c.start < a.end and a.start < c.end), None)
                vote(learned or a.home, 0.25 if a.state else 0.5, a.start, a.end)
        for c in mined:
            if c.home and not any(a.start < c.end and c.start < a.end for a in sent.actors if not a.generic):
                vote(c.home, 0.25 if c.kind == "state" else 0.5, c.start, c.end)
    if not votes:
        doc.focus_span = None
        return None
    iso = max(votes, key=lambda k: (votes[k], -first[k][0]))  # ties: the country named first
    doc.focus_span = first[iso]
    return iso


_RUNS_ON_LOWER = re.compile(r"[ -][a-z]{2,}")
_SHARED_MAX = 4  # a cued name places share among more countries says nothing of the report's
# GeoNames lacks most villages, so a small place of one country is often a namesake of the one meant: it votes
# less than an armed group's home (0.5) or a demonym (1); a name a few countries share, less still.
_SMALL_VOTE = 0.4
_SHARED_VOTE = 0.3
_DOMINANT = 0.9  # the share of a shared name's weight at which its prominent namesake is the place meant


def _cued_place_votes(doc: Doc) -> list[tuple[str, float, int, int]]:
    """Places the text names after a locative cue ("in Zouq Mosbeh", "near Naberezhne", "the village of
    Banguiti"), each a vote for the countries it can be in, however small: a name of one country votes 2 (as a
    curated place) if it is prominent, else :data:`_SMALL_VOTE`; a name a few countries share splits
    :data:`_SHARED_VOTE` among them by where ACLED codes events and how prominent each namesake is (what decides
    a report that names nothing else: "near Naberezhne" is Ukraine's). Loose spellings, the
    curated layer (voted already) and names inside actors or dates do not vote."""
    gaz = gazetteer()
    prior = _country_shares()
    out: list[tuple[str, float, int, int]] = []
    for sent in doc.sentences:
        fs, fe = _folded(doc, sent.start, sent.end)
        taken = [(a.start, a.end) for a in sent.actors] + [(t.start, t.end) for t in sent.times]
        taken += [(h.start, h.end) for h in gaz.country_matcher.finditer(doc.folded, fs, fe)]
        taken += [(h.start, h.end) for h in gaz.matcher.finditer(doc.folded, fs, fe)]
        for m in _geonames_mentions(doc, sent, taken, None, everywhere=True):
            if not is_exact(doc.text[m.start : m.end]):
                continue
            best: dict[str, float] = {}
            for c in m.cands:
                # A third-level area of the index is one where ACLED codes events (admin_points.tsv).
                prominence = max(_prominence(c), 2.0 if c.feature_code == "ADM3" else 0.0)
                best[c.iso2] = max(best.get(c.iso2, 0.0), prominence)
            if len(best) == 1:
                iso = next(iter(best))
                out.append((iso, 2.0 if any(_prominent(c) for c in m.cands) else _SMALL_VOTE, m.start, m.end))
            elif len(best) <= _SHARED_MAX:
                # P(country | name) ~ how often ACLED codes there x how prominent the name's place there is.
                weights = {iso: (prior.get(iso, 0.0) + 0.005) * 10 ** best[iso] for iso in sorted(best)}
                total = sum(weights.values())
                top = max(weights, key=lambda iso: (weights[iso], iso))
                if weights[top] >= _DOMINANT * total and any(_prominent(c) for c in m.cands if c.iso2 == top):
                    # A capital or a city with hamlets for namesakes ("in Kabul": not Cabool, Missouri) is that
                    # city, as a name of one country is.
                    out.append((top, 2.0, m.start, m.end))
                    continue
                out += [(iso, _SHARED_VOTE * w / total, m.start, m.end) for iso, w in weights.items()]
    return out


@cache
def _country_shares() -> dict[str, float]:
    """ISO2 → the share of ACLED's training events coded in the country (``admin_points.tsv``'s row counts)."""
    rows: dict[str, int] = {}
    for r in admin_points():
        if not r["admin3"]:
            rows[r["iso2"]] = rows.get(r["iso2"], 0) + int(r["rows"])
    total = sum(rows.values()) or 1
    return {iso: n / total for iso, n in rows.items()}


def _taken_at(doc: Doc, pos: int) -> list[tuple[int, int]]:
    """The actor and date spans of the sentence at ``pos``."""
    sent = doc.sentence_at(pos)
    if sent is None:
        return []
    return [(a.start, a.end) for a in sent.actors] + [(t.start, t.end) for t in sent.times]


def _named_vote(doc: Doc, start: int, end: int) -> bool:
    """Whether a learned actor mention is a name that can vote for a country: not a letter or two ("N", "T" in
    "N. Main St"), not a common word the text also writes in lower case ("Citizen", "Responding", "Black")."""
    text = doc.text[start:end]
    if len(text.replace(".", "").strip()) < 2:
        return False
    return text.isupper() or re.search(rf"(?<![\w-]){re.escape(text.lower())}(?![\w-])", doc.text) is None


def _area_votes(doc: Doc) -> list[tuple[str, float, int, int]]:
    """Admin areas the text names, each a vote for its country: "(Macomia, Cabo Delgado)", "Borno state", "in
    the Saladin province". Reports rarely name their country, but nearly always an admin area; a name counts
    when every area it can be lies in one country and no big place abroad shares it ("Amara" is Ethiopia's
    Amhara and an Iraqi city). A first-level area votes 2 (3 in a parenthetical or with its kind: "Borno
    state"), a district 1 (2): more than a demonym or an actor's home, as much as a curated place."""
    cues = _cues()
    gaz = gazetteer()
    f = doc.folded
    out: list[tuple[str, float, int, int]] = []
    for sent in doc.sentences:
        taken = [(a.start, a.end) for a in sent.actors] + [(t.start, t.end) for t in sent.times]
        fs, fe = _folded(doc, sent.start, sent.end)
        lo, hi = bisect.bisect_left(f.tok_start, fs), bisect.bisect_left(f.tok_start, fe)
        i = lo
        while i < hi:
            tok = f.tok_text[i]
            s0, _ = f.orig(f.tok_start[i], f.tok_end[i])
            arabic = is_arabic(tok)
            if not tok[0].isalpha() or (not arabic and not _opens_name(doc.text, s0)) or _covered(taken, s0, s0 + 1):
                i += 1
                continue
            reach = i
            while reach + 1 < min(hi, i + 4) and _continues_at(doc, reach + 1):
                reach += 1
            hit: tuple[str, float, int, int, int] | None = None
            for j in range(reach, i - 1, -1):
                if not f.tok_text[j][0].isalpha():
                    continue
                start, end = f.orig(f.tok_start[i], f.tok_end[j])
                name = doc.text[start:end]
                if len(name_key(name)) <= 3 or _mid_compound(doc, start, end) or not is_exact(name):
                    continue
                if fold(name) in gaz.country_of:
                    continue  # "Somali forces": a demonym (or a country), not Ethiopia's Somali region
                every = candidates(name)
                before = fold(doc.text[max(sent.start, start - 24) : start])
                after = fold(doc.text[end : end + 20])
                cued = bool(
                    _INSIDE_PAREN.search(doc.text[max(sent.start, start - 80) : start])
                    or cues.area_after.match(after)
                    or cues.area_before.search(before)
                    or _chained(doc, sent.start, start)
                )
                areas = [c for c in every if c.feature_code in ("ADM1", "ADM2") and name_key(c.name) == name_key(name)]
                if not areas and cued:
                    # Cued, a district counts under its bare name too ("..., Rutshuru" for "Rutshuru Territory",
                    # ACLED's third-level areas); uncued, "Orange" is no vote for Orange County.
                    areas = [c for c in every if c.feature_code in ("ADM1", "ADM2", "ADM3")
                             and name_key(area_core(c.name)) == name_key(name)]  # fmt: skip
                areas = areas or [c for c in every if c.feature_code == "ADM1"]
                isos = {c.iso2 for c in areas}
                if len(isos) != 1:
                    continue
                iso = next(iter(isos))
                if any(c.iso2 != iso and (_prominent(c) or c.feature_class == "A") for c in every):
                    continue
                if not cued and any(c.iso2 != iso for c in every):
                    continue  # a name places share abroad ("Troy", "Monte Carlo") says its country only with a cue
                first = any(c.feature_code == "ADM1" for c in areas)
                hit = (iso, (2.0 if first else 1.0) + cued, start, end, j)
                break
            if hit is None:
                # No area is the whole run nor its start: a word inside it is no area either ("Baton Rouge" is
                # not Estonia's Rouge, "Charles Village" not Saint Lucia's Village, "Michael Smith" not Michael).
                i = reach + 1
                continue
            out.append(hit[:4])
            i = hit[4] + 1
    return out


def _metonymy(doc: Doc, entry: GazEntry, end: int, sent_end: int) -> bool:
    """A capital or a country followed (after auxiliaries/adverbs) by a speech or decision verb stands for its
    government ("Damascus has labeled", "Turkey said")."""
    if entry.feature_code not in ("PPLC", "PCLI"):
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
    admins: frozenset[str] = frozenset()  # admin areas a parenthetical after it names: "Town (Admin, Admin)"
    qualifier: bool = False  # the parenthetical admin area of the place before it: not the event's location
    fallback: bool = False  # a parenthetical admin area after a town the gazetteer lacks
    metonymic: bool = False  # known to name a government already (a country that is an event's actor)
    chained: bool = False  # "Village, Admin": an admin area after a comma that holds the place before it


# "Town (Admin)", "Town (Admin, Region)": the parenthetical right after a name, and the text before a name inside one.
_PAREN_AFTER = re.compile(r"[ \t]*\(([^()\n]{1,80})\)")
_INSIDE_PAREN = re.compile(r"\w[ \t]*\((?:[^()\n]*,\s*)?$")
_ARTICLE_PREFIX = re.compile(r"(?:^|(?<=[\s(]))(?:[Aa][lsdtrnz]h?|[Ee][lsz])-$")


def _paren_names(doc: Doc, end: int) -> tuple[str, ...]:
    """The comma-separated capitalised names of a parenthetical right after ``end`` ("Niono (Segou)")."""
    m = _PAREN_AFTER.match(doc.text, end)
    if m is None:
        return ()
    names = tuple(n.strip() for n in m.group(1).split(","))
    if not names or not all(n and (n[0].isupper() or is_arabic(n)) and not n[0].isdigit() for n in names):
        return ()
    if len(names) == 1 and _ACRONYM.fullmatch(names[0]):
        return ()  # "Amethi (UP)", "Boko Haram (JAS)": an abbreviation names no admin area the index knows
    return names


@lru_cache(maxsize=4096)
def _admin_keys(names: tuple[str, ...]) -> frozenset[str]:
    """Skeletons of the admin areas some names denote (the names themselves, and what the gazetteer files their
    admin areas under: "Nord-Kivu" → "Nord-Kivu", "Donetsk" → "Donetska oblast")."""
    keys: set[str] = set()
    for n in names:
        keys.add(skeleton(n))
        for c in candidates(n)[:12]:
            if c.feature_class == "A" or skeleton(c.name) == skeleton(n):
                keys.update(skeleton(a) for a in (c.admin1, c.admin2) if a)
    keys.discard("")
    return frozenset(keys)


@lru_cache(maxsize=4096)
def _countries_of(names: tuple[str, ...]) -> frozenset[str]:
    """The countries where some names (a parenthetical's admin areas) lie."""
    return frozenset(c.iso2 for n in names for c in candidates(n)[:12] if c.feature_class in ("A", "P"))


def _in_admin(c: GazEntry, keys: frozenset[str]) -> bool:
    for a in (c.admin1, c.admin2):
        if not a:
            continue
        k = skeleton(a)
        if k in keys or any(len(x) >= 4 and (k.startswith(x) or x.startswith(k)) for x in keys):
            return True
    return False


_PREV_WORD = re.compile(r"([A-Za-zÀ-ÖØ-öø-ÿ'’-]+)[ \t]+$")


@cache
def _name_openers() -> frozenset[str]:
    """Capitalised words that may stand before a place name inside one ("North Kivu", "Rural Damascus")."""
    data: dict[str, Any] = load_yaml("places.yaml")
    return frozenset(fold(str(w)) for w in data["name_openers"])


def _inside_longer_name(doc: Doc, sent_start: int, start: int) -> bool:
    """A place name right after a capitalised word of the same sentence is the tail of another name — an
    organisation or a person named after a place ("Boko Haram", "Mount Lebanon Hospital" is fine, but "Jaish
    al-Fatah Idlib" is not a place either)."""
    m = _PREV_WORD.search(doc.text, max(sent_start, start - 30), start)
    if m is None or m.start() <= sent_start:
        return False  # nothing before it, or the sentence's first word (capitalised anyway)
    word = m.group(1)
    return word[0].isupper() and fold(word) not in _name_openers() and fold(word) not in _LOWER_INSIDE


def _name_opened(doc: Doc, sent: Sentence, start: int) -> bool:
    """Whether the word before ``start`` may open a place name ("North Kivu", "Rural Damascus")."""
    m = _PREV_WORD.search(doc.text, max(sent.start, start - 30), start)
    return m is not None and fold(m.group(1)) in _name_openers()


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w'’]*)")


def _head_of_longer(doc: Doc, end: int, taken: list[tuple[int, int]]) -> bool:
    """Whether a Latin name runs on into a capitalised word that is neither a kind of place ("Sinjar District")
    nor a date or an actor of the sentence: the head of a longer name the gazetteer lacks ("Mali Zvornik" is no
    Mali, "Man War" no Man in Ivory Coast, "Niger Delta" no Niger)."""
    m = _NEXT_WORD.match(doc.text, end)
    if m is None or not m.group(1)[0].isupper() or _covered(taken, m.start(1), m.end(1)):
        return False
    word = m.group(1)
    if fold(word) in _LOWER_INSIDE:
        return False
    if re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", doc.text):
        return False  # a common word a title capitalises ("Turkey Says", "Aleppo Residents Flee")
    return not _cues().feature_after.match(" " + fold(doc.text[m.start(1) : m.start(1) + 24]))


def _mid_compound(doc: Doc, start: int, end: int) -> bool:
    """A span that starts or ends inside a hyphenated word ("Kivu" of "Nord-Kivu") is not a name of its own."""
    t = doc.text
    before = start >= 2 and t[start - 1] == "-" and t[start - 2].isalpha()
    after = end + 1 < len(t) and t[end] == "-" and t[end + 1].isalpha()
    return before or after


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _geonames_mentions(
    doc: Doc, sent: Sentence, taken: list[tuple[int, int]], focus: str | None, everywhere: bool = False
) -> list[_Mention]:
    """Uncurated GeoNames names right after a locative cue, longest name first. ``everywhere``: the places of
    every country a cued name can be in, however small (what the name says of the report's country), and no
    uncued name at all."""
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
        if not tok[0].isalpha() or _covered(taken, s0, s0 + 1) or (not arabic and not _opens_name(doc.text, s0)):
            i += 1
            continue
        if not arabic and _inside_longer_name(doc, sent.start, s0):
            i += 1  # "Haram" of "Boko Haram": the tail of another name
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
            if _covered(taken, start, end) or _mid_compound(doc, start, end):
                continue
            if not arabic and j < reach and _head_of_longer(doc, end, taken):
                continue  # "Man War": not Man
            name = doc.text[start:end]
            if not arabic and _acronym_gloss(doc, start, end):
                continue
            if not arabic and len(name_key(name)) <= 2:
                continue  # "As", "Al": a particle or an abbreviation far more often than a village
            every = candidates(name)
            cands = list(every) if everywhere else [c for c in every if _plausible(c, focus, arabic)]
            # "Niono (Segou)": a town followed by its admin area is meant there, however small it is.
            admins = _admin_keys(names) if every and (names := _paren_names(doc, end)) else frozenset()
            in_admin = [c for c in every if _in_admin(c, admins)] if admins else []
            if in_admin:
                cands, capital_only = in_admin, False
            elif admins and _countries_of(names).isdisjoint(c.iso2 for c in every):
                cands = every = []  # "Iba (Macomia, Cabo Delgado)": not Ibadan; the admin areas stand in for it
            label = _ner_label(doc, sent, start, end)
            if every and label in PLACE_LABELS:
                # NER calls it a place: no cue needed, and small places count ("Cottonport", "Rapides Parish").
                cands, capital_only = cands or every, False
            elif cands and capital_only is None:
                raw_before = doc.text[max(sent.start, s0 - 40) : s0]
                before = _ARTICLE_END.sub("", cues.modifier_end.sub(" ", fold(raw_before)))
                # Without a locative cue only a capital is taken ("Moscow warned"): metonymy needs to see it. A
                # name inside the parenthetical after a word ("... (Lubero, Nord-Kivu)") is an admin area; a
                # name followed by its kind ("Sinjar district", "Tudiri village") is a place.
                capital_only = (
                    not cues.locative_before.search(before)
                    and not _chained(doc, sent.start, s0)
                    and not cues.distance_before.search(before)
                    and not _INSIDE_PAREN.search(raw_before)
                    and not cues.feature_after.match(fold(doc.text[end : end + 24]))
                )
            if label == PART and not in_admin:
                continue  # a part of a longer name is not a place, even after a cue ("in Metro Manila")
            if capital_only and everywhere:
                cands = []
            elif capital_only:
                if label in PERSON_LABELS:
                    cands = []  # NER reads a person or an organisation ("Chad Johnson", "Boko Haram")
                elif not sent.entities:
                    # No NER here (Arabic, where names have no capital either): big places only, and abroad only
                    # a country or a capital — a common word that spells a foreign city ("ليل", night: Lille) is
                    # not one without a cue.
                    cands = [
                        c
                        for c in cands
                        if _prominent(c) and (focus is None or c.iso2 == focus or c.feature_code in ("PCLI", "PPLC"))
                    ]
                else:
                    cands = [c for c in cands if c.feature_code == "PPLC" and c.population >= 100_000]
            if cands:
                found = _Mention(start, end, cands, sent, admins if in_admin else frozenset())
                i = j
                break
        if found is not None:
            out.append(found)
        i += 1
    return out


# "Boko Haram (JAS)", "Arakan Army (AA)": an all-capitals word alone in parentheses after a name spells that
# name's acronym. Of the 2,084 such glosses in ACLED's training notes, none names the event's place.
_ACRONYM = re.compile(r"[A-Z][A-Z0-9.-]{1,7}")


def _acronym_gloss(doc: Doc, start: int, end: int) -> bool:
    return (
        doc.text[start - 1 : start] == "("
        and doc.text[end : end + 1] == ")"
        and bool(_ACRONYM.fullmatch(doc.text[start:end]))
        and doc.text[max(0, start - 3) : start - 1].strip()[-1:].isalpha()
    )


_ARTICLE_START = re.compile(r"^(?:al|el|as|ash|ad|an|ar|at|az|ath|adh|es|ez|ed|en|et)\s+")
_ARTICLE_END = re.compile(r"\s(?:the|la|le|les|l')\s*$")


@cache
def _chain_link() -> re.Pattern[str]:
    """One link of a comma-separated chain of names: "Barangay Dagohoy, ", "Mwalika village, ", "Bilar, " — a
    capitalised word, then capitalised words, name particles or kinds of place ("village", "district")."""
    data: dict[str, Any] = load_yaml("places.yaml")
    lower = sorted({str(w) for w in data["feature_after"]} | _LOWER_INSIDE, key=len, reverse=True)
    word = r"(?:[A-Z\u00c0-\u024f][\w'’.-]*|(?:" + "|".join(re.escape(w) for w in lower) + r")(?![\w-]))"
    return re.compile(r"(?<![\w'’.-])[A-Z\u00c0-\u024f][\w'’.-]*(?:[ \t]+" + word + r"){0,4}[ \t]*,[ \t]*$")


def _chained(doc: Doc, sent_start: int, start: int) -> bool:
    """A name continuing a comma-separated chain opened by a locative cue ("in Barangay Dagohoy, Bilar, Bohol",
    "in Mwalika, Nord-Kivu"): ACLED's notes write the place and then its admin areas, the cue only once."""
    cues = _cues()
    link = _chain_link()
    text = doc.text[max(sent_start, start - 160) : start]
    for _ in range(4):
        m = link.search(text)
        if m is None:
            return False
        text = text[: m.start()]
        before = _ARTICLE_END.sub("", cues.modifier_end.sub(" ", fold(text)))
        if cues.locative_before.search(before) or cues.distance_before.search(before):
            return True
    return False


PART = "PART"  # inside a longer entity: "Metro" of "Metro Manila", "Haram" of "Boko Haram"


def _ner_label(doc: Doc, sent: Sentence, start: int, end: int) -> str | None:
    """The label of the tightest NER entity covering [start, end), if any; :data:`PART` when that entity is a
    longer name of which the span is only a part ("the", or a kind of place after it — "Sinjar district" — do
    not make it longer)."""
    best: tuple[int, int, int, str] | None = None
    for a, b, label in sent.entities:
        if a <= start and end <= b and (best is None or b - a < best[0]):
            best = (b - a, a, b, label)
    if best is None:
        return None
    _, a, b, label = best
    head = fold(doc.text[a:start]).strip()
    tail = " " + fold(doc.text[end:b]).strip()
    if head in ("", "the", "la", "le", "les", "l'") and (tail == " " or _cues().feature_after.match(tail)):
        return label
    if doc.text[end:b].lstrip().startswith(",") or doc.text[a:start].rstrip().endswith(","):
        return None  # NER ran a list together ("Maungdaw, Rakhine" as one ORG): says nothing of this name
    return PART


def _prominent(c: GazEntry) -> bool:
    """Reported on by name alone: a country, a first-level area, a capital, a city of 100,000."""
    return c.feature_code in ("PCLI", "ADM1", "PPLC") or c.population >= 100_000


def _continues_at(doc: Doc, t: int) -> bool:
    """Whether token ``t`` can follow the first token of a multi-word Latin name: capitalised, a name particle or
    a hyphen (Arabic has no case, so any Arabic token can)."""
    f = doc.folded
    tok = f.tok_text[t]
    if is_arabic(tok) or tok in ("-", "'") or tok in _LOWER_INSIDE:
        return True
    return tok[0].isalpha() and capitalised_at(doc.text, f.orig(f.tok_start[t], f.tok_end[t])[0])


def _plausible(c: GazEntry, focus: str | None, arabic: bool) -> bool:
    """Outside the focus country only places big enough to be reported on by name alone (a first-level area or
    a country counts as big; its index population is its seat's)."""
    if c.iso2 == focus or c.curated or c.feature_code in ("ADM1", "PCLI"):
        return True
    return c.population >= (50_000 if arabic or focus is not None else 15_000)


def _km(a: GazEntry, b: GazEntry) -> float:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return math.inf
    x = math.radians(b.longitude - a.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return 6371.0 * math.hypot(x, math.radians(b.latitude - a.latitude))


def _score(
    c: GazEntry, focus: str | None, admins: set[str], anchors: list[GazEntry], named: frozenset[str] = frozenset()
) -> float:
    s = 0.0
    if named and _in_admin(c, named):
        s += 12  # "Pokrovsk (Donetsk)": the parenthetical names its admin area
    if focus is not None and c.iso2 == focus:
        s += 8
    if c.admin1 and skeleton(c.admin1) in admins:
        s += 4
    if any(a.id != c.id and _km(a, c) < 150 for a in anchors):
        s += 3
    if c.curated:
        s += 2
    if c.admin1:
        s += _PRIOR_WEIGHT * _admin1_shares().get((c.iso2, c.admin1), 0.0)
    return s + _prominence(c)


_PRIOR_WEIGHT = 2.0
_PRIOR_MIN_ROWS = 50


@cache
def _admin1_shares() -> dict[tuple[str, str], float]:
    """(ISO2, admin1) → the share of the country's training events ACLED codes there (``admin_points.tsv``'s row
    counts): among namesakes the text does not tell apart ("near Serhiivka" in an OSCE report), the one in the
    area where the conflict is. Countries with fewer than ``_PRIOR_MIN_ROWS`` rows have no prior."""
    rows: dict[tuple[str, str], int] = {}
    for r in admin_points():
        if not r["admin3"]:
            rows[(r["iso2"], r["admin1"])] = rows.get((r["iso2"], r["admin1"]), 0) + int(r["rows"])
    totals: dict[str, int] = {}
    for (iso, _), n in rows.items():
        totals[iso] = totals.get(iso, 0) + n
    return {k: n / totals[k[0]] for k, n in rows.items() if totals[k[0]] >= _PRIOR_MIN_ROWS}


# An area's population in the index is its seat's, which understates how often it is meant: a first-level area is
# at least as prominent as a city of a million, a district as one of 100,000, a country as one of ten million.
_AREA_FLOOR = {"PCLI": 7.0, "ADM1": 6.0, "ADM2": 5.0}


def _prominence(c: GazEntry) -> float:
    return max(math.log10(c.population + 1), _AREA_FLOOR.get(c.feature_code, 0.0)) / 2


def _seat_of(town: GazEntry, area: GazEntry) -> bool:
    """Whether a town is the seat (or a namesake inside) of a same-named area: "Idlib" the city and the
    governorate, not "Texas" the Mexican village and the US state."""
    if town.iso2 != area.iso2:
        return False
    if area.feature_code == "ADM1":
        return town.admin1 is not None and skeleton(town.admin1) == skeleton(area.admin1 or area.name)
    if area.feature_code == "ADM2" and skeleton(town.name) == skeleton(area.name) and _km(town, area) < 60:
        return True  # "Ansongo" and ACLED's district "Ansongo" (GeoNames: "Ansongo Cercle")
    if area.feature_code == "ADM2" and town.admin2 and area.admin2:
        return skeleton(town.admin2) == skeleton(area.admin2)
    return _km(town, area) < 60


def _choose(doc: Doc, m: _Mention, focus: str | None, admins: set[str], anchors: list[GazEntry]) -> GazEntry:
    cues = _cues()
    towns = [c for c in m.cands if c.feature_class == "P"]
    areas = [c for c in m.cands if c.feature_class != "P"]
    pool = m.cands
    key = name_key(doc.text[m.start : m.end])
    countries = [c for c in areas if c.feature_code == "PCLI" and name_key(c.name) == key]
    after = fold(doc.text[m.end : m.end + 20]).lstrip()
    # ... unless the report's own country has a first-level area of that name ("Georgia" in a US report).
    local_area = any(c.feature_code == "ADM1" and c.iso2 == focus and name_key(c.name) == key for c in areas)
    # "Benin (Oredo LGA, Edo)": the admin areas of the parenthetical name the town, not the country; "Rafi LGA
    # (Niger)": a parenthetical names admin areas, so Nigeria's Niger State, not the country.
    in_paren = bool(m.admins) and any(_in_admin(c, m.admins) for c in towns)
    in_paren = in_paren or ((m.fallback or m.qualifier) and any(c.feature_code == "ADM1" for c in areas))
    if countries and not local_area and not in_paren and not after.startswith(("city", "ville", "town")):
        return countries[0]  # "Turkey", "Mexico": the country, not a namesake town (nor the capital)
    # Only an area and its own seat compete as "the area or the town"; unrelated namesakes compete on score.
    seated = [t for t in towns if any(_seat_of(t, a) for a in areas)]
    seats = [a for a in areas if any(_seat_of(t, a) for t in towns)]
    if in_paren:
        pool = [c for c in m.cands if c.feature_code != "PCLI"]
    if m.fallback and areas:
        pool = [c for c in areas if c.feature_code != "PCLI" or not in_paren]  # "Xville (Mopti)": the area
    elif seated and seats:
        towns, areas = seated, seats
        others = [c for c in m.cands if c not in seated and c not in seats]
        before = fold(doc.text[max(0, m.start - 30) : m.start])
        after = fold(doc.text[m.end : m.end + 20])
        named_as_area = cues.area_before.search(before) or cues.area_after.match(after) or m.chained
        if named_as_area:
            district = after.lstrip().startswith(("district", "mintaqa", "منطقة"))
            pool = [c for c in areas if (c.feature_code == "ADM2") == district] or areas
        else:
            pool = towns
        pool = pool + others
    located = [c for c in pool if c.latitude is not None] or pool  # an entry without a point cannot be mapped
    return max(located, key=lambda c: (_score(c, focus, admins, anchors, m.admins), c.feature_code == "ADM1"))


@cache
def _stop_words() -> frozenset[str]:
    """English and French function words (spaCy's lists)."""
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.fr.stop_words import STOP_WORDS as FR

    return frozenset(EN | FR)


def _trusted(text: str, m: _Mention, focus: str | None, anchors: list[GazEntry]) -> list[GazEntry]:
    """A loose (skeleton) match is kept only where it agrees with the report's country or its other places, or
    is spelled almost the same ("Kivu" is not "Kyiv")."""
    key = name_key(text)
    if key in _stop_words():
        return []  # "This", "Same": a common word loosely spelled like a place ("Thies")
    out = []
    for c in m.cands:
        agrees = c.iso2 == focus or any(a.id != c.id and _km(a, c) < 150 for a in anchors)
        # Abroad (the report's country known), a loose match is a namesake unless it is big ("Kasha" is not
        # Cascia, "Pansi" not Pasni).
        abroad = focus is not None and not agrees and not _prominent(c)
        near = max(fuzz.ratio(key, name_key(c.name)), fuzz.ratio(key, _ARTICLE_START.sub("", name_key(c.name))))
        if agrees or (not abroad and near >= 80):  # "Shatrah" is "Ash Shatrah"
            out.append(c)
    return out


def _recognise(doc: Doc, focus: str | None) -> list[_Mention]:
    """Every place name of the text: curated names anywhere, GeoNames names after a locative cue."""
    gaz = gazetteer()
    mentions: list[_Mention] = []
    for sent in doc.sentences:
        fs, fe = _folded(doc, sent.start, sent.end)
        # Names inside an actor's name ("Boko Haram", "Military Forces of Nigeria") or a date are not places.
        taken = [(a.start, a.end) for a in sent.actors] + [(t.start, t.end) for t in sent.times]
        countries: list[tuple[int, int]] = []
        for hit in gaz.country_matcher.finditer(doc.folded, fs, fe):
            countries.append((hit.start, hit.end))
            iso = gaz.country_of.get(hit.key)
            # "Russia has warned": a country that is itself an actor is a toponym, but its government (metonymy).
            as_actor = any(a.start == hit.start and a.end == hit.end for a in sent.actors)
            if iso is None or (_covered(taken, hit.start, hit.end) and not as_actor):
                continue
            if hit.lang != "ar" and not _name_capitalised(doc, hit.start):
                continue
            if hit.lang != "ar" and _head_of_longer(doc, hit.end, taken):
                continue  # "Mali Zvornik, Serbia"
            every = candidates(doc.text[hit.start : hit.end])
            if any(c.feature_code == "PCLI" and c.iso2 == iso for c in every):
                # A country's name, not its demonym ("Syrian forces" names no place); its namesakes stay
                # candidates ("Georgia" in a report on the United States).
                mentions.append(_Mention(hit.start, hit.end, every, sent, metonymic=as_actor))
        first_curated = len(mentions)
        for hit in gaz.matcher.finditer(doc.folded, fs, fe):
            if _covered(taken, hit.start, hit.end):
                continue
            if hit.lang != "ar" and _inside_longer_name(doc, sent.start, hit.start):
                continue
            if _ner_label(doc, sent, hit.start, hit.end) == PART and not _name_opened(doc, sent, hit.start):
                continue  # "Boko Haram" as the sentence's first words: NER sees the longer name
            cands = candidates(doc.text[hit.start : hit.end]) or gaz.entries.get(hit.key, [])
            if not cands:
                continue
            # A curated region's name may open with a lower-case word ("northwestern Syria", "the Sahel").
            regional = all(c.feature_class == "R" for c in cands)
            if hit.lang != "ar" and not regional and not _name_capitalised(doc, hit.start):
                continue
            # "As-Sweida", "Al-Qusayr": the article glued on by a hyphen belongs to the name.
            art = _ARTICLE_PREFIX.search(doc.text, max(sent.start, hit.start - 4), hit.start)
            start = art.start() if art is not None else hit.start
            mentions.append(_Mention(start, hit.end, list(cands), sent))
        # A longer curated name wins over the country name or demonym inside it ("the Syrian coast").
        curated = [(m.start, m.end) for m in mentions[first_curated:]]
        mentions = [m for k, m in enumerate(mentions) if k >= first_curated or m.sent is not sent
                    or not _covered(curated, m.start, m.end)]  # fmt: skip
        spans = taken + countries + [(m.start, m.end) for m in mentions if m.sent is sent]
        mentions += _geonames_mentions(doc, sent, spans, focus)
    cues = _cues()
    # A landmark named after no place of the report's country ("Al-Nour square") is not a town.
    return [
        m
        for m in mentions
        if not cues.landmark_after.match(fold(doc.text[m.end : m.end + 20]))
        or any(c.iso2 == focus or c.curated for c in m.cands)
    ]


def places_event(doc: Doc, pm: PlaceMention) -> bool:
    """Whether a place mention can be where an event happened. A foreign country named without a locative cue is
    an actor or a modifier ("US airstrike", "the high US dollar", "Turkey's bombs", "the Kenya-Somalia border"):
    ACLED codes where the event took place, which the report's focus says better."""
    if pm.metonymy or pm.dateline:
        return False
    if pm.place.geo_precision == 1 and pm.feature_code.startswith("PPL"):
        # A town outside every admin area the report names in its country is a namesake of a village the
        # gazetteer lacks ("in Kyauktan village ... Rathedaung Township, Rakhine State" is not Yangon's
        # Kyauktan): the named areas place the event instead (ACLED's precision 2/3).
        areas = [p for s in doc.sentences for p in s.places if p.feature_code in ("ADM1", "ADM2", "ADM3")]
        named = {p.place.admin1 for p in areas if p.place.iso == pm.place.iso and not p.metonymy}
        named.discard(None)
        if named and pm.place.admin1 not in named:
            return False
    if not pm.is_country or pm.place.iso == doc.focus_country:
        return True
    cues = _cues()
    sent = doc.sentence_at(pm.start)
    before = _ARTICLE_END.sub("", fold(doc.text[max(sent.start if sent else 0, pm.start - 24) : pm.start]))
    if _OWNER_END.search(before):
        return False  # "the Military Forces of Turkey", "Syria and Turkey": not where
    return bool(cues.locative_before.search(before) or cues.area_before.search(before))


_OWNER_END = re.compile(r"(?:^|\s)(?:of|and|to|from|with|by|et|avec)\s*$")


def find_places(doc: Doc) -> None:
    """Find and resolve every place the text names; fills ``Sentence.places`` and ``Doc.focus_country``."""
    focus = focus_country(doc)
    doc.focus_country = focus
    mentions = _recognise(doc, focus)
    resolved = zip(mentions, _resolve_mentions(doc, mentions, focus, strict=True), strict=True)
    for m, pm in sorted(resolved, key=lambda t: t[0].start):
        if pm is not None:
            m.sent.places.append(pm)


def resolve_spans(doc: Doc, spans: list[tuple[int, int]]) -> list[PlaceMention | None]:
    """Resolve given toponym spans (recognition done elsewhere: gold spans, a user's selection) in the context
    of the whole text: its focus country, the admin areas and unambiguous places of the other spans. One answer
    per span, ``None`` where the gazetteer has no candidate for the name. ``Sentence.places`` is not changed."""
    focus = focus_country(doc)
    doc.focus_country = focus
    mentions: list[_Mention] = []
    index: list[int] = []
    gaz = gazetteer()
    for k, (start, end) in enumerate(spans):
        sent = doc.sentence_at(start) or (doc.sentences[-1] if doc.sentences else None)
        cands = candidates(doc.text[start:end]) if sent is not None else []
        iso = gaz.country_of.get(fold(doc.text[start:end]).strip())
        if iso is not None and not any(c.feature_code == "PCLI" and c.iso2 == iso for c in cands):
            # A demonym given as a toponym ("Turkish" officials): the country it names.
            country = gaz.countries.get(iso)
            own = [c for c in candidates(country.name) if c.feature_code == "PCLI"] if country else []
            cands = [c for c in own if c.iso2 == iso] or cands
        if sent is None or not cands:
            continue
        mentions.append(_Mention(start, end, cands, sent))
        index.append(k)
    out: list[PlaceMention | None] = [None] * len(spans)
    for k, pm in zip(index, _resolve_mentions(doc, mentions, focus, strict=False), strict=True):
        out[k] = pm
    return out


def _resolve_mentions(doc: Doc, mentions: list[_Mention], focus: str | None, strict: bool) -> list[PlaceMention | None]:
    """Pick each mention's entry in context. ``strict``: a loose (skeleton) match that agrees with nothing in the
    text is dropped (recognition must not invent places); otherwise it is kept as the name's best reading."""
    cues = _cues()
    exact = {id(m): is_exact(doc.text[m.start : m.end]) for m in mentions}
    if focus is None:
        # No country named: the one where the report's unambiguous (exactly spelled) places lie.
        # No country named: where the report's exactly spelled places lie. Each name votes for the countries it
        # can be in, shared among them; a first-level area's name, more distinctive, counts double.
        shares: dict[str, float] = {}
        for m in mentions:
            isos = {c.iso2 for c in m.cands}
            if exact[id(m)] and isos:
                weight = 2.0 if any(c.feature_code == "ADM1" for c in m.cands) else 1.0
                for iso in sorted(isos):  # sorted: a tie goes the same way in every process (set order is hashed)
                    shares[iso] = shares.get(iso, 0.0) + weight / len(isos)
        if shares:
            focus = doc.focus_country = max(shares, key=lambda k: shares[k])
            doc.focus_span = next((m.start, m.end) for m in mentions if any(c.iso2 == focus for c in m.cands))
    # Context for ranking: the admin areas the report names and the places that can mean only one thing.
    admins: set[str] = set()
    anchors: list[GazEntry] = []
    for m in mentions:
        if not exact[id(m)]:
            continue
        in_focus = [c for c in m.cands if c.iso2 == focus] or m.cands
        if len({c.admin1 for c in in_focus}) == 1 and in_focus[0].admin1:
            admins.add(skeleton(in_focus[0].admin1))
        if len(in_focus) == 1:
            anchors.append(in_focus[0])
    # Whether a place of the report's country is named (not the country itself): then a small place abroad is a
    # namesake ("Rusaka I village, Rutshuru" is not Burundi's Rusaka), however unique its name.
    confirmed = focus is not None and any(
        exact[id(m)] and any(c.iso2 == focus and c.feature_code != "PCLI" for c in m.cands) for m in mentions
    )
    order = sorted(range(len(mentions)), key=lambda k: mentions[k].start)
    kept: list[_Mention] = []
    for k in order:
        m = mentions[k]
        if not exact[id(m)]:
            trusted = _trusted(doc.text[m.start : m.end], m, focus, anchors)
            if not trusted and strict:
                continue
            m.cands = trusted or m.cands
        if strict and focus is not None and not any(c.iso2 == focus for c in m.cands):
            # Never a same-named village of another country: abroad, only what is reported on by name alone, or
            # a name that exists in one country only (the focus may be wrong: "US air force ... in Jilib").
            single = exact[id(m)] and len({c.iso2 for c in m.cands}) == 1 and not confirmed
            m.cands = [c for c in m.cands if c.curated or single or (exact[id(m)] and _prominent(c))]
            if not m.cands:
                continue
        kept.append(m)
    _parentheticals(doc, kept)
    _chained_areas(doc, kept)
    _unknown_town_areas(doc, kept, focus)
    out: dict[int, PlaceMention] = {}
    for m in kept:
        if m.qualifier and strict:
            continue
        entry = _choose(doc, m, focus, admins, anchors)
        precision = entry.precision
        if m.fallback:
            precision = 3 if entry.feature_code in ("ADM1", "RGN") else 2
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
        metonymy = m.metonymic or (speaks and entry.feature_code in ("PPLC", "PCLI"))
        metonymy = metonymy or _metonymy(doc, entry, m.end, m.sent.end)
        pm = PlaceMention(m.start, m.end, place, metonymy, len(m.cands), entry.feature_code, _dateline(doc, m))
        out[id(m)] = pm
    return [out.get(id(m)) for m in mentions]


_DATELINE_AFTER = re.compile(
    r"(?:\s*,\s*[A-Z][\w.]*(?:\s+\d{1,2})?(?:\s*,\s*\d{4})?)?"  # ", Syria", ", March 12", ", Jan. 3, 2024"
    r"(?:\s*\((?:[A-Z][\w ]{1,30})\))?"  # "(Reuters)", "(AFP)"
    r"\s*(?:[-–—:]|\u2014)"
)


def _dateline(doc: Doc, m: _Mention) -> bool:
    """A place opening a paragraph in capitals or before a dash ("TEHRAN –", "DAMASCUS, March 12 (Reuters) -",
    "Gaza City (AFP) —") names where the report was filed: a dateline, never the place of the events it reports."""
    line_start = doc.text.rfind("\n", 0, m.start) + 1
    if doc.text[line_start : m.start].strip(" \t*_") != "":
        return False
    name = doc.text[m.start : m.end]
    after = doc.text[m.end : m.end + 60]
    return bool(_DATELINE_AFTER.match(after)) or (name.isupper() and len(name) > 2 and after[:1] in (",", " "))


_COMMA_ONLY = re.compile(r"[ \t]*,[ \t]*")


def _chained_areas(doc: Doc, mentions: list[_Mention]) -> None:
    """ "Town, Admin": an admin area right after a comma that holds a reading of the place before it qualifies
    that place, as a parenthetical does ("near Pavlopil, Donetsk" is the village in Donetsk oblast, not the city
    of Donetsk; "in Salvador, Bahia", "San Vicente, Esperanza, Agusan del Sur"). A list of towns ("Bukavu, Goma")
    is no chain: no town of it lies in the next one's area."""
    # From the end of a chain: "Esperanza, Agusan del Sur" first tells which Esperanza qualifies "San Vicente".
    for k in range(len(mentions) - 1, 0, -1):
        prev, m = mentions[k - 1], mentions[k]
        if m.qualifier or m.fallback or m.sent is not prev.sent or m.start <= prev.end:
            continue
        if not _COMMA_ONLY.fullmatch(doc.text, prev.end, m.start):
            continue
        if not any(c.feature_class == "A" and c.feature_code != "PCLI" for c in m.cands):
            continue
        keys = _admin_keys((doc.text[m.start : m.end],))
        if m.admins:
            within = [c for c in m.cands if _in_admin(c, m.admins)]
            keys = frozenset(skeleton(a) for c in within for a in (c.admin1, c.admin2) if a) or keys
        if keys and any(c.feature_class == "P" and _in_admin(c, keys) for c in prev.cands):
            m.chained = True  # read as the area (it stays a place: the areas named rule out namesakes)
            prev.admins = prev.admins | keys


# "near Bohdanivka, Donetsk" where the gazetteer lacks the village: a locative cue, a capitalised name no mention
# holds, a comma, then the admin area.
_UNKNOWN_TOWN_BEFORE = re.compile(
    r"(?:^|\s)(?:[Ii]n|[Nn]ear|[Aa]t|[Oo]utside|[Aa]round|[Ii]nto|à|[Pp]rès de)\s+(?:the\s+)?"
    r"(?:(?:village|town|settlement|locality)\s+of\s+)?"
    r"([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){0,3})(?:\s+(?:village|town|settlement|locality))?[ \t]*,[ \t]*$"
)


@cache
def _calendar_words() -> frozenset[str]:
    """Month and weekday names (``time.yaml``): no places ("On Monday, Kherson's governor", "In March, Donetsk")."""
    data: dict[str, Any] = load_yaml("time.yaml")
    return frozenset(
        fold(str(w)) for key in ("months", "weekdays") for forms in data[key].values() for names in forms for w in names
    )


_LIST_GOES_ON = re.compile(r"[ \t]*(?:,|and\b|or\b|et\b|&)[ \t]*[A-Z]")


def _unknown_town_areas(doc: Doc, mentions: list[_Mention], focus: str | None) -> None:
    """ "near Bohdanivka, Donetsk": where the town before the comma is one the gazetteer lacks, the admin area
    after it stands in for it (``fallback``, coded at the area's precision as ACLED does), never the same-named
    city of Donetsk."""
    missing: set[str] = set()
    for k, m in enumerate(mentions):
        if m.qualifier or m.fallback or m.chained:
            continue
        # Only a first-level area (oblast, province, state) stands in: a town that is also a municipality
        # ("Barangay Isabang, Lucena") is coded as the town.
        if not any(c.feature_code == "ADM1" and (focus is None or c.iso2 == focus) for c in m.cands):
            continue  # and one of the report's own country: never a namesake province abroad
        prev = mentions[k - 1] if k > 0 else None
        if prev is not None and (prev.sent is not m.sent or not _COMMA_ONLY.fullmatch(doc.text, prev.end, m.start)):
            prev = None
        if prev is None:
            before = doc.text[max(m.sent.start, m.start - 80) : m.start]
            hit = _UNKNOWN_TOWN_BEFORE.search(before)
            if hit is None or fold(hit.group(1).split()[0]) in _calendar_words():
                continue
            if any(o.end > m.start - len(before) + hit.start(1) and o.end <= m.start for o in mentions):
                continue
            missing.add(name_key(hit.group(1)))
        else:
            # The gazetteer holds the name, but only namesakes outside the area named after it (many villages
            # share a name within one country): the village is missing, unless this is a list of places
            # ("in Kharkiv, Donetsk and Luhansk") or a town reported on by name alone.
            areas = [c for c in m.cands if c.feature_code == "ADM1"]
            keys = _admin_keys((doc.text[m.start : m.end],))
            if (
                prev.chained
                or prev.qualifier
                or any(_prominent(c) or c.feature_class != "P" for c in prev.cands)
                or any(_in_admin(c, keys) for c in prev.cands)
                or not {c.iso2 for c in prev.cands} <= {c.iso2 for c in areas}
                or _LIST_GOES_ON.match(doc.text, m.end)
            ):
                continue
            missing.add(name_key(doc.text[prev.start : prev.end]))
        m.fallback = True
    # The missing village named again ("... near Orikhove.") is no namesake elsewhere either.
    if missing:
        mentions[:] = [m for m in mentions if m.fallback or name_key(doc.text[m.start : m.end]) not in missing]


def _parentheticals(doc: Doc, mentions: list[_Mention]) -> None:
    """ "Town (Admin)": the admin area qualifies the town before it (its candidates are ranked by it) and is not
    itself the event's location; where the gazetteer lacks the town, the first admin area named stands in for it
    (``fallback``: coded at its own precision, never as a same-named town)."""
    for k, m in enumerate(mentions):
        before = doc.text[max(m.sent.start, m.start - 80) : m.start]
        inside = _INSIDE_PAREN.search(before)
        if inside is None:
            continue
        open_at = m.start - len(before) + before.rindex("(")
        prev = mentions[k - 1] if k > 0 else None
        if prev is not None and prev.end <= open_at and doc.text[prev.end : open_at].strip() == "":
            m.qualifier = True
            if not prev.admins:
                prev.admins = _admin_keys(_paren_names(doc, prev.end))
        elif prev is not None and prev.qualifier and open_at < prev.start:
            m.qualifier = True  # a second admin area in the same parenthetical
        elif prev is not None and prev.fallback and open_at < prev.start:
            m.qualifier = True  # "Xville (Lubero, Nord-Kivu)": the first, most specific one stands in
        else:
            m.fallback = True
