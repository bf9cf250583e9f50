"""Evaluation harness: score eventwatch against external gold (ACLED CSV), beside simple baselines.

A tool outside the pipeline stages: it feeds each gold row's ``notes`` through
:func:`eventwatch.pipeline.process_report`, aligns the extracted events to the row (:mod:`.align`), and scores
fields with pure functions (:mod:`.metrics`). See :func:`evaluate` and ``eventwatch eval``.
"""

from __future__ import annotations

from eventwatch.evaluate.gold import GoldRow, GoldSet, read_gold, split_of
from eventwatch.evaluate.harness import EvalResult, SystemResult, Throughput, evaluate
from eventwatch.evaluate.metrics import Metric, Prediction, Scores

__all__ = [
    "EvalResult",
    "GoldRow",
    "GoldSet",
    "Metric",
    "Prediction",
    "Scores",
    "SystemResult",
    "Throughput",
    "evaluate",
    "read_gold",
    "split_of",
]
