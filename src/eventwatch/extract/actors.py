"""Actor mentions by lexicon (``actors.yaml``) and simple role assignment around a trigger.

Roles: the doer (actor1) is the subject before an active trigger verb, or the agent after "by" in a passive;
the target (actor2) is the object after the verb, after "against/on/targeting", or the owner in "X's camp";
"clashes between A and B" gives A and B in order. Persons map to the group they act for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from eventwatch.extract.doc import ActorMention, Doc, Sentence, Trigger
from eventwatch.extract.lexicon import PhraseMatcher, fold, is_acronym, load_yaml, per_lang


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    inter: int | None
    home: str | None
    state: bool
    armed: bool
    generic: bool
    government_forces: bool
    person: str | None = None
    acronym: str | None = None


@dataclass(frozen=True, slots=True)
class _Lexicon:
    matcher: PhraseMatcher
    entries: dict[str, list[ActorEntry]]
    sources: frozenset[str]  # folded source aliases: an outlet is never a party


@cache
def _lexicon() -> _Lexicon:
    data: dict[str, Any] = load_yaml("actors.yaml")
    entries: dict[str, list[ActorEntry]] = {}
    phrases: list[tuple[str, str | None]] = []
    by_name: dict[str, ActorEntry] = {}

    def add(alias: str, lang: str | None, entry: ActorEntry) -> None:
        if is_acronym(alias):
            entry = ActorEntry(**{**_asdict(entry), "acronym": alias})
        entries.setdefault(fold(alias), []).append(entry)
        phrases.append((alias, lang))

    for a in data["actors"]:
        entry = ActorEntry(str(a["name"]), a.get("inter"), a.get("country"), bool(a.get("state")),
                           bool(a.get("armed", True)), False, False)  # fmt: skip
        by_name[entry.name.split(" (")[0]] = entry
        by_name[entry.name] = entry
        for alias, lang in per_lang(a["aliases"]):
            add(alias, lang, entry)
    for g in data["generic"]:
        entry = ActorEntry(str(g["name"]), g.get("inter"), None, bool(g.get("state")), bool(g.get("armed", True)),
                           True, bool(g.get("government_forces")))  # fmt: skip
        for alias, lang in per_lang(g["aliases"]):
            add(alias, lang, entry)
    for p in data["persons"]:
        group = by_name.get(str(p["member_of"])) if p.get("member_of") else None
        if group is None:
            continue  # a person acting for no group in the knowledge base is not an actor
        for alias in p["aliases"]:
            add(str(alias), None, ActorEntry(**{**_asdict(group), "person": str(p["name"])}))
    src: dict[str, Any] = load_yaml("sources.yaml")
    sources = frozenset(fold(str(al)) for s in src["sources"] for al in s["aliases"])
    return _Lexicon(PhraseMatcher(phrases), entries, sources)


def _asdict(e: ActorEntry) -> dict[str, Any]:
    return {f: getattr(e, f) for f in e.__dataclass_fields__}


def find_actors(doc: Doc) -> None:
    lex = _lexicon()
    for sent in doc.sentences:
        lang = sent.lang or doc.lang or "en"
        starts = doc.folded.starts
        if starts is None:
            fs, fe = sent.start, sent.end
        else:
            import bisect

            fs, fe = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        for hit in lex.matcher.finditer(doc.folded, fs, fe):
            # Outlets and monitors report events; they are never parties to them.
            if hit.lang not in (lang, None) or hit.key in lex.sources:
                continue
            for e in lex.entries.get(hit.key, []):
                if e.acronym is not None and doc.text[hit.start : hit.end] != e.acronym:
                    continue
                sent.actors.append(ActorMention(hit.start, hit.end, e.name, e.inter, e.home, e.state, e.armed,
                                                e.generic, e.government_forces, e.person))  # fmt: skip
                break
        sent.actors = _drop_head_nouns(doc, sent.actors)


_OF = re.compile(r"^\s*(?:of|of the|from|du|de|de la|des|d'|من|في)?\s*$", re.IGNORECASE)


def _drop_head_nouns(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
    """ "SDF fighters", "combattants du JNIM": a generic noun next to a named actor is that actor, not another."""
    mentions = [
        m
        for i, m in enumerate(mentions)
        if not (
            m.generic
            and i + 1 < len(mentions)
            and not mentions[i + 1].generic
            and _OF.match(doc.text[m.end : mentions[i + 1].start])
        )
    ]
    out: list[ActorMention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and m.generic
            and not prev.generic
            and m.start - prev.end <= 2
            and not doc.text[prev.end : m.start].strip()
        ):
            continue
        out.append(m)
    return out


_BETWEEN = re.compile(r"\b(?:between|entre|بين)\b", re.IGNORECASE)
_AGAINST = re.compile(r"\b(?:against|on|targeting|targeted|contre|visant|ضد|على|استهدف)\s*$", re.IGNORECASE)
_BY = re.compile(r"\b(?:by|par|من قبل|على يد)\s*$", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|a été|ont été|été)\s+\w*\s*$", re.IGNORECASE)


def assign_roles(doc: Doc, sent: Sentence, trigger: Trigger) -> tuple[ActorMention | None, ActorMention | None]:
    """(actor1, actor2) for a trigger in a sentence, from word order and a few prepositions."""
    actors = sorted(sent.actors, key=lambda a: a.start)
    if not actors:
        return None, None
    text = doc.text
    between = _BETWEEN.search(text, trigger.end, sent.end)
    if between is not None:
        after = [a for a in actors if a.start >= between.end()]
        if len(after) >= 2:
            return after[0], after[1]
    # An actor overlapping a multi-word trigger counts on the side it starts: "Israeli drones struck" (doer),
    # "attacked civilians" (object).
    before = [a for a in actors if a.start < trigger.start]
    after = [a for a in actors if a.start > trigger.start]
    passive = bool(_PASSIVE.search(text[max(sent.start, trigger.start - 20) : trigger.start]))
    # "by X" names the doer only for a passive trigger ("escorted by VDP" in an active clause does not).
    agent = (
        next((a for a in after if _BY.search(text[max(sent.start, a.start - 15) : a.start])), None) if passive else None
    )
    if not before and not passive and agent is None:
        # Verb-first clauses (Arabic VSO, "fighting broke out when A raided B"): first is the doer.
        return (after[0], after[1]) if len(after) >= 2 else ((after[0], None) if after else (None, None))
    a1: ActorMention | None = agent
    a2: ActorMention | None = None
    for a in after:
        if a is agent:
            continue
        prefix = text[max(sent.start, a.start - 15) : a.start]
        if a2 is None and (_AGAINST.search(prefix) or not passive):
            a2 = a
    if before:
        subject = before[-1]
        if passive:
            a2 = a2 or subject
        else:
            a1 = a1 or subject
    if a1 is not None and a2 is not None and a1.name == a2.name:
        a2 = None
    return a1, a2
