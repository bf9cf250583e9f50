"""The gold-set harnesses on hand-made miniature folders with a scripted pipeline: every number by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwatch import pipeline
from eventwatch.evaluate.cli import run_sets_cli
from eventwatch.evaluate.sets import SETS, get_set
from eventwatch.evaluate.sets.base import SetContext, binary_prf, label_scores
from eventwatch.evaluate.sets.classify import run_arabic_gsr, run_case2021, run_india_police
from eventwatch.model import Event, Report, ReportAnalysis, Span

# Text fragment → events the scripted pipeline returns for a report containing it.
SCRIPT: dict[str, list[dict[str, object]]] = {}


def scripted(report: Report) -> ReportAnalysis:
    for key, events in SCRIPT.items():
        if key in report.text:
            return ReportAnalysis(report_id=report.id, events=[Event(report_id=report.id, **kw) for kw in events])  # type: ignore[arg-type]
    return ReportAnalysis(report_id=report.id)


@pytest.fixture(autouse=True)
def scripted_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    SCRIPT.clear()
    monkeypatch.setattr(pipeline, "process_report", scripted)


def test_label_scores_by_hand() -> None:
    gold = ["A", "A", "B", "C"]
    pred = ["A", "B", "B", "(none)"]
    s = label_scores(gold, pred, ["A", "B", "C"])
    # A: P 1, R 1/2 → F1 2/3; B: P 1/2, R 1 → 2/3; C: 0. Macro (2/3 + 2/3 + 0) / 3; weighted by support 2, 1, 1.
    assert s["accuracy"] == pytest.approx(2 / 4)
    assert s["macro_f1"] == pytest.approx(4 / 9)
    assert s["weighted_f1"] == pytest.approx((2 / 3 * 2 + 2 / 3) / 4)
    # Without a label list, "(none)" is a class of its own (F1 0), as in scikit-learn.
    assert label_scores(gold, pred)["macro_f1"] == pytest.approx(4 / 12)


def test_binary_prf_by_hand() -> None:
    # tp 2 (rows 0, 1), fp 1 (row 3), fn 1 (row 2): P 2/3, R 2/3.
    s = binary_prf([True, True, True, False, False], [True, True, False, True, False])
    assert s == pytest.approx({"precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3})
    assert binary_prf([False], [False]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def _case_folder(tmp: Path) -> Path:
    folder = tmp / "case2021-task2"
    folder.mkdir()
    (folder / "label_map.csv").write_text(
        "code,acled_sub_event_type,acled_event_type,first_subtask\n"
        "ARMED_CLASH,Armed clash,Battles,1\n"
        "AIR_STRIKE,Air/drone strike,Explosions/Remote violence,1\n"
        "PEACE_PROTEST,Peaceful protest,Protests,1\n"
        "NATURAL_DISASTER,(none: unseen type Natural disaster),(none),2\n",
        encoding="utf-8",
    )
    (folder / "test_shared.tsv").write_text(
        "id\tEventSnippet\tSubType\n"
        "1\tRebels clashed with the army near the border.\tARMED_CLASH\n"
        "2\tJets bombed a market in the north.\tAIR_STRIKE\n"
        "3\tHundreds marched peacefully downtown.\tPEACE_PROTEST\n"
        "4\tAn earthquake flattened three villages.\tNATURAL_DISASTER\n",
        encoding="utf-8",
    )
    return folder


def test_case2021_subtask1_and_unseen_types(tmp_path: Path) -> None:
    SCRIPT["Rebels clashed"] = [{"event_type": "Battles", "sub_event_type": "Armed clash", "confidence": 0.9}]
    # The background mention must not be the answer; the real event is the air strike, mistyped as a clash.
    SCRIPT["Jets bombed"] = [
        {"event_type": "Protests", "sub_event_type": "Peaceful protest", "background": True},
        {"event_type": "Battles", "sub_event_type": "Armed clash", "confidence": 0.5},
    ]
    SCRIPT["earthquake"] = [{"event_type": "Battles", "sub_event_type": "Armed clash"}]
    result = run_case2021(SetContext(folder=_case_folder(tmp_path), baselines=False, keep_errors=True))
    t1 = result.tables[0]
    assert t1.n == 3
    # Answers: ARMED_CLASH ✓, ARMED_CLASH ✗ (gold AIR_STRIKE), no event ✗ (gold PEACE_PROTEST).
    # ARMED_CLASH P 1/2 R 1 → 2/3; AIR_STRIKE 0; PEACE_PROTEST 0 → macro 2/9, weighted (2/3·1)/3.
    values = t1.row("eventwatch").values
    assert values["accuracy"] == pytest.approx(1 / 3)
    assert values["macro_f1"] == pytest.approx(2 / 9)
    assert values["weighted_f1"] == pytest.approx(2 / 9)
    assert values["no_event"] == pytest.approx(1 / 3)
    assert t1.value("best system (Haneczok et al. 2021)", "weighted_f1") == pytest.approx(0.839)
    unseen = result.tables[1].row("eventwatch").values
    assert unseen == {"no_event": 0.0, "top_answer": "ARMED_CLASH ×1"}
    assert [e["ok"] for e in result.errors] == [True, False, False, False]


def test_arabic_detection_drops_ambiguous_and_counts_hard_negatives(tmp_path: Path) -> None:
    folder = tmp_path / "arabic-event-gsr"
    folder.mkdir()
    header = ",accept,event_type,id,label,reject,text,total\n"
    (folder / "protest_gsr.csv").write_text(
        header + "0,5,PROTEST,p1,yes,0,تظاهر المئات في تونس,5\n"
        "1,0,PROTEST,p2,easy no,5,قال الوزير إن الاقتصاد ينمو,5\n"
        "2,1,PROTEST,p3,difficult no,4,دعا الحزب إلى التظاهر غدا,5\n"
        "3,2,PROTEST,p4,ambiguous,1,نص غامض,3\n",
        encoding="utf-8",
    )
    (folder / "assault_gsr.csv").write_text(header + "0,5,ASSAULT,a1,yes,0,قتل مسلحون ثلاثة مدنيين,5\n", "utf-8")
    SCRIPT["تظاهر المئات"] = [{"event_type": "Protests", "sub_event_type": "Peaceful protest"}]
    SCRIPT["دعا الحزب"] = [{"event_type": "Protests", "sub_event_type": "Peaceful protest"}]
    result = run_arabic_gsr(SetContext(folder=folder))
    protest = result.tables[0]
    assert protest.n == 3  # the ambiguous row is dropped
    # tp p1, fp p3 (a call to protest tomorrow: a hard negative), tn p2 → P 1/2, R 1.
    assert protest.row("eventwatch").values == pytest.approx(
        {"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "hard_negative_fp": 1.0}
    )
    assert protest.row("all positive").values["precision"] == pytest.approx(1 / 3)
    assault = result.tables[1]
    assert assault.row("eventwatch").values["recall"] == 0.0  # nothing extracted for a1


def test_india_police_maps_events_to_the_sentences_stating_their_fact(tmp_path: Path) -> None:
    folder = tmp_path / "indiapoliceevents"
    folder.mkdir()
    text = "Police opened fire on a mob, killing two. Later 14 people were arrested. Shops stayed shut."
    (folder / "metadata.csv").write_text(
        f',doc_id,date,url,full_text\n0,7,2002-03-02,http://x,"{text}"\n', encoding="utf-8"
    )
    (folder / "sents.csv").write_text(
        ",doc_id,sent_id,sent_text,KILL,ARREST,ANY_ACTION,FAIL,FORCE\n"
        '0,7,0,"Police opened fire on a mob, killing two.",1,0,1,0,1\n'
        "1,7,1,Later 14 people were arrested.,0,1,1,0,0\n"
        "2,7,2,Shops stayed shut.,0,0,0,0,0\n",
        encoding="utf-8",
    )
    second = text.index("Later")
    whole = [Span("r", 0, len(text))]  # the event's frame: every sentence, which must not all count
    SCRIPT["Police opened fire"] = [
        # Trigger and count of the dead in sentence 0: police (inter 1) killing two → KILL there only.
        {"event_type": "Violence against civilians", "sub_event_type": "Attack", "inter1": 1, "fatalities_best": 2,
         "spans": {"notes": whole, "event_type": [Span("r", 0, 18)], "fatalities_best": [Span("r", 29, 40)]}},
        # An arrest event whose trigger and count are in sentence 1 → ARREST there.
        {"event_type": "Strategic developments", "sub_event_type": "Arrests", "inter1": 1, "detained_best": 14,
         "spans": {"notes": whole, "event_type": [Span("r", second + 21, second + 29)],
                   "detained_best": [Span("r", second + 6, second + 8)]}},
    ]  # fmt: skip
    result = run_india_police(SetContext(folder=folder))
    kill, arrest = result.tables
    assert kill.row("eventwatch").values == pytest.approx({"precision": 1.0, "recall": 1.0, "f1": 1.0, "doc_f1": 1.0})
    assert arrest.row("eventwatch").values["f1"] == 1.0
    # The keyword baseline: sentence 0 names police and killing ✓; "arrested" ✓ in sentence 1.
    assert kill.row("keyword").values["f1"] == 1.0 and arrest.row("keyword").values["f1"] == 1.0
    assert result.warnings == []


def test_sets_cli_skips_absent_folders_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "eval").mkdir()
    _case_folder(tmp_path / "eval")
    errors = tmp_path / "items.jsonl"
    assert run_sets_cli(["case2021-task2", "plover-gsr"], shared=tmp_path, as_json=True, errors=errors) == 0
    captured = capsys.readouterr()
    (case,) = json.loads(captured.out)
    assert case["set"] == "case2021-task2" and case["tables"][0]["n"] == 3
    err = " ".join(captured.err.split())  # rich wraps long lines
    assert "plover-gsr: skipped" in err and "plover-gsr is absent" in err
    assert len(errors.read_text(encoding="utf-8").splitlines()) == 4
    assert run_sets_cli(["nope"], shared=tmp_path) == 2
    assert run_sets_cli(["plover-gsr"], shared=tmp_path) == 2  # nothing present at all


def test_registry_names_are_unique_and_resolvable() -> None:
    names = [s.name for s in SETS]
    assert len(names) == len(set(names))
    assert all(get_set(n).name == n for n in names)
    with pytest.raises(KeyError):
        get_set("no-such-set")
