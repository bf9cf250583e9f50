"""Clustering (coreference) metrics: MUC, B-cubed, CEAF-e, CoNLL F1 and pairwise P/R/F1, written out.

Both sides are partitions of the same items (documents here: each document one mention, each incident one
entity). ``key`` is the gold partition, ``response`` the system's; an item the response leaves out counts as a
singleton of its own, an item only the response has is ignored (the caller scores one item set).

Definitions as in the reference CoNLL scorer (Pradhan et al. 2014):

* **MUC** (Vilain et al. 1995): recall = Σₖ (|K| − |p(K)|) / Σₖ (|K| − 1) where p(K) is the partition of K by the
  response; precision the same with the roles swapped. Singletons contribute nothing (0/0 → 0).
* **B³** (Bagga & Baldwin 1998): per item, precision |K∩R| / |R| and recall |K∩R| / |K| of the key and response
  clusters holding it, averaged over items.
* **CEAF-e** (Luo 2005): φ₄(K, R) = 2|K∩R| / (|K| + |R|); the one-to-one alignment of key and response clusters
  maximising Σφ₄ (Hungarian algorithm, run per connected component of the overlap graph), precision = Σφ₄ /
  |response clusters|, recall = Σφ₄ / |key clusters|.
* **CoNLL F1**: the mean of the three F1s.
* **Pairwise**: over unordered pairs of items, a pair is positive when both items share a cluster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import comb
from typing import Any

Partition = Sequence[frozenset[Hashable]]


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, p_num: float, p_den: float, r_num: float, r_den: float) -> PRF:
        p = p_num / p_den if p_den else 0.0
        r = r_num / r_den if r_den else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def partition(labels: Mapping[Any, Hashable]) -> list[frozenset[Hashable]]:
    """Item → cluster label as a list of clusters (sorted by their smallest item's repr, for stable output)."""
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for item, label in labels.items():
        groups[label].add(item)
    return sorted((frozenset(g) for g in groups.values()), key=lambda g: min(map(repr, g)))


def _restrict(key: Partition, response: Partition) -> tuple[list[frozenset[Hashable]], list[frozenset[Hashable]]]:
    items = set().union(*key) if key else set()
    resp = [frozenset(c & items) for c in response]
    resp = [c for c in resp if c]
    covered = set().union(*resp) if resp else set()
    resp.extend(frozenset({m}) for m in sorted(items - covered, key=repr))
    return [frozenset(c) for c in key if c], resp


def _cluster_of(clusters: Iterable[frozenset[Hashable]]) -> dict[Hashable, int]:
    return {m: i for i, c in enumerate(clusters) for m in c}


def muc(key: Partition, response: Partition) -> PRF:
    key_c, resp_c = _restrict(key, response)

    def side(a: list[frozenset[Hashable]], b: list[frozenset[Hashable]]) -> tuple[int, int]:
        where = _cluster_of(b)
        num = sum(len(c) - len({where[m] for m in c}) for c in a)
        return num, sum(len(c) - 1 for c in a)

    r_num, r_den = side(key_c, resp_c)
    p_num, p_den = side(resp_c, key_c)
    return PRF.of(p_num, p_den, r_num, r_den)


def _overlaps(
    key: Partition, response: Partition
) -> tuple[list[frozenset[Hashable]], list[frozenset[Hashable]], dict[tuple[int, int], int]]:
    """(key clusters, response clusters, (key index, response index) → items they share)."""
    key_c, resp_c = _restrict(key, response)
    k_of, r_of = _cluster_of(key_c), _cluster_of(resp_c)
    overlap: dict[tuple[int, int], int] = defaultdict(int)
    for m, k in k_of.items():
        overlap[(k, r_of[m])] += 1
    return key_c, resp_c, overlap


def b_cubed(key: Partition, response: Partition) -> PRF:
    key_c, resp_c, overlap = _overlaps(key, response)
    n = sum(len(c) for c in key_c)
    p = sum(c * c / len(resp_c[r]) for (_, r), c in overlap.items())
    r = sum(c * c / len(key_c[k]) for (k, _), c in overlap.items())
    return PRF.of(p, n, r, n)


def _hungarian_max(weights: list[list[float]]) -> float:
    """Maximum total weight of a one-to-one assignment (rows ≤ columns), Kuhn-Munkres with potentials, O(n²m)."""
    n = len(weights)
    if n == 0:
        return 0.0
    m = len(weights[0])
    if n > m:
        return _hungarian_max([list(col) for col in zip(*weights, strict=True)])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    match = [0] * (m + 1)  # column → row (1-based), 0 = free
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = match[j0]
            delta, j1 = inf, 0
            row = weights[i0 - 1]
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = -row[j - 1] - u[i0] - v[j]  # minimise the negated weights
                if cur < minv[j]:
                    minv[j], way[j] = cur, j0
                if minv[j] < delta:
                    delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sum(weights[match[j] - 1][j - 1] for j in range(1, m + 1) if match[j])


def _max_assignment(weights: list[list[float]]) -> float:
    try:
        import numpy as np
        from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]
    except ImportError:
        return _hungarian_max(weights)
    matrix = np.asarray(weights, dtype=float)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return float(matrix[rows, cols].sum())


