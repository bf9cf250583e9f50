"""The offline GeoNames index: spelling variants, build without network, cues in context (lookup latency is
measured in benchmarks/resolve_bench.py, never asserted here)."""

from __future__ import annotations

import socket
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from eventwatch.extract import extract
from eventwatch.model import Report
from eventwatch.resolve import geoindex, resolve
from eventwatch.resolve.gazetteer import candidates

PUB = datetime(2025, 10, 22, tzinfo=UTC)


def _best(name: str, iso2: str = "SY") -> tuple[str, str | None, str]:
    c = next(c for c in candidates(name) if c.iso2 == iso2 and c.feature_class == "P")
    return c.name, c.admin1, c.id


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Harim", "Harem", "Ḩārim", "حارم"], ("Harim", "Idleb", "geonames:169866")),
        (["Idlib", "Idleb", "إدلب"], ("Idlib", "Idleb", "geonames:169389")),
        (["Tartus", "Tartous", "Tartouss", "طرطوس"], ("Tartus", "Tartus", "geonames:163345")),
        (["Jableh", "Jablah", "جبلة"], ("Jableh", "Latakia", "geonames:169304")),
    ],
)
def test_spelling_variants_find_one_place(names: list[str], expected: tuple[str, str, str]) -> None:
    for n in names:
        assert _best(n) == expected, n


def test_building_needs_no_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access while building the gazetteer")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    path = tmp_path / "gaz.sqlite"
    info = geoindex.build(path, countries=frozenset({"SY"}))
    assert info["places"] > 300 and path.exists() and not list(tmp_path.glob("*.tmp"))
    con = sqlite3.connect(path)
    assert con.execute("SELECT name, admin1 FROM places WHERE gid = 'geonames:169866'").fetchone() == ("Harim", "Idleb")


def _places(text: str, language: str = "en") -> list[tuple[str, str | None, int, bool]]:
    d = extract(Report(text=text, language=language, published_at=PUB))
    resolve(d)
    return [(p.place.name, p.place.admin1, p.place.geo_precision, p.metonymy) for s in d.sentences for p in s.places]


def test_near_and_distance_cues_give_precision_2() -> None:
    assert _places("Clashes erupted 12 km north of Saraqib.") == [("Saraqib", "Idleb", 2, False)]
    assert _places("Shelling hit the outskirts of Harem.") == [("Harim", "Idleb", 2, False)]
    assert _places("Des tirs ont visé un poste près de Saraqib.", "fr") == [("Saraqib", "Idleb", 2, False)]


def test_uncurated_geonames_places_after_a_locative_cue() -> None:
    assert _places("Artillery shelled the village of Kafr Nabl in southern Idlib.")[0][:3] == ("Kafranbel", "Idleb", 1)
    assert _places("قصفت الطائرات بلدة كفرنبل في ريف إدلب الجنوبي.", "ar")[0][:3] == ("Kafranbel", "Idleb", 1)
    assert _places("Fighting in Jisr al-Shughour and Darkush.") == [
        ("Jisr ash-Shughur", "Idleb", 1, False),
        ("Darkush", "Idleb", 1, False),
    ]


def test_capitals_speaking_are_governments() -> None:
    assert ("Ankara", "Ankara", 1, True) in _places("Ankara warned that it would respond to attacks near Afrin.")
    assert ("Khartoum", "Khartoum", 1, True) in _places("Khartoum has accused the RSF of shelling El Fasher.")
    assert any(n == "Beirut" and m for n, _, _, m in _places("Beirut said an Israeli strike hit Nabatieh."))


def test_admin1_spellings_reach_the_name_events_carry() -> None:
    from eventwatch.resolve.gazetteer import admin1_spellings

    assert admin1_spellings(["Idlib"])[0] == "Idlib" and "Idleb" in admin1_spellings(["Idlib"])
    assert "Nord-Kivu" in admin1_spellings(["North Kivu"])
    assert admin1_spellings(["Nowhere-in-particular"]) == ["Nowhere-in-particular"]
