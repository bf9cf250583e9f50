"""ACLED's actor coding: actor1 (the initiator), actor2 (the target), their inter codes and associated actors.

Names follow ACLED's conventions: state forces as "Military Forces of {country} ({term})" / "Police Forces of
{country} ({term})" with the term in force at the event's date, generic actors as "Protesters ({country})",
"Rioters ({country})", "Civilians ({country})", "Unidentified Armed Group ({country})", named groups as ACLED
names them. What ACLED calls the actors a note mentions, their inter codes, home countries and the terms of
state forces are learned from the training file (``acled_*.tsv``, built by scripts/build_acled_actor_tables.py;
ACLED data, see NOTICE); the curated knowledge base (``actors.yaml``) comes first where it knows a name.

Roles follow ACLED's schema for the event's type (``frame.event_type`` / ``sub_event_type``, whatever set them):
protests are coded "Protesters (country)" with actor2 only for the force that intervened; riots "Rioters
(country)" against the force or the victims; violence against civilians, abductions and looting have
"Civilians (country)" as actor2 and the perpetrator (or an unidentified armed group) as actor1; battles two armed
parties in the order the text gives (the initiator first); remote violence the side that fired and its target.
The people a report names as taking part or being hit ("students", "a Nepali Congress cadre") are associated
actors (``assoc_actor_1``/``assoc_actor_2``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources

from rapidfuzz import fuzz

from eventwatch.extract.doc import ActorMention, Doc, EventFrame, Sentence
from eventwatch.extract.lexicon import PhraseMatcher, fold, is_acronym, load_yaml
from eventwatch.resolve.actors import link_actor
from eventwatch.resolve.gazetteer import gazetteer

_STATE = re.compile(r"^(Military Forces|Police Forces|Government) of ")
_TERM = re.compile(r"\((\d{4})-(\d{4})?\)")
_GENERIC_NOUN_AFTER = re.compile(
    r"^\s*(?:civilians?|residents?|villagers?|protesters?|demonstrators?|rioters?|students?|workers?|nationals?|"
    r"citizens?|people|men|women|children|refugees|migrants|farmers|traders|journalists|herders|youths?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str  # ACLED name, "{term}" for state forces
    inter: int | None
    iso2: str
    rows: int


@dataclass(frozen=True, slots=True)
class _Tables:
    actors: dict[str, _Entry]
    aliases: dict[str, list[tuple[str, str, int]]]  # folded alias -> [(name, iso2, count)]
    matcher: PhraseMatcher
    acronyms: dict[str, str]  # folded acronym alias -> its exact spelling
    terms: dict[tuple[str, str], list[tuple[str, int, int, date, date, int]]]  # (country, force) -> terms
    country: dict[str, tuple[str, str]]  # iso2 -> (ACLED country name, state form "the Philippines")
    by_base: dict[tuple[str, str], str]  # (name without its "(place)" tag, iso2) -> the name ACLED uses there
    label_iso: dict[str, str]  # ACLED country name -> iso2
    state_first: dict[str, float]  # iso2 -> share of state vs non-state battles with the state force as actor1
    forms: dict[str, str]  # iso2 -> the form state forces' names use ("the Philippines", "the United States")


def _rows(name: str) -> list[list[str]]:
    text = resources.files("eventwatch.data").joinpath(name).read_text(encoding="utf-8")
    return [r for r in csv.reader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")]


@cache
def _tables() -> _Tables:
    actors = {r[0]: _Entry(r[0], int(r[1]) if r[1] else None, r[2], int(r[3])) for r in _rows("acled_actors.tsv")}
    aliases: dict[str, list[tuple[str, str, int]]] = {}
    acronyms: dict[str, str] = {}
    phrases: list[tuple[str, str | None]] = []
    for alias, name, home, count, _precision in _rows("acled_aliases.tsv"):
        key = fold(alias)
        if key not in aliases:
            phrases.append((alias, None))
        aliases.setdefault(key, []).append((name, home, int(count)))
        if is_acronym(alias):
            acronyms[key] = alias
    terms: dict[tuple[str, str], list[tuple[str, int, int, date, date, int]]] = {}
    for country_of, force, label, first, last, n in _rows("acled_terms.tsv"):
        m = _TERM.match(label)
        if m is None:
            continue
        start, end = int(m.group(1)), int(m.group(2)) if m.group(2) else 9999
        terms.setdefault((country_of, force), []).append(
            (label, start, end, date.fromisoformat(first), date.fromisoformat(last), int(n))
        )
    country = {r[0]: (r[1], r[2]) for r in _rows("acled_countries.tsv")}
    state_first = {r[0]: float(r[4]) for r in _rows("acled_countries.tsv") if int(r[3]) >= _ORDER_MIN_BATTLES}
    label_iso = {name: iso for iso, (name, _) in country.items()}
    # The form of a country's name in its state forces' names, for countries ACLED codes events in and for those
    # whose forces it names abroad ("Military Forces of the United States", "of France").
    forms = {iso: form for iso, (_, form) in country.items()}
    of = gazetteer().country_of
    for e in actors.values():
        m = _STATE.match(e.name)
        if m is not None:
            form = e.name[m.end() :].split(" ({term})")[0]
            iso = of.get(fold(form.removeprefix("the ")))
            if iso and (iso not in forms or (form.startswith("the ") and not forms[iso].startswith("the "))):
                forms[iso] = form
    by_base: dict[tuple[str, str], str] = {}
    # "Islamic State (Iraq)", "Fulani Ethnic Militia (Nigeria)": a group ACLED tags with the country it acts in;
    # names tagged with their own country first, then other tags of a country ("Islamic State (West Africa)").
    for own in (True, False):
        for e in actors.values():  # most used first
            m = _TAGGED.match(e.name)
            if m is None or not e.iso2 or "{term}" in e.name or (label_iso.get(m.group(2)) == e.iso2) != own:
                continue
            by_base.setdefault((m.group(1), e.iso2), e.name)
    return _Tables(actors, aliases, PhraseMatcher(phrases), acronyms, terms, country, by_base, label_iso,
                   state_first, forms)  # fmt: skip


_CLASH = re.compile(r"\b(?:clash(?:ed|es)?|brawl|fought|fight(?:ing)?|scuffled?|scuffles)\b", re.IGNORECASE)
_UNKNOWN = re.compile(r"\b(?:unidentified|unknown|suspected|armed men|gunmen)\b", re.IGNORECASE)
_MILITIA_SPELLING = 88.0  # fuzz.ratio of a community's spelling to a name ACLED uses in its country
_ORDER_MIN_BATTLES = 20  # battles a country's ordering share must rest on
# A share this far from even is a convention; nearer, the report's order decides. Swept on 1,500 train battles:
# 0.75 -> 0.85 gives +22 inter1 (a 75-80% convention loses to the report's order); 0.8-0.9 is a plateau.
_ORDER_SKEW = 0.85
_ORDER_STRONG = 0.9  # a convention this strong holds even against the report's "A attacked B"
_INITIATES = re.compile(
    r"\b(?:attack(?:ed|s)?|ambush(?:ed)?|raid(?:ed)?|fired (?:on|at|upon)|shot at|opened fire|stormed|assault(?:ed)?|"
    r"targeted|launched|overran|besieged)\b",
    re.IGNORECASE,
)


_TAGGED = re.compile(r"^(.+?) \(([^()]+)\)$")


def retarget(name: str, iso2: str | None) -> str:
    """A group ACLED tags with the country it acts in, under its tag for the event's country: "Islamic State
    (Syria)" in Iraq is "Islamic State (Iraq)". Unchanged where the name carries no country tag or ACLED has no
    such name for that country."""
    t = _tables()
    m = _TAGGED.match(name)
    if m is None or not iso2 or m.group(2) not in t.label_iso or t.label_iso[m.group(2)] == iso2:
        return name
    return t.by_base.get((m.group(1), iso2), name)


def country_label(iso2: str | None, fallback: str | None) -> str:
    """ACLED's name of a country ("Democratic Republic of Congo"); the gazetteer's where ACLED's is unknown."""
    t = _tables()
    if iso2 and iso2 in t.country:
        return t.country[iso2][0]
    return fallback or ""


