"""What every external gold set's harness shares: its result tables, scoring helpers, and running eventwatch.

A harness reads one folder of ``../shared/eval/`` (never copied into the repository), runs eventwatch and the
baselines that fit the task on the same items, and returns a :class:`SetResult`: one or more
:class:`SetTable` whose rows are systems (eventwatch, baselines, figures quoted from the literature marked
"published", and the goal) and whose columns are metrics. Scores are fractions in 0..1 (published percentages
are converted), except metrics named with a unit (``mean_error_km``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from eventwatch.evaluate.progress import Progress, no_progress
from eventwatch.model import Event, Report, ReportAnalysis

SYSTEM = "eventwatch"
T = TypeVar("T")
R = TypeVar("R")
KINDS = ("system", "baseline", "published", "goal")


@dataclass(slots=True)
class SystemRow:
    """One row of a set's table: a system's scores, a published figure, or the goal."""

    name: str
    kind: str  # one of KINDS
    values: dict[str, float | str | None] = field(default_factory=dict)  # metric key → score (goal: "≥ 0.84")
    note: str = ""  # where a published figure comes from, why a baseline was skipped, …

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "values": self.values, "note": self.note}


@dataclass(slots=True)
class SetTable:
    title: str
    metrics: list[tuple[str, str]]  # (key, column header) in display order
    rows: list[SystemRow] = field(default_factory=list)
    n: int | None = None  # items scored
    caption: str = ""

    def row(self, name: str) -> SystemRow:
        return next(r for r in self.rows if r.name == name)

    def value(self, system: str, metric: str) -> float | str | None:
        return self.row(system).values.get(metric)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "metrics": [{"key": k, "label": label} for k, label in self.metrics],
            "n": self.n,
            "caption": self.caption,
            "rows": [r.to_dict() for r in self.rows],
        }


@dataclass(slots=True)
class SetResult:
    name: str
    folder: str
    tables: list[SetTable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    limit: int | None = None
    errors: list[dict[str, Any]] = field(default_factory=list, repr=False)  # per-item records for --errors

    def table(self, title_start: str) -> SetTable:
        return next(t for t in self.tables if t.title.startswith(title_start))

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.name,
            "folder": self.folder,
            "limit": self.limit,
            "seconds": self.seconds,
            "tables": [t.to_dict() for t in self.tables],
            "notes": self.notes,
            "warnings": self.warnings,
        }


@dataclass(slots=True)
class SetContext:
    """What a harness is given: its folder, the training file for trained baselines, and run options."""

    folder: Path
    train_csv: Path | None = None
    limit: int | None = None  # items (snippets, sentences, documents) at most; None: all
    baselines: bool = True
    workers: int = 1
    progress: Progress = no_progress
    keep_errors: bool = False

    def take(self, items: Sequence[Any]) -> list[Any]:
        return list(items) if self.limit is None else list(items[: self.limit])


# --- label metrics (scikit-learn's definitions, written out so the harness needs no scikit-learn) -----------


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def binary_prf(gold: Sequence[bool], pred: Sequence[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    p, r, f = prf(tp, fp, fn)
    return {"precision": p, "recall": r, "f1": f}


def label_scores(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] | None = None) -> dict[str, float]:
    """Accuracy (= micro-F1 for single-label), macro-F1 and support-weighted F1.

    ``labels`` restricts the averages to those classes (CASE 2021 scores the 25 ACLED classes even when a system
    answers "no event"); by default every label in gold or predictions counts, as scikit-learn does.
    """
    if not gold:
        return {"accuracy": 0.0, "macro_f1": 0.0, "weighted_f1": 0.0}
    classes = list(labels) if labels is not None else sorted(set(gold) | set(pred))
    f1s: dict[str, float] = {}
    support: dict[str, int] = {}
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        f1s[c] = prf(tp, fp, fn)[2]
        support[c] = tp + fn
    total = sum(support.values())
    return {
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
        "macro_f1": sum(f1s.values()) / len(f1s) if f1s else 0.0,
        "weighted_f1": sum(f1s[c] * support[c] for c in classes) / total if total else 0.0,
    }


# --- running eventwatch --------------------------------------------------------------------------------------


def _analyse(report: Report) -> ReportAnalysis:
    from eventwatch.pipeline import process_report

    return process_report(report)


def analyse(reports: Sequence[Report], ctx: SetContext, label: str = SYSTEM) -> Iterator[ReportAnalysis | Exception]:
    """eventwatch's analysis of each report, in order; a report that raises yields its exception (counted by the
    caller as a miss), so one bad item never hides the scores of the rest. ``ctx.workers`` > 1 runs a process
    pool whose workers load the models once (``pipeline.warm_up``)."""
    return parallel_map(_analyse, reports, ctx, label)


def parallel_map(
    fn: Callable[[T], R], items: Sequence[T], ctx: SetContext, label: str = SYSTEM
) -> Iterator[R | Exception]:
    """``fn`` over ``items`` in order, in ``ctx.workers`` processes (models loaded once per worker) when there
    are enough items to pay for the pool; an item whose call raises yields its exception. ``fn`` must be a
    module-level function (it is pickled to the workers)."""
    if ctx.workers <= 1 or len(items) < 50:
        for item in ctx.progress(items, label):
            try:
                yield fn(item)
            except Exception as exc:  # a harness must survive one bad item; the caller reports it
                yield exc
        return
    from eventwatch.pipeline import warm_up

    with ProcessPoolExecutor(max_workers=ctx.workers, initializer=warm_up) as pool:
        futures = [pool.submit(fn, item) for item in items]
        for fut in ctx.progress(futures, label):
            try:
                yield fut.result()
            except Exception as exc:
                yield exc


def main_events(analysis: ReportAnalysis | Exception) -> list[Event]:
    """The events a text reports as news (background mentions dropped), most confident first."""
    if isinstance(analysis, Exception):
        return []
    events = [e for e in analysis.events if not e.background]
    return sorted(events, key=lambda e: -e.confidence)


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def timed(run: Callable[[SetContext], SetResult]) -> Callable[[SetContext], SetResult]:
    """Wrap a harness so its result says how long it took and with which limit."""

    def wrapper(ctx: SetContext) -> SetResult:
        start = time.perf_counter()
        result = run(ctx)
        result.seconds = time.perf_counter() - start
        result.limit = ctx.limit
        return result

    wrapper.__name__ = run.__name__
    wrapper.__doc__ = run.__doc__
    return wrapper


def published(name: str, values: dict[str, float | None], note: str) -> SystemRow:
    return SystemRow(name, "published", dict(values), note)


def goal(values: dict[str, str]) -> SystemRow:
    return SystemRow("goal", "goal", dict(values))
