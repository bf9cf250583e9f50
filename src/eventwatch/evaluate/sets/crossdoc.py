"""Cross-document sets: document → incident clustering, counting per incident, and incident-counting questions.

``gvc``, ``gva-incidents``, ``ecbplus`` and ``semeval2018-task5`` are scored as their READMEs in
``../shared/eval/<folder>/`` say. eventwatch runs end to end on each: the documents are written as a JSON Lines
feed (``text``, ``title``, ``url``, ``source`` = the article's host, ``published_at`` = its ``dct``), read by the
ingest reader into a fresh temporary SQLite store, extracted (``pipeline.process_report``; analyses of identical
reports are reused between sets of one run, since a report's analysis is a pure function of the report), fused with
the incremental path ``eventwatch ingest`` uses (``runner.fuse_events``), and the incidents read back from the store.

**A document's incident** is the incident that holds most of the document's news (non-background) events, ties to
the one holding more of its events, then to the one more reports share (the story other outlets tell), then to the
most confident event's. A document with no event in any incident is an incident of its own. Counts per incident
are the incident's ``fatalities_best`` / ``injured_best``; no figure counts as 0 (GVA writes 0 where nobody was
hurt).

**ECB+** is mostly not conflict news (earthquakes, product launches, TV shows: 121 of the 210 test documents give
no event) and carries no publication dates (undated events never link across reports: the follow-up window needs
a date), so the plain row leaves most documents alone in their incident, as eventwatch should: it makes incidents
of conflict events only. A second row, ``eventwatch + document links``, scores the document grouping the fuse
stage's own document evidence gives those documents (doc-vector cosine ≥ ``DOC_LINK``, set on GVC train + dev;
see :func:`with_document_links`); incidents are left as fusion made them.

Baselines in the same run: all-singletons, one cluster per topic (ECB+, where topics exist), and TF-IDF cosine
single-link clustering (title + text, threshold chosen on the README's train/dev documents only, never on the
scored split). The tuned threshold and the split it came from are printed under each table.
"""

from __future__ import annotations

import csv
import json
import math
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from eventwatch.evaluate.coref import clustering_scores
from eventwatch.evaluate.sets.base import (
    SYSTEM,
    SetContext,
    SetResult,
    SetTable,
    SystemRow,
    analyse,
    goal,
    published,
    timed,
)
from eventwatch.model import Event, Incident, Report, ReportAnalysis

CLUSTER_METRICS = [
    ("conll_f1", "CoNLL F1"),
    ("muc_f1", "MUC F1"),
    ("b3_p", "B³ P"),
    ("b3_r", "B³ R"),
    ("b3_f1", "B³ F1"),
    ("ceafe_f1", "CEAF-e F1"),
    ("pair_p", "pairwise P"),
    ("pair_r", "pairwise R"),
    ("pair_f1", "pairwise F1"),
    ("clusters", "incidents"),
]
COUNT_METRICS = [
    ("killed_exact", "killed exact"),
    ("killed_mae", "killed MAE"),
    ("injured_exact", "injured exact"),
    ("injured_mae", "injured MAE"),
    ("killed_total", "killed total"),
    ("injured_total", "injured total"),
]
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 19))  # TF-IDF cosine 0.10 … 0.90


# --- documents and gold -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Doc:
    doc_id: str
    text: str
    title: str | None = None
    dct: str | None = None  # ISO date
    url: str | None = None


def read_docs(path: Path) -> list[Doc]:
    docs: list[Doc] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                docs.append(Doc(str(r["doc_id"]), r["text"], r.get("title"), r.get("dct"), r.get("url")))
    return docs


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def outlet_of(url: str | None) -> str | None:
    """The publisher's host of an (archive.org) URL: ``web.archive.org/web/2015…/http://abc7chicago.com:80/…``."""
    if not url:
        return None
    inner = re.search(r"/web/\d+[a-z_]*/(.+)$", url)
    target = inner.group(1) if inner else url
    if "://" not in target:
        target = "http://" + target
    host = urlparse(target).hostname or ""
    host = host.removeprefix("www.")
    return host or None


# --- running eventwatch end to end --------------------------------------------------------------------------

_MEMO: dict[str, ReportAnalysis] = {}
_MEMO_OWNER: list[Callable[[Report], ReportAnalysis]] = []
MEMO_SIZE = 8000


def _memo() -> dict[str, ReportAnalysis]:
    """Analyses by report id, reused between the sets of one run; dropped when the pipeline function changes."""
    from eventwatch import pipeline

    if not _MEMO_OWNER or _MEMO_OWNER[0] is not pipeline.process_report:
        _MEMO.clear()
        _MEMO_OWNER[:] = [pipeline.process_report]
    return _MEMO


@dataclass(slots=True)
class Fused:
    """What one end-to-end run left in the store, keyed for scoring."""

    report_of: dict[str, str]  # doc id → report id
    events: dict[str, list[Event]]  # report id → its events (in extraction order)
    incidents: list[Incident]
    incident_of_event: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, Incident]:
        return {i.id: i for i in self.incidents}


