"""Printing a :class:`SetResult`: one rich table per :class:`SetTable`, rows = systems, columns = metrics (turned
the other way when a table has many metrics), published figures and the goal as marked rows."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from eventwatch.evaluate.sets.base import SetResult, SetTable, SystemRow

TRANSPOSE_AFTER = 8  # more metric columns than this and the table is printed metrics-down
_STYLE = {"system": "bold", "baseline": "", "published": "italic cyan", "goal": "dim"}


def cell(value: float | str | None, key: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if key.endswith("_km") or key.endswith(".mae") or key.endswith("_count") or abs(value) > 1.0:
        return f"{value:,.2f}" if value != int(value) else f"{int(value):,}"
    return f"{value:.3f}"


def _label(row: SystemRow) -> str:
    return f"{row.name} (published)" if row.kind == "published" else row.name


def render_set_table(table: SetTable) -> Table:
    title = f"{table.title}" + (f" — n = {table.n:,}" if table.n is not None else "")
    out = Table(title=title, caption=table.caption or None, caption_justify="left")
    if len(table.metrics) > TRANSPOSE_AFTER:
        out.add_column("metric", style="bold", no_wrap=True)
        for row in table.rows:
            out.add_column(_label(row), justify="right", style=_STYLE.get(row.kind, ""))
        for key, label in table.metrics:
            out.add_row(label, *(cell(r.values.get(key), key) for r in table.rows))
        return out
    out.add_column("system", no_wrap=True)
    for _, label in table.metrics:
        out.add_column(label, justify="right")
    out.add_column("note", style="dim")
    for row in table.rows:
        out.add_row(_label(row), *(cell(row.values.get(k), k) for k, _ in table.metrics), row.note,
                    style=_STYLE.get(row.kind, ""))  # fmt: skip
    return out


def render_set(result: SetResult) -> RenderableType:
    items: list[RenderableType] = [render_set_table(t) for t in result.tables]
    items.extend(Text(n, style="dim") for n in result.notes)
    items.extend(Text(w, style="yellow") for w in result.warnings)
    limit = f" (first {result.limit:,} items)" if result.limit is not None else ""
    items.append(Text(f"{result.name}: {result.seconds:,.1f} s{limit} · {result.folder}", style="dim"))
    return Group(*items)


def results_json(results: Sequence[SetResult]) -> str:
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)
