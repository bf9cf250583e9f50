"""Scoring: pure functions from (gold row, prediction) pairs to numbers.

Conventions, the same for every system so columns can be compared:

* A prediction of ``None`` means "no event extracted" for that row; every field of it counts as missing.
* Share metrics (accuracy, match rates, within-km) are over all rows whose gold value is known; a missing
  prediction counts as wrong. They measure the system end to end, extraction failures included.
* Error magnitudes (fatalities MAE) are over rows with an extracted event only, since a distance needs a
  prediction; their ``n`` says how many rows that was.
* Fatalities: ACLED codes "unknown" as 0, so an extracted event whose fatalities is ``None`` counts as 0 — it
  matches a gold 0 and nothing else, and contributes ``|gold|`` to the MAE. A row with no event at all is a
  miss like in every other share (otherwise extracting nothing would score on every 0-fatality row).
* Macro-F1 averages per-label F1 over the labels occurring in gold or in predictions (as scikit-learn does);
  a missing prediction is a false negative for the gold label and no label's false positive.
* Actors match when rapidfuzz's ``token_set_ratio`` of the normalised names is at least 80 and the names do
  not disagree (see :func:`actors_match`), or when both are empty (an empty gold actor2 is a real answer: "no
  second actor").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from eventwatch.evaluate.gold import GoldRow

NO_PREDICTION = "(none)"
ACTOR_THRESHOLD = 80.0
KM_THRESHOLDS = (1.0, 25.0, 161.0)  # same town / same district / ACLED's 100-mile "same region" radius

# What a system can predict. A metric for a capability a system lacks is shown as "—", not as 0.
CAPABILITIES = ("event_type", "sub_event_type", "fatalities", "location", "admin1", "event_date", "actors", "events")

# Metric name → the capability it needs, in display order.
METRICS: tuple[tuple[str, str], ...] = (
    ("event_type.accuracy", "event_type"),
    ("event_type.macro_f1", "event_type"),
    ("sub_event_type.accuracy", "sub_event_type"),
    ("sub_event_type.macro_f1", "sub_event_type"),
    ("fatalities.exact", "fatalities"),
    ("fatalities.mae", "fatalities"),
    ("location.within_1km", "location"),
    ("location.within_25km", "location"),
    ("location.within_161km", "location"),
    ("admin1.match", "admin1"),
    ("event_date.exact", "event_date"),
    ("event_date.within_1d", "event_date"),
    ("actor1.match", "actors"),
    ("actor2.match", "actors"),
    ("no_event.share", "events"),
)


@dataclass(frozen=True, slots=True)
class Prediction:
    """The fields one system predicted for one gold row; ``None`` where it said nothing."""

    event_type: str | None = None
    sub_event_type: str | None = None
    event_date: date | None = None
    actor1: str | None = None
    actor2: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    fatalities: int | None = None


EMPTY = Prediction()


@dataclass(frozen=True, slots=True)
class Metric:
    value: float | None  # None: not applicable (capability missing) or no row to score
    n: int  # rows in the denominator

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "n": self.n}


Confusion = dict[str, dict[str, int]]  # gold label → predicted label → count


@dataclass(slots=True)
class Scores:
    metrics: dict[str, Metric] = field(default_factory=dict)
    confusion: dict[str, Confusion] = field(default_factory=dict)  # "event_type" / "sub_event_type"


# --- normalisation -------------------------------------------------------------------------------------------


def fold(text: str | None) -> str:
    """Case- and diacritic-folded, punctuation to spaces, whitespace collapsed: "Ségou" → "segou"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", stripped.casefold()).split())


_YEARS = re.compile(r"\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")


def normalise_actor(name: str | None) -> str:
    """ACLED actor names carry a period tag, "Military Forces of Sudan (2019-)"; the period is not the actor."""
    return fold(_YEARS.sub(" ", name or ""))


def actors_match(gold: str | None, pred: str | None, threshold: float = ACTOR_THRESHOLD) -> bool:
    """Token-set similarity ≥ ``threshold``, unless the names *disagree*.

    ``token_set_ratio`` scores a name against its shared tokens, so "Military Forces of Mali" vs "Military
    Forces of Sudan" reaches 88. When each name has tokens the other lacks, those leftovers must also be alike
    (ratio ≥ threshold); a name that only adds tokens ("Civilians" vs "Civilians (Syria)") still matches.
    """
    g, p = normalise_actor(gold), normalise_actor(pred)
    if not g or not p:
        return g == p
    if float(fuzz.token_set_ratio(g, p)) < threshold:
        return False
    g_tokens, p_tokens = set(g.split()), set(p.split())
    only_g, only_p = g_tokens - p_tokens, p_tokens - g_tokens
    if only_g and only_p:
        return float(fuzz.ratio(" ".join(sorted(only_g)), " ".join(sorted(only_p)))) >= threshold
    return True


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088  # mean Earth radius, km
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


# --- label metrics -------------------------------------------------------------------------------------------


def label_pairs(gold: Sequence[str], pred: Sequence[str | None]) -> list[tuple[str, str]]:
    """(gold, predicted) label pairs for rows with a gold label; a missing prediction becomes ``(none)``."""
    return [(g, p or NO_PREDICTION) for g, p in zip(gold, pred, strict=True) if g]


def accuracy(pairs: Sequence[tuple[str, str]]) -> Metric:
    if not pairs:
        return Metric(None, 0)
    return Metric(sum(g == p for g, p in pairs) / len(pairs), len(pairs))


