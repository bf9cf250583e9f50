"""The store's live-monitoring state (migration 6): source cursors and health, file offsets, alert snapshots,
alerts kept once, and the delivery outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from eventwatch.fuse import build_incident, incident_id_for
from eventwatch.model import Event, Report, ReportAnalysis, Span
from eventwatch.store import Store, open_store
from eventwatch.store.base import AlertSnapshot, FileState, NewAlert, SourceState


def _store_with_incident(location: str) -> tuple[Store, str]:
    text = "Government artillery shelled Saraqib, in Idlib province, on 3 March 2025, killing 4 civilians."
    report = Report(text=text, source="SOHR", published_at=datetime(2025, 3, 3, 9, tzinfo=UTC))
    event = Event(
        report_id=report.id,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        event_date=date(2025, 3, 3),
        country="Syria",
        admin1="Idlib",
        location="Saraqib",
        latitude=35.864,
        longitude=36.8006,
        fatalities_best=4,
        spans={"location": [Span(report.id, text.index("Saraqib"), text.index("Saraqib") + 7)]},
    )
    store = open_store(location)
    store.add_reports([report])
    store.save_analyses([ReportAnalysis(report.id, "en", [], [event])])
    store.save_incidents([build_incident(incident_id_for(event), [event], {report.id: report})])
    return store, incident_id_for(event)


def _alert(incident_id: str, key: str, destinations: list[str]) -> NewAlert:
    return NewAlert(
        id=f"alert-{key}",
        rule="desk",
        incident_id=incident_id,
        kind="new_incident",
        summary=f"New incident ({key})",
        payload={"id": f"alert-{key}", "incident_id": incident_id},
        destinations=destinations,
    )


def test_source_state_round_trip(store_location: str) -> None:
    with open_store(store_location) as store:
        assert store.get_source_state("feed:https://m.example/rss") is None
        at = datetime(2025, 10, 22, 6, 0, tzinfo=UTC)
        state = SourceState(
            key="feed:https://m.example/rss",
            kind="feed",
            target="https://m.example/rss",
            cursor={"etag": '"v1"', "last_modified": "Wed, 22 Oct 2025 06:00:00 GMT"},
            last_success_at=at,
            items_seen=20,
            reports_new=3,
            lag_seconds=1.5,
            next_poll_at=at + timedelta(minutes=5),
        )
        store.save_source_state(state)
        loaded = store.get_source_state(state.key)
        assert loaded is not None and loaded.updated_at is not None
        loaded.updated_at = state.updated_at
        assert loaded == state
        assert [s.key for s in store.iter_source_states()] == [state.key]


def test_file_states_saved_and_forgotten(store_location: str) -> None:
    with open_store(store_location) as store:
        a = FileState("/in/wire.jsonl", "folder:/in", 100, 1_764_000_000_123_456_789, None, 100, 2, "abc")
        b = FileState("/in/note.md", "folder:/in", 10, 2, "f00")
        store.save_file_states([a, b])
        assert store.file_states("folder:/in") == {a.path: a, b.path: b}
        store.save_file_states([], removed=[b.path])
        assert store.file_states("folder:/in") == {a.path: a}
        assert store.file_states("folder:/elsewhere") == {}


def test_meta_and_known_reports(store_location: str) -> None:
    store, _ = _store_with_incident(store_location)
    with store:
        assert store.get_meta("watcher") is None
        store.set_meta("watcher", '{"pid": 1}')
        store.set_meta("watcher", '{"pid": 2}')
        assert store.get_meta("watcher") == '{"pid": 2}'
        (report,) = store.iter_reports()
        assert store.known_report_ids([report.id, "nope"]) == {report.id}
        assert store.pending_work() == {"reports_unprocessed": 0, "events_unfused": 0, "alerts_pending": 0}


def test_review_snapshots_and_alerts_once(store_location: str) -> None:
    store, incident_id = _store_with_incident(store_location)
    with store:
        ((iid, updated),) = store.incidents_to_review()
        assert iid == incident_id
        assert store.incidents_to_review(updated_since=updated) == [(iid, updated)]
        assert store.incidents_to_review(updated_since="9999") == []
        alert = _alert(iid, "a", ["webhook:desk", "jsonl:/tmp/a.jsonl"])
        snapshot = AlertSnapshot(iid, {"corroboration": 1}, updated)
        assert store.record_alert_review([snapshot], [alert]) == [alert.id]
        assert store.incidents_to_review() == []  # reviewed: snapshot of this version
        assert store.get_alert_snapshots([iid]) == {iid: snapshot}
        # The same change again (a re-review after a crash): nothing new, no second outbox row.
        assert store.record_alert_review([snapshot], [alert]) == []
        assert store.pending_work()["alerts_pending"] == 2
        # A new version of the incident is due for review again.
        incident = store.get_incident(iid)
        assert incident is not None
        store.save_incidents([incident])
        assert [i for i, _ in store.incidents_to_review()] == [iid]
        (stored,) = store.recent_alerts()
        assert stored.summary == "New incident (a)" and set(stored.deliveries) == {"webhook:desk", "jsonl:/tmp/a.jsonl"}
        assert store.get_alert(alert.id) == stored and store.get_alert("nope") is None
        assert store.recent_alerts(incident_id="other") == []


def test_outbox_due_delivered_and_retried(store_location: str) -> None:
    store, iid = _store_with_incident(store_location)
    with store:
        ((_, updated),) = store.incidents_to_review()
        first, second = _alert(iid, "a", ["webhook:desk"]), _alert(iid, "b", ["webhook:desk"])
        store.record_alert_review([AlertSnapshot(iid, {}, updated)], [first, second])
        now = datetime.now(UTC) + timedelta(seconds=1)
        assert [d.alert_id for d in store.due_deliveries("webhook:desk", now)] == [first.id, second.id]
        assert store.due_deliveries("webhook:other", now) == []
        store.mark_failed(first.id, "webhook:desk", "HTTP 500", now + timedelta(minutes=1))
        (due,) = store.due_deliveries("webhook:desk", now)
        assert due.alert_id == second.id and due.payload == second.payload
        store.mark_delivered(second.id, "webhook:desk", now)
        assert store.due_deliveries("webhook:desk", now) == []
        (retry,) = store.due_deliveries("webhook:desk", now + timedelta(minutes=2))
        assert retry.alert_id == first.id and retry.attempts == 1
        (summary,) = store.outbox_summary()
        assert (summary.pending, summary.delivered, summary.last_error) == (1, 1, "HTTP 500")
        store.mark_delivered(first.id, "webhook:desk", now)
        store.mark_failed(first.id, "webhook:desk", "late failure", now)  # a delivered row stays delivered
        assert store.get_alert(first.id).deliveries["webhook:desk"]["status"] == "delivered"  # type: ignore[union-attr]
