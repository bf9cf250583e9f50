"""Incidents in both stores: round-trip, blocking query, membership moves, stale detection, cascades."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventwatch.fuse import cluster
from eventwatch.fuse.text import CachedEmbedder, TrigramEmbedder
from eventwatch.model import Event, Incident, Report, ReportAnalysis
from eventwatch.store import SQLiteStore, Store, open_store
from eventwatch.store.connection import connect, table_columns
from tests.fuse.fuse_scenarios import coast_week, hospital_strike


def _stored(location: str, reports: list[Report], events: list[Event]) -> Store:
    store = open_store(location)
    store.add_reports(reports)
    by_report: dict[str, list[Event]] = {}
    for e in events:
        by_report.setdefault(e.report_id, []).append(e)
    store.save_analyses(ReportAnalysis(r.id, events=by_report.get(r.id, [])) for r in reports)
    return store


def _fused(reports: list[Report], events: list[Event]) -> list[Incident]:
    return cluster(events, {r.id: r for r in reports}, embedder=CachedEmbedder(TrigramEmbedder()))


def test_schema_has_plain_incident_tables(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "ew.db").close()
    con = connect(tmp_path / "ew.db")
    for table in ("incidents", "incident_events", "incident_sources", "incident_tolls", "incident_contradictions"):
        assert table_columns(con, table), table
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "incidents_block" in indexes


@pytest.mark.parametrize("scenario", [coast_week, hospital_strike])
def test_incident_round_trip(store_location: str, scenario: object) -> None:
    reports, events = scenario()  # type: ignore[operator]
    (incident,) = _fused(reports, events)
    with _stored(store_location, reports, events) as store:
        assert store.save_incidents([incident]) == 1
        loaded = store.get_incident(incident.id)
        assert loaded == incident  # every field, source, toll entry and contradiction
        assert list(store.iter_incidents()) == [incident]
        assert store.count_incidents() == 1
        assert list(store.iter_unfused_events()) == []
        assert store.stale_incidents() == []


def test_saving_again_replaces_not_duplicates(store_location: str) -> None:
    reports, events = hospital_strike()
    (incident,) = _fused(reports, events)
    with _stored(store_location, reports, events) as store:
        store.save_incidents([incident])
        store.save_incidents([incident])
        con = connect(store_location)
        assert con.execute("SELECT count(*) FROM incident_sources").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM incident_events").fetchone()[0] == 3


def test_candidate_query_blocks_by_date_and_box(store_location: str) -> None:
    reports, events = coast_week()
    (incident,) = _fused(reports, events)
    with _stored(store_location, reports, events) as store:
        store.save_incidents([incident])
        coast = (34.5, 36.0, 35.0, 36.5)
        far = (10.0, 11.0, 20.0, 21.0)
        assert [i.id for i in store.candidate_incidents(date(2025, 3, 12), date(2025, 3, 14), coast)] == [incident.id]
        # It started March 6: a query for March 12 must still find it (interval overlap, not start date).
        assert store.candidate_incidents(date(2025, 3, 12), date(2025, 3, 12), None)
        assert store.candidate_incidents(date(2025, 3, 12), date(2025, 3, 14), far) == []
        assert store.candidate_incidents(date(2025, 4, 1), date(2025, 4, 3), coast) == []
        (candidate,) = store.candidate_incidents(date(2025, 3, 1), date(2025, 3, 20), coast)
        assert candidate.event_ids == incident.event_ids and candidate.actors == incident.actors


def test_reprocessed_report_marks_its_incident_stale(store_location: str) -> None:
    reports, events = hospital_strike()
    (incident,) = _fused(reports, events)
    with _stored(store_location, reports, events) as store:
        store.save_incidents([incident])
        # Re-extraction replaces a report's events: membership of the old ones cascades away.
        store.save_analyses([ReportAnalysis(reports[2].id, events=[])])
        assert store.stale_incidents() == [incident.id]
        assert store.delete_incidents([incident.id]) == 1
        assert store.count_incidents() == 0
        assert len(list(store.iter_unfused_events())) == 2


def test_replace_incidents_starts_over(store_location: str) -> None:
    reports, events = hospital_strike()
    (incident,) = _fused(reports, events)
    with _stored(store_location, reports, events) as store:
        store.save_incidents([incident])
        assert store.replace_incidents([]) == 0
        assert store.count_incidents() == 0
        assert len(list(store.iter_unfused_events())) == 3
