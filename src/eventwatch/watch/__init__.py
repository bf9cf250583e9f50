"""Live monitoring (``eventwatch watch``): follow feeds, folders and the API, alert when an incident matters.

* :mod:`~eventwatch.watch.config` — the YAML configuration (sources, alert rules, destinations);
* :mod:`~eventwatch.watch.http` — the one network seam (conditional GET, JSON POST) over httpx;
* :mod:`~eventwatch.watch.feeds`, :mod:`~eventwatch.watch.folders` — sources that store only what is new;
* :mod:`~eventwatch.watch.pipeline` — extraction, incremental fusion and alert review, step by step;
* :mod:`~eventwatch.watch.alerts` — change detection from stored incidents and the rules' filters (pure);
* :mod:`~eventwatch.watch.deliver` — the outbox: webhooks and the JSON Lines file, retried with backoff;
* :mod:`~eventwatch.watch.status` — what ``--status`` and ``/api/watch/status`` show;
* :mod:`~eventwatch.watch.watcher` — the process: threads, signals, heartbeat.

Nothing is imported here, so the API can read :mod:`~eventwatch.watch.status` without the watcher's machinery.
"""
