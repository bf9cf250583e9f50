"""Issue 5's resolution cases through ``process_report``: places, regions, cues and times in en/fr/ar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eventwatch.extract import extract
from eventwatch.model import Event, Report
from eventwatch.pipeline import process_report
from eventwatch.resolve import resolve

from ..seed import seed_text

PUB = datetime(2025, 10, 22, tzinfo=UTC)  # a Wednesday


def _event(text: str, lang: str) -> Event:
    events = process_report(Report(text=text, published_at=PUB, language=lang)).events
    assert len(events) == 1, [(e.event_type, e.location, e.event_date) for e in events]
    return events[0]


@pytest.mark.parametrize(
    ("text", "lang", "location", "admin1", "precision"),
    [
        ("Security forces clashed with gunmen in Tartus on Tuesday.", "en", "Tartus", "Tartus", 1),
        ("Security forces clashed with gunmen in Tartous on Tuesday.", "en", "Tartus", "Tartus", 1),
        ("Security forces clashed with gunmen in Tartouss on Tuesday.", "en", "Tartus", "Tartus", 1),
        ("Security forces clashed with gunmen in Jableh on Tuesday.", "en", "Jableh", "Latakia", 1),
        ("Security forces clashed with gunmen in Jablah on Tuesday.", "en", "Jableh", "Latakia", 1),
        ("Des hommes armés ont tué deux civils à Tartous le 22 octobre.", "fr", "Tartus", "Tartus", 1),
        ("Gunmen killed two civilians in northwestern Syria two days ago.", "en", "Northwest Syria", "Idleb", 3),
        ("Gunmen attacked villagers in the Sahel on Tuesday, killing 12 civilians.", "en", "Sahel", "Gao", 3),
        ("Government forces shelled villages in the countryside of Hama yesterday.", "en", None, "Hama", 2),
        ("قصفت القوات الحكومية قرى في ريف إدلب يوم الأربعاء.", "ar", None, "Idleb", 2),
        ("L'armée a bombardé des villages dans la campagne de Hama mardi soir.", "fr", None, "Hama", 2),
    ],
)  # fmt: skip
def test_places_spellings_regions_and_countryside(
    text: str, lang: str, location: str | None, admin1: str, precision: int
) -> None:
    e = _event(text, lang)
    if location is not None:
        assert e.location == location
    assert (e.admin1, e.geo_precision) == (admin1, precision)
    assert e.latitude is not None and e.longitude is not None


@pytest.mark.parametrize(
    ("text", "lang", "start", "end", "precision"),
    [
        ("Gunmen killed two civilians in Jableh overnight.", "en", date(2025, 10, 21), date(2025, 10, 22), 1),
        ("Gunmen killed two civilians in Jableh yesterday.", "en", date(2025, 10, 21), date(2025, 10, 21), 1),
        ("Gunmen killed two civilians in Jableh on Tuesday.", "en", date(2025, 10, 21), date(2025, 10, 21), 1),
        ("Gunmen killed two civilians in Jableh two days ago.", "en", date(2025, 10, 20), date(2025, 10, 20), 1),
        # A month is coded to its middle day (ACLED), the period running to its end.
        ("Gunmen killed two civilians in Jableh in March.", "en", date(2025, 3, 15), date(2025, 3, 31), 3),
        ("Gunmen killed two civilians in Jableh last November.", "en", date(2024, 11, 15), date(2024, 11, 30), 3),
        ("Security forces clashed with gunmen in Jableh since March 6.", "en", date(2025, 3, 6), date(2025, 10, 22), 3),
        ("Des hommes armés ont tué deux civils à Jablé mardi soir.", "fr", date(2025, 10, 21), date(2025, 10, 21), 1),
        ("Des hommes armés ont tué deux civils à Tartous le 22 octobre.", "fr", date(2025, 10, 22), date(2025, 10, 22),
         1),
        ("قصفت القوات الحكومية قرى في ريف إدلب يوم الأربعاء.", "ar", date(2025, 10, 22), date(2025, 10, 22), 1),
    ],
)  # fmt: skip
def test_times_relative_to_publication(text: str, lang: str, start: date, end: date, precision: int) -> None:
    e = _event(text, lang)
    assert (e.event_date, e.event_date_end, e.time_precision) == (start, end, precision)


def test_seed_places_and_times() -> None:
    """Issue 5's Done-when on the seed article: Harem is GeoNames 169866 (town), the March killings are the
    coastal region, Damascus (the government, by metonymy) is never an event's place."""
    doc = extract(Report(text=seed_text(), published_at=PUB, language="en"))
    resolve(doc)
    places = {f.event_type: f.place.place for f in doc.frames if f.place is not None}
    harem = places["Battles"]
    assert (harem.gazetteer_id, harem.admin1, harem.geo_precision) == ("geonames:169866", "Idleb", 1)
    coast = places["Violence against civilians"]
    assert (coast.gazetteer_id, coast.geo_precision) == ("region:syrian-coast", 3)
    assert all(p.name != "Damascus" for p in places.values())
    times = {f.event_type: f.time for f in doc.frames if f.time is not None}
    assert (times["Battles"].start, times["Battles"].end, times["Battles"].precision) == (
        date(2025, 10, 21), date(2025, 10, 22), 1)  # fmt: skip
    march = times["Violence against civilians"]
    assert (march.start, march.end, march.precision) == (date(2025, 3, 1), date(2025, 3, 31), 3)
