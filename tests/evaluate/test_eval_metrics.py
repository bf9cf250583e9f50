"""Metric functions on hand-sized inputs; every expected number is worked out in a comment."""

from __future__ import annotations

from datetime import date

import pytest

from eventwatch.evaluate.gold import GoldRow
from eventwatch.evaluate.metrics import (
    CAPABILITIES,
    NO_PREDICTION,
    Prediction,
    accuracy,
    actors_match,
    confusion_matrix,
    fatalities_mae,
    fold,
    haversine_km,
    label_pairs,
    macro_f1,
    normalise_actor,
    per_label_f1,
    row_checks,
    score,
    top_confusions,
)


def test_fold_and_actor_normalisation() -> None:
    assert fold("Ségou") == "segou"
    assert fold("  Nord-Kivu ") == "nord kivu"
    assert fold(None) == ""
    assert normalise_actor("Military Forces of Sudan (2019-)") == "military forces of sudan"
    assert normalise_actor("Police Forces of Mali (2012-2020)") == "police forces of mali"
    # A country tag is kept: it is part of the actor, unlike the period.
    assert normalise_actor("Civilians (Syria)") == "civilians syria"


def test_actors_match() -> None:
    assert actors_match("Civilians (Syria)", "civilians")  # subset → token_set_ratio 100
    assert actors_match("Firqat al Ghuraba", "Firqat al-Ghuraba")
    assert actors_match("Military Forces of Sudan (2019-)", "Military Forces of Sudan")
    assert not actors_match("Military Forces of Sudan (2019-)", "Sudanese Armed Forces")  # ratio 66.7 < 80
    # token_set_ratio alone gives 87.8 here; the leftovers "mali" vs "sudan" are unlike, so no match.
    assert not actors_match("Military Forces of Mali (2021-)", "Military Forces of Sudan (2019-)")
    assert actors_match("", None)  # no actor2 in gold, none predicted: agreement
    assert not actors_match("", "Civilians (Sudan)")
    assert not actors_match("Rioters (Mali)", None)


def test_haversine() -> None:
    # One degree of longitude on the equator: 2π·6371.0088/360 = 111.195 km.
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.01)
    assert haversine_km(13.6279, 25.3494, 13.6279, 25.3494) == 0.0


def test_label_metrics_by_hand() -> None:
    gold = ["A", "A", "B", "B", "C"]
    pred: list[str | None] = ["A", "B", "B", None, "A"]
    pairs = label_pairs(gold, pred)
    assert pairs[3] == ("B", NO_PREDICTION)
    # 2 of 5 right (rows 1 and 3).
    assert accuracy(pairs).value == pytest.approx(2 / 5)
    # A: tp1 fp1 fn1 → P=1/2 R=1/2 F1=1/2; B: tp1 fp1 fn1 → 1/2; C: tp0 fn1 → 0. (none) is not a label.
    assert per_label_f1(pairs) == pytest.approx({"A": 0.5, "B": 0.5, "C": 0.0})
    assert macro_f1(pairs).value == pytest.approx((0.5 + 0.5 + 0.0) / 3)
    matrix = confusion_matrix(pairs)
    assert matrix == {"A": {"A": 1, "B": 1}, "B": {"(none)": 1, "B": 1}, "C": {"A": 1}}
    # Ties at 1 are ordered by (gold, predicted): ("A","B") < ("B","(none)") < ("C","A").
    assert top_confusions(matrix, 2) == [("A", "B", 1), ("B", "(none)", 1)]
    assert accuracy([]).value is None and macro_f1([]).n == 0
    assert label_pairs(["", "A"], ["X", "A"]) == [("A", "A")]  # rows without a gold label are not scored


def test_a_label_only_predicted_counts_in_the_macro_average() -> None:
    # Gold A,A; predicted A,Z. A: tp1 fn1 → P=1 R=1/2 F1=2/3; Z: fp1 → 0. Macro = (2/3 + 0)/2 = 1/3.
    assert macro_f1(label_pairs(["A", "A"], ["A", "Z"])).value == pytest.approx(1 / 3)