def per_label_f1(pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs if p != NO_PREDICTION})
    out: dict[str, float] = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        out[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return out


def macro_f1(pairs: Sequence[tuple[str, str]]) -> Metric:
    if not pairs:
        return Metric(None, 0)
    f1 = per_label_f1(pairs)
    return Metric(sum(f1.values()) / len(f1), len(pairs))


def confusion_matrix(pairs: Sequence[tuple[str, str]]) -> Confusion:
    matrix: Confusion = {}
    for g, p in pairs:
        row = matrix.setdefault(g, {})
        row[p] = row.get(p, 0) + 1
    return {g: dict(sorted(row.items())) for g, row in sorted(matrix.items())}


def top_confusions(matrix: Confusion, k: int = 3) -> list[tuple[str, str, int]]:
    """The k most frequent off-diagonal (gold, predicted, count) cells, most frequent first."""
    cells = Counter({(g, p): n for g, row in matrix.items() for p, n in row.items() if g != p})
    return [(g, p, n) for (g, p), n in sorted(cells.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


# --- other fields --------------------------------------------------------------------------------------------


def fatalities_exact(pairs: Sequence[tuple[int, Prediction | None]]) -> Metric:
    if not pairs:
        return Metric(None, 0)
    hits = sum(p is not None and g == _fat(p) for g, p in pairs)
    return Metric(hits / len(pairs), len(pairs))


def fatalities_mae(pairs: Sequence[tuple[int, Prediction | None]]) -> Metric:
    errors = [abs(g - _fat(p)) for g, p in pairs if p is not None]
    return Metric(sum(errors) / len(errors), len(errors)) if errors else Metric(None, 0)


def _fat(pred: Prediction | None) -> int:
    return pred.fatalities if pred is not None and pred.fatalities is not None else 0


def within_km(pairs: Sequence[tuple[tuple[float, float], Prediction | None]], km: float) -> Metric:
    if not pairs:
        return Metric(None, 0)
    hits = 0
    for (glat, glon), p in pairs:
        if p is not None and p.latitude is not None and p.longitude is not None:
            hits += haversine_km(glat, glon, p.latitude, p.longitude) <= km
    return Metric(hits / len(pairs), len(pairs))


def share(pairs: Sequence[tuple[Any, Prediction | None]], hit: Callable[[Any, Prediction], bool]) -> Metric:
    """Share of pairs with a prediction for which ``hit(gold, prediction)`` holds."""
    if not pairs:
        return Metric(None, 0)
    return Metric(sum(p is not None and hit(g, p) for g, p in pairs) / len(pairs), len(pairs))


def _date_hit(days: int) -> Callable[[date, Prediction], bool]:
    def hit(g: date, p: Prediction) -> bool:
        return p.event_date is not None and abs((p.event_date - g).days) <= days

    return hit


# --- one system ----------------------------------------------------------------------------------------------


def score(rows: Sequence[GoldRow], preds: Sequence[Prediction | None], capabilities: Sequence[str]) -> Scores:
    """Every metric for one system over the same rows; metrics outside its capabilities are ``None``."""
    if len(rows) != len(preds):
        raise ValueError(f"{len(rows)} gold rows but {len(preds)} predictions")
    caps = set(capabilities)
    out = Scores()
    computed: dict[str, Metric] = {}

    for name in ("event_type", "sub_event_type"):
        if name in caps:
            pairs = label_pairs([getattr(r, name) for r in rows], [getattr(p, name) if p else None for p in preds])
            computed[f"{name}.accuracy"] = accuracy(pairs)
            computed[f"{name}.macro_f1"] = macro_f1(pairs)
            out.confusion[name] = confusion_matrix(pairs)

    fat = [(r.fatalities, p) for r, p in zip(rows, preds, strict=True) if r.fatalities is not None]
    computed["fatalities.exact"] = fatalities_exact(fat)
    computed["fatalities.mae"] = fatalities_mae(fat)

    coords = [
        ((r.latitude, r.longitude), p)
        for r, p in zip(rows, preds, strict=True)
        if r.latitude is not None and r.longitude is not None
    ]
    for km in KM_THRESHOLDS:
        computed[f"location.within_{km:g}km"] = within_km(coords, km)

    admin = [(r.admin1, p) for r, p in zip(rows, preds, strict=True) if r.admin1]
    computed["admin1.match"] = share(admin, lambda g, p: bool(p.admin1) and fold(p.admin1) == fold(g))

    dates = [(r.event_date, p) for r, p in zip(rows, preds, strict=True) if r.event_date is not None]
    computed["event_date.exact"] = share(dates, _date_hit(0))
    computed["event_date.within_1d"] = share(dates, _date_hit(1))

    # Rows without a gold actor1 were not actor-coded at all; actor2 is scored on the same rows.
    coded = [(r, p) for r, p in zip(rows, preds, strict=True) if r.actor1]
    computed["actor1.match"] = share([(r.actor1, p) for r, p in coded], lambda g, p: actors_match(g, p.actor1))
    computed["actor2.match"] = share([(r.actor2, p) for r, p in coded], lambda g, p: actors_match(g, p.actor2))

    computed["no_event.share"] = (
        Metric(sum(p is None for p in preds) / len(preds), len(preds)) if preds else Metric(None, 0)
    )

    for name, capability in METRICS:
        out.metrics[name] = computed[name] if capability in caps else Metric(None, 0)
    return out
