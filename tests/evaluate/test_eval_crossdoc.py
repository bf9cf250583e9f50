"""Cross-document harnesses on hand-made miniature folders: real ingest, store and fusion, a scripted extractor,
and every score worked out by hand in the comments."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from eventwatch import pipeline
from eventwatch.evaluate.coref import clustering_scores
from eventwatch.evaluate.sets import get_set
from eventwatch.evaluate.sets.base import SetContext
from eventwatch.evaluate.sets.crossdoc import (
    _limit_by_incident,
    casualty_values,
    outlet_of,
    read_gvc,
    run_ecbplus,
    run_gvc,
    run_semeval,
    single_link,
    with_document_links,
)
from eventwatch.model import Event, Report, ReportAnalysis, Span

SCRIPT: dict[str, list[dict[str, object]]] = {}


def scripted(report: Report) -> ReportAnalysis:
    for key, events in SCRIPT.items():
        if key in report.text:
            out = []
            for kw in events:
                e = Event(report_id=report.id, **kw)  # type: ignore[arg-type]
                start = report.text.index(key)
                e.spans = {"event_type": [Span(report.id, start, start + len(key))]}
                e.notes = key
                e.id = ""
                e.__post_init__()
                out.append(e)
            return ReportAnalysis(report_id=report.id, events=out)
    return ReportAnalysis(report_id=report.id)


@pytest.fixture(autouse=True)
def scripted_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    SCRIPT.clear()
    monkeypatch.setattr(pipeline, "process_report", scripted)


SPRINGFIELD = {"location": "Springfield", "admin1": "Ohio", "country": "United States", "iso": "US",
               "latitude": 39.924, "longitude": -83.809, "geo_precision": 1}  # fmt: skip
TULSA = {"location": "Tulsa", "admin1": "Oklahoma", "country": "United States", "iso": "US",
         "latitude": 36.154, "longitude": -95.993, "geo_precision": 1}  # fmt: skip
ATTACK = {"event_type": "Violence against civilians", "sub_event_type": "Attack", "time_precision": 1,
          "actor1": "Unidentified Armed Group (United States)", "actor2": "Civilians (United States)"}  # fmt: skip


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _gvc_folder(tmp: Path) -> Path:
    folder = tmp / "gvc"
    folder.mkdir()
    a = "A gunman shot two brothers dead outside a Springfield bar on Tuesday night."
    b = "Two men were killed and one hurt when shots were fired at a Tulsa gas station."
    docs = [
        ("d1", a + " Police are looking for the gunman.", "2016-01-06"),
        ("d2", a + " Their mother spoke at a vigil.", "2016-01-07"),
        ("d3", "A vigil was held for the Springfield brothers.", "2016-01-20"),  # no event: a singleton
        ("d4", b + " One victim died.", "2016-03-02"),
        ("d5", b + " Three were hurt, police said.", "2016-03-02"),  # another incident, wrongly joined to d4's
    ]
    _write_jsonl(folder / "documents.jsonl", [
        {"doc_id": d, "title": f"story {d}", "dct": dct, "url": f"http://web.archive.org/web/2016/http://www.news{d}.com/x",
         "text": text} for d, text, dct in docs])  # fmt: skip
    (folder / "gold_doc_incident.csv").write_text(
        "doc_id,incident_id,split\nd1,A,test\nd2,A,test\nd3,A,test\nd4,B,train\nd5,C,train\n", encoding="utf-8"
    )
    _write_jsonl(folder / "gold_incidents.jsonl", [
        {"incident_id": "A", "has_gva_record": True, "num_killed": 2, "num_injured": 0},
        {"incident_id": "B", "has_gva_record": True, "num_killed": 1, "num_injured": 1},
        {"incident_id": "C", "has_gva_record": True, "num_killed": 0, "num_injured": 3},
    ])  # fmt: skip
    SCRIPT[a] = [{**ATTACK, **SPRINGFIELD, "event_date": date(2016, 1, 5), "fatalities_best": 2}]
    SCRIPT[b] = [{**ATTACK, **TULSA, "event_date": date(2016, 3, 1), "fatalities_best": 1, "injured_best": 1}]
    return folder


def test_gvc_end_to_end_on_a_miniature(tmp_path: Path) -> None:
    folder = _gvc_folder(tmp_path)
    # d4 and d5 share their scripted text, so both carry the same event: predicted {d1,d2} {d3} {d4,d5}.
    result = run_gvc(SetContext(folder=folder))
    table = result.table("GVC all")
    ew = table.row("eventwatch").values
    # Gold {d1,d2,d3} {d4} {d5}: pairs gold 3, predicted 2, shared 1 (d1–d2).
    assert (ew["pair_p"], ew["pair_r"]) == pytest.approx((1 / 2, 1 / 3))
    expected = clustering_scores([frozenset({"d1", "d2", "d3"}), frozenset({"d4"}), frozenset({"d5"})],
                                 [frozenset({"d1", "d2"}), frozenset({"d3"}), frozenset({"d4", "d5"})])  # fmt: skip
    assert ew["conll_f1"] == pytest.approx(expected["conll_f1"])
    assert ew["clusters"] == 3
    single = table.row("all singletons").values
    assert (single["b3_p"], single["b3_r"]) == pytest.approx((1.0, (3 * 1 / 3 + 1 + 1) / 5))
    test = result.table("GVC test")
    assert test.n == 3 and test.row("eventwatch").values["pair_r"] == pytest.approx(1 / 3)
    counts = result.table("GVC all: killed").row("eventwatch").values
    # A → {d1,d2} (2 of its 3 documents): 2 killed, 0 injured, both right. B → {d4,d5}: 1 killed; injured 1
    # (d4's 1 and d5's 1). C → {d4,d5} as well: killed 1 ≠ 0, injured 1 ≠ 3.
    assert (counts["killed_exact"], counts["injured_exact"]) == pytest.approx((2 / 3, 2 / 3))
    assert (counts["killed_mae"], counts["injured_mae"]) == pytest.approx((1 / 3, 2 / 3))
    # Totals over the predicted incidents the documents map to, each once: 2 + 1 killed, 0 + 1 injured.
    assert (counts["killed_total"], counts["injured_total"]) == (3.0, 1.0)
    gold = result.table("GVC all: killed").row("gold (GVA records)").values
    assert (gold["killed_total"], gold["injured_total"]) == (3.0, 4.0)
    tfidf = table.row("tfidf single-link")
    assert "tuned on GVC train + dev" in tfidf.note


def test_casualties_match_by_majority_and_count_missing_figures_as_zero() -> None:
    gold_docs = {"a1": "A", "a2": "A", "a3": "A", "b1": "B"}
    pred = {"a1": "x", "a2": "y", "a3": "y", "b1": "y"}
    values = casualty_values(gold_docs, {"A": (1, 0), "B": (0, 2)}, pred, {"x": (5, None), "y": (1, None)})
    # A → y (2 of 3 documents): killed 1 ✓, injured 0 ✓; B → y: killed 1 ✗ (0), injured 0 ✗ (2).
    assert values["killed_exact"] == 0.5 and values["injured_exact"] == 0.5
    assert values["killed_mae"] == 0.5 and values["injured_mae"] == 1.0
    assert values["killed_total"] == 6.0  # x and y, each once


def test_limit_keeps_whole_incidents(tmp_path: Path) -> None:
    data = read_gvc(_gvc_folder(tmp_path))
    limited = _limit_by_incident(data, 1)
    assert [d.doc_id for d in limited.docs] == ["d1", "d2", "d3"]


def test_outlet_and_single_link() -> None:
    assert outlet_of("http://web.archive.org/web/20151017184847/http://abc7chicago.com:80/news/x/") == "abc7chicago.com"
    assert outlet_of("https://www.wral.com/story") == "wral.com"
    assert outlet_of(None) is None
    assert single_link(5, [(0, 2), (2, 4)]) == [0, 1, 0, 3, 0]


def test_ecbplus_scores_test_topics_against_subtopics(tmp_path: Path) -> None:
    folder = tmp_path / "ecbplus"
    folder.mkdir()
    quake = "An earthquake of magnitude 6.1 struck Aceh"
    docs = {"36_1ecb": quake + " on Tuesday .", "36_2ecb": quake + " , killing two .",
            "36_1ecbplus": "A 6.1 quake hit Papua .", "1_1ecb": "Tara Reid entered rehab ."}  # fmt: skip
    _write_jsonl(folder / "documents.jsonl", [{"doc_id": k, "text": v} for k, v in docs.items()])
    (folder / "gold_doc_subtopic.csv").write_text(
        "doc_id,topic,subtopic,split\n36_1ecb,36,36_ecb,test\n36_2ecb,36,36_ecb,test\n"
        "36_1ecbplus,36,36_ecbplus,test\n1_1ecb,1,1_ecb,train\n",
        encoding="utf-8",
    )
    SCRIPT[quake] = [{**ATTACK, **SPRINGFIELD, "event_date": date(2013, 7, 2)}]
    result = run_ecbplus(SetContext(folder=folder))
    sub = result.table("ECB+ test topics: documents → sub-topic")
    assert sub.n == 3
    assert sub.row("eventwatch").values["conll_f1"] == pytest.approx(1.0)  # {1ecb, 2ecb} {1ecbplus}
    # One cluster per topic puts the two sub-topics together: pairwise P 1/3, R 1.
    topic = sub.row("one cluster per topic").values
    assert (topic["pair_p"], topic["pair_r"]) == pytest.approx((1 / 3, 1.0))
    assert result.table("ECB+ test topics: documents → topic").row("one cluster per topic").values["conll_f1"] == 1


def test_semeval_counts_fused_incidents(tmp_path: Path) -> None:
    gva = tmp_path / "gva-incidents"
    gva.mkdir()
    folder = tmp_path / "semeval2018-task5"
    folder.mkdir()
    shot = "A man was shot dead in Springfield on Tuesday."
    _write_jsonl(gva / "documents.jsonl", [
        {"doc_id": "p1", "dct": "2017-01-11", "text": shot + " Police have no suspect."},
        {"doc_id": "p2", "dct": "2017-01-12", "text": shot + " A vigil is planned."},
        {"doc_id": "p3", "dct": "2017-02-01", "text": "John Smith was wounded in Tulsa."},
        {"doc_id": "other", "dct": "2017-02-01", "text": "Not in the pool."},
    ])  # fmt: skip
    (folder / "s2_pool_doc_ids.txt").write_text("p1\np2\np3\n", encoding="utf-8")
    (folder / "s2_questions.json").write_text(json.dumps({
        "2-1": {"event_type": "killing", "location": {"state": "http://dbpedia.org/resource/Ohio"},
                "time": {"month": "01/2017"}, "subtask": 2},
        "2-2": {"event_type": "injuring", "participant": {"last": "Smith"}, "time": {"year": "2017"}, "subtask": 2},
    }), encoding="utf-8")  # fmt: skip
    (folder / "s2_answers.json").write_text(json.dumps({
        "2-1": {"numerical_answer": 1, "answer_docs": {"1": ["p1", "p2"]}},
        "2-2": {"numerical_answer": 1, "answer_docs": {"2": ["p3"]}},
    }), encoding="utf-8")  # fmt: skip
    SCRIPT[shot] = [{**ATTACK, **SPRINGFIELD, "event_date": date(2017, 1, 10), "fatalities_best": 1}]
    result = run_semeval(SetContext(folder=folder))
    table = result.table("Subtask 2")
    ew = table.row("eventwatch").values
    # Q1: p1 + p2 fused into one Ohio killing in 01/2017 → 1 ✓ (documents exact: F1 1). Q2: p3 has no event, so
    # no injuring incident names Smith → 0 ✗ (F1 0). RMSE √((0 + 1) / 2).
    assert ew["accuracy"] == 0.5 and ew["rmse"] == pytest.approx(0.5**0.5) and ew["doc_f1"] == 0.5
    nofuse = table.row("eventwatch extraction, no fusion").values
    # Without fusion Q1 counts p1 and p2 apart (2 ✗): accuracy 0, RMSE √((1 + 1) / 2) = 1.
    assert nofuse["accuracy"] == 0.0 and nofuse["rmse"] == pytest.approx(1.0)
    assert "469" not in table.caption and "2-question subset" in table.caption


def test_crossdoc_sets_are_registered() -> None:
    for name in ("gvc", "gva-incidents", "ecbplus", "semeval2018-task5"):
        assert get_set(name).run is not None
    assert get_set("gva-incidents").quick_limit is not None


def test_document_links_group_documents_alone_in_their_incident() -> None:
    from eventwatch.evaluate.sets.crossdoc import Doc, Fused

    launch = "Apple unveiled the new MacBook Air at the Macworld keynote in San Francisco on Tuesday ."
    docs = [
        Doc("a", launch),
        Doc("b", launch + " Jobs did not appear ."),
        Doc("c", "Tara Reid entered rehab ."),
        Doc("x", "Gunmen shot two people in Springfield ."),
        Doc("y", "Gunmen shot two people in Springfield ."),
    ]
    clusters = {"a": "doc:a", "b": "doc:b", "c": "doc:c", "x": "inc1", "y": "inc1"}
    out = with_document_links(Fused({}, {}, [], {}), docs, clusters)
    assert out["a"] == out["b"] != out["c"]  # one story; the unrelated document stays alone
    assert out["x"] == out["y"] == "inc1"  # incidents as fusion made them