def _feed_line(doc: Doc) -> str:
    record: dict[str, Any] = {"text": doc.text, "language": "en"}
    if doc.title:
        record["title"] = doc.title
    if doc.url:
        record["url"] = doc.url
    outlet = outlet_of(doc.url)
    if outlet:
        record["source"] = outlet
    if doc.dct:
        record["published_at"] = doc.dct
    return json.dumps(record, ensure_ascii=False)


def run_eventwatch(docs: Sequence[Doc], ctx: SetContext, label: str = SYSTEM, *, batches: int = 1) -> Fused:
    """Ingest ``docs`` (in this order, in ``batches`` successive ingests) into a fresh store, extract, fuse, read
    back. Each batch is fused incrementally before the next is ingested, as ``eventwatch ingest`` does."""
    from eventwatch.ingest import read_path
    from eventwatch.runner import fuse_events
    from eventwatch.store import SQLiteStore

    seconds: dict[str, float] = defaultdict(float)
    rejected: list[str] = []
    errors: list[str] = []
    report_of: dict[str, str] = {}
    memo = _memo()
    size = max(1, math.ceil(len(docs) / batches))
    with tempfile.TemporaryDirectory(prefix="eventwatch-eval-") as tmp:
        store = SQLiteStore(Path(tmp) / "eval.db")
        try:
            for b in range(0, len(docs), size):
                chunk = docs[b : b + size]
                feed = Path(tmp) / f"feed-{b}.jsonl"
                feed.write_text("".join(_feed_line(d) + "\n" for d in chunk), encoding="utf-8")
                started = time.perf_counter()
                reports: list[Report] = []
                for item in read_path(feed):
                    if isinstance(item, Report):
                        reports.append(item)
                    else:
                        rejected.append(item.message())
                by_line = {r.raw_locator: r for r in reports}
                for n, doc in enumerate(chunk, start=1):
                    if f"line {n}" in by_line:
                        report_of[doc.doc_id] = by_line[f"line {n}"].id
                store.add_reports(reports)
                seconds["ingest"] += time.perf_counter() - started
                started = time.perf_counter()
                todo = list({r.id: r for r in reports if r.id not in memo}.values())
                for report, analysis in zip(todo, analyse(todo, ctx, label), strict=True):
                    if isinstance(analysis, Exception):
                        errors.append(f"{type(analysis).__name__}: {analysis}")
                        analysis = ReportAnalysis(report_id=report.id)
                    if len(memo) < MEMO_SIZE:
                        memo[report.id] = analysis
                    else:
                        store.save_analyses([analysis])
                store.save_analyses([memo[r.id] for r in reports if r.id in memo])
                seconds["extract"] += time.perf_counter() - started
                started = time.perf_counter()
                with ctx.progress.step(f"{label}: fusing {len(chunk):,} reports"):
                    fuse_events(store)
                seconds["fuse"] += time.perf_counter() - started
            events: dict[str, list[Event]] = defaultdict(list)
            for event in store.iter_events():
                events[event.report_id].append(event)
            incidents = list(store.iter_incidents())
        finally:
            store.close()
    incident_of_event = {eid: inc.id for inc in incidents for eid in inc.event_ids}
    return Fused(report_of, dict(events), incidents, incident_of_event, dict(seconds), rejected, errors)


def document_incidents(fused: Fused, docs: Iterable[Doc]) -> dict[str, str]:
    """doc id → cluster label: its incident's id (see the module docstring), else ``doc:<id>``."""
    by_id = fused.by_id
    out: dict[str, str] = {}
    for doc in docs:
        rid = fused.report_of.get(doc.doc_id)
        events = fused.events.get(rid or "", [])
        tally: dict[str, list[float]] = {}
        for e in events:
            iid = fused.incident_of_event.get(e.id)
            if iid is None:
                continue
            t = tally.setdefault(iid, [0.0, 0.0, 0.0, 0.0])
            t[0] += not e.background
            t[1] += 1
            t[2] = len(by_id[iid].report_ids) if iid in by_id else 0
            t[3] = max(t[3], e.confidence)
        if tally:
            out[doc.doc_id] = max(sorted(tally), key=lambda iid: tuple(tally[iid]))
        else:
            out[doc.doc_id] = f"doc:{doc.doc_id}"
    return out


def with_document_links(fused: Fused, docs: Sequence[Doc], clusters: Mapping[str, str]) -> dict[str, str]:
    """``clusters`` with the documents that share their incident with no other document (no conflict event; or
    only undated events, which never link across reports) grouped by the fuse stage's own document evidence:
    single-link over
    :func:`eventwatch.fuse.text.doc_vector` cosine ≥ :data:`eventwatch.fuse.link.DOC_LINK` (the threshold set on
    GVC train + dev); each such group then joins the incident whose document it is most similar to (≥ DOC_LINK),
    if any. Incidents stay as fusion made them: a group never merges two incidents."""
    from eventwatch.fuse.link import DOC_LINK
    from eventwatch.fuse.text import cosine, doc_vector

    ids = [d.doc_id for d in docs]
    vectors = [doc_vector(_doc_text(d)) for d in docs]
    size = Counter(clusters[doc_id] for doc_id in ids)
    orphans = [i for i, doc_id in enumerate(ids) if size[clusters[doc_id]] == 1]
    placed = [i for i, doc_id in enumerate(ids) if size[clusters[doc_id]] > 1]
    pairs = [(a, b) for n, a in enumerate(orphans) for b in orphans[:n] if cosine(vectors[a], vectors[b]) >= DOC_LINK]
    labels = single_link(len(ids), pairs)
    best: dict[int, tuple[float, str]] = {}  # group → (similarity, incident label) of its closest incident document
    for a in orphans:
        for b in placed:
            sim = cosine(vectors[a], vectors[b])
            if sim >= DOC_LINK and (labels[a] not in best or (sim, clusters[ids[b]]) > best[labels[a]]):
                best[labels[a]] = (sim, clusters[ids[b]])
    out = dict(clusters)
    for a in orphans:
        out[ids[a]] = best[labels[a]][1] if labels[a] in best else f"story:{ids[labels[a]]}"
    return out


