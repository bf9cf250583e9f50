"""The geoparsing harnesses on hand-made miniature gold files with a scripted eventwatch: every number by hand."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import pytest

import eventwatch.resolve as resolve_mod
from eventwatch.evaluate.sets import get_set
from eventwatch.evaluate.sets.base import SetContext
from eventwatch.evaluate.sets.geo import (
    MAX_ERROR_KM,
    auc_of,
    error_values,
    read_geovirus,
    read_hipe,
    read_idrisi,
    span_values,
)
from eventwatch.extract.doc import PlaceMention
from eventwatch.model import Place, Report

# What the scripted eventwatch finds (geoparse) and answers for given spans (geocode): span → (lat, lon, id, meto).
FOUND: dict[tuple[int, int], tuple[float, float, str, bool]] = {}
ANSWERS: dict[tuple[int, int], tuple[float, float, str, bool]] = {}


def _pm(span: tuple[int, int], v: tuple[float, float, str, bool]) -> PlaceMention:
    return PlaceMention(span[0], span[1], Place(name="x", latitude=v[0], longitude=v[1], gazetteer_id=v[2]), v[3])


def _geoparse(report: Report) -> list[PlaceMention]:
    return [_pm(s, v) for s, v in FOUND.items()]


def _geocode(text: str, spans: Sequence[tuple[int, int]], language: str | None = None,
             published_at: object = None) -> list[PlaceMention | None]:  # fmt: skip
    return [_pm(s, ANSWERS[s]) if s in ANSWERS else None for s in spans]


@pytest.fixture(autouse=True)
def scripted(monkeypatch: pytest.MonkeyPatch) -> None:
    FOUND.clear()
    ANSWERS.clear()
    monkeypatch.setattr(resolve_mod, "geoparse", _geoparse)
    monkeypatch.setattr(resolve_mod, "geocode", _geocode)


def test_error_values_and_auc_by_hand() -> None:
    v = error_values([0.0, 160.0, None])
    # Unresolved → 20,039 km. Within 161: 0 and 160 → 2/3. Sorted ln(1+e): 0, ln 161, ln 20,040; trapezoids
    # (0 + ln 161)/2 + (ln 161 + ln 20,040)/2 over ln 20,039 · (3 − 1).
    assert v["acc161"] == pytest.approx(2 / 3)
    assert v["mean_km"] == pytest.approx((0 + 160 + MAX_ERROR_KM) / 3)
    assert v["median_km"] == 160.0
    assert v["answered"] == pytest.approx(2 / 3)
    expected = (math.log(161) + math.log(20040) / 2) / (math.log(20039) * 2)
    assert v["auc"] == pytest.approx(expected)
    assert auc_of([0.0, 0.0]) == 0.0
    assert auc_of([5.0]) is None


def test_span_values_exact_and_overlap_by_hand() -> None:
    gold = [[(0, 5), (10, 15)]]
    pred = [[(0, 5), (11, 13), (20, 25)]]
    v = span_values(gold, pred)
    # Exact: tp (0,5) only → P 1/3, R 1/2. Overlap: (0,5) and (11,13) touch gold → P 2/3; both gold touched → R 1.
    assert (v["p_exact"], v["r_exact"]) == (pytest.approx(1 / 3), pytest.approx(1 / 2))
    assert v["f1_exact"] == pytest.approx(0.4)
    assert (v["p_overlap"], v["r_overlap"]) == (pytest.approx(2 / 3), 1.0)
    assert v["f1_overlap"] == pytest.approx(0.8)


LGL = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <title>t</title><dltime>2009-03-20 12:24:52</dltime>
    <text><![CDATA[Alexandria police met Rapides Parish deputies near Main Street.]]></text>
    <toponyms>
      <toponym><start>0</start><end>10</end><phrase>Alexandria</phrase>
        <gaztag geonameid="4314550"><name>Alexandria</name><lat>31.3113</lat><lon>-92.4451</lon></gaztag></toponym>
      <toponym><start>22</start><end>36</end><phrase>Rapides Parish</phrase>
        <gaztag geonameid="4338356"><name>Rapides Parish</name><lat>31.1669</lat><lon>-92.4835</lon></gaztag>
      </toponym>
      <toponym><start>51</start><end>62</end><phrase>Main Street</phrase></toponym>
    </toponyms>
  </article>
</articles>
"""


