"""The ``eventwatch`` command line: ingest, inspect, export, and the demo."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from eventwatch.evaluate.cli import eval_command
from eventwatch.export import FORMATS, write_events
from eventwatch.fuse.export import write_incidents_csv, write_incidents_json
from eventwatch.model import Event, Incident, Reject
from eventwatch.resolve import geoindex
from eventwatch.resolve.cli import gazetteer_app
from eventwatch.runner import FuseStats, IngestStats, fuse_events, ingest_paths, iter_files, process_reports
from eventwatch.scale.engine import Engine, EngineError
from eventwatch.store import Store, StoreError, open_store, redact

app = typer.Typer(
    name="eventwatch",
    help="Turn conflict reporting into sourced, structured event data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        help="SQLite database file (created if missing) or PostgreSQL URL (postgresql://user@host:5432/dbname).",
        envvar="EVENTWATCH_DB",
    ),
]
DEFAULT_DB = "eventwatch.db"
INCIDENT_FORMATS = ("acled-incidents-csv", "incidents-json")
ALL_FORMATS = (*FORMATS, *INCIDENT_FORMATS)


app.command("eval")(eval_command)
app.add_typer(gazetteer_app, name="gazetteer")


def _open(db: str | Path) -> Store:
    try:
        return open_store(db)
    except StoreError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


class _RateColumn(ProgressColumn):
    """Reports read and reports per second, from the task's ``reports`` field."""

    def render(self, task: Task) -> Text:
        reports = int(task.fields.get("reports", 0))
        elapsed = task.elapsed or 0.0
        rate = reports / elapsed if elapsed > 0 else 0.0
        return Text(f"{reports:,} reports · {rate:,.0f}/s", style="cyan")


def _print_reject(reject: Reject) -> None:
    err.print(f"[yellow]rejected[/] {escape(reject.message())}", highlight=False, soft_wrap=True)


def _ingest(store: Store, paths: list[Path], quiet: bool = False) -> IngestStats:
    files = list(iter_files(paths))
    total = sum(f.stat().st_size for f in files if f.exists())
    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        DownloadColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    ) as progress:
        task = progress.add_task("ingest", total=total or None, reports=0)

        def on_file(_: Path, size: int, stats: IngestStats) -> None:
            progress.update(task, advance=size, reports=stats.reports)

        return ingest_paths(store, files, on_reject=_print_reject, on_file=on_file)


def _ensure_gazetteer(quiet: bool = False) -> None:
    """Build the gazetteer index once, before workers start: otherwise each would build its own, silently."""
    if geoindex.index_path().exists():
        return
    with err.status("building the offline gazetteer index (first run only) ...", spinner="dots"):
        started = time.perf_counter()
        path = geoindex.ensure_built()
    if not quiet:
        size = path.stat().st_size / 1e6
        err.print(f"gazetteer index built in {time.perf_counter() - started:.0f} s ({size:.0f} MB at {path})")


EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Where processing runs: local (worker processes of this machine) or dask (a Dask cluster).",
        envvar="EVENTWATCH_ENGINE",
    ),
]
ClusterOption = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        help="Dask scheduler address (tcp://host:8786) for --engine dask; without it a local cluster of --workers.",
        envvar="EVENTWATCH_CLUSTER",
    ),
]


def _engine(name: str, address: str | None, workers: int | None) -> Engine:
    try:
        return Engine(name, address, workers)
    except EngineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _fuse_summary(stats: FuseStats, what: str = "events") -> str:
    """What one fuse run did, in numbers that add up: joined + into new incidents + unclustered = considered."""
    merged = f", merging {stats.merged:,} stored incidents" if stats.merged else ""
    rebuilt = f"; {stats.rebuilt:,} incidents re-linked after re-extraction" if stats.rebuilt else ""
    return (
        f"fused {stats.events:,} {what}: {stats.joined:,} joined stored incidents{merged}, {stats.opened_events:,} "
        f"opened {stats.opened:,} new incidents, {stats.unclustered:,} background mentions left unclustered"
        f"{rebuilt}; incidents now: {stats.incidents:,} ({stats.seconds:.1f} s)"
    )


