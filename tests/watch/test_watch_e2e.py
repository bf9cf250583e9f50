"""`eventwatch watch` end to end, as a subprocess: a feed on a loopback HTTP server, a folder, and the API's POST
endpoint feed one store; alert rules fire to a loopback webhook receiver and a JSON Lines file; the dashboard API
and ``--status`` show it all. Then the watcher is SIGKILLed mid-stream and restarted: no report or alert is lost or
stored twice."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from .reports import report
from .servers import FeedServer, Item, Route, WebhookReceiver, rss
from .watcher_process import TOKEN, WatchProcess, wait_until

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and subprocesses")

HAREM = Item(
    "Clashes in Harem",
    "Clashes broke out on Tuesday in Harem, in the western countryside of Idlib, between General Security forces "
    "and French jihadists, the Syrian Observatory for Human Rights said. At least 3 fighters were killed in the "
    "fighting.",
    datetime(2025, 10, 22, 6, 0, tzinfo=UTC),
    "harem-1",
)
TOLL_UPDATE = """---
source: Syria Direct
published: 2025-10-23T08:00:00Z
language: en
---
The death toll from Tuesday's clashes between General Security forces and French jihadists in Harem, Idlib, rose to 7, \
Syria Direct reported, citing local medics.
"""
PROTEST = {
    "text": "Hundreds protested peacefully in Daraa city on Tuesday against rising bread prices, witnesses said.",
    "source": "Daraa24",
    "published_at": "2025-10-21T18:00:00Z",
    "language": "en",
}
RULES = [
    {"name": "all-new", "on": ["new_incident"]},
    {"name": "idlib-deadly", "on": ["new_incident"], "admin1": "Idlib", "min_fatalities": 5},
    {"name": "harem-confirmed", "on": ["new_source"], "near": {"place": "Harem", "country": "SY", "radius_km": 20}},
    {"name": "syria-toll", "on": ["toll_rose"], "country": "Syria", "jsonl": False},
]


def _alerts(watch: WatchProcess) -> list[dict[str, object]]:
    result: list[dict[str, object]] = httpx.get(watch.url + "/api/alerts?limit=100", timeout=10).json()
    return result


def test_feed_folder_and_api_reports_fire_rules_to_webhook_and_file(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with FeedServer() as feeds, WebhookReceiver() as hook:
        feeds.routes["/syria.rss"] = Route(rss([HAREM]), etag='"v1"')
        config = {
            "db": "watch.db",
            "feeds": [{"url": feeds.url + "/syria.rss", "interval": 0.5}],
            "folders": [{"path": "inbox", "interval": 0.2, "settle": 0.2}],
            "alerts": {"jsonl": "alerts.jsonl", "webhooks": [{"name": "desk", "url": hook.url}], "rules": RULES},
        }
        watch = WatchProcess(tmp_path, config)
        watch.start()
        try:
            # A second watcher on the same store would deliver every alert twice: refused.
            second = subprocess.run(watch.command(), capture_output=True, text=True, timeout=120)
            assert second.returncode == 2 and "another watcher is running" in second.stderr

            # 1. The feed's Harem report: a new incident, 3 killed — all-new fires; idlib-deadly (≥ 5) does not.
            hook.wait_for(1)
            assert [(a["rule"], a["kind"]) for a in hook.received] == [("all-new", "new_incident")]
            first = hook.received[0]
            incident = first["incident"]
            assert incident["location"] in ("Harem", "Harim") and incident["fatalities_best"] == 3  # type: ignore[index]
            (source,) = incident["sources"]  # type: ignore[index]
            assert source["span"]["text"] and source["span"]["text"] in HAREM.text  # the evidence travels along
            assert first["reports"][0]["origin"] == feeds.url + "/syria.rss"  # type: ignore[index]
            assert first["link"] == f"{watch.url}/#incident/{first['incident_id']}"

            # 2. A second outlet's toll update dropped in the folder joins it: toll 3 → 7, a second source.
            (inbox / "syria-direct-toll.md").write_text(TOLL_UPDATE, encoding="utf-8")
            hook.wait_for(4)
            fired = {(a["rule"], a["kind"]): a for a in hook.received[1:]}
            assert set(fired) == {
                ("idlib-deadly", "new_incident"),  # grew into the rule: now ≥ 5 killed
                ("harem-confirmed", "new_source"),
                ("syria-toll", "toll_rose"),
            }
            assert fired[("syria-toll", "toll_rose")]["change"] == {"from": 3, "to": 7}
            assert fired[("idlib-deadly", "new_incident")]["incident_id"] == first["incident_id"]

            # 3. A report pushed to the API: stored, extracted, fused, alerted.
            auth = {"Authorization": f"Bearer {TOKEN}"}
            posted = httpx.post(watch.url + "/api/reports", json=PROTEST, headers=auth, timeout=30)
            assert posted.status_code == 201 and posted.json()["events"]
            assert httpx.post(watch.url + "/api/reports", json=PROTEST, headers=auth, timeout=30).status_code == 200
            hook.wait_for(5)
            assert hook.received[4]["rule"] == "all-new" and "Daraa" in str(hook.received[4]["summary"])
            time.sleep(1.5)  # a repeated POST, repeated polls (304) and rescans fire nothing more
            assert len(hook.received) == 5 and len(set(hook.ids())) == 5

            # The JSON Lines file holds the rules that write to it; the dashboard API lists all five.
            wait_until(lambda: len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 4, 10, "alerts.jsonl")
            lines = [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()]
            assert {x["rule"] for x in lines} == {"all-new", "idlib-deadly", "harem-confirmed"}
            listed = _alerts(watch)
            assert len(listed) == 5 and all(
                all(d["status"] == "delivered" for d in a["deliveries"].values())  # type: ignore[attr-defined]
                for a in listed
            )
            detail = httpx.get(f"{watch.url}/api/alerts/{listed[0]['id']}", timeout=10).json()
            assert detail["payload"]["incident"]["sources"]

            # Observability: every source's last success, items seen and lag.
            wait_until(lambda: _api_source(watch)["items_seen"] == 2, 15, "the api source's counters", watch)
            status = watch.status()
            by_kind = {s["kind"]: s for s in status["sources"]}
            assert (
                by_kind["feed"]["ok"] and by_kind["feed"]["reports_new"] == 1 and by_kind["feed"]["lag_s"] is not None
            )
            assert by_kind["folder"]["reports_new"] == 1 and by_kind["folder"]["last_error"] is None
            assert by_kind["api"]["reports_new"] == 1 and by_kind["api"]["items_seen"] == 2
            assert status["backlog"] == {"reports_unprocessed": 0, "events_unfused": 0, "alerts_pending": 0}
            assert status["watcher"]["running"] and status["watcher"]["ready"]
            assert feeds.requests_to("/syria.rss")[-1].get("If-None-Match") == '"v1"'  # conditional polls
        finally:
            code = watch.stop()
    assert code == 0, watch.log()
    events = [e["event"] for e in watch.events()]
    assert {"watch.started", "watch.ready", "feed.poll", "folder.file", "alert.delivered", "watch.stopped"} <= set(
        events
    )
    table = subprocess.run(watch.command("--status"), capture_output=True, text=True, check=True).stdout
    assert "not running" in table and "sources" in table and "alert outbox" in table


def _api_source(watch: WatchProcess) -> dict[str, object]:
    status = httpx.get(watch.url + "/api/watch/status", timeout=10).json()
    return next((s for s in status["sources"] if s["kind"] == "api"), {"items_seen": 0})


class _Stream:
    """Publishes reports at a steady rate: feed items on the loopback server and JSON Lines appended to a file."""

    def __init__(self, feeds: FeedServer, inbox: Path, n_feed: int, n_file: int, every: float) -> None:
        self.items: list[Item] = []
        self.feeds = feeds
        self.inbox = inbox
        self.n_feed, self.n_file, self.every = n_feed, n_file, every
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        feeds.routes["/live.rss"] = Route(rss([]))

    def _run(self) -> None:
        path = self.inbox / "wire.jsonl"
        for i in range(max(self.n_feed, self.n_file)):
            if i < self.n_feed:
                text, published = report(2 * i)
                self.items.append(Item(f"Report {i}", text, published, f"live-{i}"))
                self.feeds.routes["/live.rss"] = Route(rss(self.items), etag=f'"v{i}"')
            if i < self.n_file:
                text, published = report(2 * i + 1)
                line = {"text": text, "source": "Wire", "published": published.isoformat()}
                with path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(line) + "\n")
            time.sleep(self.every)
        self.done.set()


def test_sigkill_mid_stream_then_restart_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    n_feed, n_file = 30, 30
    with FeedServer() as feeds, WebhookReceiver() as hook:
        stream = _Stream(feeds, inbox, n_feed, n_file, every=0.25)
        config = {
            "db": "watch.db",
            "feeds": [{"url": feeds.url + "/live.rss", "interval": 0.3}],
            "folders": [{"path": "inbox", "interval": 0.2}],
            "alerts": {
                "jsonl": "alerts.jsonl",
                "webhooks": [{"url": hook.url}],
                "rules": [{"name": "every-incident", "on": ["new_incident"]}, {"name": "tolls", "on": ["toll_rose"]}],
            },
        }
        watch = WatchProcess(tmp_path, config)
        watch.start()
        stream.thread.start()
        try:
            hook.wait_for(12, timeout=120)
            watch.kill()  # mid-stream: reports arriving, some extracted, alerts in flight
            killed_at = len(hook.received)
            assert not stream.done.is_set(), "the stream ended before the kill; slow it down"
            time.sleep(1.0)  # the stream goes on while the watcher is down
            watch.start()
            assert stream.done.wait(120)
            db = tmp_path / "watch.db"
            wait_until(lambda: _settled(db, n_feed + n_file), 120, "the restarted watcher to catch up", watch)
            # Alerts of the last fusion step may still be written and delivered: wait for an empty outbox and a
            # receiver holding every stored alert (a loaded machine is slow, not wrong).
            wait_until(lambda: _delivered(db, hook), 120, "every alert to reach the webhook", watch)
        finally:
            watch.stop()
        texts = Counter(r[0] for r in _rows(db, "SELECT text FROM reports"))
        expected = {report(2 * i)[0] for i in range(n_feed)} | {report(2 * i + 1)[0] for i in range(n_file)}
        assert set(texts) == expected and max(texts.values()) == 1  # every report, each once
        assert _count(db, "SELECT count(*) FROM reports WHERE processed_at IS NULL") == 0
        incidents = _count(db, "SELECT count(*) FROM incidents WHERE corroboration > 0")
        alerts = _rows(db, "SELECT id, rule, incident_id FROM alerts")
        new = Counter(i for _, rule, i in alerts if rule == "every-incident")
        assert len(new) == incidents and max(new.values()) == 1  # every incident alerted, once
        stored = {a for a, _, _ in alerts}
        received = Counter(hook.ids())
        assert set(received) == stored  # nothing lost on the webhook
        # At-least-once over HTTP: only an alert in flight at the kill (POSTed, not yet marked) may come twice,
        # and its Idempotency-Key lets the receiver drop it.
        assert sum(n - 1 for n in received.values()) <= 1
        lines = [json.loads(x)["id"] for x in (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()]
        assert sorted(lines) == sorted(stored)  # the file: every alert exactly once
        assert killed_at < len(stored)


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return list(con.execute(sql))
    finally:
        con.close()


def _count(db: Path, sql: str) -> int:
    return int(_rows(db, sql)[0][0])  # type: ignore[call-overload]


def _delivered(db: Path, hook: WebhookReceiver) -> bool:
    stored = {r[0] for r in _rows(db, "SELECT id FROM alerts")}
    pending = _count(db, "SELECT count(*) FROM alert_outbox WHERE status = 'pending'")
    return pending == 0 and stored <= set(hook.ids())


def _settled(db: Path, n_reports: int) -> bool:
    return (
        _count(db, "SELECT count(*) FROM reports") == n_reports
        and _count(db, "SELECT count(*) FROM reports WHERE processed_at IS NULL") == 0
        and _count(
            db,
            "SELECT count(*) FROM incidents i LEFT JOIN alert_snapshots s ON s.incident_id = i.id "
            "WHERE s.incident_updated_at IS NOT i.updated_at",
        )
        == 0
        and _count(db, "SELECT count(*) FROM alert_outbox WHERE status = 'pending'") == 0
    )
