"""Clustering metrics on small partitions whose scores are computed by hand (see each comment)."""

from __future__ import annotations

import pytest

from eventwatch.evaluate.coref import (
    _hungarian_max,
    b_cubed,
    ceaf_e,
    clustering_scores,
    muc,
    pairwise,
    partition,
)

KEY = [frozenset({1, 2, 3}), frozenset({4, 5}), frozenset({6, 7})]
RESPONSE = [frozenset({1, 2}), frozenset({3, 4, 5}), frozenset({6}), frozenset({7})]


def test_muc_by_hand() -> None:
    # Recall: K1 is split in 2 (3 − 2 = 1), K2 whole (2 − 1 = 1), K3 split in 2 (0); over Σ(|K| − 1) = 4 → 1/2.
    # Precision: R1 in one key (1), R2 across two (3 − 2 = 1), singletons 0; over Σ(|R| − 1) = 3 → 2/3.
    s = muc(KEY, RESPONSE)
    assert (s.precision, s.recall) == pytest.approx((2 / 3, 1 / 2))
    assert s.f1 == pytest.approx(4 / 7)


def test_b_cubed_by_hand() -> None:
    # Per item (p, r): 1, 2 → (1, 2/3); 3 → (1/3, 1/3); 4, 5 → (2/3, 1); 6, 7 → (1, 1/2).
    s = b_cubed(KEY, RESPONSE)
    assert s.precision == pytest.approx(17 / 21)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(68 / 93)


def test_ceaf_e_by_hand() -> None:
    # φ4: K1–R1 0.8, K1–R2 1/3, K2–R2 0.8, K3–R3 2/3, K3–R4 2/3; best alignment 0.8 + 0.8 + 2/3 = 34/15,
    # over 4 response clusters and 3 key clusters.
    s = ceaf_e(KEY, RESPONSE)
    assert (s.precision, s.recall) == pytest.approx((17 / 30, 34 / 45))
    assert s.f1 == pytest.approx(68 / 105)


def test_pairwise_by_hand() -> None:
    # Gold pairs 3 + 1 + 1 = 5, response pairs 1 + 3 = 4, shared {1,2} and {4,5}.
    s = pairwise(KEY, RESPONSE)
    assert (s.precision, s.recall, s.f1) == pytest.approx((1 / 2, 2 / 5, 4 / 9))


def test_conll_is_the_mean_of_three() -> None:
    s = clustering_scores(KEY, RESPONSE)
    assert s["conll_f1"] == pytest.approx((4 / 7 + 68 / 93 + 68 / 105) / 3)
    assert (s["clusters"], s["gold_clusters"]) == (4, 3)


def test_trivial_clusterings() -> None:
    singletons = [frozenset({i}) for i in range(1, 8)]
    s = clustering_scores(KEY, singletons)
    # MUC has no links to score (0/0 → 0); B³ precision 1, recall (3·1/3 + 2·1/2 + 2·1/2) / 7 = 3/7.
    assert (s["muc_p"], s["muc_r"], s["muc_f1"]) == (0.0, 0.0, 0.0)
    assert (s["b3_p"], s["b3_r"]) == pytest.approx((1.0, 3 / 7))
    assert (s["pair_p"], s["pair_r"]) == (0.0, 0.0)
    one = clustering_scores(KEY, [frozenset(range(1, 8))])
    # One cluster: MUC recall 1, precision (7 − 3) / 6; B³ precision (3·3/7 + 2·2/7 + 2·2/7) / 7 = 17/49.
    assert (one["muc_p"], one["muc_r"]) == pytest.approx((4 / 6, 1.0))
    assert (one["b3_p"], one["b3_r"]) == pytest.approx((17 / 49, 1.0))
    # CEAF-e: only one response cluster, aligned with K1 (φ4 = 6/10).
    assert (one["ceafe_p"], one["ceafe_r"]) == pytest.approx((0.6, 0.2))
    assert clustering_scores(KEY, KEY)["conll_f1"] == pytest.approx(1.0)


def test_items_missing_from_the_response_are_singletons_and_extra_items_ignored() -> None:
    partial = [frozenset({1, 2, 3, 99})]  # 4..7 missing, 99 unknown to the key
    assert b_cubed(KEY, partial) == b_cubed(KEY, [frozenset({1, 2, 3}), *(frozenset({i}) for i in range(4, 8))])


def test_hungarian_beats_greedy_and_handles_rectangles() -> None:
    # Greedy takes 0.9 and is left with 0.0; the optimum pairs the two 0.8s.
    assert _hungarian_max([[0.9, 0.8], [0.8, 0.0]]) == pytest.approx(1.6)
    assert _hungarian_max([[0.1, 0.5, 0.2]]) == pytest.approx(0.5)
    assert _hungarian_max([[0.1], [0.5], [0.2]]) == pytest.approx(0.5)
    assert _hungarian_max([[3, 1, 0], [2, 0, 1], [0, 2, 3]]) == pytest.approx(6)


def test_partition_from_labels() -> None:
    assert partition({"a": 1, "b": 1, "c": 2}) == [frozenset({"a", "b"}), frozenset({"c"})]
