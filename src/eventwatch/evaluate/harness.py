"""Running eventwatch (and optionally the baselines) over a gold file and collecting the scores."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from eventwatch.evaluate.align import align, to_prediction
from eventwatch.evaluate.baselines import BASELINES, Baseline
from eventwatch.evaluate.gold import GoldRow, GoldSet, published_at_for, read_gold
from eventwatch.evaluate.metrics import CAPABILITIES, Metric, Prediction, Scores, row_checks, score
from eventwatch.evaluate.progress import Progress, no_progress
from eventwatch.model import Event, Report, ReportAnalysis

SYSTEM = "eventwatch"
MAX_ERRORS_KEPT = 20


@dataclass(slots=True)
class SystemResult:
    name: str
    capabilities: tuple[str, ...]
    scores: Scores = field(default_factory=Scores)
    skipped_reason: str | None = None  # a baseline whose packages are missing
    predictions: list[Prediction | None] = field(default_factory=list, repr=False)  # per scored row

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
    train_path: str | None = None  # where the trained baselines learned from (None: the other split of gold)
    gold_warnings: list[str] = field(default_factory=list)
    systems: dict[str, SystemResult] = field(default_factory=dict)
    pipeline_errors: list[str] = field(default_factory=list)  # "SYR14301: ValueError: ..." (first few)
    pipeline_error_count: int = 0
    throughput: Throughput = field(default_factory=Throughput)
    unsupported: list[str] = field(default_factory=list)  # "SYR1: fatalities_best=7 (spans read 3)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold_path,
            "split": self.split,
            "limit": self.limit,
            "rows_scored": self.rows_scored,
            "rows_skipped_no_notes": self.rows_skipped_no_notes,
            "train": self.train_path,
            "gold_warnings": self.gold_warnings,
            "pipeline_error_count": self.pipeline_error_count,
            "pipeline_errors": self.pipeline_errors,
            "throughput": self.throughput.to_dict(),
            "unsupported_values": self.unsupported,
            "systems": {name: s.to_dict() for name, s in self.systems.items()},
        }


def report_for(row: GoldRow) -> Report:
    """What the system sees of a gold row: the notes only, published the day after the event."""
    return Report(text=row.notes, published_at=published_at_for(row), source=None, language=None)


def run_pipeline(
    rows: Sequence[GoldRow],
    process: Callable[[Report], ReportAnalysis] | None = None,
    progress: Progress = no_progress,
) -> tuple[list[Prediction | None], list[list[Event]], Throughput, list[str], int]:
    """Aligned eventwatch predictions per row, every event extracted per row, timing, and the errors raised (a
    failing row is a miss).

    One bad row must not hide the scores of thousands of others, so exceptions are caught, counted and
    reported (and the CLI exits non-zero on them).
    """
    if process is None:
        # Looked up at call time so a test can monkeypatch eventwatch.pipeline.process_report.
        from eventwatch import pipeline

        process = pipeline.process_report
    preds: list[Prediction | None] = []
    extracted: list[list[Event]] = []
    errors: list[str] = []
    error_count = 0
    tp = Throughput()
    for row in progress(rows, "eventwatch"):
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
            extracted.append([])
            continue
        tp.seconds += time.perf_counter() - start
        tp.reports += 1
        tp.words += len(row.notes.split())
        event = align(row, analysis.events)
        preds.append(to_prediction(event) if event is not None else None)
        extracted.append(list(analysis.events))
    return preds, extracted, tp, errors, error_count


def evaluate(
    gold_csv: Path,
    limit: int | None = None,
    split: str = "all",
    *,
    baselines: bool | Sequence[Baseline] = False,
    gold: GoldSet | None = None,
    train: GoldSet | None = None,
    errors_to: IO[str] | None = None,
    progress: Progress = no_progress,
) -> EvalResult:
    """Score eventwatch on a gold ACLED CSV; with ``baselines=True`` score every baseline on the same rows.

    ``split`` is "all", "train" or "test" (see :func:`eventwatch.evaluate.gold.split_of`); ``limit`` keeps the
    first N rows of that split. ``gold`` passes an already read file (benchmarks read it once). ``train`` is a
    separate training file (``../shared/train/acled-train.csv``) for the trained baselines; without one they fit
    on the other split of the gold file, never on a row they score. ``errors_to`` receives one JSON line per
    scored row (:func:`error_lines`).
    """
    gold = gold if gold is not None else read_gold(gold_csv)
    rows = gold.select(split, limit)
    result = EvalResult(
        gold_path=gold.path,
        split=split,
        limit=limit,
        rows_scored=len(rows),
        rows_skipped_no_notes=gold.skipped_no_notes,
        train_path=train.path if train is not None else None,
        gold_warnings=list(gold.bad_values),
    )
    preds, extracted, result.throughput, result.pipeline_errors, result.pipeline_error_count = run_pipeline(
        rows, progress=progress
    )
    system = SystemResult(SYSTEM, CAPABILITIES, score(rows, preds, CAPABILITIES), predictions=preds)
    system.scores.metrics["event_type.primary_accuracy"] = primary_accuracy(rows, extracted)
    system.scores.metrics["unsupported.share"], result.unsupported = unsupported_values(rows, extracted)
    result.systems[SYSTEM] = system

    chosen: Sequence[Baseline] = BASELINES if baselines is True else (baselines or ())
    for baseline in chosen:
        system = SystemResult(baseline.name, baseline.capabilities)
        system.skipped_reason = baseline.unavailable()
        if system.skipped_reason is None:
            with progress.step(f"baseline {baseline.name}"):
                system.predictions = baseline.predict(rows, train.rows if train is not None else gold.rows,
                                                      disjoint=train is not None)  # fmt: skip
            system.scores = score(rows, system.predictions, baseline.capabilities)
        else:
            system.scores = score(rows, [None] * len(rows), ())
        result.systems[baseline.name] = system
    if errors_to is not None:
        for line in error_lines(rows, result, extracted):
            errors_to.write(json.dumps(line, ensure_ascii=False) + "\n")
    return result


def primary_accuracy(rows: Sequence[GoldRow], extracted: Sequence[Sequence[Event]]) -> Metric:
    """event_type accuracy of the first non-background event only: the system's own main reading, without the
    alignment's best-of choice among several extracted events (which flatters a system that emits many)."""
    scored = [(r, ev) for r, ev in zip(rows, extracted, strict=True) if r.event_type]
    if not scored:
        return Metric(None, 0)
    hits = 0
    for row, events in scored:
        first = next((e for e in events if not e.background), None)
        hits += first is not None and first.event_type == row.event_type
    return Metric(hits / len(scored), len(scored))


