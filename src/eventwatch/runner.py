"""Jobs that tie the stages to a store: ingest files, then run the per-report pipeline over what is new.

I/O and batching live here (and in the CLI), so the stages themselves stay pure functions.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from eventwatch.fuse import Clusterer, assign, blocking_bbox, blocking_window, build_incident, order_key, report_date
from eventwatch.fuse.clustering import as_cached
from eventwatch.fuse.text import CachedEmbedder, Embedder
from eventwatch.ingest import IngestOptions, read_path
from eventwatch.ingest import iter_files as ingest_files
from eventwatch.model import Event, Reject, Report, ReportAnalysis
from eventwatch.pipeline import process_report, warm_up
from eventwatch.store import Store


@dataclass(slots=True)
class IngestStats:
    files: int = 0
    bytes: int = 0
    reports: int = 0  # records read successfully (new + duplicates)
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    seconds: float = 0.0
    reject_messages: list[str] = field(default_factory=list)

    @property
    def reports_per_s(self) -> float:
        return self.reports / self.seconds if self.seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file the readers would take under ``paths`` (folders walked recursively, in a stable order)."""
    for path in paths:
        yield from ingest_files(path)


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    batch_size: int = 500,
    options: IngestOptions | None = None,
    on_reject: Callable[[Reject], None] | None = None,
    on_file: Callable[[Path, int, IngestStats], None] | None = None,
) -> IngestStats:
    """Read every file under ``paths`` into the store, in transactions of ``batch_size`` reports.

    A crash loses at most the open batch; re-running stores each report exactly once (ids are content hashes).
    Rejects are stored with their reason and bytes and also handed to ``on_reject`` as they occur.
    """
    stats = IngestStats()
    started = time.perf_counter()
    batch: list[Report] = []
    rejects: list[Reject] = []

    def flush() -> None:
        if batch:
            result = store.add_reports(batch)
            stats.inserted += result.inserted
            stats.duplicates += result.duplicates
            batch.clear()
        if rejects:
            store.add_rejects(rejects)
            rejects.clear()

    for file in iter_files(paths):
        size = file.stat().st_size if file.exists() else 0
        for item in read_path(file, options):
            if isinstance(item, Reject):
                stats.rejected += 1
                stats.reject_messages.append(item.message())
                rejects.append(item)
                if on_reject:
                    on_reject(item)
            else:
                stats.reports += 1
                batch.append(item)
            if len(batch) >= batch_size:
                flush()
        stats.files += 1
        stats.bytes += size
        stats.seconds = time.perf_counter() - started
        if on_file:
            on_file(file, size, stats)
    flush()
    stats.seconds = time.perf_counter() - started
    return stats


@dataclass(slots=True)
class ProcessStats:
    reports: int = 0
    events: int = 0
    seconds: float = 0.0


def _chunks(reports: Iterable[Report], size: int) -> Iterator[list[Report]]:
    chunk: list[Report] = []
    for report in reports:
        chunk.append(report)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _process_chunk(reports: list[Report]) -> list[ReportAnalysis]:
    return [process_report(r) for r in reports]


def process_reports(
    store: Store,
    *,
    reprocess: bool = False,
    workers: int | None = None,
    chunk_size: int = 200,
    on_progress: Callable[[int], None] | None = None,
) -> ProcessStats:
    """Run extraction + resolution over new reports (or all with ``reprocess``), saving analyses per chunk.

    Extraction is pure per report, so chunks go to worker processes when there is enough work to pay for them.
    """
    stats = ProcessStats()
    started = time.perf_counter()
    pending = store.iter_reports(unprocessed_only=not reprocess)
    workers = workers if workers is not None else min(4, os.cpu_count() or 1)

    def save(analyses: list[ReportAnalysis]) -> None:
        store.save_analyses(analyses)
        stats.reports += len(analyses)
        stats.events += sum(len(a.events) for a in analyses)
        if on_progress:
            on_progress(len(analyses))

    chunks = _chunks(pending, chunk_size)
    first = next(chunks, None)
    if first is None:
        return stats
    if workers <= 1 or len(first) < chunk_size:
        save(_process_chunk(first))
        for chunk in chunks:
            save(_process_chunk(chunk))
    else:
        # Each worker loads the models once, as it starts, not inside its first chunk: a chunk's time is then
        # only its reports', and a worker that cannot load fails before it is handed any work.
        with ProcessPoolExecutor(max_workers=workers, initializer=warm_up) as pool:
            # Bounded in flight: reading ahead of the workers would hold the whole corpus in memory.
            in_flight = [pool.submit(_process_chunk, first)]
            for chunk in chunks:
                in_flight.append(pool.submit(_process_chunk, chunk))
                if len(in_flight) >= workers * 2:
                    save(in_flight.pop(0).result())
            for future in in_flight:
                save(future.result())
    stats.seconds = time.perf_counter() - started
    return stats


