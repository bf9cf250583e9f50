"""Incident exports (ACLED rows per incident-day, JSON with sources) and the store-backed fuse job and command."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from eventwatch.cli import app
from eventwatch.fuse import cluster
from eventwatch.fuse.export import incident_record, incident_rows, write_incidents_csv, write_incidents_json
from eventwatch.fuse.text import CachedEmbedder, TrigramEmbedder
from eventwatch.model import ACLED_COLUMNS, Event, Hedge, Report, ReportAnalysis
from eventwatch.runner import fuse_events
from eventwatch.store import Store, open_store

from .fuse_scenarios import SOHR, all_scenarios, by_id, coast_week, harem_clash, hospital_strike

TRIGRAM = CachedEmbedder(TrigramEmbedder())


def test_multi_day_incident_puts_its_toll_on_one_day_only() -> None:
    reports, events = coast_week()
    (inc,) = cluster(events, by_id(reports), embedder=TRIGRAM)
    rows = incident_rows(inc, {e.id: e for e in events})
    assert [r["event_date"] for r in rows] == [f"2025-03-{d:02d}" for d in range(6, 14)]
    assert all(tuple(r) == ACLED_COLUMNS for r in rows)
    # As of the latest total, on its day; the other days carry none, written 0 as ACLED writes it (issue 13).
    assert [r["fatalities"] for r in rows] == [0] * 7 + [1500]
    assert "cumulative toll" in rows[-1]["tags"] and "day 8 of 8" in rows[-1]["tags"]
    assert len({r["event_id_cnty"] for r in rows}) == 8
    assert all(r["event_id_cnty"].startswith("SYR") for r in rows)
    assert rows[0]["source"] == SOHR


def test_single_day_incident_is_one_row_with_independent_sources() -> None:
    reports, events = harem_clash()
    (inc,) = cluster(events, by_id(reports), embedder=TRIGRAM)
    (row,) = incident_rows(inc, {e.id: e for e in events})
    assert row["event_date"] == "2025-10-21" and row["fatalities"] == 3
    assert row["source"] == f"{SOHR}; Authorities (Syria)"
    assert f"incident {inc.id}" in row["tags"] and "corroboration 2 independent of 4 sources" in row["tags"]
    assert "[fused from 4 reports, 2 independent sources]" in row["notes"]


def test_denial_only_incident_is_not_an_acled_row_but_is_in_json() -> None:
    reports, events = hospital_strike()
    (inc,) = cluster([events[2]], by_id(reports), embedder=TRIGRAM)
    assert inc.corroboration == 0 and incident_rows(inc) == []
    out = io.StringIO()
    assert write_incidents_csv([inc], out) == (0, 0)
    assert json.loads(_json([inc], reports))[0]["denied"] is True


def _json(incidents: list, reports: list[Report]) -> str:  # type: ignore[type-arg]
    texts = {r.id: r.text for r in reports}
    out = io.StringIO()
    write_incidents_json(incidents, out, texts.get)
    return out.getvalue()


def test_json_record_quotes_every_span() -> None:
    reports, events = hospital_strike()
    (inc,) = cluster(events, by_id(reports), embedder=TRIGRAM)
    texts = {r.id: r.text for r in reports}
    record = incident_record(inc, texts.get)
    assert record["contradicted"] and record["corroboration"] == 2
    # Members in joining order: by publication, the doctors (Jan 25) before the WHO figure (Jan 26); denials last.
    assert [s["span"]["text"][:3] for s in record["sources"]] == ["است", "A d", "نفت"]
    denied = next(c for c in record["contradictions"] if c["field"] == "occurred")["versions"][1]
    assert denied["refs"][0]["span"]["text"].startswith("نفت قوات الدعم السريع")
    parsed = json.loads(_json([inc], reports))
    assert parsed[0]["sources"][2]["supports"] is False


def _store_with(location: str, reports: list[Report], events: list[Event]) -> Store:
    store = open_store(location)
    _add(store, reports, events)
    return store


def _add(store: Store, reports: list[Report], events: list[Event]) -> None:
    store.add_reports(reports)
    store.save_analyses(ReportAnalysis(r.id, events=[e for e in events if e.report_id == r.id]) for r in reports)


def _partition(store: Store) -> set[frozenset[str]]:
    return {frozenset(i.event_ids) for i in store.iter_incidents()}


def test_incremental_fuse_joins_without_reprocessing_and_matches_full(store_location: str) -> None:
    reports, events = all_scenarios()
    half = len(reports) // 2
    with _store_with(store_location, reports[:half], events) as store:
        first = fuse_events(store)
        assert first.events == sum(e.report_id in {r.id for r in reports[:half]} for e in events)
        _add(store, reports[half:], events)
        second = fuse_events(store)
        assert second.events == len(events) - first.events  # only the new ones
        assert second.joined > 0
        incremental = _partition(store)
        full = fuse_events(store, full=True)
        assert full.events == len(events)
        assert _partition(store) == incremental
        assert sorted(len(i.sources) for i in store.iter_incidents()) == [2, 2, 3, 4, 7]


def test_reextracted_report_rebuilds_its_incident(store_location: str) -> None:
    reports, events = hospital_strike()
    with _store_with(store_location, reports, events) as store:
        fuse_events(store)
        (inc,) = list(store.iter_incidents())
        assert inc.denied
        # The denial is re-extracted as a plain (non-denying) mention.
        fixed = Event(**{**{f: getattr(events[2], f) for f in events[2].__slots__}, "hedge": Hedge.ATTRIBUTED})
        store.save_analyses([ReportAnalysis(reports[2].id, events=[fixed])])
        stats = fuse_events(store)
        # The incident is dissolved and its members linked again with the new event: one incident, same id.
        assert stats.rebuilt == 1 and stats.events == 3 and stats.opened == 1
        (again,) = list(store.iter_incidents())
        assert not again.denied and len(again.sources) == 3 and again.id == inc.id


def test_fuse_and_export_commands(tmp_path: Path, store_location: str) -> None:
    reports, events = all_scenarios()
    db = store_location
    _store_with(store_location, reports, events).close()
    runner = CliRunner()
    result = runner.invoke(app, ["fuse", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "incidents now: 5" in " ".join(result.output.split())
    assert runner.invoke(app, ["fuse", "--all", "--db", str(db)]).exit_code == 0
    csv_path, json_path = tmp_path / "incidents.csv", tmp_path / "incidents.json"
    result = runner.invoke(app, ["export", "--format", "acled-incidents-csv", "--out", str(csv_path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert len(rows) == 8 + 1 + 1 + 1 + 1  # the coast week is one row per day
    coast = [r for r in rows if r["location"] == "Syrian coast"]
    assert sum(int(r["fatalities"] or 0) for r in coast) == 1500  # summing the column never double counts
    result = runner.invoke(app, ["export", "--format", "incidents-json", "--out", str(json_path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    records = json.loads(json_path.read_text(encoding="utf-8"))
    assert len(records) == 5 and all(s["span"]["text"] for r in records for s in r["sources"])
    assert {r["event_date"] for r in records} >= {date(2025, 3, 6).isoformat()}


def test_any_ingest_order_and_batching_gives_the_same_incidents(location_factory: Callable[[str], str]) -> None:
    import random

    reports, events = all_scenarios()
    with _store_with(location_factory("once"), reports, events) as store:
        fuse_events(store)
        reference = {(i.id, frozenset(i.event_ids)) for i in store.iter_incidents()}
    for seed in (1, 2):
        order = list(reports)
        random.Random(seed).shuffle(order)
        with open_store(location_factory(f"order{seed}")) as store:
            for chunk in (order[:3], order[3:7], order[7:]):  # three ingests, each fused incrementally
                _add(store, chunk, events)
                fuse_events(store)
            assert {(i.id, frozenset(i.event_ids)) for i in store.iter_incidents()} == reference


def test_a_report_linking_two_stored_incidents_merges_them(store_location: str) -> None:
    from .fuse_scenarios import at, event, report

    a = report("Jamal Rivers, 17, was shot dead outside Eastside Market on Elm Street in Dayton.", "WDTN", at(2))
    c = report("Tyrone Vance pleaded not guilty in court on Monday; his lawyer Mara Quist spoke.", "Daily News", at(20))
    b = report("Tyrone Vance was arrested for the killing of Jamal Rivers outside Eastside Market on Elm Street, "
               "lawyer Mara Quist said.", "WHIO", at(9))  # fmt: skip
    events = [event(a, anchor="was shot dead", day=date(2025, 10, 1), event_type="Violence against civilians",
                    sub_event_type="Attack")]  # fmt: skip
    for r in (b, c):
        e = event(r, anchor=r.text[:20], day=date(2025, 10, 1), event_type="Violence against civilians",
                  sub_event_type="Attack")  # fmt: skip
        e.event_date = None  # a follow-up that does not date the killing: dated by its report, weeks after
        e.time_precision = None
        events.append(e)
    with _store_with(store_location, [a, c], events) as store:
        assert fuse_events(store).opened == 2  # the killing and the court report share no word that matters
        _add(store, [b], events)
        stats = fuse_events(store)
        assert (stats.events, stats.joined, stats.merged, store.count_incidents()) == (1, 1, 1, 1)
        merged = _partition(store)
        fuse_events(store, full=True)
        assert _partition(store) == merged
