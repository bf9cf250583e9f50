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
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from eventwatch.evaluate.gold import GoldRow

NO_PREDICTION = "(none)"
ACTOR_THRESHOLD = 80.0
KM_THRESHOLDS = (1.0, 25.0, 161.0)  # same town / same district / ACLED's 100-mile "same region" radius

# What a system can predict. A metric for a capability a system lacks is shown as "—", not as 0.
CAPABILITIES = (
    "event_type",
    "sub_event_type",
    "fatalities",
    "location",
    "admin1",
    "country",
    "event_date",
    "time_precision",
    "actors",
    "events",
)

# Metric name → the capability it needs, in display order.
METRICS: tuple[tuple[str, str], ...] = (
    ("event_type.accuracy", "event_type"),
    ("event_type.primary_accuracy", "events"),
    ("event_type.macro_f1", "event_type"),
    ("sub_event_type.accuracy", "sub_event_type"),
    ("sub_event_type.macro_f1", "sub_event_type"),
    ("fatalities.exact", "fatalities"),
    ("fatalities.mae", "fatalities"),
    ("location.within_1km", "location"),
    ("location.within_25km", "location"),
    ("location.within_161km", "location"),
    ("admin1.match", "admin1"),
    ("country.match", "country"),
    ("event_date.exact", "event_date"),
    ("event_date.within_1d", "event_date"),
    ("time_precision.match", "time_precision"),
    ("actor1.match", "actors"),
    ("actor2.match", "actors"),
    ("actor1.match_country", "actors"),
    ("actor2.match_country", "actors"),
    ("inter1.match", "actors"),
    ("inter2.match", "actors"),
    ("assoc_actor_1.match", "actors"),
    ("assoc_actor_2.match", "actors"),
    ("unsupported.share", "fatalities"),
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
    country: str | None = None
    admin2: str | None = None
    location: str | None = None
    geo_precision: int | None = None
    time_precision: int | None = None
    inter1: int | None = None
    inter2: int | None = None
    assoc_actor_1: str | None = None
    assoc_actor_2: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (error analysis)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.isoformat() if isinstance(value, date) else value
        return out


EMPTY = Prediction()


@dataclass(frozen=True, slots=True)
class Metric:
    value: float | None  # None: not applicable (capability missing) or no row to score
    n: int  # rows in the denominator
    excluded: int = 0  # rows left out because their gold value could not be read (GoldRow.unreadable)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "n": self.n, "excluded": self.excluded}


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


@cache
def _country_tokens() -> frozenset[str]:
    from eventwatch.export.countries import country_names

    return frozenset(t for name in country_names() for t in normalise_actor(name).split() if len(t) > 3)


def actors_match_country(gold: str | None, pred: str | None) -> bool:
    """:func:`actors_match`, and the prediction names every country word the gold name has."""
    if not actors_match(gold, pred):
        return False
    g, p = set(normalise_actor(gold).split()), set(normalise_actor(pred).split())
    return not ((g - p) & _country_tokens())


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


def fatalities_mae(pairs: Sequence[tuple[int, Prediction | None]]) -> Metric:
    errors = [abs(g - _fat(p)) for g, p in pairs if p is not None]
    return Metric(sum(errors) / len(errors), len(errors)) if errors else Metric(None, 0)


def _fat(pred: Prediction | None) -> int:
    return pred.fatalities if pred is not None and pred.fatalities is not None else 0


# --- one row ------------------------------------------------------------------------------------------------

# Share metrics: name → (gold fields the row needs, excluded when unreadable) and the per-row test. A row is in a
# metric's denominator when its gold value is known; a missing prediction is a miss.
_RowTest = Callable[[GoldRow, Prediction], bool]


def _km(row: GoldRow, pred: Prediction) -> float | None:
    if None in (row.latitude, row.longitude, pred.latitude, pred.longitude):
        return None
    assert row.latitude is not None and row.longitude is not None  # narrowed above; for mypy
    assert pred.latitude is not None and pred.longitude is not None
    return haversine_km(row.latitude, row.longitude, pred.latitude, pred.longitude)


def _within(km: float) -> _RowTest:
    def hit(row: GoldRow, pred: Prediction) -> bool:
        d = _km(row, pred)
        return d is not None and d <= km

    return hit


def _days(n: int) -> _RowTest:
    def hit(row: GoldRow, pred: Prediction) -> bool:
        assert row.event_date is not None
        return pred.event_date is not None and abs((pred.event_date - row.event_date).days) <= n

    return hit


def _same_text(name: str) -> _RowTest:
    def hit(row: GoldRow, pred: Prediction) -> bool:
        value = getattr(pred, name)
        return bool(value) and fold(value) == fold(getattr(row, name))

    return hit


def _inter_hit(name: str) -> _RowTest:
    # ACLED's 0 is "no actor": a prediction without that actor (None) agrees with it.
    def hit(row: GoldRow, pred: Prediction) -> bool:
        return bool((getattr(pred, name) or 0) == getattr(row, name))

    return hit


SHARE_METRICS: dict[str, tuple[Callable[[GoldRow], bool], tuple[str, ...], _RowTest]] = {
    "event_type.accuracy": (lambda r: bool(r.event_type), (), lambda r, p: p.event_type == r.event_type),
    "sub_event_type.accuracy": (
        lambda r: bool(r.sub_event_type),
        (),
        lambda r, p: p.sub_event_type == r.sub_event_type,
    ),
    "fatalities.exact": (lambda r: r.fatalities is not None, ("fatalities",), lambda r, p: r.fatalities == _fat(p)),
    **{
        f"location.within_{km:g}km": (
            lambda r: r.latitude is not None and r.longitude is not None,
            ("latitude", "longitude"),
            _within(km),
        )
        for km in KM_THRESHOLDS
    },
    "admin1.match": (lambda r: bool(r.admin1), (), _same_text("admin1")),
    "country.match": (lambda r: bool(r.country), (), _same_text("country")),
    "event_date.exact": (lambda r: r.event_date is not None, ("event_date",), _days(0)),
    "event_date.within_1d": (lambda r: r.event_date is not None, ("event_date",), _days(1)),
    "time_precision.match": (
        lambda r: r.time_precision is not None,
        ("time_precision",),
        lambda r, p: p.time_precision == r.time_precision,
    ),
    # Rows without a gold actor1 were not actor-coded at all; actor2 is scored on the same rows.
    "actor1.match": (lambda r: bool(r.actor1), (), lambda r, p: actors_match(r.actor1, p.actor1)),
    "actor2.match": (lambda r: bool(r.actor1), (), lambda r, p: actors_match(r.actor2, p.actor2)),
    # The same, but a name that leaves out the gold name's country ("Civilians" for "Civilians (Syria)", "Police
    # Forces" for "Police Forces of Kenya") does not count: the stricter reading of the two.
    "actor1.match_country": (lambda r: bool(r.actor1), (), lambda r, p: actors_match_country(r.actor1, p.actor1)),
    "actor2.match_country": (lambda r: bool(r.actor1), (), lambda r, p: actors_match_country(r.actor2, p.actor2)),
    "inter1.match": (lambda r: r.inter1 is not None, ("inter1",), _inter_hit("inter1")),
    "inter2.match": (lambda r: r.inter2 is not None, ("inter2",), _inter_hit("inter2")),
    # Associated actors ("Students (Kenya); Labour Group (Kenya)"): the same set of names, empty included.
    "assoc_actor_1.match": (lambda r: bool(r.actor1), (), lambda r, p: assoc_match(r.assoc_actor_1, p.assoc_actor_1)),
    "assoc_actor_2.match": (lambda r: bool(r.actor1), (), lambda r, p: assoc_match(r.assoc_actor_2, p.assoc_actor_2)),
}


def assoc_match(gold: str | None, pred: str | None) -> bool:
    """Two "; "-separated lists of actor names name the same actors (each matched as :func:`actors_match`)."""
    g = [x.strip() for x in (gold or "").split(";") if x.strip()]
    p = [x.strip() for x in (pred or "").split(";") if x.strip()]
    if len(g) != len(p):
        return False
    return all(any(actors_match(a, b) for b in p) for a in g) and all(any(actors_match(a, b) for a in g) for b in p)


def row_checks(row: GoldRow, pred: Prediction | None) -> dict[str, bool]:
    """Every share metric this row is scored on → whether the prediction got it right (``None``: all wrong)."""
    out: dict[str, bool] = {}
    for name, (applies, _, hit) in SHARE_METRICS.items():
        if applies(row):
            out[name] = pred is not None and hit(row, pred)
    return out


def _excluded(rows: Sequence[GoldRow], needs: tuple[str, ...]) -> int:
    return sum(bool(r.unreadable.intersection(needs)) for r in rows) if needs else 0


# --- one system ----------------------------------------------------------------------------------------------


def score(rows: Sequence[GoldRow], preds: Sequence[Prediction | None], capabilities: Sequence[str]) -> Scores:
    """Every metric for one system over the same rows; metrics outside its capabilities are ``None``."""
    if len(rows) != len(preds):
        raise ValueError(f"{len(rows)} gold rows but {len(preds)} predictions")
    caps = set(capabilities)
    out = Scores()
    computed: dict[str, Metric] = {}

    checks = [row_checks(r, p) for r, p in zip(rows, preds, strict=True)]
    for name, (_, needs, _) in SHARE_METRICS.items():
        hits = [c[name] for c in checks if name in c]
        value = sum(hits) / len(hits) if hits else None
        computed[name] = Metric(value, len(hits), _excluded(rows, needs))

    for name in ("event_type", "sub_event_type"):
        pairs = label_pairs([getattr(r, name) for r in rows], [getattr(p, name) if p else None for p in preds])
        computed[f"{name}.macro_f1"] = macro_f1(pairs)
        if name in caps:
            out.confusion[name] = confusion_matrix(pairs)

    fat = [(r.fatalities, p) for r, p in zip(rows, preds, strict=True) if r.fatalities is not None]
    mae = fatalities_mae(fat)
    computed["fatalities.mae"] = Metric(mae.value, mae.n, _excluded(rows, ("fatalities",)))

    computed["unsupported.share"] = Metric(None, 0)  # needs the events and texts: filled by the harness
    computed["no_event.share"] = (
        Metric(sum(p is None for p in preds) / len(preds), len(preds)) if preds else Metric(None, 0)
    )

    for name, capability in METRICS:
        # Metrics needing more than one prediction per row (the first extracted event) are filled by the harness.
        out.metrics[name] = computed.get(name, Metric(None, 0)) if capability in caps else Metric(None, 0)
    return out