def test_lgl_tables_by_hand(tmp_path: Path) -> None:
    folder = tmp_path / "lgl"
    folder.mkdir()
    (folder / "lgl.xml").write_text(LGL, encoding="utf-8")
    # eventwatch finds Alexandria exactly and "Rapides" (part of "Rapides Parish") but puts it in Egypt.
    FOUND[(0, 10)] = (31.31, -92.45, "geonames:4314550", False)
    FOUND[(22, 29)] = (31.2, 29.9, "geonames:361058", False)
    # On gold spans: Alexandria right (same id), Rapides Parish unanswered.
    ANSWERS[(0, 10)] = (31.31, -92.45, "geonames:4314550", False)
    result = get_set("lgl").run(SetContext(folder=folder, baselines=False))
    rec = result.table("Toponym recognition")
    assert rec.n == 3
    # Exact: 1 of 2 predictions, 1 of 3 gold. Overlap: both predictions touch gold; 2 of 3 gold touched.
    assert rec.row("eventwatch").values == pytest.approx(
        {"p_exact": 0.5, "r_exact": 1 / 3, "f1_exact": 0.4, "p_overlap": 1.0, "r_overlap": 2 / 3, "f1_overlap": 0.8}
    )
    ora = result.table("Resolution on gold spans")
    assert ora.n == 2  # Main Street has no coordinates
    values = ora.row("eventwatch").values
    # Errors: ~0.5 km and unresolved (20,039) → acc 1/2, answered 1/2, same GeoNames id 1/2.
    assert values["acc161"] == 0.5 and values["answered"] == 0.5 and values["geonames_id"] == 0.5
    assert values["mean_km"] == pytest.approx((0.5 + MAX_ERROR_KM) / 2, abs=1)
    assert ora.value("Mordecai3", "acc161") == pytest.approx(0.827)
    assert ora.value("CamCoder", "mean_km") == pytest.approx(700)
    assert ora.value("goal", "acc161") == "≥ 0.83"
    e2e = result.table("End to end").row("eventwatch").values
    # Alexandria found and right; Rapides Parish found (overlap) but ~6,000 km off → 1 of 2 of all, 1 of 2 found.
    assert e2e["acc161_all"] == 0.5 and e2e["acc161_found"] == 0.5 and e2e["found"] == 1.0


GWN = """<?xml version="1.0" ?>
<articles>
  <article file="0">
    <title>t</title>
    <text>Turkey said troops shelled Afrin in Syria.</text>
    <toponyms>
      <toponym><extractedName>Turkey</extractedName><type>Metonymic</type><start>0</start><end>6</end>
        <geonamesID>298795</geonamesID><latitude>39</latitude><longitude>35</longitude></toponym>
      <toponym><extractedName>Afrin</extractedName><type>Literal</type><start>27</start><end>32</end>
        <geonamesID>174018</geonamesID><latitude>36.51</latitude><longitude>36.87</longitude></toponym>
      <toponym><extractedName>Syria</extractedName><type>Literal</type><start>36</start><end>41</end>
        <geonamesID>163843</geonamesID><latitude>35</latitude><longitude>38</longitude></toponym>
      <toponym><extractedName>troops</extractedName><type>Non_Toponym</type><start>12</start><end>18</end>
      </toponym>
    </toponyms>
  </article>
</articles>
"""


def test_geowebnews_literal_geotagging_and_senses(tmp_path: Path) -> None:
    folder = tmp_path / "geowebnews"
    folder.mkdir()
    (folder / "GWN.xml").write_text(GWN, encoding="utf-8")
    # Found: Turkey flagged metonymic (not a geotagging prediction), Afrin; Syria missed.
    FOUND[(0, 6)] = (39.0, 35.0, "geonames:298795", True)
    FOUND[(27, 32)] = (36.51, 36.87, "geonames:174018", False)
    # On gold spans: Turkey right but read literal; Afrin right, literal; Syria right but wrongly metonymic.
    ANSWERS[(0, 6)] = (39.0, 35.0, "geonames:298795", False)
    ANSWERS[(27, 32)] = (36.51, 36.87, "geonames:174018", False)
    ANSWERS[(36, 41)] = (35.0, 38.0, "geonames:163843", True)
    result = get_set("geowebnews").run(SetContext(folder=folder, baselines=False))
    rec = result.table("Toponym recognition")
    assert rec.n == 2  # Afrin and Syria are Literal; Turkey is Metonymic, troops Non_Toponym
    assert rec.row("eventwatch").values["p_exact"] == 1.0 and rec.row("eventwatch").values["r_exact"] == 0.5
    senses = result.table("Literal vs metonymic")
    assert senses.n == 3
    # Gold metonymic: Turkey. Predicted metonymic: Syria. Accuracy 1/3 (Afrin); metonymy P 0, R 0.
    assert senses.row("eventwatch").values == pytest.approx({"accuracy": 1 / 3, "precision": 0.0, "recall": 0.0,
                                                             "f1": 0.0})  # fmt: skip
    assert senses.row("always literal").values["accuracy"] == pytest.approx(2 / 3)
    ora = result.table("Resolution on gold spans")
    assert ora.n == 3 and ora.row("eventwatch").values["acc161"] == 1.0
    assert ora.row("eventwatch").values["geonames_id"] == 1.0


