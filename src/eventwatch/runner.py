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

from eventwatch.fuse import blocking_bbox, report_date
from eventwatch.fuse.clustering import as_cached, components, incident_for
from eventwatch.fuse.link import Linker, Node, blocking_range
from eventwatch.fuse.text import CachedEmbedder, Embedder
from eventwatch.ingest import IngestOptions, read_path
from eventwatch.ingest import iter_files as ingest_files
from eventwatch.model import Event, Incident, Reject, Report, ReportAnalysis
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
    events: int = 0  # events considered (new ones, and background mentions still unclustered)
    joined: int = 0  # of those, events that joined an incident already stored
    opened: int = 0  # incidents opened (by events that linked to no stored incident)
    opened_events: int = 0  # events in those new incidents (joined + opened_events + unclustered = events)
    merged: int = 0  # stored incidents merged into another because a new report links them
    unclustered: int = 0  # background mentions with nothing to join
    rebuilt: int = 0  # incidents re-linked because a member event was re-extracted
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

    Both paths compute the connected components of the pairwise link relation (:mod:`eventwatch.fuse.link`), so
    they agree: incrementally, each new event is linked to the other new events and to the members of the stored
    incidents an indexed date/box query returns; what it links to is merged with it and saved, the rest is left
    as it is. Incidents that lost members (a report was re-processed) are dissolved and their remaining members
    linked again like new ones.
    """
    stats = FuseStats()
    started = time.perf_counter()
    reports: dict[str, Report] = {}
    embedder = as_cached(None)
    if full:
        events = list(store.iter_events())
        _reports_of(store, events, reports)
        groups, unclustered, _ = components(events, reports, Linker(reports, embedder))
        incidents = [incident_for(g, reports) for g in groups]
        store.replace_incidents(incidents)
        stats.events, stats.opened, stats.unclustered = len(events), len(incidents), len(unclustered)
        stats.opened_events = len(events) - len(unclustered)
        if on_progress:
            on_progress(len(events))
    else:
        stale = store.stale_incidents()
        store.delete_incidents(stale)  # their members become unfused and are linked again below
        stats.rebuilt = len(stale)
        _link_new(store, list(store.iter_unfused_events()), reports, stats, embedder, on_progress)
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
    _link_new(store, list(events), {}, stats, as_cached(embedder), None)
    stats.incidents = store.count_incidents()
    stats.seconds = time.perf_counter() - started
    return stats


def _link_new(
    store: Store,
    pending: list[Event],
    reports: dict[str, Report],
    stats: FuseStats,
    embedder: CachedEmbedder,
    on_progress: Callable[[int], None] | None,
) -> None:
    """Link events in no incident yet to each other and to the members of the stored incidents an indexed date/box
    query returns; what they connect is merged with them and saved, the rest is left as it is."""
    _reports_of(store, pending, reports)
    stored: dict[str, list[Event]] = {}
    candidates_of: dict[str, list[str]] = {}
    for event in pending:
        window = blocking_range(Node(event, report_date(event, reports)))
        found = store.candidate_incidents(*window, blocking_bbox(event)) if window else []
        candidates_of[event.id] = [c.id for c in found]
        for c in found:
            if c.id not in stored:
                stored[c.id] = store.get_events(c.event_ids)
    for members in stored.values():
        _reports_of(store, members, reports)
    linker = Linker(reports, embedder)
    groups, unclustered, absorbed = components(pending, reports, linker, stored=stored, candidates_of=candidates_of)
    new_ids = {e.id for e in pending}
    changed: list[Incident] = []
    dropped: set[str] = set()
    for i, members in enumerate(groups):
        old = absorbed[str(i)]
        fresh = [e for e in members if e.id in new_ids]
        if not fresh:
            continue  # a stored incident nothing new links to: left as it is
        incident = incident_for(members, reports)
        changed.append(incident)
        dropped.update(o for o in old if o != incident.id)
        if old:
            stats.joined += len(fresh)
            stats.merged += len(old) - 1
        else:
            stats.opened += 1
            stats.opened_events += len(fresh)
    if dropped:
        store.delete_incidents(sorted(dropped))
    store.save_incidents(changed)
    stats.events, stats.unclustered = len(pending), len(unclustered)
    if on_progress:
        on_progress(len(pending))