def _process(
    store: Store,
    reprocess: bool,
    workers: int | None,
    quiet: bool = False,
    engine: Engine | None = None,
    location: str | Path | None = None,
) -> None:
    _ensure_gazetteer(quiet)
    pending = store.count_reports()
    with Progress(
        TextColumn("[bold]extract"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} reports"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    ) as progress:
        task = progress.add_task("extract", total=pending)
        if engine is not None and engine.distributed and location is not None:
            from eventwatch.scale.cluster import process_distributed

            try:
                stats = process_distributed(
                    str(location), engine, reprocess=reprocess, on_progress=lambda n: progress.advance(task, n)
                )
            except EngineError as exc:
                err.print(f"[red]error:[/] {escape(str(exc))}")
                raise typer.Exit(2) from exc
        else:
            stats = process_reports(
                store, reprocess=reprocess, workers=workers, on_progress=lambda n: progress.advance(task, n)
            )
    if not quiet:
        rate = f", {stats.reports / stats.seconds:,.1f} reports/s" if stats.seconds else ""
        console.print(f"processed {stats.reports:,} reports → {stats.events:,} events ({stats.seconds:.1f} s{rate})")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (walked recursively).")],
    db: DbOption = DEFAULT_DB,
    process: Annotated[
        bool, typer.Option(help="Extract events from the new reports and fuse them into incidents.")
    ] = True,
    workers: Annotated[int | None, typer.Option(help="Worker processes for extraction.")] = None,
    engine: EngineOption = "local",
    cluster: ClusterOption = None,
) -> None:
    """Read reports (text/Markdown, JSON Lines, HTML, RSS/Atom, Telegram export, X archive) into the store.

    With --engine dask the files are read here and the new reports are processed on the cluster's workers.
    """
    chosen = _engine(engine, cluster, workers)
    store = _open(db)
    try:
        stats = _ingest(store, paths)
        console.print(
            f"read {stats.reports + stats.rejected:,} records from {stats.files:,} files: {stats.inserted:,} new, "
            f"{stats.duplicates:,} already stored, {stats.rejected:,} rejected "
            f"({stats.reports_per_s:,.0f} reports/s, {stats.mb_per_s:.1f} MB/s)"
        )
        if process and stats.inserted:
            _process(store, reprocess=False, workers=workers, engine=chosen, location=db)
            fused = fuse_events(store)  # incremental: only the new events are matched against stored incidents
            console.print(_fuse_summary(fused, "new events"))
    finally:
        store.close()
    if stats.reports == 0:
        err.print("[red]error:[/] nothing could be read" + (f" ({stats.rejected} rejected)" if stats.rejected else ""))
        raise typer.Exit(1)


@app.command()
def process(
    db: DbOption = DEFAULT_DB,
    all_reports: Annotated[bool, typer.Option("--all", help="Re-process every report, not only new ones.")] = False,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    engine: EngineOption = "local",
    cluster: ClusterOption = None,
) -> None:
    """Run extraction and resolution over stored reports (on this machine or a Dask cluster)."""
    chosen = _engine(engine, cluster, workers)
    store = _open(db)
    try:
        _process(store, reprocess=all_reports, workers=workers, engine=chosen, location=db)
    finally:
        store.close()


