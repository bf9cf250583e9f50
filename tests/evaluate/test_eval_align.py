"""The alignment rule: no background, same event_type first, most agreeing fields, then confidence, then order."""

from __future__ import annotations

from datetime import date

from eventwatch.evaluate.align import agreement, align, to_prediction
from eventwatch.evaluate.gold import GoldRow
from eventwatch.model import Event

ROW = GoldRow(
    event_id="SDN37611",
    notes="...",
    event_date=date(2025, 10, 25),
    event_type="Battles",
    sub_event_type="Armed clash",
    actor1="Rapid Support Forces",
    actor2="Military Forces of Sudan (2019-)",
    admin1="North Darfur",
    latitude=13.6279,
    longitude=25.3494,
    fatalities=35,
)


def ev(event_type: str, sub: str = "", **kw: object) -> Event:
    return Event(report_id="r", event_type=event_type, sub_event_type=sub, **kw)  # type: ignore[arg-type]


def test_background_events_are_never_aligned() -> None:
    assert align(ROW, []) is None
    assert align(ROW, [ev("Battles", "Armed clash", background=True)]) is None


def test_same_event_type_wins_over_more_agreeing_fields() -> None:
    rich_wrong_type = ev(
        "Explosions/Remote violence", actor1="Rapid Support Forces", fatalities=35, admin1="North Darfur"
    )
    bare_right_type = ev("Battles")
    assert align(ROW, [rich_wrong_type, bare_right_type]) is bare_right_type
    # With no candidate of the gold type, the best of the rest is still aligned (and scored as wrong type).
    assert align(ROW, [rich_wrong_type, ev("Protests")]) is rich_wrong_type


def test_most_agreeing_fields_then_confidence_then_order() -> None:
    a = ev("Battles", "Armed clash", event_date=date(2025, 10, 24))  # sub_event_type agrees: 1
    b = ev("Battles", "Armed clash", event_date=date(2025, 10, 25), fatalities=35)  # sub, date, fatalities: 3
    assert agreement(ROW, to_prediction(a)) == 1
    assert agreement(ROW, to_prediction(b)) == 3
    assert align(ROW, [a, b]) is b
    low = ev("Battles", "Armed clash", confidence=0.4)
    high = ev("Battles", "Armed clash", confidence=0.9)
    assert align(ROW, [low, high]) is high
    first = ev("Battles", "Armed clash", location="x")
    second = ev("Battles", "Armed clash", location="y")
    assert align(ROW, [first, second]) is first


def test_prediction_falls_back_to_best_fatalities() -> None:
    assert to_prediction(ev("Battles", fatalities_best=4)).fatalities == 4
    assert to_prediction(ev("Battles", fatalities=2, fatalities_best=4)).fatalities == 2
