"""Alert delivery from the outbox to a real webhook receiver on loopback and to a JSON Lines file: retried with
backoff until taken, in order, each alert once."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from eventwatch.store import SQLiteStore
from eventwatch.store.base import AlertSnapshot, NewAlert
from eventwatch.watch.config import RetryConfig, WebhookConfig
from eventwatch.watch.deliver import Deliverer, JsonlSink, WebhookSink
from eventwatch.watch.http import HttpxHttp

from .servers import FeedServer, WebhookReceiver

FAST = RetryConfig(base_seconds=0.05, max_seconds=0.2)


@pytest.fixture()
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as r:
        yield r


@pytest.fixture()
def http() -> Iterator[HttpxHttp]:
    client = HttpxHttp()
    yield client
    client.close()


def _outbox(tmp_path: Path, destinations: list[str], n: int = 3) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "ew.db")
    alerts = [
        NewAlert(
            id=f"alert-{i}",
            rule="idlib-deadly",
            incident_id="inc-harem",
            kind="toll_rose",
            summary=f"Toll rose from {i} to {i + 1}: Battles / Armed clash in Harem, Idlib, Syria",
            payload={"id": f"alert-{i}", "kind": "toll_rose", "change": {"from": i, "to": i + 1}},
            destinations=destinations,
        )
        for i in range(n)
    ]
    store.record_alert_review([AlertSnapshot("inc-harem", {}, "2025-10-22T00:00:00+00:00")], alerts)
    return store


def _drain(deliverer: Deliverer, store: SQLiteStore, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while store.pending_work()["alerts_pending"] and time.monotonic() < deadline:
        deliverer.run_once(store)
        time.sleep(0.02)


def test_webhook_gets_every_alert_in_order_with_its_id(
    tmp_path: Path, receiver: WebhookReceiver, http: HttpxHttp
) -> None:
    config = WebhookConfig(url=receiver.url, name="desk", headers={"Authorization": "Bearer t0ken"})
    with _outbox(tmp_path, [config.destination]) as store:
        deliverer = Deliverer(WebhookSink(config, http), FAST)
        assert deliverer.run_once(store) == 3
        assert receiver.ids() == ["alert-0", "alert-1", "alert-2"]
        headers = receiver.headers[0]
        assert headers["X-Eventwatch-Alert"] == headers["Idempotency-Key"] == "alert-0"
        assert headers["Authorization"] == "Bearer t0ken"
        assert headers["Content-Type"].startswith("application/json")
        assert receiver.received[1]["change"] == {"from": 1, "to": 2}
        assert store.pending_work()["alerts_pending"] == 0
        assert deliverer.run_once(store) == 0  # delivered once


def test_failing_webhook_is_retried_with_backoff_and_keeps_order(
    tmp_path: Path, receiver: WebhookReceiver, http: HttpxHttp
) -> None:
    config = WebhookConfig(url=receiver.url)
    receiver.fail_next = 3
    with _outbox(tmp_path, [config.destination]) as store:
        deliverer = Deliverer(WebhookSink(config, http), FAST, random.Random(5))
        assert deliverer.run_once(store) == 0  # first attempt fails: the destination rests
        assert deliverer.run_once(store) == 0  # still resting, nothing sent
        assert receiver.failed == 1
        (alert,) = store.recent_alerts(1, incident_id="inc-harem")[:1]
        _drain(deliverer, store)
        assert receiver.ids() == ["alert-0", "alert-1", "alert-2"]  # the failed one first: order kept
        assert receiver.failed == 3
        deliveries = store.get_alert("alert-0").deliveries[config.destination]  # type: ignore[union-attr]
        assert deliveries["status"] == "delivered" and deliveries["attempts"] == 4
        assert receiver.headers[0]["X-Eventwatch-Attempt"] == "4"
        assert alert.deliveries[config.destination]["status"] == "pending"


def test_unreachable_webhook_stays_pending_never_lost(tmp_path: Path, http: HttpxHttp) -> None:
    with FeedServer() as gone:
        url = gone.url + "/hook"
    config = WebhookConfig(url=url, timeout=1)
    with _outbox(tmp_path, [config.destination], n=2) as store:
        deliverer = Deliverer(WebhookSink(config, http), RetryConfig(base_seconds=30, max_seconds=60))
        deliverer.run_once(store)
        (summary,) = store.outbox_summary()
        assert summary.pending == 2 and summary.last_error is not None and "cannot connect" in summary.last_error
        due_later = store.due_deliveries(config.destination, datetime.now(UTC) + timedelta(seconds=61))
        assert [d.alert_id for d in due_later] == ["alert-0", "alert-1"]


def test_jsonl_file_gets_each_alert_once_even_after_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "alerts" / "alerts.jsonl"
    sink = JsonlSink(path)
    with _outbox(tmp_path, [sink.destination]) as store:
        # A crash after writing alert-0's line (cut short at the end) but before marking it delivered ...
        path.parent.mkdir()
        line = json.dumps({"id": "alert-0", "kind": "toll_rose"})
        path.write_text(line + "\n" + line[:10], encoding="utf-8")
        # ... then a restart: alert-0 is recognised in the file, the cut line stays alone, the rest are written.
        assert Deliverer(JsonlSink(path), FAST).run_once(store) == 3
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[1] == line[:10]
        ids = [json.loads(x)["id"] for x in lines if x.startswith("{") and x.endswith("}")]
        assert ids == ["alert-0", "alert-1", "alert-2"]


def test_unwritable_jsonl_is_an_error_and_retried(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    sink = JsonlSink(blocker / "alerts.jsonl")
    with _outbox(tmp_path, [sink.destination], n=1) as store:
        assert Deliverer(sink, FAST).run_once(store) == 0
        (summary,) = store.outbox_summary()
        assert summary.pending == 1 and summary.last_error is not None and "cannot write" in summary.last_error