@app.command()
def fuse(
    db: DbOption = DEFAULT_DB,
    all_events: Annotated[bool, typer.Option("--all", help="Re-cluster every event, not only new ones.")] = False,
    engine: EngineOption = "local",
    cluster: ClusterOption = None,
    workers: Annotated[int | None, typer.Option(help="Workers of a local Dask cluster.")] = None,
) -> None:
    """Cluster events from different reports into incidents (sources, corroboration, tolls, contradictions).

    --all --engine dask re-clusters in parallel, one task per unit of space-time blocks (same result).
    """
    chosen = _engine(engine, cluster, workers)
    store = _open(db)
    try:
        if all_events and chosen.distributed:
            from eventwatch.scale.cluster import fuse_distributed

            try:
                stats = fuse_distributed(store, db, chosen)
            except EngineError as exc:
                err.print(f"[red]error:[/] {escape(str(exc))}")
                raise typer.Exit(2) from exc
        else:
            stats = fuse_events(store, full=all_events)
    finally:
        store.close()
    console.print(_fuse_summary(stats))


@app.command()
def reports(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="Rows to show (0 = all).")] = 50,
) -> None:
    """List stored reports."""
    store = _open(db)
    table = Table("id", "published", "source", "lang", "format", "title / text", title="reports")
    try:
        for n, report in enumerate(store.iter_reports()):
            if limit and n >= limit:
                break
            head = report.title or report.text.replace("\n", " ")
            table.add_row(
                report.id[:12],
                report.published_at.strftime("%Y-%m-%d %H:%M") if report.published_at else "?",
                escape(report.source or "?"),
                report.language or "?",
                report.source_format,
                escape(head[:80]),
            )
        console.print(table)
        console.print(f"{store.count_reports():,} reports stored")
    finally:
        store.close()


def _count_range(low: int | None, best: int | None, high: int | None) -> str:
    if best is None and low is None and high is None:
        return ""
    if low is not None and high is None:
        return f"≥ {low:,}" if best in (None, low) else f"{best:,} (≥ {low:,})"
    if low is not None and high is not None and low != high:
        return f"{low:,}–{high:,}"
    if low is None and best is None and high is not None:
        return f"≤ {high:,}"
    value = best if best is not None else low if low is not None else high
    return f"{value:,}" if value is not None else ""


def _as_written(event: Event, field: str, text_of: Callable[[str], str | None] | None) -> str:
    """The report's own words for a field (its first span), quoted: "more than 1,500" stays as written."""
    spans = event.spans.get(field) or []
    text = text_of(event.report_id) if text_of and spans else None
    if not text:
        return ""
    quote = " ".join(spans[0].of(text).split())
    return f' "{quote[:60]}"' if quote else ""


def events_table(
    events: Iterable[Event],
    title: str = "events",
    text_of: Callable[[str], str | None] | None = None,
    published: Callable[[str], str | None] | None = None,
) -> Table:
    """Events as a table; with ``text_of`` the counts are quoted as the report wrote them, with ``published`` an
    undated event shows its report's date (marked as such, never as the event's)."""
    table = Table(title=title, show_lines=True)
    for column in ("date", "event type", "where", "actors", "killed", "detained", "source (certainty)"):
        table.add_column(column, overflow="fold")
    for e in events:
        when = e.event_date.isoformat() if e.event_date else "undated"
        if e.event_date_end and e.event_date_end != e.event_date:
            when += f"/{e.event_date_end.isoformat()}"
        when += f" (p{e.time_precision})" if e.time_precision else ""
        reported = published(e.report_id) if published and e.event_date is None else None
        if reported:
            when += f" (report of {reported})"
        where = ", ".join(x for x in (e.location, e.admin1, e.country) if x) or "?"
        if e.geo_precision:
            where += f" (p{e.geo_precision})"
        actors = " vs ".join(escape(a) for a in (e.actor1, e.actor2) if a) or "?"
        killed = _count_range(e.fatalities_low, e.fatalities_best, e.fatalities_high)
        if not killed and e.fatalities_reported_unknown:
            killed = "reported, number unknown"
        if killed and e.fatalities_cumulative:
            killed += " (cumulative)"
        if killed:
            killed += _as_written(e, "fatalities", text_of) or _as_written(e, "fatalities_low", text_of)
        source = e.attributed_to or e.source or "report"
        kind = f"{e.event_type} / {e.sub_event_type}" + (" [background]" if e.background else "")
        table.add_row(
            when,
            escape(kind),
            escape(where),
            actors,
            escape(killed),
            _count_range(e.detained_low, e.detained_best, e.detained_high),
            escape(f"{source} ({e.hedge})"),
        )
    return table


