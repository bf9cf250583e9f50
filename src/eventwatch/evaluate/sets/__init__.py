"""Harnesses for the external gold sets in ``../shared/eval/`` — declared in one place, :data:`SETS`.

Each entry names the folder it reads, what it measures and the item limit ``make bench-quick`` uses; its ``run``
returns a :class:`~eventwatch.evaluate.sets.base.SetResult`. ``eventwatch eval --set NAME`` runs one (``--set
all``: every set whose folder is present), ``make bench`` runs them all and writes ``out/bench/<name>.json``.
A set whose folder is absent is skipped with a message naming the folder.

The ACLED CSV harness (``eventwatch eval --gold``) predates this registry and lives in :mod:`..harness`; it is
listed here too (``acled-dev``) so the bench and ``--set all`` cover it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eventwatch.evaluate.sets import classify, crossdoc, geo
from eventwatch.evaluate.sets.acled import run_acled_dev
from eventwatch.evaluate.sets.base import SetContext, SetResult


@dataclass(frozen=True, slots=True)
class EvalSet:
    name: str
    folder: str  # under the shared eval folder; a file name for single-file sets
    summary: str
    run: Callable[[SetContext], SetResult]
    quick_limit: int | None = None  # items scored by `make bench-quick` (None: all)


SETS: tuple[EvalSet, ...] = (
    EvalSet("acled-dev", "acled-dev.csv", "ACLED notes → every coded field (2,940 events)", run_acled_dev, 400),
    EvalSet(
        "case2021-task2",
        "case2021-task2",
        "CASE 2021 Task 2: ACLED sub-event type of news snippets",
        classify.run_case2021,
        None,
    ),
    EvalSet(
        "arabic-event-gsr",
        "arabic-event-gsr",
        "Arabic PROTEST / ASSAULT sentence detection",
        classify.run_arabic_gsr,
        600,
    ),
    EvalSet(
        "indiapoliceevents",
        "indiapoliceevents",
        "Police KILL / ARREST sentences in full Times of India articles",
        classify.run_india_police,
        120,
    ),
    EvalSet(
        "plover-gsr",
        "plover-gsr",
        "PLOVER event category via the ACLED → PLOVER mapping",
        classify.run_plover,
        None,
    ),
    EvalSet(
        "acled-dev-layer",
        "acled-dev.csv",
        "acled-dev location with a gazetteer layer from ../shared/train",
        geo.run_acled_layer,
        150,
    ),
    EvalSet("lgl", "lgl", "LGL: toponyms in local US news → GeoNames (588 articles)", geo.runner("lgl"), 40),
    EvalSet(
        "geovirus", "geovirus", "GeoVirus: toponyms in outbreak news → Wikipedia points", geo.runner("geovirus"), 30
    ),
    EvalSet("tr-news", "tr-news", "TR-News: toponyms in international news → GeoNames", geo.runner("tr-news"), 25),
    EvalSet(
        "geowebnews", "geowebnews", "GeoWebNews: typed toponyms incl. metonymy → GeoNames", geo.runner("geowebnews"), 20
    ),
    EvalSet(
        "idrisi-d-ar",
        "idrisi-d-ar",
        "IDRISI-D: Arabic location mentions in tweets → OSM",
        geo.runner("idrisi-d-ar"),
        300,
    ),
    EvalSet(
        "hipe2020-fr",
        "hipe2020-fr",
        "CLEF-HIPE-2020 French: loc entities, literal vs metonymic",
        geo.runner("hipe2020-fr"),
        8,
    ),
    EvalSet(
        "gvc", "gvc", "Gun Violence Corpus: 510 news documents → 241 incidents, killed/injured", crossdoc.run_gvc, 200
    ),
    EvalSet(
        "gva-incidents",
        "gva-incidents",
        "GVA-linked news: 5,204 documents → 3,027 incidents, killed/injured",
        crossdoc.run_gva,
        300,
    ),
    EvalSet("ecbplus", "ecbplus", "ECB+ test topics: documents → incidents (sub-topics)", crossdoc.run_ecbplus, 100),
    EvalSet(
        "semeval2018-task5",
        "semeval2018-task5",
        "SemEval-2018 Task 5 S2: how many incidents (469-question subset)",
        crossdoc.run_semeval,
        80,
    ),
)


def set_names() -> list[str]:
    return [s.name for s in SETS]


def get_set(name: str) -> EvalSet:
    for s in SETS:
        if s.name == name:
            return s
    raise KeyError(f"unknown evaluation set {name!r}; known: {', '.join(set_names())}")


def default_shared_dir() -> Path:
    """``$EVENTWATCH_SHARED``, else ``../shared`` beside the current directory, else beside the source tree."""
    env = os.environ.get("EVENTWATCH_SHARED")
    if env:
        return Path(env)
    beside_cwd = Path.cwd().parent / "shared"
    if beside_cwd.is_dir():
        return beside_cwd
    return Path(__file__).resolve().parents[5] / "shared"


def folder_of(entry: EvalSet, shared: Path) -> Path:
    return shared / "eval" / entry.folder


def train_csv(shared: Path) -> Path | None:
    path = shared / "train" / "acled-train.csv"
    return path if path.is_file() else None


__all__ = ["SETS", "EvalSet", "SetContext", "SetResult", "default_shared_dir", "get_set", "set_names"]
