from __future__ import annotations

from datetime import date

from eventwatch.resolve.actors import link_actor


def test_aliases_and_spellings_link_to_one_person() -> None:
    for n in ["Abu Mohammad al-Jolani", "al-Julani", "Golani", "الجولاني", "Ahmed al-Sharaa"]:
        assert link_actor(n).name == "Ahmed al-Sharaa", n
    for n in ["Omar Omsen", "Omsin", "Omar Diaby", "Oumar Diaby", "Omar Diabi"]:
        assert link_actor(n).name == "Omar Omsen", n


def test_groups_by_alias_and_validity_date() -> None:
    assert link_actor("الأمن العام").name == "General Security Service (Syria)"
    assert link_actor("Sécurité générale").name == "General Security Service (Syria)"
    assert link_actor("Syrian army", date(2025, 3, 7)).name == "Military Forces of Syria (2024-)"
    assert link_actor("Syrian army", date(2019, 5, 1)).name == "Military Forces of Syria (2000-2024)"


def test_unknown_actor_is_provisional_not_dropped() -> None:
    a = link_actor("Liwa Suqur al-Sahel")
    assert a.provisional and a.name == "Liwa Suqur al-Sahel"
