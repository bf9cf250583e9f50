"""Fusion partitioned into space-time blocks gives exactly single-machine fusion; the partition reconciles blocks
that could meet (an incident straddling a window boundary, a border clash, a shared place name, an event placed
nowhere) and is deterministic."""

from __future__ import annotations

import importlib.util
import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType

from eventwatch.fuse import cluster
from eventwatch.fuse.text import CachedEmbedder, TrigramEmbedder
from eventwatch.model import Event, Incident, Report
from eventwatch.scale.blocks import BLOCK_DAYS, Block, block_of, plan_units
from tests.fuse.fuse_scenarios import all_scenarios, at, event, report


def _fuse_bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "fuse_bench.py"
    spec = importlib.util.spec_from_file_location("fuse_bench_for_tests", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def synthetic_corpus(n_bases: int, seed: int = 11) -> tuple[list[Report], list[Event]]:
    """The fusion benchmark's template corpus (20 places in 7 countries over a year, 2–6 reports per incident)."""
    bench = _fuse_bench()
    rng = random.Random(seed)
    reports: list[Report] = []
    events: list[Event] = []
    for base in bench._synthetic_bases(n_bases, rng):
        for r, e in bench._paraphrase(base, rng):
            reports.append(r)
            events.append(e)
    return reports, events


def _partitioned(events: list[Event], reports: dict[str, Report], embedder: CachedEmbedder) -> list[Incident]:
    return [i for unit in plan_units(events, reports) for i in cluster(unit.events, reports, embedder=embedder)]


def _by_id(incidents: list[Incident]) -> dict[str, Incident]:
    return {i.id: i for i in incidents}


def test_partitioned_fusion_equals_single_machine_fusion() -> None:
    reports, events = synthetic_corpus(150)
    s_reports, s_events = all_scenarios()
    reports += s_reports
    events += s_events
    by_id = {r.id: r for r in reports}
    embedder = CachedEmbedder(TrigramEmbedder())
    units = plan_units(events, by_id)
    assert len(units) >= 4  # Syria, Sudan, the Sahel, DR Congo, Ukraine, Somalia are far apart
    single = _by_id(cluster(events, by_id, embedder=embedder))
    parallel = _by_id(_partitioned(events, by_id, embedder))
    assert parallel == single  # every incident, member, source, toll and contradiction


def _clash(day: date, place: str, country: str, iso: str | None, lat: float | None, lon: float | None) -> Event:
    r = report(f"Fighting broke out near {place} on {day.isoformat()}.", f"Wire {day}", at(1))
    return event(
        r, anchor="Fighting broke out", day=day, location=place, country=country or None, iso=iso,
        latitude=lat, longitude=lon, actor1="Army", actor2="Rebels",
    )  # fmt: skip


def _reports(events: list[Event]) -> dict[str, Report]:
    return {e.report_id: Report(text="x", id=e.report_id) for e in events}


def test_an_incident_straddling_a_window_boundary_is_fused_whole() -> None:
    boundary = date.fromordinal((date(2025, 5, 10).toordinal() // BLOCK_DAYS + 1) * BLOCK_DAYS)
    # One clash reported by two outlets, one dating it the day before the boundary, one the day after.
    events = [
        _clash(boundary - timedelta(days=1), "Goma", "DR Congo", "CD", -1.68, 29.22),
        _clash(boundary, "Goma", "DR Congo", "CD", -1.68, 29.22),
    ]
    reports = _reports(events)
    assert block_of(events[0], reports) != block_of(events[1], reports)
    (unit,) = plan_units(events, reports)
    assert len(unit.blocks) == 2
    embedder = CachedEmbedder(TrigramEmbedder())
    (single,) = cluster(events, reports, embedder=embedder)
    assert single.event_ids == [e.id for e in events]
    assert _partitioned(events, reports, embedder) == [single]


def test_blocks_far_apart_are_separate_units_and_near_ones_are_joined() -> None:
    day = date(2025, 5, 10)
    far = [_clash(day, "Goma", "DR Congo", "CD", -1.68, 29.22), _clash(day, "Kharkiv", "Ukraine", "UA", 50.0, 36.2)]
    assert len(plan_units(far, _reports(far))) == 2
    # A border clash: Syrian and Turkish towns 40 km apart the same week meet in one unit.
    border = [_clash(day, "Harem", "Syria", "SY", 36.21, 36.52), _clash(day, "Reyhanli", "Turkey", "TR", 36.27, 36.57)]
    assert len(plan_units(border, _reports(border))) == 1
    # The same country months apart: two units (nothing can join across a quiet gap).
    later = [
        _clash(day, "Goma", "DR Congo", "CD", -1.68, 29.22),
        _clash(day + timedelta(days=200), "Goma", "DR Congo", "CD", -1.68, 29.22),
    ]
    assert len(plan_units(later, _reports(later))) == 2
    # Daily events chain a country's windows together.
    daily = [
        _clash(day + timedelta(days=d), "Goma", "DR Congo", "CD", -1.68, 29.22) for d in range(0, 3 * BLOCK_DAYS, 5)
    ]
    (unit,) = plan_units(daily, _reports(daily))
    assert len({b.window for b in unit.blocks}) >= 3


def test_an_undated_follow_up_shares_a_unit_with_the_incident_it_may_tell_of() -> None:
    # A report 75 days after a clash dated to its month, whose event has no date of its own: fusion may link it to
    # anything up to FOLLOWUP_DAYS before its report (fuse.link.match_range), so the two must meet in one unit.
    day = date(2025, 5, 10)
    clash = _clash(day, "Goma", "DR Congo", "CD", -1.68, 29.22)
    clash.time_precision = 3
    follow = _clash(day + timedelta(days=1), "Goma", "DR Congo", "CD", -1.68, 29.22)  # another report
    follow.event_date = follow.event_date_end = None
    follow.time_precision = None
    reports = _reports([clash])
    reports[follow.report_id] = Report(text="x", id=follow.report_id, published_at=datetime(2025, 7, 24, tzinfo=UTC))
    (unit,) = plan_units([clash, follow], reports)
    assert len(unit.events) == 2


def test_an_event_placed_nowhere_joins_every_unit_in_its_reach() -> None:
    day = date(2025, 5, 10)
    events = [
        _clash(day, "Goma", "DR Congo", "CD", -1.68, 29.22),
        _clash(day, "Kharkiv", "Ukraine", "UA", 50.0, 36.2),
        _clash(day + timedelta(days=1), "", "", None, None, None),
    ]
    events[2].location = None
    (unit,) = plan_units(events, _reports(events))
    assert {b.country for b in unit.blocks} == {"CD", "UA", "*"}


def test_units_are_deterministic() -> None:
    reports, events = synthetic_corpus(60, seed=3)
    by_id = {r.id: r for r in reports}
    first = [(u.blocks, [e.id for e in u.events]) for u in plan_units(events, by_id)]
    shuffled = events[:]
    random.Random(5).shuffle(shuffled)
    again = [(u.blocks, sorted(e.id for e in u.events)) for u in plan_units(shuffled, by_id)]
    assert [(b, sorted(ids)) for b, ids in first] == again
    assert all(isinstance(b, Block) for u in plan_units(events, by_id) for b in u.blocks)
