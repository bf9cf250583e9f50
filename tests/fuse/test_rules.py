"""The fusion rules one at a time: counts, independence and syndication, background events, text seam."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pytest

from eventwatch.fuse import Clusterer, assign, cluster, profile
from eventwatch.fuse.counts import Estimate, combine, estimate
from eventwatch.fuse.link import DOC_BARE, DOC_LINK, Linker, Node
from eventwatch.fuse.score import haversine_km, score
from eventwatch.fuse.sources import build_sources, independent_count
from eventwatch.fuse.text import CachedEmbedder, TrigramEmbedder, fold, script
from eventwatch.model import Event, Hedge, IncidentSource, Report

from .fuse_scenarios import GOV, SOHR, all_scenarios, at, by_id, event, harem_clash, report

TRIGRAM = CachedEmbedder(TrigramEmbedder())


def _est(low: int | None = None, best: int | None = None, high: int | None = None, src: str = "A") -> Estimate:
    e = Event(report_id=src, event_type="Battles", sub_event_type="Armed clash", id=f"e-{src}-{low}-{best}-{high}")
    e.fatalities_low, e.fatalities_best, e.fatalities_high = low, best, high
    est = estimate(e, "killed", IncidentSource(event_id=e.id, report_id=src, outlet=src, original=src))
    assert est is not None
    return est


def test_single_figures_become_intervals() -> None:
    assert (_est(best=12).lo, _est(best=12).hi) == (12, 12)
    assert (_est(low=12).lo, _est(low=12).hi, _est(low=12).best) == (12, None, 12)
    assert (_est(low=10, high=15).lo, _est(low=10, high=15).hi) == (10, 15)
    upto = _est(high=20)
    assert (upto.lo, upto.hi, upto.best) == (0, 20, None)


def test_at_least_raises_low_and_range_caps_high() -> None:
    fused = combine([_est(best=12, src="A"), _est(low=10, src="B"), _est(low=8, high=14, src="C")])
    assert (fused.low, fused.best, fused.high, fused.conflict) == (12, 12, 12, None)
    fused = combine([_est(low=10, src="A"), _est(low=8, high=14, src="B")])
    assert (fused.low, fused.best, fused.high) == (10, 10, 14)


def test_best_is_a_stated_figure_never_an_average() -> None:
    fused = combine([_est(best=4, src="A"), _est(best=10, src="B")])
    assert fused.conflict is not None and fused.best == 4  # lower median: a figure a source gave
    assert (fused.low, fused.high) == (4, 10)


def test_a_source_counts_once_with_its_latest_figure() -> None:
    early, late = _est(best=5, src="A"), _est(best=8, src="A")
    early.source.published_at, late.source.published_at = at(1), at(2)
    fused = combine([early, late, _est(low=7, src="B")])
    assert (fused.best, fused.conflict) == (8, None)


def test_one_report_tells_its_total_and_parts_of_it() -> None:
    # "Two people were killed ... a father of two was shot and killed": the report's total is its largest figure.
    total, part = _est(best=2, src="A"), _est(best=1, src="A")
    assert combine([part, total]).best == 2 and combine([total, part]).best == 2
    assert combine([part, total]).conflict is None


def test_hedged_figures_only_when_nothing_firmer() -> None:
    firm, rumour = _est(best=3, src="A"), _est(low=2, src="B")
    rumour.source.hedge = Hedge.HEDGED
    assert combine([firm, rumour]).best == 3
    assert combine([rumour]).best == 2


def test_unknown_toll_never_becomes_a_number() -> None:
    reports, events = harem_clash()
    for e in events:
        e.fatalities_low = e.fatalities_best = None
        e.fatalities_reported_unknown = True
    inc = cluster(events, by_id(reports), embedder=TRIGRAM)[0]
    assert inc.fatalities_best is None and inc.fatalities_low is None and inc.fatalities_reported_unknown


def test_syndicated_copies_count_once_with_their_chain() -> None:
    wire = (
        "BEIRUT - Government forces clashed overnight with French jihadists near Harem in Idlib province, killing "
        "three of them, a war monitor said on Wednesday."
    )
    first = report(wire, "Agence France-Presse", at(22, 8))
    copy = report(wire.replace("BEIRUT - ", "BEIRUT (AFP) - "), "France 24", at(22, 9))
    other = report("Reuters witnesses saw smoke rising from the camp near Harem.", "Reuters", at(22, 10))
    events = [
        event(r, anchor=r.text[:40], day=date(2025, 10, 21), location="Harem", actor1=GOV) for r in (first, copy, other)
    ]
    sources = build_sources(events, by_id([first, copy, other]))
    assert [s.original for s in sources] == ["Agence France-Presse", "Agence France-Presse", "Reuters"]
    assert sources[1].syndicated_from == first.id
    assert sources[1].chain == ["France 24", "Agence France-Presse"]
    assert independent_count(sources) == 2


def test_unnamed_sources_are_not_one_shared_source() -> None:
    a = report("Local sources said fighting broke out near Harem.", "Enab Baladi", at(22))
    b = report("Residents told us fighting broke out near Harem overnight.", "Syria TV", at(22, 11))
    events = [
        event(r, anchor=r.text[:30], day=date(2025, 10, 21), attributed_to="Local sources (unnamed)") for r in (a, b)
    ]
    assert independent_count(build_sources(events, by_id([a, b]))) == 2


def test_background_mention_never_opens_an_incident_at_its_report_date() -> None:
    r = report("The camp was the scene of clashes in the past, SOHR recalled.", SOHR, at(22))
    undated = event(r, anchor="clashes in the past", day=date(2025, 10, 22), background=True, location="Harem")
    undated.event_date = None
    at_report_day = event(r, anchor="The camp was the scene", day=date(2025, 10, 22), background=True)
    own_date = event(r, anchor="SOHR recalled", day=date(2024, 12, 8), background=True, location="Harem")
    for e in (undated, at_report_day):
        assert assign(e, [], embedder=TRIGRAM, report_day=date(2025, 10, 22)).incident_id is None
    result = assign(own_date, [], embedder=TRIGRAM, report_day=date(2025, 10, 22))
    assert result.new and result.incident_id


def test_background_mention_joins_the_incident_it_recalls() -> None:
    reports, events = harem_clash()
    later = report(
        "A week after the deadly clashes at the French jihadists' camp near Harem, the group's leader Omar Omsen "
        "said negotiations with Damascus had resumed.",
        "Agence France-Presse",
        at(29, 10),
    )
    recall = event(
        later,
        anchor="the deadly clashes at the French jihadists' camp near Harem",
        day=date(2025, 10, 21),
        background=True,
        actor1=GOV,
        actor2="Firqat al-Ghurabaa",
        location="Harem",
        geo_precision=1,
        latitude=36.2076,
        longitude=36.5197,
    )
    incidents = cluster([*events, recall], by_id([*reports, later]), embedder=TRIGRAM)
    assert len(incidents) == 1 and recall.id in incidents[0].event_ids


def test_incompatible_types_never_merge() -> None:
    reports, events = harem_clash()
    protest = event(
        reports[0],
        anchor="Violent clashes erupted overnight",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        day=date(2025, 10, 21),
        location="Harem",
        latitude=36.2076,
        longitude=36.5197,
    )
    s = score(protest, profile("x", events[:1]), TRIGRAM)
    assert s.gate == "incompatible event types" and not s.passes


def test_far_apart_never_merge_whatever_else_agrees() -> None:
    _, events = harem_clash()
    moved = profile("x", events[:1])
    moved.bbox = (33.5, 33.5, 36.3, 36.3)  # Damascus, ~300 km away
    moved.locations = ["Damascus"]
    assert score(events[1], moved, TRIGRAM).gate is not None
    assert 290 < haversine_km(36.2076, 36.5197, 33.5, 36.3) < 310


def test_incremental_assignment_matches_full_recluster() -> None:
    reports, events = harem_clash()
    clusterer = Clusterer(TRIGRAM)
    results = [clusterer.add(e, date(2025, 10, 22)) for e in events]
    assert results[0].new and all(not r.new and r.incident_id == results[0].incident_id for r in results[1:])
    assert [i.event_ids for i in clusterer.incidents(by_id(reports))] == [
        i.event_ids for i in cluster(events, by_id(reports), embedder=TRIGRAM)
    ]


def test_clustering_is_the_same_in_any_order() -> None:
    reports, events = all_scenarios()
    first = cluster(events, by_id(reports), embedder=TRIGRAM)
    for seed in range(3):
        shuffled = list(events)
        random.Random(seed).shuffle(shuffled)
        again = cluster(shuffled, by_id(list(reversed(reports))), embedder=TRIGRAM)
        assert sorted((i.id, i.event_ids) for i in again) == sorted((i.id, i.event_ids) for i in first)


def test_assign_links_through_members_and_reports_merges() -> None:
    reports, events = harem_clash()
    a, b = profile("a", events[:1]), profile("b", events[1:2])
    result = assign(events[2], [a, b], embedder=TRIGRAM, report_day=date(2025, 10, 22),
                    members={"a": events[:1], "b": events[1:2]}, reports=by_id(reports))  # fmt: skip
    assert not result.new and {result.incident_id, *result.merged} == {"a", "b"}


def test_folding_and_script() -> None:
    assert fold("Firqat al-Ghurabâ") == fold("FIRQAT AL GHURABA")
    assert fold("المُرصد") == fold("المرصد")
    assert script("اشتباكات في سراقب") == "arabic" and script("Des affrontements à Saraqib") == "latin"


@pytest.mark.parametrize("embedder", ["trigram", "default"])
def test_embed_seam_returns_unit_rows(embedder: str) -> None:
    from eventwatch.fuse.text import default_embedder

    inner = TrigramEmbedder() if embedder == "trigram" else default_embedder()
    vectors = inner(["Clashes near Harem killed three.", "اشتباكات قرب حارم"])
    assert vectors.shape[0] == 2 and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def _story(source: str, hour: int) -> Report:
    return report(
        "ROY - A Roy couple and their two young children were found dead inside their home on Father's Day, police "
        "said. Investigators believe the father, Jordan Reeves, shot his wife and children before turning the gun "
        "on himself; neighbours on Kingsley Drive heard no shots.",
        source,
        at(22, hour),
    )


def _linker(*reports: Report) -> Linker:
    return Linker(by_id(list(reports)), TRIGRAM)


def test_a_country_alone_gives_way_to_the_same_story() -> None:
    a, b = _story("KSL", 8), _story("Deseret News", 9)
    placed = event(a, anchor="A Roy couple", event_type="Violence against civilians", sub_event_type="Attack",
                   day=date(2025, 10, 21), location="Roy", admin1="Utah", iso="US", latitude=41.16,
                   longitude=-112.03, geo_precision=1)  # fmt: skip
    # The other report's event has no place in the text, only a country read from a name ("Jordan").
    country_only = event(b, anchor="A Roy couple", event_type="Violence against civilians", sub_event_type="Attack",
                         day=date(2025, 10, 21), iso="JO", country="Jordan")  # fmt: skip
    linker = _linker(a, b)
    assert linker.link(Node(placed, a.published_at.date()), Node(country_only, b.published_at.date())) is not None
    # A place in the other country is a place: different countries never link.
    amman = replace(country_only, location="Amman", admin1="Amman", latitude=31.95, longitude=35.93, id="amman")
    assert linker.link(Node(placed, a.published_at.date()), Node(amman, b.published_at.date())) is None


def test_a_span_longer_than_a_month_links_within_its_report_only() -> None:
    a, b = _story("KSL", 8), _story("Deseret News", 9)
    kw: dict[str, Any] = {"event_type": "Violence against civilians", "sub_event_type": "Attack", "iso": "US",
                          "location": "Roy", "latitude": 41.16, "longitude": -112.03, "geo_precision": 1}  # fmt: skip
    day = event(a, anchor="A Roy couple", day=date(2025, 10, 21), **kw)
    year = event(a, anchor="Investigators believe", day=date(2025, 1, 1), end=date(2025, 12, 31),
                 time_precision=3, **kw)  # fmt: skip
    other = event(b, anchor="A Roy couple", day=date(2025, 10, 21), **kw)
    linker = _linker(a, b)
    d = a.published_at.date()
    assert linker.link(Node(day, d), Node(year, d)) is not None  # its own report's story
    assert linker.link(Node(year, d), Node(other, d)) is None  # another report's: no one incident in a year
    assert linker.link(Node(day, d), Node(other, d)) is not None


def test_an_event_with_neither_date_nor_place_needs_the_stronger_document_evidence() -> None:
    a, b = _story("KSL", 8), _story("Deseret News", 9)
    kw: dict[str, Any] = {"event_type": "Violence against civilians", "sub_event_type": "Attack", "iso": "US"}
    dated = event(a, anchor="A Roy couple", day=date(2025, 10, 21), **kw)
    bare = event(b, anchor="A Roy couple", day=date(2025, 10, 21), **kw)
    bare.event_date = bare.event_date_end = None
    linker = _linker(a, b)
    same = linker.link(Node(dated, a.published_at.date()), Node(bare, b.published_at.date()))
    assert same is not None and same >= DOC_BARE  # one story told twice: linked
    # The same events between reports that share only a town's vocabulary (similarity in [DOC_LINK, DOC_BARE)).
    linker._pairs[(min(a.id, b.id), max(a.id, b.id))] = (DOC_LINK + DOC_BARE) / 2
    assert linker.link(Node(dated, a.published_at.date()), Node(bare, b.published_at.date())) is None
    placed = replace(bare, latitude=41.16, longitude=-112.03, location="Roy", id="placed")
    assert linker.link(Node(dated, a.published_at.date()), Node(placed, b.published_at.date())) is not None