def incidents_table(incidents: Iterable[Incident], title: str = "incidents") -> Table:
    table = Table(title=title, show_lines=True)
    for column in ("date", "event type", "where", "actors", "killed", "sources (independent)", "flags"):
        table.add_column(column, overflow="fold")
    for i in incidents:
        when = i.event_date.isoformat() if i.event_date else "?"
        if i.event_date_end and i.event_date_end != i.event_date:
            when += f"/{i.event_date_end.isoformat()}"
        where = ", ".join(x for x in (i.location, i.admin1, i.country) if x) or "?"
        killed = _count_range(i.fatalities_low, i.fatalities_best, i.fatalities_high)
        if not killed and i.fatalities_reported_unknown:
            killed = "reported, number unknown"
        if killed and i.fatalities_cumulative:
            killed += " (running total)"
        originals = sorted({s.original for s in i.sources})
        flags = [f"contradiction: {c.get('field', '?')}" for c in i.contradictions]
        if i.denied:
            flags.append("denied by a source")
        table.add_row(
            when,
            escape(f"{i.event_type} / {i.sub_event_type}"),
            escape(where),
            " vs ".join(escape(a) for a in (i.actor1, i.actor2) if a) or "?",
            killed,
            escape(f"{len(i.sources)} ({i.corroboration}): {', '.join(originals)}"),
            escape("; ".join(flags)),
        )
    return table


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="Rows to show (0 = all).")] = 100,
    background: Annotated[bool, typer.Option(help="Include background (past-context) events.")] = True,
) -> None:
    """Show extracted events as a table."""
    store = _open(db)
    try:
        rows = list(store.iter_events(include_background=background))
        text_of = _text_lookup(store)

        def published(report_id: str) -> str | None:
            report = store.get_report(report_id)
            return report.published_at.date().isoformat() if report and report.published_at else None

        console.print(events_table(rows[:limit] if limit else rows, text_of=text_of, published=published))
        shown = f" ({min(limit, len(rows)):,} shown; --limit 0 for all)" if limit and len(rows) > limit else ""
        console.print(f"{len(rows):,} events{shown}")
    finally:
        store.close()


@app.command()
def incidents(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="Rows to show (0 = all).")] = 100,
) -> None:
    """Show fused incidents as a table: dates, place, parties, killed (low–high, running totals), sources."""
    store = _open(db)
    try:
        rows = list(store.iter_incidents())
        console.print(incidents_table(rows[:limit] if limit else rows))
        contradicted = sum(i.contradicted for i in rows)
        shown = f" ({min(limit, len(rows)):,} shown; --limit 0 for all)" if limit and len(rows) > limit else ""
        console.print(f"{len(rows):,} incidents, {contradicted:,} with contradictions{shown}")
        if not rows and store.count_events():
            console.print("no incidents yet: run `eventwatch fuse` to cluster the stored events")
    finally:
        store.close()


@app.command()
def rejects(db: DbOption = DEFAULT_DB) -> None:
    """List inputs that could not be read, with the reason (their bytes are kept in the store)."""
    store = _open(db)
    table = Table("file", "record", "reason", "bytes", title="rejects")
    try:
        for r in store.iter_rejects():
            table.add_row(escape(r.origin), escape(r.locator or ""), escape(r.reason), f"{r.size:,}")
        console.print(table)
    finally:
        store.close()