def test_geovirus_offsets_are_realigned_on_the_name(tmp_path: Path) -> None:
    path = tmp_path / "GeoVirus.xml"
    path.write_text(
        "<articles><article><source>s</source><text>Hogs culled in Pandi, Bulacan.</text><locations>"
        "<location><name>Pandi</name><start>16</start><end>21</end><lat>14.87</lat><lon>120.95</lon></location>"
        "</locations></article></articles>",
        encoding="utf-8",
    )
    (doc,) = read_geovirus(path)
    (t,) = doc.toponyms
    assert (t.start, t.end, t.text, t.lat) == (15, 20, "Pandi", 14.87)


def test_hipe_rebuilds_text_and_metonymic_spans(tmp_path: Path) -> None:
    path = tmp_path / "HIPE-data-v1.4-test-fr.tsv"
    rows = [
        "TOKEN\tNE-COARSE-LIT\tNE-COARSE-METO\tNE-FINE-LIT\tNE-FINE-METO\tNE-FINE-COMP\tNE-NESTED\tNEL-LIT\tNEL-METO\tMISC",
        "# language = fr",
        "# date = 1888-08-03",
        "# document_id = D1",
        "Berne\tB-loc\tB-org\t_\t_\t_\t_\t_\t_\t_",
        "a\tO\tO\t_\t_\t_\t_\t_\t_\t_",
        "répondu\tO\tO\t_\t_\t_\t_\t_\t_\tNoSpaceAfter",
        ".\tO\tO\t_\t_\t_\t_\t_\t_\t_",
        "La\tO\tO\t_\t_\t_\t_\t_\t_\t_",
        "Chaux\tB-loc\tO\t_\t_\t_\t_\t_\t_\tNoSpaceAfter",
        "-\tI-loc\tO\t_\t_\t_\t_\t_\t_\tNoSpaceAfter",
        "de\tI-loc\tO\t_\t_\t_\t_\t_\t_\tNoSpaceAfter",
        "-\tI-loc\tO\t_\t_\t_\t_\t_\t_\tNoSpaceAfter",
        "Fonds\tI-loc\tO\t_\t_\t_\t_\t_\t_\tEndOfLine",
        "brûle\tO\tO\t_\t_\t_\t_\t_\t_\t_",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (doc,) = read_hipe(path)
    assert doc.id == "D1" and doc.text == "Berne a répondu. La Chaux-de-Fonds brûle "
    assert [(t.text, t.kind) for t in doc.toponyms] == [("Berne", "Metonymic"), ("Chaux-de-Fonds", "Literal")]


def test_idrisi_reads_dev_files_only(tmp_path: Path) -> None:
    event = tmp_path / "beirut_explosion_2020"
    event.mkdir()
    record = {"tweet_id": "7", "text": "انفجار في مرفأ بيروت", "location_mentions": [
        {"text": "بيروت", "type": "City/town", "start_offset": "15", "end_offset": "20",
         "osm_json": {"lat": "33.89", "lon": "35.50", "extratags": {"geonames:id": "276781"}}}]}  # fmt: skip
    (event / "dev.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (event / "train.jsonl").write_text(json.dumps(record | {"tweet_id": "8"}) + "\n", encoding="utf-8")
    (doc,) = read_idrisi(tmp_path)
    (t,) = doc.toponyms
    assert (doc.id, t.text, t.kind, t.lat, t.geonames_id) == ("beirut_explosion_2020/7", "بيروت", "City/town", 33.89,
                                                                 "276781")  # fmt: skip