@dataclass(slots=True)
class FuseStats:
    events: int = 0  # events considered
    joined: int = 0  # joined an existing incident
    opened: int = 0  # opened a new incident
    unclustered: int = 0  # background mentions with nothing to join
    rebuilt: int = 0  # incidents rebuilt because a member event was re-extracted
    incidents: int = 0  # incidents stored afterwards
    seconds: float = 0.0


def _reports_of(store: Store, events: Iterable[Event], cache: dict[str, Report]) -> dict[str, Report]:
    for event in events:
        if event.report_id not in cache:
            report = store.get_report(event.report_id)
            if report is not None:
                cache[event.report_id] = report
    return cache


def fuse_events(store: Store, *, full: bool = False, on_progress: Callable[[int], None] | None = None) -> FuseStats:
    """Cluster events into incidents: only events not in an incident yet (incremental), or all (``full``).

    Incremental: each new event is matched against the incidents an indexed date/box query returns, joins the best
    or opens a new one, and that incident is rebuilt from its members and saved, so nothing else is reprocessed.
    """
    stats = FuseStats()
    started = time.perf_counter()
    reports: dict[str, Report] = {}
    if full:
        events = list(store.iter_events())
        _reports_of(store, events, reports)
        clusterer = Clusterer()
        for event in sorted(events, key=lambda e: order_key(e, reports)):
            result = clusterer.add(event, report_date(event, reports))
            stats.events += 1
            stats.opened += result.new
            stats.joined += result.incident_id is not None and not result.new
            stats.unclustered += result.incident_id is None
            if on_progress:
                on_progress(1)
        store.replace_incidents(clusterer.incidents(reports))
    else:
        stale = store.stale_incidents()
        for incident_id in stale:
            incident = store.get_incident(incident_id)
            members = store.get_events(incident.event_ids) if incident else []
            if not members:
                store.delete_incidents([incident_id])
                continue
            store.save_incidents([build_incident(incident_id, members, _reports_of(store, members, reports))])
        stats.rebuilt = len(stale)
        _assign(store, list(store.iter_unfused_events()), reports, stats, as_cached(None), on_progress)
    stats.incidents = store.count_incidents()
    stats.seconds = time.perf_counter() - started
    return stats


def fuse_new_events(
    store: Store, events: Sequence[Event], *, embedder: Embedder | CachedEmbedder | None = None
) -> FuseStats:
    """Incremental fusion of just these events, which the caller knows are new and in no incident yet (the watcher's
    freshly extracted reports): the same decisions as :func:`fuse_events`, without its scans of the whole store for
    stale incidents and other unfused events. ``embedder`` may be kept by the caller across calls (its cache)."""
    stats = FuseStats()
    started = time.perf_counter()
    _assign(store, list(events), {}, stats, as_cached(embedder), None)
    stats.incidents = store.count_incidents()
    stats.seconds = time.perf_counter() - started
    return stats


def _assign(
    store: Store,
    pending: list[Event],
    reports: dict[str, Report],
    stats: FuseStats,
    embedder: CachedEmbedder,
    on_progress: Callable[[int], None] | None,
) -> None:
    """Match each event against the blocked candidates, join the best or open an incident, save it rebuilt."""
    _reports_of(store, pending, reports)
    for event in sorted(pending, key=lambda e: order_key(e, reports)):
        stats.events += 1
        day = report_date(event, reports)
        window = blocking_window(event, day)
        candidates = store.candidate_incidents(*window, blocking_bbox(event)) if window else []
        result = assign(event, candidates, embedder=embedder, report_day=day)
        if on_progress:
            on_progress(1)
        if result.incident_id is None:
            stats.unclustered += 1
            continue
        members = [event]
        if not result.new:
            current = next(c for c in candidates if c.id == result.incident_id)
            members = [*store.get_events(current.event_ids), event]
        incident = build_incident(result.incident_id, members, _reports_of(store, members, reports))
        store.save_incidents([incident])
        stats.opened += result.new
        stats.joined += not result.new
