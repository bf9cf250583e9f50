"""Scale-out benchmark: PostgreSQL beside SQLite, and Dask's local cluster with 1 and 2 workers.

* ingest: the same 100,000 generated reports (every input format) into a fresh SQLite file and a fresh PostgreSQL
  database (a throw-away local server, crash-safe settings: fsync on, synchronous_commit off, like SQLite's WAL
  with synchronous=NORMAL);
* process: extraction + resolution of the same stored reports on the local cluster with 1 and with 2 workers,
  results written to PostgreSQL by the workers (target ≥ 1.7× on 2 cores);
* per-stage cost per report (ms): reading/parsing, store writes of reports and of analyses, extraction, fusion;
* migrate: the 100,000-report SQLite database copied into PostgreSQL, with the verified counts;
* fusion equivalence: the fusion benchmark's corpus fused on one machine and partitioned into space-time blocks.

``python benchmarks/scale_bench.py [--reports N] [--process N]``; prints the load average too, because the
numbers mean little on a machine busy with other work.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

from eventwatch.fuse import cluster
from eventwatch.fuse.text import CachedEmbedder, TrigramEmbedder, default_embedder
from eventwatch.ingest import read_path
from eventwatch.model import Report
from eventwatch.pipeline import process_report, warm_up
from eventwatch.resolve import geoindex
from eventwatch.runner import fuse_events, ingest_paths, iter_files
from eventwatch.scale.blocks import plan_units
from eventwatch.scale.engine import Engine
from eventwatch.store import open_store
from eventwatch.store.migrate import migrate
from eventwatch.store.pgserver import BENCH_SETTINGS, LocalPostgres, PostgresUnavailable

N_REPORTS = 100_000
N_PROCESS = 400  # reports processed per worker count (extraction is ~100× slower than ingest)
N_FUSE_BASES = 600  # fusion benchmark base incidents (≈ 2,400 events)


def _split_jsonl(path: Path, lines_per_file: int) -> None:
    with path.open(encoding="utf-8") as source:
        lines = source.readlines()
    for n, i in enumerate(range(0, len(lines), lines_per_file)):
        (path.parent / f"wire-{n:03d}.jsonl").write_text("".join(lines[i : i + lines_per_file]), encoding="utf-8")
    path.unlink()


def _ingest(location: str, folder: Path) -> tuple[float, int]:
    with open_store(location) as store:
        stats = ingest_paths(store, [folder])
        return stats.seconds, stats.inserted


def _parse_seconds(folder: Path) -> tuple[float, int]:
    started = time.perf_counter()
    n = sum(1 for file in iter_files([folder]) for item in read_path(file) if isinstance(item, Report))
    return time.perf_counter() - started, n


def _subset(source: str, target: str, n: int) -> list[Report]:
    with open_store(source) as src:
        reports = [r for _, r in zip(range(n), src.iter_reports(), strict=False)]
    for report in reports:
        report.raw = report.raw or b""
    with open_store(target) as dst:
        dst.add_reports(reports)
    return reports


def _process(location: str, workers: int) -> tuple[float, int, int]:
    from eventwatch.scale.cluster import dask_client, process_distributed

    engine = Engine("dask", workers=workers)
    with dask_client(engine, location) as client:  # workers warm before the clock starts
        stats = process_distributed(location, engine, client=client)
    return stats.seconds, stats.reports, stats.events


def _makespan(seconds: list[float], workers: int) -> float:
    """Wall time of tasks of these durations on ``workers`` workers, each next-largest to the least loaded."""
    loads = [0.0] * workers
    for s in sorted(seconds, reverse=True):
        loads[loads.index(min(loads))] += s
    return max(loads)


def _fusion(console: Console) -> list[tuple[str, str]]:
    import fuse_bench

    rng = random.Random(fuse_bench.SEED)
    reports: list[Report] = []
    events = []
    for base in fuse_bench._synthetic_bases(N_FUSE_BASES, rng):
        for r, e in fuse_bench._paraphrase(base, rng):
            reports.append(r)
            events.append(e)
    by_id = {r.id: r for r in reports}
    embedder = CachedEmbedder(TrigramEmbedder())
    t0 = time.perf_counter()
    single = {i.id: i for i in cluster(events, by_id, embedder=embedder)}
    single_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    units = plan_units(events, by_id)
    plan_s = time.perf_counter() - t0
    unit_seconds = []
    parallel = {}
    for unit in units:
        t1 = time.perf_counter()
        parallel.update({i.id: i for i in cluster(unit.events, by_id, embedder=embedder)})
        unit_seconds.append(time.perf_counter() - t1)
    equal = parallel == single
    largest = max(len(u.events) for u in units)
    return [
        ("fusion corpus", f"{len(events):,} events, {len(single):,} incidents (fusion benchmark templates)"),
        (
            "space-time units",
            f"{len(units)} units of {sum(len(u.blocks) for u in units)} blocks; largest unit "
            f"{largest:,} events ({largest / len(events):.0%})",
        ),
        ("equal to single-machine fusion", "yes: every incident identical" if equal else "NO"),
        ("single-machine fusion", f"{single_s:.1f} s"),
        ("partition planning", f"{plan_s * 1000:.0f} ms"),
        (
            "bound on 2 workers",
            f"{sum(unit_seconds) / _makespan(unit_seconds, 2):.2f}× (units' total time / their makespan)",
        ),
    ]


def main(console: Console | None = None, n_reports: int = N_REPORTS, n_process: int = N_PROCESS) -> None:
    console = console or Console()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a killed run still stops its server (finally)
    try:
        server = LocalPostgres(settings=BENCH_SETTINGS).start()
    except PostgresUnavailable as exc:
        console.print(f"[yellow]scale_bench skipped: {exc}")
        return
    load_before = os.getloadavg()
    try:
        with tempfile.TemporaryDirectory(prefix="ew-scale-") as tmp:
            folder = Path(tmp) / "corpus"
            generate(folder, n_reports)
            _split_jsonl(folder / "wire.jsonl", 10_000)  # one 100 MB file would be over ingest's per-file limit
            lite = str(Path(tmp) / "bench.db")
            pg = server.create_database("ingest")
            parse_s, parsed = _parse_seconds(folder)
            lite_s, lite_n = _ingest(lite, folder)
            pg_s, pg_n = _ingest(pg, folder)
            again_s, again_n = _ingest(pg, folder)  # all duplicates: the idempotent path

            t0 = time.perf_counter()
            migrated = migrate(lite, server.create_database("migrated"))
            migrate_s = time.perf_counter() - t0

            geoindex.ensure_built()
            targets = [server.create_database(f"process{n}") for n in (1, 2)]
            sample = _subset(lite, targets[0], n_process)
            _subset(lite, targets[1], n_process)
            proc = {n: _process(location, n) for n, location in zip((1, 2), targets, strict=True)}

            warm_up()
            t0 = time.perf_counter()
            analyses = [process_report(r) for r in sample[:100]]
            extract_ms = (time.perf_counter() - t0) / len(analyses) * 1000
            with open_store(server.create_database("stages")) as store:
                store.add_reports(sample[:100])
                t0 = time.perf_counter()
                store.save_analyses(analyses)
                save_ms = (time.perf_counter() - t0) / len(analyses) * 1000
            default_embedder()(["warm up the sentence encoder"])
            with open_store(targets[1]) as store:
                fused = fuse_events(store)
                fuse_ms = fused.seconds / max(1, n_process) * 1000
            fusion_rows = _fusion(console)
    finally:
        server.stop()
    load_after = os.getloadavg()

    t = Table(title=f"scale-out: {n_reports:,} generated reports; PostgreSQL {server.bin_dir.parent.name} vs SQLite")
    for col in ("measure", "SQLite", "PostgreSQL", "ratio / note"):
        t.add_column(col, justify="left" if col in ("measure", "ratio / note") else "right")
    t.add_row(
        "ingest reports/s",
        f"{lite_n / lite_s:,.0f}",
        f"{pg_n / pg_s:,.0f}",
        f"{(pg_n / pg_s) / (lite_n / lite_s):.2f}× SQLite",
    )
    t.add_row("ingest again (all duplicates) reports/s", "", f"{n_reports / again_s:,.0f}", f"{again_n} new")
    t.add_row("reports stored", f"{lite_n:,}", f"{pg_n:,}", "same reports" if lite_n == pg_n == parsed else "DIFFER")
    console.print(t)

    p = Table(title=f"process on Dask's local cluster, {n_process:,} stored reports, results written to PostgreSQL")
    for col in ("workers", "seconds", "reports/s", "events", "speed-up"):
        p.add_column(col, justify="right")
    base = proc[1][1] / proc[1][0]
    for n, (seconds, reports, events) in proc.items():
        p.add_row(
            str(n), f"{seconds:.1f}", f"{reports / seconds:.2f}", f"{events:,}", f"{reports / seconds / base:.2f}×"
        )
    console.print(p)

    s = Table(title="cost per report by stage (ms, one core)")
    s.add_column("stage")
    s.add_column("ms / report", justify="right")
    s.add_column("where it runs")
    s.add_row("read + parse input files", f"{parse_s / parsed * 1000:.3f}", "ingest client")
    s.add_row("store report + raw bytes, SQLite", f"{max(0.0, lite_s - parse_s) / lite_n * 1000:.3f}", "ingest client")
    s.add_row(
        "store report + raw bytes, PostgreSQL",
        f"{max(0.0, pg_s - parse_s) / pg_n * 1000:.3f}",
        "ingest client + server",
    )
    s.add_row("extract + resolve", f"{extract_ms:.1f}", "workers (CPU)")
    s.add_row("save claims + events, PostgreSQL", f"{save_ms:.2f}", "workers + server")
    s.add_row("fuse incrementally (per report's events)", f"{fuse_ms:.1f}", "fusion job")
    console.print(s)

    m = Table(title=f"eventwatch migrate: the {n_reports:,}-report SQLite database → PostgreSQL")
    for col in ("table", "rows", "verified"):
        m.add_column(col, justify="right" if col == "rows" else "left")
    for table in migrated.tables:
        m.add_row(
            table.table, f"{table.target_rows:,}", "counts + SHA-256" if table.verified else "; ".join(table.problems)
        )
    m.add_row(
        "[bold]all",
        f"{sum(t.target_rows for t in migrated.tables):,}",
        f"{migrate_s:.1f} s, verified: {migrated.verified}",
    )
    console.print(m)

    f = Table(title="fusion partitioned by space-time blocks")
    f.add_column("measure")
    f.add_column("result")
    for row in fusion_rows:
        f.add_row(*row)
    console.print(f)
    console.print(f"load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=N_REPORTS)
    parser.add_argument("--process", type=int, default=N_PROCESS)
    args = parser.parse_args()
    main(n_reports=args.reports, n_process=args.process)