def test_fatalities_rules() -> None:
    golds = [0, 3, 5, 2, 0]
    preds: list[Prediction | None] = [
        Prediction(fatalities=None),  # None counts as 0: hit
        Prediction(fatalities=None),  # None vs 3: miss, error 3
        Prediction(fatalities=4),  # miss, error 1
        Prediction(fatalities=2),  # hit, error 0
        None,  # no event extracted: a miss, and not in the MAE
    ]
    rows = [GoldRow(event_id=f"F{i}", notes="n", fatalities=g) for i, g in enumerate(golds)]
    scores = score(rows, preds, CAPABILITIES)
    # Hits: rows 1 and 4 → 2/5.
    assert scores.metrics["fatalities.exact"].value == pytest.approx(2 / 5)
    # MAE over the 4 rows with an event: (0 + 3 + 1 + 0) / 4 = 1.0.
    mae = fatalities_mae(list(zip(golds, preds, strict=True)))
    assert mae.value == pytest.approx(1.0) and mae.n == 4
    assert fatalities_mae([(1, None)]).value is None


def test_within_km() -> None:
    preds: list[Prediction | None] = [
        Prediction(latitude=0.0, longitude=0.0),  # 0 km
        Prediction(latitude=0.0, longitude=0.1),  # 11.1 km
        Prediction(latitude=0.0, longitude=1.0),  # 111.2 km
        Prediction(latitude=None, longitude=None),  # no coordinates: miss
    ]
    rows = [GoldRow(event_id=f"K{i}", notes="n", latitude=0.0, longitude=0.0) for i in range(4)]
    m = score(rows, preds, CAPABILITIES).metrics
    assert [m[f"location.within_{km}km"].value for km in (1, 25, 161)] == pytest.approx([1 / 4, 2 / 4, 3 / 4])
    assert row_checks(rows[1], preds[1]) == {
        "location.within_1km": False,
        "location.within_25km": True,
        "location.within_161km": True,
    }


def test_unreadable_gold_values_are_excluded_from_their_metric_only() -> None:
    rows = [
        GoldRow(event_id="U1", notes="n", event_type="Battles", fatalities=2, inter1=1, country="Mali"),
        # Its date and fatalities were in the file but not understood: out of those metrics, in the others.
        GoldRow(event_id="U2", notes="n", event_type="Riots", unreadable=frozenset({"event_date", "fatalities"})),
    ]
    preds: list[Prediction | None] = [
        Prediction(event_type="Battles", fatalities=2, inter1=1, country="mali"),
        Prediction(event_type="Riots"),
    ]
    m = score(rows, preds, CAPABILITIES).metrics
    assert m["event_type.accuracy"].value == 1.0 and m["event_type.accuracy"].n == 2
    assert m["fatalities.exact"].n == 1 and m["fatalities.exact"].excluded == 1
    assert m["event_date.exact"].value is None and m["event_date.exact"].excluded == 1
    assert m["inter1.match"].value == 1.0 and m["country.match"].value == 1.0


def test_score_marks_missing_capabilities_as_not_applicable() -> None:
    rows = [
        GoldRow(event_id="X1", notes="n", event_type="Battles", event_date=date(2025, 10, 1), fatalities=0),
        GoldRow(event_id="X2", notes="n", event_type="Protests", event_date=date(2025, 10, 2), fatalities=0),
    ]
    preds: list[Prediction | None] = [Prediction(event_type="Battles"), Prediction(event_type="Riots")]
    scores = score(rows, preds, ("event_type",))
    assert scores.metrics["event_type.accuracy"].value == pytest.approx(0.5)
    # Battles F1 1, Protests 0 (fn), Riots 0 (fp) → 1/3.
    assert scores.metrics["event_type.macro_f1"].value == pytest.approx(1 / 3)
    assert scores.metrics["event_date.exact"].value is None
    assert scores.metrics["no_event.share"].value is None
    assert "sub_event_type" not in scores.confusion

    full = score(rows, [None, Prediction(event_type="Protests", event_date=date(2025, 10, 3))], CAPABILITIES)
    assert full.metrics["no_event.share"].value == pytest.approx(1 / 2)
    assert full.metrics["event_date.exact"].value == 0.0  # 3 Oct vs 2 Oct
    assert full.metrics["event_date.within_1d"].value == pytest.approx(1 / 2)
    # actor1 is empty in both gold rows: nothing actor-coded to score.
    assert full.metrics["actor1.match"].value is None
    with pytest.raises(ValueError):
        score(rows, [None], CAPABILITIES)


def test_actor_match_with_country_refuses_a_name_without_the_country() -> None:
    from eventwatch.evaluate.metrics import actors_match, actors_match_country

    assert actors_match("Civilians (Syria)", "Civilians") and not actors_match_country("Civilians (Syria)", "Civilians")
    assert actors_match_country("Police Forces of Kenya (2013-)", "Police Forces of Kenya (2013-2022)")
    assert not actors_match_country("Police Forces of Kenya (2013-)", "Police Forces")
    assert actors_match_country("Al Shabaab", "Al Shabaab")