def ceaf_e(key: Partition, response: Partition) -> PRF:
    key_c, resp_c = _restrict(key, response)
    r_of = _cluster_of(resp_c)
    overlap: dict[tuple[int, int], int] = defaultdict(int)
    for k, c in enumerate(key_c):
        for m in c:
            overlap[(k, r_of[m])] += 1
    # Connected components of the key–response overlap graph are independent assignment problems.
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, r in overlap:
        a, b = find(("k", k)), find(("r", r))
        if a != b:
            parent[a] = b
    components: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for k, r in overlap:
        components[find(("k", k))].append((k, r))
    total = 0.0
    for pairs in components.values():
        ks = sorted({k for k, _ in pairs})
        rs = sorted({r for _, r in pairs})
        ki, ri = {k: i for i, k in enumerate(ks)}, {r: i for i, r in enumerate(rs)}
        weights = [[0.0] * len(rs) for _ in ks]
        for k, r in pairs:
            weights[ki[k]][ri[r]] = 2 * overlap[(k, r)] / (len(key_c[k]) + len(resp_c[r]))
        total += weights[0][0] if len(ks) == len(rs) == 1 else _max_assignment(weights)
    return PRF.of(total, len(resp_c), total, len(key_c))


def pairwise(key: Partition, response: Partition) -> PRF:
    key_c, resp_c, overlap = _overlaps(key, response)
    both = sum(comb(c, 2) for c in overlap.values())
    return PRF.of(both, sum(comb(len(c), 2) for c in resp_c), both, sum(comb(len(c), 2) for c in key_c))


def clustering_scores(key: Partition, response: Partition) -> dict[str, float]:
    """Every metric above, flat: ``muc_f1``, ``b3_p`` / ``b3_r`` / ``b3_f1``, ``ceafe_f1``, ``conll_f1``,
    ``pair_p`` / ``pair_r`` / ``pair_f1``, and the cluster counts."""
    m, b, c, pw = muc(key, response), b_cubed(key, response), ceaf_e(key, response), pairwise(key, response)
    _, resp_c = _restrict(key, response)
    return {
        "muc_p": m.precision,
        "muc_r": m.recall,
        "muc_f1": m.f1,
        "b3_p": b.precision,
        "b3_r": b.recall,
        "b3_f1": b.f1,
        "ceafe_p": c.precision,
        "ceafe_r": c.recall,
        "ceafe_f1": c.f1,
        "conll_f1": (m.f1 + b.f1 + c.f1) / 3,
        "pair_p": pw.precision,
        "pair_r": pw.recall,
        "pair_f1": pw.f1,
        "clusters": float(len(resp_c)),
        "gold_clusters": float(len([k for k in key if k])),
    }