@app.command("export")
def export_(
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(ALL_FORMATS)}.")],
    out: Annotated[Path, typer.Option("--out", help="Output file.")],
    db: DbOption = DEFAULT_DB,
    background: Annotated[bool, typer.Option(help="Include background (past-context) events.")] = True,
) -> None:
    """Export events: ACLED-compatible CSV (ACLED's columns and order), GeoJSON or JSON Lines."""
    if fmt in INCIDENT_FORMATS:
        store = _open(db)
        try:
            n = _export_incidents(store, fmt, out)
        finally:
            store.close()
        console.print(f"wrote {n:,} incidents to {out}")
        return
    if fmt not in FORMATS:
        err.print(f"[red]error:[/] unknown format {escape(fmt)!r}; choose one of {', '.join(ALL_FORMATS)}")
        raise typer.Exit(2)
    store = _open(db)
    try:
        n = _export(store, fmt, out, background)
    finally:
        store.close()
    console.print(f"wrote {n:,} events to {out}")


def _text_lookup(store: Store) -> Callable[[str], str | None]:
    """Report text by id, cached: exports quote the evidence of every span."""
    texts: dict[str, str | None] = {}

    def text_of(report_id: str) -> str | None:
        if report_id not in texts:
            report = store.get_report(report_id)
            texts[report_id] = report.text if report else None
        return texts[report_id]

    return text_of


def _export_incidents(store: Store, fmt: str, out: Path) -> int:
    """Incidents (run `eventwatch fuse` first) as ACLED rows per incident-day, or JSON with every source."""
    text_of = _text_lookup(store)
    incidents = list(store.iter_incidents())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as stream:
        if fmt == "acled-incidents-csv":
            undated = sum(i.event_date is None for i in incidents)
            unplaced = sum(i.latitude is None or i.longitude is None for i in incidents)
            for n_bad, what in ((undated, "no event_date"), (unplaced, "no latitude/longitude")):
                if n_bad:
                    err.print(f"[yellow]warning:[/] {n_bad:,} of {len(incidents):,} incidents have {what}")
            events = {e.id: e for e in store.get_events([s.event_id for i in incidents for s in i.sources])}
            n = write_incidents_csv(incidents, stream, events)[0]
        else:
            n = write_incidents_json(incidents, stream, text_of)
    tmp.replace(out)  # never leave a half-written export where the last good one was
    return n


def _export(store: Store, fmt: str, out: Path, background: bool = True) -> int:
    text_of = _text_lookup(store)
    events = list(store.iter_events(include_background=background))
    if fmt == "acled-csv":
        _warn_incomplete(events)
    return write_events(events, fmt, out, text_of)


def _warn_incomplete(events: list[Event]) -> None:
    """ACLED rows need a date and coordinates; say how many rows lack them rather than let them pass silently."""
    undated = sum(e.event_date is None for e in events)
    unplaced = sum(e.latitude is None or e.longitude is None for e in events)
    if undated:
        err.print(f"[yellow]warning:[/] {undated:,} of {len(events):,} rows have no event_date (no date in the text)")
    if unplaced:
        err.print(f"[yellow]warning:[/] {unplaced:,} of {len(events):,} rows have no latitude/longitude")


