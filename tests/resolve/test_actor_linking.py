"""Event actors through the pipeline: knowledge-base names valid at the event date, unknown names kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eventwatch.model import Event, Report, ReportAnalysis
from eventwatch.pipeline import process_report

PUB = datetime(2025, 10, 22, tzinfo=UTC)


def _run(text: str, lang: str) -> tuple[ReportAnalysis, Event]:
    analysis = process_report(Report(text=text, published_at=PUB, language=lang))
    assert len(analysis.events) == 1, [(e.event_type, e.actor1, e.actor2) for e in analysis.events]
    return analysis, analysis.events[0]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("General Security forces clashed with fighters loyal to Omar Omsin near Harem on Tuesday.", "en"),
        ("General Security forces clashed with fighters loyal to Oumar Diabi near Harem on Tuesday.", "en"),
    ],
)
def test_unseen_spelling_of_a_leader_links_to_his_group(text: str, lang: str) -> None:
    analysis, e = _run(text, lang)
    assert (e.actor1, e.inter1) == ("General Security Service (Syria)", 1)
    assert (e.actor2, e.inter2) == ("Firqat al-Ghuraba", 2)
    assert e.spans["actor2"][0].of(text).startswith("O")  # the person's name supports the group
    assert not any(a.provisional for a in analysis.actors)


def test_state_force_takes_the_name_valid_at_the_event_date() -> None:
    _, e = _run("The Syrian army shelled villages near Idlib in 2019, killing civilians.", "en")
    assert (e.actor1, e.inter1) == ("Military Forces of Syria (2000-2024)", 1)
    assert e.actor2 == "Civilians (Syria)" and e.civilian_targeting


@pytest.mark.parametrize(
    ("text", "lang", "name"),
    [
        ("Liwa Suqur al-Sahel attacked a checkpoint of the General Security in Jableh overnight.", "en",
         "Liwa Suqur al-Sahel"),
        ("Des combattants de la brigade des Faucons ont attaqué des civils à Tartous mardi soir.", "fr",
         "brigade des Faucons"),
        ("هاجم لواء صقور الساحل حاجزا للأمن العام في جبلة يوم الأربعاء.", "ar", "لواء صقور الساحل"),
    ],
)  # fmt: skip
def test_unknown_group_is_kept_as_provisional_actor(text: str, lang: str, name: str) -> None:
    analysis, e = _run(text, lang)
    assert e.actor1 == name and e.inter1 is None  # the report's own wording, never dropped
    assert e.spans["actor1"][0].of(text) == name
    assert [a.name for a in analysis.actors if a.provisional] == [name]
    assert e.location in ("Jableh", "Tartus")  # "al-Sahel" inside the name is not the place
