"""Acceptance test on the canonical seed article (shared/examples/seed-article.txt, see seed-expected.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eventwatch.model import Event, Hedge, Report, ReportAnalysis
from eventwatch.pipeline import process_report

from .seed import seed_text


@pytest.fixture(scope="module")
def seed() -> tuple[Report, ReportAnalysis]:
    report = Report(text=seed_text(), published_at=datetime(2025, 10, 22, tzinfo=UTC),
                    language="en", source=None)  # fmt: skip
    return report, process_report(report)


def _one(analysis: ReportAnalysis, event_type: str) -> Event:
    found = [e for e in analysis.events if e.event_type == event_type]
    assert len(found) == 1, [(e.event_type, e.sub_event_type, e.notes[:60]) for e in analysis.events]
    return found[0]


def test_e1_armed_clash_in_harem(seed: tuple[Report, ReportAnalysis]) -> None:
    report, analysis = seed
    e1 = _one(analysis, "Battles")
    assert e1.sub_event_type == "Armed clash"
    # Idlib governorate, as ACLED spells it (admin1_names.tsv, learned from the training export).
    assert e1.location == "Harim" and e1.admin1 == "Idleb" and e1.country == "Syria" and e1.iso == "SY"
    assert e1.latitude == pytest.approx(36.21, abs=0.01) and e1.longitude == pytest.approx(36.52, abs=0.01)
    assert e1.geo_precision == 1
    assert (e1.event_date, e1.event_date_end, e1.time_precision) == (date(2025, 10, 21), date(2025, 10, 22), 1)
    assert e1.actor1 == "General Security Service (Syria)" and e1.inter1 == 1
    assert e1.actor2 == "Firqat al-Ghuraba"  # the "French camp" of foreign (French) jihadists
    assert e1.fatalities is None and e1.fatalities_best is None and e1.fatalities_reported_unknown
    assert (e1.detained_low, e1.detained_high) == (2, None)
    assert e1.attributed_to == "Syrian Observatory for Human Rights" and e1.hedge == Hedge.HEDGED
    assert not e1.background
    assert e1.spans["location"][0].of(report.text) == "Harem"
    assert e1.spans["event_date"][0].of(report.text) == "overnight"


def test_e2_mass_killing_on_the_coast_is_background(seed: tuple[Report, ReportAnalysis]) -> None:
    report, analysis = seed
    e2 = _one(analysis, "Violence against civilians")
    assert e2.sub_event_type == "Attack" and e2.civilian_targeting
    assert e2.background
    assert (e2.fatalities_low, e2.fatalities_best, e2.fatalities_high) == (1300, 1300, None)
    assert e2.location == "Syrian coast" and e2.geo_precision == 3 and e2.country == "Syria"
    # A month is coded as ACLED codes it: its middle day, time precision 3; the period runs to its end.
    assert (e2.event_date, e2.event_date_end, e2.time_precision) == (date(2025, 3, 15), date(2025, 3, 31), 3)
    assert e2.attributed_to == "The Washington Post"
    assert e2.spans["fatalities_low"][0].of(report.text) == "at least 1,300 fatalities"


def test_no_other_events_and_damascus_is_never_a_location(seed: tuple[Report, ReportAnalysis]) -> None:
    _, analysis = seed
    assert len(analysis.events) == 2  # not the 2019 IS collapse, not the 2023 Le Monde estimate
    assert all(e.location != "Damascus" for e in analysis.events)
    assert not any("2019" in e.notes or "2023" in e.notes for e in analysis.events)


def test_every_span_is_non_empty_and_inside_the_report(seed: tuple[Report, ReportAnalysis]) -> None:
    report, analysis = seed
    spans = [s for e in analysis.events for ss in e.spans.values() for s in ss]
    spans += [c.span for c in analysis.claims] + [c.attribution_span for c in analysis.claims if c.attribution_span]
    assert spans
    for s in spans:
        assert s.report_id == report.id
        assert 0 <= s.start < s.end <= len(report.text)
        assert s.of(report.text).strip()


def test_claims_carry_attribution_and_hedge(seed: tuple[Report, ReportAnalysis]) -> None:
    _, analysis = seed
    by_text = {c.text[:25]: c for c in analysis.claims}
    assert by_text["According to reports, the"].hedge == Hedge.HEDGED
    assert by_text["The UK-based Syrian Obser"].attributed_to == "Syrian Observatory for Human Rights"
    assert by_text["Authorities indicate that"].attributed_to == "Authorities (Syria)"
    assert by_text["The Washington Post repor"].attributed_to == "The Washington Post"
    french = [c for c in analysis.claims if c.language == "fr"]
    assert french and all(c.attributed_to == "Syria News (@SyriaNewsFr)" for c in french)