@app.command()
def demo(
    db: Annotated[Path, typer.Option("--db", help="Demo database (recreated).")] = Path("out/demo.db"),
    out: Annotated[Path, typer.Option("--out", help="Folder for events.csv and events.geojson.")] = Path("out"),
    samples: Annotated[Path, typer.Option("--samples", help="Sample reports to ingest.")] = Path("samples"),
    serve_after: Annotated[
        bool, typer.Option("--serve", help="Then serve the dashboard on the demo database (Ctrl-C to stop).")
    ] = False,
) -> None:
    """Ingest the bundled sample reports into a fresh database, extract events, print and export them."""
    if not samples.is_dir():
        err.print(f"[red]error:[/] sample folder {samples} not found (run from the repository root or pass --samples)")
        raise typer.Exit(2)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = _open(db)
    try:
        stats = _ingest(store, [samples])
        console.print(
            f"ingested {stats.inserted:,} reports from {stats.files:,} files in {samples}/ "
            f"({stats.rejected:,} rejected)"
        )
        _process(store, reprocess=False, workers=1)
        rows = list(store.iter_events())
        console.print(events_table(rows, title="events extracted from the sample reports"))
        fused = fuse_events(store, full=True)
        incidents = list(store.iter_incidents())
        console.print(incidents_table(incidents, title="incidents fused across reports"))
        console.print(f"{fused.events:,} events → {len(incidents):,} incidents")
        csv_path, geojson_path = out / "events.csv", out / "events.geojson"
        _export(store, "acled-csv", csv_path)
        _export(store, "geojson", geojson_path)
        _export_incidents(store, "acled-incidents-csv", out / "incidents.csv")
        _export_incidents(store, "incidents-json", out / "incidents.json")
    finally:
        store.close()
    console.print(f"wrote {len(rows)} events to {csv_path} (ACLED columns) and {geojson_path}")
    console.print(f"wrote {len(incidents)} incidents to {out / 'incidents.csv'} and {out / 'incidents.json'}")
    console.print(f"database: {db} — browse it with `eventwatch events --db {db}` (or Datasette)")
    if serve_after:
        serve(db=str(db))
    else:
        console.print(f"dashboard: run `eventwatch serve --db {db}` and open http://127.0.0.1:8000", highlight=False)


