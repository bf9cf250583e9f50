"""`make bench`: every benchmark, each printing its own table. `make bench-quick` (``--quick``): the accuracy
tables on each gold set's representative subset only, in a few minutes."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHMARKS = (
    "eval_bench",
    "ingest_bench",
    "extract_bench",
    "fuse_bench",
    "serve_bench",
    "resolve_bench",
    "scale_bench",
    "watch_bench",
)


def main(argv: list[str]) -> None:
    console = Console(width=None if sys.stdout.isatty() else 180)
    quick = "--quick" in argv
    start = time.perf_counter()
    for name in ("eval_bench",) if quick else BENCHMARKS:
        console.rule(f"[bold]{name}")
        module = importlib.import_module(name)
        if name == "eval_bench":
            module.main(console=console, argv=["--quick"] if quick else [])
        else:
            module.main()
    console.print(f"[bold]{'bench-quick' if quick else 'bench'}: {time.perf_counter() - start:,.0f} s in all")


if __name__ == "__main__":
    main(sys.argv[1:])
