"""Reading the gold CSV: lenient on columns, BOM and date styles; deterministic splits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from eventwatch.evaluate.gold import GoldRow, parse_date, parse_inter, published_at_for, read_gold, split_of

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
        "A2,22.10.2025,Protests,People marched.,0,,\n"
        "A3,2025-10-01,Riots,,0,1,1\n"
        "A4,2025-10-01,Riots,Short row.\n",
        encoding="utf-8",
    )
    gold = read_gold(path)
    assert [r.event_id for r in gold.rows] == ["A1", "A2", "A4"]
    assert gold.skipped_no_notes == 1
    a1, a2, a4 = gold.rows
    assert a1.fatalities is None and a1.latitude == 1.5 and a1.longitude is None and a1.actor1 == ""
    assert a2.event_date is None and a2.unreadable == {"event_date"}  # a style no ACLED export uses
    assert a1.unreadable == {"fatalities"} and a4.unreadable == frozenset()
    assert a4.fatalities is None
    assert "line 2, column fatalities: 'many' is not a number" in gold.bad_values
    assert any(w.startswith("line 3, column event_date: '22.10.2025'") for w in gold.bad_values)


@pytest.mark.parametrize(
    "value",
    ["2020-05-04", "20200504", "4 May 2020", "04 May 2020", "4-May-20", "04-May-20", "4-May-2020", "04/05/2020",
     "4 May  2020", "May 4, 2020"],
)  # fmt: skip
def test_every_acled_export_date_style(value: str) -> None:
    assert parse_date(value) == date(2020, 5, 4)


def test_dates_and_publication_time() -> None:
    assert parse_date("2 Oct 2025") == date(2025, 10, 2)
    assert parse_date("02-October-2025") == date(2025, 10, 2)
    assert parse_date("21 Sept 2019") == date(2019, 9, 21)
    assert parse_date("31-Dec-99") == date(1999, 12, 31)
    assert parse_date("") is None
    assert parse_date("2020-13-01") is None
    row = GoldRow(event_id="X", notes="n", event_date=date(2025, 10, 31))
    assert published_at_for(row) == datetime(2025, 11, 1, tzinfo=UTC)
    assert published_at_for(GoldRow(event_id="X", notes="n")) is None


def test_inter_codes_numeric_and_text(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        "event_id_cnty,event_date,notes,inter1,inter2,time_precision,geo_precision\n"
        "B1,20200504,Clashes.,1,2,1,2\n"
        "B2,4-May-20,A protest.,Protesters,,1,1\n"
        "B3,4-May-20,Shelling.,External/Other forces,0,4,x\n"
        "B4,4-May-20,Unknown.,Militants,9,,\n",
        encoding="utf-8",
    )
    gold = read_gold(path)
    b1, b2, b3, b4 = gold.rows
    assert (b1.inter1, b1.inter2, b1.time_precision, b1.geo_precision) == (1, 2, 1, 2)
    assert (b2.inter1, b2.inter2) == (6, None)
    assert (b3.inter1, b3.inter2) == (8, 0)
    assert b3.unreadable == {"time_precision", "geo_precision"}
    assert b4.inter1 is None and b4.inter2 is None and b4.unreadable == {"inter1", "inter2"}
    assert parse_inter("State forces") == 1 and parse_inter("7") == 7 and parse_inter("Rebels") is None
    assert all(r.event_date == date(2020, 5, 4) for r in gold.rows)


def test_reads_real_acled_exports_without_warnings() -> None:
    """Every event_date (and inter code) in the shared ACLED files is understood (skips without ../shared)."""
    shared = Path(__file__).resolve().parents[2].parent / "shared"
    files = [shared / "eval" / "acled-dev.csv", shared / "train" / "acled-train.csv"]
    present = [f for f in files if f.is_file()]
    if not present:
        pytest.skip(f"no ACLED export in {shared} (see the developers' guide)")
    for f in present:
        gold = read_gold(f)
        assert gold.bad_values == [], gold.bad_values[:5]
        assert all(r.event_date is not None and r.inter1 is not None for r in gold.rows)