def _untagged(name: str) -> str:
    """ "Civilians ()" → "Civilians": where the event's country is unknown the name carries none, rather than
    a made-up "(Unknown)"."""
    return name.replace(" ()", "")


def _term(country: str, force: str, on: date | None) -> str | None:
    """The term label of a state force at a date: the one whose years hold the date, then whose observed use
    is nearest to it, then the most used."""
    options = _tables().terms.get((country.removeprefix("the "), force), [])
    if not options:
        return None
    if on is None:
        return max(options, key=lambda o: (o[2], o[5]))[0]

    def key(o: tuple[str, int, int, date, date, int]) -> tuple[bool, int, int]:
        _, start, end, first, last, n = o
        holds = start <= on.year <= end
        gap = 0 if first <= on <= last else min(abs((on - first).days), abs((on - last).days))
        return (holds, -gap, n)

    return max(options, key=key)[0]


def _term_at(name: str, on: date | None) -> str:
    """A curated state force under the term ACLED used at the date, where the date lies outside the term its
    name gives ("Military Forces of the Democratic Republic of Congo (2019-)" in 2018 → "(2001-2019)")."""
    m, t = _STATE.match(name), _TERM.search(name)
    if m is None or t is None or on is None:
        return name
    start, end = int(t.group(1)), int(t.group(2)) if t.group(2) else 9999
    if start <= on.year <= end:
        return name
    country = name[m.end() : t.start()].strip()
    term = _term(country, m.group(1), on)
    return name[: t.start()] + term + name[t.end() :] if term else name


def state_force(force: str, iso2: str | None, fallback: str | None, on: date | None) -> str:
    """ "Military Forces of Nigeria (2015-)": a country's state force under its term at the date."""
    t = _tables()
    form = t.forms.get(iso2 or "") or fallback
    if not form:
        return force  # no country known: "Police Forces", not "Police Forces of Unknown"
    term = _term(form, force, on)
    return f"{force} of {form}" + (f" {term}" if term else "")


def fill(name: str, iso2: str | None, fallback: str | None, on: date | None) -> str:
    """A table name with its term and country filled ("Military Forces of Iraq ({term})" → "... (2020-)")."""
    if "{term}" in name:
        m = _STATE.match(name)
        head = name.split(" ({term})")[0]
        force = m.group(1) if m else "Military Forces"
        country = head[len(force) + 4 :] if m else ""
        term = _term(country, force, on)
        return name.replace(" ({term})", f" {term}" if term else "")
    return _untagged(name.replace("{country}", country_label(iso2, fallback)))


@dataclass(slots=True)
class Candidate:
    """An actor a sentence of the event names, as ACLED would name it."""

    start: int
    end: int
    name: str
    inter: int | None
    kind: str  # state | armed | civilians | protesters | rioters | unidentified | other
    home: str | None  # ISO2
    mention: ActorMention | None = None
    generic: bool = False  # named by a common noun ("Military", "police"), not by a name of its own


_GENERIC_NAME = re.compile(r"^(Civilians|Protesters|Rioters)(?: \(|$)")


def _kind(name: str, inter: int | None) -> str:
    if name.startswith(("Military Forces of", "Police Forces of", "Government of")):
        return "state"
    m = _GENERIC_NAME.match(name)
    if m is not None:
        return m.group(1).lower()
    if name.startswith("Unidentified Armed Group"):
        return "unidentified"
    if inter == 7:
        return "civilians"
    return "armed" if inter in (1, 2, 3, 4, 8) else "other"


def _sentences(doc: Doc, frame: EventFrame) -> list[Sentence]:
    return [doc.sentences[i] for i in [frame.primary, *(i for i in frame.sentences if i != frame.primary)]]


def mined_candidates(doc: Doc, sent: Sentence, iso2: str | None, fallback: str | None, on: date | None
                     ) -> list[Candidate]:  # fmt: skip
    """Actors the learned ACLED alias table finds in a sentence, each named for the event's country."""
    t = _tables()
    starts = doc.folded.starts
    import bisect

    fs, fe = (sent.start, sent.end) if starts is None else (
        bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end))  # fmt: skip
    out: list[Candidate] = []
    for hit in t.matcher.finditer(doc.folded, fs, fe):
        exact = t.acronyms.get(hit.key)
        if exact is not None and doc.text[hit.start : hit.end] != exact:
            continue  # "AS", "AA": acronyms match in capitals only
        if not doc.text[hit.start : hit.start + 1].isupper() and exact is None:
            # A proper name starts with a capital; a learned phrase seen at a sentence's start ("Suspected Fulani
            # militias") still holds the name after its lowercase words ("suspected Fulani militias").
            # The name may start at a later capital ("anti-Houthi National Resistance forces": the National
            # Resistance Forces, not the Houthis).
            cap, key = None, ""
            for cap in re.finditer(r"\b[A-Z]", doc.text[hit.start : hit.end]):
                rest = doc.text[hit.start + cap.start() : hit.end]
                key = fold(rest)
                if key in t.aliases and t.acronyms.get(key, rest) == rest:
                    break
            else:
                continue  # "the NPA" holds the acronym as written; "the Npa" does not
            hit = replace(hit, start=hit.start + cap.start(), key=key) if cap is not None else hit
        if doc.text[hit.end : hit.end + 1] == ":" and exact is None and not doc.text[sent.start : hit.start].strip():
            continue  # "Weapons seizure: On 4 May ...": ACLED's label of the note's kind, not an actor
        if _GENERIC_NOUN_AFTER.match(doc.text[hit.end : hit.end + 20]) and " " not in hit.key:
            continue  # "Afghan civilians": a nationality, not the army
        options = t.aliases[hit.key]
        here = [o for o in options if o[1] == iso2]
        name, home, _ = max(here or options, key=lambda o: o[2])
        head = _group_head(hit.key, name)
        if head is not None:
            # "Taliban-planted IED", "Al-Shabaab militants": a phrase the table learned beside the force the group
            # hit; the group's own name at its head is the actor the words name.
            seps = [m.start() for m in re.finditer(r"[\s-]+", doc.text[hit.start : hit.end])]
            hit = replace(hit, end=hit.start + seps[head[0] - 1], key=head[1])
            options = t.aliases[hit.key]
            here = [o for o in options if o[1] == iso2]
            name, home, _ = max(here or options, key=lambda o: o[2])
        if _STATE.match(name) and hit.key in gazetteer().country_of:
            continue  # "in Beira, Mozambique", "Somali civilians": a country's name or demonym is not its army
        if not _own_alias(hit.key, name) and _is_place(doc, sent, hit.start, hit.end):
            continue  # "Rakhine State", "Mogadishu": a place the actor is seen in, not a name of the actor
        entry = t.actors.get(name)
        inter = entry.inter if entry else None
        common = _common_words(hit.key)
        # "Military forces" in Iraq: mostly Turkey's in ACLED's notes, but those notes say "Turkish"; a common noun
        # without a country's word is the event country's force.
        abroad = bool(here) and common and _force_home(fill(name, home or iso2, fallback, on)) not in (None, iso2)
        if (not here and common) or abroad:
            m = _STATE.match(name)
            if m is None or _country_word(doc.text[hit.start : hit.end]) is not None:
                continue  # a common word ("Militants") seen with another country's group says nothing here
            # "Military", "Police officers": the force of the event's country, wherever the table saw the word, and
            # the force its words name ("The Police" is Brazil's Military Police there, the police elsewhere)
            force_of = _force_nouns()[1]
            named = {force_of[w] for w in hit.key.split() if w in force_of}
            force = "Police Forces" if "Police Forces" in named else "Military Forces" if named else m.group(1)
            out.append(Candidate(hit.start, hit.end, state_force(force, iso2, fallback, on), 1, "state", iso2,
                                 generic=True))  # fmt: skip
            continue
        filled = fill(name, home or iso2, fallback, on)
        if not here and iso2 and home and home != iso2:
            filled = retarget(filled, iso2)  # "Fulani Militia (Mali)" in Burkina Faso
            if filled != name:
                home = iso2
        out.append(Candidate(hit.start, hit.end, filled, inter, _kind(filled, inter), home or None, generic=common))
    return out


