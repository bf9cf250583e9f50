"""``eventwatch watch``: the long-running process joining sources, pipeline, alert delivery and the API.

Threads, each with its own store connection, all stopping on SIGINT/SIGTERM:

* feeds — polls each feed when due, a few at a time, so one slow server never holds up the others;
* folders — scans each folder at its interval;
* pipeline — extracts, fuses and reviews alerts whenever a source (or a POST to the API) brought something new;
* one deliverer per alert destination (each webhook, the JSON Lines file);
* the API and dashboard (uvicorn), whose ``POST /api/reports`` is the push endpoint;
* the main thread: heartbeat and progress lines.

Sources only store reports; everything after reads its work from the store, so the process can die at any point
(``kill -9`` included) and the next start finishes what was left: unprocessed reports, unfused events, incidents
not reviewed, alerts not delivered.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

from eventwatch.model import utcnow
from eventwatch.store import Store, open_store, redact
from eventwatch.watch import alerts, logs
from eventwatch.watch.config import WatchConfig
from eventwatch.watch.deliver import Deliverer, JsonlSink, Sink, WebhookSink
from eventwatch.watch.feeds import FeedPoller
from eventwatch.watch.folders import FolderScanner
from eventwatch.watch.http import Http, HttpxHttp
from eventwatch.watch.pipeline import Alerter, Pipeline
from eventwatch.watch.sources import load_state
from eventwatch.watch.status import HEARTBEAT_SECONDS, WATCHER_KEY, running_watcher

StoreFactory = Callable[[], Store]
API_KEY = "api"


class Watcher:
    def __init__(
        self,
        config: WatchConfig,
        db: str | Path,
        *,
        config_path: Path | None = None,
        http: Http | None = None,
        store_factory: StoreFactory | None = None,
        alert_existing: bool = False,
    ) -> None:
        self.config = config
        self.db = db
        self.config_path = config_path
        self.http = http or HttpxHttp()
        self.open_store: StoreFactory = store_factory or (lambda: open_store(db))
        self.alert_existing = alert_existing
        self.stop_event = threading.Event()
        self.pipeline_wake = threading.Event()
        self.pipeline_done = threading.Event()  # the pipeline's last step is over: deliverers may drain and stop
        self.ready = threading.Event()
        self.rng = random.Random()
        self.feeds = [FeedPoller(f, self.http, random.Random(self.rng.random())) for f in config.feeds]
        self.folders = [FolderScanner(f) for f in config.folders]
        self.rules = [alerts.compile_rule(r) for r in config.alerts.rules]
        self.sinks: list[Sink] = [WebhookSink(w, self.http) for w in config.alerts.webhooks]
        if config.alerts.jsonl is not None:
            self.sinks.append(JsonlSink(config.alerts.jsonl))
        self.deliverers = [Deliverer(s, config.alerts.retry, random.Random(self.rng.random())) for s in self.sinks]
        self.deliver_wake = {d.sink.destination: threading.Event() for d in self.deliverers}
        self.api_url: str | None = None
        self.server: Any = None
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        self.started_at = utcnow()
        self.api = _PushCounts()
        self._beat_lock = threading.Lock()
        self.alerts_fired = 0
        self.errors: list[str] = []

    # -- lifecycle --------------------------------------------------------------------------------------------
    def run(self) -> None:
        """Run until :meth:`stop` (or SIGINT/SIGTERM when called from the main thread)."""
        log = logs.get()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, self._on_signal)
        store = self.open_store()
        other = running_watcher(store)
        if other is not None and other.get("pid") != os.getpid():
            store.close()
            raise RuntimeError(
                f"another watcher is running on {redact(self.db)} (pid {other['pid']} on {other.get('host')}): "
                "two would deliver every alert twice; stop it first"
            )
        try:
            for rule in self.rules:
                if rule.centre_name:
                    log.info("rule.place", extra=logs.fields(rule=rule.name, near=rule.centre_name))
            if self.config.serve is not None:
                self._start_api()
            self._spawn("pipeline", self._pipeline_loop)
            if self.feeds:
                self._spawn("feeds", self._feeds_loop)
            if self.folders:
                self._spawn("folders", self._folders_loop)
            for deliverer in self.deliverers:
                self._spawn(f"deliver:{deliverer.sink.destination}", self._deliver_loop, deliverer)
            log.info(
                "watch.started",
                extra=logs.fields(
                    db=redact(self.db),
                    feeds=len(self.feeds),
                    folders=len(self.folders),
                    api=self.api_url,
                    rules=len(self.rules),
                    destinations=[d.sink.destination for d in self.deliverers],
                    pid=os.getpid(),
                ),
            )
            last_progress = time.monotonic()
            while not self.stop_event.is_set():
                self._heartbeat(store)
                if time.monotonic() - last_progress >= self.config.progress_seconds:
                    self._progress(store)
                    last_progress = time.monotonic()
                self.stop_event.wait(HEARTBEAT_SECONDS)
        finally:
            self.stop_event.set()
            self.pipeline_wake.set()
            for event in self.deliver_wake.values():
                event.set()
            if self.server is not None:
                self.server.should_exit = True
            for thread in self.threads:
                thread.join(timeout=30)
            self._heartbeat(store, stopped=True)
            store.close()
            self.http.close()
            log.info("watch.stopped", extra=logs.fields(alerts=self.alerts_fired))

    def stop(self) -> None:
        self.stop_event.set()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        logs.get().info("watch.stopping", extra=logs.fields(signal=signal.Signals(signum).name))
        self.stop()

    def _spawn(self, name: str, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=self._guard, args=(name, target, *args), name=name, daemon=True)
        self.threads.append(thread)
        thread.start()

    def _guard(self, name: str, target: Callable[..., None], *args: Any) -> None:
        """Run a loop with its own store; an unexpected error is logged and the loop restarted after a pause."""
        while not self.stop_event.is_set():
            store = self.open_store()
            try:
                target(store, *args)
                return
            except Exception as exc:
                self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
                logs.get().exception("watch.thread_error", extra=logs.fields(thread=name))
                self.stop_event.wait(1.0)
            finally:
                store.close()

    # -- loops ------------------------------------------------------------------------------------------------
    def _pipeline_loop(self, store: Store) -> None:
        try:
            self._pipeline_steps(store)
        finally:
            self.pipeline_done.set()

    def _pipeline_steps(self, store: Store) -> None:
        log = logs.get()
        from eventwatch.fuse import embed
        from eventwatch.pipeline import warm_up

        started = time.perf_counter()
        warm_up()
        embed(["Shelling hit the town overnight."])  # loads the sentence encoder fusion compares notes with
        alerter = Alerter(self.rules, self.config.alerts, dashboard=self.api_url)
        if not self.alert_existing:
            baselined = alerter.baseline(store)
            if baselined:
                log.info("alerts.baseline", extra=logs.fields(incidents=baselined))
        pipeline = Pipeline(
            store, alerter, batch_size=self.config.batch_size, lock=self.lock, on_alerts=self._alerts_fired
        )
        pipeline.step()  # what a previous run left: unprocessed reports, unfused events, unreviewed incidents
        self.ready.set()
        self._heartbeat(store)  # --status and /api/watch/status say ready at once, not at the next beat
        log.info("watch.ready", extra=logs.fields(seconds=round(time.perf_counter() - started, 1)))
        while not self.stop_event.is_set():
            stats = pipeline.step()
            if not stats.full_batch:
                self.pipeline_wake.wait(0.5)
                self.pipeline_wake.clear()

    def _alerts_fired(self, ids: list[str]) -> None:
        self.alerts_fired += len(ids)
        for event in self.deliver_wake.values():
            event.set()

    def _feeds_loop(self, store: Store) -> None:
        for poller in self.feeds:
            poller.restore(store)
        with ThreadPoolExecutor(max_workers=min(8, len(self.feeds)), thread_name_prefix="feed") as pool:
            while not self.stop_event.is_set():
                now = time.monotonic()
                for poller in self.feeds:
                    if not poller.running and poller.next_at <= now:
                        poller.running = True
                        pool.submit(self._poll_feed, poller)
                upcoming = [p.next_at for p in self.feeds if not p.running]
                wait = min(upcoming, default=now + 1.0) - time.monotonic()
                self.stop_event.wait(min(1.0, max(0.05, wait)))

    def _poll_feed(self, poller: FeedPoller) -> None:
        store = self.open_store()
        try:
            if poller.poll(store).new:
                self.pipeline_wake.set()
        except Exception as exc:  # never let one feed's surprise stop the others
            poller.next_at = time.monotonic() + poller.config.interval
            logs.get().exception("feed.crash", extra=logs.fields(source=poller.config.label, error=str(exc)))
        finally:
            poller.running = False
            store.close()

    def _folders_loop(self, store: Store) -> None:
        log = logs.get()
        while not self.stop_event.is_set():
            now = time.monotonic()
            for scanner in self.folders:
                if scanner.next_at > now:
                    continue
                try:
                    if scanner.scan(store).new:
                        self.pipeline_wake.set()
                except Exception as exc:
                    scanner.next_at = time.monotonic() + scanner.config.interval
                    log.exception("folder.crash", extra=logs.fields(source=scanner.config.label, error=str(exc)))
            wait = min(s.next_at for s in self.folders) - time.monotonic()
            self.stop_event.wait(min(1.0, max(0.02, wait)))

    def _deliver_loop(self, store: Store, deliverer: Deliverer) -> None:
        wake = self.deliver_wake[deliverer.sink.destination]
        while not self.stop_event.is_set():
            delivered = deliverer.run_once(store)
            if delivered == 0:
                wake.wait(0.5)
                wake.clear()
        # Stopping: the step the pipeline was in may still fire alerts. Deliver what is due once it is over, so a
        # clean stop leaves nothing waiting for the next start (the outbox would keep it, but late).
        if self.pipeline_done.wait(timeout=20):
            deliverer.run_once(store)

    # -- API --------------------------------------------------------------------------------------------------
    def _start_api(self) -> None:
        import uvicorn
        from starlette.requests import Request
        from starlette.responses import Response

        from eventwatch.serve import Settings, create_app
        from eventwatch.serve.routes import WRITE_LOCK

        serve = self.config.serve
        assert serve is not None
        self.lock = WRITE_LOCK  # the API's own writes and the pipeline's fusion take turns
        settings = Settings.from_env(self.db, host=serve.host, port=serve.port)
        app = create_app(dataclasses.replace(settings, poll_seconds=serve.poll_seconds))

        @app.middleware("http")
        async def count_pushes(request: Request, call_next: Callable[[Request], Any]) -> Response:
            started = time.perf_counter()
            response: Response = await call_next(request)
            if request.method == "POST" and request.url.path == "/api/reports":
                self.api.count(response.status_code, time.perf_counter() - started)
                self.pipeline_wake.set()  # the route extracted and fused it: review it for alerts now
            return response

        config = uvicorn.Config(app, host=serve.host, port=serve.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        thread = threading.Thread(target=self.server.run, name="api", daemon=True)
        self.threads.append(thread)
        thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the API could not listen on {serve.host}:{serve.port} (port in use?)")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1] if serve.port == 0 else serve.port
        self.api_url = f"http://{serve.host}:{port}"

    # -- status -----------------------------------------------------------------------------------------------
    def _heartbeat(self, store: Store, *, stopped: bool = False) -> None:
        with self._beat_lock:  # the main thread and the pipeline's "ready" beat: one read-modify-write at a time
            self._beat(store, stopped=stopped)

    def _beat(self, store: Store, *, stopped: bool) -> None:
        now = utcnow()
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": self.started_at.isoformat(),
            "heartbeat_at": now.isoformat(),
            "ready": self.ready.is_set(),
            "config": str(self.config_path) if self.config_path else None,
            "api": self.api_url,
            "alerts_fired": self.alerts_fired,
            "errors": self.errors[-5:],
        }
        if stopped:
            record["stopped_at"] = now.isoformat()
        store.set_meta(WATCHER_KEY, json.dumps(record))
        if self.api_url is not None:
            self.api.flush(store, f"{self.api_url}/api/reports")

    def _progress(self, store: Store) -> None:
        work = store.pending_work()
        failing = [s.key for s in store.iter_source_states() if s.consecutive_failures]
        logs.get().info(
            "watch.progress",
            extra=logs.fields(
                reports=store.count_reports(),
                incidents=store.count_incidents(),
                alerts_fired=self.alerts_fired,
                delivered=sum(d.delivered for d in self.deliverers),
                backlog=work,
                failing=failing or None,
            ),
        )


class _PushCounts:
    """POSTs to /api/reports since the last flush, added to the ``api`` source's state with each heartbeat."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._new = self._seen = 0
        self._error: tuple[datetime, str] | None = None
        self._last: tuple[datetime, float] | None = None

    def count(self, status: int, seconds: float) -> None:
        with self._lock:
            if status in (200, 201):
                self._new += status == 201
                self._seen += 1
                self._last = (utcnow(), seconds)
            else:
                self._error = (utcnow(), f"HTTP {status} answered to a POST /api/reports")

    def flush(self, store: Store, target: str) -> None:
        with self._lock:
            new, seen, error, last = self._new, self._seen, self._error, self._last
            self._new = self._seen = 0
            self._error = self._last = None
        state = load_state(store, API_KEY, "api", target)
        state.target = target
        state.items_seen += seen
        state.reports_new += new
        if last is not None:
            state.last_success_at, state.lag_seconds = last
            state.last_item_at = last[0]
            state.consecutive_failures = 0
        if error is not None:
            state.last_error_at, state.last_error = error
        state.last_attempt_at = utcnow()
        store.save_source_state(state)