@app.command()
def migrate(
    source: Annotated[str, typer.Option("--from", help="The store to copy: SQLite file or PostgreSQL URL.")],
    target: Annotated[str, typer.Option("--to", help="The store to copy into (created and migrated if new).")],
) -> None:
    """Copy a whole store to another (e.g. SQLite → PostgreSQL) and verify it: row counts and content hashes.

    Re-runnable: rows the target already holds are skipped, so an interrupted copy carries on where it stopped.
    """
    from eventwatch.store.migrate import migrate as copy_store

    with Progress(
        TextColumn("[bold]migrate {task.fields[table]}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        tasks: dict[str, Any] = {}

        def on_progress(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = progress.add_task(table, total=total, table=table)
            progress.update(tasks[table], completed=done)

        try:
            result = copy_store(source, target, on_progress=on_progress)
        except StoreError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    table = Table("table", "source rows", "copied now", "target rows", "verified", title="migrate")
    for t in result.tables:
        verdict = "[green]✓ counts, SHA-256[/]" if t.verified else f"[red]✗ {escape('; '.join(t.problems))}[/]"
        table.add_row(t.table, f"{t.source_rows:,}", f"{t.copied:,}", f"{t.target_rows:,}", verdict)
    console.print(table)
    console.print(
        f"copied {redact(source)} → {redact(target)} in {result.seconds:.1f} s: "
        f"{result.rows('reports'):,} reports, {result.rows('events'):,} events, {result.rows('incidents'):,} incidents",
        highlight=False,
    )
    if not result.verified:
        err.print("[red]error:[/] the copy does not match its source (see the table)")
        raise typer.Exit(1)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            help="Bearer token that allows writes (prefer the env var: argv is visible to other users).",
            envvar="EVENTWATCH_TOKEN",
            show_envvar=True,
        ),
    ] = None,
    read_token: Annotated[
        str | None,
        typer.Option(
            help="Bearer token required for reads too (reads are open without it).",
            envvar="EVENTWATCH_READ_TOKEN",
            show_envvar=True,
        ),
    ] = None,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs) and the dashboard (map, timeline, event pages)."""
    from eventwatch.serve import Settings, run  # imported on use: the other commands never need the web stack

    try:
        settings = Settings.from_env(db, host=host, port=port, token=token, read_token=read_token)
        console.print(
            f"serving {redact(db)} at http://{host}:{port} — "
            f"writes {'need the token' if settings.token else 'disabled'}, "
            f"reads {'need a token' if settings.read_token else 'open'}; Ctrl-C to stop",
            highlight=False,
        )
        run(settings)
    except StoreError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit} ago"
    return f"{seconds:.0f} s ago"


def _print_watch_status(status: dict[str, Any]) -> None:
    watcher = status["watcher"]
    if watcher is None:
        console.print("no watcher has run on this database yet")
    else:
        state = "[green]running[/]" if watcher["running"] else "[yellow]not running[/]"
        ready = "" if watcher.get("ready") or not watcher["running"] else " (starting: loading models)"
        console.print(
            f"watcher {state}{ready}: pid {watcher['pid']} on {escape(watcher['host'])}, started "
            f"{escape(watcher['started_at'][:19])}, last heartbeat {_ago(watcher['heartbeat_age_s'])}"
            + (f", API {escape(watcher['api'])}" if watcher.get("api") else ""),
            highlight=False,
        )
    table = Table(
        "source", "kind", "last success", "last error", "items seen", "new", "rejected", "lag", title="sources"
    )
    for s in status["sources"]:
        error = ""
        if s["last_error"]:
            since = f"{s['consecutive_failures']} in a row: " if s["consecutive_failures"] else "(recovered) "
            error = f"{since}{s['last_error']} ({escape((s['last_error_at'] or '')[:19])})"
        table.add_row(
            escape(s["target"]),
            s["kind"],
            _ago(s["since_success_s"]),
            Text(error, style="red" if s["consecutive_failures"] else "dim"),
            f"{s['items_seen']:,}",
            f"{s['reports_new']:,}",
            f"{s['rejects']:,}",
            f"{s['lag_s']:.1f} s" if s["lag_s"] is not None else "",
        )
    console.print(table)
    backlog = status["backlog"]
    console.print(
        f"{status['reports']:,} reports, {status['incidents']:,} incidents; backlog: "
        f"{backlog['reports_unprocessed']:,} reports to extract, {backlog['events_unfused']:,} events unfused, "
        f"{backlog['alerts_pending']:,} alert deliveries pending",
        highlight=False,
    )
    if status["outbox"]:
        outbox = Table("destination", "delivered", "pending", "oldest pending", "last error", title="alert outbox")
        for o in status["outbox"]:
            outbox.add_row(
                escape(o["destination"]),
                f"{o['delivered']:,}",
                f"{o['pending']:,}",
                escape((o["oldest_pending_at"] or "")[:19]),
                escape(o["last_error"] or ""),
            )
        console.print(outbox)


@app.command()
def watch(
    config_path: Annotated[Path, typer.Argument(metavar="CONFIG.yaml", help="Sources to follow and alert rules.")],
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLite file or PostgreSQL URL (default: the config's db, else ./eventwatch.db).",
            envvar="EVENTWATCH_DB",
        ),
    ] = None,
    status: Annotated[
        bool, typer.Option("--status", help="Show each source's health and the backlog, then exit.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --status: print JSON.")] = False,
    log_json: Annotated[
        bool, typer.Option("--log-json", help="Log one JSON object per line (for log shippers).")
    ] = False,
    log_level: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING or ERROR.")] = "INFO",
    alert_existing: Annotated[
        bool,
        typer.Option(help="On the first run over a database, alert on the incidents it already holds too."),
    ] = False,
) -> None:
    """Follow RSS/Atom feeds, folders and the API's POST endpoint; extract, fuse and alert as reports arrive."""
    from eventwatch.watch import logs
    from eventwatch.watch.alerts import RuleError
    from eventwatch.watch.config import ConfigError, load_config

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    path = db or config.db or DEFAULT_DB
    if status:
        from eventwatch.watch.status import collect

        store = _open(path)
        try:
            data = collect(store)
        finally:
            store.close()
        if as_json:
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            _print_watch_status(data)
        return
    from eventwatch.watch.watcher import Watcher

    logs.configure(json_lines=log_json, level=log_level)
    _ensure_gazetteer()
    try:
        _open(path).close()  # create and migrate before any thread opens it
        watcher = Watcher(config, path, config_path=config_path, alert_existing=alert_existing)
        watcher.run()
    except (RuleError, StoreError, RuntimeError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


if __name__ == "__main__":  # pragma: no cover
    app()
