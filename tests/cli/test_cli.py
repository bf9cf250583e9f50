"""The command line end to end on small realistic inputs: ingest, re-ingest, rejects, listing and exports."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwatch.cli import app
from eventwatch.model import ACLED_COLUMNS

runner = CliRunner()

ARTICLE = """---
published: 2025-10-22
source: Levant Monitor
language: en
---
The Syrian Observatory for Human Rights said fighting broke out overnight when government forces raided a camp
run by foreign fighters in Harem, a city in western Idlib. At least two fighters were taken into custody.
"""

WIRE = [
    {
        "text": "Selon l'OSDH, des affrontements ont opposé les forces de la Sécurité générale à des djihadistes "
        "français près de Harem, dans la province d'Idleb.",
        "source": "Agence Sahel-Levant",
        "published": "2025-10-22T08:30:00Z",
        "language": "fr",
    },
    {
        "text": "أفاد المرصد السوري لحقوق الإنسان باندلاع اشتباكات في مدينة حارم بريف إدلب الغربي.",
        "source": "المرصد",
        "published": "2025-10-22T09:00:00Z",
        "language": "ar",
    },
]


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    (folder / "harem.md").write_text(ARTICLE, encoding="utf-8")
    lines = [json.dumps(r, ensure_ascii=False) for r in WIRE]
    lines.insert(1, '{"text": "truncated rec')  # a bad line between good ones
    (folder / "nested" / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_ingest_reingest_and_list(inbox: Path, store_location: str) -> None:
    db = store_location
    first = runner.invoke(app, ["ingest", str(inbox), "--db", str(db)])
    assert first.exit_code == 0, first.output
    out = " ".join(first.output.split())
    assert "read 4 records from 2 files: 3 new, 0 already stored, 1 rejected" in out
    assert "wire.jsonl:line 2" in out  # one clear line naming the file and record
    # What fusion did adds up: joined + events in new incidents + unclustered = events considered.
    fused = re.search(r"fused (\d+) new events: (\d+) joined stored incidents, (\d+) opened (\d+) new incidents, "
                      r"(\d+) background mentions left unclustered; incidents now: (\d+)", out)  # fmt: skip
    assert fused is not None, out
    n, joined, opened_events, opened, unclustered, now = map(int, fused.groups())
    assert joined + opened_events + unclustered == n and now == opened

    again = runner.invoke(app, ["ingest", str(inbox), "--db", str(db)])
    assert again.exit_code == 0
    assert "0 new, 3 already stored" in " ".join(again.output.split())

    shown = runner.invoke(app, ["incidents", "--db", str(db)])
    assert shown.exit_code == 0 and f"{now} incidents" in shown.output

    listing = runner.invoke(app, ["reports", "--db", str(db)])
    assert listing.exit_code == 0
    assert "Levant Monitor" in listing.output and "3 reports stored" in listing.output

    rejected = runner.invoke(app, ["rejects", "--db", str(db)])
    assert "line 2" in rejected.output


def test_nothing_readable_exits_non_zero(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 10)
    result = runner.invoke(app, ["ingest", str(junk), "--db", str(tmp_path / "ew.db")])
    assert result.exit_code == 1
    assert "nothing could be read" in result.output


def test_export_formats(inbox: Path, tmp_path: Path, store_location: str) -> None:
    db = store_location
    assert runner.invoke(app, ["ingest", str(inbox), "--db", str(db)]).exit_code == 0
    csv_path = tmp_path / "out" / "events.csv"
    result = runner.invoke(app, ["export", "--format", "acled-csv", "--out", str(csv_path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with csv_path.open(encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == ACLED_COLUMNS
    geo = tmp_path / "out" / "events.geojson"
    assert runner.invoke(app, ["export", "--format", "geojson", "--out", str(geo), "--db", str(db)]).exit_code == 0
    assert json.loads(geo.read_text())["type"] == "FeatureCollection"
    bad = runner.invoke(app, ["export", "--format", "xlsx", "--out", str(tmp_path / "x"), "--db", str(db)])
    assert bad.exit_code == 2 and "unknown format" in bad.output


def test_corrupt_database_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "ew.db"
    db.write_bytes(b"not sqlite at all" * 200)
    result = runner.invoke(app, ["reports", "--db", str(db)])
    assert result.exit_code == 2
    assert "cannot open" in result.output