def unsupported_values(rows: Sequence[GoldRow], extracted: Sequence[Sequence[Event]]) -> tuple[Metric, list[str]]:
    """The share of rows with a count no span of its text says (every extracted event, background included:
    :func:`eventwatch.evaluate.support.unsupported`), and one line per offending value."""
    from eventwatch.evaluate.support import unsupported

    lines: list[str] = []
    bad = 0
    for row, events in zip(rows, extracted, strict=True):
        found = [f"{row.event_id or row.line}: {p}" for e in events for p in unsupported(e, row.notes)]
        bad += bool(found)
        lines += found
    return Metric(bad / len(rows) if rows else None, len(rows)), lines


def error_lines(
    rows: Sequence[GoldRow], result: EvalResult, extracted: Sequence[Sequence[Event]]
) -> Iterator[dict[str, Any]]:
    """One record per scored row for error analysis: the text, the gold answer, each system's prediction and the
    metrics it failed (only metrics within that system's capabilities), plus every event eventwatch extracted."""
    for i, row in enumerate(rows):
        record: dict[str, Any] = {"event_id": row.event_id, "line": row.line, "notes": row.notes,
                                  "gold": row.gold_fields()}  # fmt: skip
        for name, system in result.systems.items():
            if system.skipped_reason is not None or not system.predictions:
                continue
            pred = system.predictions[i]
            checks = row_checks(row, pred)
            failed = sorted(m for m, ok in checks.items() if not ok and _within_capabilities(m, system.capabilities))
            record[name] = {"prediction": pred.to_dict() if pred is not None else None, "failed": failed}
        record["events"] = [_event_summary(e) for e in extracted[i]]
        yield record


def _within_capabilities(metric: str, capabilities: Sequence[str]) -> bool:
    from eventwatch.evaluate.metrics import METRICS

    needed = dict(METRICS).get(metric)
    return needed is None or needed in capabilities


def _event_summary(event: Event) -> dict[str, Any]:
    return {
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "background": event.background,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "location": event.location,
        "admin1": event.admin1,
        "country": event.country,
        "fatalities": event.fatalities,
        "confidence": event.confidence,
        "notes": event.notes,
    }
