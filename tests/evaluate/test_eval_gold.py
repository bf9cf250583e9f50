"""Reading the gold CSV: lenient on columns, BOM and date styles; deterministic splits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from eventwatch.evaluate.gold import GoldRow, parse_date, published_at_for, read_gold, split_of

FIXTURE = Path(__file__).parent / "fixtures" / "gold-small.csv"
TEST_IDS = {"SYR14303", "SDN37611", "MLI35120", "UKR201461", "COD67235"}


def test_reads_the_bundled_gold_file() -> None:
    assert FIXTURE.read_bytes().startswith(b"\xef\xbb\xbf")  # the fixture does carry a BOM
    gold = read_gold(FIXTURE)
    assert len(gold.rows) == 19
    assert gold.skipped_no_notes == 1  # SYR14306 has empty notes
    assert gold.bad_values == []
    first = gold.rows[0]
    assert first.event_id == "SYR14301"  # BOM stripped from the first header
    assert first.event_date == date(2025, 10, 21)  # "21 October 2025"
    assert first.admin1 == "Idleb" and first.latitude == pytest.approx(36.207)
    ukr = next(r for r in gold.rows if r.event_id == "UKR201450")
    assert ukr.event_date == date(2025, 10, 22)  # "2025-10-22"
    assert ukr.fatalities == 2


def test_splits_are_deterministic_and_both_non_empty() -> None:
    gold = read_gold(FIXTURE)
    test = gold.select("test")
    train = gold.select("train")
    assert {r.event_id for r in test} == TEST_IDS
    assert len(train) == 14 and len(gold.select("all")) == 19
    assert not {r.event_id for r in train} & TEST_IDS
    assert split_of("SYR14303") == "test"  # sha1 … mod 100 = 92
    assert split_of("SYR14301") == "train"  # … = 64
    assert [r.event_id for r in gold.select("test", limit=2)] == ["SYR14303", "SDN37611"]
    with pytest.raises(ValueError):
        gold.select("dev")


def test_tolerates_missing_extra_columns_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        "Event_ID_Cnty,EVENT_DATE,event_type,notes,fatalities,latitude,population_best\n"
        "A1,22 October 2025,Battles,Clashes in X.,many,1.5,300\n"
        "A2,22/10/2025,Protests,People marched.,0,,\n"
        "A3,2025-10-01,Riots,,0,1,1\n"
        "A4,2025-10-01,Riots,Short row.\n",
        encoding="utf-8",
    )
    gold = read_gold(path)
    assert [r.event_id for r in gold.rows] == ["A1", "A2", "A4"]
    assert gold.skipped_no_notes == 1
    a1, a2, a4 = gold.rows
    assert a1.fatalities is None and a1.latitude == 1.5 and a1.longitude is None and a1.actor1 == ""
    assert a2.event_date is None  # day/month order is ambiguous: not guessed
    assert a4.fatalities is None
    assert any("fatalities 'many'" in w for w in gold.bad_values)
    assert any("22/10/2025" in w for w in gold.bad_values)


def test_dates_and_publication_time() -> None:
    assert parse_date("2 Oct 2025") == date(2025, 10, 2)
    assert parse_date("02-October-2025") == date(2025, 10, 2)
    assert parse_date("") is None
    row = GoldRow(event_id="X", notes="n", event_date=date(2025, 10, 31))
    assert published_at_for(row) == datetime(2025, 11, 1, tzinfo=UTC)
    assert published_at_for(GoldRow(event_id="X", notes="n")) is None
