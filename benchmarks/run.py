"""`make bench`: every benchmark, each printing its own table."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHMARKS = (
    "ingest_bench",
    "extract_bench",
    "eval_bench",
    "fuse_bench",
    "serve_bench",
    "resolve_bench",
    "watch_bench",
)


def main() -> None:
    console = Console()
    for name in BENCHMARKS:
        console.rule(f"[bold]{name}")
        module = importlib.import_module(name)
        module.main()


if __name__ == "__main__":
    main()
