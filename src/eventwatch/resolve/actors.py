"""The actor knowledge base (``actors.yaml``): link any spelling of an actor or person to its canonical entry.

Exact alias keys first (folded, then transliteration skeleton: Jolani/Julani/Golani, Omsen/Omsin), then fuzzy
matching with rapidfuzz over the skeletons for unseen spellings (Diabi). Among entries of one group valid at
different times ("Military Forces of Syria (2000-2024)" / "(2024-)") the one valid at the event date wins. A name
the knowledge base does not know comes back as a provisional actor, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from rapidfuzz import fuzz, process

from eventwatch.extract.actors import assign_roles
from eventwatch.extract.doc import ActorMention, Doc, EventFrame, Sentence
from eventwatch.extract.lexicon import load_yaml
from eventwatch.model import Actor
from eventwatch.resolve.names import name_key, skeleton

_FUZZY_CUTOFF = 85.0


@cache
def _kb() -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    keys, names, _ = _kb_keys()
    return keys, names


@cache
def _kb_keys() -> tuple[dict[str, list[dict[str, Any]]], list[str], dict[str, list[dict[str, Any]]]]:
    """Skeleton keys, their list (for fuzzy matching) and exact folded keys, which win over skeletons when
    two names share one ("Reuters" / "rioters")."""
    data: dict[str, Any] = load_yaml("actors.yaml")
    by_name = {str(a["name"]): a for a in data["actors"]}
    keys: dict[str, list[dict[str, Any]]] = {}
    exact: dict[str, list[dict[str, Any]]] = {}

    def add(alias: str, entry: dict[str, Any]) -> None:
        k = skeleton(alias)
        if k and entry not in keys.setdefault(k, []):
            keys[k].append(entry)
        e = name_key(alias)
        if e and entry not in exact.setdefault(e, []):
            exact[e].append(entry)

    for a in data["actors"]:
        for alias in [a["name"], *(x for xs in (a.get("aliases") or {}).values() for x in (xs or []))]:
            add(str(alias), a)
    for p in data["persons"]:
        group = by_name.get(str(p.get("member_of")))
        entry = {"name": str(p["name"]), "person": True, "group": group}
        for alias in [p["name"], *p["aliases"]]:
            add(str(alias), entry)
    # Generic actors ("civilians", "مدنيين") link to their "{country}" template, filled at resolution.
    for g in data["generic"]:
        gen = {**g, "generic": True}
        for alias in [g["name"], *(x for xs in (g.get("aliases") or {}).values() for x in (xs or []))]:
            add(str(alias), gen)
    # Monitors and outlets are sources, never parties: they link (so "SOHR" is not a provisional actor) but
    # carry no inter code and a ``source:`` id the pipeline never puts in an actor field.
    for src in load_yaml("sources.yaml")["sources"]:
        s_entry = {"name": str(src["name"]), "source": True, "kind": src.get("kind")}
        for alias in [src["name"], *src["aliases"]]:
            add(str(alias), s_entry)
    return keys, list(keys), exact


def candidates(name: str) -> list[str]:
    """Every knowledge-base name an exact alias (or its skeleton) can mean; fuzzy matches excluded."""
    return [str(e["name"]) for e in _kb()[0].get(skeleton(name), [])]


def _valid(entry: dict[str, Any], on: date | None) -> bool:
    if on is None:
        return "valid_to" not in entry  # no date: the current entry
    start, end = entry.get("valid_from"), entry.get("valid_to")
    return (start is None or start <= on) and (end is None or on <= end)


def link_actor(name: str, on: date | None = None) -> Actor:
    """The canonical actor a name denotes at date ``on``; a provisional one when the knowledge base lacks it."""
    keys, names, exact = _kb_keys()
    k = skeleton(name)
    entries = exact.get(name_key(name)) or keys.get(k)
    if not entries and len(k) >= 4:
        found = process.extractOne(k, names, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
        entries = keys[found[0]] if found is not None else None
    if not entries:
        return Actor(name=name, provisional=True, aliases=[name])
    entry = next((e for e in entries if _valid(e, on)), entries[0])
    if entry.get("person"):
        return Actor(name=str(entry["name"]), kb_id=f"person:{skeleton(str(entry['name']))}", aliases=[name])
    if entry.get("source"):
        return Actor(name=str(entry["name"]), kb_id=f"source:{skeleton(str(entry['name']))}", aliases=[name])
    if entry.get("generic"):
        return Actor(name=str(entry["name"]), inter_code=entry.get("inter"),
                     kb_id=f"generic:{skeleton(str(entry['name']))}", aliases=[name])  # fmt: skip
    # Validity: the same group under another era's name ("Military Forces of Syria (2000-2024)").
    base = _group(entry)
    if not _valid(entry, on):
        era = [e for es in keys.values() for e in es if _group(e) == base and _valid(e, on)]
        entry = era[0] if era else entry
    return Actor(name=str(entry["name"]), inter_code=entry.get("inter"), country=entry.get("country"),
                 kb_id=f"actor:{skeleton(str(entry['name']))}", aliases=[name])  # fmt: skip


def _group(entry: dict[str, Any]) -> str:
    """The group an entry names, whatever its era: its ``group`` key, else its name less the era tag."""
    return str(entry.get("group") or str(entry.get("name", "")).split(" (")[0])


def acting_group(name: str, on: date | None = None) -> Actor | None:
    """The group a name acts for: the group itself, or a person's group ("Omar Diabi" → Firqat al-Ghuraba).

    None for a source, or a person acting for no group in the knowledge base (a person is not an ACLED actor).
    """
    actor = link_actor(name, on)
    kb_id = actor.kb_id or ""
    if kb_id.startswith("source:"):
        return None
    if kb_id.startswith("person:"):
        keys, _ = _kb()
        entry = next((e for e in keys.get(skeleton(actor.name), []) if e.get("person")), None)
        group = entry.get("group") if entry is not None else None
        if group is None:
            return None
        linked = link_actor(str(group["name"]), on)
        linked.aliases = [name]
        return linked
    return actor


# --- actor names the extraction lexicon does not hold -----------------------------------------------------------

_TOKEN = r"(?:(?:al|el|ad|as|ash|at|ar|an|az|wal|Abu|bin|ibn)[- ])?[A-Z][\w'’]+"
_PERSON = re.compile(rf"\b{_TOKEN}(?:[ -]{_TOKEN}){{0,2}}")
_AR_WORD = r"[\u0621-\u064a\u0660-\u0669]+"
_AR_STOP = frozenset(["في", "من", "على", "مع", "ضد", "عن", "الى", "إلى", "بعد", "قبل", "خلال"])


@dataclass(frozen=True, slots=True)
class _Cues:
    latin: re.Pattern[str]
    arabic: re.Pattern[str]
    link: re.Pattern[str]


@cache
def _cues() -> _Cues:
    data: dict[str, Any] = load_yaml("actors.yaml")["unknown_groups"]
    prefix = [str(h) for lang in ("en", "fr") for h in data["prefix"][lang]]
    heads = "|".join(sorted((re.escape(h) for h in prefix), key=len, reverse=True))
    tails = "|".join(re.escape(str(h)) for h in data["suffix"]["en"])
    # "Liwa Suqur al-Sahel", "brigade des Martyrs", "the Desert Hawks Brigade"
    latin = re.compile(
        rf"\b(?:(?:{heads})(?:\s+(?:des|du|de la|de|d')\s*|\s+){_TOKEN}(?:[ -]{_TOKEN}){{0,3}}"
        rf"|(?:[A-Z][\w'’-]+\s+){{1,4}}(?:{tails}))\b"
    )
    ar_heads = "|".join(re.escape(str(h)) for h in data["prefix"]["ar"])
    arabic = re.compile(rf"(?<![\u0621-\u064a])(?:{ar_heads})(?:\s+{_AR_WORD}){{1,2}}")
    words = "|".join(sorted((re.escape(str(w)) for w in data["link_words"]), key=len, reverse=True))
    link = re.compile(rf"^\s*(?:\w+\s+)?(?:{words})?\s*(?:the\s+|la\s+|le\s+)?$", re.IGNORECASE)
    return _Cues(latin, arabic, link)


def _free(sent: Sentence, start: int, end: int, places: bool = True) -> bool:
    """Not inside a known actor, place, time or attribution cue of the sentence."""
    taken = [(a.start, a.end) for a in sent.actors] + [(t.start, t.end) for t in sent.times]
    if places:
        taken += [(p.start, p.end) for p in sent.places]
    if sent.attribution is not None and not sent.attribution.inherited:
        taken.append((sent.attribution.cue_start, sent.attribution.cue_end))
    return all(end <= a or start >= b for a, b in taken)


def _mention(start: int, end: int, actor: Actor, person: str | None = None) -> ActorMention:
    state = actor.inter_code == 1
    return ActorMention(start, end, actor.name, actor.inter_code, actor.country, state=state, person=person)


def discover(doc: Doc, sent: Sentence, on: date | None) -> tuple[list[ActorMention], set[tuple[int, int]]]:
    """Actor mentions the lexicon missed in a sentence, and the spans of those that are provisional.

    A name after a group head ("Liwa ...", "لواء ...", "... Brigade") links to the knowledge base or becomes a
    provisional actor; a capitalised name fuzzily matching a person who acts for a group ("Omar Omsin",
    "Oumar Diabi") becomes that group. Other capitalised words are left alone: every one is not an actor.
    """
    text = doc.text
    found: list[ActorMention] = []
    provisional: set[tuple[int, int]] = set()
    cues = _cues()
    spans: list[tuple[int, int]] = [m.span() for m in cues.latin.finditer(text, sent.start, sent.end)]
    for m in cues.arabic.finditer(text, sent.start, sent.end):
        words = m.group(0).split()
        keep = [words[0]]
        for w in words[1:]:
            if w in _AR_STOP or (w.startswith("و") and len(keep) > 1):
                break
            keep.append(w)
        if len(keep) > 1:
            spans.append((m.start(), m.start() + len(" ".join(keep))))
    for start, end in spans:
        name = text[start:end].strip()
        if name.lower().startswith("the "):
            start, name = start + 4, name[4:]
        # A group's name may hold a place ("Liwa Suqur al-Sahel", "Jaysh al-Islam"), but not start with one.
        if not _free(sent, start, end, places=False) or any(p.start == start for p in sent.places):
            continue
        group = acting_group(name, on)
        if group is None or (group.kb_id or "").startswith("generic:"):
            continue
        sent.places = [p for p in sent.places if not start <= p.start < end]  # part of a name, not a place
        found.append(_mention(start, end, group))
        if group.provisional:
            provisional.add((start, end))
    for m in _PERSON.finditer(text, sent.start, sent.end):
        start, end = m.span()
        if not _free(sent, start, end) or any(not (end <= f.start or start >= f.end) for f in found):
            continue
        linked = link_actor(m.group(0), on)
        if not (linked.kb_id or "").startswith("person:"):
            continue
        group = acting_group(m.group(0), on)
        if group is not None:
            found.append(_mention(start, end, group, person=linked.name))
    return found, provisional


def link_frames(doc: Doc, pub: date | None) -> set[tuple[int, int]]:
    """Add the actors the lexicon missed to each event's sentence and fill the event's empty actor roles.

    Returns the spans of provisional (unknown) actors, which keep their mention text as their name.
    """
    provisional: set[tuple[int, int]] = set()
    done: set[int] = set()
    for frame in doc.frames:
        if frame.primary in done:
            continue
        done.add(frame.primary)
        sent = doc.sentences[frame.primary]
        on = frame.time.start if frame.time is not None else pub
        new, prov = discover(doc, sent, on)
        if not new:
            continue
        provisional |= prov
        sent.actors = sorted([*sent.actors, *new], key=lambda a: a.start)
        for f in (f for f in doc.frames if f.primary == frame.primary):
            _fill_roles(doc, sent, f, new)
    return provisional


def _fill_roles(doc: Doc, sent: Sentence, frame: EventFrame, new: list[ActorMention]) -> None:
    """Empty roles take a discovered actor, and so do generic nouns naming its members ("fighters loyal to
    Omar Omsin", "combattants de la brigade des Faucons"); what else the extraction assigned stands."""
    link = _cues().link
    for attr in ("actor1", "actor2"):
        held: ActorMention | None = getattr(frame, attr)
        if held is None or not held.generic or held.state or not held.armed:
            continue
        owner = next(
            (m for m in new if 0 <= m.start - held.end <= 30 and link.match(doc.text[held.end : m.start])), None
        )
        if owner is not None:
            setattr(frame, attr, owner)
    a1, a2 = assign_roles(doc, sent, frame.trigger)
    assigned = [a for a in (frame.actor1, frame.actor2) if a is not None]
    if any(a in new for a in (a1, a2)) and all(a in (a1, a2) for a in assigned):
        # The roles as word order gives them once the missed name is known ("Liwa X attacked a checkpoint of
        # the General Security": the extraction, seeing one actor, made it the doer); no actor is lost.
        frame.actor1, frame.actor2 = a1, a2
        return
    if frame.actor1 is None and a1 is not None and a1 in new and a1 is not frame.actor2:
        frame.actor1 = a1
    if frame.actor2 is None and a2 is not None and a2 in new and a2 is not frame.actor1:
        frame.actor2 = a2
