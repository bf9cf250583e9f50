"""The watcher's pipeline step: extract what is new, fuse it incrementally, then review changed incidents for
alerts. Each part reads its work from the store (unprocessed reports, unfused events, incidents saved since their
last snapshot), so a step interrupted anywhere — even by SIGKILL — is simply finished by the next one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from eventwatch.fuse.clustering import as_cached
from eventwatch.model import Incident, Report, ReportAnalysis, utcnow
from eventwatch.pipeline import process_report
from eventwatch.runner import FuseStats, fuse_events, fuse_new_events
from eventwatch.store import Store
from eventwatch.store.base import AlertSnapshot, NewAlert
from eventwatch.watch import alerts, logs
from eventwatch.watch.config import AlertsConfig

BASELINE_KEY = "alerts.baseline"


class Alerter:
    """Compares each incident saved since its last snapshot with that snapshot and records the firings.

    Most reviews only scan incidents saved in the last minute (an index range); a full review at start-up and
    every ``full_every`` seconds catches anything older, such as a write that took longer than the margin.
    """

    MARGIN = timedelta(minutes=1)

    def __init__(
        self,
        rules: list[alerts.Rule],
        config: AlertsConfig,
        *,
        dashboard: str | None = None,
        full_every: float = 600.0,
        batch: int = 200,
    ) -> None:
        self.rules = rules
        self.config = config
        self.dashboard = dashboard
        self.full_every = full_every
        self.batch = batch
        self._since: str | None = None
        self._last_full = 0.0

    def baseline(self, store: Store) -> int:
        """The first time a store is watched, snapshot the incidents it already holds without alerting, so starting
        a watcher on an archive reports what changes from now on, not its whole history. Returns how many."""
        if store.get_meta(BASELINE_KEY) is not None:
            return 0
        count = 0
        while rows := store.incidents_to_review(limit=self.batch):
            snapshots = [
                AlertSnapshot(incident.id, alerts.incident_state(incident), updated)
                for incident, updated in self._load(store, rows)
            ]
            store.record_alert_review(snapshots, [])
            count += len(rows)
            if len(snapshots) < len(rows):
                break  # deleted while we read: nothing left to snapshot for those
        store.set_meta(BASELINE_KEY, utcnow().isoformat())
        return count

    def _load(self, store: Store, rows: list[tuple[str, str]]) -> list[tuple[Incident, str]]:
        out = []
        for incident_id, updated in rows:
            incident = store.get_incident(incident_id)
            if incident is not None:
                out.append((incident, updated))
        return out

    def review(self, store: Store) -> list[str]:
        """Record the alerts every changed incident fires (and its new snapshot); returns the new alert ids."""
        full = time.monotonic() - self._last_full >= self.full_every
        if full:
            self._last_full = time.monotonic()
        since = None if full else self._since
        started = utcnow()
        fired: list[str] = []
        while rows := store.incidents_to_review(updated_since=since, limit=self.batch):
            loaded = self._load(store, rows)
            previous = store.get_alert_snapshots([i.id for i, _ in loaded])
            snapshots: list[AlertSnapshot] = []
            found: list[NewAlert] = []
            for incident, updated in loaded:
                state = alerts.incident_state(incident)
                before = previous.get(incident.id)
                found += self._fire(store, incident, before.state if before else None, state)
                snapshots.append(AlertSnapshot(incident.id, state, updated))
            fired += store.record_alert_review(snapshots, found)
            if len(rows) < self.batch or not loaded:
                break
        # Next time, only incidents saved since a little before this review began: a writer stamps updated_at just
        # before it commits, so anything committed after this review carries a later stamp than the mark.
        self._since = (started - self.MARGIN).isoformat()
        return fired

    def _fire(
        self, store: Store, incident: Incident, before: dict[str, object] | None, state: dict[str, object]
    ) -> list[NewAlert]:
        out: list[NewAlert] = []
        texts: dict[str, str | None] = {}
        reports: list[Report] | None = None

        def text_of(report_id: str) -> str | None:
            if report_id not in texts:
                report = store.get_report(report_id)
                texts[report_id] = report.text if report else None
            return texts[report_id]

        for rule in self.rules:
            for change in alerts.firings(rule, before, state):
                if reports is None:
                    reports = [r for r in (store.get_report(rid) for rid in incident.report_ids) if r is not None]
                    texts.update({r.id: r.text for r in reports})
                alert_id = alerts.alert_id(rule.name, incident.id, change)
                summary = alerts.describe(incident, change)
                body = alerts.payload(
                    alert=alert_id,
                    rule=rule,
                    incident=incident,
                    change=change,
                    summary=summary,
                    reports=reports,
                    text_of=text_of,
                    created_at=utcnow(),
                    dashboard=self.dashboard,
                )
                out.append(
                    NewAlert(
                        id=alert_id,
                        rule=rule.name,
                        incident_id=incident.id,
                        kind=change.kind,
                        summary=summary,
                        payload=body,
                        destinations=self.config.destinations(rule.config),
                    )
                )
        return out


@dataclass(slots=True)
class StepStats:
    reports: int = 0
    events: int = 0
    failed: int = 0
    fuse: FuseStats | None = None
    alerts: list[str] = field(default_factory=list)
    seconds: float = 0.0

    full_batch: bool = False  # reports were left for the next step: run it without waiting

    @property
    def busy(self) -> bool:
        return bool(self.reports or self.alerts or (self.fuse and self.fuse.events))


class Pipeline:
    """One step at a time, from one thread: extraction, incremental fusion (under ``lock``, which the API's own
    writes take too), alert review. A step fuses only the events it just extracted; every ``sweep_every`` seconds
    (and first of all) it runs the whole incremental pass instead."""

    def __init__(
        self,
        store: Store,
        alerter: Alerter,
        *,
        batch_size: int = 64,
        lock: threading.Lock | None = None,
        on_alerts: Callable[[list[str]], None] | None = None,
        sweep_every: float = 600.0,
    ) -> None:
        self.store = store
        self.alerter = alerter
        self.batch_size = batch_size
        self.lock = lock or threading.Lock()
        self.on_alerts = on_alerts
        self.failed: set[str] = set()  # reports whose extraction raised: skipped until restart, never lost
        self.sweep_every = sweep_every
        self._last_sweep = -sweep_every  # the first step fuses whatever a previous run left unfused
        self._embedder = as_cached(None)  # kept across steps: incidents' notes are embedded once, not every step

    def step(self) -> StepStats:
        stats = StepStats()
        started = time.perf_counter()
        log = logs.get()
        # Extraction and fusion take the lock the API's POST holds while it extracts and fuses its own report: the
        # two never interleave (nor run the models at once), and a POST waits for one report, never a whole batch.
        with self.lock:
            pending = (r for r in self.store.iter_reports(unprocessed_only=True) if r.id not in self.failed)
            reports = list(islice(pending, self.batch_size))
        stats.full_batch = len(reports) == self.batch_size
        analyses: list[ReportAnalysis] = []
        for report in reports:
            with self.lock:
                try:
                    analyses.append(process_report(report))
                except Exception:  # a pipeline bug costs one report (kept, unprocessed), not the watcher
                    self.failed.add(report.id)
                    stats.failed += 1
                    log.exception("pipeline.extract_failed", extra=logs.fields(report=report.id, origin=report.origin))
        with self.lock:
            if analyses:
                self.store.save_analyses(analyses)
                stats.reports = len(analyses)
                stats.events = sum(len(a.events) for a in analyses)
            if time.monotonic() - self._last_sweep >= self.sweep_every:
                # Now and then the whole incremental pass: events left unfused by a crash or by another writer,
                # incidents gone stale because a report was re-processed elsewhere.
                stats.fuse = fuse_events(self.store)
                self._last_sweep = time.monotonic()
            elif analyses:
                new = [e for a in analyses for e in a.events]
                stats.fuse = fuse_new_events(self.store, new, embedder=self._embedder)
        stats.alerts = self.alerter.review(self.store)
        if stats.alerts and self.on_alerts:
            self.on_alerts(stats.alerts)
        stats.seconds = time.perf_counter() - started
        if stats.busy:
            fused = stats.fuse
            log.info(
                "pipeline.step",
                extra=logs.fields(
                    reports=stats.reports,
                    events=stats.events,
                    failed=stats.failed or None,
                    joined=fused.joined if fused else None,
                    opened=fused.opened if fused else None,
                    incidents=fused.incidents if fused else None,
                    alerts=len(stats.alerts),
                    seconds=round(stats.seconds, 3),
                ),
            )
        return stats
