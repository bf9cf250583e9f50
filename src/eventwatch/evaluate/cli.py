"""``eventwatch eval``: score the system on a gold ACLED CSV and print a table or JSON.

Mounted by the main CLI with ``app.command("eval")(eval_command)``; :func:`run_eval_cli` is the plain function
behind it (returns the exit code, never calls ``sys.exit``), for callers that are not typer.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from eventwatch.evaluate.gold import SPLITS, read_gold
from eventwatch.evaluate.harness import evaluate
from eventwatch.evaluate.progress import rich_progress
from eventwatch.evaluate.report import render, to_json

EXIT_OK = 0
EXIT_PIPELINE_ERRORS = 1  # scores were computed, but the pipeline raised on some rows
EXIT_USAGE = 2  # unreadable gold file, bad split or limit


def default_train_for(gold: Path) -> Path | None:
    """The training file beside a gold file in the shared layout: ``eval/X.csv`` → ``train/acled-train.csv``."""
    candidate = gold.resolve().parent.parent / "train" / "acled-train.csv"
    return candidate if candidate.is_file() and candidate != gold.resolve() else None


def run_eval_cli(
    gold: Path,
    limit: int | None = None,
    as_json: bool = False,
    split: str = "all",
    baselines: bool = False,
    console: Console | None = None,
    train: Path | None = None,
    errors: Path | None = None,
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
    if train is not None and not train.is_file():
        err.print(f"[red]training file not found: {train}[/red]")
        return EXIT_USAGE
    if baselines and train is None:
        train = default_train_for(gold)
        if train is not None:
            err.print(f"trained baselines fit on {train}")
    try:
        train_set = read_gold(train) if baselines and train is not None else None
        if errors is not None:
            errors.parent.mkdir(parents=True, exist_ok=True)
        with errors.open("w", encoding="utf-8") if errors is not None else nullcontext() as errors_to:
            result = evaluate(gold, limit=limit, split=split, baselines=baselines, train=train_set,
                              errors_to=errors_to, progress=rich_progress(err))  # fmt: skip
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]cannot read {exc.filename if isinstance(exc, OSError) else gold}: {exc}[/red]")
        return EXIT_USAGE
    if as_json:
        # Plain stdout, not rich: JSON must not be wrapped or coloured.
        sys.stdout.write(to_json(result) + "\n")
    else:
        out.print(render(result))
    if errors is not None:
        err.print(f"per-row errors: {errors} ({result.rows_scored} rows)")
    return EXIT_PIPELINE_ERRORS if result.pipeline_error_count else EXIT_OK


def run_sets_cli(
    names: list[str],
    shared: Path | None = None,
    limit: int | None = None,
    as_json: bool = False,
    baselines: bool = True,
    errors: Path | None = None,
    workers: int = 1,
    console: Console | None = None,
) -> int:
    """Run registered gold-set harnesses (``all``: every set whose folder exists) and print their tables."""
    from eventwatch.evaluate.sets import SETS, folder_of, get_set, train_csv
    from eventwatch.evaluate.sets import default_shared_dir as default_shared
    from eventwatch.evaluate.sets.base import SetContext
    from eventwatch.evaluate.sets.render import render_set, results_json

    out = console or Console(width=None if sys.stdout.isatty() else 160)
    err = Console(stderr=True)
    shared = shared or default_shared()
    try:
        chosen = list(SETS) if "all" in names else [get_set(n) for n in names]
    except KeyError as exc:
        err.print(f"[red]{exc.args[0]}[/red]")
        return EXIT_USAGE
    if limit is not None and limit < 1:
        err.print("[red]--limit must be at least 1[/red]")
        return EXIT_USAGE
    results = []
    for entry in chosen:
        folder = folder_of(entry, shared)
        if not folder.exists():
            err.print(f"[yellow]{entry.name}: skipped, {folder} is absent[/yellow]")
            continue
        ctx = SetContext(folder=folder, train_csv=train_csv(shared), limit=limit, baselines=baselines,
                         workers=workers, progress=rich_progress(err), keep_errors=errors is not None)  # fmt: skip
        result = entry.run(ctx)
        results.append(result)
        if not as_json:
            out.print(render_set(result))
    if not results:
        err.print(f"[red]no evaluation set found under {shared / 'eval'}[/red]")
        return EXIT_USAGE
    if as_json:
        sys.stdout.write(results_json(results) + "\n")
    if errors is not None:
        errors.parent.mkdir(parents=True, exist_ok=True)
        with errors.open("w", encoding="utf-8") as f:
            for result in results:
                for record in result.errors:
                    f.write(json.dumps({"set": result.name, **record}, ensure_ascii=False) + "\n")
        err.print(f"per-item records: {errors}")
    return EXIT_OK


def list_sets(console: Console | None = None, shared: Path | None = None) -> None:
    from eventwatch.evaluate.sets import SETS, folder_of
    from eventwatch.evaluate.sets import default_shared_dir as default_shared

    out = console or Console()
    shared = shared or default_shared()
    for entry in SETS:
        present = "present" if folder_of(entry, shared).exists() else "absent"
        out.print(f"{entry.name:20} {entry.summary}  [dim]({shared / 'eval' / entry.folder}: {present})[/dim]")


def eval_command(
    gold: Annotated[Path | None, typer.Option("--gold", help="ACLED export CSV with notes and coded fields.")] = None,
    set_names: Annotated[
        list[str] | None,
        typer.Option("--set", help="Run a registered gold-set harness (repeatable; 'all': every present set)."),
    ] = None,
    list_only: Annotated[bool, typer.Option("--list-sets", help="List the registered gold sets and exit.")] = False,
    shared: Annotated[
        Path | None,
        typer.Option("--shared", help="Folder holding eval/ and train/ (default: $EVENTWATCH_SHARED or ../shared)."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Score at most N rows (items) of the split.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    split: Annotated[str, typer.Option("--split", help="all | train | test (sha1 of event_id_cnty).")] = "all",
    baselines: Annotated[
        bool, typer.Option("--baselines", help="Also score the baselines (needs the bench extra).")
    ] = False,
    train: Annotated[
        Path | None,
        typer.Option(
            "--train",
            help="Training CSV for the trained baselines (default: ../train/acled-train.csv "
            "beside the gold file's folder, when present; else the other split of the gold file).",
        ),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option("--errors", help="Write one JSON line per scored row: text, gold, predictions, failed metrics."),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Processes for the gold-set harnesses.")] = 1,
) -> None:
    """Score eventwatch against gold data: an ACLED CSV (--gold) or the registered gold sets (--set)."""
    if list_only:
        list_sets(shared=shared)
        return
    if set_names:
        code = run_sets_cli(set_names, shared=shared, limit=limit, as_json=as_json, baselines=True, errors=errors,
                            workers=workers)  # fmt: skip
    elif gold is not None:
        code = run_eval_cli(gold, limit=limit, as_json=as_json, split=split, baselines=baselines, train=train,
                            errors=errors)  # fmt: skip
    else:
        Console(stderr=True).print("[red]give --gold FILE.csv or --set NAME (see --list-sets)[/red]")
        code = EXIT_USAGE
    if code:
        raise typer.Exit(code)


# Standalone use and tests: `python -m eventwatch.evaluate.cli --gold FILE.csv`.
app = typer.Typer(add_completion=False, help="Evaluate eventwatch against gold data.")
app.command("eval")(eval_command)

if __name__ == "__main__":
    app()
