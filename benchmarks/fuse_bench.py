"""Fusion benchmark: clustering quality (pairwise and B-cubed P/R/F1) and incremental cost per new report.

Corpus: base incidents, each told by 2–6 reports in en/fr/ar with the noise real reporting has — dates off by a day,
counts as "at least" / ranges / unknown, a region instead of the town, actor name variants or a missing side,
outlets quoting a monitor, syndicated copies. Base incidents come from the gold ACLED CSV rows in ``../shared/eval``
when one is there (its event fields; the paraphrases are templated), else from templates (places with coordinates,
actors, types, dates). Events are built directly with spans into the generated text: this measures fusion, not
extraction.

Incremental cost: a SQLite store filled with 10k and 100k incidents at the same density (≈ 40 a day across the
same places, so a bigger store is a longer history, as in production), then 200 new events each run the indexed
blocking query and :func:`eventwatch.fuse.assign`. Cost depends on local density, not store size.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventwatch.fuse import assign, blocking_bbox, cluster, profile
from eventwatch.fuse.clustering import as_cached
from eventwatch.fuse.link import Node, blocking_range
from eventwatch.fuse.text import CachedEmbedder, TrigramEmbedder, default_embedder
from eventwatch.model import Event, Hedge, Incident, Report, Span
from eventwatch.store import SQLiteStore

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
N_BASE = 1_500  # base incidents → ≈ 6,000 reports
N_NEW = 200
SEED = 20251021

# name, admin1, country, iso, lat, lon; regions (geo_precision 3) are the admin1 centres.
PLACES = [
    ("Harem", "Idlib", "Syria", "SY", 36.2076, 36.5197),
    ("Saraqib", "Idlib", "Syria", "SY", 35.8640, 36.8006),
    ("Ariha", "Idlib", "Syria", "SY", 35.8128, 36.6072),
    ("Jableh", "Latakia", "Syria", "SY", 35.3614, 35.9256),
    ("Baniyas", "Tartus", "Syria", "SY", 35.1822, 35.9403),
    ("Manbij", "Aleppo", "Syria", "SY", 36.5281, 37.9549),
    ("Deir ez-Zor", "Deir ez-Zor", "Syria", "SY", 35.3359, 40.1408),
    ("El Fasher", "North Darfur", "Sudan", "SD", 13.6279, 25.3494),
    ("Nyala", "South Darfur", "Sudan", "SD", 12.0489, 24.8807),
    ("Omdurman", "Khartoum", "Sudan", "SD", 15.6445, 32.4777),
    ("El Obeid", "North Kordofan", "Sudan", "SD", 13.1843, 30.2167),
    ("Menaka", "Menaka", "Mali", "ML", 15.9182, 2.4022),
    ("Gao", "Gao", "Mali", "ML", 16.2666, -0.0400),
    ("Djibo", "Sahel", "Burkina Faso", "BF", 14.1022, -1.6306),
    ("Goma", "Nord-Kivu", "Democratic Republic of Congo", "CD", -1.6792, 29.2228),
    ("Sake", "Nord-Kivu", "Democratic Republic of Congo", "CD", -1.5736, 29.0450),
    ("Kharkiv", "Kharkiv", "Ukraine", "UA", 49.9935, 36.2304),
    ("Pokrovsk", "Donetsk", "Ukraine", "UA", 48.2820, 37.1758),
    ("Kherson", "Kherson", "Ukraine", "UA", 46.6354, 32.6169),
    ("Mogadishu", "Banadir", "Somalia", "SO", 2.0469, 45.3182),
]
REGIONS = {
    "Idlib": (35.9, 36.6),
    "Latakia": (35.6, 35.9),
    "Tartus": (34.9, 36.0),
    "Aleppo": (36.3, 37.5),
    "Deir ez-Zor": (35.2, 40.0),
    "North Darfur": (14.5, 25.0),
    "South Darfur": (11.5, 24.8),
    "Khartoum": (15.6, 32.6),
    "North Kordofan": (13.8, 29.8),
    "Menaka": (15.5, 2.5),
    "Gao": (16.0, 0.5),
    "Sahel": (14.0, -0.5),
    "Nord-Kivu": (-0.8, 29.0),
    "Kharkiv": (49.6, 36.6),
    "Donetsk": (48.0, 37.8),
    "Kherson": (46.7, 33.3),
    "Banadir": (2.05, 45.3),
}
ACTORS = {
    "SY": ["Military Forces of Syria (2024-)", "Hayat Tahrir al-Sham", "SDF: Syrian Democratic Forces",
           "Islamic State (Syria)", "Firqat al-Ghurabaa", "Civilians (Syria)"],
    "SD": ["Military Forces of Sudan (2019-)", "RSF: Rapid Support Forces", "Civilians (Sudan)",
           "SPLM-N: Sudan People's Liberation Movement-North"],
    "ML": ["Military Forces of Mali (2021-)", "JNIM: Jamaah Nusrat al-Islam wal Muslimin",
           "FLA: Azawad Liberation Front", "Islamic State Sahel Province", "Civilians (Mali)"],
    "BF": ["Military Forces of Burkina Faso (2022-)", "JNIM: Jamaah Nusrat al-Islam wal Muslimin", "VDP",
           "Civilians (Burkina Faso)"],
    "CD": ["M23: March 23 Movement", "Military Forces of the Democratic Republic of Congo (2019-)", "Wazalendo",
           "FDLR: Democratic Forces for the Liberation of Rwanda", "Civilians (Democratic Republic of Congo)"],
    "UA": ["Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)", "Civilians (Ukraine)"],
    "SO": ["Al Shabaab", "Military Forces of Somalia (2022-)", "Civilians (Somalia)"],
}  # fmt: skip
TYPES = [
    ("Battles", "Armed clash", 0.45),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.2),
    ("Explosions/Remote violence", "Air/drone strike", 0.2),
    ("Violence against civilians", "Attack", 0.15),
]
MONITORS = ["Syrian Observatory for Human Rights", "Sudan Doctors Network", "Local sources (unnamed)"]
OUTLETS = ["Reuters", "Agence France-Presse", "Associated Press", "Al Jazeera", "BBC", "Le Monde", "Enab Baladi",
           "Radio Okapi", "Sudan Tribune", "Kyiv Independent", "Syria TV", "Radio France Internationale"]  # fmt: skip
EN = [
    "{a} and {b} clashed in {p} on {d}, {src}, leaving {n}.",
    "Fighting between {a} and {b} broke out near {p} on {d}; {n}, {src}.",
    "{a} attacked positions of {b} in {p} on {d}, {src}. The toll: {n}.",
]
FR = [
    "Des affrontements ont opposé {a} à {b} à {p} le {d}, {src}, faisant {n}.",
    "{a} a attaqué {b} près de {p} le {d} ; bilan : {n}, {src}.",
]
AR = [
    "اشتباكات بين {a} و{b} في {p} يوم {d}، {src}، ما أسفر عن {n}.",
    "هاجمت {a} مواقع {b} قرب {p} بتاريخ {d}، {src}، وأسفر الهجوم عن {n}.",
]
SRC = {
    "en": ("according to {m}", "a correspondent reported"),
    "fr": ("selon {m}", "a constaté notre correspondant"),
    "ar": ("بحسب {m}", "أفاد مراسلنا"),
}
COUNT = {
    "en": ("{k} dead", "at least {k} dead", "between {k} and {h} dead", "an unknown number of casualties"),
    "fr": ("{k} morts", "au moins {k} morts", "entre {k} et {h} morts", "un nombre inconnu de victimes"),
    "ar": ("{k} قتلى", "{k} قتلى على الأقل", "بين {k} و{h} قتلى", "عدد غير معروف من الضحايا"),
}


@dataclass(slots=True)
class Base:
    key: int
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str | None
    place: tuple[str, str, str, str, float, float]
    day: date
    killed: int | None


def _variant(name: str, rng: random.Random) -> str:
    """Spelling noise that resolution leaves behind: case, hyphens, diacritics."""
    roll = rng.random()
    if roll < 0.15:
        return name.replace("-", " ")
    if roll < 0.25:
        return name.upper()
    if roll < 0.3:
        return name.replace("a", "â", 1)
    return name


def _gold_bases(limit: int) -> list[Base] | None:
    """Base incidents from gold ACLED CSV rows in ../shared/eval, when present (None: use templates)."""
    files = sorted(SHARED_EVAL.glob("**/*.csv")) if SHARED_EVAL.is_dir() else []
    bases: list[Base] = []
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                try:
                    raw = row["event_date"].strip()
                    day = date.fromisoformat(raw) if raw[:4].isdigit() else datetime.strptime(raw, "%d %B %Y").date()
                    lat, lon = float(row["latitude"]), float(row["longitude"])
                except (KeyError, ValueError):
                    continue
                place = (row.get("location") or "?", row.get("admin1") or "", row.get("country") or "", "", lat, lon)
                killed = int(row["fatalities"]) if (row.get("fatalities") or "").isdigit() else None
                bases.append(
                    Base(len(bases), row.get("event_type") or "Battles", row.get("sub_event_type") or "",
                         row.get("actor1") or "Unidentified Armed Group", row.get("actor2") or None, place, day,
                         killed or None)
                )  # fmt: skip
                if len(bases) >= limit:
                    return bases
    return bases or None


def _synthetic_bases(n: int, rng: random.Random) -> list[Base]:
    start = date(2025, 1, 1)
    bases = []
    for key in range(n):
        place = rng.choice(PLACES)
        actors = ACTORS[place[3]]
        a, b = rng.sample(actors, 2)
        (etype, sub, _) = rng.choices(TYPES, weights=[t[2] for t in TYPES])[0]
        killed = rng.choice([None, rng.randint(1, 8), rng.randint(5, 60)])
        bases.append(Base(key, etype, sub, a, b, place, start + timedelta(days=rng.randrange(365)), killed))
    return bases


def _paraphrase(base: Base, rng: random.Random) -> list[tuple[Report, Event]]:
    """2–6 reports of one base incident, each with an event spanning its sentence."""
    out: list[tuple[Report, Event]] = []
    n_reports = rng.randint(2, 6)
    name, admin1, country, iso, lat, lon = base.place
    for i in range(n_reports):
        if out and rng.random() < 0.12:
            # Syndicated copy: the same text from another outlet, an hour later.
            first_report, first_event = out[0]
            report = Report(
                text=first_report.text,
                source=rng.choice(OUTLETS),
                published_at=(first_report.published_at or datetime.now(UTC)) + timedelta(hours=1),
                language=first_report.language,
            )
            event = Event(**{**{f: getattr(first_event, f) for f in first_event.__slots__}, "report_id": report.id,
                             "id": "", "source": report.source, "spans": {
                                 k: [Span(report.id, s.start, s.end) for s in v]
                                 for k, v in first_event.spans.items()}})  # fmt: skip
            event.__post_init__()
            out.append((report, event))
            continue
        lang = rng.choices(["en", "fr", "ar"], weights=[0.5, 0.25, 0.25])[0]
        day = base.day + timedelta(days=rng.choice([0, 0, 0, 0, -1, 1]))
        regional = rng.random() < 0.12 and admin1 in REGIONS
        place_name = admin1 if regional else name
        monitor = rng.choice(MONITORS) if rng.random() < 0.45 else None
        src = SRC[lang][0].format(m=monitor) if monitor else SRC[lang][1]
        style = rng.randrange(4) if base.killed is not None else 3
        k = base.killed or 0
        count_text = COUNT[lang][style].format(k=k if style != 1 else max(1, k - rng.randint(0, 2)), h=k + 3)
        actor2 = base.actor2 if rng.random() > 0.25 else None
        a_text, b_text = _variant(base.actor1, rng), _variant(base.actor2 or "unidentified gunmen", rng)
        template = rng.choice({"en": EN, "fr": FR, "ar": AR}[lang])
        text = template.format(a=a_text, b=b_text, p=place_name, d=day.isoformat(), src=src, n=count_text)
        published = datetime.combine(day + timedelta(days=rng.choice([0, 1])), datetime.min.time(), UTC)
        report = Report(text=text, source=rng.choice(OUTLETS), published_at=published + timedelta(hours=i + 6),
                        language=lang)  # fmt: skip
        lat_p, lon_p = REGIONS[admin1] if regional else (lat, lon)
        event = Event(
            report_id=report.id,
            event_type=base.event_type,
            sub_event_type=base.sub_event_type,
            event_date=day,
            time_precision=1,
            actor1=a_text,
            actor2=_variant(actor2, rng) if actor2 else None,
            country=country,
            iso=iso or None,
            admin1=admin1,
            location=place_name,
            latitude=lat_p + rng.uniform(-0.002, 0.002),
            longitude=lon_p + rng.uniform(-0.002, 0.002),
            geo_precision=3 if regional else 1,
            notes=text,
            source=report.source,
            attributed_to=monitor,
            hedge=Hedge.ATTRIBUTED if monitor else Hedge.CONFIRMED,
            fatalities_best=k if style == 0 else None,
            fatalities_low=(k if style == 1 else k if style == 2 else None),
            fatalities_high=k + 3 if style == 2 else None,
            fatalities_reported_unknown=style == 3,
            spans={"event_type": [Span(report.id, 0, len(text))]},
        )
        out.append((report, event))
    return out


def corpus(rng: random.Random) -> tuple[str, list[Report], list[Event], dict[str, int]]:
    gold = _gold_bases(N_BASE)
    bases = gold or _synthetic_bases(N_BASE, rng)
    label = f"gold rows from {SHARED_EVAL}" if gold else "template base incidents (no gold CSV in ../shared/eval)"
    reports: list[Report] = []
    events: list[Event] = []
    truth: dict[str, int] = {}
    for base in bases:
        for report, event in _paraphrase(base, rng):
            reports.append(report)
            events.append(event)
            truth[event.id] = base.key
    return label, reports, events, truth


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores(predicted: dict[str, str], truth: dict[str, int]) -> dict[str, float]:
    """Pairwise and B-cubed precision/recall/F1 from the contingency table (no O(n²) pair enumeration)."""
    joint = Counter((predicted[e], truth[e]) for e in truth)
    pred_sizes = Counter(predicted[e] for e in truth)
    gold_sizes = Counter(truth.values())

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(n) for n in joint.values())
    p_pair = tp / max(1, sum(pairs(n) for n in pred_sizes.values()))
    r_pair = tp / max(1, sum(pairs(n) for n in gold_sizes.values()))
    n = len(truth)
    p_b3 = sum(c * c / pred_sizes[p] for (p, _), c in joint.items()) / n
    r_b3 = sum(c * c / gold_sizes[g] for (_, g), c in joint.items()) / n
    return {"pp": p_pair, "pr": r_pair, "pf": _f1(p_pair, r_pair), "bp": p_b3, "br": r_b3, "bf": _f1(p_b3, r_b3)}


def _fill_store(store: SQLiteStore, n: int, rng: random.Random) -> tuple[date, date]:
    """n incident profiles at ≈ 40 a day across PLACES, so a bigger store means a longer history."""
    days = max(1, n // 40)
    start = date(2020, 1, 1)
    batch: list[Incident] = []
    for i in range(n):
        place = rng.choice(PLACES)
        a, b = rng.sample(ACTORS[place[3]], 2)
        etype, sub, _ = rng.choice(TYPES)
        day = start + timedelta(days=rng.randrange(days))
        event = Event(report_id=f"r{i}", event_type=etype, sub_event_type=sub, event_date=day, time_precision=1,
                      actor1=a, actor2=b, location=place[0], admin1=place[1], country=place[2], iso=place[3],
                      latitude=place[4], longitude=place[5], geo_precision=1,
                      notes=f"{a} and {b} clashed in {place[0]} on {day.isoformat()}.", id=f"{i:024x}")  # fmt: skip
        incident = profile(f"{i:024x}", [event])
        incident.event_ids = []  # profiles only: the blocking query and assign need nothing else
        batch.append(incident)
        if len(batch) >= 5_000:
            store.save_incidents(batch)
            batch.clear()
    store.save_incidents(batch)
    return start, start + timedelta(days=days)


def incremental_cost(n: int, rng: random.Random, embedder: CachedEmbedder) -> tuple[float, float, float, float]:
    """(fill seconds, ms per new event for query+assign, ms for the query alone, mean candidates)."""
    with tempfile.TemporaryDirectory(prefix="ew-fuse-bench-") as tmp, SQLiteStore(Path(tmp) / "fuse.db") as store:
        t0 = time.perf_counter()
        first, last = _fill_store(store, n, rng)
        fill = time.perf_counter() - t0
        new_events = []
        for i in range(N_NEW):
            place = rng.choice(PLACES)
            a, b = rng.sample(ACTORS[place[3]], 2)
            day = first + timedelta(days=rng.randrange((last - first).days))
            new_events.append(Event(report_id=f"new{i}", event_type="Battles", sub_event_type="Armed clash",
                                    event_date=day, time_precision=1, actor1=a, actor2=b, location=place[0],
                                    latitude=place[4], longitude=place[5], geo_precision=1,
                                    notes=f"Fighting between {a} and {b} near {place[0]}."))  # fmt: skip
        embedder([e.notes for e in new_events])  # the new reports' own vectors are computed once, upstream
        query_s = total_s = 0.0
        candidates = 0
        for event in new_events:
            t1 = time.perf_counter()
            window = blocking_range(Node(event, event.event_date))
            assert window is not None
            found = store.candidate_incidents(*window, blocking_bbox(event))
            t2 = time.perf_counter()
            assign(event, found, embedder=embedder)
            t3 = time.perf_counter()
            query_s += t2 - t1
            total_s += t3 - t1
            candidates += len(found)
        return fill, total_s / N_NEW * 1000, query_s / N_NEW * 1000, candidates / N_NEW


def _cluster_row(
    table: Table, name: str, events: list[Event], reports: dict[str, Report], truth: dict[str, int], emb: CachedEmbedder
) -> None:
    t0 = time.perf_counter()
    incidents = cluster(events, reports, embedder=emb)
    seconds = time.perf_counter() - t0
    predicted = {eid: inc.id for inc in incidents for eid in inc.event_ids}
    s = scores(predicted, truth)
    table.add_row(
        name,
        f"{len(incidents):,} / {len(set(truth.values())):,}",
        *(f"{s[k]:.3f}" for k in ("pp", "pr", "pf", "bp", "br", "bf")),
        f"{seconds * 1000 / len(reports):.2f}",
        f"{seconds:.1f}",
    )


def main(console: Console | None = None, sizes: Iterable[int] = (10_000, 100_000)) -> None:
    console = console or Console(width=150)  # the table is wide; wrap rather than truncate
    rng = random.Random(SEED)
    label, reports, events, truth = corpus(rng)
    by_id = {r.id: r for r in reports}
    table = Table(title=f"fusion: {len(reports):,} reports of {len(set(truth.values())):,} incidents ({label})")
    for col in ("run", "incidents", "pair P", "pair R", "pair F1", "B³ P", "B³ R", "B³ F1", "ms/report", "s"):
        table.add_column(col, justify="left" if col == "run" else "right")
    use = as_cached(default_embedder())
    _cluster_row(table, f"re-cluster ({use.name})", events, by_id, truth, use)
    _cluster_row(table, "re-cluster (trigram)", events, by_id, truth, CachedEmbedder(TrigramEmbedder()))
    first = {tuple(i.event_ids) for i in cluster(events, by_id, embedder=use)}
    shuffled = list(events)
    random.Random(SEED + 1).shuffle(shuffled)
    again = {tuple(i.event_ids) for i in cluster(shuffled, by_id, embedder=use)}
    same = "identical" if {frozenset(x) for x in first} == {frozenset(x) for x in again} else "DIFFERS"
    table.add_row("re-cluster, shuffled order", same, "", "", "", "", "", "", "", "")
    table.add_section()
    costs = []
    for n in sizes:
        fill, per_event, query, cands = incremental_cost(n, rng, use)
        costs.append(per_event)
        table.add_row(
            f"assign: {n:,} stored", f"{cands:.0f} cand.", "", "", "", "", "", "", f"{per_event:.2f}", f"{fill:.0f}"
        )
        table.add_row("  of which query", "", "", "", "", "", "", "", f"{query:.2f}", "")
    caption = "assign: indexed date/box query + scoring for 200 new reports; s = store fill time"
    if len(costs) == 2:
        caption += f"; ×10 stored incidents → ×{costs[1] / costs[0]:.2f} cost per report (same density)"
    table.caption = caption
    console.print(table)


if __name__ == "__main__":
    main(sizes=[int(a) for a in sys.argv[1:]] or (10_000, 100_000))
