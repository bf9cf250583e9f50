"""Multi-report clusters written as wire copy (en/fr/ar): corroboration, running tolls, denials, neighbours."""

from __future__ import annotations

from datetime import date

from eventwatch.fuse import cluster
from eventwatch.fuse.text import CachedEmbedder

from .fuse_scenarios import (
    SOHR,
    all_scenarios,
    by_id,
    coast_week,
    harem_clash,
    hospital_strike,
    neighbouring_clashes,
    span,
)


def test_one_clash_four_sources_two_independent(embedder: CachedEmbedder) -> None:
    reports, events = harem_clash()
    incidents = cluster(events, by_id(reports), embedder=embedder)
    assert len(incidents) == 1
    inc = incidents[0]
    assert len(inc.sources) == 4
    # The monitor, the agency quoting it and the post quoting it ("selon l'OSDH") are one source; Reuters' security
    # official is the other.
    assert inc.corroboration == 2
    originals = {s.outlet: s.original for s in inc.sources}
    assert originals["Agence France-Presse"] == SOHR
    assert originals["Syria News (@SyriaNewsFr)"] == SOHR
    assert originals["Reuters"] == "Authorities (Syria)"
    chain = next(s.chain for s in inc.sources if s.outlet == "Agence France-Presse")
    assert chain == ["Agence France-Presse", SOHR]
    # "three", "at least three", "at least two": consistent, best is a figure a source gave.
    assert (inc.fatalities_low, inc.fatalities_best, inc.fatalities_high) == (3, 3, None)
    assert not inc.contradictions
    assert inc.location == "Harem" and inc.event_date == date(2025, 10, 21)
    for s in inc.sources:  # every source keeps a span into its own report
        assert s.span is not None and s.span.report_id == s.report_id


def test_running_toll_is_a_timeline_not_a_sum(embedder: CachedEmbedder) -> None:
    reports, events = coast_week()
    incidents = cluster(events, by_id(reports), embedder=embedder)
    assert len(incidents) == 1
    inc = incidents[0]
    assert len(inc.sources) == 7
    assert inc.fatalities_cumulative
    assert inc.fatalities_best == 1500 and inc.fatalities_low == 1500 and inc.fatalities_high is None
    assert inc.fatalities_best < sum(e.fatalities_best or e.fatalities_low or 0 for e in events)
    assert [t.best for t in inc.toll_history] == [340, 1225, 1383, 1500]
    assert [t.as_of for t in inc.toll_history] == [date(2025, 3, d) for d in (8, 10, 11, 13)]
    assert all(t.source == SOHR for t in inc.toll_history)
    texts = {r.id: r.text for r in reports}
    assert [t.span.of(texts[t.report_id]) for t in inc.toll_history if t.span] == [
        "rose to 340 civilians",
        "1 225 morts",
        "1383 مدنياً",
        "At least 1,500 people",
    ]
    assert inc.event_date == date(2025, 3, 6) and inc.event_date_end == date(2025, 3, 13)
    assert not inc.contradictions  # parts (a day, a province) do not contradict the total
    assert inc.corroboration == 1  # everyone quotes SOHR


def test_denial_is_a_contradiction_with_both_versions_kept(embedder: CachedEmbedder) -> None:
    reports, events = hospital_strike()
    incidents = cluster(events, by_id(reports), embedder=embedder)
    assert len(incidents) == 1
    inc = incidents[0]
    assert inc.denied and inc.contradicted
    occurred = next(c for c in inc.contradictions if c["field"] == "occurred")
    versions = {v["value"]: v for v in occurred["versions"]}
    assert versions["reported"]["sources"] == ["Sudan Doctors Network", "World Health Organization"]
    assert versions["denied"]["sources"] == ["Rapid Support Forces"]
    denial_ref = versions["denied"]["refs"][0]
    denial_report = next(r for r in reports if r.id == denial_ref["report_id"])
    assert denial_report.text[denial_ref["span"]["start"] : denial_ref["span"]["end"]].startswith("نفت")
    assert inc.corroboration == 2  # a denial never corroborates
    assert (inc.fatalities_low, inc.fatalities_best) == (70, 70)  # 70 and "at least 67" agree
    assert inc.injured_best == 19


def test_count_disagreement_is_flagged_not_averaged(embedder: CachedEmbedder) -> None:
    reports, events = hospital_strike()
    events[1].fatalities_low = None
    events[1].fatalities_best = 30  # the doctors now say 30: no single figure satisfies 70 and 30
    inc = cluster(events[:2], by_id(reports), embedder=embedder)[0]
    conflict = next(c for c in inc.contradictions if c["field"] == "fatalities")
    assert [v["value"] for v in conflict["versions"]] == ["30", "70"]
    assert (inc.fatalities_low, inc.fatalities_high) == (30, 70)
    assert inc.fatalities_best in (30, 70)  # a figure a source gave, never 50


def testneighbouring_clashes_stay_apart(embedder: CachedEmbedder) -> None:
    reports, events = neighbouring_clashes()
    incidents = sorted(cluster(events, by_id(reports), embedder=embedder), key=lambda i: i.location or "")
    assert [i.location for i in incidents] == ["Minova", "Sake"]
    minova, sake = incidents
    assert len(minova.sources) == 2 and len(sake.sources) == 2
    # Unnamed local sources relayed by two outlets are two sources, not one shared "local sources".
    assert sake.corroboration == 2
    assert (sake.fatalities_low, sake.fatalities_best) == (4, 4)
    # "toll unknown" never becomes a number.
    assert minova.fatalities_best is None and minova.fatalities_reported_unknown


def test_scenarios_together_keep_their_shape(embedder: CachedEmbedder) -> None:
    reports, events = all_scenarios()
    incidents = cluster(events, by_id(reports), embedder=embedder)
    assert sorted(len(i.sources) for i in incidents) == [2, 2, 3, 4, 7]


def test_spans_point_into_their_reports() -> None:
    reports, events = all_scenarios()
    texts = by_id(reports)
    for e in events:
        for spans in e.spans.values():
            for s in spans:
                assert s.report_id == e.report_id and s.of(texts[e.report_id].text)
    assert span(reports[0], "Harem").of(reports[0].text) == "Harem"
