"""The actor knowledge base (``actors.yaml``): link any spelling of an actor or person to its canonical entry.

Exact alias keys first (folded, then transliteration skeleton: Jolani/Julani/Golani, Omsen/Omsin), then fuzzy
matching with rapidfuzz over the skeletons for unseen spellings (Diabi). Among entries of one group valid at
different times ("Military Forces of Syria (2000-2024)" / "(2024-)") the one valid at the event date wins. A name
the knowledge base does not know comes back as a provisional actor, never dropped.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from rapidfuzz import fuzz, process

from eventwatch.extract.lexicon import load_yaml
from eventwatch.model import Actor
from eventwatch.resolve.names import skeleton

_FUZZY_CUTOFF = 85.0


@cache
def _kb() -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    data: dict[str, Any] = load_yaml("actors.yaml")
    by_name = {str(a["name"]): a for a in data["actors"]}
    keys: dict[str, list[dict[str, Any]]] = {}

    def add(alias: str, entry: dict[str, Any]) -> None:
        k = skeleton(alias)
        if k and entry not in keys.setdefault(k, []):
            keys[k].append(entry)

    for a in data["actors"]:
        for alias in [a["name"], *(x for xs in (a.get("aliases") or {}).values() for x in (xs or []))]:
            add(str(alias), a)
    for p in data["persons"]:
        group = by_name.get(str(p.get("member_of")))
        entry = {"name": str(p["name"]), "person": True, "group": group}
        for alias in [p["name"], *p["aliases"]]:
            add(str(alias), entry)
    return keys, list(keys)


def _valid(entry: dict[str, Any], on: date | None) -> bool:
    if on is None:
        return "valid_to" not in entry  # no date: the current entry
    start, end = entry.get("valid_from"), entry.get("valid_to")
    return (start is None or start <= on) and (end is None or on <= end)


def link_actor(name: str, on: date | None = None) -> Actor:
    """The canonical actor a name denotes at date ``on``; a provisional one when the knowledge base lacks it."""
    keys, names = _kb()
    k = skeleton(name)
    entries = keys.get(k)
    if not entries and len(k) >= 4:
        found = process.extractOne(k, names, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
        entries = keys[found[0]] if found is not None else None
    if not entries:
        return Actor(name=name, provisional=True, aliases=[name])
    entry = next((e for e in entries if _valid(e, on)), entries[0])
    if entry.get("person"):
        return Actor(name=str(entry["name"]), kb_id=f"person:{skeleton(str(entry['name']))}", aliases=[name])
    # Validity: the same group under another era's name ("Military Forces of Syria (2000-2024)").
    base = str(entry["name"]).split(" (")[0]
    if not _valid(entry, on):
        era = [e for es in keys.values() for e in es if str(e.get("name", "")).split(" (")[0] == base and _valid(e, on)]
        entry = era[0] if era else entry
    return Actor(name=str(entry["name"]), inter_code=entry.get("inter"), country=entry.get("country"),
                 kb_id=f"actor:{skeleton(str(entry['name']))}", aliases=[name])  # fmt: skip
