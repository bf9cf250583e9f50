"""``acled-dev``: the ACLED CSV harness (:mod:`eventwatch.evaluate.harness`) as a set of the registry.

The dev file is scored whole; trained baselines fit on ``../shared/train/acled-train.csv`` (never on dev rows).
Goals are the targets of the issues that own each field (typing, geoparsing, ACLED coding rules).
"""

from __future__ import annotations

import io
import json

from eventwatch.evaluate.gold import read_gold
from eventwatch.evaluate.harness import evaluate
from eventwatch.evaluate.metrics import METRICS
from eventwatch.evaluate.report import LABELS
from eventwatch.evaluate.sets.base import SetContext, SetResult, SetTable, SystemRow, goal, timed

GOALS: dict[str, str] = {
    "event_type.accuracy": "≥ 0.92",
    "sub_event_type.macro_f1": "≥ 0.75",
    "fatalities.exact": "≥ 0.92",
    "fatalities.mae": "≤ 0.5",
    "location.within_25km": "≥ 0.80",
    "admin1.match": "≥ 0.85",
    "country.match": "≥ 0.97",
    "event_date.exact": "≥ 0.98",
    "actor1.match": "≥ 0.75",
    "actor2.match": "≥ 0.70",
    "inter1.match": "≥ 0.85",
    "unsupported.share": "0",
    "no_event.share": "≤ 0.02",
}


@timed
def run_acled_dev(ctx: SetContext) -> SetResult:
    gold = read_gold(ctx.folder)
    train = read_gold(ctx.train_csv) if ctx.baselines and ctx.train_csv is not None else None
    errors = io.StringIO() if ctx.keep_errors else None
    result = evaluate(ctx.folder, limit=ctx.limit, baselines=ctx.baselines, gold=gold, train=train,
                      errors_to=errors, progress=ctx.progress)  # fmt: skip
    table = SetTable("ACLED notes (acled-dev)", [(k, LABELS.get(k, k)) for k, _ in METRICS], n=result.rows_scored)
    for name, system in result.systems.items():
        kind = "system" if name == "eventwatch" else "baseline"
        values: dict[str, float | str | None] = {k: m.value for k, m in system.scores.metrics.items()}
        table.rows.append(SystemRow(name, kind, values, system.skipped_reason or ""))
    table.rows.append(goal(GOALS))
    excluded = {k: m.excluded for k, m in result.systems["eventwatch"].scores.metrics.items() if m.excluded}
    table.caption = f"{result.throughput.reports_per_s or 0:,.1f} reports/s (one process)"
    out = SetResult("acled-dev", str(ctx.folder), [table])
    if train is not None:
        out.notes.append(f"trained baselines fit on {train.path} ({len(train.rows):,} rows)")
    if excluded:
        out.warnings.append(f"rows excluded for unreadable gold values: {excluded}")
    out.warnings.extend(result.gold_warnings[:10])
    if result.unsupported:
        out.warnings.append(f"{len(result.unsupported)} value(s) without a supporting span: {result.unsupported[:5]}")
    if result.pipeline_error_count:
        out.warnings.append(f"pipeline raised on {result.pipeline_error_count} row(s): {result.pipeline_errors[:3]}")
    if errors is not None:
        out.errors = [json.loads(line) for line in errors.getvalue().splitlines()]
    return out
