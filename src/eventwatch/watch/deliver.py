"""Alert delivery from the store's outbox: every alert reaches every destination, retried until it does.

Alerts are written to the outbox in the same transaction that records them, one row per destination, and a row
leaves the pending state only once its destination took it. A webhook gets a JSON POST (``X-Eventwatch-Alert``
and ``Idempotency-Key`` carry the alert id: after a crash between a POST and its bookkeeping the receiver may see
an alert again and can drop it by id). The JSON Lines file gets one line per alert, fsynced before the row is
marked; on start the file is read back so a line written just before a crash is not written twice.

A failure backs off exponentially with jitter (``alerts.retry``), per destination: one receiver being down delays
only its own queue, and its alerts go out in order once it is back.
"""

from __future__ import annotations

import json
import os
import random
import time
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from eventwatch.model import utcnow
from eventwatch.store import Store
from eventwatch.store.base import Delivery
from eventwatch.watch import logs
from eventwatch.watch.config import RetryConfig, WebhookConfig
from eventwatch.watch.http import Http
from eventwatch.watch.sources import backoff_seconds

TAIL_BYTES = 4 * 1024 * 1024


class Sink(Protocol):
    destination: str

    def send(self, delivery: Delivery) -> str | None:
        """Deliver one alert; None when the destination took it, else why not."""
        ...


def alert_body(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class WebhookSink:
    def __init__(self, config: WebhookConfig, http: Http) -> None:
        self.config = config
        self.http = http
        self.destination = config.destination

    def send(self, delivery: Delivery) -> str | None:
        headers = {
            "X-Eventwatch-Alert": delivery.alert_id,
            "Idempotency-Key": delivery.alert_id,
            "X-Eventwatch-Attempt": str(delivery.attempts + 1),
            **self.config.headers,
        }
        body = alert_body(delivery)
        return self.http.post_json(self.config.url, body, timeout=self.config.timeout, headers=headers).error


class JsonlSink:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.destination = f"jsonl:{path.resolve()}"
        self._written: set[str] | None = None

    def _ids_in_file(self) -> set[str]:
        """Ids of the alerts in the file's last few MiB: a line written just before a crash, not yet marked
        delivered, is always among the last ones (the file can grow for years; older lines are not read)."""
        ids: set[str] = set()
        try:
            with self.path.open("rb") as fh:
                size = fh.seek(0, os.SEEK_END)
                fh.seek(max(0, size - TAIL_BYTES))
                if fh.tell():
                    fh.readline()  # the first line read may be cut: skip it
                for line in fh:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue  # a line cut by a crash mid-write: that alert is written again, whole
                    if isinstance(record, dict) and isinstance(record.get("id"), str):
                        ids.add(record["id"])
        except FileNotFoundError:
            pass
        return ids

    def send(self, delivery: Delivery) -> str | None:
        try:
            if self._written is None:
                self._written = self._ids_in_file()
            if delivery.alert_id in self._written:
                return None  # written before a crash, not marked yet
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as fh:
                if fh.tell() and not self._ends_with_newline():
                    fh.write(b"\n")  # a previous line cut short by a crash stays alone on its line
                fh.write(alert_body(delivery) + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            return f"cannot write {self.path} ({exc.strerror or exc})"
        self._written.add(delivery.alert_id)
        return None

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as fh:
            fh.seek(-1, os.SEEK_END)
            return fh.read(1) == b"\n"


class Deliverer:
    """Sends one destination's due outbox rows, oldest first; after a failure the destination rests for the
    backoff before its next attempt (the failed row is retried first, so order is kept)."""

    def __init__(self, sink: Sink, retry: RetryConfig, rng: random.Random | None = None) -> None:
        self.sink = sink
        self.retry = retry
        self.rng = rng or random.Random()
        self.resume_at = 0.0  # monotonic; a resting destination is not tried before
        self.delivered = 0
        self.failures = 0

    def run_once(self, store: Store, limit: int = 100) -> int:
        """Deliver what is due now; returns how many were delivered."""
        if time.monotonic() < self.resume_at:
            return 0
        log = logs.get()
        done = 0
        for delivery in store.due_deliveries(self.sink.destination, utcnow(), limit):
            error = self.sink.send(delivery)
            if error is None:
                store.mark_delivered(delivery.alert_id, delivery.destination, utcnow())
                done += 1
                self.delivered += 1
                log.info(
                    "alert.delivered",
                    extra=logs.fields(
                        destination=delivery.destination,
                        alert=delivery.alert_id,
                        rule=delivery.payload.get("rule"),
                        kind=delivery.payload.get("kind"),
                        attempt=delivery.attempts + 1,
                    ),
                )
                continue
            self.failures += 1
            attempt = delivery.attempts + 1
            delay = backoff_seconds(self.retry.base_seconds, attempt, self.retry.max_seconds, self.rng)
            store.mark_failed(delivery.alert_id, delivery.destination, error, utcnow() + timedelta(seconds=delay))
            self.resume_at = time.monotonic() + delay
            log.warning(
                "alert.delivery_failed",
                extra=logs.fields(
                    destination=delivery.destination,
                    alert=delivery.alert_id,
                    error=error,
                    attempt=attempt,
                    retry_in_s=round(delay, 1),
                ),
            )
            break
        return done
