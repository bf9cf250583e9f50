"""``eventwatch gazetteer``: add a user's own places (GeoNames dumps, ACLED exports) to the offline index.

Mounted by the main CLI with ``app.add_typer(gazetteer_app, name="gazetteer")``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from eventwatch.resolve import geoindex, layers

gazetteer_app = typer.Typer(help="Gazetteer layers: import GeoNames dumps or ACLED exports into the offline index.",
                            no_args_is_help=True)  # fmt: skip
err = Console(stderr=True)


@gazetteer_app.command("import")
def import_layer(
    files: Annotated[list[Path], typer.Argument(help="GeoNames dump (allCountries.txt, SY.txt, SY.zip) or ACLED CSV.")],
    name: Annotated[str | None, typer.Option("--name", help="Layer name (default: the first file's stem).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto | geonames | acled")] = "auto",
    build: Annotated[bool, typer.Option("--build/--no-build", help="Rebuild the index now.")] = True,
) -> None:
    """Import places into a layer (one per call; importing under an existing name replaces it)."""
    for f in files:
        if not f.is_file():
            err.print(f"[red]not a file: {f}[/red]")
            raise typer.Exit(2)
    places: list[layers.LayerPlace] = []
    total = sum(f.stat().st_size for f in files)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("reading", total=total)
        for f in files:
            try:
                kind = layers.detect_format(f) if fmt == "auto" else fmt
            except (ValueError, UnicodeDecodeError) as exc:
                err.print(f"[red]{exc}[/red]")
                raise typer.Exit(2) from exc
            bar.update(task, description=f"{f.name} ({kind})")
            if kind == "geonames":
                places += layers.geonames_places(f, geoindex.admin_name, lambda n: bar.advance(task, n))
            elif kind == "acled":
                size = f.stat().st_size
                before = len(places)
                places += layers.acled_places(f)
                bar.advance(task, size)
                if len(places) == before:
                    err.print(f"[yellow]{f}: no row with a location, a known country and coordinates[/yellow]")
            else:
                err.print(f"[red]unknown format {kind!r} (auto, geonames, acled)[/red]")
                raise typer.Exit(2)
    try:
        path, n = layers.write_layer(name or files[0].stem, places)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    err.print(f"layer {path.stem}: {n:,} places → {path}")
    if build:
        _build()


@gazetteer_app.command("list")
def list_layers() -> None:
    """The installed layers and the index they build into."""
    table = Table(title=f"gazetteer layers ({layers.layers_dir()})")
    for col in ("layer", "places", "MB"):
        table.add_column(col, justify="left" if col == "layer" else "right")
    for path in layers.layer_files():
        with path.open(encoding="utf-8") as f:
            n = sum(1 for _ in f) - 1
        table.add_row(path.stem, f"{n:,}", f"{path.stat().st_size / 1e6:.1f}")
    Console().print(table)
    Console().print(f"index: {geoindex.index_path()} ({'built' if geoindex.index_path().exists() else 'not built'})")


@gazetteer_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="Layer name (see `eventwatch gazetteer list`).")]) -> None:
    """Remove a layer; the index is rebuilt without it."""
    if not layers.remove_layer(name):
        err.print(f"[red]no layer {name!r} in {layers.layers_dir()}[/red]")
        raise typer.Exit(2)
    err.print(f"removed layer {name}")
    _build()


def _build() -> None:
    with err.status("building the gazetteer index with every layer ...", spinner="dots"):
        started = time.perf_counter()
        path = geoindex.ensure_built()
    err.print(f"index built in {time.perf_counter() - started:.0f} s: {path}")
