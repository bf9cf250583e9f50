"""``eventwatch eval``: score the system on a gold ACLED CSV and print a table or JSON.

Mounted by the main CLI with ``app.command("eval")(eval_command)``; :func:`run_eval_cli` is the plain function
behind it (returns the exit code, never calls ``sys.exit``), for callers that are not typer.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from eventwatch.evaluate.gold import SPLITS
from eventwatch.evaluate.harness import evaluate
from eventwatch.evaluate.report import render, to_json

EXIT_OK = 0
EXIT_PIPELINE_ERRORS = 1  # scores were computed, but the pipeline raised on some rows
EXIT_USAGE = 2  # unreadable gold file, bad split or limit


def run_eval_cli(
    gold: Path,
    limit: int | None = None,
    as_json: bool = False,
    split: str = "all",
    baselines: bool = False,
    console: Console | None = None,
) -> int:
    # Piped output would otherwise be cut to 80 columns and wrap the table into an unreadable column.
    out = console or Console(width=None if sys.stdout.isatty() else 160)
    err = Console(stderr=True)
    if split not in SPLITS:
        err.print(f"[red]unknown split {split!r}; expected one of {', '.join(SPLITS)}[/red]")
        return EXIT_USAGE
    if limit is not None and limit < 1:
        err.print("[red]--limit must be at least 1[/red]")
        return EXIT_USAGE
    if not gold.is_file():
        err.print(f"[red]gold file not found: {gold}[/red]")
        return EXIT_USAGE
    try:
        result = evaluate(gold, limit=limit, split=split, baselines=baselines)
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]cannot read gold file {gold}: {exc}[/red]")
        return EXIT_USAGE
    if as_json:
        # Plain stdout, not rich: JSON must not be wrapped or coloured.
        sys.stdout.write(to_json(result) + "\n")
    else:
        out.print(render(result))
    return EXIT_PIPELINE_ERRORS if result.pipeline_error_count else EXIT_OK


def eval_command(
    gold: Annotated[Path, typer.Option("--gold", help="ACLED export CSV with notes and coded fields.")],
    limit: Annotated[int | None, typer.Option("--limit", help="Score at most N rows of the split.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    split: Annotated[str, typer.Option("--split", help="all | train | test (sha1 of event_id_cnty).")] = "all",
    baselines: Annotated[
        bool, typer.Option("--baselines", help="Also score the baselines (needs the bench extra).")
    ] = False,
) -> None:
    """Score eventwatch against gold ACLED data (notes in, coded fields compared)."""
    code = run_eval_cli(gold, limit=limit, as_json=as_json, split=split, baselines=baselines)
    if code:
        raise typer.Exit(code)


# Standalone use and tests: `python -m eventwatch.evaluate.cli --gold FILE.csv`.
app = typer.Typer(add_completion=False, help="Evaluate eventwatch against gold data.")
app.command("eval")(eval_command)

if __name__ == "__main__":
    app()
