"""Rendering an :class:`EvalResult`: one rich table (rows = metrics, columns = systems) or JSON."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from eventwatch.evaluate.harness import EvalResult
from eventwatch.evaluate.metrics import METRICS, Metric, top_confusions

LABELS: dict[str, str] = {
    "event_type.accuracy": "event_type accuracy",
    "event_type.primary_accuracy": "event_type of the first event",
    "event_type.macro_f1": "event_type macro-F1",
    "sub_event_type.accuracy": "sub_event_type accuracy",
    "sub_event_type.macro_f1": "sub_event_type macro-F1",
    "fatalities.exact": "fatalities exact",
    "fatalities.mae": "fatalities MAE ↓",
    "location.within_1km": "location ≤ 1 km",
    "location.within_25km": "location ≤ 25 km",
    "location.within_161km": "location ≤ 161 km",
    "admin1.match": "admin1 match",
    "country.match": "country match",
    "event_date.exact": "event_date exact",
    "event_date.within_1d": "event_date ± 1 day",
    "time_precision.match": "time_precision match",
    "actor1.match": "actor1 match",
    "actor2.match": "actor2 match",
    "actor1.match_country": "actor1 match, country named",
    "actor2.match_country": "actor2 match, country named",
    "inter1.match": "inter1 match",
    "inter2.match": "inter2 match",
    "assoc_actor_1.match": "assoc_actor_1 match",
    "assoc_actor_2.match": "assoc_actor_2 match",
    "unsupported.share": "values without a supporting span ↓",
    "no_event.share": "no event extracted ↓",
}

# Short forms keep the confusion cells narrow.
_SHORT = {
    "Explosions/Remote violence": "Explosions",
    "Violence against civilians": "VAC",
    "Strategic developments": "StratDev",
}


def format_metric(name: str, metric: Metric) -> str:
    if metric.value is None:
        return "—"
    if name.endswith(".mae"):
        return f"{metric.value:.2f} (n={metric.n})"
    return f"{100 * metric.value:.1f}%"


def _confusion_cell(matrix: dict[str, dict[str, int]], k: int) -> str:
    cells = top_confusions(matrix, k)
    if not cells:
        return "none"
    return "\n".join(f"{_short(g)} → {_short(p)} ×{n}" for g, p, n in cells)


def _short(label: str, width: int = 24) -> str:
    label = _SHORT.get(label, label)
    return label if len(label) <= width else label[: width - 1] + "…"


def render_table(result: EvalResult, title: str | None = None, top_k: int = 3) -> Table:
    table = Table(
        title=title or f"eventwatch evaluation — {result.split} split",
        caption_justify="left",
        # ↓ marks metrics where lower is better; "—" a metric the system does not predict.
    )
    table.add_column("metric", style="bold", no_wrap=True)
    table.add_column("n", justify="right", style="dim")
    names = list(result.systems)
    for name in names:
        system = result.systems[name]
        header = name if system.skipped_reason is None else f"{name}\n(skipped)"
        table.add_column(header, justify="right")
    for key, _ in METRICS:
        # n: the denominator of the first system that scored the metric (shares use all gold rows).
        scored = [s.scores.metrics[key] for s in result.systems.values() if s.scores.metrics[key].value is not None]
        n = f"{scored[0].n}" if scored else ""
        if scored and scored[0].excluded:
            # Gold values the reader could not understand leave the metric, not the run: say how many.
            n += f" ({scored[0].excluded} unreadable)"
        cells = [format_metric(key, result.systems[s].scores.metrics[key]) for s in names]
        table.add_row(LABELS.get(key, key), n, *cells)
    for field_name in ("event_type", "sub_event_type"):
        cells = []
        for s in names:
            matrix = result.systems[s].scores.confusion.get(field_name)
            cells.append("—" if matrix is None else _confusion_cell(matrix, top_k))
        table.add_row(f"{field_name} confusions\n(gold → predicted)", "", *cells)
    table.caption = _caption(result)
    return table


def _caption(result: EvalResult) -> str:
    parts = [
        f"gold: {result.gold_path}",
        f"split: {result.split}",
        f"rows scored: {result.rows_scored}",
        f"skipped (no notes): {result.rows_skipped_no_notes}",
    ]
    if result.train_path:
        parts.append(f"trained baselines fit on: {result.train_path}")
    if result.limit is not None:
        parts.append(f"limit: {result.limit}")
    tp = result.throughput
    if tp.reports_per_s is not None:
        parts.append(f"pipeline: {tp.reports_per_s:,.1f} reports/s")
    return " · ".join(parts)


def render(result: EvalResult, title: str | None = None) -> RenderableType:
    """The table plus warnings that must not go unseen (pipeline errors, skipped baselines, bad gold values)."""
    items: list[RenderableType] = [render_table(result, title)]
    for name, system in result.systems.items():
        if system.skipped_reason:
            items.append(Text(f"{name} skipped: {system.skipped_reason}", style="yellow"))
    if result.pipeline_error_count:
        items.append(Text(f"pipeline raised on {result.pipeline_error_count} row(s):", style="bold red"))
        items.extend(Text(f"  {e}", style="red") for e in result.pipeline_errors)
    if result.gold_warnings:
        items.append(Text(f"{len(result.gold_warnings)} gold value(s) not understood:", style="yellow"))
        items.extend(Text(f"  {w}", style="yellow") for w in result.gold_warnings[:10])
    return Group(*items)


def to_json(result: EvalResult, extra: dict[str, Any] | None = None) -> str:
    data = result.to_dict()
    if extra:
        data.update(extra)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
