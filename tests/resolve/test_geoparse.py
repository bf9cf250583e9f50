"""Geoparsing on realistic text: countries as places, the gold-span seam, organisations and demonyms that are not
places, admin fallback instead of a namesake abroad, and the event's country filled when no place is named."""

from __future__ import annotations

from datetime import UTC, datetime

from eventwatch.model import Report
from eventwatch.pipeline import process_report
from eventwatch.resolve import geocode, geoparse

PUB = datetime(2020, 11, 1, tzinfo=UTC)


def _names(text: str, language: str = "en") -> list[tuple[str, str | None]]:
    return [(pm.place.name, pm.place.iso) for pm in geoparse(Report(text=text, language=language, published_at=PUB))]


def test_countries_are_places_and_demonyms_are_not() -> None:
    names = _names("Syrian forces shelled Saraqib, and Turkey said it would respond in Iraq.")
    assert ("Saraqib", "SY") in names and ("Turkey", "TR") in names and ("Iraq", "IQ") in names
    assert all(n != "Syria" for n, _ in names)  # "Syrian" is a demonym: it votes for the focus, names no place


def test_geocode_resolves_given_spans_in_the_documents_context() -> None:
    text = "An Alexandria woman was charged on Friday. Deputies of Rapides Parish investigated the fire."
    spans = [(text.index("Alexandria"), text.index("Alexandria") + 10), (text.index("Rapides"), text.index(" inv"))]
    alexandria, parish = geocode(text, spans, "en")
    # Alone, "Alexandria" would be Egypt's; the parish next to it puts it in Louisiana.
    assert parish is not None and (parish.place.iso, parish.place.admin1) == ("US", "Louisiana")
    assert alexandria is not None and (alexandria.place.iso, alexandria.place.admin1) == ("US", "Louisiana")


def test_a_name_inside_an_organisations_name_is_not_a_place() -> None:
    text = "Boko Haram fighters raided Kirinowa village in Borno."
    events = process_report(Report(text=text, published_at=PUB)).events
    assert events and all(e.iso == "NG" for e in events)
    assert all(e.location != "Harim" for e in events)


def test_unknown_town_falls_back_to_its_admin_area_never_a_namesake_abroad() -> None:
    # Nangololo is in neither GeoNames' cities500 nor the places ACLED coded in training: the district stands in.
    text = (
        "On 19 October 2020, an Islamist militia raided and looted the village of Nangololo (Muidumbe, Cabo Delgado)."
    )
    (event,) = process_report(Report(text=text, published_at=PUB)).events
    assert (event.location, event.admin1, event.iso, event.geo_precision) == ("Muidumbe", "Cabo Delgado", "MZ", 2)
    # Iba is a village ACLED codes (acled_places.tsv): the village itself, not the Philippines' or Nigeria's Iba.
    text = "On 19 October 2020, an Islamist militia raided and looted the village of Iba (Macomia, Cabo Delgado)."
    (event,) = process_report(Report(text=text, published_at=PUB)).events
    assert (event.location, event.admin1, event.iso, event.geo_precision) == ("Iba", "Cabo Delgado", "MZ", 1)


def test_named_kind_of_place_needs_no_cue_and_districts_are_precision_2() -> None:
    text = "On 4 October 2020, PKK militants attacked a checkpoint in the Sinjar district centre, killing 2 soldiers."
    (event,) = process_report(Report(text=text, published_at=PUB)).events
    assert event.iso == "IQ" and event.geo_precision == 2 and "Sinjar" in (event.location or "")


def test_event_country_is_filled_from_the_focus_when_no_place_is_named() -> None:
    text = "Nigerian soldiers killed three bandits during a raid on Tuesday."
    (event,) = process_report(Report(text=text, published_at=PUB)).events
    assert (event.location, event.country, event.iso) == (None, "Nigeria", "NG")
    (span,) = event.spans["country"]
    assert text[span.start : span.end] == "Nigerian"


def test_datelines_are_where_the_report_was_filed_not_the_event_place() -> None:
    text = "TEHRAN – Israeli jets bombed an arms depot near Homs on Sunday, killing 4 people."
    events = process_report(Report(text=text, published_at=PUB)).events
    assert events and all(e.location == "Homs" and e.geo_precision == 2 for e in events)
    (tehran, *_) = geoparse(Report(text=text, published_at=PUB))
    assert tehran.place.name == "Tehran" and tehran.dateline
    text = "DAMASCUS, March 12 (Reuters) - Gunmen attacked a checkpoint, killing 3 soldiers."
    (event,) = process_report(Report(text=text, published_at=PUB)).events
    assert event.location is None and event.iso == "SY"
