"""The event location is the most specific place where the event happened, not any place the passage names."""

from __future__ import annotations

from datetime import UTC, datetime

from eventwatch.model import Report
from eventwatch.pipeline import process_report

PUB = datetime(2025, 10, 22, 9, tzinfo=UTC)


def test_near_town_in_event_sentence_beats_town_named_later() -> None:
    text = (
        "Heavy clashes broke out on Tuesday between government forces and Hurras al-Din fighters near Saraqib, "
        "east of Idlib, according to local sources. At least four fighters were killed. Hundreds of families "
        "fled towards Aleppo."
    )
    (event,) = [e for e in process_report(Report(text=text, published_at=PUB, language="en")).events]
    assert event.location == "Saraqib"
    assert event.geo_precision == 2  # "near" a town


def test_town_in_follow_up_sentence_refines_a_province() -> None:
    text = (
        "Fighting raged in Idlib province on Tuesday between government forces and Hurras al-Din fighters, "
        "local sources said. The heaviest clashes took place in the town of Saraqib, where at least four "
        "fighters were killed."
    )
    events = process_report(Report(text=text, published_at=PUB, language="en")).events
    assert events and events[0].location == "Saraqib" and events[0].geo_precision == 1
