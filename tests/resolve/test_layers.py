"""Gazetteer layers: GeoNames dump files and ACLED exports imported into the offline index, end to end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwatch.cli import app
from eventwatch.model import Report
from eventwatch.pipeline import process_report
from eventwatch.resolve import geoindex, layers
from eventwatch.resolve.gazetteer import candidates

# Two villages GeoNames' cities500 lacks (made up for the test), one row per GeoNames' 19 columns.
GEONAMES = (
    "99000001\tKhirbet Zaytoun\tKhirbet Zaytoun\tKhirbat az Zaytun,خربة الزيتون\t35.91\t36.63\tP\tPPL\tSY\t\t12"
    "\t\t\t\t320\t\t\tAsia/Damascus\t2020-01-01\n"
    "99000002\tTell Qarma\tTell Qarma\t\t35.87\t36.70\tP\tPPL\tSY\t\t10\t\t\t\t0\t\t\tAsia/Damascus\t2020-01-01\n"
    "99000003\tSome Hill\tSome Hill\t\t35.8\t36.7\tT\tHLL\tSY\t\t10\t\t\t\t0\t\t\tAsia/Damascus\t2020-01-01\n"
)
ACLED = (
    "event_id_cnty,country,iso,admin1,admin2,location,latitude,longitude,geo_precision\n"
    "NIG1,Nigeria,566,Taraba,Ardo-Kola,Tudiri,8.7012,11.0501,1\n"
    "NIG2,Nigeria,566,Taraba,Ardo-Kola,Tudiri,8.7016,11.0503,1\n"
    "NIG3,Nigeria,566,Taraba,Ardo-Kola,Tudiri,8.7020,11.0507,2\n"
    "XXX4,Atlantis,999,Nowhere,,Ghost Town,1.0,1.0,1\n"
)


@pytest.fixture
def layer_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Layers in their own folder; the index and lookup caches reset around the test so other tests never see them."""
    folder = tmp_path / "layers"
    monkeypatch.setenv("EVENTWATCH_LAYERS", str(folder))
    monkeypatch.setenv("EVENTWATCH_CACHE", str(tmp_path / "cache"))
    _reset()
    yield folder
    _reset()


def _reset() -> None:
    geoindex._connection.cache_clear()
    geoindex.lookup.cache_clear()
    geoindex.is_exact.cache_clear()


def test_acled_export_becomes_places_at_the_median_point(tmp_path: Path, layer_dir: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(ACLED, encoding="utf-8")
    assert layers.detect_format(path) == "acled"
    (tudiri,) = list(layers.acled_places(path))  # the unknown country's row is skipped
    assert (tudiri.name, tudiri.iso2, tudiri.admin1, tudiri.admin2) == ("Tudiri", "NG", "Taraba", "Ardo-Kola")
    assert (tudiri.latitude, tudiri.longitude) == (8.7016, 11.0503)


def test_imported_layers_go_into_the_same_index(tmp_path: Path, layer_dir: Path) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(GEONAMES, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(ACLED, encoding="utf-8")
    runner = CliRunner()
    before = geoindex.index_path()
    r1 = runner.invoke(app, ["gazetteer", "import", str(dump), "--name", "syria-villages", "--no-build"])
    r2 = runner.invoke(app, ["gazetteer", "import", str(export), "--name", "my-acled"])
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    assert sorted(p.stem for p in layers.layer_files()) == ["my-acled", "syria-villages"]
    assert geoindex.index_path() != before  # the layers are part of the index version: it was rebuilt
    _reset()
    (khirbet,) = [c for c in candidates("خربة الزيتون") if c.iso2 == "SY"]
    assert (khirbet.name, khirbet.admin1, khirbet.population) == ("Khirbet Zaytoun", "Idleb", 320)
    assert candidates("Some Hill") == []  # a hill (class T) is not imported
    events = process_report(Report(text="Gunmen attacked Tudiri village in Taraba, killing 3 farmers.")).events
    assert [(e.location, e.admin1, e.iso, e.geo_precision) for e in events] == [("Tudiri", "Taraba", "NG", 1)]
    r3 = runner.invoke(app, ["gazetteer", "remove", "my-acled"])
    assert r3.exit_code == 0
    _reset()
    assert not [c for c in candidates("Tudiri") if c.iso2 == "NG"]


def test_unreadable_file_is_a_clear_error(tmp_path: Path, layer_dir: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["gazetteer", "import", str(path)])
    assert result.exit_code == 2
    assert "neither a GeoNames dump" in " ".join(result.output.split())
