from __future__ import annotations

from datetime import UTC, datetime

from eventwatch.extract import Doc, extract
from eventwatch.model import Place, Report
from eventwatch.resolve import resolve

PUB = datetime(2025, 10, 22, tzinfo=UTC)


def _doc(text: str, language: str = "en") -> Doc:
    d = extract(Report(text=text, language=language, published_at=PUB))
    resolve(d)
    return d


def _places(text: str, language: str = "en") -> list[tuple[str, int, bool]]:
    d = _doc(text, language)
    return [(pm.place.name, pm.place.geo_precision, pm.metonymy) for s in d.sentences for pm in s.places]


def _place(text: str, language: str = "en") -> Place:
    d = _doc(text, language)
    assert d.frames and d.frames[0].place is not None
    return d.frames[0].place.place


def test_spellings_fold_to_one_place() -> None:
    for text, lang in [
        ("Clashes erupted in Harem overnight.", "en"),
        ("Clashes erupted in Harim overnight.", "en"),
        ("Des affrontements ont éclaté à Ḩārim.", "fr"),
        ("اندلعت اشتباكات في حارم.", "ar"),
    ]:
        p = _place(text, lang)
        assert (p.name, p.admin1, p.admin2, p.geo_precision) == ("Harim", "Idleb", "Harim", 1)
        assert p.latitude is not None and abs(p.latitude - 36.21) < 0.01


def test_governorate_when_the_text_says_so() -> None:
    assert _places("Fighting spread in the northwestern province of Idlib.") == [("Idlib Governorate", 3, False)]
    assert _places("Shelling hit western Idleb.") == [("Idlib Governorate", 3, False)]
    assert _places("Shelling hit Idlib city.") == [("Idlib", 1, False)]
    # "ريف إدلب" (rural Idlib) names the governorate, but only its countryside: part of it, ACLED precision 2.
    assert _places("قصفت القوات ريف إدلب.", "ar") == [("Idlib Governorate", 2, False)]


def test_most_specific_place_is_the_event_location() -> None:
    p = _place("Clashes broke out in Harem, a city in western Idlib.")
    assert p.name == "Harim"


def test_region_has_region_precision() -> None:
    p = _place("Militants massacred Alawite civilians along the Syrian coast in March.")
    assert (p.name, p.geo_precision, p.country) == ("Syrian coast", 3, "Syria")


def test_capital_as_speaker_is_not_a_place() -> None:
    assert ("Damascus", 1, True) in _places("Damascus has reportedly labeled the group a security risk.")
    assert ("Damascus", 1, False) in _places("A car bomb exploded in Damascus.")
    d = _doc("Damascus said its forces repelled an attack near Saraqib.")
    assert d.frames and d.frames[0].place is not None and d.frames[0].place.place.name == "Saraqib"


def test_lowercase_common_words_are_not_places() -> None:
    assert _places("They did it for the sake of peace.") == []


def test_focus_country_and_generic_actor_names() -> None:
    d = _doc("RSF fighters attacked civilians in El Fasher, killing 14 people.")
    assert d.focus_country == "SD"
    frame = d.frames[0]
    assert frame.actor2 is not None and frame.actor2.name == "Civilians (Sudan)"
    assert frame.country == "SD"


def test_state_force_abroad_is_external() -> None:
    d = _doc("Russian forces shelled Kharkiv overnight, wounding 9 people.")
    frame = d.frames[0]
    assert frame.actor1 is not None and frame.actor1.name == "Military Forces of Russia (2000-)"
    assert frame.actor1.inter == 8  # a state force outside its own country
