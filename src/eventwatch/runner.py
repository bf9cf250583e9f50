"""Jobs that tie the stages to a store: ingest files, then run the per-report pipeline over what is new.

I/O and batching live here (and in the CLI), so the stages themselves stay pure functions.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from eventwatch.ingest import IngestOptions, read_path
from eventwatch.model import Reject, Report, ReportAnalysis
from eventwatch.pipeline import process_report
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
    """Files under the given paths, recursively, in a stable order; hidden files and folders are skipped."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path  # a missing path is reported by the reader as a reject


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
        with ProcessPoolExecutor(max_workers=workers) as pool:
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
