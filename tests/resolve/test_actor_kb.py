"""The actor knowledge base file: every entry loads, every alias links back to its entry."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from eventwatch.extract.lexicon import load_yaml, per_lang
from eventwatch.resolve.actors import candidates, link_actor

KB: dict[str, Any] = load_yaml("actors.yaml")
INTER = set(range(1, 9))


def _on(entry: dict[str, Any]) -> date | None:
    """A date inside the entry's validity (None: today's entry)."""
    if "valid_to" in entry:
        return entry["valid_to"]  # type: ignore[no-any-return]
    return entry.get("valid_from")


@pytest.mark.parametrize("entry", KB["actors"] + KB["generic"], ids=lambda e: str(e["name"]))
def test_every_group_loads_and_its_aliases_link_back(entry: dict[str, Any]) -> None:
    assert entry["inter"] in INTER
    assert set(entry["aliases"]) <= {"en", "fr", "ar"} and entry["aliases"].get("en")
    for alias, _ in per_lang(entry["aliases"]):
        assert entry["name"] in candidates(alias), alias
        if candidates(alias) == [entry["name"]]:  # not shared with another entry ("HTS", "regime forces")
            assert link_actor(alias, _on(entry)).name == entry["name"], alias


@pytest.mark.parametrize("person", KB["persons"], ids=lambda p: str(p["name"]))
def test_every_person_alias_links_back(person: dict[str, Any]) -> None:
    names = {str(a["name"]) for a in KB["actors"]}
    assert person["member_of"] is None or person["member_of"] in names
    for alias in person["aliases"]:
        assert link_actor(alias).name == person["name"], alias


@pytest.mark.parametrize(
    ("name", "on", "canonical"),
    [
        ("Golani", None, "Ahmed al-Sharaa"),
        ("الشرع", None, "Ahmed al-Sharaa"),
        ("Oumar Diabi", None, "Omar Omsen"),
        ("Daesh", None, "Islamic State (Syria)"),
        ("État islamique", None, "Islamic State (Syria)"),
        ("قسد", None, "SDF: Syrian Democratic Forces"),
        ("FDS", None, "SDF: Syrian Democratic Forces"),
        ("الدعم السريع", None, "Rapid Support Forces"),
        ("FSR", None, "Rapid Support Forces"),
        ("جماعة نصرة الإسلام والمسلمين", None, "JNIM: Group for Support of Islam and Muslims"),
        ("US forces", date(2024, 2, 3), "Military Forces of the United States (2021-2025)"),
        ("US forces", date(2025, 6, 1), "Military Forces of the United States (2025-)"),
        ("Syrian Arab Army", date(2025, 3, 7), "Military Forces of Syria (2024-)"),
        ("مدنيًا", None, "Civilians ({country})"),
        ("civiles", None, "Civilians ({country})"),
    ],
)
def test_spellings_languages_and_eras(name: str, on: date | None, canonical: str) -> None:
    assert link_actor(name, on).name == canonical


@pytest.mark.parametrize(
    "name", ["SOHR", "OSDH", "المرصد السوري", "SNHR", "SANA", "Reuters", "AFP", "WaPo", "Le Monde"]
)
def test_monitors_and_outlets_are_sources_not_parties(name: str) -> None:
    a = link_actor(name)
    assert (a.kb_id or "").startswith("source:") and a.inter_code is None and not a.provisional
