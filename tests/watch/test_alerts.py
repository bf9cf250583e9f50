"""Alert rules: change detection between incident snapshots, the rules' filters, and which changes fire."""

from __future__ import annotations

from datetime import date

import pytest

from eventwatch.model import Hedge, Incident, IncidentSource
from eventwatch.watch.alerts import (
    RuleError,
    alert_id,
    changes,
    compile_rule,
    describe,
    firings,
    incident_state,
    matches,
)
from eventwatch.watch.config import RuleConfig


def _source(original: str, n: int, hedge: Hedge = Hedge.ATTRIBUTED) -> IncidentSource:
    return IncidentSource(event_id=f"e{n}", report_id=f"r{n}", outlet=original, original=original, hedge=hedge)


def harem(*, killed: int | None = 3, originals: tuple[str, ...] = ("SOHR",), contradictions: bool = False) -> Incident:
    """The Harem clash (Idlib, October 2025) as fusion stores it, with the counts and sources a test needs."""
    return Incident(
        id="inc-harem",
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=date(2025, 10, 21),
        country="Syria",
        iso="SY",
        admin1="Idlib",
        admin2="Harim",
        location="Harem",
        latitude=36.2118,
        longitude=36.5208,
        bbox=(36.2118, 36.2118, 36.5208, 36.5208),
        actor1="General Security Service (Syria)",
        actor2="Firqat al-Ghuraba",
        actors=["General Security Service (Syria)", "Firqat al-Ghuraba"],
        fatalities_low=killed,
        fatalities_best=killed,
        corroboration=len(originals),
        sources=[_source(o, i) for i, o in enumerate(originals)],
        report_ids=[f"r{i}" for i in range(len(originals))],
        contradictions=[
            {
                "field": "fatalities",
                "versions": [{"value": "3", "sources": ["SOHR"]}, {"value": "7", "sources": ["Syria Direct"]}],
                "note": "sources disagree",
            }
        ]
        if contradictions
        else [],
    )


def rule(**kwargs: object) -> RuleConfig:
    return RuleConfig.model_validate({"name": "desk", **kwargs})


def test_first_sight_is_a_new_incident() -> None:
    assert [c.kind for c in changes(None, incident_state(harem()))] == ["new_incident"]


def test_toll_rise_new_independent_source_and_contradiction_are_detected_from_snapshots() -> None:
    before = incident_state(harem(killed=3))
    after = incident_state(harem(killed=7, originals=("SOHR", "Syria Direct"), contradictions=True))
    found = {c.kind: c for c in changes(before, after)}
    assert set(found) == {"toll_rose", "new_source", "contradiction"}
    assert found["toll_rose"].detail == {"from": 3, "to": 7}
    assert found["new_source"].detail["new_sources"] == ["Syria Direct"]
    assert found["contradiction"].key == "contradiction:fatalities"


def test_nothing_changed_or_toll_fell_fires_nothing() -> None:
    state = incident_state(harem(killed=7))
    assert changes(state, state) == []
    assert changes(state, incident_state(harem(killed=5))) == []  # a lower figure is not a rise


def test_first_figure_counts_as_a_toll_rise() -> None:
    found = changes(incident_state(harem(killed=None)), incident_state(harem(killed=2)))
    assert [(c.kind, c.detail) for c in found] == [("toll_rose", {"from": None, "to": 2})]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "Syria"}, True),
        ({"country": "sy"}, True),  # ISO code, any case
        ({"country": ["Sudan", "Mali"]}, False),
        ({"admin1": "idlib"}, True),
        ({"admin1": "Aleppo"}, False),
        ({"event_type": "Battles"}, True),
        ({"event_type": "armed clash"}, True),  # sub-event types too
        ({"event_type": "Protests"}, False),
        ({"actors": "ghuraba"}, True),  # part of a canonical name, folded
        ({"actors": "Wagner"}, False),
        ({"min_fatalities": 3}, True),
        ({"min_fatalities": 5}, False),
        ({"min_sources": 2}, False),
        ({"near": {"lat": 36.0, "lon": 36.6, "radius_km": 30}}, True),  # ≈ 25 km from Harem
        ({"near": {"lat": 36.2, "lon": 37.16, "radius_km": 30}}, False),  # Aleppo city, ≈ 57 km
    ],
)
def test_filters(filters: dict[str, object], expected: bool) -> None:
    assert matches(compile_rule(rule(**filters)), incident_state(harem())) is expected


def test_a_denied_only_incident_matches_no_rule_by_default() -> None:
    denied = harem()
    denied.corroboration = 0
    assert not matches(compile_rule(rule()), incident_state(denied))


def test_rule_place_is_resolved_in_the_gazetteer() -> None:
    compiled = compile_rule(rule(near={"place": "Harem", "country": "SY", "radius_km": 10}))
    assert compiled.centre is not None
    lat, lon = compiled.centre
    assert abs(lat - 36.21) < 0.05 and abs(lon - 36.52) < 0.05
    assert matches(compiled, incident_state(harem()))
    with pytest.raises(RuleError, match="not in the gazetteer"):
        compile_rule(rule(near={"place": "Nowhere-on-Earth-Xyzzy"}))


def test_new_incident_fires_once_the_incident_grows_into_the_filters() -> None:
    """ "A new incident with at least 5 killed in Idlib": an incident first reported with 3 dead does not fire,
    and fires as new when a later report brings the toll to 7."""
    deadly = compile_rule(rule(on=["new_incident"], admin1="Idlib", min_fatalities=5))
    first = incident_state(harem(killed=3))
    assert firings(deadly, None, first) == []
    later = incident_state(harem(killed=7))
    (fired,) = firings(deadly, first, later)
    assert fired.kind == "new_incident" and fired.detail == {"now_matches": True, "also": ["toll_rose"]}
    assert firings(deadly, later, later) == []


def test_each_listened_change_fires_for_an_incident_already_matching() -> None:
    desk = compile_rule(rule(on=["toll_rose", "new_source", "contradiction"], country="Syria"))
    before = incident_state(harem(killed=3))
    after = incident_state(harem(killed=7, originals=("SOHR", "Syria Direct"), contradictions=True))
    assert sorted(c.kind for c in firings(desk, before, after)) == ["contradiction", "new_source", "toll_rose"]
    only_sources = compile_rule(rule(on=["new_source"], min_sources=2))
    assert [c.kind for c in firings(only_sources, before, after)] == ["new_source"]


def test_alert_ids_are_stable_per_rule_incident_and_change() -> None:
    (change,) = changes(incident_state(harem(killed=3)), incident_state(harem(killed=7)))
    assert alert_id("desk", "inc-harem", change) == alert_id("desk", "inc-harem", change)
    assert alert_id("desk", "inc-harem", change) != alert_id("other", "inc-harem", change)


def test_summaries_read_as_sentences() -> None:
    before, after = harem(killed=3), harem(killed=7, originals=("SOHR", "Syria Direct"), contradictions=True)
    found = {c.kind: c for c in changes(incident_state(before), incident_state(after))}
    assert describe(after, found["toll_rose"]).startswith("Toll rose from 3 to 7: Battles / Armed clash in Harem")
    assert "New independent source (Syria Direct): now 2" in describe(after, found["new_source"])
    assert describe(after, found["contradiction"]).startswith("Contradiction on fatalities (3 vs 7)")
    (new,) = changes(None, incident_state(before))
    assert describe(before, new) == (
        "New incident: Battles / Armed clash in Harem, Idlib, Syria on 2025-10-21, 3 killed; "
        "1 independent source (SOHR)"
    )
