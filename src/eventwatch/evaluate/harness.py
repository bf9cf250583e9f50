"""Running eventwatch (and optionally the baselines) over a gold file and collecting the scores."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventwatch.evaluate.align import align, to_prediction
from eventwatch.evaluate.baselines import BASELINES, Baseline
from eventwatch.evaluate.gold import GoldRow, GoldSet, published_at_for, read_gold
from eventwatch.evaluate.metrics import CAPABILITIES, Prediction, Scores, score
from eventwatch.model import Report, ReportAnalysis

SYSTEM = "eventwatch"
MAX_ERRORS_KEPT = 20


@dataclass(slots=True)
class SystemResult:
    name: str
    capabilities: tuple[str, ...]
    scores: Scores = field(default_factory=Scores)
    skipped_reason: str | None = None  # a baseline whose packages are missing

    def to_dict(self) -> dict[str, Any]:
        return {
            "capabilities": list(self.capabilities),
            "skipped_reason": self.skipped_reason,
            "metrics": {k: m.to_dict() for k, m in self.scores.metrics.items()},
            "confusion": self.scores.confusion,
        }


@dataclass(slots=True)
class Throughput:
    reports: int = 0
    words: int = 0
    seconds: float = 0.0

    @property
    def reports_per_s(self) -> float | None:
        return self.reports / self.seconds if self.seconds > 0 else None

    @property
    def words_per_s(self) -> float | None:
        return self.words / self.seconds if self.seconds > 0 else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "words": self.words,
            "seconds": self.seconds,
            "reports_per_s": self.reports_per_s,
            "words_per_s": self.words_per_s,
        }


@dataclass(slots=True)
class EvalResult:
    gold_path: str
    split: str
    limit: int | None
    rows_scored: int
    rows_skipped_no_notes: int
    gold_warnings: list[str] = field(default_factory=list)
    systems: dict[str, SystemResult] = field(default_factory=dict)
    pipeline_errors: list[str] = field(default_factory=list)  # "SYR14301: ValueError: ..." (first few)
    pipeline_error_count: int = 0
    throughput: Throughput = field(default_factory=Throughput)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold_path,
            "split": self.split,
            "limit": self.limit,
            "rows_scored": self.rows_scored,
            "rows_skipped_no_notes": self.rows_skipped_no_notes,
            "gold_warnings": self.gold_warnings,
            "pipeline_error_count": self.pipeline_error_count,
            "pipeline_errors": self.pipeline_errors,
            "throughput": self.throughput.to_dict(),
            "systems": {name: s.to_dict() for name, s in self.systems.items()},
        }


def report_for(row: GoldRow) -> Report:
    """What the system sees of a gold row: the notes only, published the day after the event."""
    return Report(text=row.notes, published_at=published_at_for(row), source=None, language=None)


def run_pipeline(
    rows: Sequence[GoldRow], process: Callable[[Report], ReportAnalysis] | None = None
) -> tuple[list[Prediction | None], Throughput, list[str], int]:
    """Aligned eventwatch predictions per row, timing, and the errors raised (a failing row is a miss).

    One bad row must not hide the scores of thousands of others, so exceptions are caught, counted and
    reported (and the CLI exits non-zero on them).
    """
    if process is None:
        # Looked up at call time so a test can monkeypatch eventwatch.pipeline.process_report.
        from eventwatch import pipeline

        process = pipeline.process_report
    preds: list[Prediction | None] = []
    errors: list[str] = []
    error_count = 0
    tp = Throughput()
    for row in rows:
        report = report_for(row)
        start = time.perf_counter()
        try:
            analysis = process(report)
        except Exception as exc:
            tp.seconds += time.perf_counter() - start
            error_count += 1
            if len(errors) < MAX_ERRORS_KEPT:
                errors.append(f"{row.event_id or 'line ' + str(row.line)}: {type(exc).__name__}: {exc}")
            preds.append(None)
            continue
        tp.seconds += time.perf_counter() - start
        tp.reports += 1
        tp.words += len(row.notes.split())
        event = align(row, analysis.events)
        preds.append(to_prediction(event) if event is not None else None)
    return preds, tp, errors, error_count


def evaluate(
    gold_csv: Path,
    limit: int | None = None,
    split: str = "all",
    *,
    baselines: bool | Sequence[Baseline] = False,
    gold: GoldSet | None = None,
) -> EvalResult:
    """Score eventwatch on a gold ACLED CSV; with ``baselines=True`` score every baseline on the same rows.

    ``split`` is "all", "train" or "test" (see :func:`eventwatch.evaluate.gold.split_of`); ``limit`` keeps the
    first N rows of that split. ``gold`` passes an already read file (benchmarks read it once).
    """
    gold = gold if gold is not None else read_gold(gold_csv)
    rows = gold.select(split, limit)
    result = EvalResult(
        gold_path=gold.path,
        split=split,
        limit=limit,
        rows_scored=len(rows),
        rows_skipped_no_notes=gold.skipped_no_notes,
        gold_warnings=list(gold.bad_values),
    )
    preds, result.throughput, result.pipeline_errors, result.pipeline_error_count = run_pipeline(rows)
    result.systems[SYSTEM] = SystemResult(SYSTEM, CAPABILITIES, score(rows, preds, CAPABILITIES))

    chosen: Sequence[Baseline] = BASELINES if baselines is True else (baselines or ())
    for baseline in chosen:
        system = SystemResult(baseline.name, baseline.capabilities)
        system.skipped_reason = baseline.unavailable()
        if system.skipped_reason is None:
            system.scores = score(rows, baseline.predict(rows, gold.rows), baseline.capabilities)
        else:
            system.scores = score(rows, [None] * len(rows), ())
        result.systems[baseline.name] = system
    return result
