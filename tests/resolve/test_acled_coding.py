"""Actors coded in ACLED's naming and roles (issue 13): state forces with their term, generic actors with the
event's country, named groups through the learned ACLED aliases, roles by the event's type."""

from __future__ import annotations

from datetime import UTC, date, datetime

from eventwatch.model import Event, Report
from eventwatch.pipeline import process_report
from eventwatch.resolve.coding import state_force


def _event(text: str, day: datetime, event_type: str | None = None) -> Event:
    events = [e for e in process_report(Report(text=text, published_at=day, language="en")).events
              if not e.background and (event_type is None or e.event_type == event_type)]  # fmt: skip
    assert events, text
    return events[0]


def test_state_forces_carry_the_term_in_force_at_the_date() -> None:
    assert state_force("Military Forces", "NG", None, date(2020, 5, 1)) == "Military Forces of Nigeria (2015-)"
    assert state_force("Police Forces", "PH", None, date(2020, 5, 1)) == "Police Forces of the Philippines (2016-)"
    old = state_force("Military Forces", "CD", None, date(2017, 3, 1))
    new = state_force("Military Forces", "CD", None, date(2020, 3, 1))
    assert old == "Military Forces of the Democratic Republic of Congo (2001-2019)"
    assert new == "Military Forces of the Democratic Republic of Congo (2019-)"


def test_protesters_are_actor1_with_the_country_and_no_actor2() -> None:
    e = _event("On 4 May 2020, hundreds of students demonstrated in Nairobi against the closure of universities.",
               datetime(2020, 5, 5, tzinfo=UTC), "Protests")  # fmt: skip
    assert (e.actor1, e.inter1, e.actor2) == ("Protesters (Kenya)", 6, None)


def test_named_groups_through_learned_aliases_and_civilian_victims() -> None:
    e = _event("On 3 May 2020, Al Shabaab militants shot dead a civilian in Mogadishu.",
               datetime(2020, 5, 4, tzinfo=UTC), "Violence against civilians")  # fmt: skip
    assert e.actor1 == "Al Shabaab" and e.inter1 == 2
    assert e.actor2 == "Civilians (Somalia)" and e.inter2 == 7
    assert e.fatalities == 1


def test_an_unnamed_perpetrator_is_an_unidentified_armed_group() -> None:
    e = _event("On 9 May 2020, unidentified gunmen abducted a trader in Lagos, Nigeria.",
               datetime(2020, 5, 10, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Unidentified Armed Group (Nigeria)" and e.inter1 == 3
    assert e.actor2 == "Civilians (Nigeria)"
