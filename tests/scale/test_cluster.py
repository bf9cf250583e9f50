"""Processing and fusion on Dask's local cluster of 2 worker processes, writing to a real store: the same events
and incidents as the local engine, and a worker killed in the middle of writing its batch loses and duplicates
nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from eventwatch.resolve import geoindex
from eventwatch.runner import fuse_events, ingest_paths, process_reports
from eventwatch.scale.cluster import WarmUp, fuse_distributed, pending_report_ids, process_distributed
from eventwatch.scale.engine import Engine
from eventwatch.store import open_store
from tests.scale.test_blocks import synthetic_corpus

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ENGINE = Engine("dask", workers=2)


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Client]:
    """One local cluster (2 single-threaded worker processes, models loaded once each) for the whole module."""
    geoindex.ensure_built()  # once, here: workers share the (session's) cache instead of each building it
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    client.register_plugin(WarmUp(), name=WarmUp.name)
    yield client
    client.close()
    cluster.close()


def _events(location: str) -> list[Any]:
    with open_store(location) as store:
        return sorted(store.iter_events(), key=lambda e: e.id)


def _ingested(location: str) -> str:
    with open_store(location) as store:
        ingest_paths(store, [SAMPLES])
    return location


def test_process_on_the_cluster_gives_the_local_engines_events(
    store_location: str, location_factory: Any, dask_client: Client
) -> None:
    distributed = _ingested(store_location)
    local = _ingested(location_factory("local"))
    with open_store(local) as store:
        expected = process_reports(store, workers=1)
    stats = process_distributed(distributed, ENGINE, batch_size=3, client=dask_client)
    assert stats.reports == expected.reports >= 10 and stats.events == expected.events
    assert _events(distributed) == _events(local)
    assert pending_report_ids(distributed) == []
    again = process_distributed(distributed, ENGINE, client=dask_client)  # nothing left to do
    assert again.reports == 0


class DieWhileSaving(WorkerPlugin):
    """On the first batch a worker saves, write its claims and then kill the worker process before the commit."""

    current = ""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def setup(self, worker: Any) -> None:
        from eventwatch.store.postgres import PostgresStore
        from eventwatch.store.sqlite import SQLiteStore

        # Patched once per worker process; each test's plugin points it at that test's marker.
        DieWhileSaving.current = self.marker

        def dying(original: Any) -> Any:
            def save_analyses(store: Any, analyses: Any) -> int:
                marker = DieWhileSaving.current
                if os.path.exists(marker):
                    return int(original(store, analyses))
                with open(marker, "x"):
                    pass
                if isinstance(store, PostgresStore):
                    with store._transaction():
                        store._sql("DELETE FROM events WHERE report_id = ANY(%s)", ([a.report_id for a in analyses],))
                        os._exit(1)  # mid-transaction: the server rolls it back when the connection drops
                store._db.execute("BEGIN IMMEDIATE")
                store._db.execute("DELETE FROM claims")
                os._exit(1)

            return save_analyses

        if not getattr(PostgresStore.save_analyses, "dying", False):
            for cls in (PostgresStore, SQLiteStore):
                patched = dying(cls.save_analyses)
                patched.dying = True  # type: ignore[attr-defined]
                cls.save_analyses = patched  # type: ignore[method-assign]


def test_a_worker_dying_mid_batch_loses_and_duplicates_nothing(
    store_location: str, location_factory: Any, dask_client: Client, tmp_path: Path
) -> None:
    distributed = _ingested(store_location)
    local = _ingested(location_factory("local"))
    with open_store(local) as store:
        process_reports(store, workers=1)
    marker = tmp_path / "died-once"
    dask_client.register_plugin(DieWhileSaving(str(marker)), name="die-while-saving")
    try:
        stats = process_distributed(distributed, ENGINE, batch_size=4, client=dask_client)
    finally:
        dask_client.unregister_worker_plugin("die-while-saving")
    assert marker.exists()  # a worker did die in the middle of a batch
    assert _events(distributed) == _events(local)  # its batch was redone by another worker, exactly once
    assert stats.reports == len(pending_report_ids(distributed, reprocess=True))
    dask_client.wait_for_workers(2, timeout=120)  # the nanny restarted it


def test_fusion_on_the_cluster_equals_single_machine_fusion(
    store_location: str, location_factory: Any, dask_client: Client
) -> None:
    from eventwatch.model import ReportAnalysis

    reports, events = synthetic_corpus(40, seed=5)
    stores = [store_location, location_factory("single")]
    for location in stores:
        with open_store(location) as store:
            store.add_reports(reports)
            store.save_analyses(
                ReportAnalysis(r.id, events=[e for e in events if e.report_id == r.id]) for r in reports
            )
    with open_store(stores[0]) as store:
        parallel = fuse_distributed(store, stores[0], ENGINE, client=dask_client)
        got = sorted(store.iter_incidents(), key=lambda i: i.id)
    with open_store(stores[1]) as store:
        single = fuse_events(store, full=True)
        want = sorted(store.iter_incidents(), key=lambda i: i.id)
    assert parallel.incidents == single.incidents == len(want) > 25
    assert got == want
