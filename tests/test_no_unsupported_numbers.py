"""The invariant of issue 13: no number that no source said.

Every count on every extracted event (fatalities, injured, detained: low/best/high) must be read from the spans
the event gives for it (digits, number words in en/fr/ar, or a documented conventional reading: see
:mod:`eventwatch.evaluate.support` and docs/extraction.md). Checked over every sample report and every row of
``../shared/eval/acled-dev.csv`` (skipped, saying so, where the shared data is absent); offending rows are printed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from eventwatch.evaluate.gold import published_at_for, read_gold
from eventwatch.evaluate.support import readings, unsupported
from eventwatch.ingest import iter_files, read_path
from eventwatch.model import Report
from eventwatch.pipeline import process_report

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "acled-dev.csv"


def _offending(reports: list[tuple[str, Report]]) -> list[str]:
    out: list[str] = []
    for label, report in reports:
        for event in process_report(report).events:
            out += [f"{label}: {problem} — {report.text[:160]!r}" for problem in unsupported(event, report.text)]
    return out


def test_conventional_readings() -> None:
    assert 1383 in readings("the death toll rose to 1,383")
    assert 25 in readings("twenty-five people were killed")
    assert 25 in readings("قتل خمسة وعشرون شخصا")
    assert 12 in readings("dozens of civilians were killed")
    assert 1 in readings("a police officer was killed")
    assert 0 in readings("no casualties were reported")
    assert 4 in readings("27 fatalities split between 8 events")


def test_every_sample_report() -> None:
    reports = [
        (f"{path.name}#{i}", r)
        for path in iter_files(ROOT / "samples")
        for i, r in enumerate(read_path(path))
        if isinstance(r, Report)
    ]
    assert reports
    offending = _offending(reports)
    print("\n".join(offending))
    assert not offending


def test_every_row_of_acled_dev() -> None:
    if not DEV.is_file():
        pytest.skip(f"{DEV} is absent (the shared evaluation data is not beside the repository)")
    gold = read_gold(DEV)
    reports = [(r.event_id, Report(text=r.notes, published_at=published_at_for(r))) for r in gold.rows]
    assert len(reports) == sum(1 for _ in csv.DictReader(DEV.open(encoding="utf-8")))
    offending = _offending(reports)
    print(f"{len(offending)} value(s) without a supporting span")
    print("\n".join(offending))
    assert not offending