_ADMIN_WORD = re.compile(
    r"^(?:\s|,|\b(?:state|region|province|district|county|township|village|town|city|area|division|lga|"
    r"governorate|municipality|territory|sector|department|commune|barangay|of|the)\b)*$",
    re.IGNORECASE,
)


def _is_place(doc: Doc, sent: Sentence, start: int, end: int) -> bool:
    """Whether a span is a place the sentence names, with at most an administrative word beside it ("Rakhine
    State", "Lamu County"); a name holding a place ("Saudi-led coalition") is not."""
    for p in sent.places:
        if p.start < end and start < p.end:
            rest = doc.text[start : max(start, p.start)] + " " + doc.text[min(end, p.end) : end]
            if _ADMIN_WORD.match(rest):
                return True
    return False


_CONNECT = frozenset(["of", "the", "and", "al", "el", "de", "du", "des", "la", "le", "wal", "bin", "ibn"])


def _group_head(key: str, name: str) -> tuple[int, str] | None:
    """(words, alias) of an armed group's own name heading a learned phrase the table gives a state force, if any."""
    t = _tables()
    entry = t.actors.get(name)
    if not (_STATE.match(name) or (entry is not None and entry.inter in (1, 8))) or _own_alias(key, name):
        return None
    parts = re.split(r"[\s-]+", key)
    for k in range(len(parts) - 1, 0, -1):
        for sep in (" ", "-"):
            head = sep.join(parts[:k])
            if head not in t.aliases or _common_words(head) or len(head) < 4:
                continue
            group = max(t.aliases[head], key=lambda o: o[2])[0]
            g = t.actors.get(group)
            if g is not None and g.inter in (2, 3, 4) and _own_alias(head, group):
                return k, head
    return None


def _own_alias(key: str, name: str) -> bool:
    """Whether a learned alias is made of the actor's own name ("Shan State Army", "Jubaland forces", "FARDC" for
    a name holding it) rather than words seen beside it: each of its words not a common force noun is in the
    name."""
    words = set(fold(name).replace("/", " ").replace(":", " ").split())
    generic = _generic_words()
    return all(w in words or w in generic or w in _CONNECT for w in key.split())


@cache
def _generic_words() -> frozenset[str]:
    """The words of the knowledge base's generic actor nouns ("the military", "police officers", "gunmen")."""
    data = load_yaml("actors.yaml")
    en = [a for g in data["generic"] for a in (g.get("aliases") or {}).get("en", [])]
    return frozenset(w for a in en for w in fold(str(a)).split())


def _common_words(key: str) -> bool:
    """A learned alias made of common nouns only ("Military", "Police officers"): no country of its own."""
    return all(w in _generic_words() for w in key.split())


def _country_word(text: str) -> str | None:
    """The country a phrase names by its name or demonym ("Iraqi forces" → IQ, "the Nigerian Army" → NG)."""
    of = gazetteer().country_of
    words = fold(text).split()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            iso = of.get(" ".join(words[i : i + n]))
            if iso:
                return iso
    return None


_BEFORE = re.compile(r"((?:[A-Z][\w'’-]+\s+){1,3})(?:(?:armed|security|military|government|special|riot)\s+)?$")
_AFTER = re.compile(r"^\s+(?:forces\s+)?of\s+((?:the\s+)?[A-Z][\w'’-]+(?:\s+(?:of\s+)?[A-Z][\w'’-]+){0,4})")


def _demonym_home(doc: Doc, m: ActorMention) -> str | None:
    """The country a generic state noun is tied to by the words around it: "Somali military forces", "Kenyan
    police", "military forces of Armenia"."""
    before = _BEFORE.search(doc.text[max(0, m.start - 40) : m.start])
    if before is not None:
        iso = _country_word(before.group(1))
        if iso:
            return iso
    after = _AFTER.match(doc.text[m.end : m.end + 60])
    if after is not None:
        words = after.group(1).split()
        for n in range(len(words), 0, -1):  # the longest country name: "the Democratic Republic of Congo"
            iso = gazetteer().country_of.get(fold(" ".join(words[:n])))
            if iso:
                return iso
    return None


def _from_mention(doc: Doc, m: ActorMention, iso2: str | None, fallback: str | None, on: date | None
                  ) -> Candidate:  # fmt: skip
    name = m.name
    home = m.home if not m.generic else iso2
    if m.generic and "{country}" in name:
        if name.startswith(("Military Forces of", "Police Forces of")):
            force = "Military Forces" if name.startswith("Military") else "Police Forces"
            home = _demonym_home(doc, m) or iso2
            name = state_force(force, home, fallback if home == iso2 else None, on)
        else:
            name = fill(name, iso2, fallback, on)
    elif not m.generic:
        linked = link_actor(name, on)  # the name of the group's era: "Islamic State (Greater Sahara)" in 2019
        if (linked.kb_id or "").startswith("actor:"):
            name = linked.name
        name = _term_at(name, on)
        tagged = retarget(name, iso2) if iso2 and m.home != iso2 else name
        if tagged != name:  # "Islamic State (Syria)" in Iraq: "Islamic State (Iraq)"
            name, home = tagged, iso2
    inter = m.inter
    kind = _kind(name, inter)
    if m.state:
        kind = "state"
    elif inter is None and not m.generic and m.armed:
        kind = "armed"  # a group found by its head ("Liwa Suqur al-Sahel"), kept under its own name
    return Candidate(m.start, m.end, name, inter, kind, home, m)


def candidates(doc: Doc, frame: EventFrame, iso2: str | None, fallback: str | None, on: date | None
               ) -> list[Candidate]:  # fmt: skip
    """Every actor the event's sentences name, the curated knowledge base first, then the learned ACLED names;
    a learned name replaces a generic noun it covers ("FARDC soldiers", "Afghan forces")."""
    out: list[Candidate] = []
    for sent in _sentences(doc, frame):
        known = [_from_mention(doc, m, iso2, fallback, on) for m in sent.actors]
        mined = mined_candidates(doc, sent, iso2, fallback, on)
        keep = [c for c in known if not (c.mention is not None and c.mention.generic and _touches(c, mined))]
        curated = [c for c in known if c.mention is not None and not c.mention.generic]
        # A curated name of another country's actor yields to the name ACLED's notes of the event's country give
        # the same words ("SNA" is the Syrian National Army in Syria, the Somali National Army in Somalia).
        local = [m for m in mined if iso2 and m.home == iso2 and not m.generic]
        foreign = [c for c in curated if c.home and iso2 and c.home != iso2 and c.kind != "state" and any(
            m.start <= c.start and c.end <= m.end and c.name.split(" (")[0] not in m.name for m in local)]  # fmt: skip
        keep = [c for c in keep if c not in foreign]
        curated = [c for c in curated if c not in foreign]
        keep += [m for m in mined if not any(c.start < m.end and m.start < c.end for c in curated)]
        # "Iraqi airstrikes", "French forces", "Turkish artillery": a state force by its country's word, where no
        # curated name covers it; it replaces the generic or learned state nouns it overlaps.
        for d in _demonym_forces(doc, sent, iso2, fallback, on):
            if any(c.start < d.end and d.start < c.end for c in curated):
                continue
            keep = [c for c in keep if not (c.start < d.end and d.start < c.end and (c.kind == "state" or c.generic
                    or (c.mention is not None and c.mention.generic)))]  # fmt: skip
            if not any(c.start < d.end and d.start < c.end for c in keep):
                keep.append(d)
        for w, named_end in _militias(doc, sent, iso2, fallback):
            # A learned name of the same kind for the whole community ("Fulani Ethnic Militia") stands; other
            # nouns it covers yield.
            kind = w.name[: w.name.index(" Militia (")].rsplit(" ", 1)[-1]
            learned = [c for c in keep if c.start <= w.start and c.end >= named_end and f" {kind} Militia (" in c.name]
            keep = [c for c in keep if c in learned or not (c.start < w.end and w.start < c.end)]
            if not learned:
                keep.append(w)
        keep.sort(key=lambda c: c.start)
        # "Gunmen believed to be Al Shabaab militants", "armed men allegedly belonging to ASWJ": the generic noun is
        # the named group's men, not a second, unidentified group.
        out += [c for i, c in enumerate(keep) if not (c.kind == "unidentified" and c.start >= 0 and any(
            n.kind == "armed" and 0 <= n.start - c.end <= 40 and _member_link().match(doc.text[c.end : n.start])
            for n in keep[i + 1 : i + 3]))]  # fmt: skip
    return _under_umbrella(doc, out)


