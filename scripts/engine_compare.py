"""Measure the distributed engines eventwatch could run on (Dask distributed, Ray, Spark) with its own workload.

For each engine that imports: start a local cluster of N workers that load the models once (warm_up), run
``process_report`` over the same generated reports in batches, and record: time until the workers are ready,
memory of the cluster's processes when idle (RSS, this client excluded), round-trip overhead of a no-op task, and
reports/s with 1 and 2 workers. Results feed docs/engines.md.

Ray and Spark are not eventwatch dependencies; measure them from a throw-away environment that also sees ours:

    python3 -m venv /tmp/engines && /tmp/engines/bin/pip install ray==2.60.0 pyspark==4.3.0 psutil
    PYTHONPATH=src:.venv/lib/python3.11/site-packages /tmp/engines/bin/python scripts/engine_compare.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from corpus import report_text

from eventwatch.model import Report

Batches = list[list[tuple[str, str]]]
Started = tuple[Callable[[Batches], int], Callable[[int], None], Callable[[], None]]  # run, no-op tasks, stop
_warm = False


def _ensure_warm() -> None:
    global _warm
    if not _warm:
        from eventwatch.pipeline import warm_up

        warm_up()
        _warm = True


def work(texts: list[tuple[str, str]]) -> int:
    """One batch: the real per-report pipeline (models loaded once per worker process)."""
    from eventwatch.pipeline import process_report

    _ensure_warm()
    return sum(len(process_report(Report(text=t, language=lang)).events) for t, lang in texts)


def noop(x: int) -> int:
    return x


def _tree_rss(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            total += proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
        except psutil.Error:
            pass
    return total / 1e6


def _children_rss() -> float:
    me = psutil.Process()
    return sum(c.memory_info().rss for c in me.children(recursive=True)) / 1e6


def dask_engine(n: int) -> Started:
    from distributed import Client, LocalCluster

    from eventwatch.scale.cluster import WarmUp

    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    client.register_plugin(WarmUp(), name="warm")

    def run(batches: Batches) -> int:
        return sum(client.gather(client.map(work, batches, pure=False)))

    def tasks(k: int) -> None:
        client.gather(client.map(noop, range(k), pure=False))

    def stop() -> None:
        client.close()
        cluster.close()

    return run, tasks, stop


def ray_engine(n: int) -> Started:
    import ray
    from ray.util import ActorPool

    ray.init(num_cpus=n, include_dashboard=False, log_to_driver=False, configure_logging=False)

    @ray.remote
    class Worker:
        def __init__(self) -> None:
            _ensure_warm()

        def work(self, batch: list[tuple[str, str]]) -> int:
            return work(batch)

        def noop(self, x: int) -> int:
            return x

    actors = [Worker.remote() for _ in range(n)]  # type: ignore[attr-defined]
    ray.get([a.noop.remote(0) for a in actors])  # ready once every actor has warmed up

    def run(batches: Batches) -> int:
        pool = ActorPool(actors)
        return sum(pool.map_unordered(lambda a, b: a.work.remote(b), batches))

    def tasks(k: int) -> None:
        pool = ActorPool(actors)
        list(pool.map_unordered(lambda a, x: a.noop.remote(x), range(k)))

    def stop() -> None:
        ray.shutdown()

    return run, tasks, stop


def spark_engine(n: int) -> Started:
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{n}]")
        .config("spark.ui.enabled", "false")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    # Warm every Python worker once (reused across stages).
    sc.parallelize(range(n), n).foreachPartition(lambda _: _ensure_warm())

    def run(batches: Batches) -> int:
        return int(sc.parallelize(batches, len(batches)).map(work).sum())

    def tasks(k: int) -> None:
        sc.parallelize(range(k), k).map(noop).collect()

    def stop() -> None:
        spark.stop()

    return run, tasks, stop


ENGINES = {"dask": dask_engine, "ray": ray_engine, "spark": spark_engine}


def measure(name: str, n_reports: int, batch: int) -> dict[str, Any]:
    rng = random.Random(3)
    texts = [report_text(rng) for _ in range(n_reports)]
    batches = [texts[i : i + batch] for i in range(0, len(texts), batch)]
    out: dict[str, Any] = {"engine": name}
    for n in (1, 2):
        t0 = time.perf_counter()
        run, tasks, stop = ENGINES[name](n)
        out[f"ready_s_{n}"] = time.perf_counter() - t0
        time.sleep(2)
        out[f"idle_rss_mb_{n}"] = _children_rss()
        t0 = time.perf_counter()
        tasks(200)
        out[f"task_overhead_ms_{n}"] = (time.perf_counter() - t0) / 200 * 1000
        run(batches[:n])  # every worker has run the pipeline once
        t0 = time.perf_counter()
        events = run(batches)
        out[f"reports_per_s_{n}"] = n_reports / (time.perf_counter() - t0)
        out[f"events_{n}"] = events
        stop()
    out["speedup"] = out["reports_per_s_2"] / out["reports_per_s_1"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engines", nargs="*", default=list(ENGINES))
    parser.add_argument("--reports", type=int, default=240)
    parser.add_argument("--batch", type=int, default=20)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", file=sys.stderr)
    for name in args.engines:
        try:
            result = measure(name, args.reports, args.batch)
        except ImportError as exc:
            result = {"engine": name, "error": f"not installed: {exc}"}
        except Exception as exc:  # an engine that cannot start here is a result too
            result = {"engine": name, "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
        print(json.dumps(result), flush=True)
    print(f"load average after: {os.getloadavg()}", file=sys.stderr)


if __name__ == "__main__":
    main()
