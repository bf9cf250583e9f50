"""Processing on a Dask cluster: extraction batches and fusion units as tasks, results written by the workers.

``eventwatch process --engine dask`` (and ``ingest``/``fuse``) either connect to a running cluster
(``--cluster tcp://scheduler:8786``; start one with ``dask scheduler`` and ``dask worker tcp://…`` on each machine)
or start a local one with ``--workers N`` processes. Why Dask rather than Ray or Spark: ``docs/engines.md``.

* Each worker loads the models once, when it joins (:class:`WarmUp`, a worker plugin running
  :func:`eventwatch.pipeline.warm_up`), and keeps one store connection.
* A task is a batch of report ids: the worker reads those reports from the store, runs the pipeline and saves the
  analyses in one transaction. Saving replaces a report's claims and events, so a task is idempotent: when a worker
  dies mid-batch its transaction rolls back and the scheduler gives the batch to another worker, which writes it
  once; nothing is lost and nothing duplicated. Only ids travel through the scheduler, never report texts.
* Fusion of a whole store is split into units of space-time blocks (:mod:`eventwatch.scale.blocks`); each task
  fuses one unit with :func:`eventwatch.fuse.cluster` and returns its incidents, which the client stores in one
  transaction, so readers see the old incidents or the new ones, never a mix.

Workers reach the store by its location: PostgreSQL for a real cluster; a SQLite file works with a local cluster
(its workers share the machine, and SQLite's lock takes their writes one at a time).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from distributed import WorkerPlugin

from eventwatch.fuse import cluster
from eventwatch.model import Incident
from eventwatch.pipeline import process_report, warm_up
from eventwatch.runner import FuseStats, ProcessStats
from eventwatch.scale.blocks import plan_units
from eventwatch.scale.engine import Engine, EngineError
from eventwatch.store import Store, is_postgres, open_store
from eventwatch.store.connection import connect

if TYPE_CHECKING:
    from distributed import Client

BATCH = 50  # reports per task: a few seconds of work, small enough to retry cheaply
RETRIES = 3  # a task that raised is retried this often; one whose worker died is rescheduled by Dask itself

_local = threading.local()


class WarmUp(WorkerPlugin):
    """Dask worker plugin: load the models once per worker process, before it takes any task."""

    name = "eventwatch-warm-up"

    async def setup(self, worker: Any) -> None:
        import asyncio

        # Off the worker's event loop, so it keeps answering the scheduler's heartbeats meanwhile.
        await asyncio.get_running_loop().run_in_executor(None, warm_up)

    def teardown(self, worker: Any) -> None:
        for store in getattr(_local, "stores", {}).values():
            with contextlib.suppress(Exception):
                store.close()


@contextlib.contextmanager
def dask_client(engine: Engine, location: str) -> Iterator[Client]:
    """A client of the engine's cluster (started here and stopped afterwards when it is local), workers warm."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise EngineError("the dask engine needs dask[distributed]: pip install 'distributed'") from exc
    local_cluster = None
    if engine.address:
        if not is_postgres(location):
            raise EngineError("a remote cluster's workers cannot open a SQLite file: use a PostgreSQL store")
        try:
            client = Client(engine.address, timeout=30)
        except OSError as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {engine.address}: {exc}") from exc
    else:
        local_cluster = LocalCluster(
            n_workers=engine.workers or 2,
            threads_per_worker=1,  # the pipeline is CPU-bound Python: one process per core
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(local_cluster)
    try:
        client.register_plugin(WarmUp(), name=WarmUp.name)
        yield client
    finally:
        client.close()
        if local_cluster is not None:
            local_cluster.close()


def _worker_store(location: str) -> Store:
    stores: dict[str, Store] = _local.__dict__.setdefault("stores", {})
    if location not in stores:
        stores[location] = open_store(location)
    return stores[location]


def _drop_worker_store(location: str) -> None:
    store = _local.__dict__.get("stores", {}).pop(location, None)
    if store is not None:
        with contextlib.suppress(Exception):
            store.close()


def process_batch(location: str, report_ids: list[str]) -> tuple[int, int]:
    """Task: extract and resolve these stored reports and save the analyses in one transaction (idempotent)."""
    try:
        store = _worker_store(location)
        fetch = getattr(store, "get_reports", None)
        reports = fetch(report_ids) if fetch else [r for r in map(store.get_report, report_ids) if r is not None]
        analyses = [process_report(r) for r in reports]
        store.save_analyses(analyses)
    except Exception:
        _drop_worker_store(location)  # a broken connection is not reused by the retry
        raise
    return len(analyses), sum(len(a.events) for a in analyses)


def pending_report_ids(location: str, *, reprocess: bool = False) -> list[str]:
    """Ids of the reports to process, in publication order (as the local engine takes them)."""
    con = connect(location)
    try:
        where = "" if reprocess else "WHERE processed_at IS NULL"
        return [r[0] for r in con.execute(f"SELECT id FROM reports {where} ORDER BY published_at NULLS FIRST, id")]
    finally:
        con.close()


def process_distributed(
    location: str,
    engine: Engine,
    *,
    reprocess: bool = False,
    batch_size: int = BATCH,
    on_progress: Callable[[int], None] | None = None,
    client: Client | None = None,
) -> ProcessStats:
    """Run the pipeline over stored reports on the engine's cluster; workers write the analyses themselves."""
    stats = ProcessStats()
    ids = pending_report_ids(location, reprocess=reprocess)
    if not ids:
        return stats
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(dask_client(engine, location))
        from distributed import as_completed

        started = time.perf_counter()
        batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
        futures = [
            client.submit(process_batch, location, batch, key=f"eventwatch-process-{i}-{batch[0]}", retries=RETRIES)
            for i, batch in enumerate(batches)
        ]
        for future in as_completed(futures):
            reports, events = future.result()
            stats.reports += reports
            stats.events += events
            if on_progress:
                on_progress(reports)
        stats.seconds = time.perf_counter() - started
    return stats


def fuse_unit(location: str, event_ids: list[str]) -> list[Incident]:
    """Task: fuse one unit's events (read from the store) with the ordinary fusion entry point."""
    try:
        store = _worker_store(location)
        events = store.get_events(event_ids)
        fetch = getattr(store, "get_reports", None)
        report_ids = list(dict.fromkeys(e.report_id for e in events))
        found = fetch(report_ids) if fetch else [r for r in map(store.get_report, report_ids) if r is not None]
    except Exception:
        _drop_worker_store(location)
        raise
    return cluster(events, {r.id: r for r in found})


def fuse_distributed(
    store: Store,
    location: str,
    engine: Engine,
    *,
    on_progress: Callable[[int], None] | None = None,
    client: Client | None = None,
) -> FuseStats:
    """Full re-cluster in parallel: one task per unit of blocks; the result equals single-machine fusion."""
    stats = FuseStats()
    started = time.perf_counter()
    events = list(store.iter_events())
    report_ids = list(dict.fromkeys(e.report_id for e in events))
    fetch = getattr(store, "get_reports", None)
    found = fetch(report_ids) if fetch else [r for r in map(store.get_report, report_ids) if r is not None]
    units = plan_units(events, {r.id: r for r in found})
    incidents: list[Incident] = []
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(dask_client(engine, location))
        from distributed import as_completed

        futures = {
            client.submit(
                fuse_unit,
                location,
                [e.id for e in unit.events],
                key=f"eventwatch-fuse-{i}-{unit.blocks[0]}",
                retries=RETRIES,
            ): len(unit.events)
            for i, unit in enumerate(units)
        }
        for future in as_completed(futures):
            incidents.extend(future.result())
            if on_progress:
                on_progress(futures[future])
    incidents.sort(key=lambda i: i.id)
    stats.events = len(events)
    stats.opened = len(incidents)
    stats.unclustered = len(events) - sum(len(i.event_ids) for i in incidents)
    stats.opened_events = len(events) - stats.unclustered  # a full re-cluster: every incident is new, none joined
    store.replace_incidents(incidents)
    stats.incidents = store.count_incidents()
    stats.seconds = time.perf_counter() - started
    return stats
