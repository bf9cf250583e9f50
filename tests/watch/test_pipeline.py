"""The watcher's pipeline step on both store backends: a folder's reports extracted, fused and alerted; alerts
recorded once however often incidents are reviewed, including after a crash between fusion and review."""

from __future__ import annotations

from pathlib import Path

from eventwatch.model import Report
from eventwatch.runner import fuse_events, process_reports
from eventwatch.store import open_store
from eventwatch.watch.alerts import compile_rule
from eventwatch.watch.config import parse_config
from eventwatch.watch.deliver import Deliverer, JsonlSink
from eventwatch.watch.folders import FolderScanner
from eventwatch.watch.pipeline import Alerter, Pipeline

from .test_watch_e2e import HAREM, TOLL_UPDATE

RULES = {
    "jsonl": "alerts.jsonl",
    "rules": [
        {"name": "new", "on": ["new_incident"]},
        {"name": "toll", "on": ["toll_rose"], "admin1": "Idlib"},
        {"name": "confirmed", "on": ["new_source"], "min_sources": 2},
    ],
}


def _alerter(tmp_path: Path) -> Alerter:
    config = parse_config({"folders": [{"path": "inbox"}], "alerts": RULES}, base=tmp_path)
    return Alerter([compile_rule(r) for r in config.alerts.rules], config.alerts)


def test_folder_reports_extracted_fused_and_alerted(tmp_path: Path, store_location: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "harem.md").write_text(
        f"---\nsource: Levant Monitor\npublished: 2025-10-22T06:00:00Z\n---\n{HAREM.text}\n", encoding="utf-8"
    )
    alerter = _alerter(tmp_path)
    with open_store(store_location) as store:
        assert alerter.baseline(store) == 0
        pipeline = Pipeline(store, alerter)
        scanner = FolderScanner(parse_config({"folders": [{"path": str(inbox), "settle": 0}]}).folders[0])
        assert len(scanner.scan(store).new) == 1
        first = pipeline.step()
        assert (first.reports, len(first.alerts)) == (1, 1)
        (inbox / "toll.md").write_text(TOLL_UPDATE, encoding="utf-8")
        scanner.scan(store)
        second = pipeline.step()
        assert second.reports == 1 and second.fuse is not None and second.fuse.joined == 1
        kinds = sorted((a.rule, a.kind) for a in store.recent_alerts())
        assert kinds == [("confirmed", "new_source"), ("new", "new_incident"), ("toll", "toll_rose")]
        assert pipeline.step().alerts == []  # nothing new: nothing fires
        sink = JsonlSink(tmp_path / "alerts.jsonl")
        assert Deliverer(sink, alerter.config.retry).run_once(store) == 3
        assert store.pending_work() == {"reports_unprocessed": 0, "events_unfused": 0, "alerts_pending": 0}


def test_crash_between_fusion_and_review_still_alerts_once(tmp_path: Path, store_location: str) -> None:
    """An incident saved by fusion but not reviewed (the process died in between, or `eventwatch ingest` wrote it):
    the next review fires its alert; reviewing again, or after a restart, fires nothing more."""
    with open_store(store_location) as store:
        _alerter(tmp_path).baseline(store)
        store.add_reports([Report(text=HAREM.text, source="Levant Monitor", published_at=HAREM.published)])
        process_reports(store, workers=1)
        fuse_events(store)  # ... and the watcher was killed here
        fired = _alerter(tmp_path).review(store)  # a fresh alerter: the restarted watcher
        assert len(fired) == 1
        assert _alerter(tmp_path).review(store) == []
        (incident,) = store.iter_incidents()
        store.save_incidents([incident])  # saved again, unchanged (a rebuild): reviewed, nothing fires
        assert _alerter(tmp_path).review(store) == []
        assert len(store.recent_alerts()) == 1


def test_first_watch_of_an_archive_alerts_only_on_what_changes(tmp_path: Path, store_location: str) -> None:
    with open_store(store_location) as store:
        store.add_reports([Report(text=HAREM.text, source="Levant Monitor", published_at=HAREM.published)])
        process_reports(store, workers=1)
        fuse_events(store)
        alerter = _alerter(tmp_path)
        assert alerter.baseline(store) == 1  # the archive's incident taken as it is
        assert alerter.baseline(store) == 0  # once per store
        assert alerter.review(store) == []