@cache
def _umbrella_cue() -> re.Pattern[str]:
    words = load_yaml("actors.yaml")["umbrella_cues"]
    alt = "|".join(sorted((str(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?:{alt})\s*$", re.IGNORECASE)


def _under_umbrella(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ACLED codes forces fighting under a joint operation's banner as that operation ("Turkish forces and JWS
    factions, operating under OPS, shelled ..." → Operation Peace Spring): the umbrella named right after its
    members replaces them."""
    for u in [c for c in cands if c.start >= 0 and c.kind == "armed"]:
        if not _umbrella_cue().search(doc.text[max(0, u.start - 40) : u.start]):
            continue
        sent = doc.sentence_at(u.start)
        lo = sent.start if sent is not None else 0
        members = [c for c in cands if lo <= c.start < u.start and c.kind in ("state", "armed", "unidentified")]
        if members:
            cands = [u, *(c for c in cands if c is not u and c not in members)]
    return cands


@cache
def _member_link() -> re.Pattern[str]:
    words = load_yaml("actors.yaml")["unknown_groups"]["member_links"]
    alt = "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))
    return re.compile(rf"^\s*,?\s*(?:\w+ly\s+)?(?:{alt})\s+(?:the\s+)?$", re.IGNORECASE)


@cache
def _force_nouns() -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    """The pattern of a capitalised country word before a state force noun, the force each noun names, and the
    demonyms the gazetteer leaves out as ambiguous ("French", "American")."""
    data = load_yaml("actors.yaml")
    force_of = {fold(str(n)): str(force) for force, nouns in data["state_force_nouns"].items() for n in nouns}
    extra = {fold(str(w)): str(iso) for iso, words in data["force_demonyms"].items() for w in words}
    nouns = "|".join(sorted((re.escape(n) for n in force_of), key=len, reverse=True))
    pattern = re.compile(rf"\b((?:[A-Z][\w'’.-]*\s+){{0,2}}[A-Z][\w'’.-]*)\s+((?:{nouns}))\b", re.IGNORECASE)
    return pattern, force_of, extra


def _demonym_forces(doc: Doc, sent: Sentence, iso2: str | None, fallback: str | None, on: date | None
                    ) -> list[Candidate]:  # fmt: skip
    pattern, force_of, extra = _force_nouns()
    out: list[Candidate] = []
    for m in pattern.finditer(doc.text, sent.start, sent.end):
        words = m.group(1).split()
        while words and not words[0][:1].isupper():
            words = words[1:]  # "a US airstrike": the pattern ignores case, the country word does not
        iso = None
        for i in range(len(words)):  # the country word nearest the noun: "On Monday, Iraqi forces" → Iraqi
            tail = " ".join(words[i:])
            iso = _country_word(tail) or extra.get(fold(tail).rstrip("."))
            if iso:
                at = m.group(1).rfind(tail)
                start = m.start(1) + (at if at >= 0 else 0)
                break
        if not iso:
            continue
        # "Malaysian police forces": a police noun after the country word names the police, whatever follows.
        named = {force_of[w] for w in [*fold(m.group(1)).split(), fold(m.group(2))] if w in force_of}
        force = "Police Forces" if "Police Forces" in named else force_of.get(fold(m.group(2)), "Military Forces")
        name = state_force(force, iso, fallback if iso == iso2 else None, on)
        out.append(Candidate(start, m.end(2), name, 1, "state", iso))
    return out


_NAME_TOKEN = r"[A-Z][\w'’]+(?:-[A-Z][\w'’]+)*"
_NOT_LEADER = r"(?!\s+(?:leaders?|commanders?|chiefs?)\b)"  # "a wanted Benue Militia leader": one man, not the group


@dataclass(frozen=True, slots=True)
class _MilitiaCues:
    named: re.Pattern[str]
    unknown: re.Pattern[str]
    before: re.Pattern[str]
    kinds: dict[str, str]
    not_names: frozenset[str]
    known: dict[tuple[str, str], list[str]]  # (ACLED country name, kind) -> the community names ACLED uses there
    context: re.Pattern[str]  # a note's word making its unnamed armed side a militia (``context_cues``)
    context_kind: dict[str, str]  # that word, lowercase -> the militia's kind
    unidentified_side: re.Pattern[str]  # "unidentified armed men": ACLED's words for an unidentified armed group
    bare: re.Pattern[str]  # a community's name before a militia noun with no kind word ("Zaghawa militiamen")


@cache
def _militia_cues() -> _MilitiaCues:
    data = load_yaml("actors.yaml")["militia_names"]
    kinds = {str(k).lower(): str(v) for k, v in data["kinds"].items()}
    kind_alt = "|".join(sorted((re.escape(k) for k in kinds), key=len, reverse=True))
    nouns = "|".join(sorted((re.escape(str(n)) for n in data["nouns"]), key=len, reverse=True))
    unknown = "|".join(re.escape(str(u)) for u in data["unknown"])
    bare = "|".join(sorted((re.escape(str(n)) for n in data["bare_nouns"]), key=len, reverse=True))
    tail = rf"\s+((?i:{kind_alt}))\s+(?i:{nouns})\b"
    named = re.compile(rf"\b((?:{_NAME_TOKEN}\s+){{0,2}}{_NAME_TOKEN}){tail}")
    known: dict[tuple[str, str], list[str]] = {}
    tagged = re.compile(rf"^(.+) ({'|'.join(re.escape(v) for v in set(kinds.values()))}) Militia \(([^()]+)\)$")
    for name in _tables().actors:
        m = tagged.match(name)
        if m is not None:
            known.setdefault((m.group(3), m.group(2)), []).append(m.group(1))
    context_kind = {str(w).lower(): str(k) for k, words in data["context_cues"].items() for w in words}
    context = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(map(re.escape, context_kind), key=len, reverse=True))
                         + r")(?![\w-])", re.IGNORECASE)  # fmt: skip
    bare_named = re.compile(rf"\b((?:{_NAME_TOKEN}\s+)?{_NAME_TOKEN})\s+(?i:{bare})\b{_NOT_LEADER}")
    return _MilitiaCues(named, re.compile(rf"\b(?i:{unknown}){tail}"),
                        re.compile(rf"({_NAME_TOKEN}(?:\s+{_NAME_TOKEN})?)\s*(?:,|and|&)\s*$"), kinds,
                        frozenset(str(w) for w in data["not_names"]), known, context, context_kind,
                        re.compile(str(data["unidentified_side"]), re.IGNORECASE),
                        bare_named)  # fmt: skip


def _community(words: str, cues: _MilitiaCues) -> str:
    parts = words.split()
    while parts and parts[0] in cues.not_names:
        parts = parts[1:]
    return " ".join(parts)


def _militia_name(community: str, kind: str, label: str, cues: _MilitiaCues) -> str:
    """ACLED's name of a community's militia: the one ACLED already uses in the country for that community (its
    own spelling, or the sub-clan under its clan: "Saad" → "Habar Gedir-Saad"), else "{community} {kind} Militia
    ({country})"."""
    known = cues.known.get((label, kind), [])
    if community not in known:
        # ACLED's kind for a community it already names otherwise there ("Fellata communal militias": Ethnic)
        kinds = [k for k in set(cues.kinds.values()) if community in cues.known.get((label, k), [])]
        if len(kinds) == 1:
            return f"{community} {kinds[0]} Militia ({label})"
        under = [k for k in known if k.endswith(f"-{community}")]
        close = [k for k in known if fuzz.ratio(k, community) >= _MILITIA_SPELLING]
        pick = under if len(under) == 1 else close if len(close) == 1 else []
        community = pick[0] if pick else community
    return f"{community} {kind} Militia ({label})"


def _militias(doc: Doc, sent: Sentence, iso2: str | None, fallback: str | None) -> list[tuple[Candidate, int]]:
    """Communal, ethnic, clan and tribal militias a sentence names by ACLED's pattern ("Tongov communal militiamen",
    "Ude and Isinigbo communal militias", "an unidentified clan militia"), each with the end of its community's
    name."""
    label = country_label(iso2, fallback)
    if not label:
        return []
    cues = _militia_cues()
    out: list[tuple[Candidate, int]] = []
    for m in cues.unknown.finditer(doc.text, sent.start, sent.end):
        kind = cues.kinds[m.group(1).lower()]
        out.append((Candidate(m.start(), m.end(), f"Unidentified {kind} Militia ({label})", 4, "armed", iso2),
                    m.start()))  # fmt: skip
    for m in cues.named.finditer(doc.text, sent.start, sent.end):
        community = _community(m.group(1), cues)
        if not community or any(c.start <= m.start() < c.end for c, _ in out):
            continue
        kind = cues.kinds[m.group(2).lower()]
        start = m.start(1) + m.group(1).index(community)
        other = cues.before.search(doc.text[max(sent.start, start - 40) : start])
        if other is not None and (first := _community(other.group(1), cues)):
            at = start - len(other.group(0)) + other.group(0).index(first)
            name = _militia_name(first, kind, label, cues)
            out.append((Candidate(at, at + len(first), name, 4, "armed", iso2), at + len(first)))
        name = _militia_name(community, kind, label, cues)
        out.append((Candidate(start, m.end(), name, 4, "armed", iso2), start + len(community)))
    for m in cues.bare.finditer(doc.text, sent.start, sent.end):
        # No kind word: only a community ACLED already names with one kind of militia in the country.
        community = _community(m.group(1), cues)
        known = _known_militia(community, label, cues)
        if known is None or any(c.start < m.end() and m.start() < c.end for c, _ in out):
            continue
        start = m.start(1) + m.group(1).index(community)
        other = cues.before.search(doc.text[max(sent.start, start - 40) : start])
        first = _community(other.group(1), cues) if other is not None else ""
        if other is not None and first and (first_name := _known_militia(first, label, cues)) is not None:
            at = start - len(other.group(0)) + other.group(0).index(first)  # "Fulani and Kanuri militias"
            out.append((Candidate(at, at + len(first), first_name, 4, "armed", iso2), at + len(first)))
        out.append((Candidate(start, m.end(), known, 4, "armed", iso2), start + len(community)))
    return out


def _known_militia(community: str, label: str, cues: _MilitiaCues) -> str | None:
    kinds = [k for k in sorted(set(cues.kinds.values())) if community in cues.known.get((label, k), [])]
    return f"{community} {kinds[0]} Militia ({label})" if len(kinds) == 1 else None


def _touches(c: Candidate, others: list[Candidate]) -> bool:
    return any(m.start <= c.end + 1 and c.start <= m.end + 1 for m in others)


def _first(cands: list[Candidate], kinds: tuple[str, ...], exclude: Candidate | None = None) -> Candidate | None:
    return next((c for c in cands if c.kind in kinds and (exclude is None or c.name != exclude.name)), None)


_VICTIM = re.compile(
    r"^[^.;]{0,60}?\b(?:was|were|been|being|got)\s+(?:\w+\s+)?(?:killed|shot|injured|wounded|kidnapped|abducted|"
    r"ambushed|attacked|targeted|captured|arrested|repulsed|repelled|killed)\b",
    re.IGNORECASE,
)


# A side answering an attack: "Somali police reacted with gun fire after an unidentified group hurled a grenade".
_REACTS = re.compile(
    r"^[^.;]{0,40}?\b(?:repell?ed|repulsed|thwarted|foiled|responded|reacted|retaliated|returned fire|fought back)\b",
    re.IGNORECASE,
)


def _victim(doc: Doc, c: Candidate) -> bool:
    """Whether the words after a named side make it one hit ("one Ukrainian soldier was injured")."""
    return c.start >= 0 and bool(_VICTIM.match(doc.text[c.end : c.end + 80]))


_FIRES = re.compile(r"^[^.;]{0,40}?\b(?:fired|shelled|launched|bombarded|struck|targeted|hit)\b", re.IGNORECASE)


def _firing_subject(doc: Doc, frame: EventFrame, cands: list[Candidate]) -> Candidate | None:
    """The side named as the subject of the firing verb in the event's sentence ("the NAF rebel forces fired 82mm
    mortars at the governmental positions"): the one who fired, whoever else the note names."""
    sent = doc.sentences[frame.primary]
    for c in sorted(cands, key=lambda c: c.start):
        if c.kind in ("state", "armed") and sent.start <= c.start < sent.end and _FIRES.match(
                doc.text[c.end : sent.end]) and not _victim(doc, c):  # fmt: skip
            return c
    return None


def _hit_side(doc: Doc, c: Candidate) -> bool:
    """Whether the words after a named side make it the one attacked by others ("... was shot ... by", "were
    ambushed by") or the one answering an attack ("reacted with gun fire after ...")."""
    sent = doc.sentence_at(c.start)
    end = sent.end if sent is not None else len(doc.text)
    after = doc.text[c.end : min(end, c.end + 80)]
    return bool(_REACTS.match(after) or (_VICTIM.match(after) and re.search(r"\bby\b", after)))


def _battle_order(doc: Doc, armed: list[Candidate], iso2: str | None) -> list[Candidate]:
    """The parties of a battle as ACLED orders them: the side the report names first, unless it is named as the
    one hit ("a soldier was shot dead by suspected militants", "27 Boko Haram militants were killed in fighting
    with the military"): then the other side comes first."""
    named = [c for c in armed if c.start >= 0]
    if len(named) >= 2:
        first = named[0]
        nxt = next((c for c in named[1:] if c.name != first.name), None)
        if nxt is not None and _VICTIM.match(doc.text[first.end : nxt.start]):
            armed = [nxt, first, *(c for c in armed if c is not nxt and c is not first)]
    if len(armed) >= 2 and iso2 in _tables().state_first:
        # Where ACLED's coders order a state force against a non-state side by convention (the army first in
        # Myanmar, the rebels first in the Philippines), the convention decides.
        a, b = armed[0], next((c for c in armed[1:] if c.name != armed[0].name), armed[0])
        share = _tables().state_first[iso2]
        # A strong convention holds whatever the wording; a weaker one only where the wording names no initiator
        # ("clashed", "fighting between") rather than "A attacked B".
        strong = share >= _ORDER_STRONG or share <= 1 - _ORDER_STRONG
        weak = share >= _ORDER_SKEW or share <= 1 - _ORDER_SKEW
        initiator = a.start >= 0 and b.start > a.end and _INITIATES.search(doc.text[a.end : b.start]) is not None
        one_state = (a.kind == "state") != (b.kind == "state")
        if (strong or (weak and not initiator)) and one_state and (a.kind == "state") != (share >= _ORDER_SKEW):
            armed = [b, a, *(c for c in armed if c is not a and c is not b)]
    return armed


def _generic(kind: str, iso2: str | None, fallback: str | None) -> Candidate:
    names = {"protesters": ("Protesters ({country})", 6), "rioters": ("Rioters ({country})", 5),
             "civilians": ("Civilians ({country})", 7),
             "unidentified": ("Unidentified Armed Group ({country})", 3)}  # fmt: skip
    name, inter = names[kind]
    return Candidate(-1, -1, _untagged(name.replace("{country}", country_label(iso2, fallback))), inter, kind, iso2)


@cache
def _assoc_nouns() -> dict[tuple[str, str], str]:
    """(role, lowercase word of people: "teachers", "employees") → the generic group ACLED names them
    ("Teachers", "Labour Group"), learned from the training notes (``acled_assoc_nouns.tsv``)."""
    return {(r[2], r[0]): r[1] for r in _rows("acled_assoc_nouns.tsv")}


_LOWER_WORD = re.compile(r"\b[a-z][a-z-]{2,}\b")


def _people(doc: Doc, frame: EventFrame, iso2: str, fallback: str | None, role: str) -> list[Candidate]:
    """The groups the people protesting or rioting (role ``assoc_actor_1``) or hit (``assoc_actor_2``) belong
    to, or a side ACLED names by a generic group of its own (role ``actor``: "pirates" → Pirates (Nigeria)), by
    the words the event's sentence calls them ("dozens of employees ... protested" → Labour Group (Iraq), "three
    farmers were killed" → Farmers (Nigeria)), each at the word's span."""
    nouns = _assoc_nouns()
    sent = doc.sentences[frame.primary]
    out: list[Candidate] = []
    for m in _LOWER_WORD.finditer(doc.text, sent.start, sent.end):
        group = nouns.get((role, m.group(0)))
        if group is not None:
            name = f"{group} ({country_label(iso2, fallback)})"
            if role == "actor":
                entry = _tables().actors.get(name)
                out.append(Candidate(m.start(), m.end(), name, entry.inter if entry else 3, "armed", iso2))
                continue
            out.append(Candidate(m.start(), m.end(), name, None, "other", iso2))
    return out


@cache
def _government_noun() -> re.Pattern[str]:
    words = "|".join(sorted((re.escape(str(w)) for w in load_yaml("actors.yaml")["government_nouns"]), key=len,
                            reverse=True))  # fmt: skip
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


# A government noun that is the object of a preposition ("surrendered to the government") or a modifier of a
# force or region ("government security forces", "Kurdistan Regional Government") does not name the actor.
_GOV_OBJECT = re.compile(r"\b(?:to|from|with|by|of|for|against|on|at|into|between)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
                         re.IGNORECASE)  # fmt: skip
_GOV_MODIFIER = re.compile(r"^[\s-]*(?:security|forces?|troops|soldiers|army|military|officials?|-?backed|-?allied|"
                           r"-?aligned|-?affiliated|militias?)\b", re.IGNORECASE)  # fmt: skip


def _acting_government(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40) : start]
    if _GOV_OBJECT.search(before) or re.search(r"\bRegional\s+$", before, re.IGNORECASE):
        return False
    return not _GOV_MODIFIER.match(text[end : end + 30])


# The report says the one who fired or planted is unknown.
_UNKNOWN_DOER = re.compile(
    r"\b(?:unidentified|unknown)\s+(?:\w+\s+)?(?:group|gunmen|assailants?|attackers?|militants|"
    r"individuals|men|actors?|perpetrators?|IEDs?|explosives?|devices?|bombs?|landmines?|mines?|grenades?|shells|"
    r"mortars?|rockets?|projectiles?)\b|\b(?:attackers?|perpetrators?)\b[^.;]{0,30}\bunknown\b",
    re.IGNORECASE,
)
# An unknown side as the subject of the report's sentence ("unknown armed men", "unidentified gunmen").
_UNKNOWN_SUBJECT = re.compile(
    r"\b(?:unknown|unidentified)\s+(?:armed\s+)?(?:group|gunmen|men|people|persons|assailants?|attackers?|"
    r"individuals|elements|militants|fighters|militiamen)\b",
    re.IGNORECASE,
)
_TARGET_BEFORE = re.compile(r"\b(?:targeting|targeted|against|at|on)\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)
_TARGET_AFTER = re.compile(r"^[^.;]{0,25}?\b(?:was|were|been)\s+(?:\w+\s+)?(?:targeted|hit|struck)\b",
                           re.IGNORECASE)  # fmt: skip


def _targeted(doc: Doc, c: Candidate) -> bool:
    """Whether the words around a named side make it the target ("targeting AMISOM forces", "AMISOM forces were
    targeted by ...")."""
    return bool(_TARGET_BEFORE.search(doc.text[max(0, c.start - 20) : c.start])
                or _TARGET_AFTER.match(doc.text[c.end : c.end + 60]))  # fmt: skip


_MILITARY_WORD = re.compile(r"\b(?:army|military|soldiers?|troops|marines?|navy|naval|air force|armed forces|"
                            r"defen[cs]e)\b", re.IGNORECASE)  # fmt: skip


def _hint(cands: list[Candidate], held: ActorMention | None) -> Candidate | None:
    """The candidate of the mention extraction gave a role: the one starting there, else the one holding it
    ("militants" in "Al Shabaab militants")."""
    if held is None:
        return None
    same = next((c for c in cands if c.start == held.start), None)
    return same or next((c for c in cands if 0 <= c.start <= held.start < c.end), None)


def code_roles(doc: Doc, frame: EventFrame, iso2: str | None, fallback: str | None, on: date | None
               ) -> tuple[Candidate | None, Candidate | None, list[Candidate], list[Candidate]]:  # fmt: skip
    """(actor1, actor2, assoc_actor_1, assoc_actor_2) by ACLED's schema for the event's type."""
    cands = candidates(doc, frame, iso2, fallback, on)
    for c in cands:  # the roles extraction gave, under the names resolution linked them to (eras, persons)
        for held in (frame.actor1, frame.actor2):
            if held is not None and c.mention is not None and not held.generic and c.start == held.start:
                c.name, c.inter = retarget(_term_at(held.name, on), iso2), held.inter or c.inter
    hint1, hint2 = _hint(cands, frame.actor1), _hint(cands, frame.actor2)
    et, st = frame.event_type, frame.sub_event_type
    armed = ("state", "armed", "unidentified")
    state = _first(cands, ("state",))
    a1: Candidate | None
    a2: Candidate | None
    if et in ("Protests", "Riots"):
        # Those facing protesters and rioters are the police unless the report says soldiers: ACLED codes "security
        # forces dispersed the protesters" to the police (156 of 172 such notes).
        for i, c in enumerate(cands):
            generic = c.generic or (c.mention is not None and c.mention.generic)
            if c.kind == "state" and generic and c.name.startswith("Military Forces of ") and c.start >= 0 and (
                    not _MILITARY_WORD.search(doc.text[c.start : c.end])):  # fmt: skip
                cands[i] = replace(c, name=state_force("Police Forces", c.home or iso2, fallback, on))
        state = _first(cands, ("state",))
    if et == "Protests":
        a1 = _first(cands, ("protesters",)) or _generic("protesters", iso2, fallback)
        a2 = state if st in ("Protest with intervention", "Excessive force against protesters") else None
        if a2 is None and st == "Protest with intervention":
            a2 = Candidate(-1, -1, state_force("Police Forces", iso2, fallback, on), 1, "state", iso2)
    elif et == "Riots":
        a1 = _first(cands, ("rioters",)) or _generic("rioters", iso2, fallback)
        a2 = state or (_first(cands, ("civilians",)) if st == "Mob violence" else None)
        clash = _CLASH.search(doc.text, doc.sentences[frame.primary].start, doc.sentences[frame.primary].end)
        if st == "Mob violence" and clash is not None and not (
                state is not None and 0 <= state.start - clash.end() <= 25):  # fmt: skip
            # Rival groups clashing ("supporters of A and B clashed", "a brawl among students"): rioters on both
            # sides, as ACLED codes two in three such mob clashes; "clashed with police" keeps the police.
            a2 = _generic("rioters", iso2, fallback)
        if a2 is None and st == "Mob violence":
            a2 = _generic("civilians", iso2, fallback)
    elif et == "Violence against civilians" or st == "Looting/property destruction":
        doer = hint1 if hint1 is not None and hint1.kind in armed else None
        a1 = doer or _first(cands, ("armed", "state")) or _first(cands, ("unidentified",)) or _generic(
            "unidentified", iso2, fallback)  # fmt: skip
        a2 = _generic("civilians", iso2, fallback)
        if st == "Looting/property destruction" and a1.kind == "state":
            # A state force destroying or seizing property hits the armed group it names ("destroyed an IS hideout")
            a2 = _first(cands, ("armed", "unidentified"), exclude=a1) or a2
    elif et == "Battles":
        # The parties: the ones extraction and linking gave the roles ("fighters loyal to Omar Omsin" → his group),
        # then the others named; their order is the report's, as ACLED reads it (see _battle_order).
        parties: list[Candidate] = []
        for c in [h for h in (hint1, hint2) if h is not None] + cands:
            if c.kind in armed and all(c.name != p.name for p in parties):
                parties.append(c)
        # A bare "militants" or "fighters" beside a named side is mostly that side's men ("IS militants ... 4
        # militants killed"): named sides first, an unidentified group only where none is left or the report says
        # it is unknown ("unidentified gunmen").
        parties.sort(key=lambda c: c.kind == "unidentified" and not _UNKNOWN.search(
            doc.text[max(0, c.start - 12) : c.end]))  # fmt: skip
        head = sorted(parties[:2], key=lambda c: (c.start < 0, c.start))
        order = _battle_order(doc, head + parties[2:], iso2)
        a1 = order[0] if order else _generic("unidentified", iso2, fallback)
        a2 = _first(order, armed, exclude=a1) or _generic("unidentified", iso2, fallback)
        if a2.start < 0 and a1.start >= 0 and a1.kind == "state" and a2.kind == "unidentified" and _hit_side(doc, a1):
            # The one side named is the one hit ("a police officer was shot ... by unidentified individuals",
            # "State police were ambushed by armed individuals"): the unnamed attackers come first.
            a1, a2 = a2, a1
        sent = doc.sentences[frame.primary]
        if a1.start >= sent.start and a1.kind != "unidentified" and a2.kind == "unidentified" and (
                _UNKNOWN_SUBJECT.search(doc.text, sent.start, a1.start)):  # fmt: skip
            # "an unknown armed group attacked Somali military forces": the unknown side the report names first is
            # the one who attacked.
            a1, a2 = a2, a1
        if a1.kind == "unidentified" and a2.kind == "unidentified" and a1.name == a2.name:
            a2 = None
    elif et == "Explosions/Remote violence":
        if st == "Air/drone strike":
            # Air and drone strikes are a state's (or an external force's): a state force named comes first.
            a1 = state or (hint1 if hint1 is not None and hint1.kind in armed else None) or _first(cands, armed)
        elif st == "Shelling/artillery/missile attack":
            a1 = (hint1 if hint1 is not None and hint1.kind in armed and not _victim(doc, hint1) else None) or (
                _firing_subject(doc, frame, cands)) or state or _first(cands, armed)  # fmt: skip
        elif st in ("Remote explosive/landmine/IED", "Grenade", "Suicide bomb"):
            # Bombs are planted and thrown by non-state groups (97% of ACLED's); a state force named is the target.
            nonstate = ("armed", "unidentified")
            a1 = (hint1 if hint1 is not None and hint1.kind in nonstate else None) or _first(cands, ("armed",)) or (
                _first(cands, ("unidentified",)))  # fmt: skip
        else:
            a1 = (hint1 if hint1 is not None and hint1.kind in armed else None) or _first(cands, ("armed", "state"))
        sent = doc.sentences[frame.primary]
        if st != "Air/drone strike" and _UNKNOWN_DOER.search(doc.text, sent.start, sent.end):
            # "an unidentified IED", "an IED by unknown group", "Attackers and casualties unknown": whoever else
            # the report names was hit, not the one who fired or planted.
            a1 = _generic("unidentified", iso2, fallback)
        elif a1 is not None and a1.start >= 0 and _targeted(doc, a1) and st != "Air/drone strike":
            # "An IED targeting AMISOM forces", "AMISOM forces were targeted by an explosive device": the side
            # named is the target; the one who planted it is another named side or unidentified.
            a1 = next((c for c in cands if c.kind in ("armed", "unidentified") and c.name != a1.name
                       and not _targeted(doc, c)), None)  # fmt: skip
        a1 = a1 or _generic("unidentified", iso2, fallback)
        a2 = (hint2 if hint2 is not None and hint2.name != a1.name else None) or _first(
            cands, ("state", "armed"), exclude=a1) or _first(cands, ("civilians",))  # fmt: skip
        if a2 is None and st in ("Remote explosive/landmine/IED", "Grenade", "Suicide bomb"):
            # A bomb with no side named as its target hit civilians, as ACLED codes four in five of them
            a2 = _generic("civilians", iso2, fallback)
    else:  # Strategic developments
        if st in ("Arrests", "Disrupted weapons use"):
            # Arrests are the police's where no force is named, seizures and defusals the military's (ACLED: 317 of
            # 392 such weapons events); an armed group named alone handled its own weapons ("Three Al Shabaab
            # militants died when a VBIED prematurely exploded"); a device defused was an unidentified group's.
            force = "Police Forces" if st == "Arrests" else "Military Forces"
            doer = hint1 if hint1 is not None and hint1.kind in armed else None
            a1 = state or doer or Candidate(-1, -1, state_force(force, iso2, fallback, on), 1, "state", iso2)
            a2 = _first(cands, ("armed", "unidentified"), exclude=a1) or (
                _generic("civilians", iso2, fallback) if st == "Arrests"
                else _generic("unidentified", iso2, fallback) if a1.kind == "state" else None)  # fmt: skip
        else:
            a1 = hint1 or (cands[0] if cands else None)
            sent = doc.sentences[frame.primary]
            # The side the sentence names first acts ("the Taliban released 48 soldiers", "members of the CJNG
            # delivered food packages to families"), whoever the words after it name.
            lead = next((c for c in sorted(cands, key=lambda c: c.start) if c.kind in ("state", "armed")
                         and sent.start <= c.start < sent.end), None)  # fmt: skip
            if lead is not None and a1 is not None and 0 <= lead.start < a1.start:
                a1 = lead
            gov = _government_noun().search(doc.text, sent.start, sent.end)
            if gov is not None and a1 is not None and not _acting_government(doc.text, gov.start(), gov.end()):
                gov = None  # "support from the government of Japan", "government security forces"
            if gov is not None and (a1 is None or (a1.start >= 0 and gov.start() < a1.start)):
                # "the Afghan government released 52 Taliban prisoners": the government acts
                # (its own words are the span: the role's earlier mention named someone else)
                a1 = Candidate(gov.start(), gov.end(), state_force("Government", iso2, fallback, on), 1, "state",
                               iso2)  # fmt: skip
            a2 = (
                None
                if st in ("Change to group/activity", "Headquarters or base established")
                else (hint2 if hint2 is not None and a1 is not None and hint2.name != a1.name else None)
            )
    if et not in ("Protests", "Riots") and iso2:
        # An unidentified side the report calls by a word ACLED gives a group of its own ("a vigilante-style attack
        # by unidentified assailants" → Anti-Drug Vigilantes, "suspected pirates" → Pirates)
        named = _people(doc, frame, iso2, fallback, "actor")
        if named:
            a1 = named[0] if a1 is not None and a1.kind == "unidentified" else a1
            a2 = named[0] if a2 is not None and a2.kind == "unidentified" and a1 is not named[0] else a2
    if et in _UNNAMED_TYPES and iso2:
        # A side the report leaves unnamed is who ACLED codes there when reports name none: an "Unidentified Gang"
        # in Mexico, one of the two forces on Ukraine's front line for the explosions monitors observe.
        note = " ".join(doc.text[s.start : s.end] for s in _sentences(doc, frame))
        if a1 is None or a1.kind == "unidentified":
            a1 = _unnamed(a1, note, iso2, fallback, on, et, st, "actor1")
        if (a2 is not None and a2.kind == "unidentified") or (a2 is None and et == "Battles"):
            a2 = _unnamed(a2, note, iso2, fallback, on, et, st, "actor2", other=a1)
    if et in _UNNAMED_TYPES and a1 is not None and a1.kind == "unidentified":
        a1 = _claimant(doc, cands, a1, iso2, fallback, on)
    if et in _UNNAMED_TYPES:
        a1 = _militia_side(a1, doc, frame, iso2, fallback)
        if et == "Battles":
            a2 = _militia_side(a2, doc, frame, iso2, fallback)
    used = {c.name for c in (a1, a2) if c is not None}
    assoc1 = [c for c in cands if c.kind == "other" and c.name not in used] if et in ("Protests", "Riots") else []
    if et in ("Protests", "Riots") and iso2:
        assoc1 += _people(doc, frame, iso2, fallback, "assoc_actor_1")
    assoc2: list[Candidate] = []
    if et in ("Violence against civilians", "Explosions/Remote violence") and iso2 and a2 is not None and (
            a2.kind == "civilians"):  # fmt: skip
        assoc2 = _people(doc, frame, iso2, fallback, "assoc_actor_2")
    seen: set[str] = set()
    assoc1 = [c for c in assoc1 if not (c.name in seen or seen.add(c.name))]  # type: ignore[func-returns-value]
    seen2: set[str] = set()
    assoc2 = [c for c in assoc2 if not (c.name in seen2 or seen2.add(c.name))]  # type: ignore[func-returns-value]
    return a1, a2, assoc1, assoc2


_UNNAMED_TYPES = ("Battles", "Violence against civilians", "Explosions/Remote violence", "Strategic developments")
_UNNAMED_SHARE = 0.5  # share of a country's unnamed sides ACLED gives one name for that name to be the default


@cache
def _unnamed_table() -> tuple[dict[tuple[str, str, str, str], tuple[str, int, int]],
                              dict[tuple[str, str, str, str], list[tuple[str, str, int]]]]:  # fmt: skip
    """(ISO2, event type, sub-event type or "*", role) → (the name ACLED gives a side the note does not name, its
    count, the unnamed sides counted), and → [(a lowercase word of the note, the name it points to, notes)],
    learned from the training notes (``acled_unnamed_actors.tsv``)."""
    default: dict[tuple[str, str, str, str], tuple[str, int, int]] = {}
    cues: dict[tuple[str, str, str, str], list[tuple[str, str, int]]] = {}
    for iso, et, st, role, cue, name, n, total in _rows("acled_unnamed_actors.tsv"):
        if cue == "*":
            default[(iso, et, st, role)] = (name, int(n), int(total))
        else:
            cues.setdefault((iso, et, st, role), []).append((cue, name, int(n)))
    return default, cues


_CUE_WORD = re.compile(r"(?<![\w-])[a-z][a-z-]{3,}\b")


def _unnamed(c: Candidate | None, text: str, iso2: str, fallback: str | None, on: date | None, et: str | None,
             st: str | None, role: str, other: Candidate | None = None) -> Candidate | None:  # fmt: skip
    """An unidentified (or missing) side under the name ACLED gives unnamed sides of the event's type in the
    country, where one name holds most of them; ``c`` unchanged otherwise."""
    table, cues = _unnamed_table()
    keys = [(iso2, et or "", st or "", role), (iso2, et or "", "*", role)]
    words = set(_CUE_WORD.findall(text))
    cued = max((cue for k in keys for cue in cues.get(k, []) if cue[0] in words), key=lambda cue: cue[2], default=None)
    found = next((table[k] for k in keys if k in table), None)
    if cued is not None:
        name = cued[1]  # "a drive-by shooting" in Mexico: a gang's
    elif found is not None and found[1] >= _UNNAMED_SHARE * found[2]:
        name = found[0]
    else:
        return c
    if not name or name.startswith("Unidentified Armed Group"):
        return c
    filled = fill(name, iso2, fallback, on)
    if other is not None and other.name == filled:
        return c
    entry = _tables().actors.get(name)
    inter = entry.inter if entry is not None else 3
    start, end = (c.start, c.end) if c is not None else (-1, -1)
    return Candidate(start, end, filled, inter, _kind(filled, inter), iso2)


@cache
def _claim_cue() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{c})" for c in load_yaml("actors.yaml")["claim_cues"]), re.IGNORECASE)


def _claimant(doc: Doc, cands: list[Candidate], c: Candidate, iso2: str | None, fallback: str | None,
              on: date | None) -> Candidate:  # fmt: skip
    """The named group that claimed an attack the report gives to unnamed men, in any of its sentences; ``c``
    where none did."""
    cue = _claim_cue()
    seen = {(o.start, o.end) for o in cands}
    for sent in doc.sentences:
        if not _CLAIM_WORD.search(doc.text, sent.start, sent.end):
            continue
        found = [o for o in cands if sent.start <= o.start < sent.end]
        found += [o for o in mined_candidates(doc, sent, iso2, fallback, on) if (o.start, o.end) not in seen]
        for o in found:
            if o.kind == "armed" and o.start >= 0 and cue.match(doc.text, o.end, sent.end):
                return o
    return c


_CLAIM_WORD = re.compile(r"\b(?:responsibility|credit)\b", re.IGNORECASE)


def _militia_side(c: Candidate | None, doc: Doc, frame: EventFrame, iso2: str | None, fallback: str | None
                  ) -> Candidate | None:  # fmt: skip
    """An "Unidentified Armed Group" side of a note that calls the fighting communal, clan, ethnic or tribal ("an
    intercommunal clash", "over a land dispute") as the unidentified militia of that kind ACLED codes there
    (interaction 4); ``c`` unchanged otherwise. The span stays the side's own."""
    if c is None or c.kind != "unidentified" or not c.name.startswith("Unidentified Armed Group"):
        return c
    cues = _militia_cues()
    label = country_label(iso2, fallback)
    sents = _sentences(doc, frame)
    hits = [m.group(0).lower() for s in sents for m in cues.context.finditer(doc.text, s.start, s.end)]
    if not hits or any(cues.unidentified_side.search(doc.text, s.start, s.end) for s in sents):
        return c
    kinds = sorted(set(cues.kinds.values()))
    used = {k: len(cues.known.get((label, k), [])) for k in kinds}
    said = [cues.context_kind[h] for h in hits
            if cues.context_kind[h] != "Communal" and (used[cues.context_kind[h]] or not label)]  # fmt: skip
    kind = said[0] if said else max(kinds, key=lambda k: (used[k], k == "Communal"))
    kind = kind if used[kind] or (said and not label) else "Communal"
    # Two unnamed sides of a communal clash are both that militia: ACLED codes "Unidentified Communal Militia
    # (Kenya)" against itself. No country known: the name carries none, as "Unidentified Armed Group" does.
    name = _untagged(f"Unidentified {kind} Militia ({label})")
    return Candidate(c.start, c.end, name, 4, "armed", iso2, generic=c.generic)


def apply(doc: Doc, frame: EventFrame, iso2: str | None, fallback: str | None, on: date | None) -> None:
    """Code the frame's actors in place: ``actor1``/``actor2`` become ACLED-named mentions (spans kept where the
    text names them), ``assoc_actor_1``/``assoc_actor_2`` the associated actors."""
    a1, a2, assoc1, assoc2 = code_roles(doc, frame, iso2, fallback, on)
    frame.actor1 = _mention(a1, frame.actor1, iso2)
    frame.actor2 = _mention(a2, frame.actor2, iso2)
    frame.assoc1 = [ActorMention(c.start, c.end, c.name, c.inter, c.home) for c in assoc1]
    frame.assoc2 = [ActorMention(c.start, c.end, c.name, c.inter, c.home) for c in assoc2]


@cache
def _force_home(name: str) -> str | None:
    """The country whose state force a name is ("Military Forces of Turkey (2016-)" → TR): ACLED's interaction for
    it in another country is 8, whatever word of the report named it."""
    m = _STATE.match(name)
    if m is None:
        return None
    form = _TERM.sub("", name[m.end() :]).strip()
    t = _tables()
    return next((iso for iso, f in t.forms.items() if f == form), None) or t.label_iso.get(form.removeprefix("the "))


def _mention(c: Candidate | None, old: ActorMention | None, iso2: str | None) -> ActorMention | None:
    if c is None:
        return None
    inter = c.inter
    if c.kind == "state":
        home = _force_home(c.name) or c.home or iso2
        inter = 1 if home == iso2 or iso2 is None else 8  # a state force outside its country
    start, end = (c.start, c.end) if c.start >= 0 else ((old.start, old.end) if old is not None else (-1, -1))
    base = c.mention or ActorMention(start, end, c.name, inter, c.home)
    return replace(base, start=start, end=end, name=c.name, inter=inter, home=c.home, generic=False)