# --- baselines ------------------------------------------------------------------------------------------------


def _doc_text(doc: Doc) -> str:
    return f"{doc.title}\n{doc.text}" if doc.title else doc.text


def tfidf_similarities(docs: Sequence[Doc]) -> Any | str:
    """Cosine similarities of TF-IDF vectors (sublinear tf, English stop words) as a sparse matrix, or why not."""
    import importlib.util

    if importlib.util.find_spec("sklearn") is None:
        return "needs scikit-learn (pip install -e '.[bench]')"
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(
        [_doc_text(d) for d in docs]
    )
    return (matrix @ matrix.T).tocoo()


def single_link(n: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    """Connected components of ``n`` items under ``pairs``: a component label per item (its smallest member)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def threshold_clusters(docs: Sequence[Doc], sims: Any, threshold: float) -> dict[str, str]:
    keep = (sims.data >= threshold) & (sims.row < sims.col)
    labels = single_link(len(docs), zip(sims.row[keep].tolist(), sims.col[keep].tolist(), strict=True))
    return {d.doc_id: f"tfidf:{labels[i]}" for i, d in enumerate(docs)}


def tune_threshold(docs: Sequence[Doc], gold: Mapping[str, Hashable]) -> tuple[float, float] | str:
    """(threshold, CoNLL F1) maximising CoNLL F1 of TF-IDF single-link clustering on ``docs`` (tuning docs only)."""
    sims = tfidf_similarities(docs)
    if isinstance(sims, str):
        return sims
    best: tuple[float, float] | None = None
    for t in THRESHOLDS:
        f1 = score_partition(gold, threshold_clusters(docs, sims, t))["conll_f1"]
        if best is None or f1 > best[1]:
            best = (t, f1)
    assert best is not None
    return best


def score_partition(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> dict[str, float]:
    """Clustering scores of ``pred`` over the items of ``gold``."""
    from eventwatch.evaluate.coref import partition

    items = set(gold)
    return clustering_scores(partition(dict(gold)), partition({k: v for k, v in pred.items() if k in items}))


def _values(scores: Mapping[str, float]) -> dict[str, float | str | None]:
    return {k: scores[k] for k, _ in CLUSTER_METRICS if k in scores}


# --- casualties -----------------------------------------------------------------------------------------------


def casualty_values(
    gold_docs: Mapping[str, str],  # doc id → gold incident id
    gold_counts: Mapping[str, tuple[int, int]],  # gold incident id → (killed, injured), records only
    pred: Mapping[str, str],  # doc id → predicted cluster
    counts: Mapping[str, tuple[int | None, int | None]],  # predicted cluster → (killed, injured) (None: no figure)
) -> dict[str, float | str | None]:
    """Each gold incident against the predicted incident holding most of its documents (ties: the smaller label);
    totals over the predicted incidents the scored documents map to, each once."""
    docs_of: dict[str, list[str]] = defaultdict(list)
    for doc, inc in gold_docs.items():
        docs_of[inc].append(doc)
    k_exact = i_exact = 0
    k_err = i_err = 0.0
    n = 0
    for inc, (killed, injured) in gold_counts.items():
        docs = docs_of.get(inc)
        if not docs:
            continue
        votes = Counter(pred[d] for d in docs if d in pred)
        if not votes:
            continue
        top = max(votes.values())
        label = min(lab for lab, v in votes.items() if v == top)
        pk, pi = counts.get(label, (None, None))
        pk, pi = pk or 0, pi or 0
        n += 1
        k_exact += pk == killed
        i_exact += pi == injured
        k_err += abs(pk - killed)
        i_err += abs(pi - injured)
    clusters = {pred[d] for d in gold_docs if d in pred}
    return {
        "killed_exact": k_exact / n if n else None,
        "killed_mae": k_err / n if n else None,
        "injured_exact": i_exact / n if n else None,
        "injured_mae": i_err / n if n else None,
        "killed_total": float(sum(counts.get(c, (None, None))[0] or 0 for c in clusters)),
        "injured_total": float(sum(counts.get(c, (None, None))[1] or 0 for c in clusters)),
    }


def incident_counts(fused: Fused) -> dict[str, tuple[int | None, int | None]]:
    return {i.id: (i.fatalities_best, i.injured_best) for i in fused.incidents}


# --- the gun-violence sets ------------------------------------------------------------------------------------


@dataclass(slots=True)
class GunSet:
    docs: list[Doc]
    gold: dict[str, str]  # doc id → incident id (single-incident documents only)
    split: dict[str, str]  # doc id → train | dev | test (GVC; empty for gva-incidents)
    counts: dict[str, tuple[int, int]]  # incident id → (killed, injured), GVA records only


def read_gvc(folder: Path) -> GunSet:
    docs = read_docs(folder / "documents.jsonl")
    rows = _read_csv(folder / "gold_doc_incident.csv")
    gold = {r["doc_id"]: r["incident_id"] for r in rows}
    split = {r["doc_id"]: r["split"] for r in rows}
    counts = {
        str(r["incident_id"]): (int(r["num_killed"]), int(r["num_injured"]))
        for r in _read_jsonl(folder / "gold_incidents.jsonl")
        if r.get("has_gva_record") and r.get("num_killed") is not None
    }
    return GunSet(docs, gold, split, counts)


def read_gva(folder: Path) -> GunSet:
    docs = read_docs(folder / "documents.jsonl")
    rows = _read_csv(folder / "gold_doc_incident.csv")
    gold = {r["doc_id"]: r["incident_id"] for r in rows if r["doc_in_n_incidents"] == "1"}
    counts = {
        str(r["incident_id"]): (int(r["num_killed"]), int(r["num_injured"]))
        for r in _read_jsonl(folder / "gold_incidents.jsonl")
        if r.get("has_gva_record") and r.get("num_killed") is not None
    }
    return GunSet(docs, gold, {}, counts)


def _limit_by_incident(data: GunSet, limit: int | None) -> GunSet:
    """The first ``limit`` documents, extended to whole incidents (a half incident would score the limit, not
    the system): documents in file order until the limit, plus every other document of their incidents."""
    if limit is None or limit >= len(data.docs):
        return data
    chosen: set[str] = set()
    for d in data.docs:
        if len(chosen) >= limit:
            break
        chosen.add(data.gold.get(d.doc_id, "doc:" + d.doc_id))
    docs = [d for d in data.docs if data.gold.get(d.doc_id, "doc:" + d.doc_id) in chosen]
    ids = {d.doc_id for d in docs}
    return GunSet(docs, {k: v for k, v in data.gold.items() if k in ids}, data.split, data.counts)


def _gold_total(data: GunSet, docs: Iterable[str]) -> tuple[int, int]:
    incidents = {data.gold[d] for d in docs if d in data.gold}
    return (sum(data.counts[i][0] for i in incidents if i in data.counts),
            sum(data.counts[i][1] for i in incidents if i in data.counts))  # fmt: skip


def _gun_tables(
    name: str,
    data: GunSet,
    ctx: SetContext,
    scored: dict[str, list[str]],  # table title → scored doc ids
    tuning: tuple[list[Doc], dict[str, str], str] | None,  # docs, gold, what they are
    goals: dict[str, str],
    count_goals: dict[str, str],
    order_check: bool = False,
) -> SetResult:
    result = SetResult(name, str(ctx.folder))
    fused = run_eventwatch(data.docs, ctx)
    systems: dict[str, dict[str, str]] = {SYSTEM: document_incidents(fused, data.docs)}
    counts: dict[str, dict[str, tuple[int | None, int | None]]] = {SYSTEM: incident_counts(fused)}
    notes: dict[str, str] = {}
    systems["all singletons"] = {d.doc_id: d.doc_id for d in data.docs}
    counts["all singletons"] = {}
    if ctx.baselines:
        tuned = tune_threshold(*tuning[:2]) if tuning is not None else "no train/dev documents"
        if isinstance(tuned, str):
            notes["tfidf single-link"] = tuned
        else:
            sims = tfidf_similarities(data.docs)
            assert not isinstance(sims, str)
            systems["tfidf single-link"] = threshold_clusters(data.docs, sims, tuned[0])
            assert tuning is not None
            notes["tfidf single-link"] = f"cosine ≥ {tuned[0]:.2f}, tuned on {tuning[2]} (CoNLL F1 {tuned[1]:.3f})"
    for title, doc_ids in scored.items():
        gold = {d: data.gold[d] for d in doc_ids if d in data.gold}
        table = SetTable(f"{title}: documents → incidents", CLUSTER_METRICS, n=len(gold),
                         caption=f"{len(set(gold.values())):,} gold incidents")  # fmt: skip
        for sys_name, pred in systems.items():
            kind = "system" if sys_name == SYSTEM else "baseline"
            table.rows.append(SystemRow(sys_name, kind, _values(score_partition(gold, pred)), notes.get(sys_name, "")))
        for sys_name, note in notes.items():
            if sys_name not in systems:
                table.rows.append(SystemRow(sys_name, "baseline", note=note))
        table.rows.append(goal(goals))
        result.tables.append(table)
    # Casualties per incident, over each scored document set (all, and the test split where there is one).
    for title, doc_ids in scored.items():
        gold = {d: data.gold[d] for d in doc_ids if d in data.gold}
        g_killed, g_injured = _gold_total(data, gold)
        table = SetTable(f"{title}: killed / injured per incident", COUNT_METRICS,
                         n=len({gold[d] for d in gold if gold[d] in data.counts}),
                         caption="gold incident → the predicted incident holding most of its documents; "
                                 "totals over the predicted incidents the documents map to")  # fmt: skip
        table.rows.append(SystemRow(SYSTEM, "system",
                                    casualty_values(gold, data.counts, systems[SYSTEM], counts[SYSTEM])))  # fmt: skip
        table.rows.append(SystemRow("gold (GVA records)", "goal", {"killed_total": float(g_killed),
                                                                   "injured_total": float(g_injured)}))  # fmt: skip
        goals_here = dict(count_goals)
        if "killed_total" in goals_here:
            goals_here["killed_total"] = f"{g_killed:,} ± 5%"
        table.rows.append(goal(goals_here))
        result.tables.append(table)
    if order_check:
        result.tables.append(_order_table(data, ctx, systems[SYSTEM]))
    all_killed = sum(i.fatalities_best or 0 for i in fused.incidents)
    result.notes.append(
        f"eventwatch: {len(fused.report_of):,} reports → {sum(len(v) for v in fused.events.values()):,} events → "
        f"{len(fused.incidents):,} incidents stored ({all_killed:,} killed over all of them, side mentions "
        f"included); ingest {fused.seconds.get('ingest', 0):.1f} s, extract {fused.seconds.get('extract', 0):.1f} s, "
        f"fuse {fused.seconds.get('fuse', 0):.1f} s"
    )
    result.warnings.extend(fused.rejected[:5] + fused.errors[:5])
    if ctx.keep_errors:
        result.errors = _cluster_errors(data, systems[SYSTEM], fused)
    return result


def _order_table(data: GunSet, ctx: SetContext, first: Mapping[str, str]) -> SetTable:
    """The same documents ingested again in a shuffled order, in 3 successive ingests (each fused incrementally):
    the incidents must be the same (ids included)."""
    import random

    shuffled = list(data.docs)
    random.Random(20251201).shuffle(shuffled)
    again = document_incidents(run_eventwatch(shuffled, ctx, "eventwatch (shuffled)", batches=3), shuffled)
    moved = sum(first[d.doc_id] != again[d.doc_id] for d in data.docs)
    table = SetTable("order independence", [("identical", "same incidents"), ("moved_count", "documents moved")],
                     n=len(data.docs), caption="shuffled ingest in 3 batches, each fused incrementally, "
                                               "against one ingest of the file in order")  # fmt: skip
    table.rows.append(SystemRow(SYSTEM, "system", {"identical": "yes" if not moved else "no",
                                                   "moved_count": float(moved)}))  # fmt: skip
    table.rows.append(goal({"identical": "yes"}))
    return table


def _cluster_errors(data: GunSet, pred: Mapping[str, str], fused: Fused) -> list[dict[str, Any]]:
    """One record per document whose predicted cluster differs from its gold incident's documents."""
    gold_docs: dict[str, set[str]] = defaultdict(set)
    pred_docs: dict[str, set[str]] = defaultdict(set)
    for d, g in data.gold.items():
        gold_docs[g].add(d)
        if d in pred:
            pred_docs[pred[d]].add(d)
    by_id = fused.by_id
    out: list[dict[str, Any]] = []
    titles = {d.doc_id: d.title for d in data.docs}
    for d, g in sorted(data.gold.items()):
        if d not in pred:
            continue
        same_gold, same_pred = gold_docs[g] - {d}, pred_docs[pred[d]] - {d}
        if same_gold == same_pred:
            continue
        inc = by_id.get(pred[d])
        out.append({"doc_id": d, "title": titles.get(d), "gold_incident": g, "predicted": pred[d],
                    "missed": sorted(same_gold - same_pred), "wrongly_joined": sorted(same_pred - same_gold),
                    "incident": {"date": str(inc.event_date), "location": inc.location, "type": inc.sub_event_type,
                                 "killed": inc.fatalities_best} if inc else None})  # fmt: skip
    return out


GVC_GOALS = {"conll_f1": "≥ 0.80", "pair_f1": "≥ 0.70"}


@timed
def run_gvc(ctx: SetContext) -> SetResult:
    """All 510 documents are fused together (the limit is rounded up to whole incidents); the test split of
    Bugert et al. and all documents are scored; TF-IDF's threshold is tuned on the train + dev documents. Then the
    documents are ingested again shuffled, in 3 batches, and the incidents compared (order independence)."""
    data = _limit_by_incident(read_gvc(ctx.folder), ctx.limit)
    test = [d.doc_id for d in data.docs if data.split.get(d.doc_id) == "test"]
    tune_docs = [d for d in data.docs if data.split.get(d.doc_id) in ("train", "dev")]
    result = _gun_tables(
        "gvc",
        data,
        ctx,
        {"GVC all": [d.doc_id for d in data.docs], "GVC test (Bugert split)": test},
        (tune_docs, {d.doc_id: data.gold[d.doc_id] for d in tune_docs}, "GVC train + dev"),
        GVC_GOALS,
        {"killed_exact": "≥ 0.85", "killed_total": "293 ± 5%"},
        order_check=True,
    )
    for t in result.tables[:2]:  # the two clustering tables
        t.rows.insert(-1, published("Barhom et al. 2019 (retrained, Bugert et al. 2021)", {"conll_f1": 0.7326},
                                    "mention-level CoNLL F1, GVC test, k-means document pre-clustering — "
                                    "not a document-clustering score"))  # fmt: skip
    return result


@timed
def run_gva(ctx: SetContext) -> SetResult:
    """Documents that GVA cites for one incident only (5,174 of 5,204) are scored; all are fused. The TF-IDF
    threshold is tuned on GVC's train + dev documents (``../gvc`` beside this folder), so the table also scores
    the documents outside those."""
    data = _limit_by_incident(read_gva(ctx.folder), ctx.limit)
    tuning: tuple[list[Doc], dict[str, str], str] | None = None
    gvc = ctx.folder.parent / "gvc"
    held: set[str] = set()
    if (gvc / "gold_doc_incident.csv").is_file():
        g = read_gvc(gvc)
        held = {d for d, s in g.split.items() if s in ("train", "dev")}
        tune_docs = [d for d in g.docs if d.doc_id in held]
        tuning = (tune_docs, {d.doc_id: g.gold[d.doc_id] for d in tune_docs}, "GVC train + dev")
    scored = [d.doc_id for d in data.docs if d.doc_id in data.gold]
    tables = {"gva-incidents (single-incident docs)": scored}
    if held:
        tables["gva-incidents without GVC train/dev"] = [d for d in scored if d not in held]
    return _gun_tables("gva-incidents", data, ctx, tables, tuning, {"conll_f1": "≥ 0.75"},
                       {"killed_exact": "≥ 0.85"})  # fmt: skip


# --- ECB+ -----------------------------------------------------------------------------------------------------


@timed
def run_ecbplus(ctx: SetContext) -> SetResult:
    """Test topics 36–45 (210 documents) clustered together, scored against the sub-topic (incident) and the
    topic; TF-IDF's threshold is tuned on the train + dev topics. ECB+ documents carry no publication date."""
    docs = read_docs(ctx.folder / "documents.jsonl")
    rows = {r["doc_id"]: r for r in _read_csv(ctx.folder / "gold_doc_subtopic.csv")}
    test = [d for d in docs if rows[d.doc_id]["split"] == "test"]
    if ctx.limit is not None:
        topics = list(dict.fromkeys(rows[d.doc_id]["topic"] for d in test))
        keep: set[str] = set()
        for t in topics:
            if sum(rows[d.doc_id]["topic"] in keep for d in test) >= ctx.limit:
                break
            keep.add(t)
        test = [d for d in test if rows[d.doc_id]["topic"] in keep]
    gold = {d.doc_id: rows[d.doc_id]["subtopic"] for d in test}
    gold_topic = {d.doc_id: rows[d.doc_id]["topic"] for d in test}
    fused = run_eventwatch(test, ctx)
    systems: dict[str, dict[str, str]] = {SYSTEM: document_incidents(fused, test)}
    linked = f"{SYSTEM} + document links"
    systems[linked] = with_document_links(fused, test, systems[SYSTEM])
    sizes = Counter(systems[SYSTEM].values())
    orphans = sum(sizes[label] == 1 for label in systems[SYSTEM].values())
    systems["all singletons"] = {d.doc_id: d.doc_id for d in test}
    systems["one cluster per topic"] = dict(gold_topic)
    notes = {"one cluster per topic": "uses the gold topic: the lexical level",
             linked: f"the {orphans} documents alone in their incident (no conflict event, or undated events) linked "
                     "by the fuse stage's document similarity (cosine ≥ DOC_LINK, set on GVC train + dev)"}  # fmt: skip
    if ctx.baselines:
        tune_docs = [d for d in docs if rows[d.doc_id]["split"] in ("train", "dev")]
        tuned = tune_threshold(tune_docs, {d.doc_id: rows[d.doc_id]["subtopic"] for d in tune_docs})
        if isinstance(tuned, str):
            notes["tfidf single-link"] = tuned
        else:
            sims = tfidf_similarities(test)
            assert not isinstance(sims, str)
            systems["tfidf single-link"] = threshold_clusters(test, sims, tuned[0])
            notes["tfidf single-link"] = (
                f"cosine ≥ {tuned[0]:.2f}, tuned on train + dev topics (CoNLL F1 {tuned[1]:.3f})"
            )
    result = SetResult("ecbplus", str(ctx.folder))
    for title, key, goals in (("ECB+ test topics: documents → sub-topic (incident)", gold, {"conll_f1": "≥ 0.85"}),
                              ("ECB+ test topics: documents → topic", gold_topic, {})):  # fmt: skip
        table = SetTable(title, CLUSTER_METRICS, n=len(key), caption=f"{len(set(key.values()))} gold clusters")
        for sys_name, pred in systems.items():
            kind = "system" if sys_name.startswith(SYSTEM) else "baseline"
            table.rows.append(SystemRow(sys_name, kind, _values(score_partition(key, pred)), notes.get(sys_name, "")))
        if goals:
            table.rows.append(published("Barhom et al. 2019 (Bugert et al. 2021)", {"conll_f1": 0.7921},
                                        "mention-level CoNLL F1 with k-means document clusters — not a "
                                        "document-clustering score"))  # fmt: skip
            table.rows.append(goal(goals))
        result.tables.append(table)
    result.notes.append(
        f"eventwatch: {len(test)} reports → {sum(len(v) for v in fused.events.values())} events → "
        f"{len(fused.incidents)} incidents; no publication dates in ECB+ (events are dated from the text only)"
    )
    result.warnings.extend(fused.rejected[:5] + fused.errors[:5])
    return result


# --- SemEval-2018 Task 5, subtask 2 -----------------------------------------------------------------------------

QA_METRICS = [
    ("accuracy", "exact-match accuracy"),
    ("rmse", "RMSE ↓"),
    ("doc_f1", "document F1"),
    ("answered", "answered"),
]


def _dbpedia_name(uri: str) -> str:
    return uri.rsplit("/", 1)[-1].replace("_", " ")


@dataclass(slots=True)
class Question:
    qid: str
    event_type: str  # killing | injuring
    city: str | None
    state: str | None
    day: date | None
    month: tuple[int, int] | None  # (year, month)
    year: int | None
    first: str | None
    last: str | None
    full: str | None
    answer: int
    answer_docs: set[str]


def read_questions(folder: Path) -> list[Question]:
    questions = json.loads((folder / "s2_questions.json").read_text(encoding="utf-8"))
    answers = json.loads((folder / "s2_answers.json").read_text(encoding="utf-8"))
    out: list[Question] = []
    for qid in sorted(questions, key=lambda q: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", q)]):
        q = questions[qid]
        loc, when, who = q.get("location") or {}, q.get("time") or {}, q.get("participant") or {}
        city = state = None
        if "city" in loc:
            city = _dbpedia_name(loc["city"]).split(",")[0].strip()
            m = re.search(r"in \('([^']+)', '([^']+)'\) \(city\)", q.get("verbose_question", ""))
            state = m.group(1) if m else (_dbpedia_name(loc["city"]).split(",")[1].strip()
                                          if "," in _dbpedia_name(loc["city"]) else None)  # fmt: skip
        elif "state" in loc:
            state = _dbpedia_name(loc["state"])
        day = month = year = None
        if "day" in when:
            d, m_, y = (int(x) for x in when["day"].split("/"))
            day = date(y, m_, d)
        elif "month" in when:
            m_, y = (int(x) for x in when["month"].split("/"))
            month = (y, m_)
        elif "year" in when:
            year = int(when["year"])
        a = answers.get(qid, {})
        docs = {doc for ds in (a.get("answer_docs") or {}).values() for doc in ds}
        out.append(Question(qid, q["event_type"], city, state, day, month, year, who.get("first"), who.get("last"),
                            who.get("full_name"), int(a.get("numerical_answer", 0)), docs))  # fmt: skip
    return out


@dataclass(slots=True)
class Answerable:
    """What a question is matched against: one incident (or one document, for the no-fusion baseline)."""

    key: str
    killed: int
    injured: int
    places: set[str]  # folded place names
    states: set[str]
    day: date | None
    text: str  # member reports' titles and texts, for participant names
    docs: set[str]


def _fold(text: str | None) -> str:
    from eventwatch.fuse.text import fold

    return fold(text)


def _matches(q: Question, a: Answerable) -> bool:
    if (q.event_type == "killing" and a.killed <= 0) or (q.event_type == "injuring" and a.injured <= 0):
        return False
    if q.city is not None and _fold(q.city) not in a.places:
        return False
    if q.state is not None and _fold(q.state) not in a.states:
        return False
    if q.day is not None or q.month is not None or q.year is not None:
        if a.day is None:
            return False
        if q.day is not None and a.day != q.day:
            return False
        if q.month is not None and (a.day.year, a.day.month) != q.month:
            return False
        if q.year is not None and a.day.year != q.year:
            return False
    names = [n for n in (q.full, q.first, q.last) if n]
    return all(re.search(rf"\b{re.escape(n)}\b", a.text) for n in names)


def answer_values(questions: Sequence[Question], pool: Sequence[Answerable]) -> dict[str, float | str | None]:
    correct = 0
    squared = 0.0
    f1s: list[float] = []
    for q in questions:
        hits = [a for a in pool if _matches(q, a)]
        n = len(hits)
        correct += n == q.answer
        squared += (n - q.answer) ** 2
        docs = set().union(*(a.docs for a in hits)) if hits else set()
        if not docs and not q.answer_docs:
            f1s.append(1.0)
        else:
            tp = len(docs & q.answer_docs)
            p = tp / len(docs) if docs else 0.0
            r = tp / len(q.answer_docs) if q.answer_docs else 0.0
            f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    n_q = len(questions)
    return {"accuracy": correct / n_q if n_q else None, "rmse": math.sqrt(squared / n_q) if n_q else None,
            "doc_f1": sum(f1s) / n_q if n_q else None, "answered": 1.0 if n_q else None}  # fmt: skip


def _answerables(fused: Fused, docs: Sequence[Doc], clusters: Mapping[str, str]) -> list[Answerable]:
    """One per predicted cluster of documents: the incident's counts, places and date, its documents' texts."""
    by_id = fused.by_id
    members: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        members[clusters[d.doc_id]].append(d)
    out: list[Answerable] = []
    for label, ds in members.items():
        inc = by_id.get(label)
        if inc is not None:
            killed = inc.fatalities_best or inc.fatalities_low or int(inc.fatalities_reported_unknown)
            injured = inc.injured_best or inc.injured_low or 0
            places = {_fold(x) for x in (inc.location, *inc.locations, inc.admin2) if x}
            states = {_fold(inc.admin1)} if inc.admin1 else set()
            day = inc.event_date
        else:
            killed = injured = 0
            places, states, day = set(), set(), None
        if day is None:
            dcts = sorted(d.dct for d in ds if d.dct)
            day = date.fromisoformat(dcts[0][:10]) if dcts else None
        text = "\n".join(_doc_text(d) for d in ds)
        out.append(Answerable(label, killed, injured, places, states, day, text, {d.doc_id for d in ds}))
    return out


def _per_document(fused: Fused, docs: Sequence[Doc]) -> list[Answerable]:
    """The no-fusion baseline: every document's own most confident news event is an incident."""
    out: list[Answerable] = []
    for d in docs:
        events = [e for e in fused.events.get(fused.report_of.get(d.doc_id, ""), []) if not e.background]
        e = max(events, key=lambda ev: ev.confidence) if events else None
        day = e.event_date if e is not None else None
        if day is None and d.dct:
            day = date.fromisoformat(d.dct[:10])
        killed = (e.fatalities_best or e.fatalities_low or int(e.fatalities_reported_unknown)) if e is not None else 0
        injured = (e.injured_best or e.injured_low or 0) if e is not None else 0
        places = {_fold(x) for x in ((e.location, e.admin2) if e is not None else ()) if x}
        states = {_fold(e.admin1)} if e is not None and e.admin1 else set()
        out.append(Answerable(d.doc_id, killed, injured, places, states, day, _doc_text(d), {d.doc_id}))
    return out


@timed
def run_semeval(ctx: SetContext) -> SetResult:
    """The 982 answer documents (``s2_pool_doc_ids.txt``, texts from ``../gva-incidents``) are fused; each
    question counts the fused incidents of its type (killed > 0 or "fatalities reported, number unknown" / injured
    > 0) at its place (city: the incident's
    place names; state: its admin1), in its time (incident date, else its earliest report's date) and naming its
    participant (in a member report's title or text). With a limit, the first N questions are asked of a pool
    of their own answer documents only (``make bench-quick``: fewer distractors, so easier).
    """
    pool_ids = [x.strip() for x in (ctx.folder / "s2_pool_doc_ids.txt").read_text().splitlines() if x.strip()]
    gva = ctx.folder.parent / "gva-incidents" / "documents.jsonl"
    result = SetResult("semeval2018-task5", str(ctx.folder))
    if not gva.is_file():
        result.warnings.append(f"the pool's texts are in {gva}, which is absent")
        return result
    questions = ctx.take(read_questions(ctx.folder))
    wanted = set(pool_ids) if ctx.limit is None else set().union(*(q.answer_docs for q in questions))
    docs = [d for d in read_docs(gva) if d.doc_id in wanted]
    fused = run_eventwatch(docs, ctx)
    clusters = document_incidents(fused, docs)
    table = SetTable("Subtask 2: how many incidents …", QA_METRICS, n=len(questions),
                     caption=f"a {len(read_questions(ctx.folder))}-question subset of the 997 official S2 questions; "
                             f"pool = the {len(docs)} answer documents, no distractors (README): "
                             "not directly comparable with the published rows")  # fmt: skip
    table.rows.append(SystemRow(SYSTEM, "system", answer_values(questions, _answerables(fused, docs, clusters))))
    table.rows.append(SystemRow("eventwatch extraction, no fusion", "baseline",
                                answer_values(questions, _per_document(fused, docs)),
                                "each document its own incident"))  # fmt: skip
    for name, acc, rmse, f1 in (
        ("FEUP", 0.2638, 6.13, 0.3051),
        ("NewsReader (organisers)", 0.2187, None, None),
        ("Baseline (organisers)", 0.1825, None, None),
        ("NAI-SEA", 0.1735, None, 0.5052),
    ):
        table.rows.append(published(name, {"accuracy": acc, "rmse": rmse, "doc_f1": f1},
                                    "official S2 test, 997 questions"))  # fmt: skip
    table.rows.append(goal({"accuracy": "≥ 0.35"}))
    result.tables.append(table)
    by_type = SetTable("Subtask 2 by event type", [("killing", "killing"), ("injuring", "injuring")],
                       caption="exact-match accuracy")  # fmt: skip
    for name, pool in ((SYSTEM, _answerables(fused, docs, clusters)), ("no fusion", _per_document(fused, docs))):
        by_type.rows.append(SystemRow(name, "system" if name == SYSTEM else "baseline", {
            t: answer_values([q for q in questions if q.event_type == t], pool)["accuracy"]
            for t in ("killing", "injuring")}))  # fmt: skip
    by_type.rows.append(published("FEUP", {"killing": 0.3019, "injuring": 0.2192}, "official S2 test"))
    result.tables.append(by_type)
    result.notes.append(f"eventwatch: {len(docs)} reports → {len(fused.incidents)} incidents")
    result.warnings.extend(fused.rejected[:5] + fused.errors[:5])
    return result
