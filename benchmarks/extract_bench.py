"""Extraction throughput and accuracy.

Throughput: ~400-word multilingual reports (en/fr/ar, several events, attributions, counts) through the full
per-report pipeline (extract + resolve) on 2 worker processes; reports/s and the peak RSS of the workers and
the parent. Targets: >= 50 reports/s, <= 1.5 GiB. Accuracy: ``eventwatch eval``'s table on the TEST split of
``../shared/eval/*.csv``; without one (the folder holds no CSV yet) it says so and falls back to the bundled
tests/evaluate/fixtures/gold-small.csv, which is for plumbing, not for judging quality.
"""

from __future__ import annotations

import resource
import time
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventwatch.evaluate.harness import evaluate
from eventwatch.evaluate.report import render
from eventwatch.model import Report
from eventwatch.pipeline import process_report

REPO = Path(__file__).resolve().parent.parent
SHARED_EVAL = REPO.parent / "shared" / "eval"
BUNDLED = REPO / "tests" / "evaluate" / "fixtures" / "gold-small.csv"
WORKERS = 2
TARGET_RPS = 50.0
TARGET_RSS_GIB = 1.5

_PARAGRAPHS = {
    "en": [
        "According to the Syrian Observatory for Human Rights, government forces shelled villages near Jisr "
        "al-Shughur on Tuesday, killing at least {n} civilians and wounding twenty-five others.",
        "Reuters reported that clashes broke out between the SDF and Turkish-backed factions near Manbij, "
        "where both sides sustained losses; the exact number remains unknown.",
        "Local sources said gunmen abducted {m} farmers on the road to Djibo, while the army denied reports "
        "that it had executed prisoners.",
        "Hundreds of protesters rallied in Suwayda against the governor, and police fired tear gas to disperse "
        "them, officials said. No casualties were reported.",
        "The death toll from last week's drone strike on the market has risen to {k}, medics said. In March "
        "2024, militants massacred dozens of villagers in the same area.",
    ],
    "fr": [
        "Selon l'OSDH, des frappes aériennes ont tué au moins {n} civils et blessé vingt-cinq personnes mardi "
        "près d'Idlib.",
        "Des affrontements ont opposé l'armée malienne au JNIM près de Douentza; les deux camps ont subi des "
        "pertes, le bilan reste inconnu.",
        "Des hommes armés ont enlevé soixante-dix villageois près de Djibo, selon des sources locales. L'armée a "
        "démenti avoir bombardé le marché.",
        "Le bilan s'élève désormais à {k} morts depuis le début de l'offensive, a indiqué le ministère.",
    ],
    "ar": [
        "أفاد المرصد السوري لحقوق الإنسان بمقتل {n} مدنيين وإصابة خمسة وعشرين آخرين في قصف على ريف إدلب.",
        "اندلعت اشتباكات عنيفة بين قوات الدعم السريع والجيش قرب الفاشر، وسقط قتلى من الطرفين دون تحديد العدد.",
        "ونقلت رويترز عن مصادر محلية أن مسلحين اختطفوا {m} مزارعين قرب مدينة نيالا.",
        "ارتفعت حصيلة ضحايا الغارة إلى {k} قتيلا منذ بداية الهجوم.",
    ],
}


def corpus(n: int) -> list[Report]:
    """n reports of ~400 words: paragraphs mixed by language, numbers varied so no two texts are equal."""
    out: list[Report] = []
    pub = datetime(2025, 10, 22, 9, tzinfo=UTC)
    for i in range(n):
        lang = ("en", "en", "fr", "ar")[i % 4]
        paras = _PARAGRAPHS[lang]
        body: list[str] = []
        j = 0
        while sum(len(p.split()) for p in body) < 400:
            p = paras[(i + j) % len(paras)]
            body.append(p.format(n=3 + (i + j) % 40, m=2 + (i * 7 + j) % 30, k=20 + (i * 3 + j) % 900))
            j += 1
        out.append(Report(text="\n".join(body), language=lang, published_at=pub, source=f"bench-{i}"))
    return out


def _work(reports: list[Report]) -> tuple[int, int]:
    events = sum(len(process_report(r).events) for r in reports)
    return events, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _warm() -> None:
    for r in corpus(4):  # en, en, fr, ar: load lexicons, lingua and both spaCy pipelines outside the timing
        process_report(r)


def throughput(n: int = 800, workers: int = WORKERS) -> dict[str, float]:
    reports = corpus(n)
    words = sum(len(r.text.split()) for r in reports) / n
    chunks = [reports[i : i + 25] for i in range(0, n, 25)]
    # The initializer runs in every worker before any task, so model loading stays out of the timing.
    with get_context("spawn").Pool(workers, initializer=_warm) as pool:
        pool.map(len, [[0]] * workers)
        started = time.perf_counter()
        results = pool.map(_work, chunks)
        seconds = time.perf_counter() - started
    worker_rss = max(r[1] for r in results) / 2**20  # GiB
    parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return {
        "reports": n,
        "words_per_report": words,
        "events": sum(r[0] for r in results),
        "seconds": seconds,
        "reports_per_s": n / seconds,
        "worker_peak_rss_gib": worker_rss,
        "total_peak_rss_gib": worker_rss * workers + parent_rss,
    }


def main() -> None:
    console = Console()
    t = throughput()
    table = Table(
        title=f"extraction throughput ({WORKERS} worker processes, ~{t['words_per_report']:.0f}-word reports)"
    )
    for col in ("reports", "events", "reports/s", "target", "worker peak RSS", "all processes", "target RSS"):
        table.add_column(col, justify="right")
    table.add_row(
        f"{t['reports']:.0f}", f"{t['events']:.0f}", f"{t['reports_per_s']:.1f}", f">= {TARGET_RPS:.0f}",
        f"{t['worker_peak_rss_gib']:.2f} GiB", f"{t['total_peak_rss_gib']:.2f} GiB", f"<= {TARGET_RSS_GIB} GiB",
    )  # fmt: skip
    console.print(table)
    csvs = sorted(SHARED_EVAL.glob("*.csv")) if SHARED_EVAL.is_dir() else []
    if not csvs:
        console.print(f"[yellow]no gold CSV in {SHARED_EVAL}: scoring the bundled fixture {BUNDLED.name} "
                      "(20 rows, plumbing only, not a quality measure)[/yellow]")  # fmt: skip
        csvs = [BUNDLED]
    for path in csvs:
        split = "test" if path != BUNDLED else "all"
        console.print(render(evaluate(path, split=split), title=f"{path.name} ({split} split)"))


if __name__ == "__main__":
    main()
